/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Core benchmark: codice fiscale checks per second, Belfiore lookups by
 * code and by name prefix (mean and p99 latency), Argon2id verifier time. */
#include <stdio.h>

#include "sp-belfiore.h"
#include "sp-codice-fiscale.h"
#include "sp-pin.h"

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
p99 (GArray *samples)
{
  g_array_sort (samples, compare_double);
  return g_array_index (samples, double, (guint) (samples->len * 0.99));
}

static void
bench_cf (void)
{
  const char *codes[] = { "MRTMTT25D09F205Z", "RSSMRA80A41H501Y", "MRTMTT25D09F2RVS",
                          "80078750587", "XXXXXX00X00X000X" };
  SpCfPersonData person = { "Moretti", "Matteo", 'M', NULL, "F205" };
  guint n = 0;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  while (g_get_monotonic_time () - start < G_USEC_PER_SEC)
    for (guint i = 0; i < 1000; i++, n++)
      sp_cf_result_free (sp_cf_check (codes[n % G_N_ELEMENTS (codes)], &person));
  seconds = (g_get_monotonic_time () - start) / 1e6;
  printf ("cf_checks_per_second: %.0f checks/s\n", n / seconds);
}

static void
bench_belfiore (void)
{
  const char *codes[] = { "H501", "F205", "A002", "Z404", "L219", "XXXX" };
  const char *prefixes[] = { "rom", "san", "sant'", "m", "abb", "castel" };
  g_autoptr(GArray) by_code = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) by_prefix = g_array_new (FALSE, FALSE, sizeof (double));
  GDate date;
  double sum = 0;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, 1, 1980);
  for (guint i = 0; i < 200000; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      double us;

      sp_belfiore_lookup_on_date (codes[i % G_N_ELEMENTS (codes)], &date);
      us = (double) (g_get_monotonic_time () - t0);
      g_array_append_val (by_code, us);
    }
  for (guint i = 0; i < 20000; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(GPtrArray) hits = sp_belfiore_search_prefix (prefixes[i % G_N_ELEMENTS (prefixes)], NULL, 20);
      double us = (double) (g_get_monotonic_time () - t0);

      g_array_append_val (by_prefix, us);
      sum += us;
    }
  /* Single lookups are below the clock's resolution: time a batch too. */
  {
    gint64 t0 = g_get_monotonic_time ();
    for (guint i = 0; i < 1000000; i++)
      sp_belfiore_lookup_on_date (codes[i % G_N_ELEMENTS (codes)], &date);
    printf ("belfiore_by_code_mean: %.3f us\n", (g_get_monotonic_time () - t0) / 1e6);
  }
  printf ("belfiore_by_code_p99: %.1f us\n", p99 (by_code));
  printf ("belfiore_by_prefix_mean: %.2f us\n", sum / by_prefix->len);
  printf ("belfiore_by_prefix_p99: %.1f us\n", p99 (by_prefix));
}

static void
bench_argon2 (void)
{
  g_autoptr(SpPin) pin = sp_pin_generate ();
  g_autofree char *verifier = NULL;
  gint64 t0 = g_get_monotonic_time ();
  gint64 t1;

  for (guint i = 0; i < 5; i++)
    {
      g_free (verifier);
      verifier = sp_pin_make_verifier (pin, NULL);
    }
  t1 = g_get_monotonic_time ();
  for (guint i = 0; i < 5; i++)
    g_assert (sp_pin_check_verifier (verifier, sp_pin_peek (pin)));
  printf ("argon2id_make_verifier: %.1f ms\n", (t1 - t0) / 5e3);
  printf ("argon2id_check_verifier: %.1f ms\n", (g_get_monotonic_time () - t1) / 5e3);
}

int
main (void)
{
  bench_cf ();
  bench_belfiore ();
  bench_argon2 ();
  return 0;
}
