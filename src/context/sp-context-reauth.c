/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-context"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-context-private.h"

/* After an offline login no password is kept (none must be), so the
 * queue cannot be sent by itself. Central is probed (GET /v1/status,
 * no token) every sync interval; once it answers, the
 * context says so (central-reachable) and the operator re-authenticates
 * where he is: the session and whatever request is open stay. */

static gboolean
on_probe_timer (gpointer user_data)
{
  SpContext *self = user_data;

  self->probe_timer = 0;
  sp_context_probe_central (self);
  return G_SOURCE_REMOVE;
}

static void
on_probed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SpContext) self = user_data;
  gboolean answered = sp_central_client_probe_finish (SP_CENTRAL_CLIENT (source), result, NULL);

  self->probing = FALSE;
  /* The answer may come after a logout or a login online. */
  if (self->op == NULL || !self->offline_session)
    return;
  if (answered)
    return sp_context_set_reachable (self, TRUE);
  /* Removed by a logout and at dispose: the pointer stays valid. */
  g_clear_handle_id (&self->probe_timer, g_source_remove);
  self->probe_timer = g_timeout_add_seconds (self->sync_interval_s, on_probe_timer, self);
}

void
sp_context_probe_central (SpContext *self)
{
  if (self->op == NULL || !self->offline_session || self->central_reachable || self->probing)
    return;
  self->probing = TRUE;
  sp_central_client_probe_async (self->client, NULL, on_probed, g_object_ref (self));
}

typedef struct {
  char *username;
  char *password;   /* locked memory, wiped once the verifier is made */
  SpOperator *op;
} Reauth;

static void
reauth_free (Reauth *r)
{
  g_free (r->username);
  sp_context_secret_free (r->password);
  sp_operator_free (r->op);
  g_free (r);
}

/* The offline verifier again (Argon2id, 64 MiB): on the database thread. */
static void
remember (GTask        *task,
          gpointer      source,
          gpointer      task_data,
          GCancellable *cancellable)
{
  SpContext *self = source;
  Reauth *r = task_data;
  g_autoptr(GError) error = NULL;

  if (!sp_store_remember_operator (self->store, r->op->id, r->password, r->op->name, r->op->role,
                                   r->op->sede, &error))
    g_warning ("the offline login verifier could not be saved: %s", error->message);
  g_clear_pointer (&r->password, sp_context_secret_free);
  g_task_return_boolean (task, TRUE);
}

static void
on_logged_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SpContext *self = g_task_get_source_object (task);
  Reauth *r = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  r->op = sp_central_client_login_finish (SP_CENTRAL_CLIENT (source), result, &error);
  if (r->op != NULL && g_strcmp0 (r->op->id, r->username) != 0)
    {
      /* Central's answer is about someone else: not this session's. */
      sp_central_client_logout (self->client);
      g_clear_pointer (&r->password, sp_context_secret_free);
      return g_task_return_new_error (task, SP_CONTEXT_ERROR, SP_CONTEXT_ERROR_CREDENTIALS,
                                      _("Central answered for another operator."));
    }
  if (r->op != NULL)
    return sp_context_db_run (self, task, remember);
  g_clear_pointer (&r->password, sp_context_secret_free);
  if (g_error_matches (error, SP_SYNC_ERROR, SP_SYNC_ERROR_CREDENTIALS))
    return g_task_return_new_error (task, SP_CONTEXT_ERROR, SP_CONTEXT_ERROR_CREDENTIALS,
                                    _("Wrong password."));
  /* Gone again: the next probe says when to try. */
  sp_context_set_reachable (self, FALSE);
  g_task_return_new_error (task, SP_SYNC_ERROR, SP_SYNC_ERROR_UNREACHABLE,
                           _("Central cannot be reached again yet: %s"), error->message);
}

void
sp_context_reauthenticate_async (SpContext           *self,
                                 const char          *password,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Reauth *r;

  g_task_set_source_tag (task, sp_context_reauthenticate_async);
  if (self->op == NULL || !self->offline_session)
    {
      g_task_return_new_error (task, SP_CONTEXT_ERROR, SP_CONTEXT_ERROR_NOT_LOGGED_IN,
                               _("There is no offline session to re-authenticate."));
      g_object_unref (task);
      return;
    }
  r = g_new0 (Reauth, 1);
  r->username = g_strdup (self->op->id);
  r->password = sp_context_secret_dup (password);
  g_task_set_task_data (task, r, (GDestroyNotify) reauth_free);
  sp_central_client_login_async (self->client, r->username, password, self->workstation, cancellable,
                                 on_logged_in, task);
}

gboolean
sp_context_reauthenticate_finish (SpContext     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  /* The same operator, the same session: only now online, and the
   * engine, which has the token now, sends the queue at once. */
  self->offline_session = FALSE;
  g_clear_handle_id (&self->probe_timer, g_source_remove);
  sp_context_set_reachable (self, FALSE);
  sp_sync_engine_kick (self->engine);
  return TRUE;
}
