/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SQLite backend of central's SQL driver: one connection, WAL,
 * synchronous=FULL (an issuance is a legal act). */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <sqlite3.h>

#include "sp-central-sql-private.h"

typedef struct {
  SpSql parent;
  sqlite3 *handle;
} SqliteDb;

typedef struct {
  SpSqlStmt parent;
  sqlite3_stmt *handle;
} SqliteStmt;

#define DB(db) (((SqliteDb *) (db))->handle)
#define STMT(s) (((SqliteStmt *) (s))->handle)

static void
note_error (SpSql *db,
            int    rc)
{
  sp_sql_set_error (db, rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? SP_SQL_BUSY
                        : rc == SQLITE_CONSTRAINT ? SP_SQL_CONSTRAINT : SP_SQL_FAILED,
                    sqlite3_errmsg (DB (db)));
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
  char *message = NULL;
  int rc = sqlite3_exec (DB (db), sql, NULL, NULL, &message);

  if (rc == SQLITE_OK)
    return TRUE;
  note_error (db, rc);
  g_set_error (error, G_IO_ERROR, rc == SQLITE_BUSY ? G_IO_ERROR_BUSY : G_IO_ERROR_FAILED,
               "database: %s", message ? message : sqlite3_errstr (rc));
  sqlite3_free (message);
  return FALSE;
}

static gboolean
sqlite_begin_write (SpSql   *db,
                    GError **error)
{
  return sqlite_exec (db, "BEGIN IMMEDIATE", error);
}

/* "?N" works as it is in SQLite. */
static SpSqlStmt *
sqlite_prepare (SpSql      *db,
                const char *sql)
{
  SqliteStmt *s = g_new0 (SqliteStmt, 1);

  if (sqlite3_prepare_v3 (DB (db), sql, -1, SQLITE_PREPARE_PERSISTENT, &s->handle, NULL) != SQLITE_OK)
    {
      sp_sql_set_error (db, SP_SQL_FAILED, sqlite3_errmsg (DB (db)));
      g_free (s);
      return NULL;
    }
  return &s->parent;
}

static void
sqlite_finalize (SpSqlStmt *s)
{
  sqlite3_finalize (STMT (s));
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
  if (text != NULL)
    sqlite3_bind_text (STMT (s), i, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (STMT (s), i);
}

static void
sqlite_bind_int64 (SpSqlStmt *s,
                   int        i,
                   gint64     value)
{
  sqlite3_bind_int64 (STMT (s), i, value);
}

static void
sqlite_bind_blob (SpSqlStmt    *s,
                  int           i,
                  gconstpointer data,
                  gsize         size)
{
  sqlite3_bind_blob64 (STMT (s), i, data, size, SQLITE_TRANSIENT);
}

static SpSqlStep
sqlite_step (SpSqlStmt *s)
{
  int rc = sqlite3_step (STMT (s));

  if (rc == SQLITE_ROW)
    return SP_SQL_ROW;
  if (rc == SQLITE_DONE)
    {
      s->db->changes = sqlite3_changes (DB (s->db));
      return SP_SQL_DONE;
    }
  note_error (s->db, rc);
  return SP_SQL_ERROR;
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
  sqlite_close, sqlite_exec, sqlite_begin_write, sqlite_prepare, sqlite_finalize,
  sqlite_reset, sqlite_bind_text, sqlite_bind_int64, sqlite_bind_blob, sqlite_step,
  sqlite_column_text, sqlite_column_int64, sqlite_column_null,
};

SpSql *
sp_sql_sqlite_open (const char *path,
                    GError    **error)
{
  SqliteDb *db = g_new0 (SqliteDb, 1);
  g_autofree char *dir = g_path_get_dirname (path);

  db->parent.backend = &sqlite_backend;
  g_mkdir_with_parents (dir, 0700);
  if (sqlite3_open_v2 (path, &db->handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                       | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot open %s: %s", path,
                   db->handle ? sqlite3_errmsg (db->handle) : "out of memory");
      sqlite3_close (db->handle);
      g_free (db);
      return NULL;
    }
  sqlite3_busy_timeout (db->handle, 5000);
  /* 64 MiB of page cache: the registry and the indexes stay in memory. */
  if (!sqlite_exec (&db->parent, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                                 "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;", error))
    {
      sqlite_close (&db->parent);
      return NULL;
    }
  return &db->parent;
}
