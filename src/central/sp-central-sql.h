/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The small SQL driver central's storage is written against, so one body
 * of queries runs on embedded SQLite and on PostgreSQL. Statements use
 * "?" or "?N" placeholders (turned into $N for PostgreSQL), are prepared
 * once per connection and cached by their text. One connection is used
 * from one thread at a time. */

typedef struct _SpSql SpSql;
typedef struct _SpSqlStmt SpSqlStmt;

typedef enum {
  SP_SQL_ROW,
  SP_SQL_DONE,
  SP_SQL_ERROR,
} SpSqlStep;

typedef enum {
  SP_SQL_FAILED,
  SP_SQL_BUSY,          /* another writer holds the lock */
  SP_SQL_CONSTRAINT,    /* a unique or check constraint refused the row */
} SpSqlErrorKind;

/* "postgresql://…" or "postgres://…" opens PostgreSQL, anything else is
 * an SQLite file (created if needed). */
SpSql       *sp_sql_open            (const char *location,
                                     GError    **error);
void         sp_sql_close           (SpSql      *db);
gboolean     sp_sql_is_postgres     (SpSql      *db);
/* One or more statements without parameters. */
gboolean     sp_sql_exec            (SpSql      *db,
                                     const char *sql,
                                     GError    **error);
/* Starts a transaction that will write, holding the write lock from the
 * start: BEGIN IMMEDIATE on SQLite; on PostgreSQL BEGIN plus a
 * transaction-scoped advisory lock, which serialises writers across
 * several central instances (gap-free, commit-ordered change sequence). */
gboolean     sp_sql_begin_write     (SpSql      *db,
                                     GError    **error);
SpSqlStmt   *sp_sql_stmt            (SpSql      *db,
                                     const char *sql);
void         sp_sql_bind_text       (SpSqlStmt  *s, int i, const char *text);
void         sp_sql_bind_int64      (SpSqlStmt  *s, int i, gint64 value);
void         sp_sql_bind_blob       (SpSqlStmt  *s, int i, gconstpointer data, gsize size);
SpSqlStep    sp_sql_step            (SpSqlStmt  *s);
const char  *sp_sql_column_text     (SpSqlStmt  *s, int i);
gint64       sp_sql_column_int64    (SpSqlStmt  *s, int i);
gboolean     sp_sql_column_is_null  (SpSqlStmt  *s, int i);
void         sp_sql_reset           (SpSqlStmt  *s);
/* Rows changed by the last statement stepped to its end. */
gint64       sp_sql_changes         (SpSql      *db);
const char  *sp_sql_errmsg          (SpSql      *db);
SpSqlErrorKind sp_sql_error_kind    (SpSql      *db);

G_END_DECLS
