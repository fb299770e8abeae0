/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The citizen cache at counter scale: N citizens (default 1,000,000,
 * SP_BENCH_CITIZENS to change), then lookups by codice fiscale and by
 * surname prefix (first 50: two to five letters, any case, with or
 * without a name prefix, accented or not: the search page's and the
 * context's fallback when central is away), with p50/p99 latency. */
#include <stdio.h>
#include <stdlib.h>

#include "sp-codice-fiscale.h"
#include "sp-store.h"

static const char *const surnames[] = { "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano",
  "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa",
  "Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi",
  "Caruso", "Ferrara", "Galli", "Martini", "Leone", "D'Angelo", "Longo", "Gentile", "Martinelli",
  "Vitale", "Lombardo", "Serra", "Coppola", "De Santis", "D'Amico", "Marchetti", "Parisi", "Villa" };
static const char *const names[] = { "Mario", "Luca", "Giuseppe", "Marco", "Francesco", "Anna",
  "Giulia", "Maria", "Sara", "Laura", "Chiara", "Paolo", "Nicolò", "Elena", "Davide", "Rosa" };

static int
cmp (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
report (const char *name, GArray *us)
{
  g_array_sort (us, cmp);
  printf ("%s_p50: %.3f ms\n", name, g_array_index (us, double, us->len / 2) / 1000);
  printf ("%s_p99: %.3f ms\n", name, g_array_index (us, double, (guint) (us->len * 0.99)) / 1000);
}

int
main (void)
{
  guint n = g_getenv ("SP_BENCH_CITIZENS") ? atoi (g_getenv ("SP_BENCH_CITIZENS")) : 1000000;
  g_autofree char *dir = g_dir_make_tmp ("sp-bench-store-XXXXXX", NULL);
  g_autoptr(SpStore) store = sp_store_open (dir, NULL);
  g_autoptr(GPtrArray) cfs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autoptr(GArray) by_cf = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) by_prefix = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  gint64 t0 = g_get_monotonic_time ();

  for (guint i = 0; i < n; i += 10000)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_person_free);

      for (guint j = i; j < MIN (n, i + 10000); j++)
        {
          SpPerson *p = sp_person_new ();

          p->surname = g_strdup (surnames[g_rand_int_range (rand, 0, G_N_ELEMENTS (surnames))]);
          p->name = g_strdup (names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))]);
          p->sex = 'M';
          g_date_set_julian (&p->birth_date, g_rand_int_range (rand, 700000, 739000));
          p->birth_place = g_strdup ("H501");
          p->cf = sp_cf_compute (p->surname, p->name, p->sex, &p->birth_date, p->birth_place);
          g_ptr_array_add (cfs, g_strdup (p->cf));
          g_ptr_array_add (batch, p);
        }
      g_assert (sp_store_put_citizens (store, batch, NULL));
    }
  printf ("cache_fill_%u: %.1f s\n", n, (g_get_monotonic_time () - t0) / 1e6);

  for (guint i = 0; i < 20000; i++)
    {
      const char *cf = g_ptr_array_index (cfs, g_rand_int_range (rand, 0, cfs->len));
      gint64 t = g_get_monotonic_time ();
      g_autoptr(SpPerson) p = sp_store_find_citizen (store, cf);
      double us = g_get_monotonic_time () - t;

      g_assert (p != NULL);
      g_array_append_val (by_cf, us);
    }
  report ("lookup_by_cf", by_cf);
  for (guint i = 0; i < 2000; i++)
    {
      static const char *const name_filters[] = { NULL, "ma", "NICOLÒ", "gi" };
      const char *s = surnames[g_rand_int_range (rand, 0, G_N_ELEMENTS (surnames))];
      /* As typed at the counter: two to five letters of the surname, or
       * all of it and the start of the name; any case, accented or not. */
      g_autofree char *typed = name_filters[i % 4] ? g_strdup (s) : g_strndup (s, 2 + i % 4);
      g_autofree char *prefix = i % 3 == 0 ? g_utf8_strup (typed, -1) : g_strdup (typed);
      gint64 t = g_get_monotonic_time ();
      g_autoptr(GPtrArray) hits = sp_store_search_citizens (store, prefix, name_filters[i % 4], 50);
      double us = g_get_monotonic_time () - t;

      g_array_append_val (by_prefix, us);
    }
  report ("search_by_surname_prefix_first_50", by_prefix);
  g_assert (system (cmd) == 0);
  return 0;
}
