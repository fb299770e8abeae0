/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-application.h"
#include "sp-print-service.h"

G_BEGIN_DECLS

/* The sede's printer for envelopes (envelope TRUE) or for the other
 * documents, as chosen once in Preferences → Printers, checked with CUPS
 * now. then () gets the queue name when it can print, or NULL and why
 * (SP_PRINT_ERROR: not chosen, gone, stopped or paused, out of paper, the
 * print system not answering), said so that the operator knows what to
 * do. No dialog. */
typedef void (*SpPrinterPicked) (GtkWidget    *owner,
                                 const char   *printer,
                                 const GError *error);

void sp_printer_pick (SpApplication   *app,
                      GtkWidget       *owner,
                      gboolean         envelope,
                      GCancellable    *cancellable,
                      SpPrinterPicked  then);

/* The operator's words for a print that did not happen: error's message,
 * which for SpPrintError already says what to do. */
const char *sp_printer_pick_reason (const GError *error);

G_END_DECLS
