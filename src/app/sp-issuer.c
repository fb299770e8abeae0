/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-issuer.h"

G_DEFINE_QUARK (sp-issuer-error-quark, sp_issuer_error)

typedef struct {
  guint busy_retries;
  SpStore *store;
  SpSyncEngine *engine;
  SpRequest *request;
  SpOperator *op;
  char *workstation;
  gboolean allow_offline;
  SpIssued *issued;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->engine);
  g_clear_object (&job->request);
  sp_operator_free (job->op);
  g_free (job->workstation);
  sp_issued_free (job->issued);
  g_free (job);
}

void
sp_issued_free (SpIssued *issued)
{
  if (issued == NULL)
    return;
  sp_issuance_free (issued->issuance);
  sp_pin_free (issued->pin);   /* wiped: sodium_free */
  g_free (issued);
}

/* Argon2id takes a tenth of a second and 64 MiB: not on the main loop. */
static void
make_verifier (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  char *verifier = sp_pin_make_verifier (job->issued->pin, &error);

  if (verifier == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, verifier, g_free);
}

static GPtrArray *
scans_of (SpRequest *request)
{
  g_autoptr(GArray) kinds = sp_request_required_attachments (request);
  GPtrArray *scans = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < kinds->len; i++)
    {
      SpStoreScan *scan = g_new0 (SpStoreScan, 1);

      scan->kind = g_array_index (kinds, guint, i);
      scan->pdf = sp_request_get_attachment (request, scan->kind, NULL);
      g_ptr_array_add (scans, scan);
    }
  return scans;
}

static void on_synced (GObject *source, GAsyncResult *result, gpointer user_data);

static gboolean
sync_again (gpointer user_data)
{
  GTask *task = user_data;
  Job *job = g_task_get_task_data (task);

  sp_sync_engine_sync_async (job->engine, g_task_get_cancellable (task), on_synced, task);
  return G_SOURCE_REMOVE;
}

static void
on_synced (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;

  if (!sp_sync_engine_sync_finish (SP_SYNC_ENGINE (source), result, &error)
      && g_error_matches (error, SP_SYNC_ERROR, SP_SYNC_ERROR_BUSY) && job->busy_retries++ < 100)
    {
      /* The timer's run is going: ours follows it, with this issuance. */
      g_timeout_add (100, sync_again, g_steal_pointer (&task));
      return;
    }
  status = sp_store_issuance_status (job->store, job->issued->issuance->id);
  job->issued->active = g_strcmp0 (status, "active") == 0;
  if (!job->issued->active && !job->allow_offline)
    {
      /* Nothing may be handed over that central has not activated. */
      sp_store_void_issuance (job->store, job->issued->issuance->id,
                              "central unreachable; offline issuance not allowed", job->op->id, NULL);
      return g_task_return_new_error (task, SP_ISSUER_ERROR, SP_ISSUER_ERROR_OFFLINE_REFUSED,
                                      _("Central did not confirm the PIN and this sede does not allow "
                                        "offline issuance: try again when the connection is back."));
    }
  g_task_return_pointer (task, g_steal_pointer (&job->issued), (GDestroyNotify) sp_issued_free);
}

static void
commit (GTask *task,
        char  *verifier)
{
  Job *job = g_task_get_task_data (task);
  SpIssuance *is = job->issued->issuance;
  g_autoptr(GPtrArray) scans = scans_of (job->request);
  g_autoptr(GError) error = NULL;

  is->verifier = verifier;
  is->issued_at = sp_sync_engine_corrected_now (job->engine);
  is->clock_skew_ms = sp_sync_engine_get_clock_skew_ms (job->engine);
  is->sede = g_strdup (job->op->sede);
  is->operator_id = g_strdup (job->op->id);
  is->workstation = g_strdup (job->workstation);
  is->offline = !sp_sync_engine_get_online (job->engine);
  if (!sp_store_commit_issuance (job->store, is, scans, job->op->id, &error))
    {
      g_task_return_new_error (task, SP_ISSUER_ERROR, SP_ISSUER_ERROR_STORE,
                               _("The issuance could not be saved: %s"), error->message);
      g_object_unref (task);
      return;
    }
  /* Online, the envelope waits for central's 201 (DESIGN §5). */
  sp_sync_engine_sync_async (job->engine, g_task_get_cancellable (task), on_synced, task);
}

static void
on_verifier (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  char *verifier = g_task_propagate_pointer (G_TASK (result), &error);

  if (verifier == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  commit (task, verifier);
}

void
sp_issuer_issue_async (SpStore             *store,
                       SpSyncEngine        *engine,
                       SpRequest           *request,
                       const SpOperator    *op,
                       const char          *workstation,
                       gboolean             allow_offline,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GTask) worker = NULL;
  Job *job = g_new0 (Job, 1);
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  g_task_set_source_tag (task, sp_issuer_issue_async);
  job->store = store;
  job->engine = g_object_ref (engine);
  job->request = g_object_ref (request);
  job->op = sp_operator_copy (op);
  job->workstation = g_strdup (workstation);
  job->allow_offline = allow_offline;
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  for (SpStep step = SP_REQUEST_STEP_CITIZEN; step < SP_REQUEST_STEP_ISSUE; step++)
    if (!sp_request_step_ok (request, step, &today))
      {
        g_task_return_new_error (task, SP_ISSUER_ERROR, SP_ISSUER_ERROR_INCOMPLETE,
                                 _("The request is not complete: go back to the marked step."));
        g_object_unref (task);
        return;
      }
  job->issued = g_new0 (SpIssued, 1);
  job->issued->issuance = sp_request_build_issuance (request);
  job->issued->pin = sp_pin_generate ();
  worker = g_task_new (NULL, cancellable, on_verifier, task);
  g_task_set_task_data (worker, job, NULL);
  g_task_run_in_thread (worker, make_verifier);
}

SpIssued *
sp_issuer_issue_finish (GAsyncResult *result,
                        GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
sp_issuer_void (SpStore      *store,
                SpSyncEngine *engine,
                SpIssued     *issued,
                const char   *reason,
                const char   *actor,
                GError      **error)
{
  /* The clear PIN goes first: whatever happens next, it is not reused. */
  g_clear_pointer (&issued->pin, sp_pin_free);
  issued->active = FALSE;
  if (!sp_store_void_issuance (store, issued->issuance->id, reason, actor, error))
    return FALSE;
  sp_sync_engine_kick (engine);
  return TRUE;
}
