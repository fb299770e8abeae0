/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GET /v1/citizens/{cf} and POST /v1/citizens/{cf}/pin-unlock. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include "sp-central-handler.h"
#include "sp-central-handlers.h"
#include "sp-central-problem.h"
#include "sp-central-views.h"

SpCentralResponse *
sp_central_h_citizen (SpCentralRequest *req,
                      SpCentralDb      *db)
{
  g_autofree char *cf = NULL;
  g_autoptr(SpCentralCitizen) citizen = NULL;
  g_autoptr(GError) error = NULL;
  SpCentralResponse *problem;

  if ((problem = sp_central_validate_cf (sp_central_request_param (req, "cf"), &cf)))
    return problem;
  /* Citizen status is visible to every sede: a citizen may go anywhere. */
  citizen = sp_central_db_get_citizen (db, cf, sp_central_now_ms (), &error);
  if (citizen == NULL && g_error_matches (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND))
    return sp_central_problem_new (404, "not-found", "Not in the registry",
                                   "the registry has no citizen with this codice fiscale");
  if (citizen == NULL)
    return sp_central_db_problem (error);
  return sp_central_response_new_take (200, "application/json", sp_central_view_citizen_text (citizen));
}

/* After 100 consecutive failures only the counter's in-person check
 * unlocks PIN verification (a new issuance does too). */
SpCentralResponse *
sp_central_h_pin_unlock (SpCentralRequest *req,
                         SpCentralDb      *db)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *cf = NULL;
  g_autoptr(GError) error = NULL;
  SpCentralResponse *problem = NULL;
  JsonObject *body;
  JsonNode *attested;

  if ((problem = sp_central_validate_cf (sp_central_request_param (req, "cf"), &cf))
      || (body = sp_central_parse_body (req, &parser, &problem)) == NULL)
    return problem;
  attested = json_object_get_member (body, "attested_in_person");
  if (attested != NULL && (!JSON_NODE_HOLDS_VALUE (attested)
                           || json_node_get_value_type (attested) != G_TYPE_BOOLEAN))
    return sp_central_problem_field (400, "invalid-body", "A field has the wrong type", "attested_in_person",
                                     "attested_in_person must be a boolean");
  if (attested == NULL || !json_node_get_boolean (attested))
    return sp_central_problem_new (422, "not-attested", "Identity not attested",
                                   "unlock only after checking the citizen's identity in person");
  if (!sp_central_db_pin_unlock (db, cf, req->op->username, sp_central_now_ms (), &error))
    return sp_central_db_problem (error);
  return sp_central_response_new (204);
}
