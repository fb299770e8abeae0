/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Four eyes on revocation, in two steps with real identities:
 *   POST /v1/citizens/{cf}/revocation-requests   any operator asks
 *   GET  /v1/revocation-requests?status=         a supervisor lists his sede's
 *   POST /v1/revocation-requests/{id}/approval   a supervisor of that sede,
 *   POST /v1/revocation-requests/{id}/rejection  not the requester, decides
 * The rules (same sede, different operator id, pending only) are checked
 * by the repository inside the transaction that revokes. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include "sp-central-handler.h"
#include "sp-central-handlers.h"
#include "sp-central-problem.h"
#include "sp-central-views.h"
#include "sp-secret.h"

SpCentralResponse *
sp_central_h_revocation_request (SpCentralRequest *req,
                                 SpCentralDb      *db)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *cf = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCentralRevocationRequest) r = NULL;
  g_autoptr(JsonNode) answer = NULL;
  SpCentralResponse *problem = NULL;
  JsonObject *body;
  const char *reason;

  if ((problem = sp_central_validate_cf (sp_central_request_param (req, "cf"), &cf))
      || (body = sp_central_parse_body (req, &parser, &problem)) == NULL
      || (reason = sp_central_string_member (body, "reason", TRUE, &problem)) == NULL)
    return problem;
  if (*reason == '\0' || g_utf8_strlen (reason, -1) > 500)
    return sp_central_problem_field (400, "invalid-body", "A field is out of range", "reason",
                                     "reason is 1 to 500 characters");
  r = sp_central_db_request_revocation (db, req->op, cf, reason, sp_central_now_ms (), &error);
  if (r == NULL && g_error_matches (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND))
    return sp_central_problem_new (404, "no-active-pin", "No active PIN to revoke", NULL);
  if (r == NULL)
    return sp_central_db_problem (error);
  answer = sp_central_view_revocation_request (r);
  return sp_central_response_new_json (201, answer);
}

SpCentralResponse *
sp_central_h_revocation_list (SpCentralRequest *req,
                              SpCentralDb      *db)
{
  const char *status_text = sp_central_request_query (req, "status");
  SpCentralRevocationStatus status = SP_CENTRAL_REVOCATION_PENDING;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  SpCentralResponse *problem;

  if ((problem = sp_central_require_role (req, "supervisor")))
    return problem;
  if (status_text != NULL && !sp_central_revocation_status_from_string (status_text, &status))
    return sp_central_problem_new (400, "invalid-query", "Bad status", "status is pending, approved or rejected");
  list = sp_central_db_list_revocation_requests (db, req->op->sede, status, &error);
  if (list == NULL)
    return sp_central_db_problem (error);
  answer = sp_central_view_revocation_requests (list);
  return sp_central_response_new_json (200, answer);
}

static SpCentralResponse *
decide (SpCentralRequest *req,
        SpCentralDb      *db,
        gboolean          approve)
{
  const char *id = sp_central_request_param (req, "id");
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCentralRevocationRequest) r = NULL;
  g_autoptr(JsonNode) answer = NULL;
  SpCentralResponse *problem = NULL;
  JsonObject *body;
  const char *reason = NULL;

  if ((problem = sp_central_require_role (req, "supervisor"))
      || (body = sp_central_parse_body (req, &parser, &problem)) == NULL
      || (!approve && (reason = sp_central_string_member (body, "reason", TRUE, &problem)) == NULL))
    return problem;
  /* Not a UUID: exactly the answer of an unknown (or another sede's) id. */
  if (!sp_uuid_is_valid (id))
    return sp_central_problem_new (404, "not-found", "Not found", "no such revocation request");
  r = sp_central_db_decide_revocation (db, req->op, id, approve, reason, sp_central_now_ms (), &error);
  if (r == NULL)
    return sp_central_db_problem (error);
  answer = sp_central_view_revocation_request (r);
  return sp_central_response_new_json (200, answer);
}

SpCentralResponse *
sp_central_h_revocation_approval (SpCentralRequest *req,
                                  SpCentralDb      *db)
{
  return decide (req, db, TRUE);
}

SpCentralResponse *
sp_central_h_revocation_rejection (SpCentralRequest *req,
                                   SpCentralDb      *db)
{
  return decide (req, db, FALSE);
}
