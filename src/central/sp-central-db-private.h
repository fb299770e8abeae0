/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-central-db.h"
#include "sp-central-sql.h"

G_BEGIN_DECLS

/* Shared by the files of central's repository (sp-central-db*.c). */

struct _SpCentralDb
{
  SpSql *sql;
  /* The audit chain's last hash, known while this connection holds the
   * write lock (every writer takes it, so nobody else can append); NULL
   * when it must be read. Saves a round trip per audited write in a
   * group commit. */
  char *audit_tail;
};

/* Moves a driver error (SP_SQL_ERROR) into SP_CENTRAL_DB_ERROR; returns FALSE. */
gboolean   sp_central_db_take_error (GError **error, GError *sql_error);

/* A statement with its parameters bound from types, one letter each:
 * 't' const char * (NULL binds NULL), 'i' gint64, 'b' gconstpointer and
 * gsize. NULL and error when it does not prepare. */
SpSqlStmt *sp_central_db_query      (SpCentralDb *db, GError **error, const char *sql,
                                     const char *types, ...);
/* The same, stepped to its end: for statements whose rows do not matter. */
gboolean   sp_central_db_run        (SpCentralDb *db, GError **error, const char *sql,
                                     const char *types, ...);
/* The first row of a query: TRUE with *found, or FALSE and error. Leaves
 * the statement on that row for the caller to read, then reset. */
gboolean   sp_central_db_first_row  (SpCentralDb *db, SpSqlStmt *s, gboolean *found, GError **error);

/* A write transaction (see sp_sql_begin_write) and its end: commits when
 * ok, rolls back otherwise. Returns ok && committed. */
gboolean   sp_central_db_write_begin (SpCentralDb *db, GError **error);
/* The locking order of every writer (see sp_sql_begin_keyed): the
 * RULE for new code: a transaction that changes a citizen's issuances,
 * PIN attempts or requests begins with write_begin_for (db, cf); the
 * plain write_begin is only for what touches no citizen. The
 * codici fiscali it changes first, then the writers' lock, which every
 * change-feed row and audit row is written under. keyed takes the
 * first only; for_cf both at once. */
gboolean   sp_central_db_write_begin_keyed (SpCentralDb *db, const char *const *cfs, guint n, GError **error);
gboolean   sp_central_db_write_begin_for   (SpCentralDb *db, const char *cf, GError **error);
gboolean   sp_central_db_lock_writers      (SpCentralDb *db, GError **error);
gboolean   sp_central_db_write_end   (SpCentralDb *db, gboolean ok, GError **error);

char      *sp_central_db_column_dup (SpSqlStmt *s, int i);
/* Steps s (NULL: a query that did not prepare, error set) to its end,
 * appending row (s) of every row to into; resets s. */
typedef gpointer (*SpCentralRowFunc) (SpSqlStmt *s);
gboolean   sp_central_db_collect    (SpCentralDb *db, SpSqlStmt *s, SpCentralRowFunc row, GPtrArray *into,
                                     GError **error);
/* After a ROLLBACK TO SAVEPOINT: audit rows may have gone with it. */
void       sp_central_db_forget_audit_tail (SpCentralDb *db);

/* Also used by registration (replace = FALSE: a person the registry
 * lacks is added, one it has is left as the registry knows it). */
gboolean   sp_central_db_insert_citizen (SpCentralDb *db, const SpPerson *p, gboolean fictitious,
                                         const char *source, gboolean replace, GError **error);

/* sp-central-db-issuances.c, used by the revocation and PIN code. */
gboolean   sp_central_db_end_issuance (SpCentralDb *db, const char *id, SpCentralIssuanceStatus to,
                                       const char *reason, const char *actor, gint64 now, GError **error);
/* sp-central-db-pin.c: a PIN verification reserved (see
 * sp_central_db_pin_reserve), and in the same transaction read (db, cf,
 * data) fetches what the verification needs. */
typedef gboolean (*SpCentralPinReadFunc) (SpCentralDb *db, const char *cf, gpointer data, GError **error);
gboolean   sp_central_db_pin_reserve_with (SpCentralDb *db, const char *cf, gint64 now, SpCentralPinReadFunc read,
                                           gpointer data, gint64 *retry_at, GError **error);
/* sp-central-db-credentials.c, R12: the in-person check of act (a
 * counter issuance, a conversion) closes what the other channels left
 * open for cf: queued requests superseded, simplified credentials
 * regularized; how many of each. Under cf's lock; the audit rows,
 * under the writers' lock, with the second call. */
gboolean   sp_central_db_close_channels        (SpCentralDb *db, const char *cf, const char *actor, const char *act,
                                                gint64 now, gint64 *n_requests, gint64 *n_regularized,
                                                GError **error);
gboolean   sp_central_db_audit_closed_channels (SpCentralDb *db, const char *cf, const char *actor, const char *act,
                                                gint64 n_requests, gint64 n_regularized, gint64 now,
                                                GError **error);
/* Forgets the PIN failures of cf: a counter issuance or an in-person check. */
gboolean   sp_central_db_pin_clear    (SpCentralDb *db, const char *cf, GError **error);
/* Whether PIN verification is locked at now, from a pin_attempts row. */
gboolean   sp_central_pin_locked      (gint64 failures, gint64 locked_until, gint64 now);
/* Whether PIN verification of cf is locked at now. */
gboolean   sp_central_db_pin_locked   (SpCentralDb *db, const char *cf, gint64 now, gboolean *locked,
                                       GError **error);

G_END_DECLS
