/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sp-print-service.h"

G_BEGIN_DECLS

#define SP_TYPE_PRINTER_PAGE (sp_printer_page_get_type ())
G_DECLARE_FINAL_TYPE (SpPrinterPage, sp_printer_page, SP, PRINTER_PAGE, AdwPreferencesPage)

/* The Printers page of the preferences window (keys envelope-printer and
 * document-printer of settings). */
GtkWidget *sp_printer_page_new (GSettings      *settings,
                                SpPrintService *service);

G_END_DECLS
