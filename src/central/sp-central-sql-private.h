/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sp-central-sql.h"

G_BEGIN_DECLS

/* What each backend provides (sp-central-sql-sqlite.c, -pg.c). Errors are
 * GErrors in SP_SQL_ERROR; the common code (sp-central-sql.c) checks the
 * bind slots before a backend sees them. */
typedef struct {
  void        (*close)       (SpSql *db);
  gboolean    (*exec)        (SpSql *db, const char *sql, GError **error);
  gboolean    (*begin_write) (SpSql *db, GError **error);
  /* A write transaction holding the locks of keys (sorted, distinct
   * int32) but not yet the writers' lock; then that lock. */
  gboolean    (*begin_keyed) (SpSql *db, const gint32 *keys, guint n, GError **error);
  gboolean    (*lock_writers)(SpSql *db, GError **error);
  /* Prepares sql and sets the statement's n_params. */
  SpSqlStmt  *(*prepare)     (SpSql *db, const char *sql, GError **error);
  void        (*finalize)    (SpSqlStmt *s);
  void        (*reset)       (SpSqlStmt *s);
  void        (*bind_text)   (SpSqlStmt *s, int i, const char *text);
  void        (*bind_int64)  (SpSqlStmt *s, int i, gint64 value);
  void        (*bind_null)   (SpSqlStmt *s, int i);
  void        (*bind_blob)   (SpSqlStmt *s, int i, gconstpointer data, gsize size);
  SpSqlStep   (*step)        (SpSqlStmt *s, GError **error);
  const char *(*column_text) (SpSqlStmt *s, int i);
  gint64      (*column_int64)(SpSqlStmt *s, int i);
  gboolean    (*column_null) (SpSqlStmt *s, int i);
} SpSqlBackend;

struct _SpSql
{
  const SpSqlBackend *backend;
  GHashTable *statements;     /* SQL text → SpSqlStmt */
  gint64 changes;
  gboolean postgres;
  gboolean in_transaction;
  gboolean writers_locked;    /* this transaction holds the writers' lock */
};

struct _SpSqlStmt
{
  SpSql *db;
  int n_params;              /* the highest $N */
  guint8 *bound;             /* n_params flags: slot i-1 bound since the reset */
  int bad_slot;              /* a slot bound out of range, or 0 */
};

SpSql *sp_sql_sqlite_open   (const char *path, GError **error);
SpSql *sp_sql_postgres_open (const char *conninfo, GError **error);

G_END_DECLS
