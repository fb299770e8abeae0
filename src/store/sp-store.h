/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "sp-issuance.h"
#include "sp-status.h"

G_BEGIN_DECLS

/* The workstation's store: one SQLite database (WAL, synchronous=FULL,
 * one writer connection, BEGIN IMMEDIATE for writes) holding the citizen
 * cache, the issuances with their sealed scans, the outbox the sync
 * engine drains, and the hash-chained audit log. Nothing in it is ever a
 * clear PIN: issuances carry only the Argon2id verifier. */

#define SP_STORE_ERROR (sp_store_error_quark ())
typedef enum {
  SP_STORE_ERROR_FAILED,
  SP_STORE_ERROR_NOT_FOUND,
  SP_STORE_ERROR_EXISTS,
} SpStoreError;
GQuark sp_store_error_quark (void);

typedef struct _SpStore SpStore;

/* A scan to archive with an issuance: the attachment's PDF, in memory. */
typedef struct {
  SpAttachmentKind kind;
  GBytes *pdf;
} SpStoreScan;

/* Where the store lives by default: $XDG_DATA_HOME/sportello-pin. */
char      *sp_store_default_dir       (void);
/* Opens (creating and migrating) dir/store.db; scans are sealed with the
 * key in dir/keys/scans.key (0600 in a 0700 folder). */
SpStore   *sp_store_open              (const char *dir,
                                       GError    **error);
void       sp_store_close             (SpStore    *store);
/* TRUE when the scan key is in the Secret Service, not in a file. */
gboolean   sp_store_key_in_keyring    (SpStore    *store);
const char *sp_store_get_path         (SpStore    *store);

/* Citizen cache */
gboolean   sp_store_put_citizens      (SpStore    *store,
                                       GPtrArray  *persons,    /* of SpPerson */
                                       GError    **error);
SpPerson  *sp_store_find_citizen      (SpStore    *store,
                                       const char *cf);
/* Surname (and name) prefix, accents and case folded; at most limit. */
GPtrArray *sp_store_search_citizens   (SpStore    *store,
                                       const char *surname_prefix,
                                       const char *name_prefix,
                                       guint       limit);

/* Commits the issuance (status pending), its scans (sealed, SHA-256
 * recorded in the issuance's attachments), its outbox entries and an
 * audit row in one transaction. actor: the operator. */
gboolean   sp_store_commit_issuance   (SpStore           *store,
                                       SpIssuance        *issuance,
                                       GPtrArray         *scans,   /* of SpStoreScan */
                                       const char        *actor,
                                       GError           **error);
/* The clear PDF of a stored scan (opened from its seal). */
GBytes    *sp_store_read_scan         (SpStore    *store,
                                       const char *issuance_id,
                                       SpAttachmentKind kind,
                                       GError    **error);
/* FALSE when there is no such issuance. */
gboolean   sp_store_issuance_status   (SpStore          *store,
                                       const char       *issuance_id,
                                       SpIssuanceStatus *status);
/* An audited event with no other row: a delegate refused (R5), an
 * envelope handed over, a session locked. */
gboolean   sp_store_record_event      (SpStore    *store,
                                       const char *actor,
                                       const char *action,
                                       const char *subject,
                                       const char *detail,
                                       GError    **error);

typedef struct {
  SpIssuance *issuance;
  SpIssuanceStatus status;
  char *problem;   /* nullable: why it needs attention or was superseded */
} SpStoreIssuanceRow;

void       sp_store_issuance_row_free (SpStoreIssuanceRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpStoreIssuanceRow, sp_store_issuance_row_free)
/* This workstation's issuances committed in [since, until) (either
 * NULL for open), newest first, of one operator or all (NULL); at most
 * limit (0: no limit). */
GPtrArray *sp_store_list_issuances    (SpStore    *store,
                                       GDateTime  *since,
                                       GDateTime  *until,
                                       const char *operator_id,
                                       guint       limit);
/* The request an operator was entering (JSON, never a PIN), kept so a
 * crash or a lock loses nothing. One per operator. */
gboolean   sp_store_save_draft        (SpStore    *store,
                                       const char *operator_id,
                                       const char *body,
                                       GError    **error);
char      *sp_store_load_draft        (SpStore    *store,
                                       const char *operator_id);
gboolean   sp_store_delete_draft      (SpStore    *store,
                                       const char *operator_id,
                                       GError    **error);

/* A draft's scan, sealed at rest like an issuance's (pdf NULL: removed).
 * Deleting the draft deletes its scans. */
typedef struct {
  SpAttachmentKind kind;
  GBytes *pdf;
  guint pages;
} SpStoreDraftScan;

void       sp_store_draft_scan_free   (SpStoreDraftScan *scan);
gboolean   sp_store_save_draft_scan   (SpStore          *store,
                                       const char       *operator_id,
                                       SpAttachmentKind  kind,
                                       GBytes           *pdf,
                                       guint             pages,
                                       GError          **error);
/* The scans of operator_id's draft, opened (of SpStoreDraftScan). */
GPtrArray *sp_store_load_draft_scans  (SpStore          *store,
                                       const char       *operator_id);

gint64     sp_store_outbox_waiting    (SpStore    *store);

/* The outbox, drained in order by the sync engine. */
typedef struct {
  gint64 seq;
  SpOutboxKind kind;
  char *target;    /* the issuance id */
  char *body;      /* issuance: the JSON to POST; attachment: its kind */
} SpOutboxEntry;

void           sp_outbox_entry_free        (SpOutboxEntry *entry);
/* The first limit waiting entries, in order (an array that frees them). */
GPtrArray     *sp_store_outbox_next_batch  (SpStore    *store,
                                            guint       limit);
/* Central accepted these entries: in one transaction (one fsync) they
 * leave the outbox, each issuance takes central's status (statuses: of
 * int, an SpIssuanceStatus, -1 for scans) and each scan whose SHA-256 central confirmed is purged
 * locally (audited). */
gboolean       sp_store_outbox_done_batch  (SpStore       *store,
                                            GPtrArray     *entries,
                                            GArray        *statuses,
                                            GError       **error);
/* Central refused the entry for good: it is parked as needing attention
 * with central's problem detail, and no longer blocks the queue. */
gboolean       sp_store_outbox_park        (SpStore       *store,
                                            const SpOutboxEntry *entry,
                                            const char    *problem,
                                            GError       **error);
gint64         sp_store_outbox_attention   (SpStore    *store);
/* The entries parked as needing attention, for the operator: an array of
 * SpOutboxEntry whose body is central's problem detail. */
GPtrArray     *sp_store_outbox_problems    (SpStore    *store);
char          *sp_store_scan_sha256        (SpStore    *store,
                                            const char *issuance_id,
                                            const char *kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpOutboxEntry, sp_outbox_entry_free)

/* The change feed's cursor (NULL: from the beginning). */
char          *sp_store_get_cursor         (SpStore    *store);
/* Applies a page of central's change feed and saves next_cursor in the
 * same transaction: a crash leaves either both or neither. Issuances of
 * this workstation take central's status (an envelope superseded
 * elsewhere is flagged with the id that superseded it). */
gboolean       sp_store_apply_changes      (SpStore    *store,
                                            JsonArray  *items,
                                            const char *next_cursor,
                                            GError    **error);
/* A 410 from central: forget the cursor, keep the outbox. */
gboolean       sp_store_reset_cursor       (SpStore    *store,
                                            GError    **error);

/* Offline login (DESIGN §4): after each online login the app keeps an
 * Argon2id verifier of the operator's password; without central, the
 * operator can log in with it for max_age_s since that online login. */
gboolean       sp_store_remember_operator  (SpStore    *store,
                                            const char *username,
                                            const char *password,
                                            const char *name,
                                            const char *role,
                                            const char *sede,
                                            GError    **error);
gboolean       sp_store_offline_login      (SpStore    *store,
                                            const char *username,
                                            const char *password,
                                            gint64      max_age_s,
                                            char      **name,
                                            char      **role,
                                            char      **sede);

/* Checks: SQLite's integrity_check ("ok" or its report), and the audit
 * chain: FALSE with the first broken row and why. */
gboolean   sp_store_integrity_check   (SpStore    *store,
                                       char      **report);
gboolean   sp_store_audit_verify      (SpStore    *store,
                                       gint64     *rows,
                                       gint64     *broken_row,
                                       char      **why);

/* The issuances issued on date (the workstation's local day), of one
 * operator or of all (operator_id NULL), in order of issue time: an array
 * of SpIssuance. Their status: sp_store_issuance_status (). */
GPtrArray *sp_store_list_issuances_on (SpStore     *store,
                                       const GDate *date,
                                       const char  *operator_id,
                                       GError     **error);
/* A print failed or was cancelled: in one transaction the issuance
 * becomes 'voided' (reason kept), an outbox entry of kind "void" (body
 * {"reason": …}, for POST /v1/issuances/{id}/void) and an audit row are
 * written. SP_STORE_ERROR_NOT_FOUND when there is no such issuance, or it
 * is already voided, superseded or revoked. */
gboolean   sp_store_void_issuance     (SpStore     *store,
                                       const char  *issuance_id,
                                       const char  *reason,
                                       const char  *actor,
                                       GError     **error);

/* A citizen's issuances on this workstation, newest first, at most
 * limit (0: all): the filter is in SQL, on the cf index. */
GPtrArray *sp_store_list_issuances_of_citizen (SpStore    *store,
                                               const char *cf,
                                               guint       limit,
                                               GError    **error);
/* Central did not confirm this issuance's own request and the sede
 * allows offline issuance: the record says offline. Its queued body too
 * only when queued_too: a request that may have reached central is
 * replayed with the same body, as its Idempotency-Key requires. */
gboolean   sp_store_mark_issuance_offline (SpStore    *store,
                                           const char *issuance_id,
                                           gboolean    queued_too,
                                           GError    **error);

/* Central answered this issuance's own request with status: its outbox
 * entry goes (its scans stay queued) and it takes central's status. */
gboolean   sp_store_confirm_issuance  (SpStore          *store,
                                       const char       *issuance_id,
                                       SpIssuanceStatus  status,
                                       GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpStore, sp_store_close)

G_END_DECLS
