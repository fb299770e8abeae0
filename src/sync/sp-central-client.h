/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

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

/* Four eyes (DESIGN §4): the supervisor's own credentials approve the
 * revocation that requested_by asked for; central refuses a supervisor
 * approving their own request. */
void             sp_central_client_revoke_async  (SpCentralClient     *self,
                                                  const char          *cf,
                                                  const char          *reason,
                                                  const char          *requested_by,
                                                  const char          *supervisor,
                                                  const char          *supervisor_password,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean         sp_central_client_revoke_finish (SpCentralClient     *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
