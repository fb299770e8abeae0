/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The small SQL driver central's storage is written against, so one body
 * of queries runs on embedded SQLite and on PostgreSQL. Statements are
 * written once with PostgreSQL's "$1".."$N" placeholders: libpq takes them
 * as they are, and SQLite parses them itself as named parameters "$1"…,
 * which are bound through sqlite3_bind_parameter_index, so no SQL text
 * is ever rewritten. Statements are prepared once per connection and
 * cached by their text.
 *
 * A connection (SpSql) holds no state shared with another one: several
 * connections, one per thread, work concurrently on one SQLite file (WAL,
 * busy timeout, BEGIN IMMEDIATE for writes) or on one PostgreSQL. One
 * connection is used from one thread at a time. */

#define SP_SQL_ERROR (sp_sql_error_quark ())
typedef enum {
  SP_SQL_ERROR_FAILED,
  SP_SQL_ERROR_BUSY,          /* another writer holds the lock: retry */
  SP_SQL_ERROR_CONSTRAINT,    /* a unique or check constraint refused the row */
  SP_SQL_ERROR_UNAVAILABLE,   /* the server connection was lost: retry later */
  SP_SQL_ERROR_MISUSE,        /* a bad statement or binding: a bug in central */
} SpSqlError;
GQuark sp_sql_error_quark (void);

typedef struct _SpSql SpSql;
typedef struct _SpSqlStmt SpSqlStmt;

typedef enum {
  SP_SQL_STEP_ROW,
  SP_SQL_STEP_DONE,
  SP_SQL_STEP_ERROR,
} SpSqlStep;

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
/* A write transaction that first takes only the locks of keys (for
 * central: the codici fiscali it will change), so that writers of other
 * keys run side by side; sp_sql_lock_writers then takes the writers'
 * lock (the one sp_sql_begin_write takes at once) for what must be in
 * one order for all: change-feed rows and the audit chain. Every writer
 * takes key locks before the writers' lock, never after: no deadlock.
 * On SQLite, BEGIN IMMEDIATE: one writer at a time, both locks at once. */
gboolean     sp_sql_begin_keyed     (SpSql             *db,
                                     const char *const *keys,
                                     guint              n,
                                     GError           **error);
gboolean     sp_sql_lock_writers    (SpSql      *db,
                                     GError    **error);
gboolean     sp_sql_writers_locked  (SpSql      *db);
gboolean     sp_sql_commit          (SpSql      *db,
                                     GError    **error);
/* Never fails in a way the caller could act on: a lost connection has
 * rolled the transaction back already. */
void         sp_sql_rollback        (SpSql      *db);
gboolean     sp_sql_in_transaction  (SpSql      *db);

/* A prepared statement for sql, reset and with its bindings cleared, or
 * NULL and error (the SQL does not prepare, the server is gone). */
SpSqlStmt   *sp_sql_stmt            (SpSql      *db,
                                     const char *sql,
                                     GError    **error);
/* Slots are 1..N, N the highest "$N" of the statement. A slot out of that
 * range, or one left unbound, makes the next step fail with
 * SP_SQL_ERROR_MISUSE instead of running a wrong query. */
void         sp_sql_bind_text       (SpSqlStmt  *s, int i, const char *text);
void         sp_sql_bind_int64      (SpSqlStmt  *s, int i, gint64 value);
void         sp_sql_bind_null       (SpSqlStmt  *s, int i);
void         sp_sql_bind_blob       (SpSqlStmt  *s, int i, gconstpointer data, gsize size);
SpSqlStep    sp_sql_step            (SpSqlStmt  *s,
                                     GError    **error);
/* Steps a statement that returns no row (or whose rows do not matter) to
 * its end and resets it. */
gboolean     sp_sql_run             (SpSqlStmt  *s,
                                     GError    **error);
const char  *sp_sql_column_text     (SpSqlStmt  *s, int i);
gint64       sp_sql_column_int64    (SpSqlStmt  *s, int i);
gboolean     sp_sql_column_is_null  (SpSqlStmt  *s, int i);
void         sp_sql_reset           (SpSqlStmt  *s);
/* Rows changed by the last statement stepped to its end. */
gint64       sp_sql_changes         (SpSql      *db);

G_END_DECLS
