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

#define PIN_MAX_FAILURES 5

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

SpCentralResponse *
sp_central_h_auth_pin (SpCentralRequest *req,
                       SpCentralDb      *db)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *verifier = NULL;
  g_autofree char *cf = NULL;
  g_autoptr(SpPin) normalized = NULL;
  SpCentralResponse *problem = NULL;
  JsonObject *body;
  const char *cf_text, *pin, *secret;
  guint failures = 0;
  gboolean ok;

  if ((body = sp_central_parse_body (req, &parser, &problem)) == NULL
      || (cf_text = sp_central_string_member (body, "cf", TRUE, &problem)) == NULL
      || (pin = sp_central_string_member (body, "pin", TRUE, &problem)) == NULL)
    return problem;
  cf = g_ascii_strup (cf_text, -1);
  g_strstrip (cf);
  if (strlen (cf) > 16 || strlen (pin) > 64)
    return sp_central_problem_new (401, "invalid-pin", "Wrong codice fiscale or PIN", NULL);
  verifier = sp_central_db_pin_verifier (db, cf, &failures);
  if (failures >= PIN_MAX_FAILURES)
    return sp_central_problem_new (423, "pin-locked", "Too many wrong attempts",
                                   "the credential is locked: the citizen must contact INPS");
  /* Citizens type "abcd efgh …": normalise as the printed form. A
   * malformed PIN, an unknown code or a code without a PIN still costs
   * one verification, against the dummy. */
  normalized = sp_pin_new_from_string (pin);
  secret = normalized ? sp_pin_peek (normalized) : pin;
  ok = sp_secret_verify (normalized && verifier ? verifier : sp_central_dummy_verifier (),
                         secret, strlen (secret))
       && normalized && verifier;
  sp_central_db_record_pin_result (db, cf, ok);
  if (!ok)
    /* One message whatever the cause: unknown code, no PIN, wrong PIN. */
    return sp_central_problem_new (401, "invalid-pin", "Wrong codice fiscale or PIN", NULL);
  return pin_accepted ();
}
