/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "sp-envelope.h"
#include "sp-print-document.h"

G_BEGIN_DECLS

/* The calibration page for a printer's envelope offsets: rulers along the
 * edges, a cross at 30 mm / 30 mm and the outline of the DL window and of
 * the PIN boxes, all drawn with the offsets given. The operator measures
 * where the cross landed and enters the difference (printed on the page
 * how); printing it again shows the cross in place. Reprintable. */
SpPrintDocument *sp_calibration_document_new (SpEnvelopeLayout layout,
                                              double           offset_x_mm,
                                              double           offset_y_mm);

/* The new offsets from where the cross was measured (mm from the sheet's
 * left and top edges) on a page printed with the current offsets. */
void sp_calibration_compute_offsets (double  measured_x_mm,
                                     double  measured_y_mm,
                                     double  current_x_mm,
                                     double  current_y_mm,
                                     double *new_x_mm,
                                     double *new_y_mm);

#define SP_CALIBRATION_CROSS_MM 30.0

G_END_DECLS
