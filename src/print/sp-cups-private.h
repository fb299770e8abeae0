/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cups/cups.h>
#include <gio/gio.h>

#include "sp-print-document.h"
#include "sp-printer-info.h"

G_BEGIN_DECLS

/* The blocking half of SpPrintService: libcups calls for one worker
 * thread, on a connection of its own with a bounded wait for each answer
 * (libcups's default connection waits for ever). */
typedef struct _SpCups SpCups;

SpCups        *sp_cups_open   (guint               answer_s,
                               guint               job_s,
                               GCancellable       *cancellable,
                               GError            **error);
void           sp_cups_close  (SpCups             *cups);
GPtrArray     *sp_cups_list   (SpCups             *cups,
                               GError            **error);
SpPrinterInfo *sp_cups_get    (SpCups             *cups,
                               const char         *name,
                               GError            **error);
/* Sends spool to printer and follows the job to its end (see
 * sp_print_service_print_async); the spool is wiped as soon as it is
 * sent. *job_id is set as soon as the job exists. */
gboolean       sp_cups_print  (SpCups             *cups,
                               const char         *printer,
                               const char         *title,
                               SpPrintSpool       *spool,
                               gboolean            purge,
                               const char *const  *job_options,
                               int                *job_id,
                               GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCups, sp_cups_close)

G_END_DECLS
