/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "sp-central-rows.h"
#include "sp-issuance.h"

G_BEGIN_DECLS

/* Central's typed repository. The only code that speaks SQL (through the
 * driver of sp-central-sql.h, on SQLite or PostgreSQL). Every function
 * returns TRUE or a row, or FALSE/NULL with a GError: a database failure
 * on a read is an error (SP_CENTRAL_DB_ERROR_FAILED/_UNAVAILABLE), never
 * "not found". Every function that changes data does it in one
 * transaction with its change-feed rows and its audit row; if any of them
 * fails, nothing is written.
 *
 * An SpCentralDb is one connection: use it from one thread at a time, and
 * open one per worker thread; several work concurrently on one SQLite
 * file or one PostgreSQL. Nothing here is process-global.
 *
 * Times are milliseconds since the Unix epoch (UTC). */

#define SP_CENTRAL_DB_ERROR (sp_central_db_error_quark ())
typedef enum {
  SP_CENTRAL_DB_ERROR_FAILED,      /* 500 */
  SP_CENTRAL_DB_ERROR_BUSY,        /* another writer holds the lock: retry (409 in-flight) */
  SP_CENTRAL_DB_ERROR_NOT_FOUND,   /* 404 (also: another sede's record) */
  SP_CENTRAL_DB_ERROR_EXISTS,      /* Idempotency-Key reused with another body (422) */
  SP_CENTRAL_DB_ERROR_UNSUPPORTED,
  SP_CENTRAL_DB_ERROR_CONFLICT,    /* the record's state forbids it (409) */
  SP_CENTRAL_DB_ERROR_FOUR_EYES,   /* the same person on both sides (403) */
  SP_CENTRAL_DB_ERROR_MISMATCH,    /* not what the issuance declared, or against policy (422) */
  SP_CENTRAL_DB_ERROR_LOCKED,      /* PIN verification locked (423) */
  SP_CENTRAL_DB_ERROR_GONE,        /* change-feed cursor expired (410) */
  SP_CENTRAL_DB_ERROR_UNAVAILABLE, /* the database is unreachable: retry later (503) */
  SP_CENTRAL_DB_ERROR_VOIDED,      /* the id was voided before it was registered (410) */
} SpCentralDbError;
GQuark sp_central_db_error_quark (void);

typedef struct _SpCentralDb SpCentralDb;

/* location: a file path (SQLite, created if needed) or postgresql://….
 * Applies the schema's migrations (idempotent; on PostgreSQL under the
 * write lock, so several instances may start together). */
SpCentralDb *sp_central_db_open  (const char *location,
                                  GError    **error);
void         sp_central_db_close (SpCentralDb *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCentralDb, sp_central_db_close)
/* A cheap round trip, for /v1/status. */
gboolean     sp_central_db_ping  (SpCentralDb *db,
                                  GError     **error);

/* ---- operators and sessions ---- */
gboolean           sp_central_db_add_operator     (SpCentralDb *db, const char *username, const char *name,
                                                   const char *role, const char *sede, const char *verifier,
                                                   GError **error);
GPtrArray         *sp_central_db_list_operators   (SpCentralDb *db, GError **error);
gboolean           sp_central_db_disable_operator (SpCentralDb *db, const char *username, GError **error);
/* NULL and NOT_FOUND when there is no such operator. */
SpCentralOperator *sp_central_db_find_operator    (SpCentralDb *db, const char *username, GError **error);
gboolean           sp_central_db_add_session      (SpCentralDb *db, const char *token_hash, gint64 operator_id,
                                                   const char *workstation, gint64 expires_at, GError **error);
/* The operator of a live session; NULL and NOT_FOUND when the token is
 * unknown, expired or its operator disabled. */
SpCentralOperator *sp_central_db_session_operator (SpCentralDb *db, const char *token_hash, gint64 now,
                                                   GError **error);
gboolean           sp_central_db_delete_session   (SpCentralDb *db, const char *token_hash, GError **error);

/* ---- registry ---- */
gboolean  sp_central_db_put_citizen (SpCentralDb *db, const SpPerson *person, gboolean fictitious,
                                     const char *source, GError **error);
/* NULL and NOT_FOUND when the registry has no such codice fiscale. */
SpCentralCitizen *sp_central_db_get_citizen (SpCentralDb *db, const char *cf, gint64 now, GError **error);
/* Citizens whose surname (and name, when not NULL) starts with the given
 * prefixes, accents and case folded, born on birth_date (YYYY-MM-DD)
 * when not NULL; at most limit, by surname, name, cf. */
GPtrArray *sp_central_db_search_citizens (SpCentralDb *db, const char *surname_prefix, const char *name_prefix,
                                          const char *birth_date, guint limit, gint64 now, GError **error);
/* Batch writes (seeding): explicit transaction around several put_citizen. */
gboolean  sp_central_db_begin  (SpCentralDb *db, GError **error);
gboolean  sp_central_db_commit (SpCentralDb *db, gboolean ok, GError **error);

/* ---- issuances ---- */

/* Group commit: several registrations in one transaction (one fsync),
 * each in its own savepoint so one failure leaves the others alone.
 * key is the Idempotency-Key; it is scoped to the issuance's sede and
 * operator (issuance->sede, ->operator_id, set by the caller from the
 * authenticated operator) and compared in canonical lower case. Returns
 * FALSE only when the transaction itself failed (then every registration
 * failed with that error). Per registration: a key seen before returns
 * the stored answer (replayed = TRUE), with another fingerprint
 * SP_CENTRAL_DB_ERROR_EXISTS; an id another operator registered
 * SP_CENTRAL_DB_ERROR_CONFLICT; a verifier against central's policy
 * SP_CENTRAL_DB_ERROR_MISMATCH. */
typedef struct {
  const char *key;
  const char *fingerprint;
  const SpIssuance *issuance;
  gint64 issued_at;
  /* out */
  guint status;
  char *response;
  gboolean replayed;
  GError *error;
} SpCentralRegistration;

gboolean  sp_central_db_register_batch    (SpCentralDb *db, SpCentralRegistration *regs, guint n,
                                           gint64 now, GError **error);
gboolean  sp_central_db_register_issuance (SpCentralDb *db, const char *key, const char *fingerprint,
                                           const SpIssuance *issuance, gint64 now, gint64 issued_at,
                                           guint *status, char **response, gboolean *replayed,
                                           GError **error);
/* The issuance as stored, if it belongs to sede (NULL: any sede, for the
 * command line). Another sede's id fails exactly like an unknown one. */
SpCentralIssuanceRow *sp_central_db_get_issuance  (SpCentralDb *db, const char *sede, const char *id,
                                                   GError **error);
/* Voids an active issuance (print failed or cancelled). Voiding a voided
 * one again answers like the first time (the workstation may retry);
 * any other status is SP_CENTRAL_DB_ERROR_CONFLICT. An id central has
 * never registered (the workstation gave up waiting for its answer) is
 * still SP_CENTRAL_DB_ERROR_NOT_FOUND, but leaves a tombstone: that
 * registration, arriving late, is refused with SP_CENTRAL_DB_ERROR_VOIDED,
 * so the PIN on a voided envelope never becomes active. */
SpCentralIssuanceRow *sp_central_db_void_issuance (SpCentralDb *db, const char *sede, const char *id,
                                                   const char *reason, const char *actor, gint64 now,
                                                   GError **error);
/* Stores one scan. It must be a kind the issuance declared, with the
 * declared sha256 and size (else SP_CENTRAL_DB_ERROR_MISMATCH). A stored
 * scan is never replaced: the same bytes again are an idempotent replay
 * (*replayed = TRUE), other bytes SP_CENTRAL_DB_ERROR_CONFLICT. */
SpCentralIssuanceRow *sp_central_db_put_attachment (SpCentralDb *db, const char *sede, const char *id,
                                                    const char *kind, const char *sha256, GBytes *data,
                                                    const char *actor, gint64 now, gboolean *replayed,
                                                    GError **error);

/* ---- four eyes: revocation in two steps ---- */

/* An operator asks for the revocation of cf's active PIN (NOT_FOUND when
 * there is none). The request belongs to the operator's sede. */
SpCentralRevocationRequest *sp_central_db_request_revocation (SpCentralDb *db, const SpCentralOperator *op,
                                                              const char *cf, const char *reason,
                                                              gint64 now, GError **error);
/* The requests of a sede, oldest first; status < 0: all. */
GPtrArray *sp_central_db_list_revocation_requests (SpCentralDb *db, const char *sede, int status,
                                                   GError **error);
/* A supervisor of the request's sede decides. Another sede's request is
 * NOT_FOUND; the requester himself FOUR_EYES; a decided one CONFLICT.
 * Approval revokes the active PIN in the same transaction and records
 * the revocation (it also wins over an older issuance still to arrive). */
SpCentralRevocationRequest *sp_central_db_decide_revocation (SpCentralDb *db, const SpCentralOperator *supervisor,
                                                             const char *id, gboolean approve,
                                                             const char *reason, gint64 now,
                                                             GError **error);

/* ---- PIN verification (the lockout rules of sp-central-db-pin.c) ---- */

/* Reserves one verification of cf before the Argon2id work, atomically:
 * at most 5 may run (or be running) after the last success or lockout.
 * *verifier is the active PIN's verifier, or NULL (unknown code, no PIN:
 * verify against a dummy so the answer takes as long). Locked:
 * SP_CENTRAL_DB_ERROR_LOCKED with *retry_at the end of the back-off, or
 * 0 when only the counter's in-person check unlocks. */
gboolean  sp_central_db_pin_reserve       (SpCentralDb *db, const char *cf, gint64 now, char **verifier,
                                           gint64 *retry_at, GError **error);
/* Settles a reservation with the verdict. */
gboolean  sp_central_db_pin_settle        (SpCentralDb *db, const char *cf, gboolean success, gint64 now,
                                           GError **error);
/* An operator unlocks after the in-person check (audited). */
gboolean  sp_central_db_pin_unlock        (SpCentralDb *db, const char *cf, const char *actor, gint64 now,
                                           GError **error);

/* ---- change feed, register, retention ---- */

/* Change feed of a sede: rows after cursor, at most limit; GONE when the
 * cursor is older than what retention kept. */
SpCentralChangesPage *sp_central_db_changes  (SpCentralDb *db, const char *sede, gint64 cursor,
                                              guint limit, GError **error);
/* The issuances of a day (UTC) for a sede, of SpCentralRegisterRow. */
GPtrArray *sp_central_db_register_day        (SpCentralDb *db, const char *sede, const GDate *day,
                                              GError **error);
/* Retention: issuances whose PIN ended (superseded, voided, revoked)
 * before cutoff, with their scans. dry_run counts only. -1 on error. */
gint64    sp_central_db_purge                (SpCentralDb *db, gint64 cutoff, gboolean dry_run, GError **error);

/* Appends a row to the hash-chained audit log. Only inside a write
 * transaction (the one of the change it records): its failure is the
 * write's failure. */
gboolean  sp_central_db_audit             (SpCentralDb *db, const char *actor, const char *action,
                                           const char *subject, const char *detail, gint64 now,
                                           GError **error);

G_END_DECLS
