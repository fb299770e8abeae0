/* SPDX-License-Identifier: GPL-3.0-or-later */
/* POST /v1/citizens/{cf}/conversion and PUT
 * /v1/conversions/{id}/attachments/{kind}: an active ordinario PIN made
 * dispositivo by the counter's in-person check (DESIGN §10), with the
 * attestation and the scans of an issuance, without a new PIN or
 * envelope; its own kind of act. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <string.h>

#include "sp-applicant.h"
#include "sp-central-db-channels.h"
#include "sp-central-db-conversions.h"
#include "sp-central-handler.h"
#include "sp-central-handlers.h"
#include "sp-central-problem.h"
#include "sp-central-rows.h"
#include "sp-secret.h"

static SpCentralResponse *
conversion_answer (const SpCentralConversion *c,
                   guint                      status)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *at = sp_central_ms_to_iso (c->at);

  json_builder_begin_object (b);
  sp_json_add_string (b, "id", c->id);
  sp_json_add_string (b, "cf", c->cf);
  sp_json_add_string (b, "issuance_id", c->issuance_id);
  sp_json_add_string (b, "kind", "dispositivo");
  sp_json_add_string (b, "sede", c->sede);
  sp_json_add_string (b, "operator", c->operator);
  sp_json_add_string (b, "converted_at", at);
  json_builder_set_member_name (b, "attachments_received");
  json_builder_begin_array (b);
  for (guint i = 0; c->received && i < c->received->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (c->received, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return sp_central_response_new_json (status, root);
}

static gboolean
is_hex64 (const char *s)
{
  if (s == NULL || strlen (s) != 64)
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isdigit (*s) && !(*s >= 'a' && *s <= 'f'))
      return FALSE;
  return TRUE;
}

/* The declared scans: kind, sha256 (lower-case hex), size; at least one. */
static SpCentralResponse *
check_attachments (JsonObject *body)
{
  JsonNode *node = json_object_get_member (body, "attachments");
  JsonArray *list;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) || (n = json_array_get_length (list = json_node_get_array (node))) == 0
      || n > 16)
    return sp_central_problem_field (400, "invalid-body", "The scans are missing", "attachments",
                                     "declare the scans of the in-person check: [{kind, sha256, size}]");
  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = json_array_get_element (list, i);
      JsonObject *a = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      JsonNode *size = a ? json_object_get_member (a, "size") : NULL;
      SpAttachmentKind kind;

      if (a == NULL || !sp_attachment_kind_from_string (json_object_get_string_member_with_default (a, "kind", ""),
                                                        &kind)
          || !is_hex64 (json_object_get_string_member_with_default (a, "sha256", NULL))
          || size == NULL || !JSON_NODE_HOLDS_VALUE (size) || json_node_get_value_type (size) != G_TYPE_INT64
          || json_node_get_int (size) <= 0)
        return sp_central_problem_field (400, "invalid-body", "A declared scan is malformed", "attachments",
                                         "each scan is {kind, sha256 (lower-case hex), size (bytes)}");
    }
  return NULL;
}

/* A string member that must be a lower-case UUID. */
static SpCentralResponse *
uuid_member (JsonObject  *body,
             const char  *name,
             const char **value)
{
  SpCentralResponse *problem = NULL;

  if ((*value = sp_central_string_member (body, name, TRUE, &problem)) == NULL)
    return problem;
  if (!sp_uuid_is_valid (*value) || strpbrk (*value, "ABCDEF") != NULL)
    return sp_central_problem_field (400, "invalid-body", "Not a lower-case UUID", name, "a lower-case UUID");
  return NULL;
}

static SpCentralResponse *
check_act (JsonObject *body)
{
  SpCentralResponse *problem = NULL;
  JsonNode *attested = json_object_get_member (body, "attested_in_person");
  JsonNode *document = json_object_get_member (body, "document");
  JsonObject *doc;

  if (attested == NULL || !JSON_NODE_HOLDS_VALUE (attested) || json_node_get_value_type (attested) != G_TYPE_BOOLEAN
      || !json_node_get_boolean (attested))
    return sp_central_problem_new (422, "not-attested", "Identity not attested",
                                   "convert only after checking the citizen's identity in person");
  if (document == NULL || !JSON_NODE_HOLDS_OBJECT (document))
    return sp_central_problem_field (400, "invalid-body", "The identity document is missing", "document",
                                     "the document checked: {type, number, issuer, issued_on, expires_on}");
  doc = json_node_get_object (document);
  if (sp_central_string_member (doc, "type", TRUE, &problem) == NULL
      || sp_central_string_member (doc, "number", TRUE, &problem) == NULL)
    return problem;
  sp_central_string_member (body, "workstation", FALSE, &problem);
  return problem ? problem : check_attachments (body);
}

SpCentralResponse *
sp_central_h_conversion (SpCentralRequest *req,
                         SpCentralDb      *db)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *cf = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCentralConversion) done = NULL;
  SpCentralResponse *problem = NULL;
  JsonObject *body;
  const char *id, *issuance_id;
  gboolean replayed;

  if ((problem = sp_central_validate_cf (sp_central_request_param (req, "cf"), &cf)))
    return problem;
  /* The in-person check is the counter's: not the portal's or the Contact Center's. */
  if (!sp_central_db_channel_kind (db, req->op->id, &kind, &error))
    return sp_central_db_problem (error);
  if (kind != NULL)
    return sp_central_problem_new (403, "forbidden", "Not allowed for this account", "%s",
                                   "a conversion follows the counter's in-person check");
  if ((body = sp_central_parse_body (req, &parser, &problem)) == NULL
      || (problem = uuid_member (body, "id", &id)) || (problem = uuid_member (body, "issuance_id", &issuance_id))
      || (problem = check_act (body)))
    return problem;
  text = json_to_string (json_parser_get_root (parser), FALSE);
  {
    SpCentralConversion act = { .id = (char *) id, .cf = cf, .issuance_id = (char *) issuance_id,
                                .sede = (char *) sp_central_op_sede (req), .operator = req->op->username,
                                .workstation = (char *) json_object_get_string_member_with_default (body,
                                                                                                     "workstation",
                                                                                                     NULL),
                                .body = text };

    done = sp_central_db_convert (db, &act, sp_central_now_ms (), &replayed, &error);
  }
  if (done == NULL)
    return g_error_matches (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND)
           ? sp_central_problem_new (404, "no-active-pin", "No such active PIN", "%s", error->message)
           : sp_central_db_problem (error);
  return conversion_answer (done, replayed ? 200 : 201);
}

SpCentralResponse *
sp_central_h_conversion_attachment (SpCentralRequest *req,
                                    SpCentralDb      *db)
{
  const char *id = sp_central_request_param (req, "id");
  const char *kind_text = sp_central_request_param (req, "kind");
  g_autofree char *actual = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCentralConversion) c = NULL;
  SpCentralResponse *problem;
  gboolean replayed = FALSE;

  if ((problem = sp_central_scan_check (req, "conversion", &actual)))
    return problem;
  c = sp_central_db_put_conversion_scan (db, sp_central_op_sede (req), id, kind_text, actual, req->body,
                                         req->op->username, sp_central_now_ms (), &replayed, &error);
  if (c == NULL)
    return sp_central_db_problem (error);
  return conversion_answer (c, replayed ? 200 : 201);
}
