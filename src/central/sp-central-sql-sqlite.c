/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SQLite backend of central's SQL driver: one connection per thread
 * on the same WAL file, synchronous=FULL (an issuance is a legal act).
 * Writers take the lock at BEGIN IMMEDIATE and wait for each other in
 * the busy handler; readers never wait for a writer (WAL). */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "sp-central-sql-private.h"

/* How long a writer waits for another connection's write transaction. */
#define BUSY_TIMEOUT_MS 10000

typedef struct {
  SpSql parent;
  sqlite3 *handle;
} SqliteDb;

typedef struct {
  SpSqlStmt parent;
  sqlite3_stmt *handle;
  int *index;                /* $N → SQLite's parameter index, for N in 1..n_params */
} SqliteStmt;

#define DB(db) (((SqliteDb *) (db))->handle)
#define SQ(s) ((SqliteStmt *) (s))
#define STMT(s) (SQ (s)->handle)

static void
set_error (SpSql   *db,
           int      rc,
           GError **error)
{
  int primary = rc & 0xff;
  SpSqlError code = primary == SQLITE_BUSY || primary == SQLITE_LOCKED ? SP_SQL_ERROR_BUSY
                  : primary == SQLITE_CONSTRAINT ? SP_SQL_ERROR_CONSTRAINT
                  : primary == SQLITE_MISUSE || primary == SQLITE_RANGE ? SP_SQL_ERROR_MISUSE
                  : SP_SQL_ERROR_FAILED;

  g_set_error (error, SP_SQL_ERROR, code, "database: %s", sqlite3_errmsg (DB (db)));
}

static void
sqlite_close (SpSql *db)
{
  sqlite3_close (DB (db));
  g_free (db);
}

static gboolean
sqlite_exec (SpSql      *db,
             const char *sql,
             GError    **error)
{
  int rc = sqlite3_exec (DB (db), sql, NULL, NULL, NULL);

  if (rc == SQLITE_OK)
    return TRUE;
  set_error (db, rc, error);
  return FALSE;
}

static gboolean
sqlite_begin_write (SpSql   *db,
                    GError **error)
{
  return sqlite_exec (db, "BEGIN IMMEDIATE", error);
}

/* One writer at a time on SQLite: BEGIN IMMEDIATE holds every lock. */
static gboolean
sqlite_begin_keyed (SpSql        *db,
                    const gint32 *keys,
                    guint         n,
                    GError      **error)
{
  if (!sqlite_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  db->writers_locked = TRUE;
  return TRUE;
}

static gboolean
sqlite_lock_writers (SpSql   *db,
                     GError **error)
{
  return TRUE;
}

/* The statement's parameters must be exactly "$1".."$N": SQLite has
 * parsed them, so this reads its parse instead of the SQL text. */
static gboolean
map_parameters (SqliteStmt *s,
                GError    **error)
{
  int count = sqlite3_bind_parameter_count (s->handle);
  int max = 0;

  for (int i = 1; i <= count; i++)
    {
      const char *name = sqlite3_bind_parameter_name (s->handle, i);
      guint64 n = 0;

      if (name == NULL || name[0] != '$'
          || !g_ascii_string_to_unsigned (name + 1, 10, 1, 999, &n, NULL))
        {
          g_set_error (error, SP_SQL_ERROR, SP_SQL_ERROR_MISUSE,
                       "parameter %s: write $1..$N", name ? name : "?");
          return FALSE;
        }
      max = MAX (max, (int) n);
    }
  /* Each $N is one distinct name, so count names == max means 1..max all appear. */
  if (max != count)
    {
      g_set_error (error, SP_SQL_ERROR, SP_SQL_ERROR_MISUSE,
                   "parameters skip a number (%d names, highest $%d)", count, max);
      return FALSE;
    }
  s->parent.n_params = max;
  s->index = g_new0 (int, max + 1);
  for (int n = 1; n <= max; n++)
    {
      char name[8];

      g_snprintf (name, sizeof name, "$%d", n);
      s->index[n] = sqlite3_bind_parameter_index (s->handle, name);
      if (s->index[n] == 0)
        {
          g_set_error (error, SP_SQL_ERROR, SP_SQL_ERROR_MISUSE, "parameter %s is missing", name);
          return FALSE;
        }
    }
  return TRUE;
}

static SpSqlStmt *
sqlite_prepare (SpSql      *db,
                const char *sql,
                GError    **error)
{
  g_autofree SqliteStmt *s = g_new0 (SqliteStmt, 1);
  const char *tail = NULL;
  int rc = sqlite3_prepare_v3 (DB (db), sql, -1, SQLITE_PREPARE_PERSISTENT, &s->handle, &tail);

  if (rc != SQLITE_OK)
    {
      set_error (db, rc, error);
      return NULL;
    }
  if (tail != NULL && *tail != '\0')
    {
      g_set_error (error, SP_SQL_ERROR, SP_SQL_ERROR_MISUSE, "one statement at a time: %s", tail);
      sqlite3_finalize (s->handle);
      return NULL;
    }
  if (!map_parameters (s, error))
    {
      sqlite3_finalize (s->handle);
      g_free (s->index);
      return NULL;
    }
  return &g_steal_pointer (&s)->parent;
}

static void
sqlite_finalize (SpSqlStmt *s)
{
  sqlite3_finalize (STMT (s));
  g_free (SQ (s)->index);
  g_free (s);
}

static void
sqlite_reset (SpSqlStmt *s)
{
  sqlite3_reset (STMT (s));
  sqlite3_clear_bindings (STMT (s));
}

static void
sqlite_bind_text (SpSqlStmt  *s,
                  int         i,
                  const char *text)
{
  sqlite3_bind_text (STMT (s), SQ (s)->index[i], text, -1, SQLITE_TRANSIENT);
}

static void
sqlite_bind_int64 (SpSqlStmt *s,
                   int        i,
                   gint64     value)
{
  sqlite3_bind_int64 (STMT (s), SQ (s)->index[i], value);
}

static void
sqlite_bind_null (SpSqlStmt *s,
                  int        i)
{
  sqlite3_bind_null (STMT (s), SQ (s)->index[i]);
}

static void
sqlite_bind_blob (SpSqlStmt    *s,
                  int           i,
                  gconstpointer data,
                  gsize         size)
{
  sqlite3_bind_blob64 (STMT (s), SQ (s)->index[i], data, size, SQLITE_TRANSIENT);
}

static SpSqlStep
sqlite_step (SpSqlStmt *s,
             GError   **error)
{
  int rc = sqlite3_step (STMT (s));

  if (rc == SQLITE_ROW)
    return SP_SQL_STEP_ROW;
  if (rc == SQLITE_DONE)
    {
      s->db->changes = sqlite3_changes (DB (s->db));
      return SP_SQL_STEP_DONE;
    }
  set_error (s->db, rc, error);
  return SP_SQL_STEP_ERROR;
}

static const char *
sqlite_column_text (SpSqlStmt *s,
                    int        i)
{
  return (const char *) sqlite3_column_text (STMT (s), i);
}

static gint64
sqlite_column_int64 (SpSqlStmt *s,
                     int        i)
{
  return sqlite3_column_int64 (STMT (s), i);
}

static gboolean
sqlite_column_null (SpSqlStmt *s,
                    int        i)
{
  return sqlite3_column_type (STMT (s), i) == SQLITE_NULL;
}

static const SpSqlBackend sqlite_backend = {
  sqlite_close, sqlite_exec, sqlite_begin_write, sqlite_begin_keyed, sqlite_lock_writers,
  sqlite_prepare, sqlite_finalize,
  sqlite_reset, sqlite_bind_text, sqlite_bind_int64, sqlite_bind_null, sqlite_bind_blob,
  sqlite_step, sqlite_column_text, sqlite_column_int64, sqlite_column_null,
};

SpSql *
sp_sql_sqlite_open (const char *path,
                    GError    **error)
{
  SqliteDb *db = g_new0 (SqliteDb, 1);
  g_autofree char *dir = g_path_get_dirname (path);

  db->parent.backend = &sqlite_backend;
  g_mkdir_with_parents (dir, 0700);
  /* NOMUTEX: a connection belongs to one thread at a time; the file is
   * shared between connections through SQLite's own locking. */
  if (sqlite3_open_v2 (path, &db->handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                       | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, SP_SQL_ERROR, SP_SQL_ERROR_FAILED, "cannot open %s: %s", path,
                   db->handle ? sqlite3_errmsg (db->handle) : "out of memory");
      sqlite3_close (db->handle);
      g_free (db);
      return NULL;
    }
  sqlite3_busy_timeout (db->handle, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (db->handle, 1);
  /* 64 MiB of page cache: the registry and the indexes stay in memory. */
  if (!sqlite_exec (&db->parent, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                                 "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;", error))
    {
      sqlite_close (&db->parent);
      return NULL;
    }
  return &db->parent;
}
