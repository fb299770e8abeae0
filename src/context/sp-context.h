/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sp-central-client.h"
#include "sp-pin.h"
#include "sp-store.h"
#include "sp-sync-engine.h"

G_BEGIN_DECLS

/* One workstation, without a screen (as gnome-calendar's GcalContext):
 * the store behind its own database thread, ONE central client (one
 * login, one token; the password is never kept) and the sync engine on
 * that client, with typed asynchronous verbs. Pages get it as their
 * "context" construct property and call nothing else. Errors: the
 * verbs' own SP_CONTEXT_ERROR, or SP_SYNC_ERROR / SP_STORE_ERROR from
 * below, with a message for the operator. */

#define SP_CONTEXT_ERROR (sp_context_error_quark ())
typedef enum {
  SP_CONTEXT_ERROR_NOT_LOGGED_IN,
  SP_CONTEXT_ERROR_CREDENTIALS,      /* wrong username or password, online or offline */
  SP_CONTEXT_ERROR_OFFLINE_REFUSED,  /* central did not answer this issuance and the sede forbids offline */
  SP_CONTEXT_ERROR_REFUSED,          /* central refused this issuance for good */
  SP_CONTEXT_ERROR_VOID_FAILED,      /* a PIN that must not be used could not be cancelled */
  SP_CONTEXT_ERROR_STORE,
  SP_CONTEXT_ERROR_WRONG_SEDE,       /* the operator belongs to another sede than the workstation */
} SpContextError;
GQuark sp_context_error_quark (void);

/* What central said of one issuance, by its own answer. */
typedef enum {
  SP_ISSUED_OFFLINE,      /* no answer to this issuance's request: the offline notice */
  SP_ISSUED_ACTIVE,       /* central answered active: the PIN works now */
  SP_ISSUED_SUPERSEDED,   /* central answered superseded (an offline PIN older than the active one) */
} SpIssuedState;

typedef struct {
  SpIssuance *issuance;
  SpPin *pin;            /* the clear PIN: only until the envelope is printed */
  SpIssuedState state;
  char *why_offline;     /* nullable: this request's failure */
} SpIssued;

void sp_issued_free (SpIssued *issued);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpIssued, sp_issued_free)

/* A citizen looked up: central's record when it answered (credentials
 * included), the person from it or else from the cache. */
typedef struct {
  SpPerson *person;        /* nullable: neither central nor the cache know */
  JsonObject *record;      /* nullable: central's Citizen */
  gboolean from_cache;
  GError *central_error;   /* nullable: why central's record is missing */
} SpCitizenLookup;

void sp_citizen_lookup_free (SpCitizenLookup *lookup);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCitizenLookup, sp_citizen_lookup_free)

/* What a search by surname found. */
typedef struct {
  GPtrArray *found;        /* of SpCitizenLookup: the person, and central's record unless from_cache */
  gboolean more;           /* central has more than the limit */
  gboolean from_cache;
  GError *central_error;   /* nullable: why central did not answer */
} SpCitizenSearch;

void sp_citizen_search_free (SpCitizenSearch *search);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCitizenSearch, sp_citizen_search_free)

/* A password or other secret in locked memory (sodium_malloc), wiped
 * with sodium_memzero when freed: what the UI hands to a verb. */
char *sp_context_secret_dup  (const char *text);
void  sp_context_secret_free (char       *secret);

#define SP_TYPE_CONTEXT (sp_context_get_type ())
G_DECLARE_FINAL_TYPE (SpContext, sp_context, SP, CONTEXT, GObject)

/* Opens the store in store_dir; ca_file (nullable or "") is the sede's CA. */
SpContext        *sp_context_new              (const char  *store_dir,
                                               const char  *central_url,
                                               const char  *ca_file,
                                               const char  *workstation,
                                               GError     **error);
const SpOperator *sp_context_get_operator     (SpContext   *self);
gboolean          sp_context_get_offline_session (SpContext *self);
/* In an offline session: central answers again, and the operator's
 * password (never kept) is needed to send the queue. Notified as
 * "central-reachable", with sync-changed. */
gboolean          sp_context_get_central_reachable (SpContext *self);
gboolean          sp_context_get_online       (SpContext   *self);
const char       *sp_context_get_workstation  (SpContext   *self);
const char       *sp_context_get_central_url  (SpContext   *self);
/* Another central: at once when nobody is logged in (TRUE), else at
 * the next login (FALSE: the UI says so). */
gboolean          sp_context_set_central_url  (SpContext   *self,
                                               const char  *url);
/* The sede's CA for central's certificate: like the URL, at once or at
 * the next login. */
gboolean          sp_context_set_ca_file      (SpContext   *self,
                                               const char  *path);
/* For what has no verb yet (drafts, the register, the header's state). */
SpStore          *sp_context_get_store        (SpContext   *self);
SpSyncEngine     *sp_context_get_engine       (SpContext   *self);

/* Online through central (the offline verifier made once, on a worker
 * thread), or, when central does not answer, with that verifier for
 * offline-login-hours. The password is wiped before finish is called. */
void     sp_context_log_in_async          (SpContext           *self,
                                           const char          *username,
                                           const char          *password,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean sp_context_log_in_finish         (SpContext           *self,
                                           GAsyncResult        *result,
                                           GError             **error);
void     sp_context_log_out               (SpContext           *self);
/* The offline session's operator logs in online again without leaving
 * what he is doing (the open request stays): the offline verifier is
 * renewed, the session is online and the queue is sent. A wrong password
 * is SP_CONTEXT_ERROR_CREDENTIALS and the session stays offline. */
void     sp_context_reauthenticate_async  (SpContext           *self,
                                           const char          *password,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean sp_context_reauthenticate_finish (SpContext           *self,
                                           GAsyncResult        *result,
                                           GError             **error);

void     sp_context_look_up_citizen_async (SpContext           *self,
                                           const char          *cf,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
SpCitizenLookup *sp_context_look_up_citizen_finish (SpContext    *self,
                                                    GAsyncResult *result,
                                                    GError      **error);
/* By surname and name prefixes (accents and case folded): central's
 * registry, the answers written back to the cache; the cache when central
 * fails or takes longer than SP_CONTEXT_SEARCH_TIMEOUT_MS. */
#define SP_CONTEXT_SEARCH_TIMEOUT_MS 3000
void             sp_context_search_async  (SpContext           *self,
                                           const char          *surname,
                                           const char          *name,
                                           guint                limit,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
SpCitizenSearch *sp_context_search_finish (SpContext           *self,
                                           GAsyncResult        *result,
                                           GError             **error);
/* This workstation's issuances of one citizen: SpStoreIssuanceRow. */
void       sp_context_history_async       (SpContext           *self,
                                           const char          *cf,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GPtrArray *sp_context_history_finish      (SpContext           *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* Issues issuance (complete but for PIN, verifier, times and who) with
 * its scans (SpStoreScan): a new PIN, its verifier on a worker thread,
 * one commit, then THIS issuance's own request to central, ahead of the
 * queue. Returns when central answered it (active or superseded), or
 * when that request failed or timed out (issue-timeout-ms) and the sede
 * allows offline issuance; otherwise the PIN is voided at once and the
 * error says so. The scans follow through the sync engine. */
void      sp_context_issue_async          (SpContext           *self,
                                           SpIssuance          *issuance,
                                           GPtrArray           *scans,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
SpIssued *sp_context_issue_finish         (SpContext           *self,
                                           GAsyncResult        *result,
                                           GError             **error);
/* The issue step opened: a PIN and its Argon2id verifier are made now,
 * on a worker thread, so the issue verb does not wait for them (it takes
 * this one, waits for it while it is being made, or makes its own).
 * Discard it when the request is abandoned: the clear PIN, only ever in
 * sodium memory, is wiped. Logging out discards it too. */
void      sp_context_prepare_issue        (SpContext           *self);
void      sp_context_discard_prepared     (SpContext           *self);
gboolean  sp_context_has_prepared         (SpContext           *self);
/* The envelope did not print: the clear PIN is wiped, the issuance voided
 * (audited; an issuance central never confirmed is not sent any more).
 * A failure is SP_CONTEXT_ERROR_VOID_FAILED: the caller tells the
 * operator, the issuance stays held back from the queue. */
void      sp_context_void_async           (SpContext           *self,
                                           SpIssued            *issued,
                                           const char          *reason,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean  sp_context_void_finish          (SpContext           *self,
                                           GAsyncResult        *result,
                                           GError             **error);
/* The issuance's status in the store now (central's word once it came). */
SpIssuedState sp_context_issuance_state   (SpContext           *self,
                                           const char          *issuance_id);

/* Four eyes: the operator files the request (finish: its id); a
 * supervisor approves it by id with her own credentials, in a session
 * closed right after. Both audited here. */
void      sp_context_request_revocation_async  (SpContext           *self,
                                                const char          *cf,
                                                const char          *reason,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
char     *sp_context_request_revocation_finish (SpContext           *self,
                                                GAsyncResult        *result,
                                                GError             **error);
void      sp_context_approve_revocation_async  (SpContext           *self,
                                                const char          *request_id,
                                                const char          *cf,
                                                const char          *supervisor,
                                                const char          *password,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean  sp_context_approve_revocation_finish (SpContext           *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* The logged-in operator's draft (JSON, never a PIN): written and
 * deleted on the database thread (a failure is logged: the request on
 * screen is not lost), read at once. */
void      sp_context_save_draft           (SpContext           *self,
                                           const char          *json);
void      sp_context_delete_draft         (SpContext           *self);
char     *sp_context_load_draft           (SpContext           *self);
/* One scan of the draft, sealed in the store (pdf NULL: removed); the
 * draft's delete removes them all. Load: of SpStoreDraftScan, read at once. */
void      sp_context_save_draft_scan      (SpContext           *self,
                                           SpAttachmentKind     kind,
                                           GBytes              *pdf,
                                           guint                pages);
GPtrArray *sp_context_load_draft_scans    (SpContext           *self);

/* An audited event (actor: the operator logged in). */
void      sp_context_record_event_async   (SpContext           *self,
                                           const char          *action,
                                           const char          *subject,
                                           const char          *detail,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean  sp_context_record_event_finish  (SpContext           *self,
                                           GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
