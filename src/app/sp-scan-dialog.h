/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sp-scanner.h"

G_BEGIN_DECLS

#define SP_TYPE_SCAN_DIALOG (sp_scan_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SpScanDialog, sp_scan_dialog, SP, SCAN_DIALOG, AdwWindow)

/* Scans one attachment: the device (remembered per workstation), the
 * source (glass, feeder, both sides), a preview that fills in as lines
 * arrive, cancel at any moment, a clear message and a retry on failure.
 * An identity document scanned on the glass is cut out and straightened.
 * "scanned" (GPtrArray of SpScanPage) hands the pages over; nothing is
 * ever written to disk. */
SpScanDialog *sp_scan_dialog_new (GtkWindow  *parent,
                                  SpScanner  *scanner,
                                  const char *title,
                                  gboolean    colour_document);

G_END_DECLS
