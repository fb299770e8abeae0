/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Central's repository: the connection, migrations, the helpers its
 * files share, the audit chain, operators, sessions and the registry.
 * Issuances, revocations and PIN lockout are in sp-central-db-*.c. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "sp-central-db-private.h"
#include "sp-central-schema.h"
#include "sp-secret.h"
#include "sp-text.h"

G_DEFINE_QUARK (sp-central-db-error-quark, sp_central_db_error)

/* ---- helpers ---- */

gboolean
sp_central_db_take_error (GError **error,
                          GError  *sql_error)
{
  SpCentralDbError code = SP_CENTRAL_DB_ERROR_FAILED;

  if (sql_error == NULL)
    {
      g_set_error_literal (error, SP_CENTRAL_DB_ERROR, code, "database: unknown error");
      return FALSE;
    }
  if (sql_error->domain == SP_SQL_ERROR)
    switch ((SpSqlError) sql_error->code)
      {
      case SP_SQL_ERROR_BUSY: code = SP_CENTRAL_DB_ERROR_BUSY; break;
      case SP_SQL_ERROR_UNAVAILABLE: code = SP_CENTRAL_DB_ERROR_UNAVAILABLE; break;
      /* The business rules behind constraints (one active PIN, ids,
       * four eyes) are checked before the write, with their own errors;
       * a constraint that still refuses (a trigger, a bug) is a failure. */
      case SP_SQL_ERROR_CONSTRAINT:
      case SP_SQL_ERROR_FAILED:
      case SP_SQL_ERROR_MISUSE:
      default: code = SP_CENTRAL_DB_ERROR_FAILED; break;
      }
  else if (sql_error->domain == SP_CENTRAL_DB_ERROR)
    code = sql_error->code;
  g_set_error_literal (error, SP_CENTRAL_DB_ERROR, code, sql_error->message);
  g_error_free (sql_error);
  return FALSE;
}

static SpSqlStmt *
query_va (SpCentralDb *db,
          GError     **error,
          const char  *sql,
          const char  *types,
          va_list      args)
{
  GError *local = NULL;
  SpSqlStmt *s = sp_sql_stmt (db->sql, sql, &local);

  if (s == NULL)
    {
      sp_central_db_take_error (error, local);
      return NULL;
    }
  for (int i = 0; types[i]; i++)
    switch (types[i])
      {
      case 't':
        sp_sql_bind_text (s, i + 1, va_arg (args, const char *));
        break;
      case 'i':
        sp_sql_bind_int64 (s, i + 1, va_arg (args, gint64));
        break;
      case 'b':
        {
          gconstpointer data = va_arg (args, gconstpointer);
          gsize size = va_arg (args, gsize);

          sp_sql_bind_blob (s, i + 1, data, size);
        }
        break;
      default:
        g_assert_not_reached ();
      }
  return s;
}

SpSqlStmt *
sp_central_db_query (SpCentralDb *db,
                     GError     **error,
                     const char  *sql,
                     const char  *types,
                     ...)
{
  va_list args;
  SpSqlStmt *s;

  va_start (args, types);
  s = query_va (db, error, sql, types, args);
  va_end (args);
  return s;
}

gboolean
sp_central_db_run (SpCentralDb *db,
                   GError     **error,
                   const char  *sql,
                   const char  *types,
                   ...)
{
  GError *local = NULL;
  va_list args;
  SpSqlStmt *s;

  va_start (args, types);
  s = query_va (db, error, sql, types, args);
  va_end (args);
  if (s == NULL)
    return FALSE;
  if (!sp_sql_run (s, &local))
    return sp_central_db_take_error (error, local);
  return TRUE;
}

gboolean
sp_central_db_first_row (SpCentralDb *db,
                         SpSqlStmt   *s,
                         gboolean    *found,
                         GError     **error)
{
  GError *local = NULL;
  SpSqlStep rc = sp_sql_step (s, &local);

  *found = rc == SP_SQL_STEP_ROW;
  if (rc == SP_SQL_STEP_ERROR)
    {
      sp_sql_reset (s);
      return sp_central_db_take_error (error, local);
    }
  return TRUE;
}

gboolean
sp_central_db_collect (SpCentralDb     *db,
                       SpSqlStmt       *s,
                       SpCentralRowFunc row,
                       GPtrArray       *into,
                       GError         **error)
{
  GError *local = NULL;
  SpSqlStep rc;

  if (s == NULL)
    return FALSE;
  while ((rc = sp_sql_step (s, &local)) == SP_SQL_STEP_ROW)
    g_ptr_array_add (into, row (s));
  sp_sql_reset (s);
  return rc == SP_SQL_STEP_DONE || sp_central_db_take_error (error, local);
}

char *
sp_central_db_column_dup (SpSqlStmt *s,
                          int        i)
{
  return g_strdup (sp_sql_column_text (s, i));
}

gboolean
sp_central_db_write_begin (SpCentralDb *db,
                           GError     **error)
{
  GError *local = NULL;

  g_clear_pointer (&db->audit_tail, g_free);
  if (!sp_sql_begin_write (db->sql, &local))
    return sp_central_db_take_error (error, local);
  return TRUE;
}

gboolean
sp_central_db_write_begin_keyed (SpCentralDb       *db,
                                 const char *const *cfs,
                                 guint              n,
                                 GError           **error)
{
  GError *local = NULL;

  g_clear_pointer (&db->audit_tail, g_free);
  if (!sp_sql_begin_keyed (db->sql, cfs, n, &local))
    return sp_central_db_take_error (error, local);
  return TRUE;
}

gboolean
sp_central_db_lock_writers (SpCentralDb *db,
                            GError     **error)
{
  GError *local = NULL;

  if (!sp_sql_lock_writers (db->sql, &local))
    return sp_central_db_take_error (error, local);
  return TRUE;
}

gboolean
sp_central_db_write_begin_for (SpCentralDb *db,
                               const char  *cf,
                               GError     **error)
{
  if (!sp_central_db_write_begin_keyed (db, &cf, 1, error))
    return FALSE;
  if (sp_central_db_lock_writers (db, error))
    return TRUE;
  sp_sql_rollback (db->sql);
  return FALSE;
}

gboolean
sp_central_db_write_end (SpCentralDb *db,
                         gboolean     ok,
                         GError     **error)
{
  GError *local = NULL;

  g_clear_pointer (&db->audit_tail, g_free);
  if (!ok)
    {
      sp_sql_rollback (db->sql);
      return FALSE;
    }
  if (!sp_sql_commit (db->sql, &local))
    return sp_central_db_take_error (error, local);
  return TRUE;
}

/* ---- connection and migrations ---- */

/* The migration that added citizens.surname_key and name_key. */
#define SEARCH_KEYS_VERSION 5

typedef struct {
  char *cf, *surname, *name;
} KeyRow;

static gpointer
key_row (SpSqlStmt *s)
{
  KeyRow *r = g_new0 (KeyRow, 1);

  r->cf = sp_central_db_column_dup (s, 0);
  r->surname = sp_central_db_column_dup (s, 1);
  r->name = sp_central_db_column_dup (s, 2);
  return r;
}

static void
key_row_free (KeyRow *r)
{
  g_free (r->cf);
  g_free (r->surname);
  g_free (r->name);
  g_free (r);
}

/* The folding is C (sp_text_fold), not SQL, so the rows a registry held
 * before migration 5 get their search keys here, once. */
static gboolean
fill_search_keys (SpCentralDb *db,
                  GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) key_row_free);
  SpSqlStmt *s = sp_central_db_query (db, error, "SELECT cf, surname, name FROM citizens"
                                                 " WHERE surname_key IS NULL", "");

  if (!sp_central_db_collect (db, s, key_row, rows, error))
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      KeyRow *r = g_ptr_array_index (rows, i);
      g_autofree char *surname = sp_text_fold (r->surname);
      g_autofree char *name = sp_text_fold (r->name);

      if (!sp_central_db_run (db, error, "UPDATE citizens SET surname_key = $1, name_key = $2 WHERE cf = $3",
                              "ttt", surname, name, r->cf))
        return FALSE;
    }
  return TRUE;
}

/* All pending migrations in one write transaction, which on PostgreSQL
 * holds the advisory write lock: of several instances starting together,
 * one migrates and the others wait, then find nothing to do. */
static gboolean
migrate (SpCentralDb *db,
         GError     **error)
{
  gboolean postgres = sp_sql_is_postgres (db->sql);
  gint64 version = 0;
  gboolean ok, found;
  SpSqlStmt *s;

  if (!sp_central_db_write_begin (db, error))
    return FALSE;
  ok = sp_central_db_run (db, error, "CREATE TABLE IF NOT EXISTS sp_schema (version INTEGER NOT NULL)", "");
  s = ok ? sp_central_db_query (db, error, "SELECT COALESCE(MAX(version), 0) FROM sp_schema", "") : NULL;
  ok = s != NULL && sp_central_db_first_row (db, s, &found, error);
  if (ok)
    {
      version = found ? sp_sql_column_int64 (s, 0) : 0;
      sp_sql_reset (s);
    }
  for (guint i = version; ok && i < sp_central_schema_n_migrations (); i++)
    {
      g_autofree char *sql = sp_central_schema_migration (i, postgres);
      GError *local = NULL;

      ok = sp_sql_exec (db->sql, sql, &local) || sp_central_db_take_error (error, local);
      ok = ok && sp_central_db_run (db, error, "INSERT INTO sp_schema (version) VALUES ($1)", "i",
                                    (gint64) i + 1);
    }
  ok = ok && (version >= SEARCH_KEYS_VERSION || fill_search_keys (db, error));
  return sp_central_db_write_end (db, ok, error);
}

SpCentralDb *
sp_central_db_open (const char *location,
                    GError    **error)
{
  g_autoptr(SpCentralDb) db = g_new0 (SpCentralDb, 1);
  GError *local = NULL;

  db->sql = sp_sql_open (location, &local);
  if (db->sql == NULL)
    {
      sp_central_db_take_error (error, local);
      return NULL;
    }
  if (!migrate (db, error))
    return NULL;
  return g_steal_pointer (&db);
}

void
sp_central_db_close (SpCentralDb *db)
{
  if (db == NULL)
    return;
  g_clear_pointer (&db->sql, sp_sql_close);
  g_free (db->audit_tail);
  g_free (db);
}

gboolean
sp_central_db_ping (SpCentralDb *db,
                    GError     **error)
{
  return sp_central_db_run (db, error, "SELECT 1", "");
}

/* ---- audit: hash-chained, in the caller's transaction ---- */

gboolean
sp_central_db_audit (SpCentralDb *db,
                     const char  *actor,
                     const char  *action,
                     const char  *subject,
                     const char  *detail,
                     gint64       now,
                     GError     **error)
{
  SpSqlStmt *s;
  g_autofree char *prev = NULL;
  g_autofree char *line = NULL;
  g_autofree char *hash = NULL;
  gboolean found;

  /* Under the writers' lock (held to COMMIT by every transaction that
   * appends), the last row read is the last row: the chain is linear. */
  g_return_val_if_fail (sp_sql_writers_locked (db->sql), FALSE);

  if (db->audit_tail != NULL)
    prev = g_strdup (db->audit_tail);
  else
    {
      s = sp_central_db_query (db, error, "SELECT hash FROM audit ORDER BY id DESC LIMIT 1", "");
      if (s == NULL || !sp_central_db_first_row (db, s, &found, error))
        return FALSE;
      prev = found ? sp_central_db_column_dup (s, 0) : g_strdup ("");
      sp_sql_reset (s);
    }
  line = g_strdup_printf ("%s|%" G_GINT64_FORMAT "|%s|%s|%s|%s", prev, now, actor,
                          action, subject ? subject : "", detail ? detail : "");
  hash = sp_sha256_hex (line, strlen (line));
  /* Forgotten first: if the insert fails (or a savepoint rolls it back,
   * see sp_central_db_forget_audit_tail) the tail is read again. */
  g_clear_pointer (&db->audit_tail, g_free);
  if (!sp_central_db_run (db, error, "INSERT INTO audit (at, actor, action, subject, detail, prev_hash, hash)"
                                     " VALUES ($1, $2, $3, $4, $5, $6, $7)", "ittttt" "t",
                          now, actor, action, subject, detail, prev, hash))
    return FALSE;
  db->audit_tail = g_steal_pointer (&hash);
  return TRUE;
}

void
sp_central_db_forget_audit_tail (SpCentralDb *db)
{
  g_clear_pointer (&db->audit_tail, g_free);
}

/* ---- operators and sessions ---- */

#define OPERATOR_COLUMNS "o.id, o.username, o.name, o.role, o.sede, o.verifier, o.disabled"

static SpCentralOperator *
operator_from_row (SpSqlStmt *s)
{
  SpCentralOperator *op = g_new0 (SpCentralOperator, 1);

  op->id = sp_sql_column_int64 (s, 0);
  op->username = sp_central_db_column_dup (s, 1);
  op->name = sp_central_db_column_dup (s, 2);
  op->role = sp_central_db_column_dup (s, 3);
  if (!sp_central_role_from_string (op->role, &op->role_id))
    op->role_id = SP_CENTRAL_ROLE_OPERATOR;   /* the schema's CHECK makes this unreachable */
  op->sede = sp_central_db_column_dup (s, 4);
  op->verifier = sp_central_db_column_dup (s, 5);
  op->disabled = sp_sql_column_int64 (s, 6) != 0;
  return op;
}

static gpointer
operator_row (SpSqlStmt *s)
{
  return operator_from_row (s);
}

/* The one operator a query selects, or NULL with NOT_FOUND / the error. */
static SpCentralOperator *
one_operator (SpCentralDb *db,
              SpSqlStmt   *s,
              const char  *what,
              GError     **error)
{
  SpCentralOperator *op = NULL;
  gboolean found;

  if (s == NULL || !sp_central_db_first_row (db, s, &found, error))
    return NULL;
  if (found)
    op = operator_from_row (s);
  else
    g_set_error (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND, "no %s", what);
  sp_sql_reset (s);
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
  gint64 now = g_get_real_time () / 1000;
  gboolean ok;

  if (!sp_central_db_write_begin (db, error))
    return FALSE;
  ok = sp_central_db_run (db, error, "INSERT INTO operators (username, name, role, sede, verifier)"
                                     " VALUES ($1, $2, $3, $4, $5)", "ttttt",
                          username, name, role, sede, verifier)
    && sp_central_db_audit (db, "cli", "operator.add", username, role, now, error);
  return sp_central_db_write_end (db, ok, error);
}

GPtrArray *
sp_central_db_list_operators (SpCentralDb *db,
                              GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_central_operator_free);
  SpSqlStmt *s = sp_central_db_query (db, error, "SELECT " OPERATOR_COLUMNS " FROM operators o"
                                                 " ORDER BY o.username", "");

  if (!sp_central_db_collect (db, s, operator_row, list, error))
    return NULL;
  return g_steal_pointer (&list);
}

gboolean
sp_central_db_disable_operator (SpCentralDb *db,
                                const char  *username,
                                GError     **error)
{
  gint64 now = g_get_real_time () / 1000;
  gboolean ok;

  if (!sp_central_db_write_begin (db, error))
    return FALSE;
  ok = sp_central_db_run (db, error, "UPDATE operators SET disabled = 1 WHERE username = $1", "t", username);
  if (ok && sp_sql_changes (db->sql) == 0)
    {
      g_set_error (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND, "no operator %s", username);
      ok = FALSE;
    }
  /* A disabled operator's open sessions end now, not in 8 hours. */
  ok = ok && sp_central_db_run (db, error, "DELETE FROM sessions WHERE operator_id IN"
                                           " (SELECT id FROM operators WHERE username = $1)", "t", username)
          && sp_central_db_audit (db, "cli", "operator.disable", username, NULL, now, error);
  return sp_central_db_write_end (db, ok, error);
}

SpCentralOperator *
sp_central_db_find_operator (SpCentralDb *db,
                             const char  *username,
                             GError     **error)
{
  SpSqlStmt *s = sp_central_db_query (db, error, "SELECT " OPERATOR_COLUMNS " FROM operators o"
                                                 " WHERE o.username = $1", "t", username);

  return one_operator (db, s, "such operator", error);
}

gboolean
sp_central_db_add_session (SpCentralDb *db,
                           const char  *token_hash,
                           gint64       operator_id,
                           const char  *workstation,
                           gint64       expires_at,
                           GError     **error)
{
  gboolean ok;

  if (!sp_central_db_write_begin (db, error))
    return FALSE;
  /* Expired sessions are swept as new ones are made. */
  ok = sp_central_db_run (db, error, "DELETE FROM sessions WHERE expires_at < $1", "i",
                          expires_at - 8 * 3600 * 1000)
    && sp_central_db_run (db, error, "INSERT INTO sessions (token_hash, operator_id, workstation, expires_at)"
                                     " VALUES ($1, $2, $3, $4)", "titi",
                          token_hash, operator_id, workstation, expires_at);
  return sp_central_db_write_end (db, ok, error);
}

SpCentralOperator *
sp_central_db_session_operator (SpCentralDb *db,
                                const char  *token_hash,
                                gint64       now,
                                GError     **error)
{
  SpSqlStmt *s = sp_central_db_query (db, error, "SELECT " OPERATOR_COLUMNS " FROM sessions t"
                                                 " JOIN operators o ON o.id = t.operator_id"
                                                 " WHERE t.token_hash = $1 AND t.expires_at > $2"
                                                 " AND o.disabled = 0", "ti", token_hash, now);

  return one_operator (db, s, "live session", error);
}

gboolean
sp_central_db_delete_session (SpCentralDb *db,
                              const char  *token_hash,
                              GError     **error)
{
  return sp_central_db_run (db, error, "DELETE FROM sessions WHERE token_hash = $1", "t", token_hash);
}

/* ---- registry ---- */

#define CITIZEN_INSERT \
  "INSERT INTO citizens (cf, surname, name, sex, birth_date, birth_place," \
  " street, postcode, city, province, phone, email, fictitious, source, surname_key, name_key)" \
  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"

gboolean
sp_central_db_insert_citizen (SpCentralDb    *db,
                              const SpPerson *p,
                              gboolean        fictitious,
                              const char     *source,
                              gboolean        replace,
                              GError        **error)
{
  const char *sql = replace
    ? CITIZEN_INSERT " ON CONFLICT (cf) DO UPDATE SET"
      " surname = excluded.surname, name = excluded.name, sex = excluded.sex,"
      " birth_date = excluded.birth_date, birth_place = excluded.birth_place,"
      " street = excluded.street, postcode = excluded.postcode, city = excluded.city,"
      " province = excluded.province, phone = excluded.phone, email = excluded.email,"
      " fictitious = excluded.fictitious, source = excluded.source,"
      " surname_key = excluded.surname_key, name_key = excluded.name_key"
    : CITIZEN_INSERT " ON CONFLICT (cf) DO NOTHING";
  g_autofree char *date = sp_date_to_iso (&p->birth_date);
  char sex[2] = { p->sex, 0 };
  const SpAddress *home = p->residence;
  g_autofree char *surname_key = sp_text_fold (p->surname);
  g_autofree char *name_key = sp_text_fold (p->name);

  return sp_central_db_run (db, error, sql, "tttttttttttti" "ttt",
                            p->cf, p->surname, p->name, sex, date, p->birth_place,
                            home ? home->street : NULL, home ? home->postcode : NULL,
                            home ? home->city : NULL, home ? home->province : NULL,
                            p->phone, p->email, (gint64) (fictitious != FALSE), source,
                            surname_key, name_key);
}

gboolean
sp_central_db_put_citizen (SpCentralDb    *db,
                           const SpPerson *person,
                           gboolean        fictitious,
                           const char     *source,
                           GError        **error)
{
  return sp_central_db_insert_citizen (db, person, fictitious, source, TRUE, error);
}

gboolean
sp_central_db_begin (SpCentralDb *db,
                     GError     **error)
{
  return sp_central_db_write_begin (db, error);
}

gboolean
sp_central_db_commit (SpCentralDb *db,
                      gboolean     ok,
                      GError     **error)
{
  return sp_central_db_write_end (db, ok, error);
}

static SpCentralCitizen *
citizen_from_row (SpSqlStmt *s,
                  gint64     now)
{
  SpCentralCitizen *c = g_new0 (SpCentralCitizen, 1);
  char **fields[] = { &c->cf, &c->surname, &c->name, &c->sex, &c->birth_date, &c->birth_place,
                      &c->street, &c->postcode, &c->city, &c->province, &c->phone, &c->email };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    *fields[i] = sp_central_db_column_dup (s, i);
  c->fictitious = sp_sql_column_int64 (s, 12) != 0;
  c->source = sp_central_db_column_dup (s, 13);
  if (!sp_sql_column_is_null (s, 14))
    {
      c->active_issuance_id = sp_central_db_column_dup (s, 14);
      c->active_issued_at = sp_sql_column_int64 (s, 15);
      c->active_sede = sp_central_db_column_dup (s, 16);
    }
  c->locked = sp_central_pin_locked (sp_sql_column_int64 (s, 17), sp_sql_column_int64 (s, 18), now);
  return c;
}

#define CITIZEN_COLUMNS \
  "SELECT c.cf, c.surname, c.name, c.sex, c.birth_date, c.birth_place," \
  " c.street, c.postcode, c.city, c.province, c.phone, c.email," \
  " c.fictitious, c.source, a.id, a.issued_at, a.sede," \
  " COALESCE(p.failures, 0), COALESCE(p.locked_until, 0)" \
  " FROM citizens c" \
  " LEFT JOIN issuances a ON a.cf = c.cf AND a.status = 'active'" \
  " LEFT JOIN pin_attempts p ON p.cf = c.cf"

/* The keys just above every key that starts with prefix: the folded keys
 * are ASCII below '~', so prefix + "~" bounds the range. */
static char *
prefix_end (const char *prefix)
{
  return g_strconcat (prefix, "~", NULL);
}

GPtrArray *
sp_central_db_search_citizens (SpCentralDb *db,
                               const char  *surname_prefix,
                               const char  *name_prefix,
                               const char  *birth_date,
                               guint        limit,
                               gint64       now,
                               GError     **error)
{
  g_autofree char *surname = sp_text_fold (surname_prefix);
  g_autofree char *name = sp_text_fold (name_prefix ? name_prefix : "");
  g_autofree char *surname_end = prefix_end (surname);
  g_autofree char *name_end = prefix_end (name);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_central_citizen_free);
  /* A range on (surname_key, name_key): the name's range narrows it
   * further, the birth date is checked on the rows the range gives. */
  SpSqlStmt *s = sp_central_db_query (db, error, CITIZEN_COLUMNS
                                      " WHERE c.surname_key >= $1 AND c.surname_key < $2"
                                      " AND c.name_key >= $3 AND c.name_key < $4"
                                      " AND ($5 = '' OR c.birth_date = $5)"
                                      " ORDER BY c.surname_key, c.name_key, c.cf LIMIT $6",
                                      "ttttti", surname, surname_end, name, name_end,
                                      birth_date ? birth_date : "", (gint64) limit);
  GError *local = NULL;
  SpSqlStep step;

  if (s == NULL)
    return NULL;
  while ((step = sp_sql_step (s, &local)) == SP_SQL_STEP_ROW)
    g_ptr_array_add (found, citizen_from_row (s, now));
  sp_sql_reset (s);
  if (step != SP_SQL_STEP_DONE)
    {
      sp_central_db_take_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&found);
}

SpCentralCitizen *
sp_central_db_get_citizen (SpCentralDb *db,
                           const char  *cf,
                           gint64       now,
                           GError     **error)
{
  /* One statement, so one snapshot: the record, its active PIN and its
   * lockout agree with each other, in one round trip. */
  SpSqlStmt *s = sp_central_db_query (db, error, CITIZEN_COLUMNS " WHERE c.cf = $1", "t", cf);
  SpCentralCitizen *c = NULL;
  gboolean found;

  if (s == NULL || !sp_central_db_first_row (db, s, &found, error))
    return NULL;
  if (found)
    c = citizen_from_row (s, now);
  else
    g_set_error (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND, "no citizen %s", cf);
  sp_sql_reset (s);
  return c;
}
