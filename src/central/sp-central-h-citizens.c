/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GET /v1/citizens/{cf} and POST /v1/citizens/{cf}/revocation. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include "sp-central-handler.h"
#include "sp-central-handlers.h"
#include "sp-central-problem.h"

SpCentralResponse *
sp_central_h_citizen (SpCentralRequest *req,
                      SpCentralDb      *db)
{
  g_autofree char *cf = NULL;
  g_autoptr(JsonNode) citizen = NULL;
  SpCentralResponse *problem;

  if ((problem = sp_central_validate_cf (sp_central_request_param (req, "cf"), &cf)))
    return problem;
  /* Citizen status is visible to every sede: a citizen may go anywhere. */
  citizen = sp_central_db_get_citizen (db, cf, sp_central_now_ms ());
  if (citizen == NULL)
    return sp_central_problem_new (404, "not-found", "Not in the registry",
                                   "the registry has no citizen with this codice fiscale");
  return sp_central_response_new_json (200, citizen);
}

SpCentralResponse *
sp_central_h_revocation (SpCentralRequest *req,
                         SpCentralDb      *db)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *cf = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = NULL;
  SpCentralResponse *problem = NULL;
  JsonObject *body;
  const char *reason, *requested_by;

  if ((problem = sp_central_require_role (req, "supervisor"))
      || (problem = sp_central_validate_cf (sp_central_request_param (req, "cf"), &cf))
      || (body = sp_central_parse_body (req, &parser, &problem)) == NULL
      || (reason = sp_central_string_member (body, "reason", TRUE, &problem)) == NULL)
    return problem;
  requested_by = sp_central_string_member (body, "requested_by", FALSE, &problem);
  if (problem != NULL)
    return problem;
  /* Four eyes: whoever asked for the revocation cannot approve it. */
  if (requested_by != NULL && g_str_equal (requested_by, req->op->username))
    return sp_central_problem_new (403, "four-eyes", "A second person must approve",
                                   "the supervisor approving a revocation must not be the one who requested it");
  if (!sp_central_db_revoke (db, cf, reason, requested_by, req->op->username, sp_central_now_ms (),
                             &result, &error))
    return sp_central_db_problem (error);
  if (result == NULL)
    return sp_central_problem_new (404, "no-active-pin", "No active PIN to revoke", NULL);
  return sp_central_response_new_json (200, result);
}
