/* SPDX-License-Identifier: GPL-3.0-or-later */
/* POST /v1/auth/pin: an online service checks a citizen's PIN. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <string.h>

#include "sp-central-handler.h"
#include "sp-central-handlers.h"
#include "sp-central-problem.h"
#include "sp-pin.h"
#include "sp-secret.h"

static SpCentralResponse *
pin_accepted (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "scope");
  json_builder_add_string_value (b, "dispositivo");
  /* A PIN dispositivo opens every online service (R11). */
  json_builder_set_member_name (b, "services");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "*");
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return sp_central_response_new_json (200, root);
}

static SpCentralResponse *
locked (gint64 retry_at)
{
  SpCentralResponse *problem;
  g_autofree char *after = NULL;
  gint64 now = sp_central_now_ms ();

  problem = sp_central_problem_new (423, "pin-locked", "Too many wrong attempts", "%s",
                                    retry_at ? "the credential is locked for now: try again later"
                                             : "the credential is locked: the citizen must have it "
                                               "unlocked at an INPS sede");
  /* Locked until the in-person check: say "in an hour", not "never". */
  after = g_strdup_printf ("%" G_GINT64_FORMAT, retry_at ? MAX ((retry_at - now + 999) / 1000, 1) : 3600);
  sp_central_response_set_header (problem, "Retry-After", after);
  return problem;
}

SpCentralResponse *
sp_central_h_auth_pin (SpCentralRequest *req,
                       SpCentralDb      *db)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *verifier = NULL;
  g_autofree char *cf = NULL;
  g_autoptr(SpPin) normalized = NULL;
  g_autoptr(GError) error = NULL;
  SpCentralResponse *problem = NULL;
  JsonObject *body;
  const char *cf_text, *pin, *secret;
  gint64 retry_at = 0;
  gboolean ok;

  if ((body = sp_central_parse_body (req, &parser, &problem)) == NULL
      || (cf_text = sp_central_string_member (body, "cf", TRUE, &problem)) == NULL
      || (pin = sp_central_string_member (body, "pin", TRUE, &problem)) == NULL)
    return problem;
  cf = g_ascii_strup (cf_text, -1);
  g_strstrip (cf);
  if (strlen (cf) > 16 || strlen (pin) > 64)
    return sp_central_problem_new (401, "invalid-pin", "Wrong codice fiscale or PIN", NULL);
  /* The attempt is reserved in the database before the Argon2id work, so
   * however many guesses arrive together, on however many instances, at
   * most 5 are verified after the last success or lockout. */
  if (!sp_central_db_pin_reserve (db, cf, sp_central_now_ms (), &verifier, &retry_at, &error))
    return g_error_matches (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_LOCKED)
           ? locked (retry_at) : sp_central_db_problem (error);
  /* Citizens type "abcd efgh …": normalise as the printed form. A
   * malformed PIN, an unknown code or a code without a PIN still costs
   * one verification, against the dummy. */
  normalized = sp_pin_new_from_string (pin);
  secret = normalized ? sp_pin_peek (normalized) : pin;
  ok = sp_secret_verify (normalized && verifier ? verifier : sp_central_dummy_verifier (),
                         secret, strlen (secret))
       && normalized && verifier;
  /* Settled before answering: the next guess sees this one's failure. */
  if (!sp_central_db_pin_settle (db, cf, ok, sp_central_now_ms (), &error))
    return sp_central_db_problem (error);
  if (!ok)
    /* One message whatever the cause: unknown code, no PIN, wrong PIN. */
    return sp_central_problem_new (401, "invalid-pin", "Wrong codice fiscale or PIN", NULL);
  return pin_accepted ();
}
