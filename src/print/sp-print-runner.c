/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-print"

#include "config.h"

#include <glib/gi18n.h>
#include <cups/cups.h>
#include <string.h>
#include <sys/vfs.h>

#include "sp-print-runner.h"

/* GtkPrintOperation's PRINT action crashes on GTK 4.8.3 as soon as it
 * finds the printer (HARNESS.md), so we drive GtkPrintJob directly. Its
 * status cannot tell a stopped queue from a slow one and it has no way to
 * cancel a sent job, so after sending we follow the job in CUPS itself
 * (libcups, on a worker thread): CUPS says whether the paper came out. */

struct _SpPrintRunner
{
  GObject parent_instance;

  GtkPrinter *printer;
  GtkPrintSettings *settings;
  GtkPrintJob *job;
  guint timeout_s;
  gboolean print_once;
  char *queue;        /* CUPS queue name */
  char *title;        /* unique job title: how we find our job in CUPS */
  int job_id;         /* atomic: written by the worker */
  SpPrintOutcome outcome;
  char *message;
};

G_DEFINE_FINAL_TYPE (SpPrintRunner, sp_print_runner, G_TYPE_OBJECT)

#define POLL_INTERVAL_US (100 * 1000)
#define FIND_JOB_TIMEOUT_US (10 * G_USEC_PER_SEC)

const char *
sp_print_outcome_to_string (SpPrintOutcome outcome)
{
  switch (outcome)
    {
    case SP_PRINT_OUTCOME_PRINTED:
      return "printed";
    case SP_PRINT_OUTCOME_CANCELLED:
      return "cancelled";
    case SP_PRINT_OUTCOME_FAILED:
    default:
      return "failed";
    }
}

static void
sp_print_runner_finalize (GObject *object)
{
  SpPrintRunner *self = SP_PRINT_RUNNER (object);

  g_clear_object (&self->job);
  g_clear_object (&self->printer);
  g_clear_object (&self->settings);
  g_free (self->queue);
  g_free (self->title);
  g_free (self->message);
  G_OBJECT_CLASS (sp_print_runner_parent_class)->finalize (object);
}

static void
sp_print_runner_class_init (SpPrintRunnerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sp_print_runner_finalize;
}

static void
sp_print_runner_init (SpPrintRunner *self)
{
  self->timeout_s = 120;
}

SpPrintRunner *
sp_print_runner_new (GtkPrinter       *printer,
                     GtkPrintSettings *settings)
{
  SpPrintRunner *self;

  g_return_val_if_fail (GTK_IS_PRINTER (printer), NULL);

  self = g_object_new (SP_TYPE_PRINT_RUNNER, NULL);
  self->printer = g_object_ref (printer);
  self->settings = settings ? gtk_print_settings_copy (settings) : gtk_print_settings_new ();
  self->queue = g_strdup (gtk_printer_get_name (printer));
  return self;
}

void
sp_print_runner_set_timeout (SpPrintRunner *self,
                             guint          seconds)
{
  g_return_if_fail (SP_IS_PRINT_RUNNER (self));
  self->timeout_s = MAX (seconds, 1);
}

int
sp_print_runner_get_job_id (SpPrintRunner *self)
{
  g_return_val_if_fail (SP_IS_PRINT_RUNNER (self), 0);
  return g_atomic_int_get (&self->job_id);
}

static void
complete (GTask          *task,
          SpPrintOutcome  outcome,
          const char     *message)
{
  SpPrintRunner *self = g_task_get_source_object (task);

  self->outcome = outcome;
  g_free (self->message);
  self->message = g_strdup (message);
  g_task_return_int (task, outcome);
}

SpPrintOutcome
sp_print_runner_print_finish (SpPrintRunner *self,
                              GAsyncResult  *result,
                              char         **message)
{
  g_return_val_if_fail (g_task_is_valid (result, self), SP_PRINT_OUTCOME_FAILED);

  g_task_propagate_int (G_TASK (result), NULL);
  if (message != NULL)
    *message = g_strdup (self->message);
  return self->outcome;
}

/* ---- following the job in CUPS (worker thread) ---- */

/* Our job: the newest of our jobs on the queue with our unique title
 * (other users' job names are private to them in CUPS anyway). */
static int
find_job (SpPrintRunner *self,
          ipp_jstate_t  *state)
{
  cups_job_t *jobs = NULL;
  int n = cupsGetJobs2 (CUPS_HTTP_DEFAULT, &jobs, self->queue, 1, CUPS_WHICHJOBS_ALL);
  int id = 0;

  for (int i = 0; i < n; i++)
    if (g_strcmp0 (jobs[i].title, self->title) == 0 && jobs[i].id > id)
      {
        id = jobs[i].id;
        *state = jobs[i].state;
      }
  cupsFreeJobs (n, jobs);
  return id;
}

/* The state of a job we know, without listing the queue's history. */
static gboolean
job_state (int           id,
           ipp_jstate_t *state)
{
  ipp_t *request = ippNewRequest (IPP_OP_GET_JOB_ATTRIBUTES);
  g_autofree char *uri = g_strdup_printf ("ipp://localhost/jobs/%d", id);
  static const char *const wanted[] = { "job-state" };
  ipp_t *response;
  ipp_attribute_t *attr;
  gboolean ok = FALSE;

  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", NULL, uri);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser ());
  ippAddStrings (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                 G_N_ELEMENTS (wanted), NULL, wanted);
  response = cupsDoRequest (CUPS_HTTP_DEFAULT, request, "/");
  if (response != NULL && (attr = ippFindAttribute (response, "job-state", IPP_TAG_ENUM)) != NULL)
    {
      *state = ippGetInteger (attr, 0);
      ok = TRUE;
    }
  ippDelete (response);
  return ok;
}

/* NULL when the printer can print; else why not, for the operator. */
static char *
printer_problem (const char *queue)
{
  cups_dest_t *dest = cupsGetNamedDest (CUPS_HTTP_DEFAULT, queue, NULL);
  const char *state, *reasons;
  char *problem = NULL;

  if (dest == NULL)
    return g_strdup_printf (_("The printer %s cannot be reached"), queue);
  state = cupsGetOption ("printer-state", dest->num_options, dest->options);
  reasons = cupsGetOption ("printer-state-reasons", dest->num_options, dest->options);
  if (reasons != NULL && strstr (reasons, "media-empty") != NULL)
    problem = g_strdup (_("The printer is out of paper"));
  else if (reasons != NULL && strstr (reasons, "media-jam") != NULL)
    problem = g_strdup (_("The paper is jammed in the printer"));
  else if (reasons != NULL && strstr (reasons, "offline") != NULL)
    problem = g_strdup (_("The printer is offline"));
  else if (g_strcmp0 (state, "5") == 0)   /* IPP_PSTATE_STOPPED */
    problem = g_strdup (_("The printer is stopped"));
  else if (reasons != NULL && g_str_has_suffix (reasons, "-error"))
    problem = g_strdup_printf (_("The printer reports an error (%s)"), reasons);
  cupsFreeDests (1, dest);
  return problem;
}

static void
cancel_job (SpPrintRunner *self,
            int            id,
            gboolean       purge)
{
  if (id > 0 && !cupsCancelJob2 (CUPS_HTTP_DEFAULT, self->queue, id, purge)
      && cupsLastError () > IPP_STATUS_OK_EVENTS_COMPLETE)
    g_warning ("cannot cancel job %d on %s: %s", id, self->queue, cupsLastErrorString ());
}

static SpPrintOutcome
follow (SpPrintRunner *self,
        GCancellable  *cancellable,
        char         **message)
{
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + (gint64) self->timeout_s * G_USEC_PER_SEC;
  ipp_jstate_t state = IPP_JSTATE_PENDING;
  int id = 0;

  for (;; g_usleep (POLL_INTERVAL_US))
    {
      g_autofree char *problem = NULL;

      /* Found once by its title; then asked about by id. */
      if (id == 0 && (id = find_job (self, &state)) > 0)
        g_atomic_int_set (&self->job_id, id);
      else if (id > 0 && !job_state (id, &state))
        state = IPP_JSTATE_PENDING;   /* not answered this time: ask again */
      if (state == IPP_JSTATE_COMPLETED)
        return SP_PRINT_OUTCOME_PRINTED;
      if (state == IPP_JSTATE_CANCELED)
        {
          *message = g_strdup (_("The print job was cancelled"));
          return SP_PRINT_OUTCOME_CANCELLED;
        }
      if (state == IPP_JSTATE_ABORTED)
        {
          *message = g_strdup (_("The printer aborted the job"));
          return SP_PRINT_OUTCOME_FAILED;
        }
      if (g_cancellable_is_cancelled (cancellable))
        {
          cancel_job (self, id, FALSE);
          *message = g_strdup (_("Printing was cancelled"));
          return SP_PRINT_OUTCOME_CANCELLED;
        }
      if (id == 0 && g_get_monotonic_time () - start > FIND_JOB_TIMEOUT_US)
        {
          *message = g_strdup (_("The print job did not reach the printer"));
          return SP_PRINT_OUTCOME_FAILED;
        }
      /* A stopped queue or a printer error does not end the job in CUPS:
       * it would wait, and print the envelope of a voided PIN later. */
      problem = printer_problem (self->queue);
      if (problem == NULL && state == IPP_JSTATE_STOPPED)
        problem = g_strdup (_("The print job was stopped"));
      if (problem == NULL && g_get_monotonic_time () > deadline)
        problem = g_strdup (_("The printer did not finish the job in time"));
      if (problem != NULL)
        {
          cancel_job (self, id, FALSE);
          *message = g_steal_pointer (&problem);
          return SP_PRINT_OUTCOME_FAILED;
        }
    }
}

static void
follow_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SpPrintRunner *self = source;
  char *message = NULL;
  SpPrintOutcome outcome = follow (self, cancellable, &message);
  int id = g_atomic_int_get (&self->job_id);

  /* The spooled envelope holds the PIN: CUPS keeps job files for a day by
   * default (PreserveJobFiles), so we purge ours as soon as it ends. */
  if (self->print_once && id > 0)
    cancel_job (self, id, TRUE);
  g_task_set_task_data (task, message, g_free);
  g_task_return_int (task, outcome);
}

static void
followed (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SpPrintOutcome outcome = g_task_propagate_int (G_TASK (result), NULL);

  complete (task, outcome, g_task_get_task_data (G_TASK (result)));
}

static void
job_sent (GtkPrintJob  *job,
          gpointer      user_data,
          const GError *error)
{
  GTask *task = user_data;
  SpPrintRunner *self = g_task_get_source_object (task);
  GTask *worker;

  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The job could not be sent to the printer: %s"),
                                                  error->message);
      complete (task, SP_PRINT_OUTCOME_FAILED, message);
      g_object_unref (task);
      return;
    }
  worker = g_task_new (self, g_task_get_cancellable (task), followed, task);
  /* A cancelled job still has an outcome to report, CANCELLED. */
  g_task_set_check_cancellable (worker, FALSE);
  g_task_run_in_thread (worker, follow_thread);
  g_object_unref (worker);
}

/* For the log only: CUPS, followed on the worker, decides the outcome. */
static void
job_status_changed (GtkPrintJob *job,
                    gpointer     user_data)
{
  g_debug ("GtkPrintJob status %d", gtk_print_job_get_status (job));
}

static gboolean
is_cups_printer (GtkPrinter *printer)
{
  GtkPrintBackend *backend = gtk_printer_get_backend (printer);

  return backend != NULL && g_str_equal (G_OBJECT_TYPE_NAME (backend), "GtkPrintBackendCups");
}

static gboolean
draw_into_job (SpPrintRunner   *self,
               SpPrintDocument *document,
               GError         **error)
{
  cairo_surface_t *surface = gtk_print_job_get_surface (self->job, error);
  cairo_t *cr;
  gboolean ok;

  if (surface == NULL)
    return FALSE;
  cr = cairo_create (surface);
  ok = sp_print_document_draw (document, cr, SP_A4_WIDTH, SP_A4_HEIGHT, error);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  return ok;
}

void
sp_print_runner_print_async (SpPrintRunner      *self,
                             SpPrintDocument    *document,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *nonce = g_uuid_string_random ();

  g_return_if_fail (SP_IS_PRINT_RUNNER (self));
  g_return_if_fail (self->job == NULL);
  g_return_if_fail (document != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_print_runner_print_async);
  g_task_set_check_cancellable (task, FALSE);
  self->print_once = sp_print_document_is_print_once (document);
  if (!sp_print_document_can_draw (document))
    problem = g_strdup (_("This document can be printed only once"));
  else if (self->print_once && (gtk_printer_is_virtual (self->printer) || !is_cups_printer (self->printer)))
    problem = g_strdup (_("The PIN envelope can only be printed on a real printer, never to a file"));
  /* Checked before drawing: an envelope is not drawn for a printer that
   * cannot print it. */
  else if (is_cups_printer (self->printer))
    problem = printer_problem (self->queue);
  if (problem != NULL)
    {
      /* Whatever the reason, that envelope's chance is spent: its PIN is
       * voided and a new one issued, never this one printed later. */
      sp_print_document_consume (document);
      complete (task, SP_PRINT_OUTCOME_FAILED, problem);
      return;
    }

  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_PORTRAIT);
  gtk_print_settings_set_paper_size (self->settings, a4);
  if (self->print_once)
    gtk_print_settings_set_n_copies (self->settings, 1);
  self->title = g_strdup_printf ("%s (%.8s)", sp_print_document_get_title (document), nonce);
  self->job = gtk_print_job_new (self->title, self->printer, self->settings, setup);
  gtk_print_job_set_track_print_status (self->job, TRUE);
  g_signal_connect (self->job, "status-changed", G_CALLBACK (job_status_changed), NULL);
  if (!draw_into_job (self, document, &error))
    {
      sp_print_document_consume (document);
      complete (task, SP_PRINT_OUTCOME_FAILED, error ? error->message : _("Could not draw the document"));
      return;
    }
  gtk_print_job_send (self->job, job_sent, g_steal_pointer (&task), NULL);
}

gboolean
sp_print_use_memory_spool (void)
{
  const char *runtime = g_get_user_runtime_dir ();
  struct statfs fs;

  /* 0x01021994: TMPFS_MAGIC, without pulling in linux/magic.h. */
  if (runtime == NULL || statfs (runtime, &fs) != 0 || fs.f_type != 0x01021994)
    return FALSE;
  return g_setenv ("TMPDIR", runtime, TRUE);
}

/* ---- finding and choosing printers ---- */

typedef struct {
  char *name;
  GtkPrinter *found;
  guint timer;         /* 0 once the time-out has answered the caller */
} Find;

static void
find_free (gpointer data)
{
  Find *f = data;

  g_clear_handle_id (&f->timer, g_source_remove);
  g_free (f->name);
  g_clear_object (&f->found);
  g_free (f);
}

/* GTK's print backends may never finish listing (a spooler that accepts
 * and never answers, or libcups deb12u10's hang): the caller hears of it
 * instead of waiting for ever. The search itself keeps the task until
 * it ends, if it ever does. */
static gboolean
find_timed_out (gpointer data)
{
  GTask *task = data;
  Find *f = g_task_get_task_data (task);

  f->timer = 0;
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           _("the printing system did not answer; check that the print service is running"));
  return G_SOURCE_REMOVE;
}

static gboolean
find_one (GtkPrinter *printer,
          gpointer    data)
{
  Find *f = g_task_get_task_data (data);

  if (f->found == NULL && g_strcmp0 (gtk_printer_get_name (printer), f->name) == 0)
    f->found = g_object_ref (printer);
  return f->found != NULL;
}

/* gtk_enumerate_printers calls its destroy notify when every backend has
 * listed its printers: the end of the search. */
static void
find_done (gpointer data)
{
  GTask *task = data;
  Find *f = g_task_get_task_data (task);
  gboolean too_late = f->timer == 0;   /* the caller has had the time-out */

  g_clear_handle_id (&f->timer, g_source_remove);
  if (too_late)
    ;
  else if (f->found != NULL)
    g_task_return_pointer (task, g_steal_pointer (&f->found), g_object_unref);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                             _("There is no printer named %s"), f->name);
  g_object_unref (task);
}

void
sp_print_find_printer_async (const char         *name,
                             guint               timeout_s,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Find *f = g_new0 (Find, 1);

  f->name = g_strdup (name);
  f->timer = g_timeout_add_seconds (timeout_s, find_timed_out, task);
  g_task_set_task_data (task, f, find_free);
  gtk_enumerate_printers (find_one, task, find_done, FALSE);
}

GtkPrinter *
sp_print_find_printer_finish (GAsyncResult *result,
                              GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
dialog_response (GtkDialog *dialog,
                 int        response,
                 gpointer   user_data)
{
  GTask *task = user_data;
  GtkPrintUnixDialog *print_dialog = GTK_PRINT_UNIX_DIALOG (dialog);
  gboolean print_once = GPOINTER_TO_INT (g_task_get_task_data (task));
  GtkPrinter *printer = gtk_print_unix_dialog_get_selected_printer (print_dialog);

  if (response == GTK_RESPONSE_OK && printer != NULL && print_once && gtk_printer_is_virtual (printer))
    {
      /* Keep the dialog open: the envelope never goes to a file. */
      gtk_window_set_title (GTK_WINDOW (dialog),
                            _("Choose a printer: the PIN envelope cannot be printed to a file"));
      return;
    }
  if (response == GTK_RESPONSE_OK && printer != NULL)
    {
      g_object_set_data_full (G_OBJECT (task), "settings",
                              gtk_print_unix_dialog_get_settings (print_dialog), g_object_unref);
      g_task_return_pointer (task, g_object_ref (printer), g_object_unref);
    }
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("No printer chosen"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (task);
}

void
sp_print_choose_printer_async (GtkWindow          *parent,
                               gboolean            print_once,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  GtkWidget *dialog = gtk_print_unix_dialog_new (print_once ? _("Print the PIN envelope") : _("Print"),
                                                 parent);
  GtkPrintUnixDialog *print_dialog = GTK_PRINT_UNIX_DIALOG (dialog);

  g_task_set_task_data (task, GINT_TO_POINTER (print_once), NULL);
  /* No copies, ranges or preview for an envelope: one page, once. */
  gtk_print_unix_dialog_set_manual_capabilities (print_dialog,
                                                 print_once ? 0 : GTK_PRINT_CAPABILITY_COPIES
                                                                  | GTK_PRINT_CAPABILITY_PAGE_SET);
  gtk_print_unix_dialog_set_embed_page_setup (print_dialog, FALSE);
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (dialog_response), task);
  gtk_window_present (GTK_WINDOW (dialog));
}

GtkPrinter *
sp_print_choose_printer_finish (GAsyncResult      *result,
                                GtkPrintSettings **settings,
                                GError           **error)
{
  GtkPrinter *printer = g_task_propagate_pointer (G_TASK (result), error);

  if (settings != NULL)
    {
      GtkPrintSettings *s = g_object_get_data (G_OBJECT (result), "settings");

      *settings = s ? g_object_ref (s) : NULL;
    }
  return printer;
}
