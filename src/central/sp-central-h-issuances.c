/* SPDX-License-Identifier: GPL-3.0-or-later */
/* POST /v1/issuances (group-committed), GET /v1/issuances/{id},
 * POST /v1/issuances/{id}/void. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <string.h>

#include "sp-central-handler.h"
#include "sp-central-handlers.h"
#include "sp-central-problem.h"
#include "sp-central-views.h"
#include "sp-secret.h"

/* Workstation clocks run ahead: issue times more than this in the future
 * are clamped to the receive time (DESIGN §5). */
#define CLOCK_TOLERANCE_MS (5 * 60 * 1000)

static SpCentralResponse *
check_issuance (SpIssuance *is,
                const char *key)
{
  g_autofree char *cf = NULL;
  SpCentralResponse *problem;

  if ((problem = sp_central_validate_cf (is->cf, &cf)))
    return problem;
  /* UUIDs compare in any case; the repository stores them lower-case. */
  if (is->id == NULL || g_ascii_strcasecmp (key, is->id) != 0)
    return sp_central_problem_new (422, "key-mismatch", "Idempotency-Key is not the issuance id",
                                   "send the issuance's UUID as its Idempotency-Key");
  if (g_strcmp0 (is->citizen->cf, is->cf) != 0)
    return sp_central_problem_field (422, "invalid-body", "The citizen does not match", "citizen.cf",
                                     "citizen.cf differs from cf");
  if (!is->attested_in_person)
    return sp_central_problem_new (422, "not-attested", "Identity not attested",
                                   "the operator must attest the in-person identity check");
  g_free (is->cf);
  is->cf = g_steal_pointer (&cf);
  g_free (is->citizen->cf);
  is->citizen->cf = g_strdup (is->cf);
  return NULL;
}

/* Parses and checks one registration; on success fills reg (which then
 * owns a new SpIssuance and fingerprint) and returns NULL. */
static SpCentralResponse *
prepare (SpCentralRequest      *req,
         SpCentralRegistration *reg,
         gint64                 now)
{
  const char *key = sp_central_request_header (req, "Idempotency-Key");
  g_autoptr(GError) error = NULL;
  g_autoptr(SpIssuance) is = NULL;
  SpCentralResponse *problem;
  gsize len;
  const char *data = sp_central_request_body (req, &len);
  gint64 issued_at;

  if (key == NULL || *key == '\0')
    return sp_central_problem_new (400, "idempotency-key-required", "Idempotency-Key required",
                                   "send the issuance's UUID in the Idempotency-Key header");
  /* One spelling per UUID: an upper-case copy of a key must not make a
   * second row. */
  if (!sp_uuid_is_valid (key) || !sp_central_is_lower (key))
    return sp_central_problem_new (400, "invalid-idempotency-key", "Idempotency-Key is not a canonical UUID",
                                   "send the issuance's UUID in lower case");
  is = sp_issuance_from_string (data, len, &error);
  if (is == NULL)
    {
      g_autoptr(JsonObject) extra = json_object_new ();

      if (error->domain == SP_ISSUANCE_ERROR)
        json_object_set_string_member (extra, "field", error->message);
      return sp_central_problem_new_with (400, "invalid-body", "The issuance is not valid", error->message, extra);
    }
  if ((problem = check_issuance (is, key)))
    return problem;
  /* The issuance belongs to the operator's sede, whatever the body says. */
  if (is->sede != NULL && (problem = sp_central_require_sede (req, is->sede)))
    return problem;
  g_free (is->sede);
  is->sede = g_strdup (req->op->sede);
  g_free (is->operator_id);
  is->operator_id = g_strdup (req->op->username);
  issued_at = g_date_time_to_unix (is->issued_at) * 1000 + g_date_time_get_microsecond (is->issued_at) / 1000;
  *reg = (SpCentralRegistration) {
    .key = key,
    .fingerprint = sp_sha256_hex (data, len),
    .issuance = g_steal_pointer (&is),
    .issued_at = issued_at > now + CLOCK_TOLERANCE_MS ? now : issued_at,
  };
  return NULL;
}

static SpCentralResponse *
registration_answer (SpCentralRegistration *r)
{
  SpCentralResponse *resp;

  if (r->error != NULL)
    {
      if (g_error_matches (r->error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_EXISTS))
        return sp_central_problem_new (422, "idempotency-key-reused",
                                       "Idempotency-Key reused with another body", NULL);
      /* Another operator's issuance id: final, so 422 (the workstation
       * parks it) rather than a 409 it would retry. */
      if (g_error_matches (r->error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_CONFLICT))
        return sp_central_problem_new (422, "id-taken", "Another operator registered this id", "%s",
                                       r->error->message);
      return sp_central_db_problem (r->error);
    }
  resp = sp_central_response_new_take (r->status, "application/json", g_steal_pointer (&r->response));
  if (r->replayed)
    sp_central_response_set_header (resp, "Idempotent-Replayed", "true");
  return resp;
}

/* Group commit: synchronous=FULL makes every COMMIT an fsync. The
 * registrations that queued up on the writer while the previous batch
 * committed go in one transaction, each in its own savepoint: one fsync
 * for the batch, and no answer before its effect is durable. */
void
sp_central_h_register_batch (SpCentralRequest  **reqs,
                             guint               n,
                             SpCentralDb        *db,
                             SpCentralResponse **responses)
{
  g_autofree SpCentralRegistration *regs = g_new0 (SpCentralRegistration, n);
  g_autofree guint *which = g_new0 (guint, n);
  g_autoptr(GError) error = NULL;
  gint64 now = sp_central_now_ms ();
  guint valid = 0;

  for (guint i = 0; i < n; i++)
    {
      responses[i] = prepare (reqs[i], &regs[valid], now);
      if (responses[i] == NULL)
        which[valid++] = i;
    }
  if (valid > 0)
    sp_central_db_register_batch (db, regs, valid, now, &error);
  for (guint v = 0; v < valid; v++)
    {
      responses[which[v]] = registration_answer (&regs[v]);
      g_clear_error (&regs[v].error);
      g_free (regs[v].response);
      g_free ((char *) regs[v].fingerprint);
      sp_issuance_free ((SpIssuance *) regs[v].issuance);
    }
}

SpCentralResponse *
sp_central_h_register (SpCentralRequest *req,
                       SpCentralDb      *db)
{
  SpCentralResponse *resp = NULL;

  sp_central_h_register_batch (&req, 1, db, &resp);
  return resp;
}

SpCentralResponse *
sp_central_h_get_issuance (SpCentralRequest *req,
                           SpCentralDb      *db)
{
  const char *id = sp_central_request_param (req, "id");
  g_autoptr(SpCentralIssuanceRow) row = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  /* Looked up within the operator's sede: another sede's id answers
   * exactly like an unknown one. */
  if (!sp_uuid_is_valid (id))
    return sp_central_problem_new (404, "not-found", "Not found", "no such issuance");
  row = sp_central_db_get_issuance (db, sp_central_op_sede (req), id, &error);
  if (row == NULL)
    return sp_central_db_problem (error);
  answer = sp_central_view_issuance (row);
  return sp_central_response_new_json (200, answer);
}

SpCentralResponse *
sp_central_h_void (SpCentralRequest *req,
                   SpCentralDb      *db)
{
  const char *id = sp_central_request_param (req, "id");
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(SpCentralIssuanceRow) row = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  SpCentralResponse *problem = NULL;
  JsonObject *body;
  const char *reason;

  if (!sp_uuid_is_valid (id))
    return sp_central_problem_new (404, "not-found", "Not found", "no such issuance");
  if ((body = sp_central_parse_body (req, &parser, &problem)) == NULL
      || (reason = sp_central_string_member (body, "reason", TRUE, &problem)) == NULL)
    return problem;
  /* Only an active issuance is voided (409 otherwise); a voided one
   * again answers like the first time. */
  row = sp_central_db_void_issuance (db, sp_central_op_sede (req), id, reason, req->op->username,
                                     sp_central_now_ms (), &error);
  if (row == NULL)
    return sp_central_db_problem (error);
  answer = sp_central_view_issuance (row);
  return sp_central_response_new_json (200, answer);
}
