/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The backend-independent half of central's SQL driver: the statement
 * cache, transaction bookkeeping and the checks on bind slots. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sp-central-sql-private.h"

G_DEFINE_QUARK (sp-sql-error-quark, sp_sql_error)

static void
finalize_stmt (gpointer data)
{
  SpSqlStmt *s = data;

  g_free (s->bound);
  s->db->backend->finalize (s);
}

SpSql *
sp_sql_open (const char *location,
             GError    **error)
{
  SpSql *db;

  g_return_val_if_fail (location != NULL, NULL);

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
    db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);
  return db;
}

void
sp_sql_close (SpSql *db)
{
  if (db == NULL)
    return;
  g_clear_pointer (&db->statements, g_hash_table_unref);
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
  g_return_val_if_fail (!db->in_transaction, FALSE);

  if (!db->backend->begin_write (db, error))
    return FALSE;
  db->in_transaction = TRUE;
  db->writers_locked = TRUE;
  return TRUE;
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  gint32 x = *(const gint32 *) a, y = *(const gint32 *) b;

  return (x > y) - (x < y);
}

/* FNV-1a: a stable 32-bit key of a string, the same in every instance. */
static gint32
key_of (const char *text)
{
  guint32 h = 2166136261u;

  for (const guchar *p = (const guchar *) text; *p; p++)
    h = (h ^ *p) * 16777619u;
  return (gint32) h;
}

gboolean
sp_sql_begin_keyed (SpSql             *db,
                    const char *const *keys,
                    guint              n,
                    GError           **error)
{
  g_autofree gint32 *sorted = g_new (gint32, MAX (n, 1));
  guint distinct = 0;

  g_return_val_if_fail (!db->in_transaction, FALSE);

  /* One order for every transaction: ascending keys. */
  for (guint i = 0; i < n; i++)
    sorted[i] = key_of (keys[i]);
  qsort (sorted, n, sizeof *sorted, compare_keys);
  for (guint i = 0; i < n; i++)
    if (distinct == 0 || sorted[distinct - 1] != sorted[i])
      sorted[distinct++] = sorted[i];
  if (!db->backend->begin_keyed (db, sorted, distinct, error))
    {
      db->in_transaction = FALSE;
      db->writers_locked = FALSE;
      return FALSE;
    }
  db->in_transaction = TRUE;
  return TRUE;
}

gboolean
sp_sql_lock_writers (SpSql   *db,
                     GError **error)
{
  g_return_val_if_fail (db->in_transaction, FALSE);

  if (db->writers_locked)
    return TRUE;
  if (!db->backend->lock_writers (db, error))
    return FALSE;
  db->writers_locked = TRUE;
  return TRUE;
}

gboolean
sp_sql_writers_locked (SpSql *db)
{
  return db->in_transaction && db->writers_locked;
}

gboolean
sp_sql_commit (SpSql   *db,
               GError **error)
{
  gboolean ok = db->backend->exec (db, "COMMIT", error);

  /* A COMMIT that fails has ended the transaction too (rolled back). */
  if (!ok && db->in_transaction)
    db->backend->exec (db, "ROLLBACK", NULL);
  db->in_transaction = FALSE;
  db->writers_locked = FALSE;
  return ok;
}

void
sp_sql_rollback (SpSql *db)
{
  if (db->in_transaction)
    db->backend->exec (db, "ROLLBACK", NULL);
  db->in_transaction = FALSE;
  db->writers_locked = FALSE;
}

gboolean
sp_sql_in_transaction (SpSql *db)
{
  return db->in_transaction;
}

static void
clear_bindings (SpSqlStmt *s)
{
  if (s->n_params > 0)
    memset (s->bound, 0, s->n_params);
  s->bad_slot = 0;
}

SpSqlStmt *
sp_sql_stmt (SpSql      *db,
             const char *sql,
             GError    **error)
{
  SpSqlStmt *s = g_hash_table_lookup (db->statements, sql);

  if (s == NULL)
    {
      s = db->backend->prepare (db, sql, error);
      if (s == NULL)
        return NULL;
      s->db = db;
      s->bound = g_new0 (guint8, MAX (s->n_params, 1));
      g_hash_table_insert (db->statements, g_strdup (sql), s);
    }
  db->backend->reset (s);
  clear_bindings (s);
  return s;
}

/* TRUE when slot i exists; otherwise remembered for the next step. */
static gboolean
slot (SpSqlStmt *s,
      int        i)
{
  if (i < 1 || i > s->n_params)
    {
      if (s->bad_slot == 0)
        s->bad_slot = i;
      return FALSE;
    }
  s->bound[i - 1] = 1;
  return TRUE;
}

void
sp_sql_bind_text (SpSqlStmt  *s,
                  int         i,
                  const char *text)
{
  if (slot (s, i))
    {
      if (text != NULL)
        s->db->backend->bind_text (s, i, text);
      else
        s->db->backend->bind_null (s, i);
    }
}

void
sp_sql_bind_int64 (SpSqlStmt *s,
                   int        i,
                   gint64     value)
{
  if (slot (s, i))
    s->db->backend->bind_int64 (s, i, value);
}

void
sp_sql_bind_null (SpSqlStmt *s,
                  int        i)
{
  if (slot (s, i))
    s->db->backend->bind_null (s, i);
}

void
sp_sql_bind_blob (SpSqlStmt    *s,
                  int           i,
                  gconstpointer data,
                  gsize         size)
{
  if (slot (s, i))
    s->db->backend->bind_blob (s, i, data, size);
}

static gboolean
check_bindings (SpSqlStmt *s,
                GError   **error)
{
  if (s->bad_slot != 0)
    {
      g_set_error (error, SP_SQL_ERROR, SP_SQL_ERROR_MISUSE,
                   "bind slot %d of a statement with %d parameters", s->bad_slot, s->n_params);
      return FALSE;
    }
  for (int i = 0; i < s->n_params; i++)
    if (!s->bound[i])
      {
        g_set_error (error, SP_SQL_ERROR, SP_SQL_ERROR_MISUSE, "parameter $%d left unbound", i + 1);
        return FALSE;
      }
  return TRUE;
}

SpSqlStep
sp_sql_step (SpSqlStmt *s,
             GError   **error)
{
  if (!check_bindings (s, error))
    return SP_SQL_STEP_ERROR;
  return s->db->backend->step (s, error);
}

gboolean
sp_sql_run (SpSqlStmt *s,
            GError   **error)
{
  SpSqlStep rc;

  while ((rc = sp_sql_step (s, error)) == SP_SQL_STEP_ROW)
    ;
  sp_sql_reset (s);
  return rc == SP_SQL_STEP_DONE;
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
  clear_bindings (s);
}

gint64
sp_sql_changes (SpSql *db)
{
  return db->changes;
}
