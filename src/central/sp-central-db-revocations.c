/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Four eyes on revocation, in two steps between two real operators: one
 * files a request with his own token, a supervisor of the same sede (a
 * different operator, compared by id, also checked by the schema)
 * approves or rejects it with hers. Both steps are audited. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include "sp-central-db-private.h"
#include "sp-secret.h"

#define REQUEST_COLUMNS \
  "r.id, r.cf, r.sede, r.reason, r.status, r.requested_by, q.username, r.requested_at," \
  " d.username, r.decided_at, r.decision_reason, r.revoked"
#define REQUEST_FROM \
  " FROM revocation_requests r JOIN operators q ON q.id = r.requested_by" \
  " LEFT JOIN operators d ON d.id = r.decided_by"

static SpCentralRevocationRequest *
request_from_row (SpSqlStmt *s)
{
  SpCentralRevocationRequest *r = g_new0 (SpCentralRevocationRequest, 1);
  g_auto(GStrv) revoked = NULL;

  r->id = sp_central_db_column_dup (s, 0);
  r->cf = sp_central_db_column_dup (s, 1);
  r->sede = sp_central_db_column_dup (s, 2);
  r->reason = sp_central_db_column_dup (s, 3);
  sp_central_revocation_status_from_string (sp_sql_column_text (s, 4), &r->status);
  r->requested_by_id = sp_sql_column_int64 (s, 5);
  r->requested_by = sp_central_db_column_dup (s, 6);
  r->requested_at = sp_sql_column_int64 (s, 7);
  r->decided_by = sp_central_db_column_dup (s, 8);
  r->decided_at = sp_sql_column_int64 (s, 9);
  r->decision_reason = sp_central_db_column_dup (s, 10);
  r->revoked = g_ptr_array_new_with_free_func (g_free);
  /* Issuance ids (UUIDs) separated by spaces. */
  revoked = g_strsplit (sp_sql_column_text (s, 11) ? sp_sql_column_text (s, 11) : "", " ", -1);
  for (guint i = 0; revoked[i]; i++)
    if (*revoked[i])
      g_ptr_array_add (r->revoked, g_strdup (revoked[i]));
  return r;
}

static gpointer
request_row (SpSqlStmt *s)
{
  return request_from_row (s);
}

/* The request id of sede, or NOT_FOUND (also for another sede's id). */
static SpCentralRevocationRequest *
read_request (SpCentralDb *db,
              const char  *sede,
              const char  *id,
              GError     **error)
{
  SpSqlStmt *s = sp_central_db_query (db, error, "SELECT " REQUEST_COLUMNS REQUEST_FROM
                                                 " WHERE r.id = $1 AND r.sede = $2", "tt", id, sede);
  SpCentralRevocationRequest *r = NULL;
  gboolean found;

  if (s == NULL || !sp_central_db_first_row (db, s, &found, error))
    return NULL;
  if (found)
    r = request_from_row (s);
  else
    g_set_error_literal (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND,
                         "no such revocation request");
  sp_sql_reset (s);
  return r;
}

static gboolean
has_active_pin (SpCentralDb *db,
                const char  *cf,
                char       **active,
                GError     **error)
{
  SpSqlStmt *s = sp_central_db_query (db, error, "SELECT id FROM issuances WHERE cf = $1 AND status = 'active'",
                                      "t", cf);
  gboolean found;

  *active = NULL;
  if (s == NULL || !sp_central_db_first_row (db, s, &found, error))
    return FALSE;
  if (found)
    *active = sp_central_db_column_dup (s, 0);
  sp_sql_reset (s);
  return TRUE;
}

SpCentralRevocationRequest *
sp_central_db_request_revocation (SpCentralDb             *db,
                                  const SpCentralOperator *op,
                                  const char              *cf,
                                  const char              *reason,
                                  gint64                   now,
                                  GError                 **error)
{
  g_autofree char *id = sp_uuid_new ();
  g_autofree char *active = NULL;
  gboolean ok;

  if (!sp_central_db_write_begin_for (db, cf, error))
    return NULL;
  ok = has_active_pin (db, cf, &active, error);
  if (ok && active == NULL)
    {
      g_set_error_literal (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND, "no active PIN to revoke");
      ok = FALSE;
    }
  ok = ok && sp_central_db_run (db, error, "INSERT INTO revocation_requests (id, cf, sede, reason, status,"
                                           " requested_by, requested_at) VALUES ($1, $2, $3, $4, 'pending', $5, $6)",
                                "ttttii", id, cf, op->sede, reason, op->id, now)
          && sp_central_db_audit (db, op->username, "revocation.request", cf, id, now, error);
  if (!sp_central_db_write_end (db, ok, error))
    return NULL;
  return read_request (db, op->sede, id, error);
}

GPtrArray *
sp_central_db_list_revocation_requests (SpCentralDb *db,
                                        const char  *sede,
                                        int          status,
                                        GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_central_revocation_request_free);
  const char *status_text = status < 0 ? NULL : sp_central_revocation_status_to_string (status);
  SpSqlStmt *s = sp_central_db_query (db, error, "SELECT " REQUEST_COLUMNS REQUEST_FROM
                                                 " WHERE r.sede = $1 AND (CAST($2 AS TEXT) IS NULL OR r.status = $2)"
                                                 " ORDER BY r.requested_at, r.id LIMIT 500",
                                      "tt", sede, status_text);

  if (!sp_central_db_collect (db, s, request_row, list, error))
    return NULL;
  return g_steal_pointer (&list);
}

/* Revokes cf's active PIN, if it still has one, and records the
 * revocation so that it also wins over an older issuance still to arrive. */
static gboolean
revoke_active (SpCentralDb                *db,
        const SpCentralRevocationRequest *r,
        const SpCentralOperator    *supervisor,
        gint64                      now,
        char                      **revoked,
        GError                    **error)
{
  g_autofree char *active = NULL;

  *revoked = NULL;
  if (!has_active_pin (db, r->cf, &active, error)
      || !sp_central_db_run (db, error, "INSERT INTO revocations (cf, at, reason, requested_by, approved_by)"
                                        " VALUES ($1, $2, $3, $4, $5)", "titt" "t",
                             r->cf, now, r->reason, r->requested_by, supervisor->username))
    return FALSE;
  if (active != NULL
      && !sp_central_db_end_issuance (db, active, SP_CENTRAL_ISSUANCE_REVOKED, r->reason,
                                      supervisor->username, now, error))
    return FALSE;
  *revoked = g_steal_pointer (&active);
  return TRUE;
}

static gboolean
decide (SpCentralDb             *db,
        const SpCentralOperator *supervisor,
        const char              *id,
        gboolean                 approve,
        const char              *reason,
        gint64                   now,
        GError                 **error)
{
  g_autoptr(SpCentralRevocationRequest) r = read_request (db, supervisor->sede, id, error);
  g_autofree char *revoked = NULL;

  if (r == NULL)
    return FALSE;
  if (r->status != SP_CENTRAL_REVOCATION_PENDING)
    {
      g_set_error (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_CONFLICT, "the request is %s already",
                   sp_central_revocation_status_to_string (r->status));
      return FALSE;
    }
  /* Four eyes: by operator id, not by a name the client sends. */
  if (r->requested_by_id == supervisor->id)
    {
      g_set_error_literal (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_FOUR_EYES,
                           "the supervisor deciding a revocation must not be the one who requested it");
      return FALSE;
    }
  if (approve && !revoke_active (db, r, supervisor, now, &revoked, error))
    return FALSE;
  return sp_central_db_run (db, error, "UPDATE revocation_requests SET status = $1, decided_by = $2,"
                                       " decided_at = $3, decision_reason = $4, revoked = $5"
                                       " WHERE id = $6 AND status = 'pending'", "tiittt",
                            approve ? "approved" : "rejected", supervisor->id, now, reason,
                            revoked ? revoked : "", id)
      && sp_central_db_audit (db, supervisor->username, approve ? "revocation.approve" : "revocation.reject",
                              r->cf, id, now, error);
}

SpCentralRevocationRequest *
sp_central_db_decide_revocation (SpCentralDb             *db,
                                 const SpCentralOperator *supervisor,
                                 const char              *id_text,
                                 gboolean                 approve,
                                 const char              *reason,
                                 gint64                   now,
                                 GError                 **error)
{
  g_autofree char *id = g_ascii_strdown (id_text, -1);
  g_autoptr(SpCentralRevocationRequest) before = read_request (db, supervisor->sede, id, error);
  gboolean ok;

  /* The citizen's lock first, like every writer that may end an issuance. */
  if (before == NULL || !sp_central_db_write_begin_for (db, before->cf, error))
    return NULL;
  ok = decide (db, supervisor, id, approve, reason, now, error);
  if (!sp_central_db_write_end (db, ok, error))
    return NULL;
  return read_request (db, supervisor->sede, id, error);
}
