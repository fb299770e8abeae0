/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <gtk/gtkunixprint.h>

#include "sp-print-document.h"

G_BEGIN_DECLS

/* How a print job ended, as CUPS saw it. Only PRINTED means the paper
 * came out: for the PIN envelope, anything else voids the PIN. */
typedef enum {
  SP_PRINT_OUTCOME_PRINTED,
  SP_PRINT_OUTCOME_CANCELLED,  /* by the operator, or on the printer/queue */
  SP_PRINT_OUTCOME_FAILED,     /* printer stopped, out of paper, error, timeout, refused */
} SpPrintOutcome;

const char *sp_print_outcome_to_string (SpPrintOutcome outcome);  /* "printed", … */

#define SP_TYPE_PRINT_RUNNER (sp_print_runner_get_type ())
G_DECLARE_FINAL_TYPE (SpPrintRunner, sp_print_runner, SP, PRINT_RUNNER, GObject)

/* One runner per job. settings (nullable) are those chosen in the print
 * dialog or remembered for the sede; the page is always A4. */
SpPrintRunner  *sp_print_runner_new          (GtkPrinter       *printer,
                                              GtkPrintSettings *settings);
/* How long a job may take from sending to completion before it is
 * cancelled and reported FAILED (default 120 s). */
void            sp_print_runner_set_timeout  (SpPrintRunner    *runner,
                                              guint             seconds);
/* Draws document into the job's surface (GtkPrintJob: the spool data is
 * GTK's, nothing is written by us), sends it, and follows the job through
 * CUPS until it is completed, cancelled or aborted, the printer stops or
 * reports an error, or the timeout. Cancelling cancellable cancels the
 * CUPS job. A print-once document is refused on a virtual printer ("Print
 * to File") and its job's files are purged from the CUPS spool at the
 * end. The document is drawn before this function returns. */
void            sp_print_runner_print_async  (SpPrintRunner    *runner,
                                              SpPrintDocument  *document,
                                              GCancellable     *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer          user_data);
/* message: for the operator, when not PRINTED (nullable out). */
SpPrintOutcome  sp_print_runner_print_finish (SpPrintRunner    *runner,
                                              GAsyncResult     *result,
                                              char            **message);
/* The CUPS job id, once known (0 before). */
int             sp_print_runner_get_job_id   (SpPrintRunner    *runner);

/* GtkPrintJob spools the drawn document in $TMPDIR/gtkprint_XXXXXX (0600,
 * unlinked at once, read back when sent): for the envelope that is the
 * PIN, in a deleted file on disk for the job's lifetime. Call this first
 * thing in main (before anything asks GLib for the temporary folder): it
 * points TMPDIR at the user's runtime folder when that is a tmpfs, so the
 * spool never reaches a disk. Returns whether it did. */
gboolean        sp_print_use_memory_spool    (void);

/* The printer with this name (as CUPS names the queue), or NULL:
 * G_IO_ERROR_NOT_FOUND when the print system has no such printer,
 * G_IO_ERROR_TIMED_OUT when it has not listed its printers within
 * timeout_s (a spooler that does not answer; see README, Known issues). */
void            sp_print_find_printer_async  (const char       *name,
                                              guint             timeout_s,
                                              GCancellable     *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer          user_data);
GtkPrinter     *sp_print_find_printer_finish (GAsyncResult     *result,
                                              GError          **error);

/* A GtkPrintUnixDialog; for print-once documents a virtual printer
 * ("Print to File") is not accepted. Returns the printer and the
 * settings chosen; G_IO_ERROR_CANCELLED when the dialog is dismissed. */
void            sp_print_choose_printer_async  (GtkWindow      *parent,
                                                gboolean        print_once,
                                                GCancellable   *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer        user_data);
GtkPrinter     *sp_print_choose_printer_finish (GAsyncResult   *result,
                                                GtkPrintSettings **settings,
                                                GError        **error);

G_END_DECLS
