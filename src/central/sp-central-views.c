/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The JSON views of central's answers (see sp-central-views.h). */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include "sp-central-db.h"
#include "sp-central-views.h"
#include "sp-issuance.h"

static void
add_time (JsonBuilder *b,
          const char  *name,
          gint64       ms)
{
  g_autofree char *iso = sp_central_ms_to_iso (ms);

  sp_json_add_string (b, name, iso);
}

static void
add_empty_array (JsonBuilder *b,
                 const char  *name)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  json_builder_end_array (b);
}

static void
add_credentials (JsonBuilder            *b,
                 const SpCentralCitizen *c)
{
  json_builder_set_member_name (b, "credentials");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "active_pin");
  if (c->active_issuance_id != NULL)
    {
      json_builder_begin_object (b);
      sp_json_add_string (b, "issuance_id", c->active_issuance_id);
      sp_json_add_string (b, "kind", "dispositivo");
      add_time (b, "issued_at", c->active_issued_at);
      sp_json_add_string (b, "sede", c->active_sede);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  /* The online and Contact Center channels (R7–R9) and simplified
   * credentials (R12) are later API versions: empty lists here. */
  add_empty_array (b, "pending_requests");
  add_empty_array (b, "simplified_to_regularize");
  json_builder_set_member_name (b, "locked");
  json_builder_add_boolean_value (b, c->locked);
  json_builder_end_object (b);
}

JsonNode *
sp_central_view_citizen (const SpCentralCitizen *c)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  sp_json_add_string (b, "cf", c->cf);
  sp_json_add_string (b, "surname", c->surname);
  sp_json_add_string (b, "name", c->name);
  sp_json_add_string (b, "sex", c->sex);
  sp_json_add_string (b, "birth_date", c->birth_date);
  sp_json_add_string (b, "birth_place", c->birth_place);
  json_builder_set_member_name (b, "residence");
  if (c->street != NULL)
    {
      json_builder_begin_object (b);
      sp_json_add_string (b, "street", c->street);
      sp_json_add_string (b, "postcode", c->postcode);
      sp_json_add_string (b, "city", c->city);
      sp_json_add_string (b, "province", c->province);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  sp_json_add_string (b, "phone", c->phone);
  sp_json_add_string (b, "email", c->email);
  json_builder_set_member_name (b, "fictitious");
  json_builder_add_boolean_value (b, c->fictitious);
  sp_json_add_string (b, "source", c->source);
  add_credentials (b, c);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- JSON text written directly (the hot path: a citizen lookup) ---- */

/* A JSON string, escaped per RFC 8259: quote, backslash and the control
 * characters; the rest of the (valid UTF-8) text goes as it is. */
static void
put_string (GString    *out,
            const char *text)
{
  static const char hex[] = "0123456789abcdef";

  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      else if (*p < 0x20)
        {
          g_string_append (out, "\\u00");
          g_string_append_c (out, hex[*p >> 4]);
          g_string_append_c (out, hex[*p & 15]);
        }
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
put_member (GString    *out,
            const char *name,
            const char *value)
{
  g_string_append_c (out, '"');
  g_string_append (out, name);
  g_string_append (out, "\":");
  put_string (out, value);
  g_string_append_c (out, ',');
}

char *
sp_central_view_citizen_text (const SpCentralCitizen *c)
{
  GString *out = g_string_sized_new (512);

  g_string_append_c (out, '{');
  put_member (out, "cf", c->cf);
  put_member (out, "surname", c->surname);
  put_member (out, "name", c->name);
  put_member (out, "sex", c->sex);
  put_member (out, "birth_date", c->birth_date);
  put_member (out, "birth_place", c->birth_place);
  if (c->street != NULL)
    {
      g_string_append (out, "\"residence\":{");
      put_member (out, "street", c->street);
      put_member (out, "postcode", c->postcode);
      put_member (out, "city", c->city);
      put_member (out, "province", c->province);
      out->str[out->len - 1] = '}';
      g_string_append_c (out, ',');
    }
  else
    g_string_append (out, "\"residence\":null,");
  put_member (out, "phone", c->phone);
  put_member (out, "email", c->email);
  g_string_append_printf (out, "\"fictitious\":%s,", c->fictitious ? "true" : "false");
  put_member (out, "source", c->source);
  g_string_append (out, "\"credentials\":{\"active_pin\":");
  if (c->active_issuance_id != NULL)
    {
      g_autofree char *issued = sp_central_ms_to_iso (c->active_issued_at);

      g_string_append_c (out, '{');
      put_member (out, "issuance_id", c->active_issuance_id);
      put_member (out, "kind", "dispositivo");
      put_member (out, "issued_at", issued);
      put_member (out, "sede", c->active_sede);
      out->str[out->len - 1] = '}';
    }
  else
    g_string_append (out, "null");
  /* The online and Contact Center channels (R7–R9) and simplified
   * credentials (R12) are later API versions: empty lists here. */
  g_string_append_printf (out, ",\"pending_requests\":[],\"simplified_to_regularize\":[],\"locked\":%s}}",
                          c->locked ? "true" : "false");
  return g_string_free (out, FALSE);
}

JsonNode *
sp_central_view_issuance (const SpCentralIssuanceRow *row)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  sp_json_add_string (b, "id", row->id);
  sp_json_add_string (b, "cf", row->cf);
  sp_json_add_string (b, "sede", row->sede);
  sp_json_add_string (b, "operator", row->operator);
  sp_json_add_string (b, "workstation", row->workstation);
  add_time (b, "issued_at", row->issued_at);
  add_time (b, "received_at", row->received_at);
  sp_json_add_string (b, "status", sp_central_issuance_status_to_string (row->status));
  sp_json_add_string (b, "reason", row->reason);
  json_builder_set_member_name (b, "attachments");
  json_builder_begin_array (b);
  for (guint i = 0; i < row->attachments->len; i++)
    {
      const SpCentralAttachmentRow *a = g_ptr_array_index (row->attachments, i);

      json_builder_begin_object (b);
      sp_json_add_string (b, "kind", a->kind);
      sp_json_add_string (b, "sha256", a->sha256);
      json_builder_set_member_name (b, "size");
      json_builder_add_int_value (b, a->size);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "attachments_missing");
  json_builder_begin_array (b);
  for (guint i = 0; i < row->attachments_missing->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (row->attachments_missing, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
build_request (JsonBuilder                      *b,
               const SpCentralRevocationRequest *r)
{
  json_builder_begin_object (b);
  sp_json_add_string (b, "id", r->id);
  sp_json_add_string (b, "cf", r->cf);
  sp_json_add_string (b, "sede", r->sede);
  sp_json_add_string (b, "status", sp_central_revocation_status_to_string (r->status));
  sp_json_add_string (b, "reason", r->reason);
  sp_json_add_string (b, "requested_by", r->requested_by);
  add_time (b, "requested_at", r->requested_at);
  if (r->status == SP_CENTRAL_REVOCATION_APPROVED)
    sp_json_add_string (b, "approved_by", r->decided_by);
  else if (r->status == SP_CENTRAL_REVOCATION_REJECTED)
    {
      sp_json_add_string (b, "rejected_by", r->decided_by);
      sp_json_add_string (b, "rejection_reason", r->decision_reason);
    }
  if (r->status != SP_CENTRAL_REVOCATION_PENDING)
    add_time (b, "decided_at", r->decided_at);
  if (r->status == SP_CENTRAL_REVOCATION_APPROVED)
    {
      json_builder_set_member_name (b, "revoked");
      json_builder_begin_array (b);
      for (guint i = 0; i < r->revoked->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (r->revoked, i));
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
}

JsonNode *
sp_central_view_revocation_request (const SpCentralRevocationRequest *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  build_request (b, r);
  return json_builder_get_root (b);
}

JsonNode *
sp_central_view_revocation_requests (GPtrArray *requests)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (guint i = 0; i < requests->len; i++)
    build_request (b, g_ptr_array_index (requests, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
sp_central_view_changes (const SpCentralChangesPage *page)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *next = g_strdup_printf ("%" G_GINT64_FORMAT, page->next_cursor);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (guint i = 0; i < page->items->len; i++)
    {
      const SpCentralChange *c = g_ptr_array_index (page->items, i);
      JsonNode *item;

      /* Central wrote these payloads itself: one that does not parse is
       * skipped rather than breaking the sede's whole feed. */
      if (!json_parser_load_from_data (parser, c->payload, -1, NULL)
          || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          g_warning ("change %" G_GINT64_FORMAT " does not parse", c->seq);
          continue;
        }
      item = json_node_copy (json_parser_get_root (parser));
      json_object_set_int_member (json_node_get_object (item), "seq", c->seq);
      json_builder_add_value (b, item);
    }
  json_builder_end_array (b);
  sp_json_add_string (b, "next_cursor", next);
  json_builder_set_member_name (b, "has_more");
  json_builder_add_boolean_value (b, page->has_more);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
sp_central_view_register_day (const char *date,
                              const char *sede,
                              GPtrArray  *rows)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  sp_json_add_string (b, "date", date);
  sp_json_add_string (b, "sede", sede);
  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (guint i = 0; i < rows->len; i++)
    {
      const SpCentralRegisterRow *row = g_ptr_array_index (rows, i);

      json_builder_begin_object (b);
      sp_json_add_string (b, "id", row->id);
      sp_json_add_string (b, "cf", row->cf);
      sp_json_add_string (b, "surname", row->surname);
      sp_json_add_string (b, "name", row->name);
      sp_json_add_string (b, "operator", row->operator);
      sp_json_add_string (b, "workstation", row->workstation);
      add_time (b, "issued_at", row->issued_at);
      sp_json_add_string (b, "status", sp_central_issuance_status_to_string (row->status));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
sp_central_view_operator (const SpCentralOperator *op)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  sp_json_add_string (b, "id", op->username);
  sp_json_add_string (b, "name", op->name);
  sp_json_add_string (b, "role", op->role);
  sp_json_add_string (b, "sede", op->sede);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

SpCentralErrorAnswer
sp_central_view_db_error (const GError *error)
{
  if (error == NULL || error->domain != SP_CENTRAL_DB_ERROR)
    return (SpCentralErrorAnswer) { 500, "internal", "Internal error", FALSE };
  switch ((SpCentralDbError) error->code)
    {
    case SP_CENTRAL_DB_ERROR_BUSY:
      return (SpCentralErrorAnswer) { 409, "in-flight", "The same request is being processed", TRUE };
    case SP_CENTRAL_DB_ERROR_NOT_FOUND:
      return (SpCentralErrorAnswer) { 404, "not-found", "Not found", FALSE };
    case SP_CENTRAL_DB_ERROR_EXISTS:
      return (SpCentralErrorAnswer) { 422, "idempotency-key-reused", "Idempotency-Key reused with another body", FALSE };
    case SP_CENTRAL_DB_ERROR_CONFLICT:
      return (SpCentralErrorAnswer) { 409, "conflict", "The record does not allow this now", FALSE };
    case SP_CENTRAL_DB_ERROR_FOUR_EYES:
      return (SpCentralErrorAnswer) { 403, "four-eyes", "A second person must approve", FALSE };
    case SP_CENTRAL_DB_ERROR_MISMATCH:
      return (SpCentralErrorAnswer) { 422, "mismatch", "Not what the issuance declared or the policy allows", FALSE };
    case SP_CENTRAL_DB_ERROR_LOCKED:
      return (SpCentralErrorAnswer) { 423, "pin-locked", "Too many wrong attempts", TRUE };
    case SP_CENTRAL_DB_ERROR_GONE:
      return (SpCentralErrorAnswer) { 410, "cursor-expired", "The cursor has expired", FALSE };
    case SP_CENTRAL_DB_ERROR_UNAVAILABLE:
      return (SpCentralErrorAnswer) { 503, "unavailable", "The database is not reachable", TRUE };
    case SP_CENTRAL_DB_ERROR_VOIDED:
      return (SpCentralErrorAnswer) { 410, "voided", "Voided before registration", FALSE };
    case SP_CENTRAL_DB_ERROR_FAILED:
    case SP_CENTRAL_DB_ERROR_UNSUPPORTED:
    default:
      return (SpCentralErrorAnswer) { 500, "internal", "Internal error", FALSE };
    }
}
