/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include "sp-central-sql-private.h"

static void
finalize_stmt (gpointer data)
{
  SpSqlStmt *s = data;

  s->db->backend->finalize (s);
}

static void
init_common (SpSql *db)
{
  db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);
}

SpSql *
sp_sql_open (const char *location,
             GError    **error)
{
  SpSql *db;

  if (g_str_has_prefix (location, "postgresql://") || g_str_has_prefix (location, "postgres://"))
    {
#if HAVE_POSTGRESQL
      db = sp_sql_postgres_open (location, error);
#else
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "this sportello-central was built without PostgreSQL (meson -Dpostgresql=enabled)");
      return NULL;
#endif
    }
  else
    db = sp_sql_sqlite_open (location, error);
  if (db != NULL)
    init_common (db);
  return db;
}

void
sp_sql_close (SpSql *db)
{
  if (db == NULL)
    return;
  g_clear_pointer (&db->statements, g_hash_table_unref);
  g_free (db->errmsg);
  db->backend->close (db);
}

gboolean
sp_sql_is_postgres (SpSql *db)
{
  return db->postgres;
}

gboolean
sp_sql_exec (SpSql      *db,
             const char *sql,
             GError    **error)
{
  return db->backend->exec (db, sql, error);
}

gboolean
sp_sql_begin_write (SpSql   *db,
                    GError **error)
{
  return db->backend->begin_write (db, error);
}

SpSqlStmt *
sp_sql_stmt (SpSql      *db,
             const char *sql)
{
  SpSqlStmt *s = g_hash_table_lookup (db->statements, sql);

  if (s == NULL)
    {
      s = db->backend->prepare (db, sql);
      if (s == NULL)
        g_error ("bad SQL %s: %s", sql, db->errmsg);
      s->db = db;
      g_hash_table_insert (db->statements, g_strdup (sql), s);
    }
  db->backend->reset (s);
  return s;
}

void
sp_sql_bind_text (SpSqlStmt  *s,
                  int         i,
                  const char *text)
{
  s->db->backend->bind_text (s, i, text);
}

void
sp_sql_bind_int64 (SpSqlStmt *s,
                   int        i,
                   gint64     value)
{
  s->db->backend->bind_int64 (s, i, value);
}

void
sp_sql_bind_blob (SpSqlStmt    *s,
                  int           i,
                  gconstpointer data,
                  gsize         size)
{
  s->db->backend->bind_blob (s, i, data, size);
}

SpSqlStep
sp_sql_step (SpSqlStmt *s)
{
  return s->db->backend->step (s);
}

const char *
sp_sql_column_text (SpSqlStmt *s,
                    int        i)
{
  return s->db->backend->column_text (s, i);
}

gint64
sp_sql_column_int64 (SpSqlStmt *s,
                     int        i)
{
  return s->db->backend->column_int64 (s, i);
}

gboolean
sp_sql_column_is_null (SpSqlStmt *s,
                       int        i)
{
  return s->db->backend->column_null (s, i);
}

void
sp_sql_reset (SpSqlStmt *s)
{
  s->db->backend->reset (s);
}

gint64
sp_sql_changes (SpSql *db)
{
  return db->changes;
}

const char *
sp_sql_errmsg (SpSql *db)
{
  return db->errmsg ? db->errmsg : "";
}

SpSqlErrorKind
sp_sql_error_kind (SpSql *db)
{
  return db->error_kind;
}

void
sp_sql_set_error (SpSql         *db,
                  SpSqlErrorKind kind,
                  const char    *message)
{
  g_free (db->errmsg);
  db->errmsg = g_strdup (message);
  db->error_kind = kind;
}
