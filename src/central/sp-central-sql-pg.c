/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PostgreSQL backend of central's SQL driver, over libpq. Several
 * central instances share one database: writers serialise on a
 * transaction-scoped advisory lock (see sp_sql_begin_write). */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <libpq-fe.h>
#include <string.h>

#include "sp-central-sql-private.h"

/* Any constant: every writing transaction of every instance takes it. */
#define WRITE_LOCK_KEY 7316459020

#define MAX_PARAMS 16

typedef struct {
  SpSql parent;
  PGconn *conn;
  guint n_prepared;
} PgDb;

typedef struct {
  SpSqlStmt parent;
  char *sql;                 /* with $N placeholders */
  char *name;                /* of the server-side prepared statement */
  int n_params;
  char *values[MAX_PARAMS];
  int lengths[MAX_PARAMS];
  int formats[MAX_PARAMS];
  PGresult *result;
  int row;                   /* next row to return */
  gboolean executed;
} PgStmt;

#define CONN(db) (((PgDb *) (db))->conn)
#define PG(s) ((PgStmt *) (s))

static void
note_result_error (SpSql          *db,
                   const PGresult *result)
{
  const char *state = result ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  SpSqlErrorKind kind = SP_SQL_FAILED;

  if (state != NULL && g_str_has_prefix (state, "23"))
    kind = SP_SQL_CONSTRAINT;
  else if (g_strcmp0 (state, "40001") == 0 || g_strcmp0 (state, "40P01") == 0
           || g_strcmp0 (state, "55P03") == 0)
    kind = SP_SQL_BUSY;
  sp_sql_set_error (db, kind, PQerrorMessage (CONN (db)));
}

static void
pg_close (SpSql *db)
{
  PQfinish (CONN (db));
  g_free (db);
}

static gboolean
pg_exec (SpSql      *db,
         const char *sql,
         GError    **error)
{
  PGresult *result = PQexec (CONN (db), sql);
  ExecStatusType status = PQresultStatus (result);
  gboolean ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;

  if (!ok)
    {
      note_result_error (db, result);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "database: %s", PQerrorMessage (CONN (db)));
    }
  PQclear (result);
  return ok;
}

static gboolean
pg_begin_write (SpSql   *db,
                GError **error)
{
  return pg_exec (db, "BEGIN; SELECT pg_advisory_xact_lock(" G_STRINGIFY (WRITE_LOCK_KEY) ")", error);
}

/* "?" → "$1", "$2"…; "?N" → "$N". Quotes are respected. */
static char *
convert_placeholders (const char *sql,
                      int        *n_params)
{
  GString *out = g_string_new (NULL);
  gboolean quoted = FALSE;
  int next = 0, max = 0;

  for (const char *p = sql; *p; p++)
    {
      if (*p == '\'')
        quoted = !quoted;
      if (*p != '?' || quoted)
        {
          g_string_append_c (out, *p);
          continue;
        }
      if (g_ascii_isdigit (p[1]))
        {
          int n = (int) g_ascii_strtoll (p + 1, (char **) &p, 10);

          p--;
          max = MAX (max, n);
          g_string_append_printf (out, "$%d", n);
        }
      else
        {
          g_string_append_printf (out, "$%d", ++next);
          max = MAX (max, next);
        }
    }
  *n_params = max;
  return g_string_free (out, FALSE);
}

static SpSqlStmt *
pg_prepare (SpSql      *db,
            const char *sql)
{
  PgStmt *s = g_new0 (PgStmt, 1);

  PGresult *result;

  s->sql = convert_placeholders (sql, &s->n_params);
  g_assert (s->n_params <= MAX_PARAMS);
  /* Parsed and planned once per connection, not at every execution. */
  s->name = g_strdup_printf ("sp%u", ++((PgDb *) db)->n_prepared);
  result = PQprepare (CONN (db), s->name, s->sql, s->n_params, NULL);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      note_result_error (db, result);
      PQclear (result);
      g_free (s->sql);
      g_free (s->name);
      g_free (s);
      return NULL;
    }
  PQclear (result);
  return &s->parent;
}

static void
clear_params (PgStmt *s)
{
  for (int i = 0; i < MAX_PARAMS; i++)
    {
      g_clear_pointer (&s->values[i], g_free);
      s->lengths[i] = 0;
      s->formats[i] = 0;
    }
}

static void
pg_reset (SpSqlStmt *stmt)
{
  PgStmt *s = PG (stmt);

  g_clear_pointer (&s->result, PQclear);
  clear_params (s);
  s->executed = FALSE;
  s->row = 0;
}

static void
pg_finalize (SpSqlStmt *stmt)
{
  pg_reset (stmt);
  g_free (PG (stmt)->sql);
  g_free (PG (stmt)->name);
  g_free (stmt);
}

static void
pg_bind_text (SpSqlStmt  *stmt,
              int         i,
              const char *text)
{
  PgStmt *s = PG (stmt);

  g_free (s->values[i - 1]);
  s->values[i - 1] = g_strdup (text);
}

static void
pg_bind_int64 (SpSqlStmt *stmt,
               int        i,
               gint64     value)
{
  PgStmt *s = PG (stmt);

  g_free (s->values[i - 1]);
  s->values[i - 1] = g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

static void
pg_bind_blob (SpSqlStmt    *stmt,
              int           i,
              gconstpointer data,
              gsize         size)
{
  PgStmt *s = PG (stmt);

  g_free (s->values[i - 1]);
  s->values[i - 1] = g_memdup2 (data, size);
  s->lengths[i - 1] = (int) size;
  s->formats[i - 1] = 1;   /* binary: bytea without escaping */
}

static SpSqlStep
pg_step (SpSqlStmt *stmt)
{
  PgStmt *s = PG (stmt);
  SpSql *db = stmt->db;

  if (!s->executed)
    {
      ExecStatusType status;

      s->executed = TRUE;
      s->result = PQexecPrepared (CONN (db), s->name, s->n_params,
                                  (const char *const *) s->values, s->lengths, s->formats, 0);
      status = PQresultStatus (s->result);
      if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        {
          note_result_error (db, s->result);
          return SP_SQL_ERROR;
        }
      db->changes = g_ascii_strtoll (PQcmdTuples (s->result), NULL, 10);
    }
  if (s->row < PQntuples (s->result))
    {
      s->row++;
      return SP_SQL_ROW;
    }
  return SP_SQL_DONE;
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
  pg_close, pg_exec, pg_begin_write, pg_prepare, pg_finalize,
  pg_reset, pg_bind_text, pg_bind_int64, pg_bind_blob, pg_step,
  pg_column_text, pg_column_int64, pg_column_null,
};

SpSql *
sp_sql_postgres_open (const char *conninfo,
                      GError    **error)
{
  PgDb *db = g_new0 (PgDb, 1);

  db->parent.backend = &pg_backend;
  db->parent.postgres = TRUE;
  db->conn = PQconnectdb (conninfo);
  if (PQstatus (db->conn) != CONNECTION_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot connect to PostgreSQL: %s",
                   PQerrorMessage (db->conn));
      pg_close (&db->parent);
      return NULL;
    }
  /* Quiet NOTICEs (CREATE … IF NOT EXISTS) off standard error. */
  PQclear (PQexec (db->conn, "SET client_min_messages = warning"));
  return &db->parent;
}
