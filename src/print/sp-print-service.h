/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sp-print-document.h"
#include "sp-printer-info.h"

G_BEGIN_DECLS

/* Printing straight through CUPS, with no GTK: libcups's blocking
 * destination API on worker threads, each call on its own connection
 * with bounded waits, results back on the caller's main context. The
 * print system is the one of the environment (CUPS_SERVER, client.conf).
 * Errors are SP_PRINT_ERROR. */
#define SP_TYPE_PRINT_SERVICE (sp_print_service_get_type ())
G_DECLARE_FINAL_TYPE (SpPrintService, sp_print_service, SP, PRINT_SERVICE, GObject)

SpPrintService *sp_print_service_new          (void);
/* answer_s: how long cupsd may take to answer one request before it is
 * reported UNREACHABLE (default 10 s); job_s: how long a job may take to
 * complete before it is cancelled and reported TIMED_OUT (default 120 s). */
void            sp_print_service_set_timeouts (SpPrintService *self,
                                               guint           answer_s,
                                               guint           job_s);
guint           sp_print_service_get_job_timeout (SpPrintService *self);

/* Every queue with its state (a GPtrArray of SpPrinterInfo). */
void            sp_print_service_list_printers_async  (SpPrintService     *self,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
GPtrArray      *sp_print_service_list_printers_finish (SpPrintService     *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);

/* One queue's state, asked now. NOT_CONFIGURED for an empty name,
 * NOT_FOUND, UNREACHABLE; the info is returned even when the printer is
 * stopped (sp_printer_info_check says so). */
void            sp_print_service_get_printer_async    (SpPrintService     *self,
                                                       const char         *name,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
SpPrinterInfo  *sp_print_service_get_printer_finish   (SpPrintService     *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);

/* Draws document as a PDF in memory before returning (the envelope's one
 * drawing: it is consumed whatever happens next), then on a worker: checks
 * the printer (PRINTER_STOPPED before any job exists), creates the job,
 * streams the PDF to cupsd, wipes it, and follows the job until CUPS says
 * it is completed (TRUE), or cancelled, aborted, stopped (the job is then
 * cancelled, so a voided PIN never prints later), past the job timeout,
 * or cupsd stops answering. Cancelling cancellable cancels the job. A
 * print-once document's job files are purged from the spool at the end.
 * job_options: extra IPP job attributes "name=value" (nullable). */
void            sp_print_service_print_async          (SpPrintService     *self,
                                                       const char         *printer,
                                                       SpPrintDocument    *document,
                                                       const char *const  *job_options,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
/* job_id: the CUPS job id, or 0 when no job was created. */
gboolean        sp_print_service_print_finish         (SpPrintService     *self,
                                                       GAsyncResult       *result,
                                                       int                *job_id,
                                                       GError            **error);

G_END_DECLS
