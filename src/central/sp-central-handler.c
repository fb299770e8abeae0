/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <string.h>
#include <sodium.h>

#include "sp-applicant.h"
#include "sp-central-handler.h"
#include "sp-central-problem.h"
#include "sp-central-session-cache.h"
#include "sp-central-views.h"
#include "sp-codice-fiscale.h"
#include "sp-secret.h"

gint64
sp_central_now_ms (void)
{
  return g_get_real_time () / 1000;
}

JsonObject *
sp_central_parse_body (SpCentralRequest   *req,
                       JsonParser        **parser_out,
                       SpCentralResponse **problem)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize len;
  const char *data = sp_central_request_body (req, &len);
  JsonNode *root;

  if (len == 0 || !json_parser_load_from_data (parser, data, len, NULL))
    {
      *problem = sp_central_problem_new (400, "invalid-json", "The body is not valid JSON", NULL);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      *problem = sp_central_problem_new (400, "invalid-json", "The body must be a JSON object", NULL);
      return NULL;
    }
  *parser_out = g_steal_pointer (&parser);
  return json_node_get_object (root);
}

const char *
sp_central_string_member (JsonObject         *object,
                          const char         *name,
                          gboolean            required,
                          SpCentralResponse **problem)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *detail = NULL;

  *problem = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        *problem = sp_central_problem_field (400, "invalid-body", "A field is missing", name, name);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      detail = g_strdup_printf ("%s must be a string", name);
      *problem = sp_central_problem_field (400, "invalid-body", "A field has the wrong type", name, detail);
      return NULL;
    }
  if (!g_utf8_validate (json_node_get_string (node), -1, NULL))
    {
      detail = g_strdup_printf ("%s must be valid UTF-8", name);
      *problem = sp_central_problem_field (400, "invalid-body", "A field is not valid UTF-8", name, detail);
      return NULL;
    }
  return json_node_get_string (node);
}

char *
sp_central_token_hash (SpCentralRequest *req)
{
  const char *header = sp_central_request_header (req, "Authorization");

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0 || strlen (header + 7) < 16)
    return NULL;
  return sp_sha256_hex (header + 7, strlen (header + 7));
}

SpCentralResponse *
sp_central_authenticate (SpCentralRequest *req,
                         SpCentralDb      *db)
{
  g_autofree char *hash = sp_central_token_hash (req);
  g_autoptr(GError) error = NULL;
  gint64 now = sp_central_now_ms ();
  SpCentralResponse *problem;

  if (hash != NULL && (req->op = sp_central_session_cache_lookup (hash, now)) != NULL)
    return NULL;
  if (hash != NULL)
    req->op = sp_central_db_session_operator (db, hash, now, &error);
  if (req->op != NULL)
    {
      sp_central_session_cache_put (hash, req->op, now);
      return NULL;
    }
  /* A database that fails is not a wrong token: 500/503, not 401. */
  if (error != NULL && !g_error_matches (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND))
    return sp_central_db_problem (error);
  problem = sp_central_problem_new (401, "unauthorized", "Authentication required",
                                    "log in with POST /v1/sessions and send the token as a Bearer token");
  sp_central_response_set_header (problem, "WWW-Authenticate", "Bearer realm=\"sportello-central\"");
  return problem;
}

SpCentralResponse *
sp_central_require_role (SpCentralRequest *req,
                         const char       *role)
{
  if (g_str_equal (req->op->role, role) || g_str_equal (req->op->role, "admin"))
    return NULL;
  return sp_central_problem_new (403, "forbidden", "Not allowed for this role", "this needs the %s role", role);
}

SpCentralResponse *
sp_central_require_sede (SpCentralRequest *req,
                         const char       *sede)
{
  if (g_strcmp0 (req->op->sede, sede) == 0 || g_str_equal (req->op->role, "admin"))
    return NULL;
  return sp_central_problem_new (403, "forbidden", "Another sede's record",
                                 "an operator can act only on the issuances of his own sede");
}

const char *
sp_central_op_sede (SpCentralRequest *req)
{
  return g_str_equal (req->op->role, "admin") ? NULL : req->op->sede;
}

SpCentralResponse *
sp_central_validate_cf (const char *cf,
                        char      **normalized)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) extra = NULL;

  if (sp_cf_validate (cf, normalized, &error))
    return NULL;
  extra = json_object_new ();
  json_object_set_string_member (extra, "code", sp_cf_error_code_to_string (error->code));
  return sp_central_problem_new_with (422, "invalid-codice-fiscale", "The codice fiscale is not valid",
                                      error->message, extra);
}

SpCentralResponse *
sp_central_db_problem (const GError *error)
{
  SpCentralErrorAnswer a = sp_central_view_db_error (error);
  SpCentralResponse *problem;

  if (a.status >= 500)
    /* g_message: a failing database is an operational event, not a bug. */
    g_message ("database error: %s", error ? error->message : "?");
  /* A 5xx says nothing of the cause; a 4xx says which rule refused. */
  problem = sp_central_problem_new (a.status, a.type, a.title, "%s",
                                    a.status >= 500 ? "retry later" : error->message);
  if (a.retry_after)
    sp_central_response_set_header (problem, "Retry-After", a.status == 503 ? "2" : "1");
  return problem;
}

const char *
sp_central_dummy_verifier (void)
{
  static gsize once;
  static char *dummy;

  if (g_once_init_enter (&once))
    {
      guchar random[16];

      randombytes_buf (random, sizeof random);
      dummy = sp_secret_hash ((const char *) random, sizeof random, NULL);
      g_once_init_leave (&once, 1);
    }
  return dummy;
}

gboolean
sp_central_is_lower (const char *text)
{
  for (const char *p = text; *p; p++)
    if (g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

/* "sha-256=:BASE64:" (RFC 9530 Content-Digest) or "SHA-256=BASE64" (RFC 3230 Digest). */
static char *
body_digest (SpCentralRequest *req)
{
  const char *value = sp_central_request_header (req, "Content-Digest");
  g_autofree char *b64 = NULL;
  g_autofree guchar *raw = NULL;
  gsize len = 0;
  char hex[65];

  if (value != NULL && g_ascii_strncasecmp (value, "sha-256=:", 9) == 0)
    {
      const char *end = strchr (value + 9, ':');
      b64 = end ? g_strndup (value + 9, end - (value + 9)) : NULL;
    }
  else if ((value = sp_central_request_header (req, "Digest")) != NULL
           && g_ascii_strncasecmp (value, "SHA-256=", 8) == 0)
    b64 = g_strdup (value + 8);
  if (b64 == NULL)
    return NULL;
  raw = g_base64_decode (b64, &len);
  if (len != 32)
    return NULL;
  sodium_bin2hex (hex, sizeof hex, raw, len);
  return g_strdup (hex);
}

SpCentralResponse *
sp_central_scan_check (SpCentralRequest *req,
                       const char       *what,
                       char            **sha256)
{
  const char *id = sp_central_request_param (req, "id");
  g_autofree char *claimed = NULL;
  SpAttachmentKind kind;
  gsize len;
  const char *data = sp_central_request_body (req, &len);

  *sha256 = NULL;
  if (!sp_uuid_is_valid (id))
    return sp_central_problem_new (404, "not-found", "Not found", "no such %s", what);
  if (!sp_attachment_kind_from_string (sp_central_request_param (req, "kind"), &kind))
    return sp_central_problem_new (404, "not-found", "Unknown attachment kind", NULL);
  if (len < 5 || memcmp (data, "%PDF-", 5) != 0)
    return sp_central_problem_new (415, "not-pdf", "Attachments are PDF files", NULL);
  claimed = body_digest (req);
  *sha256 = sp_sha256_hex (data, len);
  if (claimed == NULL || !g_str_equal (claimed, *sha256))
    {
      g_clear_pointer (sha256, g_free);
      return sp_central_problem_new (400, "digest-mismatch", "The SHA-256 digest does not match",
                                     "send Content-Digest: sha-256=:BASE64: of the exact body");
    }
  return NULL;
}
