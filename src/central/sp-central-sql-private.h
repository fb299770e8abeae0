/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sp-central-sql.h"

G_BEGIN_DECLS

/* What each backend provides (sp-central-sql-sqlite.c, -pg.c). */
typedef struct {
  void        (*close)       (SpSql *db);
  gboolean    (*exec)        (SpSql *db, const char *sql, GError **error);
  gboolean    (*begin_write) (SpSql *db, GError **error);
  SpSqlStmt  *(*prepare)     (SpSql *db, const char *sql);
  void        (*finalize)    (SpSqlStmt *s);
  void        (*reset)       (SpSqlStmt *s);
  void        (*bind_text)   (SpSqlStmt *s, int i, const char *text);
  void        (*bind_int64)  (SpSqlStmt *s, int i, gint64 value);
  void        (*bind_blob)   (SpSqlStmt *s, int i, gconstpointer data, gsize size);
  SpSqlStep   (*step)        (SpSqlStmt *s);
  const char *(*column_text) (SpSqlStmt *s, int i);
  gint64      (*column_int64)(SpSqlStmt *s, int i);
  gboolean    (*column_null) (SpSqlStmt *s, int i);
} SpSqlBackend;

struct _SpSql
{
  const SpSqlBackend *backend;
  GHashTable *statements;     /* SQL text → SpSqlStmt */
  gint64 changes;
  SpSqlErrorKind error_kind;
  char *errmsg;
  gboolean postgres;
};

struct _SpSqlStmt
{
  SpSql *db;
};

SpSql *sp_sql_sqlite_open   (const char *path, GError **error);
SpSql *sp_sql_postgres_open (const char *conninfo, GError **error);
void   sp_sql_set_error     (SpSql *db, SpSqlErrorKind kind, const char *message);

G_END_DECLS
