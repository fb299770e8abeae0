/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include "sp-central-sql.h"
#include <string.h>

#include "sp-central-db.h"
#include "sp-secret.h"

/* Central's storage, written once against the small driver of
 * sp-central-sql.h: embedded SQLite by default, PostgreSQL for several
 * instances. Writes take the write lock up front (sp_sql_begin_write). */

G_DEFINE_QUARK (sp-central-db-error-quark, sp_central_db_error)

struct _SpCentralDb
{
  SpSql *sql;
};

#define ISSUANCE_STATUS_ACTIVE "active"

/* The schema, per backend: the same tables, columns and indexes in each
 * dialect. A migration is applied once, in order, recorded in sp_schema. */
static const char *const sqlite_migrations[] = {
  /* 1 */
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "CREATE TABLE operators (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('operator','supervisor','admin')),"
  "  sede TEXT NOT NULL, verifier TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, operator_id INTEGER NOT NULL REFERENCES operators(id),"
  "  workstation TEXT, expires_at INTEGER NOT NULL);"
  "CREATE TABLE citizens (cf TEXT PRIMARY KEY, surname TEXT NOT NULL, name TEXT NOT NULL,"
  "  sex TEXT NOT NULL, birth_date TEXT NOT NULL, birth_place TEXT NOT NULL,"
  "  street TEXT, postcode TEXT, city TEXT, province TEXT, phone TEXT, email TEXT,"
  "  fictitious INTEGER NOT NULL DEFAULT 0, source TEXT NOT NULL);"
  "CREATE INDEX citizens_surname ON citizens (surname, name);"
  "CREATE TABLE issuances (id TEXT PRIMARY KEY, cf TEXT NOT NULL, sede TEXT NOT NULL,"
  "  operator TEXT NOT NULL, workstation TEXT, issued_at INTEGER NOT NULL, received_at INTEGER NOT NULL,"
  "  status TEXT NOT NULL CHECK (status IN ('active','superseded','voided','revoked')),"
  "  verifier TEXT NOT NULL, body TEXT NOT NULL, ended_at INTEGER, reason TEXT);"
  /* One active PIN per codice fiscale, enforced by the database. */
  "CREATE UNIQUE INDEX issuances_one_active ON issuances (cf) WHERE status = 'active';"
  "CREATE INDEX issuances_sede_day ON issuances (sede, issued_at);"
  "CREATE INDEX issuances_cf ON issuances (cf);"
  "CREATE TABLE idempotency (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL,"
  "  status INTEGER NOT NULL, response TEXT NOT NULL, created_at INTEGER NOT NULL);"
  "CREATE TABLE attachments (issuance_id TEXT NOT NULL REFERENCES issuances(id) ON DELETE CASCADE,"
  "  kind TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL, data BLOB NOT NULL,"
  "  received_at INTEGER NOT NULL, PRIMARY KEY (issuance_id, kind));"
  "CREATE TABLE revocations (id INTEGER PRIMARY KEY, cf TEXT NOT NULL, at INTEGER NOT NULL,"
  "  reason TEXT NOT NULL, requested_by TEXT, approved_by TEXT NOT NULL);"
  "CREATE INDEX revocations_cf ON revocations (cf, at);"
  "CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, sede TEXT NOT NULL,"
  "  cf TEXT NOT NULL, payload TEXT NOT NULL, at INTEGER NOT NULL);"
  "CREATE INDEX changes_sede ON changes (sede, seq);"
  "CREATE TABLE audit (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL,"
  "  action TEXT NOT NULL, subject TEXT, detail TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
  "CREATE TABLE pin_attempts (cf TEXT PRIMARY KEY, failures INTEGER NOT NULL);"
  "INSERT INTO meta VALUES ('changes_floor', '0');",
};

static const char *const postgres_migrations[] = {
  /* 1 */
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "CREATE TABLE operators (id BIGSERIAL PRIMARY KEY, username TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('operator','supervisor','admin')),"
  "  sede TEXT NOT NULL, verifier TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, operator_id BIGINT NOT NULL REFERENCES operators(id),"
  "  workstation TEXT, expires_at BIGINT NOT NULL);"
  "CREATE TABLE citizens (cf TEXT PRIMARY KEY, surname TEXT NOT NULL, name TEXT NOT NULL,"
  "  sex TEXT NOT NULL, birth_date TEXT NOT NULL, birth_place TEXT NOT NULL,"
  "  street TEXT, postcode TEXT, city TEXT, province TEXT, phone TEXT, email TEXT,"
  "  fictitious INTEGER NOT NULL DEFAULT 0, source TEXT NOT NULL);"
  "CREATE INDEX citizens_surname ON citizens (surname, name);"
  "CREATE TABLE issuances (id TEXT PRIMARY KEY, cf TEXT NOT NULL, sede TEXT NOT NULL,"
  "  operator TEXT NOT NULL, workstation TEXT, issued_at BIGINT NOT NULL, received_at BIGINT NOT NULL,"
  "  status TEXT NOT NULL CHECK (status IN ('active','superseded','voided','revoked')),"
  "  verifier TEXT NOT NULL, body TEXT NOT NULL, ended_at BIGINT, reason TEXT);"
  "CREATE UNIQUE INDEX issuances_one_active ON issuances (cf) WHERE status = 'active';"
  "CREATE INDEX issuances_sede_day ON issuances (sede, issued_at);"
  "CREATE INDEX issuances_cf ON issuances (cf);"
  "CREATE TABLE idempotency (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL,"
  "  status INTEGER NOT NULL, response TEXT NOT NULL, created_at BIGINT NOT NULL);"
  "CREATE TABLE attachments (issuance_id TEXT NOT NULL REFERENCES issuances(id) ON DELETE CASCADE,"
  "  kind TEXT NOT NULL, sha256 TEXT NOT NULL, size BIGINT NOT NULL, data BYTEA NOT NULL,"
  "  received_at BIGINT NOT NULL, PRIMARY KEY (issuance_id, kind));"
  "CREATE TABLE revocations (id BIGSERIAL PRIMARY KEY, cf TEXT NOT NULL, at BIGINT NOT NULL,"
  "  reason TEXT NOT NULL, requested_by TEXT, approved_by TEXT NOT NULL);"
  "CREATE INDEX revocations_cf ON revocations (cf, at);"
  "CREATE TABLE changes (seq BIGSERIAL PRIMARY KEY, sede TEXT NOT NULL,"
  "  cf TEXT NOT NULL, payload TEXT NOT NULL, at BIGINT NOT NULL);"
  "CREATE INDEX changes_sede ON changes (sede, seq);"
  "CREATE TABLE audit (id BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, actor TEXT NOT NULL,"
  "  action TEXT NOT NULL, subject TEXT, detail TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
  "CREATE TABLE pin_attempts (cf TEXT PRIMARY KEY, failures INTEGER NOT NULL);"
  "INSERT INTO meta VALUES ('changes_floor', '0');",
};

G_STATIC_ASSERT (G_N_ELEMENTS (sqlite_migrations) == G_N_ELEMENTS (postgres_migrations));

static gboolean
fail (GError     **error,
      SpCentralDb *db,
      int          unused)
{
  SpSqlErrorKind kind = sp_sql_error_kind (db->sql);

  g_set_error (error, SP_CENTRAL_DB_ERROR,
               kind == SP_SQL_BUSY ? SP_CENTRAL_DB_ERROR_BUSY
               : kind == SP_SQL_CONSTRAINT ? SP_CENTRAL_DB_ERROR_EXISTS : SP_CENTRAL_DB_ERROR_FAILED,
               "database: %s", sp_sql_errmsg (db->sql));
  return FALSE;
}

static gboolean
exec (SpCentralDb *db,
      const char  *sql,
      GError     **error)
{
  g_autoptr(GError) local = NULL;

  if (sp_sql_exec (db->sql, sql, &local))
    return TRUE;
  return fail (error, db, 0);
}

/* A prepared statement for sql, reset and with bindings cleared. */
static SpSqlStmt *
stmt (SpCentralDb *db,
      const char  *sql)
{
  return sp_sql_stmt (db->sql, sql);
}

static void
bind_text (SpSqlStmt  *s,
           int         i,
           const char *text)
{
  sp_sql_bind_text (s, i, text);
}

static char *
column_dup (SpSqlStmt *s,
            int        i)
{
  return g_strdup (sp_sql_column_text (s, i));
}

static gboolean
step_done (SpCentralDb *db,
           SpSqlStmt   *s,
           GError     **error)
{
  SpSqlStep rc = sp_sql_step (s);

  if (rc == SP_SQL_ERROR)
    {
      fail (error, db, 0);
      sp_sql_reset (s);
      return FALSE;
    }
  sp_sql_reset (s);
  return TRUE;
}

static gboolean
begin (SpCentralDb *db,
       GError     **error)
{
  g_autoptr(GError) local = NULL;

  if (sp_sql_begin_write (db->sql, &local))
    return TRUE;
  return fail (error, db, 0);
}

static gboolean
commit_or_rollback (SpCentralDb *db,
                    gboolean     ok,
                    GError     **error)
{
  if (ok)
    return exec (db, "COMMIT", error);
  exec (db, "ROLLBACK", NULL);
  return FALSE;
}

static gint64
meta_int (SpCentralDb *db,
          const char  *key)
{
  SpSqlStmt *s = stmt (db, "SELECT value FROM meta WHERE key = ?");
  gint64 value = 0;

  bind_text (s, 1, key);
  if (sp_sql_step (s) == SP_SQL_ROW)
    value = g_ascii_strtoll (sp_sql_column_text (s, 0), NULL, 10);
  sp_sql_reset (s);
  return value;
}

/* Each migration runs in a write transaction: of several instances that
 * start together on one PostgreSQL, one migrates and the others wait. */
static gboolean
migrate (SpCentralDb *db,
         GError     **error)
{
  const char *const *migrations = sp_sql_is_postgres (db->sql) ? postgres_migrations : sqlite_migrations;

  if (!exec (db, "CREATE TABLE IF NOT EXISTS sp_schema (version INTEGER NOT NULL)", error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (sqlite_migrations); i++)
    {
      SpSqlStmt *s;
      gboolean done;
      gboolean ok;

      if (!begin (db, error))
        return FALSE;
      s = stmt (db, "SELECT COUNT(*) FROM sp_schema WHERE version = ?");
      sp_sql_bind_int64 (s, 1, i + 1);
      done = sp_sql_step (s) == SP_SQL_ROW && sp_sql_column_int64 (s, 0) > 0;
      sp_sql_reset (s);
      ok = done || exec (db, migrations[i], error);
      if (ok && !done)
        {
          s = stmt (db, "INSERT INTO sp_schema (version) VALUES (?)");
          sp_sql_bind_int64 (s, 1, i + 1);
          ok = step_done (db, s, error);
        }
      if (!commit_or_rollback (db, ok, error))
        return FALSE;
    }
  return TRUE;
}

SpCentralDb *
sp_central_db_open (const char *location,
                    GError    **error)
{
  g_autoptr(SpCentralDb) db = g_new0 (SpCentralDb, 1);

  db->sql = sp_sql_open (location, error);
  if (db->sql == NULL || !migrate (db, error))
    return NULL;
  return g_steal_pointer (&db);
}

void
sp_central_db_close (SpCentralDb *db)
{
  if (db == NULL)
    return;
  g_clear_pointer (&db->sql, sp_sql_close);
  g_free (db);
}

/* ---- audit: hash-chained, in the caller's transaction ---- */

void
sp_central_db_audit (SpCentralDb *db,
                     const char  *actor,
                     const char  *action,
                     const char  *subject,
                     const char  *detail,
                     gint64       now)
{
  SpSqlStmt *s = stmt (db, "SELECT hash FROM audit ORDER BY id DESC LIMIT 1");
  g_autofree char *prev = NULL;
  g_autofree char *line = NULL;
  g_autofree char *hash = NULL;

  prev = sp_sql_step (s) == SP_SQL_ROW ? column_dup (s, 0) : g_strdup ("");
  sp_sql_reset (s);
  line = g_strdup_printf ("%s|%" G_GINT64_FORMAT "|%s|%s|%s|%s", prev, now, actor,
                          action, subject ? subject : "", detail ? detail : "");
  hash = sp_sha256_hex (line, strlen (line));
  s = stmt (db, "INSERT INTO audit (at, actor, action, subject, detail, prev_hash, hash)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)");
  sp_sql_bind_int64 (s, 1, now);
  bind_text (s, 2, actor);
  bind_text (s, 3, action);
  bind_text (s, 4, subject);
  bind_text (s, 5, detail);
  bind_text (s, 6, prev);
  bind_text (s, 7, hash);
  step_done (db, s, NULL);
}

/* ---- operators and sessions ---- */

void
sp_central_operator_free (SpCentralOperator *op)
{
  if (op == NULL)
    return;
  g_free (op->username);
  g_free (op->name);
  g_free (op->role);
  g_free (op->sede);
  if (op->verifier)
    memset (op->verifier, 0, strlen (op->verifier));
  g_free (op->verifier);
  g_free (op);
}

#define OPERATOR_COLUMNS "o.id, o.username, o.name, o.role, o.sede, o.verifier, o.disabled"

static SpCentralOperator *
operator_from_row (SpSqlStmt *s)
{
  SpCentralOperator *op = g_new0 (SpCentralOperator, 1);

  op->id = sp_sql_column_int64 (s, 0);
  op->username = column_dup (s, 1);
  op->name = column_dup (s, 2);
  op->role = column_dup (s, 3);
  op->sede = column_dup (s, 4);
  op->verifier = column_dup (s, 5);
  op->disabled = sp_sql_column_int64 (s, 6) != 0;
  return op;
}

gboolean
sp_central_db_add_operator (SpCentralDb *db,
                            const char  *username,
                            const char  *name,
                            const char  *role,
                            const char  *sede,
                            const char  *verifier,
                            GError     **error)
{
  SpSqlStmt *s = stmt (db, "INSERT INTO operators (username, name, role, sede, verifier)"
                              " VALUES (?, ?, ?, ?, ?)");
  gint64 now = g_get_real_time () / 1000;
  gboolean ok;

  if (!begin (db, error))
    return FALSE;
  bind_text (s, 1, username);
  bind_text (s, 2, name);
  bind_text (s, 3, role);
  bind_text (s, 4, sede);
  bind_text (s, 5, verifier);
  ok = step_done (db, s, error);
  if (ok)
    sp_central_db_audit (db, "cli", "operator.add", username, role, now);
  return commit_or_rollback (db, ok, error);
}

GPtrArray *
sp_central_db_list_operators (SpCentralDb *db,
                              GError     **error)
{
  SpSqlStmt *s = stmt (db, "SELECT " OPERATOR_COLUMNS " FROM operators o ORDER BY o.username");
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_central_operator_free);

  while (sp_sql_step (s) == SP_SQL_ROW)
    g_ptr_array_add (list, operator_from_row (s));
  sp_sql_reset (s);
  return list;
}

gboolean
sp_central_db_disable_operator (SpCentralDb *db,
                                const char  *username,
                                GError     **error)
{
  SpSqlStmt *s = stmt (db, "UPDATE operators SET disabled = 1 WHERE username = ?");
  gint64 now = g_get_real_time () / 1000;
  gboolean ok;

  if (!begin (db, error))
    return FALSE;
  bind_text (s, 1, username);
  ok = step_done (db, s, error);
  if (ok && sp_sql_changes (db->sql) == 0)
    {
      g_set_error (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND,
                   "no operator %s", username);
      ok = FALSE;
    }
  if (ok)
    {
      /* A disabled operator's open sessions end now, not in 8 hours. */
      s = stmt (db, "DELETE FROM sessions WHERE operator_id IN"
                    " (SELECT id FROM operators WHERE username = ?)");
      bind_text (s, 1, username);
      ok = step_done (db, s, error);
      sp_central_db_audit (db, "cli", "operator.disable", username, NULL, now);
    }
  return commit_or_rollback (db, ok, error);
}

SpCentralOperator *
sp_central_db_find_operator (SpCentralDb *db,
                             const char  *username)
{
  SpSqlStmt *s = stmt (db, "SELECT " OPERATOR_COLUMNS " FROM operators o WHERE o.username = ?");
  SpCentralOperator *op = NULL;

  bind_text (s, 1, username);
  if (sp_sql_step (s) == SP_SQL_ROW)
    op = operator_from_row (s);
  sp_sql_reset (s);
  return op;
}

gboolean
sp_central_db_add_session (SpCentralDb *db,
                           const char  *token_hash,
                           gint64       operator_id,
                           const char  *workstation,
                           gint64       expires_at,
                           GError     **error)
{
  SpSqlStmt *s;
  gboolean ok;

  if (!begin (db, error))
    return FALSE;
  /* Expired sessions are swept as new ones are made. */
  s = stmt (db, "DELETE FROM sessions WHERE expires_at < ?");
  sp_sql_bind_int64 (s, 1, expires_at - 8 * 3600 * 1000);
  ok = step_done (db, s, error);
  s = stmt (db, "INSERT INTO sessions (token_hash, operator_id, workstation, expires_at)"
                " VALUES (?, ?, ?, ?)");
  bind_text (s, 1, token_hash);
  sp_sql_bind_int64 (s, 2, operator_id);
  bind_text (s, 3, workstation);
  sp_sql_bind_int64 (s, 4, expires_at);
  ok = ok && step_done (db, s, error);
  return commit_or_rollback (db, ok, error);
}

SpCentralOperator *
sp_central_db_session_operator (SpCentralDb *db,
                                const char  *token_hash,
                                gint64       now)
{
  SpSqlStmt *s = stmt (db, "SELECT " OPERATOR_COLUMNS " FROM sessions t"
                              " JOIN operators o ON o.id = t.operator_id"
                              " WHERE t.token_hash = ? AND t.expires_at > ? AND o.disabled = 0");
  SpCentralOperator *op = NULL;

  bind_text (s, 1, token_hash);
  sp_sql_bind_int64 (s, 2, now);
  if (sp_sql_step (s) == SP_SQL_ROW)
    op = operator_from_row (s);
  sp_sql_reset (s);
  return op;
}

void
sp_central_db_delete_session (SpCentralDb *db,
                              const char  *token_hash)
{
  SpSqlStmt *s = stmt (db, "DELETE FROM sessions WHERE token_hash = ?");

  bind_text (s, 1, token_hash);
  step_done (db, s, NULL);
}

/* ---- registry ---- */

static gboolean
insert_citizen (SpCentralDb    *db,
                const SpPerson *p,
                gboolean        fictitious,
                const char     *source,
                gboolean        replace,
                GError        **error)
{
  SpSqlStmt *s = stmt (db, replace
    ? "INSERT INTO citizens (cf, surname, name, sex, birth_date, birth_place,"
      " street, postcode, city, province, phone, email, fictitious, source)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cf) DO UPDATE SET"
      " surname = excluded.surname, name = excluded.name, sex = excluded.sex,"
      " birth_date = excluded.birth_date, birth_place = excluded.birth_place,"
      " street = excluded.street, postcode = excluded.postcode, city = excluded.city,"
      " province = excluded.province, phone = excluded.phone, email = excluded.email,"
      " fictitious = excluded.fictitious, source = excluded.source"
    : "INSERT INTO citizens (cf, surname, name, sex, birth_date, birth_place,"
      " street, postcode, city, province, phone, email, fictitious, source)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cf) DO NOTHING");
  g_autofree char *date = sp_date_to_iso (&p->birth_date);
  char sex[2] = { p->sex, 0 };

  bind_text (s, 1, p->cf);
  bind_text (s, 2, p->surname);
  bind_text (s, 3, p->name);
  bind_text (s, 4, sex);
  bind_text (s, 5, date);
  bind_text (s, 6, p->birth_place);
  bind_text (s, 7, p->residence ? p->residence->street : NULL);
  bind_text (s, 8, p->residence ? p->residence->postcode : NULL);
  bind_text (s, 9, p->residence ? p->residence->city : NULL);
  bind_text (s, 10, p->residence ? p->residence->province : NULL);
  bind_text (s, 11, p->phone);
  bind_text (s, 12, p->email);
  sp_sql_bind_int64 (s, 13, fictitious);
  bind_text (s, 14, source);
  return step_done (db, s, error);
}

gboolean
sp_central_db_put_citizen (SpCentralDb    *db,
                           const SpPerson *person,
                           gboolean        fictitious,
                           const char     *source,
                           GError        **error)
{
  return insert_citizen (db, person, fictitious, source, TRUE, error);
}

gboolean
sp_central_db_begin (SpCentralDb *db,
                     GError     **error)
{
  return begin (db, error);
}

gboolean
sp_central_db_commit (SpCentralDb *db,
                      gboolean     ok,
                      GError     **error)
{
  return commit_or_rollback (db, ok, error);
}

static void
add_text_member (JsonBuilder  *b,
                 const char   *name,
                 SpSqlStmt *s,
                 int           column)
{
  const char *text = sp_sql_column_text (s, column);

  json_builder_set_member_name (b, name);
  if (text != NULL)
    json_builder_add_string_value (b, text);
  else
    json_builder_add_null_value (b);
}

static char *
iso_from_ms (gint64 ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) exact = g_date_time_add (dt, (ms % 1000) * 1000);

  return sp_datetime_to_iso (exact);
}

static void
add_time_member (JsonBuilder *b,
                 const char  *name,
                 gint64       ms)
{
  g_autofree char *iso = iso_from_ms (ms);

  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, iso);
}

static void
add_credentials (SpCentralDb *db,
                 JsonBuilder *b,
                 const char  *cf,
                 gint64       now)
{
  SpSqlStmt *s = stmt (db, "SELECT id, 'dispositivo', issued_at, sede"
                              " FROM issuances WHERE cf = ? AND status = 'active'");

  json_builder_set_member_name (b, "credentials");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "active_pin");
  bind_text (s, 1, cf);
  if (sp_sql_step (s) == SP_SQL_ROW)
    {
      json_builder_begin_object (b);
      add_text_member (b, "issuance_id", s, 0);
      add_text_member (b, "kind", s, 1);
      add_time_member (b, "issued_at", sp_sql_column_int64 (s, 2));
      add_text_member (b, "sede", s, 3);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  sp_sql_reset (s);
  /* The online and Contact Center channels (R7–R9) and simplified
   * credentials (R12) are later API versions: empty lists here. */
  json_builder_set_member_name (b, "pending_requests");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "simplified_to_regularize");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  s = stmt (db, "SELECT failures FROM pin_attempts WHERE cf = ?");
  bind_text (s, 1, cf);
  json_builder_set_member_name (b, "locked");
  json_builder_add_boolean_value (b, sp_sql_step (s) == SP_SQL_ROW && sp_sql_column_int64 (s, 0) >= 5);
  sp_sql_reset (s);
  json_builder_end_object (b);
  (void) now;
}

JsonNode *
sp_central_db_get_citizen (SpCentralDb *db,
                           const char  *cf,
                           gint64       now)
{
  SpSqlStmt *s = stmt (db, "SELECT cf, surname, name, sex, birth_date, birth_place, street,"
                              " postcode, city, province, phone, email, fictitious, source"
                              " FROM citizens WHERE cf = ?");
  g_autoptr(JsonBuilder) b = json_builder_new ();

  bind_text (s, 1, cf);
  if (sp_sql_step (s) != SP_SQL_ROW)
    {
      sp_sql_reset (s);
      return NULL;
    }
  json_builder_begin_object (b);
  add_text_member (b, "cf", s, 0);
  add_text_member (b, "surname", s, 1);
  add_text_member (b, "name", s, 2);
  add_text_member (b, "sex", s, 3);
  add_text_member (b, "birth_date", s, 4);
  add_text_member (b, "birth_place", s, 5);
  json_builder_set_member_name (b, "residence");
  if (!sp_sql_column_is_null (s, 6))
    {
      json_builder_begin_object (b);
      add_text_member (b, "street", s, 6);
      add_text_member (b, "postcode", s, 7);
      add_text_member (b, "city", s, 8);
      add_text_member (b, "province", s, 9);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  add_text_member (b, "phone", s, 10);
  add_text_member (b, "email", s, 11);
  json_builder_set_member_name (b, "fictitious");
  json_builder_add_boolean_value (b, sp_sql_column_int64 (s, 12) != 0);
  add_text_member (b, "source", s, 13);
  sp_sql_reset (s);
  add_credentials (db, b, cf, now);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- issuances ---- */

/* One change-feed row per sede that holds this citizen: the sede of every
 * issuance ever made for cf learns what happened to its credential. */
static gint64
add_changes (SpCentralDb *db,
             const char  *cf,
             const char  *own_sede,
             JsonNode    *payload,
             gint64       now)
{
  g_autofree char *text = json_to_string (payload, FALSE);
  SpSqlStmt *s = stmt (db, "INSERT INTO changes (sede, cf, payload, at) VALUES (?, ?, ?, ?) RETURNING seq");
  gint64 seq = 0;

  bind_text (s, 1, own_sede);
  bind_text (s, 2, cf);
  bind_text (s, 3, text);
  sp_sql_bind_int64 (s, 4, now);
  if (sp_sql_step (s) == SP_SQL_ROW)
    seq = sp_sql_column_int64 (s, 0);
  sp_sql_reset (s);
  s = stmt (db, "INSERT INTO changes (sede, cf, payload, at)"
                " SELECT DISTINCT sede, ?1, ?2, CAST(?3 AS BIGINT) FROM issuances WHERE cf = ?1 AND sede <> ?4");
  bind_text (s, 1, cf);
  bind_text (s, 2, text);
  sp_sql_bind_int64 (s, 3, now);
  bind_text (s, 4, own_sede);
  step_done (db, s, NULL);
  return seq;
}

static JsonNode *
change_payload (const char *id,
                const char *cf,
                const char *sede,
                const char *status,
                gint64      issued_at,
                const char *superseded_by)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "issuance");
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "cf");
  json_builder_add_string_value (b, cf);
  json_builder_set_member_name (b, "sede");
  json_builder_add_string_value (b, sede);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, status);
  add_time_member (b, "issued_at", issued_at);
  if (superseded_by != NULL)
    {
      /* The sede that handed over this envelope must see it flagged. */
      json_builder_set_member_name (b, "superseded_by");
      json_builder_add_string_value (b, superseded_by);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
stored_answer (SpCentralDb *db,
               const char  *key,
               const char  *fingerprint,
               guint       *status,
               char       **response,
               gboolean    *found,
               GError     **error)
{
  SpSqlStmt *s = stmt (db, "SELECT fingerprint, status, response FROM idempotency WHERE key = ?");
  gboolean same = TRUE;

  *found = FALSE;
  bind_text (s, 1, key);
  if (sp_sql_step (s) == SP_SQL_ROW)
    {
      *found = TRUE;
      same = g_strcmp0 (sp_sql_column_text (s, 0), fingerprint) == 0;
      *status = sp_sql_column_int64 (s, 1);
      *response = column_dup (s, 2);
    }
  sp_sql_reset (s);
  if (!same)
    {
      g_clear_pointer (response, g_free);
      g_set_error_literal (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_EXISTS,
                           "this Idempotency-Key was used with a different body");
      return FALSE;
    }
  return TRUE;
}

/* The rules of DESIGN §5: a revocation recorded after the issue time wins;
 * otherwise the later issue time stays active and the other is superseded.
 * Returns the status of the new issuance. */
static const char *
settle_status (SpCentralDb *db,
               const char  *id,
               const char  *cf,
               gint64       issued_at,
               gint64       now,
               gboolean    *ok)
{
  SpSqlStmt *s = stmt (db, "SELECT MAX(at) FROM revocations WHERE cf = ?");
  gint64 revoked_at = 0;
  g_autofree char *old_id = NULL;
  g_autofree char *old_sede = NULL;
  gint64 old_issued = 0;

  bind_text (s, 1, cf);
  if (sp_sql_step (s) == SP_SQL_ROW && !sp_sql_column_is_null (s, 0))
    revoked_at = sp_sql_column_int64 (s, 0);
  sp_sql_reset (s);
  if (revoked_at > issued_at)
    return "revoked";

  s = stmt (db, "SELECT id, sede, issued_at FROM issuances WHERE cf = ? AND status = 'active'");
  bind_text (s, 1, cf);
  if (sp_sql_step (s) == SP_SQL_ROW)
    {
      old_id = column_dup (s, 0);
      old_sede = column_dup (s, 1);
      old_issued = sp_sql_column_int64 (s, 2);
    }
  sp_sql_reset (s);
  if (old_id == NULL)
    return ISSUANCE_STATUS_ACTIVE;
  if (old_issued > issued_at)
    return "superseded";   /* made offline, earlier than the active one */

  s = stmt (db, "UPDATE issuances SET status = 'superseded', ended_at = ?, reason = ? WHERE id = ?");
  sp_sql_bind_int64 (s, 1, now);
  bind_text (s, 2, id);
  bind_text (s, 3, old_id);
  *ok = step_done (db, s, NULL);
  {
    g_autoptr(JsonNode) payload = change_payload (old_id, cf, old_sede, "superseded", old_issued, id);

    add_changes (db, cf, old_sede, payload, now);
  }
  return ISSUANCE_STATUS_ACTIVE;
}

static char *
issuance_answer (const char *id,
                 const char *status,
                 gint64      now,
                 gint64      seq)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, status);
  if (g_str_equal (status, ISSUANCE_STATUS_ACTIVE))
    add_time_member (b, "activated_at", now);
  else
    {
      json_builder_set_member_name (b, "activated_at");
      json_builder_add_null_value (b);
    }
  json_builder_set_member_name (b, "seq");
  json_builder_add_int_value (b, seq);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static gboolean
insert_issuance (SpCentralDb      *db,
                 const SpIssuance *is,
                 const char       *status,
                 gint64            issued_at,
                 gint64            now,
                 GError          **error)
{
  g_autofree char *body = sp_issuance_to_string (is);
  SpSqlStmt *s = stmt (db, "INSERT INTO issuances (id, cf, sede, operator, workstation,"
                              " issued_at, received_at, status, verifier, body, ended_at)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

  bind_text (s, 1, is->id);
  bind_text (s, 2, is->cf);
  bind_text (s, 3, is->sede);
  bind_text (s, 4, is->operator_id);
  bind_text (s, 5, is->workstation);
  sp_sql_bind_int64 (s, 6, issued_at);
  sp_sql_bind_int64 (s, 7, now);
  bind_text (s, 8, status);
  bind_text (s, 9, is->verifier);
  bind_text (s, 10, body);
  if (g_str_equal (status, ISSUANCE_STATUS_ACTIVE))
    sp_sql_bind_text (s, 11, NULL);
  else
    sp_sql_bind_int64 (s, 11, now);
  return step_done (db, s, error);
}

static gboolean
register_effect (SpCentralDb      *db,
                 const char       *key,
                 const char       *fingerprint,
                 const SpIssuance *is,
                 gint64            now,
                 gint64            issued_at,
                 guint            *status_code,
                 char            **response,
                 GError          **error)
{
  gboolean ok = TRUE;
  const char *status;
  SpSqlStmt *s;
  gint64 seq;

  /* A person the registry lacks is added, marked as coming from the counter. */
  if (!insert_citizen (db, is->citizen, FALSE, "counter", FALSE, error))
    return FALSE;
  status = settle_status (db, is->id, is->cf, issued_at, now, &ok);
  if (!ok || !insert_issuance (db, is, status, issued_at, now, error))
    return ok ? FALSE : fail (error, db, 0);
  if (g_str_equal (status, ISSUANCE_STATUS_ACTIVE))
    {
      /* A new PIN starts with a clean failure count (lockout reset). */
      s = stmt (db, "DELETE FROM pin_attempts WHERE cf = ?");
      bind_text (s, 1, is->cf);
      step_done (db, s, NULL);
    }
  {
    g_autoptr(JsonNode) payload = change_payload (is->id, is->cf, is->sede, status, issued_at, NULL);

    seq = add_changes (db, is->cf, is->sede, payload, now);
  }
  *status_code = 201;
  *response = issuance_answer (is->id, status, now, seq);
  s = stmt (db, "INSERT INTO idempotency (key, fingerprint, status, response, created_at)"
                " VALUES (?, ?, ?, ?, ?)");
  bind_text (s, 1, key);
  bind_text (s, 2, fingerprint);
  sp_sql_bind_int64 (s, 3, *status_code);
  bind_text (s, 4, *response);
  sp_sql_bind_int64 (s, 5, now);
  if (!step_done (db, s, error))
    return FALSE;
  sp_central_db_audit (db, is->operator_id, "issuance.register", is->id, status, now);
  return TRUE;
}

static void
register_one (SpCentralDb           *db,
              SpCentralRegistration *r,
              gint64                 now)
{
  gboolean ok;

  exec (db, "SAVEPOINT registration", NULL);
  /* The key, the fingerprint and the answer are read and written in the
   * same transaction as the effect: a retry can never make a second row. */
  ok = stored_answer (db, r->key, r->fingerprint, &r->status, &r->response, &r->replayed, &r->error);
  if (ok && !r->replayed)
    ok = register_effect (db, r->key, r->fingerprint, r->issuance, now, r->issued_at,
                          &r->status, &r->response, &r->error);
  if (!ok)
    {
      g_clear_pointer (&r->response, g_free);
      if (r->error == NULL)
        fail (&r->error, db, 0);
      exec (db, "ROLLBACK TO registration", NULL);
    }
  exec (db, "RELEASE registration", NULL);
}

gboolean
sp_central_db_register_batch (SpCentralDb           *db,
                              SpCentralRegistration *regs,
                              guint                  n,
                              gint64                 now,
                              GError               **error)
{
  gboolean ok;

  if (!begin (db, error))
    ok = FALSE;
  else
    {
      for (guint i = 0; i < n; i++)
        register_one (db, &regs[i], now);
      ok = commit_or_rollback (db, TRUE, error);
    }
  if (!ok)
    for (guint i = 0; i < n; i++)
      {
        g_clear_pointer (&regs[i].response, g_free);
        g_clear_error (&regs[i].error);
        regs[i].error = g_error_copy (*error);
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

/* The scans the applicant's role requires (R1, R3, R4) that have not
 * arrived yet: the archive of an issuance is complete when this is empty. */
static void
add_missing_attachments (JsonBuilder      *b,
                         const SpIssuance *stored,
                         GHashTable       *arrived)
{
  g_autoptr(GArray) required = NULL;

  json_builder_set_member_name (b, "attachments_missing");
  json_builder_begin_array (b);
  if (stored != NULL && stored->document != NULL)
    {
      required = sp_applicant_required_attachments (stored->role,
                                                    sp_document_type_has_back (stored->document->type));
      for (guint i = 0; i < required->len; i++)
        {
          const char *kind = sp_attachment_kind_to_string (g_array_index (required, guint, i));

          if (!g_hash_table_contains (arrived, kind))
            json_builder_add_string_value (b, kind);
        }
    }
  json_builder_end_array (b);
}

JsonNode *
sp_central_db_get_issuance (SpCentralDb *db,
                            const char  *id)
{
  SpSqlStmt *s = stmt (db, "SELECT id, cf, sede, operator, workstation, issued_at, received_at,"
                              " status, reason, body FROM issuances WHERE id = ?");
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(SpIssuance) stored = NULL;
  g_autoptr(GHashTable) arrived = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  bind_text (s, 1, id);
  if (sp_sql_step (s) != SP_SQL_ROW)
    {
      sp_sql_reset (s);
      return NULL;
    }
  stored = sp_issuance_from_string (sp_sql_column_text (s, 9), -1, NULL);
  json_builder_begin_object (b);
  add_text_member (b, "id", s, 0);
  add_text_member (b, "cf", s, 1);
  add_text_member (b, "sede", s, 2);
  add_text_member (b, "operator", s, 3);
  add_text_member (b, "workstation", s, 4);
  add_time_member (b, "issued_at", sp_sql_column_int64 (s, 5));
  add_time_member (b, "received_at", sp_sql_column_int64 (s, 6));
  add_text_member (b, "status", s, 7);
  add_text_member (b, "reason", s, 8);
  sp_sql_reset (s);
  json_builder_set_member_name (b, "attachments");
  json_builder_begin_array (b);
  s = stmt (db, "SELECT kind, sha256, size FROM attachments WHERE issuance_id = ? ORDER BY kind");
  bind_text (s, 1, id);
  while (sp_sql_step (s) == SP_SQL_ROW)
    {
      json_builder_begin_object (b);
      add_text_member (b, "kind", s, 0);
      add_text_member (b, "sha256", s, 1);
      json_builder_set_member_name (b, "size");
      json_builder_add_int_value (b, sp_sql_column_int64 (s, 2));
      json_builder_end_object (b);
      g_hash_table_add (arrived, g_strdup (sp_sql_column_text (s, 0)));
    }
  sp_sql_reset (s);
  json_builder_end_array (b);
  add_missing_attachments (b, stored, arrived);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

char *
sp_central_db_issuance_sede (SpCentralDb *db,
                             const char  *id)
{
  SpSqlStmt *s = stmt (db, "SELECT sede FROM issuances WHERE id = ?");
  char *sede = NULL;

  bind_text (s, 1, id);
  if (sp_sql_step (s) == SP_SQL_ROW)
    sede = column_dup (s, 0);
  sp_sql_reset (s);
  return sede;
}

static gboolean
end_issuance (SpCentralDb *db,
              const char  *id,
              const char  *status,
              const char  *reason,
              const char  *actor,
              gint64       now,
              GError     **error)
{
  SpSqlStmt *s = stmt (db, "SELECT cf, sede, issued_at, status FROM issuances WHERE id = ?");
  g_autofree char *cf = NULL;
  g_autofree char *sede = NULL;
  g_autofree char *old = NULL;
  gint64 issued_at = 0;

  bind_text (s, 1, id);
  if (sp_sql_step (s) == SP_SQL_ROW)
    {
      cf = column_dup (s, 0);
      sede = column_dup (s, 1);
      issued_at = sp_sql_column_int64 (s, 2);
      old = column_dup (s, 3);
    }
  sp_sql_reset (s);
  if (cf == NULL)
    {
      g_set_error (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND, "no issuance %s", id);
      return FALSE;
    }
  if (g_str_equal (old, status))
    return TRUE;   /* voiding twice answers like the first time */
  s = stmt (db, "UPDATE issuances SET status = ?, ended_at = ?, reason = ? WHERE id = ?");
  bind_text (s, 1, status);
  sp_sql_bind_int64 (s, 2, now);
  bind_text (s, 3, reason);
  bind_text (s, 4, id);
  if (!step_done (db, s, error))
    return FALSE;
  {
    g_autoptr(JsonNode) payload = change_payload (id, cf, sede, status, issued_at, NULL);

    add_changes (db, cf, sede, payload, now);
  }
  sp_central_db_audit (db, actor, g_str_equal (status, "voided") ? "issuance.void" : "issuance.revoke",
                       id, reason, now);
  return TRUE;
}

gboolean
sp_central_db_void_issuance (SpCentralDb *db,
                             const char  *id,
                             const char  *reason,
                             const char  *actor,
                             gint64       now,
                             JsonNode   **result,
                             GError     **error)
{
  gboolean ok;

  if (!begin (db, error))
    return FALSE;
  ok = end_issuance (db, id, "voided", reason, actor, now, error);
  if (!commit_or_rollback (db, ok, error))
    return FALSE;
  *result = sp_central_db_get_issuance (db, id);
  return TRUE;
}

gboolean
sp_central_db_revoke (SpCentralDb *db,
                      const char  *cf,
                      const char  *reason,
                      const char  *requested_by,
                      const char  *approved_by,
                      gint64       now,
                      JsonNode   **result,
                      GError     **error)
{
  SpSqlStmt *s;
  g_autofree char *active = NULL;
  gboolean ok;

  if (!begin (db, error))
    return FALSE;
  s = stmt (db, "SELECT id FROM issuances WHERE cf = ? AND status = 'active'");
  bind_text (s, 1, cf);
  if (sp_sql_step (s) == SP_SQL_ROW)
    active = column_dup (s, 0);
  sp_sql_reset (s);
  s = stmt (db, "INSERT INTO revocations (cf, at, reason, requested_by, approved_by) VALUES (?, ?, ?, ?, ?)");
  bind_text (s, 1, cf);
  sp_sql_bind_int64 (s, 2, now);
  bind_text (s, 3, reason);
  bind_text (s, 4, requested_by);
  bind_text (s, 5, approved_by);
  ok = step_done (db, s, error);
  if (ok && active != NULL)
    ok = end_issuance (db, active, "revoked", reason, approved_by, now, error);
  if (!commit_or_rollback (db, ok, error))
    return FALSE;
  *result = active ? sp_central_db_get_issuance (db, active) : NULL;
  return TRUE;
}

gboolean
sp_central_db_put_attachment (SpCentralDb *db,
                              const char  *id,
                              const char  *kind,
                              const char  *sha256,
                              GBytes      *data,
                              gint64       now,
                              GError     **error)
{
  SpSqlStmt *s = stmt (db, "INSERT INTO attachments"
                              " (issuance_id, kind, sha256, size, data, received_at) VALUES (?, ?, ?, ?, ?, ?)"
                              " ON CONFLICT (issuance_id, kind) DO UPDATE SET sha256 = excluded.sha256,"
                              " size = excluded.size, data = excluded.data, received_at = excluded.received_at");
  gsize size;
  gconstpointer bytes = g_bytes_get_data (data, &size);
  gboolean ok;

  if (!begin (db, error))
    return FALSE;
  bind_text (s, 1, id);
  bind_text (s, 2, kind);
  bind_text (s, 3, sha256);
  sp_sql_bind_int64 (s, 4, size);
  sp_sql_bind_blob (s, 5, bytes, size);
  sp_sql_bind_int64 (s, 6, now);
  ok = step_done (db, s, error);
  if (ok)
    sp_central_db_audit (db, "sync", "attachment.put", id, kind, now);
  return commit_or_rollback (db, ok, error);
}

/* ---- PIN verification ---- */

char *
sp_central_db_pin_verifier (SpCentralDb *db,
                            const char  *cf,
                            guint       *failures)
{
  SpSqlStmt *s = stmt (db, "SELECT verifier FROM issuances WHERE cf = ? AND status = 'active'");
  char *verifier = NULL;

  bind_text (s, 1, cf);
  if (sp_sql_step (s) == SP_SQL_ROW)
    verifier = column_dup (s, 0);
  sp_sql_reset (s);
  /* Failures are counted for any code, known or not, so the lockout does
   * not tell whether a codice fiscale has a PIN. */
  *failures = 0;
  s = stmt (db, "SELECT failures FROM pin_attempts WHERE cf = ?");
  bind_text (s, 1, cf);
  if (sp_sql_step (s) == SP_SQL_ROW)
    *failures = sp_sql_column_int64 (s, 0);
  sp_sql_reset (s);
  return verifier;
}

void
sp_central_db_record_pin_result (SpCentralDb *db,
                                 const char  *cf,
                                 gboolean     success)
{
  SpSqlStmt *s = stmt (db, success
                          ? "DELETE FROM pin_attempts WHERE cf = ?"
                          : "INSERT INTO pin_attempts (cf, failures) VALUES (?, 1)"
                            " ON CONFLICT (cf) DO UPDATE SET failures = pin_attempts.failures + 1");

  bind_text (s, 1, cf);
  step_done (db, s, NULL);
}

/* ---- change feed and register ---- */

JsonNode *
sp_central_db_changes (SpCentralDb *db,
                       const char  *sede,
                       gint64       cursor,
                       guint        limit,
                       gboolean    *expired)
{
  SpSqlStmt *s;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  gint64 last = cursor;
  guint n = 0;
  gboolean more = FALSE;

  /* Rows older than the floor were purged: a cursor below it cannot be
   * continued, the workstation must resynchronise from scratch (410).
   * No cursor (0) is that fresh start: it never expires. */
  *expired = cursor > 0 && cursor + 1 < meta_int (db, "changes_floor");
  if (*expired)
    return NULL;
  /* SQLite has one writer, so sequence numbers are assigned in commit
   * order: a reader never skips a row that commits late. */
  s = stmt (db, "SELECT seq, payload FROM changes WHERE sede = ? AND seq > ? ORDER BY seq LIMIT ?");
  bind_text (s, 1, sede);
  sp_sql_bind_int64 (s, 2, cursor);
  sp_sql_bind_int64 (s, 3, limit + 1);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  while (sp_sql_step (s) == SP_SQL_ROW)
    {
      if (n == limit)
        {
          more = TRUE;
          break;
        }
      last = sp_sql_column_int64 (s, 0);
      if (json_parser_load_from_data (parser, sp_sql_column_text (s, 1), -1, NULL))
        {
          JsonNode *item = json_node_copy (json_parser_get_root (parser));

          json_object_set_int_member (json_node_get_object (item), "seq", last);
          json_builder_add_value (b, item);
        }
      n++;
    }
  sp_sql_reset (s);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "next_cursor");
  {
    g_autofree char *next = g_strdup_printf ("%" G_GINT64_FORMAT, last);
    json_builder_add_string_value (b, next);
  }
  json_builder_set_member_name (b, "has_more");
  json_builder_add_boolean_value (b, more);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
sp_central_db_register_day (SpCentralDb *db,
                            const char  *sede,
                            const char  *date)
{
  g_autoptr(GDateTime) day = NULL;
  g_autofree char *start_iso = g_strdup_printf ("%sT00:00:00Z", date);
  SpSqlStmt *s;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gint64 start;

  day = g_date_time_new_from_iso8601 (start_iso, NULL);
  if (day == NULL)
    return NULL;
  start = g_date_time_to_unix (day) * 1000;
  s = stmt (db, "SELECT i.id, i.cf, c.surname, c.name, i.operator, i.workstation, i.issued_at, i.status"
                " FROM issuances i LEFT JOIN citizens c ON c.cf = i.cf"
                " WHERE i.sede = ? AND i.issued_at >= ? AND i.issued_at < ? ORDER BY i.issued_at");
  bind_text (s, 1, sede);
  sp_sql_bind_int64 (s, 2, start);
  sp_sql_bind_int64 (s, 3, start + 86400 * 1000);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "date");
  json_builder_add_string_value (b, date);
  json_builder_set_member_name (b, "sede");
  json_builder_add_string_value (b, sede);
  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  while (sp_sql_step (s) == SP_SQL_ROW)
    {
      json_builder_begin_object (b);
      add_text_member (b, "id", s, 0);
      add_text_member (b, "cf", s, 1);
      add_text_member (b, "surname", s, 2);
      add_text_member (b, "name", s, 3);
      add_text_member (b, "operator", s, 4);
      add_text_member (b, "workstation", s, 5);
      add_time_member (b, "issued_at", sp_sql_column_int64 (s, 6));
      add_text_member (b, "status", s, 7);
      json_builder_end_object (b);
    }
  sp_sql_reset (s);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gint64
sp_central_db_purge (SpCentralDb *db,
                     gint64       cutoff,
                     gboolean     dry_run,
                     GError     **error)
{
  SpSqlStmt *s = stmt (db, "SELECT COUNT(*) FROM issuances WHERE status <> 'active'"
                              " AND ended_at IS NOT NULL AND ended_at < ?");
  gint64 count = 0;
  gboolean ok = TRUE;
  gint64 now = g_get_real_time () / 1000;

  sp_sql_bind_int64 (s, 1, cutoff);
  if (sp_sql_step (s) == SP_SQL_ROW)
    count = sp_sql_column_int64 (s, 0);
  sp_sql_reset (s);
  if (dry_run || count == 0)
    return count;
  if (!begin (db, error))
    return -1;
  s = stmt (db, "DELETE FROM issuances WHERE status <> 'active' AND ended_at IS NOT NULL AND ended_at < ?");
  sp_sql_bind_int64 (s, 1, cutoff);
  ok = step_done (db, s, error);
  if (ok)
    {
      /* Change rows older than the cutoff go too; cursors before them expire. */
      s = stmt (db, "DELETE FROM changes WHERE at < ?");
      sp_sql_bind_int64 (s, 1, cutoff);
      ok = step_done (db, s, error);
      ok = ok && exec (db, "UPDATE meta SET value = (SELECT CAST(COALESCE(MIN(seq), 0) AS TEXT) FROM changes)"
                           " WHERE key = 'changes_floor'", error);
      g_autofree char *detail = g_strdup_printf ("%" G_GINT64_FORMAT " issuances", count);
      sp_central_db_audit (db, "cli", "purge", NULL, detail, now);
    }
  if (!commit_or_rollback (db, ok, error))
    return -1;
  return count;
}
