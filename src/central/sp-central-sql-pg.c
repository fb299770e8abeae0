/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PostgreSQL backend of central's SQL driver, over libpq. Several
 * central instances share one database: writers serialise on a
 * transaction-scoped advisory lock (see sp_sql_begin_write).
 *
 * A lost connection (server restarted, network cut) is noticed through
 * PQstatus, reset, and its statements prepared again on the new session.
 * An operation outside a transaction is then retried once, which is safe;
 * inside one the transaction is gone with the old session, so the caller
 * gets SP_SQL_ERROR_UNAVAILABLE (central answers 503 + Retry-After, and
 * the client's retry is made safe by its Idempotency-Key). */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <libpq-fe.h>
#include <string.h>

#include "sp-central-sql-private.h"

/* Any constant: every writing transaction of every instance takes it. */
#define WRITE_LOCK_KEY 7316459020

typedef struct {
  SpSql parent;
  PGconn *conn;
  guint n_prepared;
} PgDb;

typedef struct {
  SpSqlStmt parent;
  char *sql;
  char *name;                /* of the server-side prepared statement */
  gboolean prepared;         /* on the current server session */
  char **values;             /* n_params of each */
  int *lengths;
  int *formats;
  PGresult *result;
  int row;                   /* next row to return */
  gboolean executed;
} PgStmt;

#define CONN(db) (((PgDb *) (db))->conn)
#define PG(s) ((PgStmt *) (s))

static void
set_result_error (SpSql          *db,
                  const PGresult *result,
                  GError        **error)
{
  const char *state = result ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  SpSqlError code = SP_SQL_ERROR_FAILED;

  if (state != NULL && g_str_has_prefix (state, "23"))
    code = SP_SQL_ERROR_CONSTRAINT;
  else if (g_strcmp0 (state, "40001") == 0 || g_strcmp0 (state, "40P01") == 0
           || g_strcmp0 (state, "55P03") == 0)
    code = SP_SQL_ERROR_BUSY;
  else if (state != NULL && (g_str_has_prefix (state, "08") || g_str_has_prefix (state, "57P")))
    code = SP_SQL_ERROR_UNAVAILABLE;   /* connection exception, admin shutdown */
  else if (state != NULL && g_str_has_prefix (state, "42"))
    code = SP_SQL_ERROR_MISUSE;        /* syntax error or access rule violation */
  g_set_error (error, SP_SQL_ERROR, code, "database: %s",
               result && *PQresultErrorMessage (result) ? PQresultErrorMessage (result)
                                                         : PQerrorMessage (CONN (db)));
}

static void
unprepare (gpointer key,
           gpointer value,
           gpointer user_data)
{
  PG (value)->prepared = FALSE;
}

/* Brings a lost connection back. TRUE when the connection is usable. */
static gboolean
ensure_connection (SpSql   *db,
                   GError **error)
{
  if (PQstatus (CONN (db)) == CONNECTION_OK)
    return TRUE;
  PQreset (CONN (db));
  /* Whatever happened, the old session's statements and transaction are gone. */
  if (db->statements != NULL)
    g_hash_table_foreach (db->statements, unprepare, NULL);
  db->in_transaction = FALSE;
  if (PQstatus (CONN (db)) != CONNECTION_OK)
    {
      g_set_error (error, SP_SQL_ERROR, SP_SQL_ERROR_UNAVAILABLE,
                   "the connection to PostgreSQL is lost: %s", PQerrorMessage (CONN (db)));
      return FALSE;
    }
  g_message ("reconnected to PostgreSQL");
  PQclear (PQexec (CONN (db), "SET client_min_messages = warning"));
  return TRUE;
}

/* After a failed call: TRUE when it failed because the connection went
 * away outside a transaction and is back, so the call may run again. */
static gboolean
may_retry (SpSql   *db,
           gboolean in_transaction,
           GError **error)
{
  g_autoptr(GError) local = NULL;

  if (PQstatus (CONN (db)) == CONNECTION_OK)
    return FALSE;
  if (!ensure_connection (db, &local) || in_transaction)
    {
      g_clear_error (error);
      g_set_error (error, SP_SQL_ERROR, SP_SQL_ERROR_UNAVAILABLE, "%s",
                   local ? local->message
                         : "the connection to PostgreSQL was lost: the transaction was rolled back");
      return FALSE;
    }
  g_clear_error (error);
  return TRUE;
}

static void
pg_close (SpSql *db)
{
  PQfinish (CONN (db));
  g_free (db);
}

static gboolean
exec_once (SpSql      *db,
           const char *sql,
           GError    **error)
{
  PGresult *result = PQexec (CONN (db), sql);
  ExecStatusType status = PQresultStatus (result);
  gboolean ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;

  if (!ok)
    set_result_error (db, result, error);
  PQclear (result);
  return ok;
}

static gboolean
pg_exec (SpSql      *db,
         const char *sql,
         GError    **error)
{
  gboolean in_transaction = db->in_transaction;

  if (!ensure_connection (db, error))
    return FALSE;
  if (exec_once (db, sql, error))
    return TRUE;
  return may_retry (db, in_transaction, error) && exec_once (db, sql, error);
}

static gboolean
pg_begin_write (SpSql   *db,
                GError **error)
{
  return pg_exec (db, "BEGIN; SELECT pg_advisory_xact_lock(" G_STRINGIFY (WRITE_LOCK_KEY) ")", error);
}

/* The writers' lock alone, inside the transaction. */
static gboolean
pg_lock_writers (SpSql   *db,
                 GError **error)
{
  return pg_exec (db, "SELECT pg_advisory_xact_lock(" G_STRINGIFY (WRITE_LOCK_KEY) ")", error);
}

/* BEGIN, then the keys' locks in the order given (ascending), in one
 * statement: unnest yields the array in order and the aggregate takes
 * each lock as its row arrives. Key space 2 of the two-int4 form, which
 * cannot meet WRITE_LOCK_KEY (high half 1). */
static gboolean
pg_begin_keyed (SpSql        *db,
                const gint32 *keys,
                guint         n,
                GError      **error)
{
  g_autoptr(GString) array = g_string_new ("{");
  GError *local = NULL;
  SpSqlStmt *s;

  if (!pg_exec (db, "BEGIN", error))
    return FALSE;
  /* From here a lost connection is a lost transaction, not a retry. */
  db->in_transaction = TRUE;
  if (n == 0)
    return TRUE;
  for (guint i = 0; i < n; i++)
    g_string_append_printf (array, "%s%d", i ? "," : "", keys[i]);
  g_string_append_c (array, '}');
  s = sp_sql_stmt (db, "SELECT COUNT(pg_advisory_xact_lock(2, k)) FROM unnest(CAST($1 AS int4[])) AS k", &local);
  if (s != NULL)
    {
      sp_sql_bind_text (s, 1, array->str);
      if (sp_sql_run (s, &local))
        return TRUE;
    }
  g_propagate_error (error, local);
  pg_exec (db, "ROLLBACK", NULL);
  db->in_transaction = FALSE;
  return FALSE;
}

/* Prepares s on the current session; the first time also learns how many
 * parameters the server found ($1..$N are PostgreSQL's own syntax). */
static gboolean
prepare_on_server (SpSql   *db,
                   PgStmt  *s,
                   GError **error)
{
  PGresult *result = PQprepare (CONN (db), s->name, s->sql, 0, NULL);
  gboolean ok = PQresultStatus (result) == PGRES_COMMAND_OK;

  if (!ok)
    set_result_error (db, result, error);
  PQclear (result);
  if (ok && s->values == NULL)
    {
      result = PQdescribePrepared (CONN (db), s->name);
      ok = PQresultStatus (result) == PGRES_COMMAND_OK;
      if (!ok)
        set_result_error (db, result, error);
      else
        {
          s->parent.n_params = PQnparams (result);
          s->values = g_new0 (char *, MAX (s->parent.n_params, 1));
          s->lengths = g_new0 (int, MAX (s->parent.n_params, 1));
          s->formats = g_new0 (int, MAX (s->parent.n_params, 1));
        }
      PQclear (result);
    }
  s->prepared = ok;
  return ok;
}

static SpSqlStmt *
pg_prepare (SpSql      *db,
            const char *sql,
            GError    **error)
{
  PgStmt *s = g_new0 (PgStmt, 1);
  gboolean in_transaction = db->in_transaction;
  gboolean ok;

  s->sql = g_strdup (sql);
  /* Parsed and planned once per session, not at every execution. */
  s->name = g_strdup_printf ("sp%u", ++((PgDb *) db)->n_prepared);
  ok = ensure_connection (db, error) && prepare_on_server (db, s, error);
  if (!ok && may_retry (db, in_transaction, error))
    ok = prepare_on_server (db, s, error);
  if (!ok)
    {
      g_free (s->values);
      g_free (s->lengths);
      g_free (s->formats);
      g_free (s->sql);
      g_free (s->name);
      g_free (s);
      return NULL;
    }
  return &s->parent;
}

static void
pg_reset (SpSqlStmt *stmt)
{
  PgStmt *s = PG (stmt);

  g_clear_pointer (&s->result, PQclear);
  for (int i = 0; i < stmt->n_params; i++)
    {
      g_clear_pointer (&s->values[i], g_free);
      s->lengths[i] = 0;
      s->formats[i] = 0;
    }
  s->executed = FALSE;
  s->row = 0;
}

static void
pg_finalize (SpSqlStmt *stmt)
{
  PgStmt *s = PG (stmt);

  pg_reset (stmt);
  g_free (s->values);
  g_free (s->lengths);
  g_free (s->formats);
  g_free (s->sql);
  g_free (s->name);
  g_free (s);
}

static void
set_value (PgStmt *s,
           int     i,
           char   *value,
           int     length,
           int     format)
{
  g_free (s->values[i - 1]);
  s->values[i - 1] = value;
  s->lengths[i - 1] = length;
  s->formats[i - 1] = format;
}

static void
pg_bind_text (SpSqlStmt  *stmt,
              int         i,
              const char *text)
{
  set_value (PG (stmt), i, g_strdup (text), 0, 0);
}

static void
pg_bind_int64 (SpSqlStmt *stmt,
               int        i,
               gint64     value)
{
  set_value (PG (stmt), i, g_strdup_printf ("%" G_GINT64_FORMAT, value), 0, 0);
}

static void
pg_bind_null (SpSqlStmt *stmt,
              int        i)
{
  set_value (PG (stmt), i, NULL, 0, 0);
}

static void
pg_bind_blob (SpSqlStmt    *stmt,
              int           i,
              gconstpointer data,
              gsize         size)
{
  /* binary: bytea without escaping */
  set_value (PG (stmt), i, g_memdup2 (size ? data : "", MAX (size, 1)), (int) size, 1);
}

static gboolean
execute_once (PgStmt  *s,
              GError **error)
{
  SpSql *db = s->parent.db;
  ExecStatusType status;

  if (!s->prepared && !prepare_on_server (db, s, error))
    return FALSE;
  g_clear_pointer (&s->result, PQclear);
  s->result = PQexecPrepared (CONN (db), s->name, s->parent.n_params,
                              (const char *const *) s->values, s->lengths, s->formats, 0);
  status = PQresultStatus (s->result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      set_result_error (db, s->result, error);
      return FALSE;
    }
  db->changes = g_ascii_strtoll (PQcmdTuples (s->result), NULL, 10);
  return TRUE;
}

static SpSqlStep
pg_step (SpSqlStmt *stmt,
         GError   **error)
{
  PgStmt *s = PG (stmt);
  SpSql *db = stmt->db;

  if (!s->executed)
    {
      gboolean in_transaction = db->in_transaction;
      gboolean ok;

      s->executed = TRUE;
      ok = ensure_connection (db, error) && execute_once (s, error);
      if (!ok && may_retry (db, in_transaction, error))
        ok = execute_once (s, error);
      if (!ok)
        return SP_SQL_STEP_ERROR;
    }
  if (s->row < PQntuples (s->result))
    {
      s->row++;
      return SP_SQL_STEP_ROW;
    }
  return SP_SQL_STEP_DONE;
}

static const char *
pg_column_text (SpSqlStmt *stmt,
                int        i)
{
  PgStmt *s = PG (stmt);

  if (PQgetisnull (s->result, s->row - 1, i))
    return NULL;
  return PQgetvalue (s->result, s->row - 1, i);
}

static gint64
pg_column_int64 (SpSqlStmt *stmt,
                 int        i)
{
  const char *text = pg_column_text (stmt, i);

  return text ? g_ascii_strtoll (text, NULL, 10) : 0;
}

static gboolean
pg_column_null (SpSqlStmt *stmt,
                int        i)
{
  return PQgetisnull (PG (stmt)->result, PG (stmt)->row - 1, i);
}

static const SpSqlBackend pg_backend = {
  pg_close, pg_exec, pg_begin_write, pg_begin_keyed, pg_lock_writers, pg_prepare, pg_finalize,
  pg_reset, pg_bind_text, pg_bind_int64, pg_bind_null, pg_bind_blob,
  pg_step, pg_column_text, pg_column_int64, pg_column_null,
};

SpSql *
sp_sql_postgres_open (const char *conninfo,
                      GError    **error)
{
  PgDb *db = g_new0 (PgDb, 1);
  /* A reconnection must not hang a worker for ever on an unreachable
   * server: 5 s unless the URL sets its own connect_timeout (the URL
   * comes last, so its values win). */
  const char *const keywords[] = { "connect_timeout", "dbname", NULL };
  const char *const values[] = { "5", conninfo, NULL };

  db->parent.backend = &pg_backend;
  db->parent.postgres = TRUE;
  db->conn = PQconnectdbParams (keywords, values, 1);
  if (PQstatus (db->conn) != CONNECTION_OK)
    {
      g_set_error (error, SP_SQL_ERROR, SP_SQL_ERROR_UNAVAILABLE, "cannot connect to PostgreSQL: %s",
                   PQerrorMessage (db->conn));
      pg_close (&db->parent);
      return NULL;
    }
  /* Quiet NOTICEs (CREATE … IF NOT EXISTS) off standard error. */
  PQclear (PQexec (db->conn, "SET client_min_messages = warning"));
  return &db->parent;
}
