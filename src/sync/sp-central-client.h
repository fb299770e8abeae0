/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sp-status.h"

G_BEGIN_DECLS

/* The counter's direct questions to central (DESIGN §6), beside the
 * sync engine's outbox traffic: the operator's login, a citizen's record
 * and credential status, and a revocation approved by a supervisor.
 * Errors are in SP_SYNC_ERROR; a refusal carries central's problem
 * detail as its message. */

typedef struct {
  char *id;
  char *name;
  char *role;    /* operator, supervisor, admin */
  char *sede;
} SpOperator;

SpOperator *sp_operator_new  (const char *id,
                              const char *name,
                              const char *role,
                              const char *sede);
SpOperator *sp_operator_copy (const SpOperator *op);
void        sp_operator_free (SpOperator *op);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpOperator, sp_operator_free)

#define SP_TYPE_CENTRAL_CLIENT (sp_central_client_get_type ())
G_DECLARE_FINAL_TYPE (SpCentralClient, sp_central_client, SP, CENTRAL_CLIENT, GObject)

SpCentralClient *sp_central_client_new          (const char       *base_url);
gboolean         sp_central_client_set_ca_file  (SpCentralClient  *self,
                                                 const char       *path,
                                                 GError          **error);
void             sp_central_client_set_timeout  (SpCentralClient  *self,
                                                 guint             seconds);

/* Logs in and keeps the token for the calls below. */
void             sp_central_client_login_async  (SpCentralClient     *self,
                                                 const char          *username,
                                                 const char          *password,
                                                 const char          *workstation,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
SpOperator      *sp_central_client_login_finish (SpCentralClient     *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void             sp_central_client_logout       (SpCentralClient     *self);

/* The Citizen record of the API; SP_SYNC_ERROR_NOT_FOUND when central
 * does not know the codice fiscale. */
void             sp_central_client_get_citizen_async  (SpCentralClient     *self,
                                                       const char          *cf,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
JsonObject      *sp_central_client_get_citizen_finish (SpCentralClient     *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

/* GET /v1/citizens?surname=…: central's { items: [Citizen…], more }.
 * name is nullable; limit 1..50. */
void             sp_central_client_search_citizens_async  (SpCentralClient     *self,
                                                           const char          *surname,
                                                           const char          *name,
                                                           guint                limit,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
JsonObject      *sp_central_client_search_citizens_finish (SpCentralClient     *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

/* The session (one for the workstation: the sync engine sends its
 * waves on it too), the URL and the operator's token. */
#define SP_CENTRAL_CLIENT_CONNECTIONS 64
SoupSession     *sp_central_client_get_session  (SpCentralClient  *self);
const char      *sp_central_client_get_base_url (SpCentralClient  *self);
const char      *sp_central_client_get_token    (SpCentralClient  *self);
gboolean         sp_central_client_is_logged_in (SpCentralClient  *self);

/* GET /v1/status without a token: TRUE when central answers. */
void             sp_central_client_probe_async   (SpCentralClient     *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean         sp_central_client_probe_finish  (SpCentralClient     *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* POST /v1/issuances for this one issuance (body: its JSON, id its
 * Idempotency-Key), ahead of anything queued on the session; finish gives
 * central's status for it (active, superseded) or an SP_SYNC_ERROR. */
void             sp_central_client_register_issuance_async  (SpCentralClient     *self,
                                                             const char          *id,
                                                             const char          *body,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean         sp_central_client_register_issuance_finish (SpCentralClient     *self,
                                                             GAsyncResult        *result,
                                                             const char          *id,
                                                             SpIssuanceStatus    *status,
                                                             GError             **error);

/* Four eyes in two steps (DESIGN §4): the operator files the request with
 * his own token (finish: the request's id; SP_SYNC_ERROR_NOT_FOUND when
 * the citizen has no active PIN); a supervisor of the same sede, another
 * person, approves it with her own credentials, in a session of her own
 * that is closed right after (finish: central's answer). */
void             sp_central_client_request_revocation_async  (SpCentralClient     *self,
                                                              const char          *cf,
                                                              const char          *reason,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
char            *sp_central_client_request_revocation_finish (SpCentralClient     *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
void             sp_central_client_approve_revocation_async  (SpCentralClient     *self,
                                                              const char          *request_id,
                                                              const char          *supervisor,
                                                              const char          *supervisor_password,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
JsonObject      *sp_central_client_approve_revocation_finish (SpCentralClient     *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);

G_END_DECLS
