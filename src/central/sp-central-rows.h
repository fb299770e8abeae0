/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The typed rows central's repository (sp-central-db.h) returns and its
 * JSON views (sp-central-views.h) turn into answers. Times are
 * milliseconds since the Unix epoch, UTC. */

typedef enum {
  SP_CENTRAL_ISSUANCE_ACTIVE,
  SP_CENTRAL_ISSUANCE_SUPERSEDED,
  SP_CENTRAL_ISSUANCE_VOIDED,
  SP_CENTRAL_ISSUANCE_REVOKED,
} SpCentralIssuanceStatus;

const char *sp_central_issuance_status_to_string   (SpCentralIssuanceStatus status);
gboolean    sp_central_issuance_status_from_string (const char *text, SpCentralIssuanceStatus *status);

typedef enum {
  SP_CENTRAL_REVOCATION_PENDING,
  SP_CENTRAL_REVOCATION_APPROVED,
  SP_CENTRAL_REVOCATION_REJECTED,
} SpCentralRevocationStatus;

const char *sp_central_revocation_status_to_string   (SpCentralRevocationStatus status);
gboolean    sp_central_revocation_status_from_string (const char *text, SpCentralRevocationStatus *status);

typedef enum {
  SP_CENTRAL_ROLE_OPERATOR,
  SP_CENTRAL_ROLE_SUPERVISOR,
  SP_CENTRAL_ROLE_ADMIN,
} SpCentralRole;

gboolean    sp_central_role_from_string (const char *text, SpCentralRole *role);

typedef struct {
  gint64 id;
  char *username;
  char *name;
  char *role;          /* operator, supervisor, admin (see ->role_id) */
  SpCentralRole role_id;
  char *sede;
  char *verifier;      /* Argon2id of the password */
  gboolean disabled;
} SpCentralOperator;

void sp_central_operator_free (SpCentralOperator *op);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCentralOperator, sp_central_operator_free)

typedef struct {
  char *cf, *surname, *name, *sex, *birth_date, *birth_place;
  char *street, *postcode, *city, *province;   /* street NULL: no residence on file */
  char *phone, *email;
  gboolean fictitious;
  char *source;
  /* the active PIN, if any */
  char *active_issuance_id;
  gint64 active_issued_at;
  char *active_sede;
  gboolean locked;     /* PIN verification locked now */
  char *active_kind;   /* dispositivo, ordinario */
  gboolean active_personal;   /* first access done */
  /* R12: requests still waiting (online/CC, queued) and simplified
   * credentials not regularized yet; NULL when none. */
  GPtrArray *pending;        /* SpCentralPendingRequest */
  GPtrArray *simplified;     /* SpCentralSimplifiedRow */
} SpCentralCitizen;

typedef struct {
  char *id, *channel;
  gint64 created_at, score;
  gboolean flagged;          /* the 12-hour rule */
} SpCentralPendingRequest;

typedef struct {
  char *issuance_id;
  gint64 created_at;
} SpCentralSimplifiedRow;

void sp_central_pending_request_free (SpCentralPendingRequest *r);
void sp_central_simplified_row_free  (SpCentralSimplifiedRow *r);

void sp_central_citizen_free (SpCentralCitizen *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCentralCitizen, sp_central_citizen_free)

typedef struct {
  char *kind;
  char *sha256;
  gint64 size;
} SpCentralAttachmentRow;

typedef struct {
  char *id, *cf, *sede, *operator, *workstation;
  gint64 issued_at, received_at;
  SpCentralIssuanceStatus status;
  char *reason;
  GPtrArray *attachments;          /* of SpCentralAttachmentRow, by kind */
  GPtrArray *attachments_missing;  /* of char *: required kinds not arrived */
} SpCentralIssuanceRow;

void sp_central_issuance_row_free (SpCentralIssuanceRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCentralIssuanceRow, sp_central_issuance_row_free)

typedef struct {
  char *id;                 /* canonical lower-case UUID */
  char *cf;
  char *sede;
  char *reason;
  SpCentralRevocationStatus status;
  gint64 requested_by_id;
  char *requested_by;       /* username */
  gint64 requested_at;
  char *decided_by;         /* username, NULL while pending */
  gint64 decided_at;
  char *decision_reason;
  GPtrArray *revoked;       /* of char *: issuance ids the approval revoked */
} SpCentralRevocationRequest;

void sp_central_revocation_request_free (SpCentralRevocationRequest *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCentralRevocationRequest, sp_central_revocation_request_free)

typedef struct {
  gint64 seq;
  char *payload;            /* the change as JSON text, without seq */
} SpCentralChange;

typedef struct {
  GPtrArray *items;         /* of SpCentralChange */
  gint64 next_cursor;
  gboolean has_more;
} SpCentralChangesPage;

void sp_central_changes_page_free (SpCentralChangesPage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCentralChangesPage, sp_central_changes_page_free)

typedef struct {
  char *id, *cf, *surname, *name, *operator, *workstation;
  gint64 issued_at;
  SpCentralIssuanceStatus status;
} SpCentralRegisterRow;

void sp_central_register_row_free (SpCentralRegisterRow *row);

/* RFC 3339 UTC with milliseconds, for ms since the epoch. */
char *sp_central_ms_to_iso (gint64 ms);

/* Empty lists that own their SpCentralAttachmentRow / SpCentralChange. */
GPtrArray *sp_central_attachment_rows_new (void);
GPtrArray *sp_central_changes_new         (void);

G_END_DECLS
