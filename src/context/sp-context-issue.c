/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-context"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-context-private.h"

/* One issuance (DESIGN §5): its own request to central decides what the
 * envelope says, never the engine's "online" flag of an earlier run. */

void
sp_issued_free (SpIssued *issued)
{
  if (issued == NULL)
    return;
  sp_issuance_free (issued->issuance);
  sp_pin_free (issued->pin);   /* wiped: sodium_free */
  g_free (issued->why_offline);
  g_free (issued);
}

typedef struct {
  SpIssued *issued;
  GPtrArray *scans;          /* of SpStoreScan, borrowed from the caller until committed */
  char *body;                /* the record as committed, for the request */
  gboolean answered;         /* central answered this request … */
  SpIssuanceStatus status;   /* … with this status */
  GError *request_error;     /* this request's failure */
  GCancellable *request;     /* cancelled at the deadline or with the task */
  guint deadline;
  gulong cancel_handler;
  gboolean timed_out;
  gboolean allow_offline;    /* as when the operator pressed the button */
  SpSyncEngine *paused;      /* paused until this request has its answer */
} Issue;

/* The engine's waves wait while this issuance is committed and sent. */
static void
unpause (Issue *job)
{
  g_autoptr(SpSyncEngine) engine = g_steal_pointer (&job->paused);

  if (engine != NULL)
    sp_sync_engine_resume (engine);
}

static void
issue_free (Issue *job)
{
  sp_issued_free (job->issued);
  g_clear_pointer (&job->scans, g_ptr_array_unref);
  g_free (job->body);
  g_clear_error (&job->request_error);
  g_clear_handle_id (&job->deadline, g_source_remove);
  g_clear_object (&job->request);
  unpause (job);
  g_free (job);
}

static SpIssuedState
state_of (gboolean         known,
          SpIssuanceStatus status)
{
  if (known && status == SP_ISSUANCE_STATUS_ACTIVE)
    return SP_ISSUED_ACTIVE;
  if (known && status == SP_ISSUANCE_STATUS_SUPERSEDED)
    return SP_ISSUED_SUPERSEDED;
  return SP_ISSUED_OFFLINE;
}

SpIssuedState
sp_context_issuance_state (SpContext  *self,
                           const char *issuance_id)
{
  SpIssuanceStatus status;
  gboolean known = sp_store_issuance_status (self->store, issuance_id, &status);

  return state_of (known, status);
}

/* ---- on worker threads ---- */

/* Argon2id takes a tenth of a second and 64 MiB: not on the main loop. */
static void
make_verifier (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Issue *job = task_data;
  GError *error = NULL;

  job->issued->issuance->verifier = sp_pin_make_verifier (job->issued->pin, &error);
  if (job->issued->issuance->verifier == NULL)
    return g_task_return_error (task, error);
  g_task_return_boolean (task, TRUE);
}

static void
commit (GTask        *task,
        gpointer      source,
        gpointer      task_data,
        GCancellable *cancellable)
{
  SpContext *self = source;
  Issue *job = task_data;
  SpIssuance *is = job->issued->issuance;
  g_autoptr(GError) error = NULL;

  if (!sp_store_commit_issuance (self->store, is, job->scans, is->operator_id, &error))
    return g_task_return_new_error (task, SP_CONTEXT_ERROR, SP_CONTEXT_ERROR_STORE,
                                    _("The issuance could not be saved: %s"), error->message);
  g_clear_pointer (&job->scans, g_ptr_array_unref);
  job->body = sp_issuance_to_string (is);
  g_task_return_boolean (task, TRUE);
}

static void
confirm (GTask        *task,
         gpointer      source,
         gpointer      task_data,
         GCancellable *cancellable)
{
  SpContext *self = source;
  Issue *job = task_data;
  g_autoptr(GError) error = NULL;

  /* Central has it: a failure here only means the engine replays it
   * (same Idempotency-Key, same answer). The envelope tells the truth. */
  if (!sp_store_confirm_issuance (self->store, job->issued->issuance->id, job->status, &error))
    g_warning ("central's answer to %s not saved: %s", job->issued->issuance->id, error->message);
  g_task_return_boolean (task, TRUE);
}

static void
go_offline (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  SpContext *self = source;
  Issue *job = task_data;
  GError *error = NULL;

  /* Central answered (5xx): it stored nothing, the replay may say offline. */
  gboolean answered = g_error_matches (job->request_error, SP_SYNC_ERROR, SP_SYNC_ERROR_SERVER);

  if (!sp_store_mark_issuance_offline (self->store, job->issued->issuance->id, answered, &error))
    return g_task_return_error (task, error);
  job->issued->issuance->offline = TRUE;
  g_task_return_boolean (task, TRUE);
}

typedef struct {
  char *id;
  char *reason;
  char *actor;
} Void;

static void
void_free (Void *v)
{
  g_free (v->id);
  g_free (v->reason);
  g_free (v->actor);
  g_free (v);
}

static void
void_in_store (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SpContext *self = source;
  Void *v = task_data;
  g_autoptr(GError) error = NULL;

  if (!sp_store_void_issuance (self->store, v->id, v->reason, v->actor, &error))
    return g_task_return_new_error (task, SP_CONTEXT_ERROR, SP_CONTEXT_ERROR_VOID_FAILED,
                                    _("The PIN could not be cancelled on this workstation (%s): do not hand "
                                      "the envelope over, and call the sede's IT support."), error->message);
  g_task_return_boolean (task, TRUE);
}

/* ---- on the main loop ---- */

static void
on_voided (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SpContext *self = SP_CONTEXT (source);
  Void *v = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Held back from the queue for this session: it must not reach
       * central and supersede the citizen's real PIN. The caller says so. */
      return g_task_return_error (task, error);
    }
  sp_sync_engine_release (self->engine, v->id);   /* its void goes; the issuance no more */
  g_task_return_boolean (task, TRUE);
}

static void
void_issuance (SpContext    *self,
               const char   *id,
               const char   *reason,
               GTask        *outer)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, on_voided, g_object_ref (outer));
  Void *v = g_new0 (Void, 1);

  v->id = g_strdup (id);
  v->reason = g_strdup (reason);
  v->actor = g_strdup (self->op ? self->op->id : "?");
  g_task_set_task_data (task, v, (GDestroyNotify) void_free);
  sp_sync_engine_hold (self->engine, id);
  sp_context_db_run (self, task, void_in_store);
}

static void
on_refused_voided (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Issue *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    return g_task_return_error (task, error);
  if (g_error_matches (job->request_error, SP_SYNC_ERROR, SP_SYNC_ERROR_REFUSED))
    return g_task_return_new_error (task, SP_CONTEXT_ERROR, SP_CONTEXT_ERROR_REFUSED,
                                    _("Central refused the PIN (%s): it was cancelled."),
                                    job->request_error->message);
  g_task_return_new_error (task, SP_CONTEXT_ERROR, SP_CONTEXT_ERROR_OFFLINE_REFUSED,
                           _("Central did not confirm the PIN (%s) and this sede does not allow "
                             "offline issuance: the PIN was cancelled; try again when the connection is back."),
                           job->request_error ? job->request_error->message : _("no answer"));
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SpContext *self = SP_CONTEXT (source);
  Issue *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* The record could not say "offline": nothing is handed over. */
      g_clear_error (&job->request_error);
      job->request_error = error;
      job->allow_offline = FALSE;
    }
  if (!job->answered && !job->allow_offline)
    {
      GTask *voiding = g_task_new (self, NULL, on_refused_voided, g_object_ref (task));

      g_task_set_task_data (voiding, NULL, NULL);
      void_issuance (self, job->issued->issuance->id, "central did not confirm; offline issuance not allowed",
                     voiding);
      g_object_unref (voiding);
      return;
    }
  /* Its scans (and, offline, the issuance itself) go with the queue now. */
  sp_sync_engine_release (self->engine, job->issued->issuance->id);
  job->issued->state = state_of (job->answered, job->status);
  /* What the envelope prints: "already active" only on central's
   * "active" for this very request (sp_envelope_draw reads offline). */
  job->issued->issuance->offline = job->issued->state != SP_ISSUED_ACTIVE;
  if (job->issued->state == SP_ISSUED_OFFLINE && job->request_error != NULL)
    job->issued->why_offline = g_strdup (job->request_error->message);
  g_task_return_pointer (task, g_steal_pointer (&job->issued), (GDestroyNotify) sp_issued_free);
  g_signal_emit_by_name (self, "issuances-changed");
}

static void
after_answer (SpContext *self,
              GTask     *task)
{
  Issue *job = g_task_get_task_data (task);
  g_autoptr(GTask) store = g_task_new (self, NULL, on_stored, g_object_ref (task));

  unpause (job);
  g_task_set_task_data (store, job, NULL);
  sp_context_db_run (self, store, job->answered ? confirm : go_offline);
}

static gboolean
on_deadline (gpointer user_data)
{
  Issue *job = user_data;

  job->deadline = 0;
  job->timed_out = TRUE;
  g_cancellable_cancel (job->request);
  return G_SOURCE_REMOVE;
}

static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SpContext *self = g_task_get_source_object (task);
  Issue *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&job->deadline, g_source_remove);
  g_cancellable_disconnect (g_task_get_cancellable (task), job->cancel_handler);
  job->answered = sp_central_client_register_issuance_finish (SP_CENTRAL_CLIENT (source), result,
                                                             job->issued->issuance->id, &job->status, &error);
  if (job->answered && state_of (TRUE, job->status) == SP_ISSUED_OFFLINE)
    {
      /* An answer that is neither active nor superseded is no answer. */
      g_set_error (&error, SP_SYNC_ERROR, SP_SYNC_ERROR_SERVER, "central answered status %s",
                   sp_issuance_status_to_string (job->status));
      job->answered = FALSE;
    }
  if (!job->answered)
    {
      if (job->timed_out)
        job->request_error = g_error_new (SP_SYNC_ERROR, SP_SYNC_ERROR_UNREACHABLE,
                                          _("central did not answer within %u ms"), self->issue_timeout_ms);
      else
        job->request_error = g_steal_pointer (&error);
      if (g_error_matches (job->request_error, SP_SYNC_ERROR, SP_SYNC_ERROR_REFUSED))
        job->allow_offline = FALSE;   /* refused for good: never pushed later either */
    }
  after_answer (self, task);
}

static void
on_task_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

static void
send_request (SpContext *self,
              GTask     *task)
{
  Issue *job = g_task_get_task_data (task);

  job->request = g_cancellable_new ();
  if (g_task_get_cancellable (task) != NULL)
    job->cancel_handler = g_cancellable_connect (g_task_get_cancellable (task), G_CALLBACK (on_task_cancelled),
                                                 job->request, NULL);
  job->deadline = g_timeout_add (self->issue_timeout_ms, on_deadline, job);
  sp_central_client_register_issuance_async (self->client, job->issued->issuance->id, job->body, job->request,
                                             on_answer, task);
}

static void
on_committed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SpContext *self = SP_CONTEXT (source);
  Issue *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      sp_sync_engine_release (self->engine, job->issued->issuance->id);
      return g_task_return_error (task, error);
    }
  send_request (self, g_steal_pointer (&task));
}

/* The PIN and its verifier are there: commit, then the request. */
static void
verified (SpContext *self,
          GTask     *owned_task)
{
  g_autoptr(GTask) task = owned_task;
  Issue *job = g_task_get_task_data (task);
  g_autoptr(GTask) store = NULL;
  SpIssuance *is = job->issued->issuance;

  is->issued_at = sp_sync_engine_corrected_now (self->engine);
  is->clock_skew_ms = sp_sync_engine_get_clock_skew_ms (self->engine);
  is->offline = FALSE;   /* until its own request says otherwise */
  /* The engine leaves it to us until central answered this request. */
  sp_sync_engine_hold (self->engine, is->id);
  store = g_task_new (self, NULL, on_committed, g_steal_pointer (&task));
  g_task_set_task_data (store, job, NULL);
  sp_context_db_run (self, store, commit);
}

static void
on_verifier (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    return g_task_return_error (task, error);
  verified (SP_CONTEXT (source), g_steal_pointer (&task));
}

/* ---- a PIN made ahead ---- */

typedef struct {
  SpPin *pin;
  char *verifier;
  guint serial;
} Prepared;

static void
prepared_free (Prepared *p)
{
  g_clear_pointer (&p->pin, sp_pin_free);   /* wiped: never handed to an issue */
  g_free (p->verifier);
  g_free (p);
}

static void
prepare_in_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Prepared *p = task_data;
  GError *error = NULL;

  p->verifier = sp_pin_make_verifier (p->pin, &error);
  if (p->verifier == NULL)
    return g_task_return_error (task, error);
  g_task_return_boolean (task, TRUE);
}

static void start_issue (SpContext *self, GTask *owned_task);

static void
on_prepared (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SpContext *self = SP_CONTEXT (source);
  Prepared *p = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (p->serial != self->prepare_serial)
    return;   /* discarded meanwhile: the task's data wipes the PIN */
  self->preparing = FALSE;
  if (ok)
    {
      self->ready_pin = g_steal_pointer (&p->pin);
      self->ready_verifier = g_steal_pointer (&p->verifier);
    }
  else
    g_warning ("a PIN made ahead has no verifier: %s", error->message);
  /* An issue that came while it was being made takes it now (or, on a
   * failure, makes its own). */
  if (self->waiting_issue != NULL)
    start_issue (self, g_steal_pointer (&self->waiting_issue));
}

void
sp_context_prepare_issue (SpContext *self)
{
  g_autoptr(GTask) task = NULL;
  Prepared *p;

  g_return_if_fail (SP_IS_CONTEXT (self));
  if (self->ready_pin != NULL || self->preparing)
    return;
  p = g_new0 (Prepared, 1);
  p->pin = sp_pin_generate ();
  p->serial = ++self->prepare_serial;
  self->preparing = TRUE;
  task = g_task_new (self, NULL, on_prepared, NULL);
  g_task_set_task_data (task, p, (GDestroyNotify) prepared_free);
  g_task_run_in_thread (task, prepare_in_thread);
}

void
sp_context_discard_prepared (SpContext *self)
{
  g_return_if_fail (SP_IS_CONTEXT (self));
  self->prepare_serial++;
  self->preparing = FALSE;
  g_clear_pointer (&self->ready_pin, sp_pin_free);
  g_clear_pointer (&self->ready_verifier, g_free);
  /* An issue waiting for the discarded one makes its own PIN. */
  if (self->waiting_issue != NULL)
    start_issue (self, g_steal_pointer (&self->waiting_issue));
}

gboolean
sp_context_has_prepared (SpContext *self)
{
  return self->ready_pin != NULL;
}

/* The PIN made ahead when there is one, else one being made (waited
 * for), else a new one and its verifier on a worker thread. */
static void
start_issue (SpContext *self,
             GTask     *owned_task)
{
  g_autoptr(GTask) task = owned_task;
  Issue *job = g_task_get_task_data (task);
  g_autoptr(GTask) worker = NULL;
  GCancellable *cancellable;

  if (self->ready_pin != NULL)
    {
      job->issued->pin = g_steal_pointer (&self->ready_pin);
      job->issued->issuance->verifier = g_steal_pointer (&self->ready_verifier);
      return verified (self, g_steal_pointer (&task));
    }
  if (self->preparing && self->waiting_issue == NULL)
    {
      self->waiting_issue = g_steal_pointer (&task);
      return;
    }
  job->issued->pin = sp_pin_generate ();
  cancellable = g_task_get_cancellable (task);
  worker = g_task_new (self, cancellable, on_verifier, g_steal_pointer (&task));
  g_task_set_task_data (worker, job, NULL);
  g_task_run_in_thread (worker, make_verifier);
}

void
sp_context_issue_async (SpContext           *self,
                        SpIssuance          *issuance,
                        GPtrArray           *scans,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Issue *job = g_new0 (Issue, 1);
  SpIssuance *is;

  g_task_set_source_tag (task, sp_context_issue_async);
  g_task_set_task_data (task, job, (GDestroyNotify) issue_free);
  if (self->op == NULL)
    return g_task_return_new_error (task, SP_CONTEXT_ERROR, SP_CONTEXT_ERROR_NOT_LOGGED_IN,
                                    _("Nobody is logged in."));
  job->allow_offline = self->allow_offline;
  job->scans = scans ? g_ptr_array_ref (scans) : NULL;
  job->issued = g_new0 (SpIssued, 1);
  job->issued->issuance = is = sp_issuance_copy (issuance);
  g_free (is->sede);
  is->sede = g_strdup (self->op->sede);
  g_free (is->operator_id);
  is->operator_id = g_strdup (self->op->id);
  g_free (is->workstation);
  is->workstation = g_strdup (self->workstation);
  g_clear_pointer (&is->verifier, g_free);
  job->paused = g_object_ref (self->engine);
  sp_sync_engine_pause (self->engine);
  start_issue (self, g_steal_pointer (&task));
}

SpIssued *
sp_context_issue_finish (SpContext     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sp_context_void_async (SpContext           *self,
                       SpIssued            *issued,
                       const char          *reason,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, sp_context_void_async);
  /* The clear PIN goes first: whatever happens next, it is not reused. */
  g_clear_pointer (&issued->pin, sp_pin_free);
  issued->state = SP_ISSUED_OFFLINE;
  void_issuance (self, issued->issuance->id, reason, task);
}

gboolean
sp_context_void_finish (SpContext     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
