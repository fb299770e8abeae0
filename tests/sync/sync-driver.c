/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test driver for the kill -9 test: commits issuances (with a scan) and
 * synchronises them, over and over, until it is killed.
 * usage: sync-driver STORE_DIR CENTRAL_URL VERIFIER */
#include <gio/gio.h>
#include <string.h>

#include "sp-codice-fiscale.h"
#include "sp-sync-engine.h"

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  sp_sync_engine_sync_finish (SP_SYNC_ENGINE (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr(SpStore) store = NULL;
  g_autoptr(SpSyncEngine) engine = NULL;
  g_autoptr(GRand) rand = g_rand_new ();

  if (argc != 4 || (store = sp_store_open (argv[1], NULL)) == NULL)
    return 2;
  engine = sp_sync_engine_new (store, argv[2]);
  sp_sync_engine_set_credentials (engine, "demo", "demo", "kill9");
  for (;;)
    {
      g_autoptr(SpIssuance) is = sp_issuance_new ();
      g_autoptr(GPtrArray) scans = g_ptr_array_new ();
      SpStoreScan scan = { SP_ATTACHMENT_MV35, g_bytes_new_static ("%PDF-1.4 kill9 %%EOF", 20) };
      gboolean done = FALSE;
      GDate born;

      g_date_clear (&born, 1);
      g_date_set_julian (&born, g_rand_int_range (rand, 700000, 738000));
      is->citizen = sp_person_new ();
      is->citizen->surname = g_strdup ("Longo");
      is->citizen->name = g_strdup ("Lucia");
      is->citizen->sex = 'F';
      is->citizen->birth_date = born;
      is->citizen->birth_place = g_strdup ("H501");
      is->citizen->cf = sp_cf_compute ("Longo", "Lucia", 'F', &born, "H501");
      is->cf = g_strdup (is->citizen->cf);
      is->issued_at = g_date_time_new_now_utc ();
      is->sede = g_strdup ("0700");
      is->verifier = g_strdup (argv[3]);
      is->document = sp_document_new ();
      is->document->number = g_strdup ("CA12345AB");
      is->document->issuer = g_strdup ("Comune di Roma");
      g_date_set_dmy (&is->document->issued_on, 1, 2, 2020);
      g_date_set_dmy (&is->document->expires_on, 1, 2, 2030);
      is->attested_in_person = TRUE;
      g_ptr_array_add (scans, &scan);
      sp_store_commit_issuance (store, is, scans, "demo", NULL);
      g_bytes_unref (scan.pdf);
      sp_sync_engine_sync_async (engine, NULL, on_done, &done);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
    }
  return 0;
}
