/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "sp-issuance.h"
#include "sp-secret.h"

static char *verifier;

static SpIssuance *
sample (void)
{
  SpIssuance *is = sp_issuance_new ();

  is->cf = g_strdup ("MRTMTT25D09F205Z");
  is->issued_at = g_date_time_new_utc (2026, 11, 22, 10, 15, 30.250);
  is->clock_skew_ms = -1200;
  is->sede = g_strdup ("0700");
  is->operator_id = g_strdup ("mrossi");
  is->workstation = g_strdup ("ws-01");
  is->verifier = g_strdup (verifier);
  is->citizen = sp_person_new ();
  is->citizen->cf = g_strdup (is->cf);
  is->citizen->surname = g_strdup ("Moretti");
  is->citizen->name = g_strdup ("Matteo");
  is->citizen->sex = 'M';
  g_date_set_dmy (&is->citizen->birth_date, 9, 4, 1925);
  is->citizen->birth_place = g_strdup ("F205");
  is->citizen->residence = g_new0 (SpAddress, 1);
  is->citizen->residence->street = g_strdup ("Via Roma 1");
  is->citizen->residence->postcode = g_strdup ("20100");
  is->citizen->residence->city = g_strdup ("Milano");
  is->citizen->residence->province = g_strdup ("MI");
  is->citizen->email = g_strdup ("m.moretti@example.org");
  is->role = SP_ROLE_SELF;
  is->document = sp_document_new ();
  is->document->type = SP_DOCUMENT_CIE;
  is->document->number = g_strdup ("CA12345AB");
  is->document->issuer = g_strdup ("Comune di Milano");
  g_date_set_dmy (&is->document->issued_on, 1, 2, 2020);
  g_date_set_dmy (&is->document->expires_on, 9, 4, 2031);
  g_ptr_array_add (is->attachments, sp_attachment_ref_new (SP_ATTACHMENT_MV35,
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 1234));
  is->attested_in_person = TRUE;
  return is;
}

static void
test_round_trip (void)
{
  g_autoptr(SpIssuance) a = sample ();
  g_autofree char *json = sp_issuance_to_string (a);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpIssuance) b = sp_issuance_from_string (json, -1, &error);
  g_autofree char *json2 = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (b);
  json2 = sp_issuance_to_string (b);
  g_assert_cmpstr (json, ==, json2);
  g_assert_cmpstr (b->id, ==, a->id);
  g_assert_cmpstr (b->citizen->residence->city, ==, "Milano");
  g_assert_cmpint (b->clock_skew_ms, ==, -1200);
  g_assert_true (g_date_time_equal (a->issued_at, b->issued_at));
  g_assert_nonnull (strstr (json, "\"issued_at\":\"2026-11-22T10:15:30.250Z\""));
  g_assert_nonnull (strstr (json, "\"operator\":\"mrossi\""));
}

/* Replaces one member (dotted path) of the sample's JSON and parses it. */
static void
assert_rejected (const char *path,
                 JsonNode   *value,
                 int         code,
                 const char *named)
{
  g_autoptr(SpIssuance) a = sample ();
  g_autoptr(JsonNode) root = sp_issuance_to_json (a);
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *object = json_node_get_object (root);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpIssuance) b = NULL;
  guint n = g_strv_length (parts);

  for (guint i = 0; i + 1 < n; i++)
    object = json_object_get_object_member (object, parts[i]);
  if (value != NULL)
    json_object_set_member (object, parts[n - 1], value);
  else
    json_object_remove_member (object, parts[n - 1]);
  b = sp_issuance_from_json (root, &error);
  g_assert_null (b);
  g_assert_error (error, SP_ISSUANCE_ERROR, code);
  g_assert_nonnull (strstr (error->message, named));
}

static void
test_field_errors (void)
{
  assert_rejected ("verifier", NULL, SP_ISSUANCE_ERROR_MISSING_FIELD, "verifier");
  assert_rejected ("document.number", json_node_init_int (json_node_alloc (), 12),
                   SP_ISSUANCE_ERROR_WRONG_TYPE, "document.number");
  assert_rejected ("citizen.birth_date", json_node_init_string (json_node_alloc (), "1925-02-30"),
                   SP_ISSUANCE_ERROR_INVALID_VALUE, "citizen.birth_date");
  assert_rejected ("id", json_node_init_string (json_node_alloc (), "42"),
                   SP_ISSUANCE_ERROR_INVALID_VALUE, "id");
  assert_rejected ("verifier", json_node_init_string (json_node_alloc (), "$argon2id$plain"),
                   SP_ISSUANCE_ERROR_INVALID_VALUE, "verifier");
  assert_rejected ("applicant.role", json_node_init_string (json_node_alloc (), "delegato"),
                   SP_ISSUANCE_ERROR_INVALID_VALUE, "applicant.role");
  assert_rejected ("applicant.role", json_node_init_string (json_node_alloc (), "tutore"),
                   SP_ISSUANCE_ERROR_INVALID_VALUE, "applicant.person");
  assert_rejected ("issued_at", json_node_init_string (json_node_alloc (), "yesterday"),
                   SP_ISSUANCE_ERROR_INVALID_VALUE, "issued_at");
  assert_rejected ("offline", json_node_init_string (json_node_alloc (), "no"),
                   SP_ISSUANCE_ERROR_WRONG_TYPE, "offline");
  /* Strict: case, enums, lengths, ranges. */
  assert_rejected ("id", json_node_init_string (json_node_alloc (), "0B0E7A5E-0000-4000-8000-000000000000"),
                   SP_ISSUANCE_ERROR_INVALID_VALUE, "id");
  assert_rejected ("kind", json_node_init_string (json_node_alloc (), "ordinario"),
                   SP_ISSUANCE_ERROR_INVALID_VALUE, "kind");
  assert_rejected ("workstation", json_node_init_int (json_node_alloc (), 7),
                   SP_ISSUANCE_ERROR_WRONG_TYPE, "workstation");
  assert_rejected ("clock_skew_ms", json_node_init_int (json_node_alloc (), G_MAXINT64),
                   SP_ISSUANCE_ERROR_INVALID_VALUE, "clock_skew_ms");
  {
    g_autofree char *long_name = g_strnfill (SP_ISSUANCE_MAX_STRING + 1, 'a');

    assert_rejected ("citizen.surname", json_node_init_string (json_node_alloc (), long_name),
                     SP_ISSUANCE_ERROR_INVALID_VALUE, "citizen.surname");
  }
  assert_rejected ("document.issuer", json_node_init_string (json_node_alloc (), "Roma\nx"),
                   SP_ISSUANCE_ERROR_INVALID_VALUE, "document.issuer");
}

static void
test_unknown_members_ignored (void)
{
  g_autoptr(SpIssuance) a = sample ();
  g_autoptr(JsonNode) root = sp_issuance_to_json (a);
  g_autoptr(SpIssuance) b = NULL;

  json_object_set_string_member (json_node_get_object (root), "future_field", "x");
  b = sp_issuance_from_json (root, NULL);
  g_assert_nonnull (b);
}

/* Found by fuzzing: json-glib passes "\345" through as a raw byte. */
static void
test_invalid_utf8_rejected (void)
{
  g_autoptr(SpIssuance) a = sample ();
  g_autofree char *json = sp_issuance_to_string (a);
  g_autofree char *bad = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpIssuance) b = NULL;
  char *at = strstr (json, "CA12345AB");

  g_assert_nonnull (at);
  bad = g_strdup_printf ("%.*sCA12\\345AB%s", (int) (at - json), json, at + 9);
  b = sp_issuance_from_string (bad, -1, &error);
  g_assert_null (b);
  g_assert_error (error, SP_ISSUANCE_ERROR, SP_ISSUANCE_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "document.number"));
}

static void
test_garbage (void)
{
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;

  g_assert_null (sp_issuance_from_string ("{\"id\":", -1, &e1));
  g_assert_nonnull (e1);
  g_assert_null (sp_issuance_from_string ("[1,2]", -1, &e2));
  g_assert_error (e2, SP_ISSUANCE_ERROR, SP_ISSUANCE_ERROR_WRONG_TYPE);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  verifier = sp_secret_hash ("ABCDEFGHJKMNPQRS", 16, NULL);
  g_test_add_func ("/issuance/round-trip", test_round_trip);
  g_test_add_func ("/issuance/field-errors", test_field_errors);
  g_test_add_func ("/issuance/unknown-members", test_unknown_members_ignored);
  g_test_add_func ("/issuance/garbage", test_garbage);
  g_test_add_func ("/issuance/invalid-utf8", test_invalid_utf8_rejected);
  ret = g_test_run ();
  g_free (verifier);
  return ret;
}
