/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sp-test-central.h"

#include <signal.h>
#include <sqlite3.h>
#include <string.h>

static char *
central_exe (void)
{
  return g_build_filename (g_getenv ("SP_BUILD_ROOT"), "src", "central", "sportello-central", NULL);
}

SpTestCentral *
sp_test_central_new (const char *dir,
                     guint       citizens)
{
  SpTestCentral *central = g_new0 (SpTestCentral, 1);
  g_autofree char *exe = central_exe ();
  g_autofree char *count = g_strdup_printf ("%u", citizens);
  const char *seed[] = { exe, "seed-demo", "--citizens", count, "--database", NULL, NULL };
  int status;

  central->db = g_build_filename (dir, "central.db", NULL);
  seed[5] = central->db;
  g_assert_true (g_spawn_sync (NULL, (char **) seed, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  sp_test_central_start (central);
  return central;
}

static void start_on (SpTestCentral *central, const char *listen);

void
sp_test_central_start (SpTestCentral *central)
{
  start_on (central, "127.0.0.1:0");
}

void
sp_test_central_restart (SpTestCentral *central)
{
  /* "http://127.0.0.1:PORT": the same address, so a client made for it
   * finds central again. */
  g_autofree char *listen = g_strdup (strstr (central->url, "//") + 2);

  sp_test_central_stop (central);
  start_on (central, listen);
}

static void
start_on (SpTestCentral *central,
          const char    *listen)
{
  g_autofree char *exe = central_exe ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                               | (g_getenv ("SP_TEST_CENTRAL_STDERR") ? 0 : G_SUBPROCESS_FLAGS_STDERR_SILENCE));

  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  central->process = g_subprocess_launcher_spawn (launcher, &error, exe, "serve", "--listen", listen,
                                                  "--database", central->db, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (central->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  g_free (central->url);
  central->url = g_strdup (line + strlen ("listening on "));
}

void
sp_test_central_stop (SpTestCentral *central)
{
  if (central->process == NULL)
    return;
  g_subprocess_send_signal (central->process, SIGCONT);   /* if a test froze it */
  g_subprocess_send_signal (central->process, SIGTERM);
  g_subprocess_wait (central->process, NULL, NULL);
  g_clear_object (&central->process);
}

void
sp_test_central_free (SpTestCentral *central)
{
  sp_test_central_stop (central);
  g_free (central->db);
  g_free (central->url);
  g_free (central);
}

char *
sp_test_central_sql (SpTestCentral *central,
                     const char    *query)
{
  sqlite3 *db;
  sqlite3_stmt *s;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open (central->db, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, query, -1, &s, NULL), ==, SQLITE_OK);
  if (sqlite3_step (s) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (s, 0));
  sqlite3_finalize (s);
  sqlite3_close (db);
  return value;
}
