/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-core"

#include "config.h"

#include <string.h>

#include "sp-issuance.h"
#include "sp-secret.h"

G_DEFINE_QUARK (sp-issuance-error-quark, sp_issuance_error)

/* ---- reading: every accessor names the field in its error ---- */

static char *
field_path (const char *parent,
            const char *name)
{
  return parent && *parent ? g_strconcat (parent, ".", name, NULL) : g_strdup (name);
}

static gboolean
missing (JsonObject *object,
         const char *parent,
         const char *name,
         gboolean    required,
         GError    **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    return FALSE;
  if (required)
    {
      g_autofree char *path = field_path (parent, name);
      g_set_error (error, SP_ISSUANCE_ERROR, SP_ISSUANCE_ERROR_MISSING_FIELD,
                   "%s is required", path);
    }
  return TRUE;
}

static gboolean
wrong_type (const char *parent,
            const char *name,
            const char *type,
            GError    **error)
{
  g_autofree char *path = field_path (parent, name);

  g_set_error (error, SP_ISSUANCE_ERROR, SP_ISSUANCE_ERROR_WRONG_TYPE,
               "%s must be %s", path, type);
  return FALSE;
}

static gboolean
invalid (const char *parent,
         const char *name,
         const char *why,
         GError    **error)
{
  g_autofree char *path = field_path (parent, name);

  g_set_error (error, SP_ISSUANCE_ERROR, SP_ISSUANCE_ERROR_INVALID_VALUE,
               "%s: %s", path, why);
  return FALSE;
}

/* Reads an optional or required string; *out stays NULL when absent. */
static gboolean
read_string (JsonObject *object,
             const char *parent,
             const char *name,
             gboolean    required,
             char      **out,
             GError    **error)
{
  JsonNode *node;
  const char *value;

  if (missing (object, parent, name, required, error))
    return !required;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return wrong_type (parent, name, "a string", error);
  value = json_node_get_string (node);
  if (required && *value == '\0')
    return invalid (parent, name, "must not be empty", error);
  /* Every field of a record is short: a bound keeps a 256 KiB name out
   * of the registry, the logs and the printed forms. */
  if (strlen (value) > SP_ISSUANCE_MAX_STRING)
    return invalid (parent, name, "is too long", error);
  for (const char *p = value; *p; p++)
    if ((guchar) *p < 0x20)
      return invalid (parent, name, "must not contain control characters", error);
  /* json-glib's parser lets escapes like "\345" through as raw bytes
   * (found by fuzzing): check, or invalid UTF-8 would be stored. */
  if (!g_utf8_validate (value, -1, NULL))
    return invalid (parent, name, "must be valid UTF-8", error);
  g_free (*out);
  *out = g_strdup (value);
  return TRUE;
}

static gboolean
read_bool (JsonObject *object,
           const char *parent,
           const char *name,
           gboolean    required,
           gboolean   *out,
           GError    **error)
{
  JsonNode *node;

  if (missing (object, parent, name, required, error))
    return !required;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return wrong_type (parent, name, "a boolean", error);
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
read_int (JsonObject *object,
          const char *parent,
          const char *name,
          gboolean    required,
          gint64     *out,
          GError    **error)
{
  JsonNode *node;

  if (missing (object, parent, name, required, error))
    return !required;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return wrong_type (parent, name, "an integer", error);
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
read_date (JsonObject *object,
           const char *parent,
           const char *name,
           gboolean    required,
           GDate      *out,
           GError    **error)
{
  g_autofree char *text = NULL;

  g_date_clear (out, 1);
  if (!read_string (object, parent, name, required, &text, error))
    return FALSE;
  if (text != NULL && !sp_date_parse_iso (text, out))
    return invalid (parent, name, "must be a date YYYY-MM-DD", error);
  return TRUE;
}

static JsonObject *
read_object (JsonObject *object,
             const char *parent,
             const char *name,
             gboolean    required,
             GError    **error)
{
  JsonNode *node;

  if (missing (object, parent, name, required, error))
    return NULL;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      wrong_type (parent, name, "an object", error);
      return NULL;
    }
  return json_node_get_object (node);
}

/* ---- Address and Person ---- */

SpAddress *
sp_address_copy (const SpAddress *address)
{
  SpAddress *copy;

  if (address == NULL)
    return NULL;
  copy = g_new0 (SpAddress, 1);
  copy->street = g_strdup (address->street);
  copy->postcode = g_strdup (address->postcode);
  copy->city = g_strdup (address->city);
  copy->province = g_strdup (address->province);
  return copy;
}

void
sp_address_free (SpAddress *address)
{
  if (address == NULL)
    return;
  g_free (address->street);
  g_free (address->postcode);
  g_free (address->city);
  g_free (address->province);
  g_free (address);
}

static SpAddress *
address_from_json (JsonObject *object,
                   const char *path,
                   GError    **error)
{
  SpAddress *address = g_new0 (SpAddress, 1);

  if (!read_string (object, path, "street", TRUE, &address->street, error)
      || !read_string (object, path, "postcode", FALSE, &address->postcode, error)
      || !read_string (object, path, "city", TRUE, &address->city, error)
      || !read_string (object, path, "province", FALSE, &address->province, error))
    {
      sp_address_free (address);
      return NULL;
    }
  return address;
}

void
sp_json_add_string (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_date (JsonBuilder *b,
          const char  *name,
          const GDate *date)
{
  g_autofree char *iso = sp_date_to_iso (date);

  sp_json_add_string (b, name, iso);
}

static void
build_address (JsonBuilder     *b,
               const SpAddress *address)
{
  json_builder_begin_object (b);
  sp_json_add_string (b, "street", address->street);
  sp_json_add_string (b, "postcode", address->postcode);
  sp_json_add_string (b, "city", address->city);
  sp_json_add_string (b, "province", address->province);
  json_builder_end_object (b);
}

SpPerson *
sp_person_new (void)
{
  SpPerson *person = g_new0 (SpPerson, 1);

  g_date_clear (&person->birth_date, 1);
  return person;
}

SpPerson *
sp_person_copy (const SpPerson *person)
{
  SpPerson *copy;

  if (person == NULL)
    return NULL;
  copy = sp_person_new ();
  copy->cf = g_strdup (person->cf);
  copy->surname = g_strdup (person->surname);
  copy->name = g_strdup (person->name);
  copy->sex = person->sex;
  copy->birth_date = person->birth_date;
  copy->birth_place = g_strdup (person->birth_place);
  copy->residence = sp_address_copy (person->residence);
  copy->phone = g_strdup (person->phone);
  copy->email = g_strdup (person->email);
  return copy;
}

void
sp_person_free (SpPerson *person)
{
  if (person == NULL)
    return;
  g_free (person->cf);
  g_free (person->surname);
  g_free (person->name);
  g_free (person->birth_place);
  sp_address_free (person->residence);
  g_free (person->phone);
  g_free (person->email);
  g_free (person);
}

static void
build_person (JsonBuilder    *b,
              const SpPerson *person)
{
  char sex[2] = { person->sex, 0 };

  json_builder_begin_object (b);
  sp_json_add_string (b, "cf", person->cf);
  sp_json_add_string (b, "surname", person->surname);
  sp_json_add_string (b, "name", person->name);
  sp_json_add_string (b, "sex", person->sex ? sex : NULL);
  add_date (b, "birth_date", &person->birth_date);
  sp_json_add_string (b, "birth_place", person->birth_place);
  json_builder_set_member_name (b, "residence");
  if (person->residence != NULL)
    build_address (b, person->residence);
  else
    json_builder_add_null_value (b);
  sp_json_add_string (b, "phone", person->phone);
  sp_json_add_string (b, "email", person->email);
  json_builder_end_object (b);
}

JsonNode *
sp_person_to_json (const SpPerson *person)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (person != NULL, NULL);
  build_person (b, person);
  return json_builder_get_root (b);
}

static gboolean
read_sex (JsonObject *object,
          const char *path,
          char       *out,
          GError    **error)
{
  g_autofree char *sex = NULL;

  if (!read_string (object, path, "sex", TRUE, &sex, error))
    return FALSE;
  if (g_strcmp0 (sex, "M") != 0 && g_strcmp0 (sex, "F") != 0)
    return invalid (path, "sex", "must be \"M\" or \"F\"", error);
  *out = sex[0];
  return TRUE;
}

SpPerson *
sp_person_from_json (JsonNode   *node,
                     const char *field,
                     GError    **error)
{
  g_autoptr(SpPerson) person = NULL;
  JsonObject *object;
  JsonObject *residence;
  GError *local = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      wrong_type (NULL, field, "an object", error);
      return NULL;
    }
  object = json_node_get_object (node);
  person = sp_person_new ();
  if (!read_string (object, field, "cf", TRUE, &person->cf, error)
      || !read_string (object, field, "surname", TRUE, &person->surname, error)
      || !read_string (object, field, "name", TRUE, &person->name, error)
      || !read_sex (object, field, &person->sex, error)
      || !read_date (object, field, "birth_date", TRUE, &person->birth_date, error)
      || !read_string (object, field, "birth_place", TRUE, &person->birth_place, error)
      || !read_string (object, field, "phone", FALSE, &person->phone, error)
      || !read_string (object, field, "email", FALSE, &person->email, error))
    return NULL;
  residence = read_object (object, field, "residence", FALSE, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  if (residence != NULL)
    {
      g_autofree char *path = field_path (field, "residence");

      person->residence = address_from_json (residence, path, error);
      if (person->residence == NULL)
        return NULL;
    }
  return g_steal_pointer (&person);
}

/* ---- Attachments ---- */

SpAttachmentRef *
sp_attachment_ref_new (SpAttachmentKind kind,
                       const char      *sha256,
                       gint64           size)
{
  SpAttachmentRef *ref = g_new0 (SpAttachmentRef, 1);

  ref->kind = kind;
  ref->sha256 = g_strdup (sha256);
  ref->size = size;
  return ref;
}

void
sp_attachment_ref_free (SpAttachmentRef *ref)
{
  if (ref == NULL)
    return;
  g_free (ref->sha256);
  g_free (ref);
}

static gboolean
is_sha256_hex (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

static SpAttachmentRef *
attachment_from_json (JsonNode *node,
                      guint     index,
                      GError  **error)
{
  g_autofree char *path = g_strdup_printf ("attachments[%u]", index);
  g_autofree char *kind = NULL;
  g_autofree char *sha = NULL;
  SpAttachmentKind k;
  gint64 size = 0;
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      wrong_type (NULL, path, "an object", error);
      return NULL;
    }
  object = json_node_get_object (node);
  if (!read_string (object, path, "kind", TRUE, &kind, error)
      || !read_string (object, path, "sha256", TRUE, &sha, error)
      || !read_int (object, path, "size", TRUE, &size, error))
    return NULL;
  if (!sp_attachment_kind_from_string (kind, &k))
    {
      invalid (path, "kind", "unknown attachment kind", error);
      return NULL;
    }
  if (!is_sha256_hex (sha))
    {
      invalid (path, "sha256", "must be 64 lowercase hex digits", error);
      return NULL;
    }
  if (size <= 0)
    {
      invalid (path, "size", "must be positive", error);
      return NULL;
    }
  return sp_attachment_ref_new (k, sha, size);
}

/* ---- Issuance ---- */

SpIssuance *
sp_issuance_new (void)
{
  SpIssuance *issuance = g_new0 (SpIssuance, 1);

  issuance->id = sp_uuid_new ();
  issuance->kind = g_strdup ("dispositivo");
  issuance->role = SP_ROLE_SELF;
  issuance->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_attachment_ref_free);
  return issuance;
}

SpIssuance *
sp_issuance_copy (const SpIssuance *issuance)
{
  SpIssuance *copy;

  g_return_val_if_fail (issuance != NULL, NULL);

  copy = g_new0 (SpIssuance, 1);
  copy->id = g_strdup (issuance->id);
  copy->cf = g_strdup (issuance->cf);
  copy->issued_at = issuance->issued_at ? g_date_time_ref (issuance->issued_at) : NULL;
  copy->clock_skew_ms = issuance->clock_skew_ms;
  copy->sede = g_strdup (issuance->sede);
  copy->operator_id = g_strdup (issuance->operator_id);
  copy->workstation = g_strdup (issuance->workstation);
  copy->kind = g_strdup (issuance->kind);
  copy->offline = issuance->offline;
  copy->verifier = g_strdup (issuance->verifier);
  copy->citizen = sp_person_copy (issuance->citizen);
  copy->role = issuance->role;
  copy->representative = sp_person_copy (issuance->representative);
  copy->document = issuance->document ? sp_document_copy (issuance->document) : NULL;
  copy->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_attachment_ref_free);
  for (guint i = 0; issuance->attachments && i < issuance->attachments->len; i++)
    {
      const SpAttachmentRef *ref = g_ptr_array_index (issuance->attachments, i);
      g_ptr_array_add (copy->attachments, sp_attachment_ref_new (ref->kind, ref->sha256, ref->size));
    }
  copy->attested_in_person = issuance->attested_in_person;
  return copy;
}

void
sp_issuance_free (SpIssuance *issuance)
{
  if (issuance == NULL)
    return;
  g_free (issuance->id);
  g_free (issuance->cf);
  g_clear_pointer (&issuance->issued_at, g_date_time_unref);
  g_free (issuance->sede);
  g_free (issuance->operator_id);
  g_free (issuance->workstation);
  g_free (issuance->kind);
  g_free (issuance->verifier);
  sp_person_free (issuance->citizen);
  sp_person_free (issuance->representative);
  sp_document_free (issuance->document);
  g_clear_pointer (&issuance->attachments, g_ptr_array_unref);
  g_free (issuance);
}

static void
build_document (JsonBuilder      *b,
                const SpDocument *document)
{
  json_builder_begin_object (b);
  sp_json_add_string (b, "type", sp_document_type_to_string (document->type));
  sp_json_add_string (b, "number", document->number);
  sp_json_add_string (b, "issuer", document->issuer);
  add_date (b, "issued_on", &document->issued_on);
  add_date (b, "expires_on", &document->expires_on);
  json_builder_end_object (b);
}

JsonNode *
sp_issuance_to_json (const SpIssuance *issuance)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *issued_at = sp_datetime_to_iso (issuance->issued_at);

  g_return_val_if_fail (issuance != NULL, NULL);

  json_builder_begin_object (b);
  sp_json_add_string (b, "id", issuance->id);
  sp_json_add_string (b, "cf", issuance->cf);
  sp_json_add_string (b, "issued_at", issued_at);
  json_builder_set_member_name (b, "clock_skew_ms");
  json_builder_add_int_value (b, issuance->clock_skew_ms);
  sp_json_add_string (b, "sede", issuance->sede);
  sp_json_add_string (b, "operator", issuance->operator_id);
  sp_json_add_string (b, "workstation", issuance->workstation);
  sp_json_add_string (b, "kind", issuance->kind);
  json_builder_set_member_name (b, "offline");
  json_builder_add_boolean_value (b, issuance->offline);
  sp_json_add_string (b, "verifier", issuance->verifier);
  json_builder_set_member_name (b, "citizen");
  if (issuance->citizen)
    build_person (b, issuance->citizen);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "applicant");
  json_builder_begin_object (b);
  sp_json_add_string (b, "role", sp_applicant_role_to_string (issuance->role));
  json_builder_set_member_name (b, "person");
  if (issuance->representative)
    build_person (b, issuance->representative);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "document");
  if (issuance->document)
    build_document (b, issuance->document);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "attachments");
  json_builder_begin_array (b);
  for (guint i = 0; issuance->attachments && i < issuance->attachments->len; i++)
    {
      const SpAttachmentRef *ref = g_ptr_array_index (issuance->attachments, i);

      json_builder_begin_object (b);
      sp_json_add_string (b, "kind", sp_attachment_kind_to_string (ref->kind));
      sp_json_add_string (b, "sha256", ref->sha256);
      json_builder_set_member_name (b, "size");
      json_builder_add_int_value (b, ref->size);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "attested_in_person");
  json_builder_add_boolean_value (b, issuance->attested_in_person);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static SpDocument *
document_from_json (JsonObject *object,
                    GError    **error)
{
  g_autoptr(SpDocument) document = sp_document_new ();
  g_autofree char *type = NULL;

  if (!read_string (object, "document", "type", TRUE, &type, error))
    return NULL;
  if (!sp_document_type_from_string (type, &document->type))
    {
      invalid ("document", "type", "unknown document type", error);
      return NULL;
    }
  if (!read_string (object, "document", "number", TRUE, &document->number, error)
      || !read_string (object, "document", "issuer", TRUE, &document->issuer, error)
      || !read_date (object, "document", "issued_on", TRUE, &document->issued_on, error)
      || !read_date (object, "document", "expires_on", TRUE, &document->expires_on, error))
    return NULL;
  return g_steal_pointer (&document);
}

static gboolean
applicant_from_json (JsonObject *object,
                     SpIssuance *issuance,
                     GError    **error)
{
  g_autofree char *role = NULL;
  JsonNode *person;

  if (!read_string (object, "applicant", "role", TRUE, &role, error))
    return FALSE;
  if (!sp_applicant_role_from_string (role, &issuance->role))
    return invalid ("applicant", "role", "unknown role", error);
  if (issuance->role == SP_ROLE_DELEGATO)
    return invalid ("applicant", "role", "a delegate cannot request a PIN (R5)", error);
  person = json_object_get_member (object, "person");
  if (person != NULL && !JSON_NODE_HOLDS_NULL (person))
    {
      issuance->representative = sp_person_from_json (person, "applicant.person", error);
      if (issuance->representative == NULL)
        return FALSE;
    }
  else if (sp_applicant_role_needs_representative (issuance->role))
    return invalid ("applicant", "person", "required for this role", error);
  return TRUE;
}

static gboolean
attachments_from_json (JsonObject *object,
                       SpIssuance *issuance,
                       GError    **error)
{
  JsonNode *node = json_object_get_member (object, "attachments");
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (NULL, "attachments", "an array", error);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      SpAttachmentRef *ref = attachment_from_json (json_array_get_element (array, i), i, error);

      if (ref == NULL)
        return FALSE;
      g_ptr_array_add (issuance->attachments, ref);
    }
  return TRUE;
}

static gboolean
read_issued_at (JsonObject *object,
                SpIssuance *issuance,
                GError    **error)
{
  g_autofree char *text = NULL;

  if (!read_string (object, NULL, "issued_at", TRUE, &text, error))
    return FALSE;
  issuance->issued_at = sp_datetime_parse_iso (text);
  if (issuance->issued_at == NULL)
    return invalid (NULL, "issued_at", "must be an RFC 3339 date-time with offset", error);
  return TRUE;
}

static gboolean
issuance_fields_from_json (JsonObject *object,
                           SpIssuance *issuance,
                           GError    **error)
{
  JsonObject *child;
  GError *local = NULL;

  g_clear_pointer (&issuance->id, g_free);
  if (!read_string (object, NULL, "id", TRUE, &issuance->id, error))
    return FALSE;
  if (!sp_uuid_is_valid (issuance->id))
    return invalid (NULL, "id", "must be a UUID", error);
  /* One spelling per issuance: an upper-case copy would be a second key. */
  for (const char *p = issuance->id; *p; p++)
    if (g_ascii_isupper (*p))
      return invalid (NULL, "id", "must be a lower-case UUID", error);
  if (!read_string (object, NULL, "cf", TRUE, &issuance->cf, error)
      || !read_issued_at (object, issuance, error)
      || !read_int (object, NULL, "clock_skew_ms", FALSE, &issuance->clock_skew_ms, error)
      || !read_string (object, NULL, "sede", FALSE, &issuance->sede, error)
      || !read_string (object, NULL, "operator", FALSE, &issuance->operator_id, error)
      || !read_string (object, NULL, "workstation", FALSE, &issuance->workstation, error)
      || !read_string (object, NULL, "kind", FALSE, &issuance->kind, error)
      || !read_bool (object, NULL, "offline", FALSE, &issuance->offline, error)
      || !read_bool (object, NULL, "attested_in_person", FALSE, &issuance->attested_in_person, error)
      || !read_string (object, NULL, "verifier", TRUE, &issuance->verifier, error))
    return FALSE;
  if (!sp_secret_verifier_is_valid (issuance->verifier))
    return invalid (NULL, "verifier", "must be an Argon2id PHC string", error);
  if (issuance->kind != NULL && !g_str_equal (issuance->kind, "dispositivo"))
    return invalid (NULL, "kind", "must be \"dispositivo\"", error);
  if (issuance->clock_skew_ms < -SP_ISSUANCE_MAX_SKEW_MS || issuance->clock_skew_ms > SP_ISSUANCE_MAX_SKEW_MS)
    return invalid (NULL, "clock_skew_ms", "is out of range", error);

  if (missing (object, NULL, "citizen", TRUE, error))
    return FALSE;
  issuance->citizen = sp_person_from_json (json_object_get_member (object, "citizen"), "citizen", error);
  if (issuance->citizen == NULL)
    return FALSE;

  child = read_object (object, NULL, "applicant", TRUE, error);
  if (child == NULL || !applicant_from_json (child, issuance, error))
    return FALSE;
  child = read_object (object, NULL, "document", TRUE, &local);
  if (child == NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  issuance->document = document_from_json (child, error);
  if (issuance->document == NULL)
    return FALSE;
  return attachments_from_json (object, issuance, error);
}

SpIssuance *
sp_issuance_from_json (JsonNode *node,
                       GError  **error)
{
  g_autoptr(SpIssuance) issuance = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, SP_ISSUANCE_ERROR, SP_ISSUANCE_ERROR_WRONG_TYPE,
                           "the issuance must be a JSON object");
      return NULL;
    }
  issuance = sp_issuance_new ();
  if (!issuance_fields_from_json (json_node_get_object (node), issuance, error))
    return NULL;
  return g_steal_pointer (&issuance);
}

char *
sp_issuance_to_string (const SpIssuance *issuance)
{
  g_autoptr(JsonNode) node = sp_issuance_to_json (issuance);

  return json_to_string (node, FALSE);
}

SpIssuance *
sp_issuance_from_string (const char *json,
                         gssize      length,
                         GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (!json_parser_load_from_data (parser, json, length, error))
    return NULL;
  return sp_issuance_from_json (json_parser_get_root (parser), error);
}
