/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The issuer without a screen, against the real sportello-central on
 * loopback: a request with a step still wrong is refused before anything
 * is committed; a complete one (fields typed as at the counter, scans
 * attached) is issued, active at central, with its scans stored. */
#include <gio/gio.h>
#include <string.h>

#include "sp-codice-fiscale.h"
#include "sp-issuer.h"
#include "sp-test-central.h"

typedef struct {
  char *dir;
  SpTestCentral *central;
  SpContext *ctx;
} Fixture;

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

static void
setup (Fixture      *f,
       gconstpointer data)
{
  g_autofree char *ws = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  f->dir = g_dir_make_tmp ("sp-issuer-XXXXXX", NULL);
  f->central = sp_test_central_new (f->dir, 5);
  ws = g_build_filename (f->dir, "ws", NULL);
  f->ctx = sp_context_new (ws, f->central->url, NULL, "ws-test", &error);
  g_assert_no_error (error);
  sp_context_log_in_async (f->ctx, "demo", "demo", NULL, on_done, &result);
  g_assert_true (sp_context_log_in_finish (f->ctx, wait_result (&result), &error));
  g_assert_no_error (error);
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

/* What the operator types for an adult at the counter, with a CIE. */
static SpRequest *
typed_request (void)
{
  SpRequest *r = sp_request_new ();
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4 scan %%EOF", 19);
  g_autoptr(GArray) kinds = NULL;
  GDate born;
  g_autofree char *cf = NULL;

  g_date_clear (&born, 1);
  g_date_set_dmy (&born, 9, 4, 1970);
  cf = sp_cf_compute ("Esposito", "Matteo", 'M', &born, "F205");
  sp_request_set_text (r, SP_REQUEST_FIELD_CITIZEN_CF, cf);
  sp_request_set_role (r, SP_ROLE_SELF);
  sp_request_set_text (r, SP_REQUEST_FIELD_CITIZEN_SURNAME, "Esposito");
  sp_request_set_text (r, SP_REQUEST_FIELD_CITIZEN_NAME, "Matteo");
  sp_request_set_text (r, SP_REQUEST_FIELD_CITIZEN_SEX, "M");
  sp_request_set_text (r, SP_REQUEST_FIELD_CITIZEN_BIRTH_DATE, "09/04/1970");
  sp_request_set_text (r, SP_REQUEST_FIELD_CITIZEN_BIRTH_PLACE, "F205");
  sp_request_set_document_type (r, SP_DOCUMENT_CIE);
  sp_request_set_text (r, SP_REQUEST_FIELD_DOC_NUMBER, "CA12345AB");
  sp_request_set_text (r, SP_REQUEST_FIELD_DOC_ISSUER, "Comune di Milano");
  sp_request_set_text (r, SP_REQUEST_FIELD_DOC_ISSUED_ON, "01/02/2020");
  sp_request_set_text (r, SP_REQUEST_FIELD_DOC_EXPIRES_ON, "01/02/2099");
  kinds = sp_request_required_attachments (r);
  for (guint i = 0; i < kinds->len; i++)
    sp_request_set_attachment (r, g_array_index (kinds, guint, i), pdf, 1);
  for (SpRequestField a = SP_REQUEST_FIELD_FIRST_ATTESTATION; a <= SP_REQUEST_FIELD_LAST_ATTESTATION; a++)
    sp_request_set_flag (r, a, TRUE);
  return r;
}

static SpIssued *
issue (Fixture   *f,
       SpRequest *r,
       GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sp_issuer_issue_async (f->ctx, r, NULL, on_done, &result);
  return sp_issuer_issue_finish (f->ctx, wait_result (&result), error);
}

static guint
stored_issuances (Fixture *f)
{
  g_autoptr(GPtrArray) rows = sp_store_list_issuances (sp_context_get_store (f->ctx), NULL, NULL, NULL, 0);

  return rows->len;
}

static void
test_incomplete_refused (Fixture      *f,
                         gconstpointer data)
{
  g_autoptr(SpRequest) r = typed_request ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SpIssued) issued = NULL;

  /* One attestation not ticked, then an expired document: each refused
   * before anything is committed or sent. */
  sp_request_set_flag (r, SP_REQUEST_FIELD_ATTEST_PRIVACY, FALSE);
  issued = issue (f, r, &error);
  g_assert_null (issued);
  g_assert_error (error, SP_ISSUER_ERROR, SP_ISSUER_ERROR_INCOMPLETE);
  g_clear_error (&error);
  sp_request_set_flag (r, SP_REQUEST_FIELD_ATTEST_PRIVACY, TRUE);
  sp_request_set_text (r, SP_REQUEST_FIELD_DOC_EXPIRES_ON, "01/01/2021");
  issued = issue (f, r, &error);
  g_assert_null (issued);
  g_assert_error (error, SP_ISSUER_ERROR, SP_ISSUER_ERROR_INCOMPLETE);
  g_assert_cmpuint (stored_issuances (f), ==, 0);
  {
    g_autofree char *n = sp_test_central_sql (f->central, "SELECT count(*) FROM issuances");

    g_assert_cmpstr (n, ==, "0");
  }
}

static void
test_complete_issued (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr(SpRequest) r = typed_request ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SpIssued) issued = issue (f, r, &error);
  g_autofree char *q = NULL;
  g_autofree char *at_central = NULL;
  g_autoptr(GArray) kinds = sp_request_required_attachments (r);

  g_assert_no_error (error);
  g_assert_nonnull (issued);
  g_assert_cmpint (issued->state, ==, SP_ISSUED_ACTIVE);
  g_assert_nonnull (issued->pin);
  /* The issuance is what was typed. */
  g_assert_cmpstr (issued->issuance->cf, ==, sp_request_get_text (r, SP_REQUEST_FIELD_CITIZEN_CF));
  g_assert_cmpuint (g_date_get_year (&issued->issuance->document->expires_on), ==, 2099);
  g_assert_true (issued->issuance->attested_in_person);
  q = g_strdup_printf ("SELECT status FROM issuances WHERE id = '%s'", issued->issuance->id);
  at_central = sp_test_central_sql (f->central, q);
  g_assert_cmpstr (at_central, ==, "active");
  g_assert_cmpuint (stored_issuances (f), ==, 1);
  /* Every scan the role required is in the store, sealed. */
  for (guint i = 0; i < kinds->len; i++)
    {
      g_autoptr(GBytes) scan = sp_store_read_scan (sp_context_get_store (f->ctx), issued->issuance->id,
                                                   g_array_index (kinds, guint, i), &error);

      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (scan), ==, 19);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/issuer/incomplete-refused", Fixture, NULL, setup, test_incomplete_refused, teardown);
  g_test_add ("/issuer/complete-issued", Fixture, NULL, setup, test_complete_issued, teardown);
  return g_test_run ();
}
