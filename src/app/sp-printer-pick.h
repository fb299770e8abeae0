/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-application.h"

G_BEGIN_DECLS

/* The sede's printer for envelopes (envelope TRUE) or other documents:
 * the remembered one when CUPS still has it, otherwise chosen once in the
 * print dialog and remembered. then () gets the printer (NULL, with why,
 * when none was chosen) and the dialog's settings (NULL when remembered). */
typedef void (*SpPrinterPicked) (GtkWidget        *owner,
                                 GtkPrinter       *printer,
                                 GtkPrintSettings *settings,
                                 const GError     *error);

void sp_printer_pick (SpApplication   *app,
                      GtkWidget       *owner,
                      gboolean         envelope,
                      GCancellable    *cancellable,
                      SpPrinterPicked  then);

G_END_DECLS
