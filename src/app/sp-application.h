/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sp-context.h"
#include "sp-print-service.h"
#include "sp-scanner.h"

G_BEGIN_DECLS

#define SP_TYPE_APPLICATION (sp_application_get_type ())
G_DECLARE_FINAL_TYPE (SpApplication, sp_application, SP, APPLICATION, AdwApplication)

SpApplication *sp_application_new             (void);
GSettings     *sp_application_get_settings    (SpApplication *self);
/* The central URL: $SPORTELLO_CENTRAL_URL if set (demo, tests), else the
 * "central-url" setting. */
char          *sp_application_get_central_url (SpApplication *self);

/* The workstation context the window hands to its pages; NULL (and the
 * reason) when the store cannot open. */
SpContext     *sp_application_get_context     (SpApplication *self);
/* A request closed or a print ended: the heap's free pages (the scans'
 * PDFs, the print's surfaces, Argon2's work) go back to the system, on
 * an idle moment. */
void           sp_application_trim_memory     (SpApplication *self);
const char    *sp_application_get_store_error (SpApplication *self);
/* The one SANE owner of the process, made on first use. */
SpScanner     *sp_application_get_scanner     (SpApplication *self);
/* The sede's printer for envelopes or for other documents:
 * $SPORTELLO_PRINTER (tests, demo), or the one remembered. */
char          *sp_application_get_printer_name (SpApplication *self,
                                                gboolean       envelope);
/* Printing straight through CUPS, shared by every page. */
SpPrintService *sp_application_get_print_service (SpApplication *self);
void           sp_application_remember_printer (SpApplication *self,
                                                gboolean       envelope,
                                                const char    *name);

G_END_DECLS
