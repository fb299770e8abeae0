/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The workstation context against the real sportello-central on
 * loopback: an issuance is decided by its own request (answered, frozen
 * with SIGSTOP, refused with a 500), a later confirmation reaches the
 * state by a signal, the offline login, a void that fails is not
 * dropped, and the envelope's text follows central's answer. */
#include <cairo-pdf.h>
#include <gio/gio.h>
#include <poppler.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "sp-codice-fiscale.h"
#include "sp-context.h"
#include "sp-envelope.h"
#include "sp-print-layout.h"
#include "sp-test-central.h"
#include "../sp-test-status.h"

/* poppler-glib 22 has no autoptr cleanups of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)


typedef struct {
  char *dir;
  SpTestCentral *central;
  SpContext *ctx;
  guint changes;       /* issuances-changed signals seen */
} Fixture;

static void
sql (const char *path,
     const char *statement)
{
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_exec (db, statement, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static char *
sql_text (const char *path,
          const char *query)
{
  sqlite3 *db;
  sqlite3_stmt *s;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, query, -1, &s, NULL), ==, SQLITE_OK);
  if (sqlite3_step (s) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (s, 0));
  sqlite3_finalize (s);
  sqlite3_close (db);
  return value;
}

/* Central answers 500 to every registration: a runtime SQL error (an
 * integer overflow) in the insert, as a failing disk would give. */
static void
break_central (Fixture *f)
{
  sql (f->central->db, "CREATE TRIGGER fail BEFORE INSERT ON issuances"
                      " BEGIN SELECT abs (-9223372036854775807 - 1); END;");
}

static void
repair_central (Fixture *f)
{
  sql (f->central->db, "DROP TRIGGER fail");
}

static void
on_changed (SpContext *ctx,
            Fixture   *f)
{
  f->changes++;
}

static void
setup (Fixture      *f,
       gconstpointer data)
{
  g_autofree char *ws = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("sp-context-XXXXXX", NULL);
  f->central = sp_test_central_new (f->dir, 5);
  ws = g_build_filename (f->dir, "ws", NULL);
  f->ctx = sp_context_new (ws, f->central->url, NULL, "ws-test", &error);
  g_assert_no_error (error);
  g_signal_connect (f->ctx, "issuances-changed", G_CALLBACK (on_changed), f);
}

static void
teardown (Fixture      *f,
          gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_clear_object (&f->ctx);
  sp_test_central_free (f->central);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

/* ---- running verbs to their end ---- */

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
  /* Bounded: a verb that never ends fails the test instead of hanging. */
  gint64 until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (*slot == NULL && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (*slot);
  return *slot;
}

static gboolean
log_in (Fixture    *f,
        const char *user,
        const char *password,
        GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sp_context_log_in_async (f->ctx, user, password, NULL, on_done, &result);
  return sp_context_log_in_finish (f->ctx, wait_result (&result), error);
}

static SpIssuance *
new_issuance (const char *surname)
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
  is->document = sp_document_new ();
  is->document->type = SP_DOCUMENT_CIE;
  is->document->number = g_strdup ("CA12345AB");
  is->document->issuer = g_strdup ("Comune di Milano");
  g_date_set_dmy (&is->document->issued_on, 1, 2, 2020);
  g_date_set_dmy (&is->document->expires_on, 1, 2, 2030);
  is->attested_in_person = TRUE;
  return is;
}

static SpIssued *
issue (Fixture    *f,
       const char *surname,
       GError    **error)
{
  g_autoptr(SpIssuance) is = new_issuance (surname);
  g_autoptr(GPtrArray) scans = g_ptr_array_new ();
  SpStoreScan mv35 = { SP_ATTACHMENT_MV35, g_bytes_new_static ("%PDF-1.4 modulo %%EOF", 21) };
  g_autoptr(GAsyncResult) result = NULL;
  SpIssued *issued;

  g_ptr_array_add (scans, &mv35);
  sp_context_issue_async (f->ctx, is, scans, NULL, on_done, &result);
  issued = sp_context_issue_finish (f->ctx, wait_result (&result), error);
  g_bytes_unref (mv35.pdf);
  return issued;
}

static cairo_status_t
append (void                *closure,
        const unsigned char *data,
        unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* The envelope as it would print, read back (in memory only). */
static char *
envelope_text (const SpIssued *issued)
{
  GByteArray *out = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append, out, SP_A4_WIDTH, SP_A4_HEIGHT);
  cairo_t *cr = cairo_create (surface);
  SpEnvelopeOptions options = { SP_ENVELOPE_LAYOUT_A4_DL, "Milano Nord", "Via Mac Mahon 4, 20155 Milano", 0, 0 };
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(PopplerDocument) doc = NULL;
  g_autoptr(PopplerPage) page = NULL;

  sp_envelope_draw (cr, issued->issuance, issued->pin, &options);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  pdf = g_byte_array_free_to_bytes (out);
  doc = poppler_document_new_from_bytes (pdf, NULL, NULL);
  g_assert_nonnull (doc);
  page = poppler_document_get_page (doc, 0);
  return poppler_page_get_text (page);
}

static void
assert_envelope_active (const SpIssued *issued,
                        gboolean        active)
{
  g_autofree char *text = envelope_text (issued);

  if (active)
    {
      g_assert_nonnull (strstr (text, "already active"));
      g_assert_null (strstr (text, "Not active yet"));
    }
  else
    {
      g_assert_nonnull (strstr (text, "Not active yet"));
      g_assert_null (strstr (text, "already active"));
    }
}

static char *
stored_body (Fixture    *f,
             const char *id)
{
  g_autofree char *path = g_build_filename (f->dir, "ws", "store.db", NULL);
  g_autofree char *q = g_strdup_printf ("SELECT body FROM issuances WHERE id = '%s'", id);

  return sql_text (path, q);
}

static gint64
queued (Fixture    *f,
        const char *id,
        const char *kind)
{
  g_autofree char *path = g_build_filename (f->dir, "ws", "store.db", NULL);
  g_autofree char *q = g_strdup_printf ("SELECT count(*) FROM outbox WHERE target = '%s' AND kind = '%s'", id, kind);
  g_autofree char *n = sql_text (path, q);

  return g_ascii_strtoll (n, NULL, 10);
}

static char *
central_status (Fixture    *f,
                const char *id)
{
  g_autofree char *q = g_strdup_printf ("SELECT status FROM issuances WHERE id = '%s'", id);

  return sp_test_central_sql (f->central, q);
}

/* ---- the cases ---- */

static void
test_online (Fixture      *f,
             gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpIssued) issued = NULL;
  g_autofree char *at_central = NULL;
  g_autofree char *body = NULL;
  g_autofree char *local = NULL;

  g_assert_true (log_in (f, "demo", "demo", &error));
  g_assert_no_error (error);
  g_assert_false (sp_context_get_offline_session (f->ctx));
  g_assert_cmpstr (sp_context_get_operator (f->ctx)->sede, ==, "0700");
  issued = issue (f, "Esposito", &error);
  g_assert_no_error (error);
  g_assert_cmpint (issued->state, ==, SP_ISSUED_ACTIVE);
  g_assert_false (issued->issuance->offline);
  g_assert_nonnull (issued->pin);
  at_central = central_status (f, issued->issuance->id);
  g_assert_cmpstr (at_central, ==, "active");
  local = sp_test_status_word (sp_context_get_store (f->ctx), issued->issuance->id);
  g_assert_cmpstr (local, ==, "active");
  g_assert_cmpint (sp_context_issuance_state (f->ctx, issued->issuance->id), ==, SP_ISSUED_ACTIVE);
  body = stored_body (f, issued->issuance->id);
  g_assert_nonnull (strstr (body, "\"offline\":false"));
  /* Its own request, not the queue: the issuance entry is gone, the scan
   * waits for the engine. */
  g_assert_cmpint (queued (f, issued->issuance->id, "issuance"), ==, 0);
  assert_envelope_active (issued, TRUE);
}

static void
test_frozen_then_confirmed (Fixture      *f,
                            gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpIssued) issued = NULL;
  g_autofree char *body = NULL;
  gint64 start, elapsed_ms, until;
  const guint timeout_ms = 1500;

  g_assert_true (log_in (f, "demo", "demo", &error));
  g_object_set (f->ctx, "issue-timeout-ms", timeout_ms, "sync-interval-seconds", 3600, NULL);
  /* Frozen at the moment the operator presses "Rilascia". */
  g_subprocess_send_signal (f->central->process, SIGSTOP);
  start = g_get_monotonic_time ();
  issued = issue (f, "Ferrari", &error);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_assert_no_error (error);
  g_assert_cmpint (issued->state, ==, SP_ISSUED_OFFLINE);
  g_assert_nonnull (issued->why_offline);
  /* The decision is the request's own deadline (plus the verifier and
   * the commit, slow on a busy machine), not a run of the queue. */
  g_assert_cmpint (elapsed_ms, >=, timeout_ms);
  g_assert_cmpint (elapsed_ms, <, timeout_ms + 8000);
  g_assert_true (issued->issuance->offline);
  body = stored_body (f, issued->issuance->id);
  g_assert_nonnull (strstr (body, "\"offline\":true"));
  assert_envelope_active (issued, FALSE);

  /* Central comes back: the queue's run confirms it, and the signal says so. */
  f->changes = 0;
  g_subprocess_send_signal (f->central->process, SIGCONT);
  sp_sync_engine_kick (sp_context_get_engine (f->ctx));
  until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  /* Until the signal came and, read then, the state says active. */
  while ((f->changes == 0 || sp_context_issuance_state (f->ctx, issued->issuance->id) != SP_ISSUED_ACTIVE)
         && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  if (sp_context_issuance_state (f->ctx, issued->issuance->id) != SP_ISSUED_ACTIVE)
    {
      g_autofree char *st = sp_test_status_word (sp_context_get_store (f->ctx), issued->issuance->id);
      g_autofree char *cs = central_status (f, issued->issuance->id);
      g_test_message ("engine: %s local %s central %s queued %d", sp_sync_engine_get_last_error (sp_context_get_engine (f->ctx)),
                      st, cs, (int) queued (f, issued->issuance->id, "issuance"));
    }
  g_assert_cmpint (sp_context_issuance_state (f->ctx, issued->issuance->id), ==, SP_ISSUED_ACTIVE);
  g_assert_cmpuint (f->changes, >, 0);
}

static void
test_server_error (Fixture      *f,
                   gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpIssued) issued = NULL;
  g_autoptr(SpIssued) refused = NULL;
  g_autofree char *local = NULL;
  g_autofree char *at_central = NULL;

  g_assert_true (log_in (f, "demo", "demo", &error));
  g_object_set (f->ctx, "sync-interval-seconds", 3600, NULL);
  break_central (f);
  issued = issue (f, "Romano", &error);
  g_assert_no_error (error);
  g_assert_cmpint (issued->state, ==, SP_ISSUED_OFFLINE);
  g_test_message ("why offline: %s", issued->why_offline);
  g_assert_nonnull (strstr (issued->why_offline, "500"));
  assert_envelope_active (issued, FALSE);

  /* The sede forbids offline issuance: the PIN is voided, never queued. */
  g_object_set (f->ctx, "allow-offline-issuance", FALSE, NULL);
  refused = issue (f, "Colombo", &error);
  g_assert_null (refused);
  g_assert_error (error, SP_CONTEXT_ERROR, SP_CONTEXT_ERROR_OFFLINE_REFUSED);
}

static void
test_refused_is_voided_not_pushed (Fixture      *f,
                                   gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpStore) probe = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  SpStoreIssuanceRow *row;
  g_autofree char *at_central = NULL;

  g_assert_true (log_in (f, "demo", "demo", &error));
  g_object_set (f->ctx, "allow-offline-issuance", FALSE, "sync-interval-seconds", 3600, NULL);
  break_central (f);
  g_assert_null (issue (f, "Ricci", &error));
  g_assert_error (error, SP_CONTEXT_ERROR, SP_CONTEXT_ERROR_OFFLINE_REFUSED);
  rows = sp_store_list_issuances (sp_context_get_store (f->ctx), NULL, NULL, NULL, 0);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpint (row->status, ==, SP_ISSUANCE_STATUS_VOIDED);
  g_assert_cmpint (queued (f, row->issuance->id, "issuance"), ==, 0);
  g_assert_cmpint (queued (f, row->issuance->id, "attachment"), ==, 0);

  /* Central works again: the queue drains and the PIN never reaches it. */
  repair_central (f);
  sp_sync_engine_kick (sp_context_get_engine (f->ctx));
  {
    gint64 until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

    while (queued (f, row->issuance->id, "void") > 0 && g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpint (queued (f, row->issuance->id, "void"), ==, 0);
  at_central = central_status (f, row->issuance->id);
  g_assert_null (at_central);

  /* The first try, held up somewhere, reaches central after the void's
   * 404: the void left a tombstone, so it is refused (410) and the PIN on
   * the voided envelope never becomes active. */
  {
    const char *id = row->issuance->id;
    SpCentralClient *client = sp_sync_engine_get_client (sp_context_get_engine (f->ctx));
    g_autofree char *body = stored_body (f, id);
    g_autofree char *tombstone = NULL;
    g_autofree char *q = g_strdup_printf ("SELECT fingerprint FROM idempotency WHERE key = '%s'", id);
    g_autoptr(GAsyncResult) result = NULL;
    SpIssuanceStatus status;

    tombstone = sp_test_central_sql (f->central, q);
    g_assert_cmpstr (tombstone, ==, "void-before-registration");
    g_clear_error (&error);
    sp_central_client_register_issuance_async (client, id, body, NULL, on_done, &result);
    g_assert_false (sp_central_client_register_issuance_finish (client, wait_result (&result), id, &status,
                                                                &error));
    g_assert_error (error, SP_SYNC_ERROR, SP_SYNC_ERROR_REFUSED);
    g_test_message ("late registration: %s", error->message);
    g_free (at_central);
    at_central = central_status (f, id);
    g_assert_null (at_central);
  }
}

static void
test_void_failure_not_dropped (Fixture      *f,
                               gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *store_db = g_build_filename (f->dir, "ws", "store.db", NULL);
  g_autoptr(GPtrArray) rows = NULL;
  SpStoreIssuanceRow *row;
  g_autofree char *at_central = NULL;
  gint64 until;

  g_assert_true (log_in (f, "demo", "demo", &error));
  g_object_set (f->ctx, "allow-offline-issuance", FALSE, "sync-interval-seconds", 3600, NULL);
  break_central (f);
  /* The workstation cannot write the void. */
  sql (store_db, "CREATE TRIGGER novoid BEFORE UPDATE ON issuances WHEN NEW.status = 'voided'"
                 " BEGIN SELECT RAISE (ABORT, 'disk full'); END;");
  g_assert_null (issue (f, "Gallo", &error));
  g_assert_error (error, SP_CONTEXT_ERROR, SP_CONTEXT_ERROR_VOID_FAILED);
  g_assert_nonnull (strstr (error->message, "disk full"));
  rows = sp_store_list_issuances (sp_context_get_store (f->ctx), NULL, NULL, NULL, 0);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpint (row->status, ==, SP_ISSUANCE_STATUS_PENDING);

  /* Central works again and the queue runs: the PIN nobody holds is
   * still not pushed to supersede anything. */
  repair_central (f);
  f->changes = 0;
  sp_sync_engine_kick (sp_context_get_engine (f->ctx));
  until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (!sp_sync_engine_get_online (sp_context_get_engine (f->ctx)) && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (sp_sync_engine_get_online (sp_context_get_engine (f->ctx)));
  at_central = central_status (f, row->issuance->id);
  g_assert_null (at_central);
  g_assert_cmpint (queued (f, row->issuance->id, "issuance"), ==, 1);
}

/* The envelope did not print: the PIN is voided, and central learns it. */
static void
test_void_after_print_failure (Fixture      *f,
                               gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpIssued) issued = NULL;
  g_autoptr(GAsyncResult) voided = NULL;
  g_autofree char *at_central = NULL;
  gint64 until;

  g_assert_true (log_in (f, "demo", "demo", &error));
  issued = issue (f, "Lombardi", &error);
  g_assert_no_error (error);
  g_assert_cmpint (issued->state, ==, SP_ISSUED_ACTIVE);
  sp_context_void_async (f->ctx, issued, "printer jammed", NULL, on_done, &voided);
  g_assert_null (issued->pin);   /* wiped at once */
  g_assert_true (sp_context_void_finish (f->ctx, wait_result (&voided), &error));
  g_assert_no_error (error);
  until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  do
    {
      g_clear_pointer (&at_central, g_free);
      g_main_context_iteration (NULL, FALSE);
      at_central = central_status (f, issued->issuance->id);
    }
  while (g_strcmp0 (at_central, "voided") != 0 && g_get_monotonic_time () < until
         && (g_main_context_iteration (NULL, TRUE), TRUE));
  g_assert_cmpstr (at_central, ==, "voided");
}

static void
test_offline_login (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) wrong = NULL;

  g_assert_true (log_in (f, "demo", "demo", &error));
  sp_context_log_out (f->ctx);
  g_assert_null (sp_context_get_operator (f->ctx));
  sp_test_central_stop (f->central);
  g_assert_false (log_in (f, "demo", "wrong", &wrong));
  g_assert_error (wrong, SP_CONTEXT_ERROR, SP_CONTEXT_ERROR_CREDENTIALS);
  g_assert_true (log_in (f, "demo", "demo", &error));
  g_assert_no_error (error);
  g_assert_true (sp_context_get_offline_session (f->ctx));
  g_assert_cmpstr (sp_context_get_operator (f->ctx)->sede, ==, "0700");
}

static void
on_reauthenticated (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
reauthenticate (Fixture    *f,
                const char *password,
                GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sp_context_reauthenticate_async (f->ctx, password, NULL, on_reauthenticated, &result);
  return sp_context_reauthenticate_finish (f->ctx, wait_result (&result), error);
}

static void
wait_reachable (Fixture *f)
{
  gint64 until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!sp_context_get_central_reachable (f->ctx) && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (sp_context_get_central_reachable (f->ctx));
}

/* No password is kept after an offline login: when central answers
 * again the context says so, the operator re-authenticates in the same
 * session (a wrong password changes nothing), and the queue drains. */
static void
test_offline_then_reauthenticate (Fixture      *f,
                                  gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpIssued) issued = NULL;
  g_autofree char *at_central = NULL;
  const SpOperator *op;

  g_assert_true (log_in (f, "demo", "demo", &error));
  sp_context_log_out (f->ctx);
  sp_test_central_stop (f->central);
  g_object_set (f->ctx, "sync-interval-seconds", 1, NULL);
  g_assert_true (log_in (f, "demo", "demo", &error));
  g_assert_true (sp_context_get_offline_session (f->ctx));
  op = sp_context_get_operator (f->ctx);
  issued = issue (f, "Lombardi", &error);
  g_assert_no_error (error);
  g_assert_cmpint (issued->state, ==, SP_ISSUED_OFFLINE);
  g_assert_false (sp_context_get_central_reachable (f->ctx));
  /* Not before central is back. */
  g_assert_false (reauthenticate (f, "demo", &error));
  g_assert_error (error, SP_SYNC_ERROR, SP_SYNC_ERROR_UNREACHABLE);
  g_clear_error (&error);
  g_assert_true (sp_context_get_offline_session (f->ctx));

  sp_test_central_restart (f->central);
  wait_reachable (f);
  g_assert_false (reauthenticate (f, "wrong", &error));
  g_assert_error (error, SP_CONTEXT_ERROR, SP_CONTEXT_ERROR_CREDENTIALS);
  g_clear_error (&error);
  g_assert_true (sp_context_get_offline_session (f->ctx));
  g_assert_true (reauthenticate (f, "demo", &error));
  g_assert_no_error (error);
  /* The same session, online now: nobody was logged out. */
  g_assert_true (sp_context_get_operator (f->ctx) == op);
  g_assert_false (sp_context_get_offline_session (f->ctx));
  g_assert_false (sp_context_get_central_reachable (f->ctx));
  {
    gint64 until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

    while (sp_context_issuance_state (f->ctx, issued->issuance->id) != SP_ISSUED_ACTIVE
           && g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, TRUE);
  }
  at_central = central_status (f, issued->issuance->id);
  g_assert_cmpstr (at_central, ==, "active");
}

static void
test_lookup_writes_back (Fixture      *f,
                         gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cf = sp_test_central_sql (f->central, "SELECT cf FROM citizens LIMIT 1");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) again = NULL;
  g_autoptr(SpCitizenLookup) found = NULL;
  g_autoptr(SpCitizenLookup) cached = NULL;

  g_assert_nonnull (cf);
  g_assert_true (log_in (f, "demo", "demo", &error));
  sp_context_look_up_citizen_async (f->ctx, cf, NULL, on_done, &result);
  found = sp_context_look_up_citizen_finish (f->ctx, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (found->record);
  g_assert_cmpstr (found->person->cf, ==, cf);
  g_assert_false (found->from_cache);
  /* Central gone: the cache answers. */
  sp_test_central_stop (f->central);
  sp_context_look_up_citizen_async (f->ctx, cf, NULL, on_done, &again);
  cached = sp_context_look_up_citizen_finish (f->ctx, wait_result (&again), &error);
  g_assert_no_error (error);
  g_assert_true (cached->from_cache);
  g_assert_nonnull (cached->central_error);
  g_assert_cmpstr (cached->person->cf, ==, cf);
}

static SpCitizenSearch *
search (Fixture    *f,
        const char *surname,
        GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sp_context_search_async (f->ctx, surname, NULL, 50, NULL, on_done, &result);
  return sp_context_search_finish (f->ctx, wait_result (&result), error);
}

static char *
cfs_of (SpCitizenSearch *s)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < s->found->len; i++)
    g_string_append_printf (out, "%s ", ((SpCitizenLookup *) g_ptr_array_index (s->found, i))->person->cf);
  return g_string_free (out, FALSE);
}

/* A signal is delivered asynchronously: wait until the kernel says the
 * process is stopped ("T" in /proc/PID/stat), bounded. */
static void
wait_stopped (GSubprocess *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (process));
  gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < until)
    {
      g_autofree char *stat = NULL;
      const char *end;

      if (g_file_get_contents (path, &stat, NULL, NULL) && (end = strrchr (stat, ')')) && end[1] == ' '
          && end[2] == 'T')
        return;
      g_usleep (10000);
    }
  g_assert_not_reached ();
}

/* Issue 15: by surname at central, written back; the cache when central
 * is gone, and when it does not answer in time. */
static void
test_search_falls_back_to_the_cache (Fixture      *f,
                                     gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *surname = sp_test_central_sql (f->central, "SELECT surname FROM citizens ORDER BY cf LIMIT 1");
  g_autofree char *count = sp_test_central_sql (f->central, "SELECT COUNT(*) FROM citizens WHERE surname ="
                                                            " (SELECT surname FROM citizens ORDER BY cf LIMIT 1)");
  g_autoptr(SpCitizenSearch) online = NULL;
  g_autoptr(SpCitizenSearch) gone = NULL;
  g_autoptr(SpCitizenSearch) frozen = NULL;
  g_autofree char *online_cfs = NULL;
  g_autofree char *gone_cfs = NULL;
  g_autofree char *frozen_cfs = NULL;
  g_autofree char *upper = NULL;
  gint64 t0;

  g_assert_true (log_in (f, "demo", "demo", &error));
  upper = g_utf8_strup (surname, -1);
  online = search (f, upper, &error);
  g_assert_no_error (error);
  g_assert_false (online->from_cache);
  g_assert_null (online->central_error);
  g_assert_cmpuint (online->found->len, ==, g_ascii_strtoull (count, NULL, 10));
  g_assert_nonnull (((SpCitizenLookup *) g_ptr_array_index (online->found, 0))->record);
  online_cfs = cfs_of (online);
  /* Central gone: the same citizens, from the cache the search filled. */
  g_subprocess_send_signal (f->central->process, SIGSTOP);
  wait_stopped (f->central->process);
  t0 = g_get_monotonic_time ();
  frozen = search (f, surname, &error);
  g_assert_no_error (error);
  g_assert_true (frozen->from_cache);
  g_assert_error (frozen->central_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - t0, >=, SP_CONTEXT_SEARCH_TIMEOUT_MS * 900);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, SP_CONTEXT_SEARCH_TIMEOUT_MS * 1000 + 5 * G_USEC_PER_SEC);
  g_subprocess_send_signal (f->central->process, SIGCONT);
  sp_test_central_stop (f->central);
  gone = search (f, surname, &error);
  g_assert_no_error (error);
  g_assert_true (gone->from_cache);
  g_assert_nonnull (gone->central_error);
  gone_cfs = cfs_of (gone);
  g_assert_cmpstr (gone_cfs, ==, online_cfs);
  frozen_cfs = cfs_of (frozen);
  g_assert_cmpstr (frozen_cfs, ==, online_cfs);
}

static void
test_revocation (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpIssued) issued = NULL;
  g_autoptr(GAsyncResult) requested = NULL;
  g_autoptr(GAsyncResult) self_approved = NULL;
  g_autoptr(GAsyncResult) approved = NULL;
  g_autofree char *id = NULL;
  g_autofree char *at_central = NULL;
  g_autofree char *sessions = NULL;
  g_autofree char *q = NULL;

  g_assert_true (log_in (f, "demo", "demo", &error));
  issued = issue (f, "Bruno", &error);
  g_assert_no_error (error);
  g_assert_cmpint (issued->state, ==, SP_ISSUED_ACTIVE);
  /* The operator files the request with his own session. */
  sp_context_request_revocation_async (f->ctx, issued->issuance->cf, "lost", NULL, on_done, &requested);
  id = sp_context_request_revocation_finish (f->ctx, wait_result (&requested), &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  /* Four eyes: the requester cannot approve his own request. */
  sp_context_approve_revocation_async (f->ctx, id, issued->issuance->cf, "demo", "demo", NULL, on_done,
                                       &self_approved);
  g_assert_false (sp_context_approve_revocation_finish (f->ctx, wait_result (&self_approved), &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  at_central = central_status (f, issued->issuance->id);
  g_assert_cmpstr (at_central, ==, "active");
  g_clear_pointer (&at_central, g_free);
  /* A supervisor approves with her own credentials, in a session closed after. */
  sp_context_approve_revocation_async (f->ctx, id, issued->issuance->cf, "super", "super", NULL, on_done,
                                       &approved);
  g_assert_true (sp_context_approve_revocation_finish (f->ctx, wait_result (&approved), &error));
  g_assert_no_error (error);
  at_central = central_status (f, issued->issuance->id);
  g_assert_cmpstr (at_central, ==, "revoked");
  q = g_strdup ("SELECT COUNT(*) FROM sessions s JOIN operators o ON o.id = s.operator_id"
                " WHERE o.username = 'super'");
  sessions = sp_test_central_sql (f->central, q);
  g_assert_cmpstr (sessions, ==, "0");
  /* The operator's own session is untouched. */
  g_assert_cmpstr (sp_context_get_operator (f->ctx)->id, ==, "demo");
}

/* The issue step made the PIN and its verifier ahead: the verb takes
 * them (central holds the verifier of the very PIN on the envelope); a
 * discard wipes one that was never used, and the next issue makes its
 * own. While the request is in flight the engine starts no wave. */
static void
wait_prepared (SpContext *ctx)
{
  gint64 until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!sp_context_has_prepared (ctx) && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (sp_context_has_prepared (ctx));
}

static void
test_prepared_ahead (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpIssued) first = NULL;
  g_autoptr(SpIssued) second = NULL;
  g_autofree char *q = NULL;
  g_autofree char *verifier = NULL;

  g_assert_true (log_in (f, "demo", "demo", &error));
  sp_context_prepare_issue (f->ctx);
  wait_prepared (f->ctx);
  first = issue (f, "Esposito", &error);
  g_assert_no_error (error);
  g_assert_cmpint (first->state, ==, SP_ISSUED_ACTIVE);
  /* Taken, not kept for another request. */
  g_assert_false (sp_context_has_prepared (f->ctx));
  q = g_strdup_printf ("SELECT verifier FROM issuances WHERE id = '%s'", first->issuance->id);
  verifier = sp_test_central_sql (f->central, q);
  g_assert_true (sp_pin_check_verifier (verifier, sp_pin_peek (first->pin)));
  /* Abandoned: wiped; the issue that follows makes its own PIN. */
  sp_context_prepare_issue (f->ctx);
  wait_prepared (f->ctx);
  sp_context_discard_prepared (f->ctx);
  g_assert_false (sp_context_has_prepared (f->ctx));
  second = issue (f, "Russo", &error);
  g_assert_no_error (error);
  g_assert_cmpint (second->state, ==, SP_ISSUED_ACTIVE);
  g_assert_cmpstr (sp_pin_peek (second->pin), !=, sp_pin_peek (first->pin));
  /* Asked for while it is still being made: the issue waits for it. */
  sp_context_prepare_issue (f->ctx);
  g_clear_pointer (&first, sp_issued_free);
  first = issue (f, "Ferrari", &error);
  g_assert_no_error (error);
  g_assert_cmpint (first->state, ==, SP_ISSUED_ACTIVE);
  g_assert_false (sp_context_has_prepared (f->ctx));
  /* Logging out wipes a PIN made ahead. */
  sp_context_prepare_issue (f->ctx);
  wait_prepared (f->ctx);
  sp_context_log_out (f->ctx);
  g_assert_false (sp_context_has_prepared (f->ctx));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define CASE(path, fn) g_test_add (path, Fixture, NULL, setup, fn, teardown)
  CASE ("/context/issue/online", test_online);
  CASE ("/context/issue/frozen-then-confirmed", test_frozen_then_confirmed);
  CASE ("/context/issue/prepared-ahead", test_prepared_ahead);
  CASE ("/context/issue/server-error", test_server_error);
  CASE ("/context/issue/refused-is-voided-not-pushed", test_refused_is_voided_not_pushed);
  CASE ("/context/issue/void-failure-not-dropped", test_void_failure_not_dropped);
  CASE ("/context/issue/void-after-print-failure", test_void_after_print_failure);
  CASE ("/context/login/offline", test_offline_login);
  CASE ("/context/login/offline-then-reauthenticate", test_offline_then_reauthenticate);
  CASE ("/context/citizen/lookup-writes-back", test_lookup_writes_back);
  CASE ("/context/citizen/search-falls-back-to-the-cache", test_search_falls_back_to_the_cache);
  CASE ("/context/revocation/two-steps", test_revocation);
  return g_test_run ();
}
