/* SPDX-License-Identifier: GPL-3.0-or-later */
/* From "Rilascia" to central's answer for one issuance while 1,000 others
 * wait in the outbox and the sync engine drains them: the issue verb's
 * time from the button (the PIN and its Argon2id verifier were made when
 * the issue step opened; then the commit and its own request ahead of
 * the queue, the engine's waves paused), against the real central on
 * loopback. Also with an
 * empty queue, for comparison. Prints `name: value unit` lines. */
#include <gio/gio.h>
#include <string.h>

#include "sp-codice-fiscale.h"
#include "sp-context.h"
#include "sp-test-central.h"

#define QUEUED 1000
#define ROUNDS 5

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static SpIssuance *
new_issuance (guint n)
{
  static const char *surnames[] = { "Rossi", "Bianchi", "Greco", "Conti", "Marino", "Ricci", "Gallo" };
  SpIssuance *is = sp_issuance_new ();
  GDate born;

  g_date_clear (&born, 1);
  g_date_set_dmy (&born, 1 + n % 28, 1 + n % 12, 1950 + n % 50);
  is->citizen = sp_person_new ();
  is->citizen->surname = g_strdup (surnames[n % G_N_ELEMENTS (surnames)]);
  is->citizen->name = g_strdup ("Matteo");
  is->citizen->sex = 'M';
  is->citizen->birth_date = born;
  is->citizen->birth_place = g_strdup ("F205");
  is->citizen->cf = sp_cf_compute (is->citizen->surname, "Matteo", 'M', &born, "F205");
  is->cf = g_strdup (is->citizen->cf);
  is->document = sp_document_new ();
  is->document->type = SP_DOCUMENT_CIE;
  is->document->number = g_strdup ("CA12345AB");
  is->document->issuer = g_strdup ("Comune di Milano");
  g_date_set_dmy (&is->document->issued_on, 1, 2, 2020);
  g_date_set_dmy (&is->document->expires_on, 1, 2, 2030);
  is->attested_in_person = TRUE;
  return is;
}

/* QUEUED issuances in the outbox, as a day offline leaves them. */
static void
fill_queue (SpContext  *ctx,
            const char *verifier,
            guint       base)
{
  SpStore *store = sp_context_get_store (ctx);

  for (guint i = 0; i < QUEUED; i++)
    {
      g_autoptr(SpIssuance) is = new_issuance (base + i);

      is->verifier = g_strdup (verifier);
      is->issued_at = g_date_time_new_now_utc ();
      is->sede = g_strdup ("0700");
      is->operator_id = g_strdup ("demo");
      g_assert_true (sp_store_commit_issuance (store, is, NULL, "demo", NULL));
    }
}

/* The issue step opened: the PIN and its verifier are made while the
 * operator reads it (the bench waits for them, as the operator does). */
static void
open_issue_step (SpContext *ctx)
{
  sp_context_prepare_issue (ctx);
  while (!sp_context_has_prepared (ctx))
    g_main_context_iteration (NULL, TRUE);
}

static double
issue_once (SpContext *ctx,
            guint      n)
{
  g_autoptr(SpIssuance) is = new_issuance (n);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpIssued) issued = NULL;
  gint64 start;

  /* Nobody in the queue: a queued PIN of the same citizen, stamped with
   * the uncorrected clock, could be later and supersede this one. */
  g_free (is->citizen->name);
  is->citizen->name = g_strdup ("Carlo");
  g_free (is->citizen->cf);
  is->citizen->cf = sp_cf_compute (is->citizen->surname, "Carlo", 'M', &is->citizen->birth_date, "F205");
  g_free (is->cf);
  is->cf = g_strdup (is->citizen->cf);
  open_issue_step (ctx);
  start = g_get_monotonic_time ();

  sp_context_issue_async (ctx, is, NULL, NULL, on_done, &result);
  issued = sp_context_issue_finish (ctx, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (issued->state, ==, SP_ISSUED_ACTIVE);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static int
compare (gconstpointer a,
         gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sp-bench-issue-XXXXXX", NULL);
  g_autofree char *ws = g_build_filename (dir, "ws", NULL);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  SpTestCentral *central = sp_test_central_new (dir, 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpContext) ctx = sp_context_new (ws, central->url, NULL, "ws-bench", &error);
  g_autoptr(GAsyncResult) login = NULL;
  g_autoptr(SpPin) pin = sp_pin_generate ();
  g_autofree char *verifier = sp_pin_make_verifier (pin, NULL);
  double empty[ROUNDS], queued[ROUNDS], argon[ROUNDS];
  gint64 waiting = 0;

  g_assert_no_error (error);
  /* The part of the verb that is no I/O at all: the PIN's verifier. */
  for (guint r = 0; r < ROUNDS; r++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autofree char *v = sp_pin_make_verifier (pin, NULL);

      argon[r] = (g_get_monotonic_time () - start) / 1000.0;
    }
  sp_context_log_in_async (ctx, "demo", "demo", NULL, on_done, &login);
  g_assert_true (sp_context_log_in_finish (ctx, wait_result (&login), &error));
  for (guint r = 0; r < ROUNDS; r++)
    empty[r] = issue_once (ctx, 900000 + r);
  for (guint r = 0; r < ROUNDS; r++)
    {
      gboolean later = FALSE;

      fill_queue (ctx, verifier, r * QUEUED);
      /* The engine starts on the queue and is well into it (waves in
       * flight) when the operator presses the button. */
      sp_sync_engine_kick (sp_context_get_engine (ctx));
      g_timeout_add_once (200, set_flag, &later);
      while (!later)
        g_main_context_iteration (NULL, TRUE);
      queued[r] = issue_once (ctx, 800000 + r);
      g_object_get (sp_context_get_engine (ctx), "waiting", &waiting, NULL);
      /* Let the queue drain before the next round. */
      while (waiting > 0)
        {
          g_main_context_iteration (NULL, TRUE);
          g_object_get (sp_context_get_engine (ctx), "waiting", &waiting, NULL);
        }
    }
  qsort (argon, ROUNDS, sizeof (double), compare);
  qsort (empty, ROUNDS, sizeof (double), compare);
  g_print ("argon2id_verifier_median: %.1f ms\n", argon[ROUNDS / 2]);
  qsort (queued, ROUNDS, sizeof (double), compare);
  g_print ("issue_empty_queue_median: %.1f ms\n", empty[ROUNDS / 2]);
  g_print ("issue_empty_queue_max: %.1f ms\n", empty[ROUNDS - 1]);
  g_print ("issue_1000_queued_median: %.1f ms\n", queued[ROUNDS / 2]);
  g_print ("issue_1000_queued_max: %.1f ms\n", queued[ROUNDS - 1]);
  g_clear_object (&ctx);
  sp_test_central_free (central);
  return system (cmd) == 0 ? 0 : 1;
}
