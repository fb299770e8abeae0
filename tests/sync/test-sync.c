/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync engine against the real sportello-central on loopback: the
 * outbox drains in order, exactly once, scans go and are purged locally
 * only when central confirms their digest, central down keeps everything,
 * a refused issuance is parked and does not block the queue. */
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>

#include "sp-codice-fiscale.h"
#include "sp-pin.h"
#include "sp-sync-engine.h"
#include "../sp-test-status.h"


typedef struct {
  char *dir;
  char *central_db;
  GSubprocess *central;
  char *url;
  SpStore *store;
} Fixture;

static char *
central_exe (void)
{
  return g_build_filename (g_getenv ("SP_BUILD_ROOT"), "src", "central", "sportello-central", NULL);
}

static void start_central_on (Fixture *f, guint16 port);

static void
start_central (Fixture *f)
{
  start_central_on (f, 0);
}

static guint16
free_port (void)
{
  g_autoptr(GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (sock, any, TRUE, NULL));
  bound = g_socket_get_local_address (sock, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void start_central_tls (Fixture *f, guint16 port, const char *cert, const char *key);

static void
start_central_on (Fixture *f,
                  guint16  port)
{
  start_central_tls (f, port, NULL, NULL);
}

static void
start_central_tls (Fixture    *f,
                   guint16     port,
                   const char *cert,
                   const char *key)
{
  g_autofree char *exe = central_exe ();
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", port);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  if (cert != NULL)
    f->central = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                   exe, "serve", "--listen", listen, "--database", f->central_db,
                                   "--tls-cert", cert, "--tls-key", key, NULL);
  else
    f->central = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                   exe, "serve", "--listen", listen, "--database", f->central_db, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->central));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  g_free (f->url);
  f->url = g_strdup (line + strlen ("listening on "));
}

static void
stop_central (Fixture *f)
{
  g_subprocess_send_signal (f->central, SIGTERM);
  g_subprocess_wait (f->central, NULL, NULL);
  g_clear_object (&f->central);
}

static void
setup (Fixture      *f,
       gconstpointer data)
{
  g_autofree char *exe = central_exe ();
  const char *seed[] = { exe, "seed-demo", "--citizens", "5", "--database", NULL, NULL };
  int status;

  f->dir = g_dir_make_tmp ("sp-sync-XXXXXX", NULL);
  f->central_db = g_build_filename (f->dir, "central.db", NULL);
  seed[5] = f->central_db;
  g_assert_true (g_spawn_sync (NULL, (char **) seed, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  f->store = sp_store_open (f->dir, NULL);
  g_assert_nonnull (f->store);
}

static void
teardown (Fixture      *f,
          gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  if (f->central)
    stop_central (f);
  sp_store_close (f->store);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->url);
  g_free (f->central_db);
  g_free (f->dir);
}

static char *verifier;

static SpIssuance *
new_issuance (const char *surname,
              gboolean    attested)
{
  SpIssuance *is = sp_issuance_new ();
  GDate born;

  g_date_clear (&born, 1);
  g_date_set_dmy (&born, 9, 4, 1970);
  is->citizen = sp_person_new ();
  is->citizen->surname = g_strdup (surname);
  is->citizen->name = g_strdup ("Matteo");
  is->citizen->sex = 'M';
  is->citizen->birth_date = born;
  is->citizen->birth_place = g_strdup ("F205");
  is->citizen->cf = sp_cf_compute (surname, "Matteo", 'M', &born, "F205");
  is->cf = g_strdup (is->citizen->cf);
  is->issued_at = g_date_time_new_now_utc ();
  is->sede = g_strdup ("0700");
  is->verifier = g_strdup (verifier);
  is->document = sp_document_new ();
  is->document->type = SP_DOCUMENT_CIE;
  is->document->number = g_strdup ("CA12345AB");
  is->document->issuer = g_strdup ("Comune di Milano");
  g_date_set_dmy (&is->document->issued_on, 1, 2, 2020);
  g_date_set_dmy (&is->document->expires_on, 1, 2, 2030);
  is->attested_in_person = attested;
  return is;
}

static char *
commit (Fixture    *f,
        const char *surname,
        gboolean    attested)
{
  g_autoptr(SpIssuance) is = new_issuance (surname, attested);
  g_autoptr(GPtrArray) scans = g_ptr_array_new ();
  SpStoreScan mv35 = { SP_ATTACHMENT_MV35, g_bytes_new_static ("%PDF-1.4 modulo %%EOF", 21) };

  g_ptr_array_add (scans, &mv35);
  g_assert_true (sp_store_commit_issuance (f->store, is, scans, "demo", NULL));
  g_bytes_unref (mv35.pdf);
  return g_strdup (is->id);
}

/* An engine for url that logs in as the demo operator. */
static SpSyncEngine *
demo_engine (SpStore    *store,
             const char *url)
{
  SpSyncEngine *engine = sp_sync_engine_new (store, url);

  sp_sync_engine_set_credentials (engine, "demo", "demo", "ws-test");
  return engine;
}

static void
on_synced (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **error = user_data;

  sp_sync_engine_sync_finish (SP_SYNC_ENGINE (source), result, error);
  *error = *error ? *error : g_error_new_literal (G_IO_ERROR, 0, "ok");
}

/* Runs one synchronisation to its end; NULL when it succeeded. */
static GError *
sync_once (SpSyncEngine *engine)
{
  GError *error = NULL;

  sp_sync_engine_sync_async (engine, NULL, on_synced, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (error->domain == G_IO_ERROR && error->code == 0)
    {
      g_clear_error (&error);
      return NULL;
    }
  return error;
}

static char *
central_sql (Fixture    *f,
             const char *query)
{
  sqlite3 *db;
  sqlite3_stmt *s;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open (f->central_db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, query, -1, &s, NULL), ==, SQLITE_OK);
  if (sqlite3_step (s) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (s, 0));
  sqlite3_finalize (s);
  sqlite3_close (db);
  return value;
}

static void
test_offline_then_drain (Fixture      *f,
                         gconstpointer data)
{
  g_autofree char *a = commit (f, "Moretti", TRUE);
  g_autofree char *b = commit (f, "Bianchi", TRUE);
  g_autoptr(SpSyncEngine) engine = NULL;
  g_autoptr(GError) down = NULL;
  g_autofree char *status_a = NULL, *count = NULL, *count2 = NULL, *att = NULL;
  gint64 waiting = 0;
  g_autoptr(GBytes) purged = NULL;

  /* Central is not running: a closed loopback port. */
  engine = demo_engine (f->store, "http://127.0.0.1:9");
  down = sync_once (engine);
  g_assert_error (down, SP_SYNC_ERROR, SP_SYNC_ERROR_UNREACHABLE);
  g_assert_false (sp_sync_engine_get_online (engine));
  g_assert_nonnull (sp_sync_engine_get_last_error (engine));
  g_assert_cmpint (sp_store_outbox_waiting (f->store), ==, 4);
  g_clear_object (&engine);

  start_central (f);
  engine = demo_engine (f->store, f->url);
  g_assert_null (sync_once (engine));
  g_assert_true (sp_sync_engine_get_online (engine));
  g_object_get (engine, "waiting", &waiting, NULL);
  g_assert_cmpint (waiting, ==, 0);
  status_a = sp_test_status_word (f->store, a);
  g_assert_cmpstr (status_a, ==, "active");
  count = central_sql (f, "SELECT COUNT(*) FROM issuances");
  g_assert_cmpstr (count, ==, "2");
  att = central_sql (f, "SELECT COUNT(*) FROM attachments");
  g_assert_cmpstr (att, ==, "2");
  /* Confirmed by central: the local copy of the scan is gone. */
  purged = sp_store_read_scan (f->store, a, SP_ATTACHMENT_MV35, NULL);
  g_assert_null (purged);
  /* Nothing left to send: a second run changes nothing at central. */
  g_assert_null (sync_once (engine));
  count2 = central_sql (f, "SELECT COUNT(*) FROM issuances");
  g_assert_cmpstr (count2, ==, "2");
}

/* Print once (DESIGN §2): a PIN whose envelope did not print is voided
 * locally, even before central has heard of it. Central never heard of
 * it: the issuance is not sent any more (it would supersede the
 * citizen's real PIN until its void arrived), the void is, and central's
 * 404 to it settles it. Central has it: the void reaches it. */
static void
test_void_reaches_central (Fixture      *f,
                           gconstpointer data)
{
  g_autofree char *a = commit (f, "Moretti", TRUE);
  g_autofree char *b = commit (f, "Bianchi", TRUE);
  g_autoptr(SpSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *local = NULL, *remote = NULL, *sql = NULL, *kept = NULL;
  g_autofree char *remote_b = NULL, *sql_b = NULL;

  g_assert_true (sp_store_void_issuance (f->store, a, "print cancelled", "demo", &error));
  g_assert_no_error (error);
  local = sp_test_status_word (f->store, a);
  g_assert_cmpstr (local, ==, "voided");
  /* Only once: a second void of the same PIN is refused. */
  g_assert_false (sp_store_void_issuance (f->store, a, "again", "demo", &error));
  g_assert_error (error, SP_STORE_ERROR, SP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  start_central (f);
  engine = demo_engine (f->store, f->url);
  g_assert_null (sync_once (engine));
  sql = g_strdup_printf ("SELECT status FROM issuances WHERE id = '%s'", a);
  remote = central_sql (f, sql);
  g_assert_null (remote);
  kept = sp_test_status_word (f->store, a);
  g_assert_cmpstr (kept, ==, "voided");
  g_assert_cmpint (sp_store_outbox_waiting (f->store), ==, 0);

  /* b reached central active; its void follows it there. */
  g_assert_true (sp_store_void_issuance (f->store, b, "print failed", "demo", &error));
  g_assert_null (sync_once (engine));
  sql_b = g_strdup_printf ("SELECT status FROM issuances WHERE id = '%s'", b);
  remote_b = central_sql (f, sql_b);
  g_assert_cmpstr (remote_b, ==, "voided");
  g_assert_cmpint (sp_store_outbox_waiting (f->store), ==, 0);
}

static void
test_refused_is_parked (Fixture      *f,
                        gconstpointer data)
{
  g_autofree char *bad = commit (f, "Rossi", FALSE);   /* central: 422, not attested */
  g_autofree char *good = commit (f, "Verdi", TRUE);
  g_autoptr(SpSyncEngine) engine = NULL;
  g_autofree char *bad_status = NULL, *good_status = NULL;

  start_central (f);
  engine = demo_engine (f->store, f->url);
  g_assert_null (sync_once (engine));
  bad_status = sp_test_status_word (f->store, bad);
  good_status = sp_test_status_word (f->store, good);
  g_assert_cmpstr (bad_status, ==, "needs_attention");
  g_assert_cmpstr (good_status, ==, "active");
  /* The refused issuance and its scan wait for a person; nothing else. */
  g_assert_cmpint (sp_store_outbox_attention (f->store), ==, 2);
  {
    g_autoptr(GPtrArray) problems = sp_store_outbox_problems (f->store);

    /* The operator is told why, in central's words. */
    g_assert_cmpuint (problems->len, ==, 2);
    g_assert_cmpstr (((SpOutboxEntry *) problems->pdata[0])->target, ==, bad);
    g_assert_nonnull (strstr (((SpOutboxEntry *) problems->pdata[0])->body, "422"));
    g_assert_nonnull (strstr (((SpOutboxEntry *) problems->pdata[0])->body, "in-person"));
  }
  g_assert_cmpint (sp_store_outbox_waiting (f->store), ==, 0);
}

static void
test_central_restart_relogin (Fixture      *f,
                              gconstpointer data)
{
  g_autofree char *first = commit (f, "Galli", TRUE);
  g_autofree char *second = NULL;
  g_autofree char *count = NULL;
  g_autoptr(SpSyncEngine) engine = NULL;
  g_autoptr(GError) wrong = NULL;

  start_central (f);
  engine = sp_sync_engine_new (f->store, f->url);
  sp_sync_engine_set_credentials (engine, "demo", "wrong", "ws-test");
  wrong = sync_once (engine);
  g_assert_error (wrong, SP_SYNC_ERROR, SP_SYNC_ERROR_CREDENTIALS);
  g_assert_cmpint (sp_store_outbox_waiting (f->store), ==, 2);
  sp_sync_engine_set_credentials (engine, "demo", "demo", "ws-test");
  g_assert_null (sync_once (engine));
  /* The session dies with a logout at central: the next push gets 401,
   * logs in again and goes through. */
  second = commit (f, "Leone", TRUE);
  {
    g_autofree char *cmd = g_strdup_printf ("sqlite3 '%s' 'DELETE FROM sessions'", f->central_db);
    g_assert_cmpint (system (cmd), ==, 0);
  }
  g_assert_null (sync_once (engine));
  count = central_sql (f, "SELECT COUNT(*) FROM issuances");
  g_assert_cmpstr (count, ==, "2");
  g_assert_cmpint (sp_store_outbox_waiting (f->store), ==, 0);
}

/* The feed's cursor expired at central (410): the engine reads the
 * whole feed again and keeps its outbox. */
static void
test_expired_cursor_resyncs (Fixture      *f,
                             gconstpointer data)
{
  g_autofree char *first = commit (f, "Marino", TRUE);
  g_autofree char *second = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr(SpSyncEngine) engine = NULL;

  start_central (f);
  engine = demo_engine (f->store, f->url);
  g_assert_null (sync_once (engine));
  cursor = sp_store_get_cursor (f->store);
  g_assert_nonnull (cursor);
  second = commit (f, "Parisi", TRUE);
  {
    /* Central purged its old change rows: the saved cursor is too old. */
    g_autofree char *cmd = g_strdup_printf ("sqlite3 '%s' \"UPDATE meta SET value = '100000'"
                                            " WHERE key = 'changes_floor'\"", f->central_db);
    g_assert_cmpint (system (cmd), ==, 0);
  }
  g_assert_null (sync_once (engine));
  g_assert_cmpint (sp_store_outbox_waiting (f->store), ==, 0);
  {
    g_autofree char *status = sp_test_status_word (f->store, second);
    g_assert_cmpstr (status, ==, "active");
  }
}

static gboolean
kill_central (gpointer user_data)
{
  Fixture *f = user_data;

  g_subprocess_force_exit (f->central);
  return G_SOURCE_REMOVE;
}

/* Central killed (-9) in the middle of a push, then restarted on the same
 * address and database: the queue drains and central has each issuance
 * exactly once. */
static void
test_central_killed_mid_push (Fixture      *f,
                              gconstpointer data)
{
  guint16 port = free_port ();
  g_autoptr(SpSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL, *distinct = NULL;

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *surname = g_strdup_printf ("Rizzo%c%c", 'A' + i % 26, 'A' + i / 26);
      g_autofree char *id = commit (f, surname, TRUE);
    }
  start_central_on (f, port);
  engine = demo_engine (f->store, f->url);
  g_timeout_add (150, kill_central, f);
  error = sync_once (engine);
  g_assert_nonnull (error);   /* the run saw central vanish */
  g_subprocess_wait (f->central, NULL, NULL);
  g_clear_object (&f->central);
  g_assert_cmpint (sp_store_outbox_waiting (f->store), >, 0);
  start_central_on (f, port);
  g_assert_null (sync_once (engine));
  g_assert_cmpint (sp_store_outbox_waiting (f->store), ==, 0);
  count = central_sql (f, "SELECT COUNT(*) FROM issuances");
  distinct = central_sql (f, "SELECT COUNT(*) FROM attachments");
  g_assert_cmpstr (count, ==, "300");
  g_assert_cmpstr (distinct, ==, "300");
}

/* The skew to central's clock is measured on every exchange. */
static void
test_clock_skew (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr(SpSyncEngine) engine = NULL;
  g_autoptr(GDateTime) corrected = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  start_central (f);
  engine = demo_engine (f->store, f->url);
  g_assert_null (sync_once (engine));
  /* Same machine: the skew is under the Date header's one-second grain. */
  g_assert_cmpint (ABS (sp_sync_engine_get_clock_skew_ms (engine)), <=, 1500);
  corrected = sp_sync_engine_corrected_now (engine);
  g_assert_cmpint (ABS (g_date_time_difference (corrected, now)), <=, 3 * G_USEC_PER_SEC);
}

static char *
commit_for (SpStore    *store,
            const char *sede,
            GTimeSpan   age)
{
  g_autoptr(SpIssuance) is = new_issuance ("Ferrara", TRUE);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_free (is->sede);
  is->sede = g_strdup (sede);
  g_date_time_unref (is->issued_at);
  is->issued_at = g_date_time_add (now, -age);
  g_assert_true (sp_store_commit_issuance (store, is, NULL, "demo", NULL));
  return g_strdup (is->id);
}

/* Two workstations of different sedi issue to the same citizen; the one
 * offline issued later. After both synchronise and read the feed, central
 * and both stores agree: one active PIN, the later one. */
static void
test_two_workstations (Fixture      *f,
                       gconstpointer data)
{
  g_autofree char *dir_b = g_build_filename (f->dir, "ws-b", NULL);
  g_autoptr(SpStore) store_b = sp_store_open (dir_b, NULL);
  g_autoptr(SpSyncEngine) a = NULL;
  g_autoptr(SpSyncEngine) b = NULL;
  g_autofree char *id_a = NULL, *id_b = NULL;
  g_autofree char *a_on_a = NULL, *b_on_b = NULL, *a_at_central = NULL, *active = NULL;

  start_central (f);
  a = sp_sync_engine_new (f->store, f->url);
  sp_sync_engine_set_credentials (a, "demo", "demo", "ws-a");
  b = sp_sync_engine_new (store_b, f->url);
  sp_sync_engine_set_credentials (b, "demo2", "demo2", "ws-b");

  id_a = commit_for (f->store, "0700", 10 * G_TIME_SPAN_MINUTE);   /* online, earlier */
  g_assert_null (sync_once (a));
  id_b = commit_for (store_b, "0800", 1 * G_TIME_SPAN_MINUTE);     /* offline, later */
  g_assert_null (sync_once (b));
  g_assert_null (sync_once (a));   /* A reads the feed */

  a_on_a = sp_test_status_word (f->store, id_a);
  b_on_b = sp_test_status_word (store_b, id_b);
  g_assert_cmpstr (a_on_a, ==, "superseded");
  g_assert_cmpstr (b_on_b, ==, "active");
  {
    g_autofree char *q = g_strdup_printf ("SELECT status FROM issuances WHERE id = '%s'", id_a);
    a_at_central = central_sql (f, q);
  }
  g_assert_cmpstr (a_at_central, ==, "superseded");
  active = central_sql (f, "SELECT COUNT(*) FROM issuances WHERE status = 'active'");
  g_assert_cmpstr (active, ==, "1");
}

static gboolean
spin_until_drained (SpStore *store,
                    gint64   timeout_us)
{
  gint64 end = g_get_monotonic_time () + timeout_us;

  while (sp_store_outbox_waiting (store) > 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (5000);
  return sp_store_outbox_waiting (store) == 0;
}

/* Automatic mode: central is down, the engine keeps retrying with its
 * backoff, and drains by itself once central comes up on its address. */
static void
test_retries_until_central_is_back (Fixture      *f,
                                    gconstpointer data)
{
  guint16 port = free_port ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autofree char *id = commit (f, "Conti", TRUE);
  g_autoptr(SpSyncEngine) engine = demo_engine (f->store, url);
  g_autofree char *status = NULL;

  sp_sync_engine_start (engine, 60, 50, 400);
  g_assert_false (spin_until_drained (f->store, 700 * 1000));
  g_assert_false (sp_sync_engine_get_online (engine));
  g_assert_nonnull (sp_sync_engine_get_last_error (engine));
  start_central_on (f, port);
  g_assert_true (spin_until_drained (f->store, 15 * G_USEC_PER_SEC));
  status = sp_test_status_word (f->store, id);
  g_assert_cmpstr (status, ==, "active");
  sp_sync_engine_stop (engine);
}

/* Issue 15: with the app's backoff already long (the next run 15–45 s
 * away), central's return is still noticed within 5 s: the engine probes
 * /v1/status while offline. */
static void
test_return_noticed_within_5_s (Fixture      *f,
                                gconstpointer data)
{
  guint16 port = free_port ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autoptr(SpSyncEngine) engine = demo_engine (f->store, url);
  gint64 end, back;

  sp_sync_engine_start (engine, 3600, 30000, 60000);
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (sp_sync_engine_get_last_error (engine) == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (sp_sync_engine_get_online (engine));
  /* Some probes fail first, so their backoff is at its cap. */
  end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (10000);
  g_assert_false (sp_sync_engine_get_online (engine));
  start_central_on (f, port);
  back = g_get_monotonic_time ();
  end = back + 5 * G_USEC_PER_SEC;
  while (!sp_sync_engine_get_online (engine) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (5000);
  g_assert_true (sp_sync_engine_get_online (engine));
  g_test_message ("central's return noticed after %.2f s", (g_get_monotonic_time () - back) / 1e6);
  sp_sync_engine_stop (engine);
}

/* ---- a faulty central, in process, for what the real one never does ---- */

typedef enum {
  FAULT_500,
  FAULT_503_RETRY_AFTER,
  FAULT_MALFORMED_JSON,
  FAULT_WRONG_CONTENT,
  FAULT_HANG,
  FAULT_CUT,             /* headers and half the body, then the connection closes */
  FAULT_LOSE_ANSWER,     /* forward to the real central, then answer 502 */
  FAULT_NONE,            /* forward to the real central, answers untouched */
  FAULT_STUCK_FEED,      /* the change feed says "more" without moving on */
} Fault;

typedef struct {
  SoupServer *server;
  Fault fault;
  char *upstream;        /* the real central, for FAULT_LOSE_ANSWER */
  guint lost;            /* answers dropped so far */
  GPtrArray *hung;       /* messages never answered */
  GHashTable *clients;   /* the client port of each connection seen */
  SoupSession *session;  /* to the real central */
  guint requests;
} Faulty;

typedef struct {
  Faulty *fake;
  SoupServerMessage *msg;
  char *path;
} Forward;

static void
on_forwarded (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Forward *fw = user_data;
  SoupMessage *up = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) answer = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  gsize len;
  const char *data;

  g_assert_nonnull (answer);
  if (fw->fake->fault == FAULT_LOSE_ANSWER && g_str_equal (fw->path, "/v1/issuances") && fw->fake->lost == 0)
    {
      g_assert_cmpuint (soup_message_get_status (up), ==, 201);
      fw->fake->lost++;
      soup_server_message_set_status (fw->msg, 502, NULL);
    }
  else
    {
      data = g_bytes_get_data (answer, &len);
      soup_server_message_set_status (fw->msg, soup_message_get_status (up), NULL);
      soup_server_message_set_response (fw->msg, "application/json", SOUP_MEMORY_COPY, data, len);
    }
  soup_server_message_unpause (fw->msg);
  g_object_unref (fw->msg);
  g_free (fw->path);
  g_free (fw);
}

/* Forwards to the real central, without blocking the loop the engine
 * also runs in; with FAULT_LOSE_ANSWER, drops central's answer to the
 * first issuance (after central committed it) and says 502 instead. */
static void
proxy (Faulty            *fake,
       SoupServerMessage *msg,
       const char        *path)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autofree char *url = g_strconcat (fake->upstream, path, query ? "?" : "", query, NULL);
  g_autoptr(SoupMessage) up = soup_message_new (soup_server_message_get_method (msg), url);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  SoupMessageHeaders *in = soup_server_message_get_request_headers (msg);
  const char *names[] = { "Authorization", "Idempotency-Key", "Content-Digest" };
  Forward *fw = g_new0 (Forward, 1);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (soup_message_headers_get_one (in, names[i]))
      soup_message_headers_replace (soup_message_get_request_headers (up), names[i],
                                    soup_message_headers_get_one (in, names[i]));
  if (g_bytes_get_size (body) > 0)
    soup_message_set_request_body_from_bytes (up, soup_message_headers_get_content_type (in, NULL), body);
  if (fake->session == NULL)
    fake->session = soup_session_new ();
  fw->fake = fake;
  fw->msg = g_object_ref (msg);
  fw->path = g_strdup (path);
  soup_server_message_pause (msg);
  soup_session_send_and_read_async (fake->session, up, G_PRIORITY_DEFAULT, NULL, on_forwarded, fw);
}

static void
faulty_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Faulty *fake = user_data;
  GInetSocketAddress *peer = G_INET_SOCKET_ADDRESS (soup_server_message_get_remote_address (msg));

  fake->requests++;
  g_hash_table_add (fake->clients, g_strdup_printf ("%u", g_inet_socket_address_get_port (peer)));
  if (fake->fault == FAULT_LOSE_ANSWER || fake->fault == FAULT_NONE)
    return proxy (fake, msg, path);
  if (g_str_equal (path, "/v1/sessions"))
    {
      const char *ok = "{\"token\":\"fake-token-0123456789abcdef\",\"expires_at\":\"2030-01-01T00:00:00Z\","
                       "\"operator\":{\"id\":\"demo\",\"name\":\"Demo\",\"role\":\"operator\",\"sede\":\"0700\"}}";
      soup_server_message_set_status (msg, 201, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, ok, strlen (ok));
      return;
    }
  switch (fake->fault)
    {
    case FAULT_STUCK_FEED:
      {
        const char *page = "{\"items\":[],\"next_cursor\":\"7\",\"has_more\":true}";

        soup_server_message_set_status (msg, 200, NULL);
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, page, strlen (page));
      }
      break;
    case FAULT_500:
      soup_server_message_set_status (msg, 500, NULL);
      break;
    case FAULT_503_RETRY_AFTER:
      soup_server_message_set_status (msg, 503, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "7");
      break;
    case FAULT_MALFORMED_JSON:
      soup_server_message_set_status (msg, 201, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{\"id\": \"", 8);
      break;
    case FAULT_WRONG_CONTENT:
      soup_server_message_set_status (msg, 201, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, "<html>proxy</html>", 18);
      break;
    case FAULT_HANG:
      soup_server_message_pause (msg);
      g_ptr_array_add (fake->hung, g_object_ref (msg));
      break;
    case FAULT_CUT:
      {
        /* Take the socket from libsoup and write a truncated answer. */
        g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
        const char *partial = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                              "Content-Length: 200\r\n\r\n{\"id\":\"";

        g_output_stream_write_all (g_io_stream_get_output_stream (stream), partial, strlen (partial),
                                   NULL, NULL, NULL);
        g_io_stream_close (stream, NULL, NULL);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static Faulty *
faulty_new (Fault fault)
{
  Faulty *fake = g_new0 (Faulty, 1);

  fake->fault = fault;
  fake->hung = g_ptr_array_new_with_free_func (g_object_unref);
  fake->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fake->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fake->server, NULL, faulty_handler, fake, NULL);
  g_assert_true (soup_server_listen_local (fake->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, NULL));
  return fake;
}

static char *
faulty_url (Faulty *fake)
{
  GSList *uris = soup_server_get_uris (fake->server);
  char *url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));

  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return url;
}

static void
faulty_free (Faulty *fake)
{
  for (guint i = 0; i < fake->hung->len; i++)
    soup_server_message_unpause (g_ptr_array_index (fake->hung, i));
  g_ptr_array_unref (fake->hung);
  g_hash_table_unref (fake->clients);
  g_clear_object (&fake->session);
  soup_server_disconnect (fake->server);
  g_object_unref (fake->server);
  g_free (fake->upstream);
  g_free (fake);
}

/* Every fault: the run fails with a reason, and nothing is marked synced. */
static void
test_faults_keep_everything (Fixture      *f,
                             gconstpointer data)
{
  const Fault faults[] = { FAULT_500, FAULT_503_RETRY_AFTER, FAULT_MALFORMED_JSON, FAULT_WRONG_CONTENT,
                           FAULT_HANG, FAULT_CUT };
  g_autofree char *id = commit (f, "Greco", TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      Faulty *fake = faulty_new (faults[i]);
      g_autofree char *url = faulty_url (fake);
      g_autoptr(SpSyncEngine) engine = demo_engine (f->store, url);
      g_autoptr(GError) error = NULL;
      g_autofree char *status = NULL;

      sp_sync_engine_set_timeout (engine, 1);
      error = sync_once (engine);
      g_assert_nonnull (error);
      g_assert_true (error->domain == SP_SYNC_ERROR);
      g_assert_nonnull (sp_sync_engine_get_last_error (engine));
      g_assert_cmpint (sp_store_outbox_waiting (f->store), ==, 2);
      status = sp_test_status_word (f->store, id);
      g_assert_cmpstr (status, ==, "pending");
      faulty_free (fake);
    }
}

/* Central commits, the answer is lost: the retry gets central's stored
 * answer for the same key, and central keeps exactly one row. */
static void
test_lost_answer_no_duplicate (Fixture      *f,
                               gconstpointer data)
{
  g_autofree char *id = commit (f, "Santoro", TRUE);
  Faulty *fake = faulty_new (FAULT_LOSE_ANSWER);
  g_autofree char *fake_url = faulty_url (fake);
  g_autoptr(SpSyncEngine) lossy = NULL;
  g_autoptr(SpSyncEngine) direct = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL, *status = NULL;

  start_central (f);
  fake->upstream = g_strdup (f->url);
  lossy = demo_engine (f->store, fake_url);
  direct = demo_engine (f->store, f->url);
  error = sync_once (lossy);
  g_assert_nonnull (error);
  g_assert_cmpuint (fake->lost, ==, 1);
  g_assert_cmpint (sp_store_outbox_waiting (f->store), ==, 2);
  /* The link is fine again: the same key, central's stored answer. */
  g_assert_null (sync_once (direct));
  status = sp_test_status_word (f->store, id);
  g_assert_cmpstr (status, ==, "active");
  count = central_sql (f, "SELECT COUNT(*) FROM issuances");
  g_assert_cmpstr (count, ==, "1");
  faulty_free (fake);
}

/* A queue drains on a few keep-alive connections, not one connection per
 * issuance: libsoup opens a new connection for any POST it does not know
 * to be idempotent, which halved the drain rate. */
static void
test_keep_alive (Fixture      *f,
                 gconstpointer data)
{
  Faulty *fake = faulty_new (FAULT_NONE);
  g_autofree char *fake_url = faulty_url (fake);
  g_autoptr(SpSyncEngine) engine = NULL;
  g_autofree char *count = NULL;
  const char *surnames[] = { "Rossi", "Bianchi", "Greco", "Conti", "Marino" };

  for (guint i = 0; i < 150; i++)
    {
      g_autoptr(SpIssuance) is = new_issuance (surnames[i % G_N_ELEMENTS (surnames)], TRUE);

      g_assert_true (sp_store_commit_issuance (f->store, is, NULL, "demo", NULL));
    }
  start_central (f);
  fake->upstream = g_strdup (f->url);
  engine = demo_engine (f->store, fake_url);
  g_assert_null (sync_once (engine));
  g_assert_cmpint (sp_store_outbox_waiting (f->store), ==, 0);
  count = central_sql (f, "SELECT COUNT(*) FROM issuances");
  g_assert_cmpstr (count, ==, "150");
  g_assert_cmpuint (fake->requests, >=, 151);   /* the login, 150 issuances, the feed */
  g_assert_cmpuint (g_hash_table_size (fake->clients), <=, 64);
  faulty_free (fake);
}

/* A feed that says "more" but never moves its cursor ends the run with a
 * reason instead of pulling for ever. */
static void
test_stuck_feed_ends (Fixture      *f,
                      gconstpointer data)
{
  Faulty *fake = faulty_new (FAULT_STUCK_FEED);
  g_autofree char *url = faulty_url (fake);
  g_autoptr(SpSyncEngine) engine = demo_engine (f->store, url);
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;

  error = sync_once (engine);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "does not advance"));
  g_assert_cmpuint (fake->requests, <=, 4);   /* the login and two pages */
  cursor = sp_store_get_cursor (f->store);
  g_assert_cmpstr (cursor, ==, "7");
  faulty_free (fake);
}

static int
run_tool (const char  *stdin_text,
          char       **out,
          ...)
{
  g_autofree char *exe = g_build_filename (g_getenv ("SP_BUILD_ROOT"), "src", "tool", "sportello-tool", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;
  const char *arg;

  g_ptr_array_add (argv, exe);
  va_start (args, out);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char *const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                            | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, stdin_text, NULL, out, NULL, &error));
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (proc);
}

static void
test_tool_sync (Fixture      *f,
                gconstpointer data)
{
  g_autofree char *id = commit (f, "Parisi", TRUE);
  g_autofree char *before = NULL, *after = NULL;

  g_assert_cmpint (run_tool (NULL, &before, "sync", "status", "--store", f->dir, "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (before, "\"waiting\" : 2"));
  start_central (f);
  g_assert_cmpint (run_tool ("demo\n", &after, "sync", "now", "--store", f->dir, "--central", f->url,
                             "--user", "demo", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (after, "\"waiting\" : 0"));
  g_assert_nonnull (strstr (after, "\"online\" : true"));
}

/* A self-signed central: refused unless the sede's CA is configured. */
static void
test_tls_fails_closed (Fixture      *f,
                       gconstpointer data)
{
  g_autofree char *cert = g_build_filename (f->dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (f->dir, "key.pem", NULL);
  g_autofree char *cmd = g_strdup_printf ("openssl req -x509 -newkey rsa:2048 -nodes -keyout '%s' -out '%s'"
                                          " -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1"
                                          " >/dev/null 2>&1", key, cert);
  g_autofree char *id = commit (f, "Villa", TRUE);
  g_autoptr(SpSyncEngine) untrusting = NULL;
  g_autoptr(SpSyncEngine) trusting = NULL;
  g_autoptr(GError) refused = NULL;

  g_assert_cmpint (system (cmd), ==, 0);
  start_central_tls (f, 0, cert, key);
  g_assert_true (g_str_has_prefix (f->url, "https://"));
  untrusting = demo_engine (f->store, f->url);
  refused = sync_once (untrusting);
  g_assert_error (refused, SP_SYNC_ERROR, SP_SYNC_ERROR_UNREACHABLE);
  g_assert_cmpint (sp_store_outbox_waiting (f->store), ==, 2);
  trusting = demo_engine (f->store, f->url);
  g_assert_true (sp_sync_engine_set_ca_file (trusting, cert, NULL));
  g_assert_null (sync_once (trusting));
  g_assert_cmpint (sp_store_outbox_waiting (f->store), ==, 0);
}

int
main (int argc, char **argv)
{
  g_autoptr(SpPin) pin = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  pin = sp_pin_generate ();
  verifier = sp_pin_make_verifier (pin, NULL);
  g_test_add ("/sync/offline-then-drain", Fixture, NULL, setup, test_offline_then_drain, teardown);
  g_test_add ("/sync/void-reaches-central", Fixture, NULL, setup, test_void_reaches_central, teardown);
  g_test_add ("/sync/refused-is-parked", Fixture, NULL, setup, test_refused_is_parked, teardown);
  g_test_add ("/sync/central-restart-relogin", Fixture, NULL, setup, test_central_restart_relogin, teardown);
  g_test_add ("/sync/two-workstations", Fixture, NULL, setup, test_two_workstations, teardown);
  g_test_add ("/sync/retries-until-central-is-back", Fixture, NULL, setup, test_retries_until_central_is_back, teardown);
  g_test_add ("/sync/return-noticed-within-5-s", Fixture, NULL, setup, test_return_noticed_within_5_s, teardown);
  g_test_add ("/sync/faults-keep-everything", Fixture, NULL, setup, test_faults_keep_everything, teardown);
  g_test_add ("/sync/lost-answer-no-duplicate", Fixture, NULL, setup, test_lost_answer_no_duplicate, teardown);
  g_test_add ("/sync/stuck-feed-ends", Fixture, NULL, setup, test_stuck_feed_ends, teardown);
  g_test_add ("/sync/keep-alive", Fixture, NULL, setup, test_keep_alive, teardown);
  g_test_add ("/sync/tool-sync", Fixture, NULL, setup, test_tool_sync, teardown);
  g_test_add ("/sync/tls-fails-closed", Fixture, NULL, setup, test_tls_fails_closed, teardown);
  g_test_add ("/sync/expired-cursor-resyncs", Fixture, NULL, setup, test_expired_cursor_resyncs, teardown);
  g_test_add ("/sync/clock-skew", Fixture, NULL, setup, test_clock_skew, teardown);
  g_test_add ("/sync/central-killed-mid-push", Fixture, NULL, setup, test_central_killed_mid_push, teardown);
  ret = g_test_run ();
  g_free (verifier);
  return ret;
}
