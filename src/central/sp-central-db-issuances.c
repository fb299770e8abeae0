/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Central's repository: issuances (registration with idempotency and the
 * one-active-PIN rule, void, attachments), the change feed, the day's
 * register and retention. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <string.h>

#include "sp-central-db-private.h"
#include "sp-central-policy.h"
#include "sp-secret.h"

/* ---- the change feed's rows ---- */

static char *
change_payload (const char             *id,
                const char             *cf,
                const char             *sede,
                SpCentralIssuanceStatus status,
                gint64                  issued_at,
                const char             *superseded_by)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *issued = sp_central_ms_to_iso (issued_at);

  json_builder_begin_object (b);
  sp_json_add_string (b, "type", "issuance");
  sp_json_add_string (b, "id", id);
  sp_json_add_string (b, "cf", cf);
  sp_json_add_string (b, "sede", sede);
  sp_json_add_string (b, "status", sp_central_issuance_status_to_string (status));
  sp_json_add_string (b, "issued_at", issued);
  /* The sede that handed over this envelope must see it flagged. */
  if (superseded_by != NULL)
    sp_json_add_string (b, "superseded_by", superseded_by);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* One change-feed row for the issuance's sede and one for every other
 * sede that served this citizen (made an issuance for cf): the feed
 * follows the citizens a sede served, not the whole registry. */
static gboolean
add_changes (SpCentralDb *db,
             const char  *cf,
             const char  *own_sede,
             const char  *payload,
             gint64       now,
             gint64      *seq,
             GError     **error)
{
  /* One statement for all the rows; RETURNING says which seq is ours. */
  SpSqlStmt *s = sp_central_db_query (db, error, "INSERT INTO changes (sede, cf, payload, at)"
                                                 " SELECT CAST($1 AS TEXT), CAST($2 AS TEXT), CAST($3 AS TEXT), CAST($4 AS BIGINT)"
                                                 " UNION ALL SELECT DISTINCT sede, $2, $3, CAST($4 AS BIGINT) FROM issuances"
                                                 " WHERE cf = $2 AND sede <> $1 RETURNING seq, sede",
                                      "ttti", own_sede, cf, payload, now);
  GError *local = NULL;
  SpSqlStep rc;

  /* seq is drawn under the writers' lock, held to COMMIT: seq order is
   * commit order, so a reader past seq N has seen every row below N. */
  g_return_val_if_fail (sp_sql_writers_locked (db->sql), FALSE);
  if (s == NULL)
    return FALSE;
  if (seq != NULL)
    *seq = 0;
  while ((rc = sp_sql_step (s, &local)) == SP_SQL_STEP_ROW)
    if (seq != NULL && g_strcmp0 (sp_sql_column_text (s, 1), own_sede) == 0)
      *seq = sp_sql_column_int64 (s, 0);
  sp_sql_reset (s);
  return rc == SP_SQL_STEP_DONE || sp_central_db_take_error (error, local);
}

/* ---- registration ---- */

/* What the first phase of a registration needs to know, read in one
 * round trip: the stored answer of its key (in its scope), the last
 * revocation, the active issuance, whether the registry has the citizen
 * and whether there are PIN failures to forget. */
typedef struct {
  gboolean answered;         /* the key was used before in this scope */
  char *fingerprint;
  guint status;
  char *response;
  gint64 revoked_at;
  char *old_id;              /* the active issuance, if any */
  char *old_sede;
  gint64 old_issued;
  gboolean has_attempts;
  gboolean known_citizen;
} Facts;

static void
facts_clear (Facts *f)
{
  g_clear_pointer (&f->fingerprint, g_free);
  g_clear_pointer (&f->response, g_free);
  g_clear_pointer (&f->old_id, g_free);
  g_clear_pointer (&f->old_sede, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Facts, facts_clear)

static gboolean
read_facts (SpCentralDb *db,
            const char  *key,
            const char  *cf,
            const char  *sede,
            const char  *operator,
            Facts       *f,
            GError     **error)
{
  SpSqlStmt *s = sp_central_db_query (db, error,
                                      "SELECT k.fingerprint, k.status, k.response,"
                                      " (SELECT MAX(at) FROM revocations WHERE cf = $2),"
                                      " a.id, a.sede, a.issued_at,"
                                      " (SELECT COUNT(*) FROM pin_attempts WHERE cf = $2),"
                                      " (SELECT COUNT(*) FROM citizens WHERE cf = $2)"
                                      " FROM (SELECT 1) one"
                                      " LEFT JOIN idempotency k ON k.key = $1 AND k.sede = $3 AND k.operator = $4"
                                      " LEFT JOIN issuances a ON a.cf = $2 AND a.status = 'active'",
                                      "tttt", key, cf, sede, operator);
  gboolean found;

  if (s == NULL || !sp_central_db_first_row (db, s, &found, error))
    return FALSE;
  if (found)
    {
      f->answered = !sp_sql_column_is_null (s, 0);
      f->fingerprint = sp_central_db_column_dup (s, 0);
      f->status = sp_sql_column_int64 (s, 1);
      f->response = sp_central_db_column_dup (s, 2);
      f->revoked_at = sp_sql_column_is_null (s, 3) ? 0 : sp_sql_column_int64 (s, 3);
      f->old_id = sp_central_db_column_dup (s, 4);
      f->old_sede = sp_central_db_column_dup (s, 5);
      f->old_issued = sp_sql_column_int64 (s, 6);
      f->has_attempts = sp_sql_column_int64 (s, 7) > 0;
      f->known_citizen = sp_sql_column_int64 (s, 8) > 0;
    }
  sp_sql_reset (s);
  return TRUE;
}

/* The fingerprint of a void that came before its registration: no
 * SHA-256 is this word, so no body ever matches it. */
#define VOID_TOMBSTONE "void-before-registration"

/* What a registration's first phase leaves for its second (written
 * under the writers' lock): the status it got, and the issuance it
 * superseded, whose sede must hear of it. */
typedef struct {
  gboolean pending;          /* first phase done, second to do */
  int same_as;               /* an earlier registration of the batch with this key and scope, or -1 */
  char *key;                 /* canonical lower case */
  SpCentralIssuanceStatus status;
  char *old_id;
  char *old_sede;
  gint64 old_issued;
} Tail;

static void
tail_clear (Tail *t)
{
  g_clear_pointer (&t->key, g_free);
  g_clear_pointer (&t->old_id, g_free);
  g_clear_pointer (&t->old_sede, g_free);
}

/* The rules of DESIGN §5: a revocation recorded after the issue time wins;
 * otherwise the later issue time stays active and the other is superseded.
 * Sets the status of the new issuance and what it superseded. */
static gboolean
settle_status (SpCentralDb *db,
               const char  *id,
               gint64       issued_at,
               gint64       now,
               Facts       *f,
               Tail        *tail,
               GError     **error)
{
  tail->status = SP_CENTRAL_ISSUANCE_REVOKED;
  if (f->revoked_at > issued_at)
    return TRUE;
  tail->status = SP_CENTRAL_ISSUANCE_ACTIVE;
  if (f->old_id == NULL)
    return TRUE;
  if (f->old_issued > issued_at)
    {
      tail->status = SP_CENTRAL_ISSUANCE_SUPERSEDED;   /* made offline, earlier than the active one */
      return TRUE;
    }
  if (!sp_central_db_run (db, error, "UPDATE issuances SET status = 'superseded', ended_at = $1,"
                                     " reason = $2 WHERE id = $3", "itt", now, id, f->old_id))
    return FALSE;
  tail->old_id = g_steal_pointer (&f->old_id);
  tail->old_sede = g_steal_pointer (&f->old_sede);
  tail->old_issued = f->old_issued;
  return TRUE;
}

static char *
issuance_answer (const char             *id,
                 SpCentralIssuanceStatus status,
                 gint64                  now,
                 gint64                  seq)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  sp_json_add_string (b, "id", id);
  sp_json_add_string (b, "status", sp_central_issuance_status_to_string (status));
  json_builder_set_member_name (b, "activated_at");
  if (status == SP_CENTRAL_ISSUANCE_ACTIVE)
    {
      g_autofree char *at = sp_central_ms_to_iso (now);
      json_builder_add_string_value (b, at);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "seq");
  json_builder_add_int_value (b, seq);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static gboolean
insert_issuance (SpCentralDb             *db,
                 const char              *id,
                 const SpIssuance        *is,
                 SpCentralIssuanceStatus  status,
                 gint64                   issued_at,
                 gint64                   now,
                 GError                 **error)
{
  g_autofree char *body = sp_issuance_to_string (is);

  if (!sp_central_db_run (db, error, "INSERT INTO issuances (id, cf, sede, operator, workstation,"
                                     " issued_at, received_at, status, verifier, body, ended_at)"
                                     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULLIF(CAST($11 AS BIGINT), 0))"
                                     " ON CONFLICT (id) DO NOTHING",
                          "tttttiittti", id, is->cf, is->sede, is->operator_id, is->workstation,
                          issued_at, now, sp_central_issuance_status_to_string (status), is->verifier, body,
                          status == SP_CENTRAL_ISSUANCE_ACTIVE ? (gint64) 0 : now))
    return FALSE;
  /* Nothing inserted: another sede's or operator's key (the idempotency
   * lookup is scoped), whose answer is not ours to replay. */
  if (sp_sql_changes (db->sql) == 0)
    {
      g_set_error (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_CONFLICT,
                   "issuance %s was registered by another operator", id);
      return FALSE;
    }
  return TRUE;
}

/* First phase, under the codici fiscali's locks only: everything that
 * concerns this citizen (the one-active-PIN rule, the rows). */
static gboolean
register_head (SpCentralDb           *db,
               SpCentralRegistration *r,
               Facts                 *f,
               Tail                  *tail,
               gint64                 now,
               GError               **error)
{
  const SpIssuance *is = r->issuance;

  if (!sp_central_policy_check_verifier (is->verifier, error)
      /* A person the registry lacks is added, marked as coming from the counter. */
      || (!f->known_citizen && !sp_central_db_insert_citizen (db, is->citizen, FALSE, "counter", FALSE, error))
      || !settle_status (db, tail->key, r->issued_at, now, f, tail, error)
      || !insert_issuance (db, tail->key, is, tail->status, r->issued_at, now, error))
    return FALSE;
  /* A new PIN, after the in-person check, starts with a clean failure count. */
  if (tail->status == SP_CENTRAL_ISSUANCE_ACTIVE && f->has_attempts && !sp_central_db_pin_clear (db, is->cf, error))
    return FALSE;
  tail->pending = TRUE;
  return TRUE;
}

/* Second phase, under the writers' lock: the change-feed rows (whose
 * seq is in the answer), the stored answer, the audit row. */
static gboolean
register_tail (SpCentralDb           *db,
               SpCentralRegistration *r,
               Tail                  *tail,
               gint64                 now,
               GError               **error)
{
  const SpIssuance *is = r->issuance;
  g_autofree char *payload = change_payload (tail->key, is->cf, is->sede, tail->status, r->issued_at, NULL);
  gint64 seq = 0;

  if (tail->old_id != NULL)
    {
      g_autofree char *old = change_payload (tail->old_id, is->cf, tail->old_sede, SP_CENTRAL_ISSUANCE_SUPERSEDED,
                                             tail->old_issued, tail->key);

      if (!add_changes (db, is->cf, tail->old_sede, old, now, NULL, error))
        return FALSE;
    }
  if (!add_changes (db, is->cf, is->sede, payload, now, &seq, error))
    return FALSE;
  r->status = 201;
  r->response = issuance_answer (tail->key, tail->status, now, seq);
  return sp_central_db_run (db, error, "INSERT INTO idempotency (key, fingerprint, status, response,"
                                       " created_at, sede, operator) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                            "ttititt", tail->key, r->fingerprint, (gint64) r->status, r->response, now,
                            is->sede, is->operator_id)
      && sp_central_db_audit (db, is->operator_id, "issuance.register", tail->key,
                              sp_central_issuance_status_to_string (tail->status), now, error);
}

static gboolean
savepoint (SpCentralDb *db,
           const char  *sql,
           GError     **error)
{
  GError *local = NULL;

  return sp_sql_exec (db->sql, sql, &local) || sp_central_db_take_error (error, local);
}

static gboolean
same_scope (const SpCentralRegistration *a,
            const SpCentralRegistration *b)
{
  return g_strcmp0 (a->issuance->sede, b->issuance->sede) == 0
      && g_strcmp0 (a->issuance->operator_id, b->issuance->operator_id) == 0;
}

/* The first phase of one registration, in its savepoint. FALSE only when
 * the savepoint machinery itself failed (the transaction is unusable). */
static gboolean
register_one (SpCentralDb           *db,
              SpCentralRegistration *regs,
              Tail                  *tails,
              guint                  i,
              gint64                 now,
              GError               **error)
{
  SpCentralRegistration *r = &regs[i];
  Tail *tail = &tails[i];
  g_auto(Facts) facts = { 0 };
  gboolean ok;

  /* UUIDs compare in canonical lower case: "ABC…" is not a second key. */
  tail->key = g_ascii_strdown (r->key, -1);
  tail->same_as = -1;
  /* The same key twice in one batch (a retry that overtook its first
   * try): the second is answered as a replay of the first, after. */
  for (guint j = 0; j < i; j++)
    if (g_str_equal (tails[j].key, tail->key) && same_scope (&regs[j], r))
      {
        tail->same_as = j;
        return TRUE;
      }
  /* The key, the fingerprint and the answer are read and written in the
   * same transaction as the effect: a retry can never make a second row. */
  ok = read_facts (db, tail->key, r->issuance->cf, r->issuance->sede, r->issuance->operator_id, &facts,
                   &r->error);
  if (ok && facts.answered && g_strcmp0 (facts.fingerprint, VOID_TOMBSTONE) == 0)
    {
      g_set_error_literal (&r->error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_VOIDED,
                           "this issuance was voided before central received it");
      ok = FALSE;
    }
  else if (ok && facts.answered && g_strcmp0 (facts.fingerprint, r->fingerprint) != 0)
    {
      g_set_error_literal (&r->error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_EXISTS,
                           "this Idempotency-Key was used with a different body");
      ok = FALSE;
    }
  else if (ok && facts.answered)
    {
      r->replayed = TRUE;
      r->status = facts.status;
      r->response = g_steal_pointer (&facts.response);
    }
  else if (ok)
    ok = register_head (db, r, &facts, tail, now, &r->error);
  if (!ok)
    {
      g_clear_pointer (&r->response, g_free);
      r->replayed = FALSE;
      tail->pending = FALSE;
      g_clear_pointer (&tail->old_id, g_free);
      return savepoint (db, "ROLLBACK TO registration", error);
    }
  return TRUE;
}

/* A registration that repeated an earlier one of its batch. */
static void
answer_as (SpCentralRegistration       *r,
           const SpCentralRegistration *first)
{
  if (first->error != NULL)
    r->error = g_error_copy (first->error);
  else if (g_strcmp0 (first->fingerprint, r->fingerprint) != 0)
    g_set_error_literal (&r->error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_EXISTS,
                         "this Idempotency-Key was used with a different body");
  else
    {
      r->status = first->status;
      r->response = g_strdup (first->response);
      r->replayed = TRUE;
    }
}

/* Group commit in two phases (the ordering argument is in README,
 * "Several instances on one PostgreSQL"): the citizens' locks, every
 * registration's rows in its own savepoint; then the writers' lock,
 * the change-feed rows, answers and audit rows of all; one COMMIT. */
gboolean
sp_central_db_register_batch (SpCentralDb           *db,
                              SpCentralRegistration *regs,
                              guint                  n,
                              gint64                 now,
                              GError               **error)
{
  g_autofree const char **cfs = g_new0 (const char *, MAX (n, 1));
  g_autofree Tail *tails = g_new0 (Tail, MAX (n, 1));
  gboolean ok;

  for (guint i = 0; i < n; i++)
    cfs[i] = regs[i].issuance->cf;
  ok = sp_central_db_write_begin_keyed (db, cfs, n, error)
    && savepoint (db, "SAVEPOINT registration", error);
  /* The release of one savepoint and the next go to the server together. */
  for (guint i = 0; ok && i < n; i++)
    ok = register_one (db, regs, tails, i, now, error)
      && savepoint (db, i + 1 < n ? "RELEASE registration; SAVEPOINT registration" : "RELEASE registration", error);
  ok = ok && sp_central_db_lock_writers (db, error);
  for (guint i = 0; ok && i < n; i++)
    if (tails[i].pending)
      ok = register_tail (db, &regs[i], &tails[i], now, error);
  ok = sp_central_db_write_end (db, ok, error);
  for (guint i = 0; i < n; i++)
    {
      if (!ok)
        {
          g_clear_pointer (&regs[i].response, g_free);
          g_clear_error (&regs[i].error);
          regs[i].replayed = FALSE;
          regs[i].error = g_error_copy (*error);
        }
      else if (tails[i].same_as >= 0)
        answer_as (&regs[i], &regs[tails[i].same_as]);
      tail_clear (&tails[i]);
    }
  return ok;
}

gboolean
sp_central_db_register_issuance (SpCentralDb      *db,
                                 const char       *key,
                                 const char       *fingerprint,
                                 const SpIssuance *issuance,
                                 gint64            now,
                                 gint64            issued_at,
                                 guint            *status,
                                 char            **response,
                                 gboolean         *replayed,
                                 GError          **error)
{
  SpCentralRegistration r = { key, fingerprint, issuance, issued_at };
  g_autoptr(GError) batch_error = NULL;

  sp_central_db_register_batch (db, &r, 1, now, &batch_error);
  *status = r.status;
  *response = r.response;
  *replayed = r.replayed;
  if (r.error != NULL)
    {
      g_propagate_error (error, r.error);
      return FALSE;
    }
  return TRUE;
}

/* ---- reading an issuance ---- */

/* The scans the applicant's role requires (R1, R3, R4) that have not
 * arrived yet: the archive of an issuance is complete when this is empty. */
static void
fill_missing (SpCentralIssuanceRow *row,
              const SpIssuance     *stored)
{
  g_autoptr(GArray) required = NULL;

  row->attachments_missing = g_ptr_array_new_with_free_func (g_free);
  if (stored == NULL || stored->document == NULL)
    return;
  required = sp_applicant_required_attachments (stored->role,
                                                sp_document_type_has_back (stored->document->type));
  for (guint i = 0; i < required->len; i++)
    {
      const char *kind = sp_attachment_kind_to_string (g_array_index (required, guint, i));
      gboolean arrived = FALSE;

      for (guint j = 0; j < row->attachments->len; j++)
        arrived |= g_str_equal (((SpCentralAttachmentRow *) g_ptr_array_index (row->attachments, j))->kind, kind);
      if (!arrived)
        g_ptr_array_add (row->attachments_missing, g_strdup (kind));
    }
}

static gpointer
attachment_from_row (SpSqlStmt *s)
{
  SpCentralAttachmentRow *a = g_new0 (SpCentralAttachmentRow, 1);

  a->kind = sp_central_db_column_dup (s, 0);
  a->sha256 = sp_central_db_column_dup (s, 1);
  a->size = sp_sql_column_int64 (s, 2);
  return a;
}

static gboolean
read_attachments (SpCentralDb          *db,
                  SpCentralIssuanceRow *row,
                  GError              **error)
{
  SpSqlStmt *s = sp_central_db_query (db, error, "SELECT kind, sha256, size FROM attachments"
                                                 " WHERE issuance_id = $1 ORDER BY kind", "t", row->id);

  row->attachments = sp_central_attachment_rows_new ();
  return sp_central_db_collect (db, s, attachment_from_row, row->attachments, error);
}

/* The row and the issuance body as the workstation sent it. */
static SpCentralIssuanceRow *
read_issuance (SpCentralDb *db,
               const char  *sede,
               const char  *id,
               SpIssuance **body,
               GError     **error)
{
  /* $2 NULL: any sede (the command line). A sede asking for another's id
   * gets the same NOT_FOUND as for an unknown one. */
  SpSqlStmt *s = sp_central_db_query (db, error, "SELECT id, cf, sede, operator, workstation, issued_at,"
                                                 " received_at, status, reason, body FROM issuances"
                                                 " WHERE id = $1 AND (CAST($2 AS TEXT) IS NULL OR sede = $2)",
                                      "tt", id, sede);
  g_autoptr(SpCentralIssuanceRow) row = NULL;
  g_autoptr(SpIssuance) stored = NULL;
  gboolean found;

  if (s == NULL || !sp_central_db_first_row (db, s, &found, error))
    return NULL;
  if (!found)
    {
      g_set_error (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND, "no such issuance");
      return NULL;
    }
  row = g_new0 (SpCentralIssuanceRow, 1);
  row->id = sp_central_db_column_dup (s, 0);
  row->cf = sp_central_db_column_dup (s, 1);
  row->sede = sp_central_db_column_dup (s, 2);
  row->operator = sp_central_db_column_dup (s, 3);
  row->workstation = sp_central_db_column_dup (s, 4);
  row->issued_at = sp_sql_column_int64 (s, 5);
  row->received_at = sp_sql_column_int64 (s, 6);
  sp_central_issuance_status_from_string (sp_sql_column_text (s, 7), &row->status);
  row->reason = sp_central_db_column_dup (s, 8);
  stored = sp_issuance_from_string (sp_sql_column_text (s, 9), -1, NULL);
  sp_sql_reset (s);
  if (!read_attachments (db, row, error))
    return NULL;
  fill_missing (row, stored);
  if (body != NULL)
    *body = g_steal_pointer (&stored);
  return g_steal_pointer (&row);
}

SpCentralIssuanceRow *
sp_central_db_get_issuance (SpCentralDb *db,
                            const char  *sede,
                            const char  *id,
                            GError     **error)
{
  g_autofree char *canonical = g_ascii_strdown (id, -1);

  return read_issuance (db, sede, canonical, NULL, error);
}

/* ---- ending an issuance ---- */

gboolean
sp_central_db_end_issuance (SpCentralDb            *db,
                            const char             *id,
                            SpCentralIssuanceStatus to,
                            const char             *reason,
                            const char             *actor,
                            gint64                  now,
                            GError                **error)
{
  g_autoptr(SpCentralIssuanceRow) row = read_issuance (db, NULL, id, NULL, error);
  g_autofree char *payload = NULL;

  if (row == NULL)
    return FALSE;
  if (row->status != SP_CENTRAL_ISSUANCE_ACTIVE)
    {
      g_set_error (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_CONFLICT, "the issuance is %s, not active",
                   sp_central_issuance_status_to_string (row->status));
      return FALSE;
    }
  payload = change_payload (id, row->cf, row->sede, to, row->issued_at, NULL);
  return sp_central_db_run (db, error, "UPDATE issuances SET status = $1, ended_at = $2, reason = $3"
                                       " WHERE id = $4 AND status = 'active'", "titt",
                            sp_central_issuance_status_to_string (to), now, reason, id)
      && add_changes (db, row->cf, row->sede, payload, now, NULL, error)
      && sp_central_db_audit (db, actor, to == SP_CENTRAL_ISSUANCE_VOIDED ? "issuance.void" : "issuance.revoke",
                              id, reason, now, error);
}

/* The registration's own Idempotency-Key, taken by the void: the late
 * registration finds it (same key, sede and operator, in the same read
 * as its other facts) and is refused. A registration that committed in
 * the meantime keeps its key (DO NOTHING) and the void is retried on it.
 * Under the writers' lock only: no citizen is known. */
static gboolean
leave_tombstone (SpCentralDb *db,
                 const char  *sede,
                 const char  *id,
                 const char  *reason,
                 const char  *actor,
                 gint64       now,
                 GError     **error)
{
  static const char answer[] = "{\"type\":\"voided\",\"title\":\"Voided before registration\",\"status\":410}";
  gboolean ok;

  if (!sp_central_db_write_begin (db, error))
    return FALSE;
  ok = sp_central_db_run (db, error, "INSERT INTO idempotency (key, fingerprint, status, response,"
                                     " created_at, sede, operator) VALUES ($1, $2, 410, $3, $4, $5, $6)"
                                     " ON CONFLICT (key) DO NOTHING",
                          "tttitt", id, VOID_TOMBSTONE, answer, now, sede, actor)
       && sp_central_db_audit (db, actor, "issuance.void-unregistered", id, reason, now, error);
  return sp_central_db_write_end (db, ok, error);
}

SpCentralIssuanceRow *
sp_central_db_void_issuance (SpCentralDb *db,
                             const char  *sede,
                             const char  *id_text,
                             const char  *reason,
                             const char  *actor,
                             gint64       now,
                             GError     **error)
{
  g_autofree char *id = g_ascii_strdown (id_text, -1);
  g_autoptr(GError) missing = NULL;
  g_autoptr(SpCentralIssuanceRow) row = read_issuance (db, sede, id, NULL, &missing);
  gboolean ok;

  if (row == NULL && g_error_matches (missing, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND) && sede != NULL)
    {
      if (!leave_tombstone (db, sede, id, reason, actor, now, error))
        return NULL;
      g_clear_error (&missing);
      row = read_issuance (db, sede, id, NULL, &missing);
    }
  if (row == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&missing));
      return NULL;
    }
  /* The citizen's lock first, like every writer (then read again under it). */
  if (!sp_central_db_write_begin_for (db, row->cf, error))
    return NULL;
  g_clear_pointer (&row, sp_central_issuance_row_free);
  row = read_issuance (db, sede, id, NULL, error);
  ok = row != NULL;
  /* Voiding twice answers like the first time: the workstation retries a
   * void whose answer it lost. Any other end is final (409). */
  if (ok && row->status != SP_CENTRAL_ISSUANCE_VOIDED)
    ok = sp_central_db_end_issuance (db, id, SP_CENTRAL_ISSUANCE_VOIDED, reason, actor, now, error);
  if (!sp_central_db_write_end (db, ok, error))
    return NULL;
  if (row->status == SP_CENTRAL_ISSUANCE_VOIDED)
    return g_steal_pointer (&row);
  return read_issuance (db, sede, id, NULL, error);
}

/* ---- attachments ---- */

static const SpAttachmentRef *
declared (const SpIssuance *body,
          const char       *kind)
{
  for (guint i = 0; body != NULL && body->attachments != NULL && i < body->attachments->len; i++)
    {
      const SpAttachmentRef *ref = g_ptr_array_index (body->attachments, i);

      if (g_str_equal (sp_attachment_kind_to_string (ref->kind), kind))
        return ref;
    }
  return NULL;
}

/* What the issuance declared for kind, and what is stored already. */
static gboolean
check_attachment (const SpIssuance           *body,
                  const SpCentralIssuanceRow *row,
                  const char                 *kind,
                  const char                 *sha256,
                  gsize                       size,
                  gboolean                   *replayed,
                  GError                    **error)
{
  const SpAttachmentRef *ref = declared (body, kind);

  if (ref == NULL)
    {
      g_set_error (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_MISMATCH,
                   "the issuance declared no %s scan", kind);
      return FALSE;
    }
  if (g_ascii_strcasecmp (ref->sha256, sha256) != 0 || ref->size != (gint64) size)
    {
      g_set_error (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_MISMATCH,
                   "the scan is not the one the issuance declared (sha256 and size)");
      return FALSE;
    }
  for (guint i = 0; i < row->attachments->len; i++)
    {
      const SpCentralAttachmentRow *a = g_ptr_array_index (row->attachments, i);

      if (!g_str_equal (a->kind, kind))
        continue;
      /* Stored scans are an archive: never replaced. The same bytes again
       * are a retry whose answer was lost. */
      if (g_ascii_strcasecmp (a->sha256, sha256) == 0 && a->size == (gint64) size)
        {
          *replayed = TRUE;
          return TRUE;
        }
      g_set_error (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_CONFLICT,
                   "a %s scan is stored already and is never replaced", kind);
      return FALSE;
    }
  return TRUE;
}

SpCentralIssuanceRow *
sp_central_db_put_attachment (SpCentralDb *db,
                              const char  *sede,
                              const char  *id_text,
                              const char  *kind,
                              const char  *sha256,
                              GBytes      *data,
                              const char  *actor,
                              gint64       now,
                              gboolean    *replayed,
                              GError     **error)
{
  g_autofree char *id = g_ascii_strdown (id_text, -1);
  g_autoptr(SpCentralIssuanceRow) row = NULL;
  g_autoptr(SpIssuance) body = NULL;
  gsize size;
  gconstpointer bytes = g_bytes_get_data (data, &size);
  gboolean ok;

  *replayed = FALSE;
  if (!sp_central_db_write_begin (db, error))
    return NULL;
  row = read_issuance (db, sede, id, &body, error);
  ok = row != NULL && check_attachment (body, row, kind, sha256, size, replayed, error);
  if (ok && !*replayed)
    ok = sp_central_db_run (db, error, "INSERT INTO attachments (issuance_id, kind, sha256, size, data,"
                                       " received_at) VALUES ($1, $2, $3, $4, $5, $6)", "tttibi",
                            id, kind, sha256, (gint64) size, bytes, size, now)
      && sp_central_db_audit (db, actor, "attachment.put", id, kind, now, error);
  if (!sp_central_db_write_end (db, ok, error))
    return NULL;
  if (*replayed)
    return g_steal_pointer (&row);
  return read_issuance (db, sede, id, NULL, error);
}

/* ---- change feed and register ---- */

static gboolean
meta_int (SpCentralDb *db,
          const char  *key,
          gint64      *value,
          GError     **error)
{
  SpSqlStmt *s = sp_central_db_query (db, error, "SELECT value FROM meta WHERE key = $1", "t", key);
  gboolean found;

  if (s == NULL || !sp_central_db_first_row (db, s, &found, error))
    return FALSE;
  *value = found ? g_ascii_strtoll (sp_sql_column_text (s, 0), NULL, 10) : 0;
  sp_sql_reset (s);
  return TRUE;
}

static gpointer
change_from_row (SpSqlStmt *s)
{
  SpCentralChange *c = g_new0 (SpCentralChange, 1);

  c->seq = sp_sql_column_int64 (s, 0);
  c->payload = sp_central_db_column_dup (s, 1);
  return c;
}

SpCentralChangesPage *
sp_central_db_changes (SpCentralDb *db,
                       const char  *sede,
                       gint64       cursor,
                       guint        limit,
                       GError     **error)
{
  g_autoptr(SpCentralChangesPage) page = g_new0 (SpCentralChangesPage, 1);
  gint64 floor = 0;
  SpSqlStmt *s;

  /* Rows older than the floor were purged: a cursor below it cannot be
   * continued, the workstation must resynchronise from scratch (410).
   * No cursor (0) is that fresh start: it never expires. */
  if (!meta_int (db, "changes_floor", &floor, error))
    return NULL;
  if (cursor > 0 && cursor + 1 < floor)
    {
      g_set_error_literal (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_GONE, "the cursor has expired");
      return NULL;
    }
  /* Writers are serialised (one SQLite writer, PostgreSQL's advisory
   * lock), so sequence numbers are assigned in commit order: a reader
   * never skips a row that commits late. */
  s = sp_central_db_query (db, error, "SELECT seq, payload FROM changes WHERE sede = $1 AND seq > $2"
                                      " ORDER BY seq LIMIT $3", "tii", sede, cursor, (gint64) limit + 1);
  page->items = sp_central_changes_new ();
  if (!sp_central_db_collect (db, s, change_from_row, page->items, error))
    return NULL;
  /* One row more than the page says whether there are more. */
  page->has_more = page->items->len > limit;
  if (page->has_more)
    g_ptr_array_set_size (page->items, limit);
  page->next_cursor = page->items->len > 0
    ? ((SpCentralChange *) g_ptr_array_index (page->items, page->items->len - 1))->seq : cursor;
  return g_steal_pointer (&page);
}

static gpointer
register_row_from_row (SpSqlStmt *s)
{
  SpCentralRegisterRow *row = g_new0 (SpCentralRegisterRow, 1);

  row->id = sp_central_db_column_dup (s, 0);
  row->cf = sp_central_db_column_dup (s, 1);
  row->surname = sp_central_db_column_dup (s, 2);
  row->name = sp_central_db_column_dup (s, 3);
  row->operator = sp_central_db_column_dup (s, 4);
  row->workstation = sp_central_db_column_dup (s, 5);
  row->issued_at = sp_sql_column_int64 (s, 6);
  sp_central_issuance_status_from_string (sp_sql_column_text (s, 7), &row->status);
  return row;
}

GPtrArray *
sp_central_db_register_day (SpCentralDb *db,
                            const char  *sede,
                            const GDate *day,
                            GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_central_register_row_free);
  g_autoptr(GDateTime) start_dt = g_date_time_new_utc (g_date_get_year (day), g_date_get_month (day),
                                                       g_date_get_day (day), 0, 0, 0);
  gint64 start = g_date_time_to_unix (start_dt) * 1000;
  SpSqlStmt *s;

  s = sp_central_db_query (db, error, "SELECT i.id, i.cf, c.surname, c.name, i.operator, i.workstation,"
                                      " i.issued_at, i.status FROM issuances i LEFT JOIN citizens c ON c.cf = i.cf"
                                      " WHERE i.sede = $1 AND i.issued_at >= $2 AND i.issued_at < $3"
                                      " ORDER BY i.issued_at", "tii", sede, start, start + 86400 * 1000);
  if (!sp_central_db_collect (db, s, register_row_from_row, rows, error))
    return NULL;
  return g_steal_pointer (&rows);
}

/* ---- retention ---- */

gint64
sp_central_db_purge (SpCentralDb *db,
                     gint64       cutoff,
                     gboolean     dry_run,
                     GError     **error)
{
  SpSqlStmt *s;
  gint64 count = 0;
  gint64 now = g_get_real_time () / 1000;
  g_autofree char *detail = NULL;
  gboolean ok, found;

  if (!sp_central_db_write_begin (db, error))
    return -1;
  s = sp_central_db_query (db, error, "SELECT COUNT(*) FROM issuances WHERE status <> 'active'"
                                      " AND ended_at IS NOT NULL AND ended_at < $1", "i", cutoff);
  ok = s != NULL && sp_central_db_first_row (db, s, &found, error);
  if (ok)
    {
      count = found ? sp_sql_column_int64 (s, 0) : 0;
      sp_sql_reset (s);
    }
  if (ok && !dry_run && count > 0)
    {
      detail = g_strdup_printf ("%" G_GINT64_FORMAT " issuances", count);
      ok = sp_central_db_run (db, error, "DELETE FROM issuances WHERE status <> 'active'"
                                         " AND ended_at IS NOT NULL AND ended_at < $1", "i", cutoff)
        /* Change rows older than the cutoff go too; cursors before them expire. */
        && sp_central_db_run (db, error, "DELETE FROM changes WHERE at < $1", "i", cutoff)
        && sp_central_db_run (db, error, "UPDATE meta SET value = (SELECT CAST(COALESCE(MIN(seq), 0) AS TEXT)"
                                         " FROM changes) WHERE key = 'changes_floor'", "")
        && sp_central_db_audit (db, "cli", "purge", NULL, detail, now, error);
    }
  /* PIN failure counts of codes nobody tried for a year (any string can
   * be tried, so the table would only grow), unless locked for the
   * in-person check: that lock never ends by itself. */
  if (ok && !dry_run)
    ok = sp_central_db_run (db, error, "DELETE FROM pin_attempts WHERE failures < $1 AND locked_until < $2"
                                       " AND reserved_until < $3", "iii", (gint64) SP_CENTRAL_PIN_MAX_FAILURES,
                            now, now - G_GINT64_CONSTANT (365) * 86400 * 1000);
  if (!sp_central_db_write_end (db, ok && !dry_run, error))
    return ok && dry_run ? count : -1;
  return count;
}
