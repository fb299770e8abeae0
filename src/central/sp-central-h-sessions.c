/* SPDX-License-Identifier: GPL-3.0-or-later */
/* POST /v1/sessions (log in) and DELETE /v1/sessions/current. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <string.h>
#include <sodium.h>

#include "sp-central-handler.h"
#include "sp-central-handlers.h"
#include "sp-central-problem.h"
#include "sp-central-session-cache.h"
#include "sp-issuance.h"
#include "sp-secret.h"

static JsonNode *
session_answer (const char              *token,
                gint64                   expires_at,
                const SpCentralOperator *op)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (expires_at / 1000);
  g_autofree char *expires = sp_datetime_to_iso (dt);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "token");
  json_builder_add_string_value (b, token);
  json_builder_set_member_name (b, "expires_at");
  json_builder_add_string_value (b, expires);
  json_builder_set_member_name (b, "operator");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, op->username);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, op->name);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, op->role);
  json_builder_set_member_name (b, "sede");
  json_builder_add_string_value (b, op->sede);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* A new session for op: an opaque random token; only its hash is stored. */
static SpCentralResponse *
open_session (SpCentralDb             *db,
              const SpCentralOperator *op,
              const char              *workstation)
{
  guchar raw[32];
  char token[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  g_autofree char *hash = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  gint64 expires = sp_central_now_ms () + SP_CENTRAL_SESSION_MS;
  SpCentralResponse *resp;

  randombytes_buf (raw, sizeof raw);
  sodium_bin2base64 (token, sizeof token, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (raw, sizeof raw);
  hash = sp_sha256_hex (token, strlen (token));
  if (!sp_central_db_add_session (db, hash, op->id, workstation, expires, &error))
    {
      sodium_memzero (token, sizeof token);
      return sp_central_db_problem (error);
    }
  answer = session_answer (token, expires, op);
  sodium_memzero (token, sizeof token);
  resp = sp_central_response_new_json (201, answer);
  return resp;
}

SpCentralResponse *
sp_central_h_login (SpCentralRequest *req,
                    SpCentralDb      *db)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(SpCentralOperator) op = NULL;
  SpCentralResponse *problem = NULL;
  JsonObject *body;
  const char *username, *password, *workstation, *verifier;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if ((body = sp_central_parse_body (req, &parser, &problem)) == NULL
      || (username = sp_central_string_member (body, "username", TRUE, &problem)) == NULL
      || (password = sp_central_string_member (body, "password", TRUE, &problem)) == NULL)
    return problem;
  workstation = sp_central_string_member (body, "workstation", FALSE, &problem);
  if (problem != NULL)
    return problem;
  op = sp_central_db_find_operator (db, username, &error);
  /* A database that fails is not a wrong password. */
  if (op == NULL && !g_error_matches (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND))
    return sp_central_db_problem (error);
  /* An unknown or disabled account costs one verification too, against
   * the dummy: its answer time says nothing about the account. */
  verifier = op != NULL && !op->disabled ? op->verifier : sp_central_dummy_verifier ();
  ok = sp_secret_verify (verifier, password, strlen (password));
  if (!ok || op == NULL || op->disabled)
    return sp_central_problem_new (401, "invalid-credentials", "Wrong username or password", NULL);
  return open_session (db, op, workstation);
}

SpCentralResponse *
sp_central_h_logout (SpCentralRequest *req,
                     SpCentralDb      *db)
{
  g_autofree char *hash = sp_central_token_hash (req);
  g_autoptr(GError) error = NULL;

  sp_central_session_cache_forget (hash);
  if (hash != NULL && !sp_central_db_delete_session (db, hash, &error))
    return sp_central_db_problem (error);
  return sp_central_response_new (204);
}
