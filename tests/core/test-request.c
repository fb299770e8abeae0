/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The request model without a screen: typed fields and their draft keys,
 * the checks of each step (codice fiscale, roles for minors and
 * representatives, the delegate refused, document dates, the MRZ,
 * attachments, attestations), drafts of older versions, and the one date
 * parser. */
#include <string.h>

#include "sp-codice-fiscale.h"
#include "sp-request.h"
#include "sp-status.h"

static GDate today;

/* A self request, complete up to the document step (an adult born in
 * Milan, a CIE in date). */
static SpRequest *
adult_request (void)
{
  SpRequest *r = sp_request_new ();
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
  sp_request_set_text (r, SP_REQUEST_FIELD_DOC_EXPIRES_ON, "2099-02-01");
  return r;
}

/* The fields a step's problems are about, in order. */
static GArray *
problem_fields (SpRequest *r,
                SpStep     step)
{
  g_autoptr(GPtrArray) problems = sp_request_check_step (r, step, &today);
  GArray *fields = g_array_new (FALSE, FALSE, sizeof (SpRequestField));

  for (guint i = 0; i < problems->len; i++)
    {
      SpProblem *p = g_ptr_array_index (problems, i);

      g_assert_nonnull (p->message);
      g_assert_cmpstr (p->message, !=, "");
      g_array_append_val (fields, p->field);
    }
  return fields;
}

static gboolean
has_problem (SpRequest      *r,
             SpStep          step,
             SpRequestField  field)
{
  g_autoptr(GArray) fields = problem_fields (r, step);

  for (guint i = 0; i < fields->len; i++)
    if (g_array_index (fields, SpRequestField, i) == field)
      return TRUE;
  return FALSE;
}

static void
test_field_keys (void)
{
  SpRequestField f;

  g_assert_cmpstr (sp_request_field_to_key (SP_REQUEST_FIELD_CITIZEN_CF), ==, "citizen.cf");
  g_assert_cmpstr (sp_request_field_to_key (SP_REQUEST_FIELD_REP_BIRTH_PLACE_NAME), ==, "rep.birth_place_name");
  g_assert_cmpstr (sp_request_field_to_key (SP_REQUEST_FIELD_ATTEST_PRIVACY), ==, "attest.privacy");
  g_assert_cmpstr (sp_request_field_to_key (SP_REQUEST_FIELD_WIZARD_STEP), ==, "wizard.step");
  /* Every field round-trips; an unknown key or "none" is no field. */
  for (guint i = SP_REQUEST_FIELD_NONE + 1; i < SP_REQUEST_N_FIELDS; i++)
    {
      g_assert_true (sp_request_field_from_key (sp_request_field_to_key (i), &f));
      g_assert_cmpint (f, ==, i);
    }
  g_assert_false (sp_request_field_from_key ("citizen.cff", &f));
  g_assert_false (sp_request_field_from_key ("none", &f));
  g_assert_false (sp_request_field_from_key (NULL, &f));
  /* The two people map onto their own fields. */
  g_assert_cmpint (sp_request_field_of (SP_PARTY_CITIZEN, SP_PERSON_FIELD_EMAIL), ==,
                   SP_REQUEST_FIELD_CITIZEN_EMAIL);
  g_assert_cmpint (sp_request_field_of (SP_PARTY_REPRESENTATIVE, SP_PERSON_FIELD_CF), ==,
                   SP_REQUEST_FIELD_REP_CF);
  g_assert_cmpint (sp_request_field_of (SP_PARTY_REPRESENTATIVE, SP_PERSON_FIELD_BIRTH_PLACE), ==,
                   SP_REQUEST_FIELD_REP_BIRTH_PLACE);
}

static void
on_changed (SpRequest      *r,
            SpRequestField  field,
            GArray         *seen)
{
  g_array_append_val (seen, field);
}

static void
test_typed_accessors (void)
{
  g_autoptr(SpRequest) r = sp_request_new ();
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (SpRequestField));
  SpApplicantRole role;
  SpDocumentType type;
  GDate d;

  g_assert_true (sp_request_is_empty (r));
  g_assert_false (sp_request_lookup_role (r, &role));
  g_assert_cmpint (sp_request_get_role (r), ==, SP_ROLE_SELF);
  g_assert_false (sp_request_lookup_document_type (r, &type));
  g_signal_connect (r, "changed", G_CALLBACK (on_changed), seen);
  sp_request_set_text (r, SP_REQUEST_FIELD_CITIZEN_SURNAME, "  Rossi ");
  g_assert_cmpstr (sp_request_get_text (r, SP_REQUEST_FIELD_CITIZEN_SURNAME), ==, "Rossi");
  /* The same text again is no change. */
  sp_request_set_text (r, SP_REQUEST_FIELD_CITIZEN_SURNAME, "Rossi");
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpint (g_array_index (seen, SpRequestField, 0), ==, SP_REQUEST_FIELD_CITIZEN_SURNAME);
  sp_request_set_role (r, SP_ROLE_TUTORE);
  g_assert_true (sp_request_lookup_role (r, &role));
  g_assert_cmpint (role, ==, SP_ROLE_TUTORE);
  g_assert_cmpstr (sp_request_get_text (r, SP_REQUEST_FIELD_ROLE), ==, "tutore");
  sp_request_set_document_type (r, SP_DOCUMENT_PASSAPORTO);
  g_assert_cmpint (sp_request_get_document_type (r), ==, SP_DOCUMENT_PASSAPORTO);
  sp_request_set_flag (r, SP_REQUEST_FIELD_ATTEST_INTACT, TRUE);
  g_assert_true (sp_request_get_flag (r, SP_REQUEST_FIELD_ATTEST_INTACT));
  g_assert_false (sp_request_get_flag (r, SP_REQUEST_FIELD_ATTEST_ORIGINAL));
  sp_request_set_text (r, SP_REQUEST_FIELD_DOC_EXPIRES_ON, "31/12/2031");
  g_assert_true (sp_request_get_date (r, SP_REQUEST_FIELD_DOC_EXPIRES_ON, &d));
  g_assert_cmpuint (g_date_get_year (&d), ==, 2031);
  sp_request_set_text (r, SP_REQUEST_FIELD_DOC_ISSUED_ON, "31/02/2020");
  g_assert_false (sp_request_get_date (r, SP_REQUEST_FIELD_DOC_ISSUED_ON, &d));
  g_assert_false (g_date_valid (&d));
  g_assert_cmpint (sp_request_get_wizard_step (r), ==, SP_REQUEST_STEP_CITIZEN);
  sp_request_set_wizard_step (r, SP_REQUEST_STEP_DOCUMENT);
  g_assert_cmpint (sp_request_get_wizard_step (r), ==, SP_REQUEST_STEP_DOCUMENT);
  g_assert_false (sp_request_is_empty (r));
}

static void
test_cf_checked (void)
{
  g_autoptr(SpRequest) r = sp_request_new ();
  g_autoptr(SpRequest) ok = adult_request ();

  g_assert_true (has_problem (r, SP_REQUEST_STEP_CITIZEN, SP_REQUEST_FIELD_CITIZEN_CF));
  sp_request_set_text (r, SP_REQUEST_FIELD_CITIZEN_CF, "RSSMRA80A01H501X");   /* wrong check letter */
  g_assert_true (has_problem (r, SP_REQUEST_STEP_CITIZEN, SP_REQUEST_FIELD_CITIZEN_CF));
  g_assert_true (sp_request_step_ok (ok, SP_REQUEST_STEP_CITIZEN, &today));
  g_assert_true (sp_request_step_ok (ok, SP_REQUEST_STEP_PERSONAL, &today));
  /* A code that describes someone else: the field it disagrees on says so. */
  sp_request_set_text (ok, SP_REQUEST_FIELD_CITIZEN_NAME, "Luca");
  g_assert_true (has_problem (ok, SP_REQUEST_STEP_PERSONAL, SP_REQUEST_FIELD_CITIZEN_NAME));
  sp_request_set_text (ok, SP_REQUEST_FIELD_CITIZEN_NAME, "Matteo");
  sp_request_set_text (ok, SP_REQUEST_FIELD_CITIZEN_BIRTH_PLACE, "XXXX");
  g_assert_true (has_problem (ok, SP_REQUEST_STEP_PERSONAL, SP_REQUEST_FIELD_CITIZEN_BIRTH_PLACE));
  sp_request_set_text (ok, SP_REQUEST_FIELD_CITIZEN_BIRTH_PLACE, "F205");
  sp_request_set_text (ok, SP_REQUEST_FIELD_CITIZEN_EMAIL, "not an address");
  g_assert_true (has_problem (ok, SP_REQUEST_STEP_PERSONAL, SP_REQUEST_FIELD_CITIZEN_EMAIL));
}

static void
set_citizen_born (SpRequest  *r,
                  const GDate *born)
{
  g_autofree char *cf = sp_cf_compute ("Bianchi", "Sara", 'F', born, "F205");
  g_autofree char *text = sp_date_to_display (born);

  sp_request_set_text (r, SP_REQUEST_FIELD_CITIZEN_CF, cf);
  sp_request_set_text (r, SP_REQUEST_FIELD_CITIZEN_SURNAME, "Bianchi");
  sp_request_set_text (r, SP_REQUEST_FIELD_CITIZEN_NAME, "Sara");
  sp_request_set_text (r, SP_REQUEST_FIELD_CITIZEN_SEX, "F");
  sp_request_set_text (r, SP_REQUEST_FIELD_CITIZEN_BIRTH_DATE, text);
  sp_request_set_text (r, SP_REQUEST_FIELD_CITIZEN_BIRTH_PLACE, "F205");
}

static void
test_minors_and_representatives (void)
{
  g_autoptr(SpRequest) r = adult_request ();
  GDate minor = today, parent_born;
  g_autofree char *parent_cf = NULL;
  g_autoptr(GArray) kinds = NULL;

  g_date_subtract_years (&minor, 10);
  set_citizen_born (r, &minor);
  /* A minor does not ask for himself (R4) … */
  g_assert_true (has_problem (r, SP_REQUEST_STEP_APPLICANT, SP_REQUEST_FIELD_ROLE));
  /* … a parent does, and must be described as the representative. */
  sp_request_set_role (r, SP_ROLE_PARENT);
  g_assert_true (sp_request_step_ok (r, SP_REQUEST_STEP_APPLICANT, &today));
  g_assert_true (has_problem (r, SP_REQUEST_STEP_PERSONAL, SP_REQUEST_FIELD_REP_CF));
  g_date_clear (&parent_born, 1);
  g_date_set_dmy (&parent_born, 9, 4, 1970);
  parent_cf = sp_cf_compute ("Esposito", "Matteo", 'M', &parent_born, "F205");
  sp_request_set_text (r, SP_REQUEST_FIELD_REP_CF, parent_cf);
  sp_request_set_text (r, SP_REQUEST_FIELD_REP_SURNAME, "Esposito");
  sp_request_set_text (r, SP_REQUEST_FIELD_REP_NAME, "Matteo");
  sp_request_set_text (r, SP_REQUEST_FIELD_REP_SEX, "M");
  sp_request_set_text (r, SP_REQUEST_FIELD_REP_BIRTH_DATE, "09/04/1970");
  sp_request_set_text (r, SP_REQUEST_FIELD_REP_BIRTH_PLACE, "F205");
  g_assert_true (sp_request_step_ok (r, SP_REQUEST_STEP_PERSONAL, &today));
  /* The parent's self-certification is required (and scanned last). */
  kinds = sp_request_required_attachments (r);
  g_assert_cmpuint (g_array_index (kinds, guint, kinds->len - 1), ==, SP_ATTACHMENT_PARENTAL_SELF_CERTIFICATION);
  /* "parent" for an adult is refused. */
  set_citizen_born (r, &parent_born);
  sp_request_set_text (r, SP_REQUEST_FIELD_REP_CF, sp_request_get_text (r, SP_REQUEST_FIELD_CITIZEN_CF));
  g_assert_true (has_problem (r, SP_REQUEST_STEP_APPLICANT, SP_REQUEST_FIELD_ROLE));
  /* The representative cannot be the citizen. */
  sp_request_set_role (r, SP_ROLE_TUTORE);
  g_assert_true (has_problem (r, SP_REQUEST_STEP_PERSONAL, SP_REQUEST_FIELD_REP_CF));
}

static void
test_delegate_refused (void)
{
  g_autoptr(SpRequest) r = adult_request ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GArray) kinds = NULL;

  sp_request_set_role (r, SP_ROLE_DELEGATO);
  problems = sp_request_check_step (r, SP_REQUEST_STEP_APPLICANT, &today);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpint (((SpProblem *) problems->pdata[0])->field, ==, SP_REQUEST_FIELD_ROLE);
  kinds = sp_request_required_attachments (r);
  g_assert_cmpuint (kinds->len, ==, 0);
  /* A role the operator never chose is a problem too. */
  sp_request_set_text (r, SP_REQUEST_FIELD_ROLE, "");
  g_assert_true (has_problem (r, SP_REQUEST_STEP_APPLICANT, SP_REQUEST_FIELD_ROLE));
}

static void
test_document_dates (void)
{
  g_autoptr(SpRequest) r = adult_request ();
  GDate yesterday = today, tomorrow = today;
  g_autofree char *past = NULL, *future = NULL;

  g_assert_true (sp_request_step_ok (r, SP_REQUEST_STEP_DOCUMENT, &today));
  g_date_subtract_days (&yesterday, 1);
  g_date_add_days (&tomorrow, 1);
  past = sp_date_to_display (&yesterday);
  future = sp_date_to_display (&tomorrow);
  /* Expired yesterday: refused, on the expiry field. */
  sp_request_set_text (r, SP_REQUEST_FIELD_DOC_EXPIRES_ON, past);
  g_assert_true (has_problem (r, SP_REQUEST_STEP_DOCUMENT, SP_REQUEST_FIELD_DOC_EXPIRES_ON));
  sp_request_set_text (r, SP_REQUEST_FIELD_DOC_EXPIRES_ON, "2099-01-01");
  /* Issued tomorrow: refused, on the issue field. */
  sp_request_set_text (r, SP_REQUEST_FIELD_DOC_ISSUED_ON, future);
  g_assert_true (has_problem (r, SP_REQUEST_STEP_DOCUMENT, SP_REQUEST_FIELD_DOC_ISSUED_ON));
  /* Not a date at all. */
  sp_request_set_text (r, SP_REQUEST_FIELD_DOC_ISSUED_ON, "ieri");
  g_assert_true (has_problem (r, SP_REQUEST_STEP_DOCUMENT, SP_REQUEST_FIELD_DOC_ISSUED_ON));
  sp_request_set_text (r, SP_REQUEST_FIELD_DOC_ISSUED_ON, "01/02/2020");
  /* A MRZ that does not parse is the MRZ's problem. */
  sp_request_set_text (r, SP_REQUEST_FIELD_DOC_MRZ, "not a MRZ");
  g_assert_true (has_problem (r, SP_REQUEST_STEP_DOCUMENT, SP_REQUEST_FIELD_DOC_MRZ));
}

static void
test_attachments_and_attestations (void)
{
  g_autoptr(SpRequest) r = adult_request ();
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4", 8);
  g_autoptr(GPtrArray) problems = sp_request_check_step (r, SP_REQUEST_STEP_ATTACHMENTS, &today);
  g_autoptr(GArray) kinds = sp_request_required_attachments (r);

  /* A CIE has a back: MV35, front, back, each named when missing. */
  g_assert_cmpuint (problems->len, ==, 3);
  for (guint i = 0; i < problems->len; i++)
    {
      SpProblem *p = problems->pdata[i];

      g_assert_cmpint (p->field, ==, SP_REQUEST_FIELD_NONE);
      g_assert_cmpint (p->attachment, ==, g_array_index (kinds, guint, i));
    }
  for (guint i = 0; i < kinds->len; i++)
    sp_request_set_attachment (r, g_array_index (kinds, guint, i), pdf, 1);
  g_assert_true (sp_request_step_ok (r, SP_REQUEST_STEP_ATTACHMENTS, &today));
  g_assert_false (sp_request_step_ok (r, SP_REQUEST_STEP_SUMMARY, &today));
  for (SpRequestField f = SP_REQUEST_FIELD_FIRST_ATTESTATION; f <= SP_REQUEST_FIELD_LAST_ATTESTATION; f++)
    {
      g_assert_true (sp_request_field_is_attestation (f));
      g_assert_true (has_problem (r, SP_REQUEST_STEP_SUMMARY, f));
      sp_request_set_flag (r, f, TRUE);
    }
  g_assert_true (sp_request_step_ok (r, SP_REQUEST_STEP_SUMMARY, &today));
  {
    g_autoptr(SpIssuance) is = sp_request_build_issuance (r);

    g_assert_true (is->attested_in_person);
    g_assert_cmpstr (is->citizen->surname, ==, "Esposito");
    g_assert_cmpint (is->citizen->sex, ==, 'M');
    g_assert_cmpuint (g_date_get_year (&is->citizen->birth_date), ==, 1970);
    g_assert_cmpstr (is->document->number, ==, "CA12345AB");
    g_assert_cmpuint (g_date_get_year (&is->document->expires_on), ==, 2099);
    g_assert_null (is->representative);
  }
}

/* A draft written by the version with string keys (the same JSON). */
static const char old_draft[] =
  "{\"attest.original\":\"1\",\"citizen.birth_date\":\"09/04/1970\","
  "\"citizen.birth_place\":\"F205\",\"citizen.birth_place_name\":\"Milano (MI)\","
  "\"citizen.cf\":\"SPSMTT70D09F205J\",\"citizen.name\":\"Matteo\",\"citizen.sex\":\"M\","
  "\"citizen.surname\":\"Esposito\",\"doc.type\":\"cie\",\"role\":\"self\",\"wizard.step\":\"3\","
  "\"citizen.nickname\":\"a key no version has\",\"citizen.phone\":7}";

static void
test_old_draft_loads (void)
{
  g_autoptr(SpRequest) r = sp_request_new ();
  g_autoptr(SpRequest) again = sp_request_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;

  g_assert_true (sp_request_load_draft (r, old_draft, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sp_request_get_text (r, SP_REQUEST_FIELD_CITIZEN_SURNAME), ==, "Esposito");
  g_assert_cmpstr (sp_request_get_text (r, SP_REQUEST_FIELD_CITIZEN_BIRTH_PLACE_NAME), ==, "Milano (MI)");
  g_assert_cmpint (sp_request_get_role (r), ==, SP_ROLE_SELF);
  g_assert_true (sp_request_get_flag (r, SP_REQUEST_FIELD_ATTEST_ORIGINAL));
  g_assert_cmpint (sp_request_get_wizard_step (r), ==, SP_REQUEST_STEP_DOCUMENT);
  /* Not a string: not taken. */
  g_assert_cmpstr (sp_request_get_text (r, SP_REQUEST_FIELD_CITIZEN_PHONE), ==, "");
  /* Saved again, the same keys come back and nothing unknown. */
  saved = sp_request_to_draft (r);
  g_assert_nonnull (strstr (saved, "\"citizen.cf\":\"SPSMTT70D09F205J\""));
  g_assert_null (strstr (saved, "nickname"));
  g_assert_true (sp_request_load_draft (again, saved, &error));
  for (guint i = SP_REQUEST_FIELD_NONE + 1; i < SP_REQUEST_N_FIELDS; i++)
    g_assert_cmpstr (sp_request_get_text (again, i), ==, sp_request_get_text (r, i));
  /* Not a draft: an error, and the request keeps what it had. */
  g_assert_false (sp_request_load_draft (again, "[1,2]", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (sp_request_load_draft (again, "{\"citizen.cf\":", &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (sp_request_get_text (again, SP_REQUEST_FIELD_CITIZEN_SURNAME), ==, "Esposito");
}

static void
test_one_date_parser (void)
{
  GDate d;
  g_autofree char *iso = NULL;
  g_autofree char *shown = NULL;

  g_assert_true (sp_date_parse ("2024-02-29", SP_DATE_ISO, &d));
  iso = sp_date_to_iso (&d);
  g_assert_cmpstr (iso, ==, "2024-02-29");
  g_assert_true (sp_date_parse ("9/4/1970", SP_DATE_DISPLAY, &d));
  shown = sp_date_to_display (&d);
  g_assert_cmpstr (shown, ==, "09/04/1970");
  g_assert_true (sp_date_parse ("09/04/1970", SP_DATE_ANY, &d));
  g_assert_true (sp_date_parse ("1970-04-09", SP_DATE_ANY, &d));
  /* Each format only where asked for. */
  g_assert_false (sp_date_parse ("09/04/1970", SP_DATE_ISO, &d));
  g_assert_false (sp_date_parse ("1970-04-09", SP_DATE_DISPLAY, &d));
  g_assert_false (g_date_valid (&d));
  /* Days that do not exist, signs, blanks, two-digit years, trailing text. */
  {
    const char *bad[] = { "2023-02-29", "31/04/2020", "-1/04/2020", " 9/04/2020", "09/04/70",
                          "09/04/19700", "2020-1-01", "2020-01-01x", "09/04/2020 ", "0/1/2020",
                          "2020-00-10", "", "//", "1/1/+202" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_assert_false (sp_date_parse (bad[i], SP_DATE_ANY, &d));
        g_assert_false (g_date_valid (&d));
      }
  }
  g_assert_false (sp_date_parse (NULL, SP_DATE_ANY, &d));
  g_assert_true (sp_date_parse_iso ("1999-12-31", &d));
}

static void
test_statuses (void)
{
  SpIssuanceStatus s;
  SpOutboxKind k;

  g_assert_cmpstr (sp_issuance_status_to_string (SP_ISSUANCE_STATUS_NEEDS_ATTENTION), ==, "needs_attention");
  g_assert_true (sp_issuance_status_from_string ("superseded", &s));
  g_assert_cmpint (s, ==, SP_ISSUANCE_STATUS_SUPERSEDED);
  g_assert_false (sp_issuance_status_from_string ("Active", &s));
  g_assert_false (sp_issuance_status_from_string (NULL, &s));
  g_assert_cmpstr (sp_outbox_kind_to_string (SP_OUTBOX_KIND_VOID), ==, "void");
  g_assert_true (sp_outbox_kind_from_string ("attachment", &k));
  g_assert_cmpint (k, ==, SP_OUTBOX_KIND_ATTACHMENT);
  g_assert_null (sp_issuance_status_to_string (99));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  g_test_add_func ("/request/field-keys", test_field_keys);
  g_test_add_func ("/request/typed-accessors", test_typed_accessors);
  g_test_add_func ("/request/cf", test_cf_checked);
  g_test_add_func ("/request/minors-and-representatives", test_minors_and_representatives);
  g_test_add_func ("/request/delegate-refused", test_delegate_refused);
  g_test_add_func ("/request/document-dates", test_document_dates);
  g_test_add_func ("/request/attachments-and-attestations", test_attachments_and_attestations);
  g_test_add_func ("/request/old-draft-loads", test_old_draft_loads);
  g_test_add_func ("/request/one-date-parser", test_one_date_parser);
  g_test_add_func ("/request/statuses", test_statuses);
  return g_test_run ();
}
