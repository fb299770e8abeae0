/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PUT /v1/issuances/{id}/attachments/{kind}: a scan (PDF) of an issuance. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <string.h>

#include "sp-applicant.h"
#include "sp-central-handler.h"
#include "sp-central-handlers.h"
#include "sp-central-problem.h"
#include "sp-central-views.h"
#include "sp-secret.h"

SpCentralResponse *
sp_central_h_attachment (SpCentralRequest *req,
                         SpCentralDb      *db)
{
  const char *id = sp_central_request_param (req, "id");
  const char *kind_text = sp_central_request_param (req, "kind");
  g_autofree char *actual = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCentralIssuanceRow) row = NULL;
  g_autoptr(JsonNode) answer = NULL;
  SpCentralResponse *problem;
  gboolean replayed = FALSE;

  if ((problem = sp_central_scan_check (req, "issuance", &actual)))
    return problem;
  /* The repository checks the rest in one transaction: the issuance is
   * this sede's (else 404 like an unknown id), it declared this scan
   * with this sha256 and size (422), and no other scan of this kind is
   * stored (409; the same bytes again are a replay). */
  row = sp_central_db_put_attachment (db, sp_central_op_sede (req), id, kind_text, actual, req->body,
                                      req->op->username, sp_central_now_ms (), &replayed, &error);
  if (row == NULL)
    return sp_central_db_problem (error);
  answer = sp_central_view_issuance (row);
  return sp_central_response_new_json (replayed ? 200 : 201, answer);
}
