/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PUT /v1/issuances/{id}/attachments/{kind}: a scan (PDF) of an issuance. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <string.h>
#include <sodium.h>

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
  g_autofree char *claimed = NULL;
  g_autofree char *actual = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCentralIssuanceRow) row = NULL;
  g_autoptr(JsonNode) answer = NULL;
  SpAttachmentKind kind;
  gboolean replayed = FALSE;
  gsize len;
  const char *data = sp_central_request_body (req, &len);

  if (!sp_uuid_is_valid (id))
    return sp_central_problem_new (404, "not-found", "Not found", "no such issuance");
  if (!sp_attachment_kind_from_string (kind_text, &kind))
    return sp_central_problem_new (404, "not-found", "Unknown attachment kind", NULL);
  if (len < 5 || memcmp (data, "%PDF-", 5) != 0)
    return sp_central_problem_new (415, "not-pdf", "Attachments are PDF files", NULL);
  claimed = sp_central_body_digest (req);
  actual = sp_sha256_hex (data, len);
  if (claimed == NULL || !g_str_equal (claimed, actual))
    return sp_central_problem_new (400, "digest-mismatch", "The SHA-256 digest does not match",
                                   "send Content-Digest: sha-256=:BASE64: of the exact body");
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
