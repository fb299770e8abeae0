/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sp-central-client.h"
#include "sp-print-service.h"
#include "sp-scanner.h"
#include "sp-store.h"
#include "sp-sync-engine.h"

G_BEGIN_DECLS

#define SP_TYPE_APPLICATION (sp_application_get_type ())
G_DECLARE_FINAL_TYPE (SpApplication, sp_application, SP, APPLICATION, AdwApplication)

SpApplication *sp_application_new             (void);
GSettings     *sp_application_get_settings    (SpApplication *self);
/* The central URL: $SPORTELLO_CENTRAL_URL if set (demo, tests), else the
 * "central-url" setting. */
char          *sp_application_get_central_url (SpApplication *self);

/* The workstation's store; NULL (and the reason) when it cannot open. */
SpStore       *sp_application_get_store       (SpApplication *self);
const char    *sp_application_get_store_error (SpApplication *self);
SpSyncEngine  *sp_application_get_engine      (SpApplication *self);
SpCentralClient *sp_application_get_client    (SpApplication *self);
/* The one SANE owner of the process, made on first use. */
SpScanner     *sp_application_get_scanner     (SpApplication *self);
char          *sp_application_get_workstation (SpApplication *self);
/* The sede's printer for envelopes or for other documents:
 * $SPORTELLO_PRINTER (tests, demo), or the one remembered. */
char          *sp_application_get_printer_name (SpApplication *self,
                                                gboolean       envelope);
/* Printing straight through CUPS, shared by every page. */
SpPrintService *sp_application_get_print_service (SpApplication *self);
void           sp_application_remember_printer (SpApplication *self,
                                                gboolean       envelope,
                                                const char    *name);

/* The session: who is at the counter, and whether they logged in
 * offline (with the cached verifier, DESIGN §4). */
const SpOperator *sp_application_get_operator (SpApplication *self);
gboolean       sp_application_get_offline_session (SpApplication *self);
void           sp_application_log_in          (SpApplication    *self,
                                               const SpOperator *op,
                                               const char       *password,
                                               gboolean          offline);
void           sp_application_log_out         (SpApplication *self);

G_END_DECLS
