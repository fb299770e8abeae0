/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sp-envelope.h"
#include "sp-print-service.h"

G_BEGIN_DECLS

/* The print keys of the application's GSettings schema: the envelope
 * layout and each printer's calibration offsets (envelope-offsets). */
SpEnvelopeLayout sp_print_settings_get_layout  (GSettings  *settings);
/* (0, 0) for a printer never calibrated. */
void             sp_print_settings_get_offsets (GSettings  *settings,
                                                const char *printer,
                                                double     *x_mm,
                                                double     *y_mm);
void             sp_print_settings_set_offsets (GSettings  *settings,
                                                const char *printer,
                                                double      x_mm,
                                                double      y_mm);
/* The service's job timeout is the sede's print-timeout-seconds, now
 * and after each change (cupsd gets 5 s per answer). */
void             sp_print_settings_bind_service (GSettings      *settings,
                                                 SpPrintService *service);

G_END_DECLS
