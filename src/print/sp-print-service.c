/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-print"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-cups-private.h"
#include "sp-print-service.h"

/* The app prints through CUPS itself rather than GTK's print backend:
 * on Debian 12's cups 2.4.2-3+deb12u10 that backend spins for ever on
 * its first request (OpenPrinting/cups#1429), and GtkPrintJob can neither
 * say whether the paper came out nor cancel a job. libcups's blocking
 * calls run here on GTask worker threads; nothing blocks the UI. */

struct _SpPrintService
{
  GObject parent_instance;

  guint answer_s;
  guint job_s;
};

G_DEFINE_FINAL_TYPE (SpPrintService, sp_print_service, G_TYPE_OBJECT)

static void
sp_print_service_class_init (SpPrintServiceClass *klass)
{
}

static void
sp_print_service_init (SpPrintService *self)
{
  self->answer_s = 10;
  self->job_s = 120;
}

SpPrintService *
sp_print_service_new (void)
{
  return g_object_new (SP_TYPE_PRINT_SERVICE, NULL);
}

void
sp_print_service_set_timeouts (SpPrintService *self,
                               guint           answer_s,
                               guint           job_s)
{
  g_return_if_fail (SP_IS_PRINT_SERVICE (self));

  /* Read by the jobs' worker threads when they open cupsd. */
  g_atomic_int_set (&self->answer_s, MAX (answer_s, 1));
  g_atomic_int_set (&self->job_s, MAX (job_s, 1));
}

guint
sp_print_service_get_job_timeout (SpPrintService *self)
{
  g_return_val_if_fail (SP_IS_PRINT_SERVICE (self), 0);
  return g_atomic_int_get (&self->job_s);
}

static SpCups *
open_cups (SpPrintService *self,
           GCancellable   *cancellable,
           GError        **error)
{
  return sp_cups_open (g_atomic_int_get (&self->answer_s), g_atomic_int_get (&self->job_s), cancellable, error);
}

/* ---- listing ---- */

static void
list_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  g_autoptr(SpCups) cups = open_cups (source, cancellable, &error);
  GPtrArray *list = cups ? sp_cups_list (cups, &error) : NULL;

  if (list == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
}

void
sp_print_service_list_printers_async (SpPrintService     *self,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SP_IS_PRINT_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_print_service_list_printers_async);
  g_task_run_in_thread (task, list_thread);
}

GPtrArray *
sp_print_service_list_printers_finish (SpPrintService *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- one printer ---- */

static void
get_thread (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;
  g_autoptr(SpCups) cups = open_cups (source, cancellable, &error);
  SpPrinterInfo *info = cups ? sp_cups_get (cups, task_data, &error) : NULL;

  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, (GDestroyNotify) sp_printer_info_free);
}

void
sp_print_service_get_printer_async (SpPrintService     *self,
                                    const char         *name,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SP_IS_PRINT_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_print_service_get_printer_async);
  if (name == NULL || *name == '\0')
    {
      g_task_return_new_error (task, SP_PRINT_ERROR, SP_PRINT_ERROR_NOT_CONFIGURED,
                               _("No printer is chosen for this document: choose one in Preferences → Printers"));
      return;
    }
  g_task_set_task_data (task, g_strdup (name), g_free);
  g_task_run_in_thread (task, get_thread);
}

SpPrinterInfo *
sp_print_service_get_printer_finish (SpPrintService *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- printing ---- */

typedef struct {
  char *printer;
  char *title;
  GStrv job_options;
  SpPrintSpool *spool;
  gboolean purge;
  int job_id;          /* set by the worker, read after it returned */
} Job;

static void
job_free (Job *job)
{
  g_free (job->printer);
  g_free (job->title);
  g_strfreev (job->job_options);
  sp_print_spool_free (job->spool);
  g_free (job);
}

static void
print_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  g_autoptr(SpCups) cups = open_cups (source, cancellable, &error);

  if (cups != NULL && sp_cups_print (cups, job->printer, job->title, job->spool, job->purge,
                                     (const char *const *) job->job_options, &job->job_id, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  g_clear_pointer (&job->spool, sp_print_spool_free);
}

void
sp_print_service_print_async (SpPrintService     *self,
                              const char         *printer,
                              SpPrintDocument    *document,
                              const char *const  *job_options,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *nonce = g_uuid_string_random ();
  GError *error = NULL;
  Job *job;

  g_return_if_fail (SP_IS_PRINT_SERVICE (self));
  g_return_if_fail (document != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_print_service_print_async);
  if (printer == NULL || *printer == '\0')
    {
      /* Whatever the reason, an envelope's chance is spent: its PIN is
       * voided and a new one issued, never this one printed later. */
      sp_print_document_consume (document);
      g_task_return_new_error (task, SP_PRINT_ERROR, SP_PRINT_ERROR_NOT_CONFIGURED,
                               _("No printer is chosen for this document: choose one in Preferences → Printers"));
      return;
    }
  /* A cancelled job still has an outcome to report, with its reason. */
  g_task_set_check_cancellable (task, FALSE);
  job = g_new0 (Job, 1);
  job->printer = g_strdup (printer);
  job->title = g_strdup_printf ("%s (%.8s)", sp_print_document_get_title (document), nonce);
  job->job_options = g_strdupv ((GStrv) job_options);
  job->purge = sp_print_document_is_print_once (document);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  /* Drawn here, in the caller's thread, while the caller's data (the
   * PIN) is alive; from now on the worker has only the PDF bytes. */
  job->spool = sp_print_document_spool (document, &error);
  if (job->spool == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_run_in_thread (task, print_thread);
}

gboolean
sp_print_service_print_finish (SpPrintService *self,
                               GAsyncResult   *result,
                               int            *job_id,
                               GError        **error)
{
  Job *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  job = g_task_get_task_data (G_TASK (result));
  if (job_id != NULL)
    *job_id = job ? job->job_id : 0;
  return g_task_propagate_boolean (G_TASK (result), error);
}
