/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "sp-issuance.h"

G_BEGIN_DECLS

/* Central's storage. This is the only file that speaks SQL: a second
 * backend (PostgreSQL) implements the same functions. Every function that
 * changes data does it in one transaction, with its change-feed rows and
 * audit row. Times are milliseconds since the Unix epoch (UTC). */

#define SP_CENTRAL_DB_ERROR (sp_central_db_error_quark ())
typedef enum {
  SP_CENTRAL_DB_ERROR_FAILED,
  SP_CENTRAL_DB_ERROR_BUSY,        /* another writer holds the lock: retry */
  SP_CENTRAL_DB_ERROR_NOT_FOUND,
  SP_CENTRAL_DB_ERROR_EXISTS,
  SP_CENTRAL_DB_ERROR_UNSUPPORTED,
} SpCentralDbError;
GQuark sp_central_db_error_quark (void);

typedef struct _SpCentralDb SpCentralDb;

typedef struct {
  gint64 id;
  char *username;
  char *name;
  char *role;          /* operator, supervisor, admin */
  char *sede;
  char *verifier;      /* Argon2id of the password */
  gboolean disabled;
} SpCentralOperator;

void sp_central_operator_free (SpCentralOperator *op);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCentralOperator, sp_central_operator_free)

/* location: a file path (SQLite, created and migrated if needed). */
SpCentralDb *sp_central_db_open  (const char *location,
                                  GError    **error);
void         sp_central_db_close (SpCentralDb *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCentralDb, sp_central_db_close)

/* Operators and sessions */
gboolean           sp_central_db_add_operator     (SpCentralDb *db, const char *username, const char *name,
                                                   const char *role, const char *sede, const char *verifier,
                                                   GError **error);
GPtrArray         *sp_central_db_list_operators   (SpCentralDb *db, GError **error);
gboolean           sp_central_db_disable_operator (SpCentralDb *db, const char *username, GError **error);
SpCentralOperator *sp_central_db_find_operator    (SpCentralDb *db, const char *username);
gboolean           sp_central_db_add_session      (SpCentralDb *db, const char *token_hash, gint64 operator_id,
                                                   const char *workstation, gint64 expires_at, GError **error);
/* The operator of a live session, or NULL (unknown, expired, disabled). */
SpCentralOperator *sp_central_db_session_operator (SpCentralDb *db, const char *token_hash, gint64 now);
void               sp_central_db_delete_session   (SpCentralDb *db, const char *token_hash);

/* Registry */
gboolean  sp_central_db_put_citizen (SpCentralDb *db, const SpPerson *person, gboolean fictitious,
                                     const char *source, GError **error);
/* { cf, surname, …, residence, fictitious, source, credentials: {…} } or NULL. */
JsonNode *sp_central_db_get_citizen (SpCentralDb *db, const char *cf, gint64 now);

/* Issuances. Registers body (the raw request) under key in one
 * transaction with its effect; a key seen before returns the stored answer
 * (*replayed = TRUE) or, with another fingerprint, SP_CENTRAL_DB_ERROR_EXISTS. */
gboolean  sp_central_db_register_issuance (SpCentralDb *db, const char *key, const char *fingerprint,
                                           const SpIssuance *issuance, gint64 now, gint64 issued_at,
                                           guint *status, char **response, gboolean *replayed,
                                           GError **error);
/* Group commit: several registrations in one transaction (one fsync),
 * each in its own savepoint so one failure leaves the others alone.
 * Returns FALSE only when the transaction itself failed (then every
 * registration failed with that error). */
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
/* The issuance as stored: { id, cf, sede, status, issued_at, attachments: [...] } */
JsonNode *sp_central_db_get_issuance      (SpCentralDb *db, const char *id);
char     *sp_central_db_issuance_sede     (SpCentralDb *db, const char *id);
gboolean  sp_central_db_void_issuance     (SpCentralDb *db, const char *id, const char *reason,
                                           const char *actor, gint64 now, JsonNode **result, GError **error);
gboolean  sp_central_db_revoke            (SpCentralDb *db, const char *cf, const char *reason,
                                           const char *requested_by, const char *approved_by,
                                           gint64 now, JsonNode **result, GError **error);
gboolean  sp_central_db_put_attachment    (SpCentralDb *db, const char *id, const char *kind,
                                           const char *sha256, GBytes *data, gint64 now, GError **error);

/* PIN verification: the active verifier of cf (NULL if none) and the
 * consecutive failures; record_* update the counter. */
char     *sp_central_db_pin_verifier      (SpCentralDb *db, const char *cf, guint *failures);
void      sp_central_db_record_pin_result (SpCentralDb *db, const char *cf, gboolean success);

/* Change feed of a sede: rows after cursor, at most limit. */
JsonNode *sp_central_db_changes           (SpCentralDb *db, const char *sede, gint64 cursor,
                                           guint limit, gboolean *expired);
/* The issuances of a day (YYYY-MM-DD, UTC) for a sede. */
JsonNode *sp_central_db_register_day      (SpCentralDb *db, const char *sede, const char *date);

/* Retention: issuances whose PIN ended (superseded, voided, revoked)
 * before cutoff, with their scans. dry_run counts only. */
gint64    sp_central_db_purge             (SpCentralDb *db, gint64 cutoff, gboolean dry_run, GError **error);
void      sp_central_db_audit             (SpCentralDb *db, const char *actor, const char *action,
                                           const char *subject, const char *detail, gint64 now);

G_END_DECLS

G_BEGIN_DECLS
/* Batch writes (seeding): explicit transaction around several put_citizen. */
gboolean  sp_central_db_begin  (SpCentralDb *db, GError **error);
gboolean  sp_central_db_commit (SpCentralDb *db, gboolean ok, GError **error);
G_END_DECLS
