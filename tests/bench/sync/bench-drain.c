/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 10,000 issuances queued offline (SP_BENCH_ISSUANCES to change), then
 * the link comes back: time for the sync engine to drain them to a local
 * sportello-central, and the process's peak memory. */
#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sp-codice-fiscale.h"
#include "sp-pin.h"
#include "sp-sync-engine.h"

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!sp_sync_engine_sync_finish (SP_SYNC_ENGINE (source), result, &error))
    g_printerr ("sync failed: %s\n", error->message);
  *(gboolean *) user_data = TRUE;
}

/* User + system CPU seconds of a process, from /proc/PID/stat. */
static double
cpu_seconds (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (after = strrchr (stat, ')')) == NULL)
    return 0;
  fields = g_strsplit (after + 2, " ", 0);
  if (g_strv_length (fields) < 13)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
}

static long
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (line = strstr (status, "VmHWM:")) == NULL)
    return 0;
  return strtol (line + 6, NULL, 10);
}

int
main (void)
{
  guint n = g_getenv ("SP_BENCH_ISSUANCES") ? atoi (g_getenv ("SP_BENCH_ISSUANCES")) : 10000;
  g_autofree char *dir = g_dir_make_tmp ("sp-bench-drain-XXXXXX", NULL);
  g_autofree char *central_db = g_build_filename (dir, "central.db", NULL);
  g_autofree char *exe = g_build_filename (g_getenv ("SP_BUILD_ROOT"), "src", "central", "sportello-central", NULL);
  g_autofree char *cmd = g_strdup_printf ("'%s' seed-demo --citizens 0 --database '%s'", exe, central_db);
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);
  g_autoptr(SpStore) store = sp_store_open (dir, NULL);
  g_autoptr(SpPin) pin = sp_pin_generate ();
  g_autofree char *verifier = sp_pin_make_verifier (pin, NULL);
  g_autoptr(GSubprocess) central = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autoptr(SpSyncEngine) engine = NULL;
  gboolean done = FALSE;
  gint64 t0;
  double seconds, cpu_before;

  g_assert (system (cmd) == 0);
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SpIssuance) is = sp_issuance_new ();
      GDate born;

      g_date_clear (&born, 1);
      g_date_set_julian (&born, 715000 + i);
      is->citizen = sp_person_new ();
      is->citizen->surname = g_strdup ("Rossi");
      is->citizen->name = g_strdup ("Mario");
      is->citizen->sex = 'M';
      is->citizen->birth_date = born;
      is->citizen->birth_place = g_strdup ("H501");
      is->citizen->cf = sp_cf_compute ("Rossi", "Mario", 'M', &born, "H501");
      is->cf = g_strdup (is->citizen->cf);
      is->issued_at = g_date_time_new_now_utc ();
      is->sede = g_strdup ("0700");
      is->verifier = g_strdup (verifier);
      is->document = sp_document_new ();
      is->document->number = g_strdup ("CA12345AB");
      is->document->issuer = g_strdup ("Comune di Roma");
      g_date_set_dmy (&is->document->issued_on, 1, 2, 2020);
      g_date_set_dmy (&is->document->expires_on, 1, 2, 2030);
      is->attested_in_person = TRUE;
      g_assert (sp_store_commit_issuance (store, is, NULL, "demo", NULL));
    }
  printf ("queue_%u_offline: %.1f s\n", n, (g_get_monotonic_time () - t0) / 1e6);

  central = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, NULL, exe, "serve", "--listen", "127.0.0.1:0",
                              "--database", central_db, NULL);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (central));
  line = g_data_input_stream_read_line (out, NULL, NULL, NULL);
  engine = sp_sync_engine_new (store, line + strlen ("listening on "));
  sp_sync_engine_set_credentials (engine, "demo", "demo", "bench");
  t0 = g_get_monotonic_time ();
  cpu_before = cpu_seconds ("self");
  sp_sync_engine_sync_async (engine, NULL, on_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  seconds = (g_get_monotonic_time () - t0) / 1e6;
  printf ("drain_%u_issuances: %.2f s\n", n, seconds);
  printf ("drain_rate: %.0f issuances/s\n", n / seconds);
  printf ("drain_left_waiting: %" G_GINT64_FORMAT " entries\n", sp_store_outbox_waiting (store));
  printf ("peak_rss: %.1f MiB\n", peak_rss_kib () / 1024.0);
  /* Where the time goes: this process (store + client) against central. */
  printf ("drain_cpu_workstation: %.2f s\n", cpu_seconds ("self") - cpu_before);
  printf ("drain_cpu_central: %.2f s\n", cpu_seconds (g_subprocess_get_identifier (central)));
  g_subprocess_send_signal (central, SIGTERM);
  g_subprocess_wait (central, NULL, NULL);
  g_assert (system (rm) == 0);
  return 0;
}
