/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Central's return as the counter sees it (issue 15, goal <= 5 s): the
 * context logged in, central stopped for a while (the engine's backoff
 * grows meanwhile), then started again on the same address; the time
 * from that start to the context's "online" turning TRUE, which the
 * header and the offline banner follow at once. Outages of 3 to 20 s.
 * Prints `name: value unit` lines. */
#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>

#include "sp-context.h"
#include "sp-test-central.h"

static const guint outages_s[] = { 3, 6, 10, 15, 20 };

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Spins the main loop until ctx's online is want, at most timeout_s. */
static gboolean
wait_online (SpContext *ctx,
             gboolean   want,
             double     timeout_s)
{
  gint64 end = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);

  while (sp_context_get_online (ctx) != want && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (2000);
  return sp_context_get_online (ctx) == want;
}

static void
spin_for (double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (5000);
}

static int
cmp (gconstpointer a,
     gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sp-bench-return-XXXXXX", NULL);
  g_autofree char *ws = g_build_filename (dir, "ws", NULL);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  SpTestCentral *central = sp_test_central_new (dir, 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpContext) ctx = sp_context_new (ws, central->url, NULL, "ws-bench", &error);
  g_autoptr(GAsyncResult) login = NULL;
  double noticed[G_N_ELEMENTS (outages_s)];

  g_assert_no_error (error);
  sp_context_log_in_async (ctx, "demo", "demo", NULL, on_done, &login);
  while (login == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (sp_context_log_in_finish (ctx, login, &error));
  g_assert_true (wait_online (ctx, TRUE, 30));
  for (guint r = 0; r < G_N_ELEMENTS (outages_s); r++)
    {
      gint64 started;

      sp_test_central_stop (central);
      /* Something to send, as an issuance would: the engine finds out. */
      sp_sync_engine_kick (sp_context_get_engine (ctx));
      g_assert_true (wait_online (ctx, FALSE, 30));
      spin_for (outages_s[r]);
      sp_test_central_restart (central);
      started = g_get_monotonic_time ();
      g_assert_true (wait_online (ctx, TRUE, 120));
      noticed[r] = (g_get_monotonic_time () - started) / 1e3;
      printf ("return_noticed_after_%us_outage: %.0f ms\n", outages_s[r], noticed[r]);
      fflush (stdout);
    }
  qsort (noticed, G_N_ELEMENTS (noticed), sizeof (double), (int (*) (const void *, const void *)) cmp);
  printf ("return_noticed_median: %.0f ms\n", noticed[G_N_ELEMENTS (noticed) / 2]);
  printf ("return_noticed_max: %.0f ms\n", noticed[G_N_ELEMENTS (noticed) - 1]);
  g_clear_object (&ctx);
  sp_test_central_free (central);
  g_assert_true (system (cmd) == 0);
  return 0;
}
