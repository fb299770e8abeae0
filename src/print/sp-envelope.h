/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "sp-issuance.h"
#include "sp-pin.h"
#include "sp-print-document.h"

G_BEGIN_DECLS

/* The sealed PIN envelope (R2): printed once, from the PIN in guarded
 * memory, never saved as a file. */
typedef enum {
  /* Plain A4, folded in three (letter fold, at 99 and 198 mm) into a DL
   * (110 x 220 mm) window envelope: the address shows through the window,
   * the PIN sits in the middle third, on a security tint, inside. */
  SP_ENVELOPE_LAYOUT_A4_DL,
  /* Pre-printed A4 PIN-mailer stationery: the fixed texts and the tint are
   * on the stationery; we print the variable data in its boxes. */
  SP_ENVELOPE_LAYOUT_MAILER,
} SpEnvelopeLayout;

typedef struct {
  SpEnvelopeLayout layout;
  const char *sede_name;      /* "Roma Monteverde" */
  const char *sede_address;   /* one line, the return address */
  /* Per-printer calibration (GSettings envelope-offset-x/y-mm): where the
   * printer actually puts a point asked at (0, 0), in mm; positive x goes
   * right, positive y goes down. We shift by the opposite. */
  double offset_x_mm;
  double offset_y_mm;
} SpEnvelopeOptions;

/* The DL window this layout is made for, on the unfolded A4 sheet, in mm
 * from its top left corner: a 90 x 45 mm window, 20 mm from the left and
 * 15 mm from the bottom of a 110 x 220 mm envelope; the top third of the
 * sheet can sit anywhere in the envelope's 11 mm of play, so the address
 * block is kept inside the part of the window that is visible whatever
 * the play (x 20–110, y 50–84). */
void sp_envelope_get_window      (double *x_mm,
                                  double *y_mm,
                                  double *width_mm,
                                  double *height_mm);
/* Where the address block is drawn (inside the window), in mm. */
void sp_envelope_get_address_box (double *x_mm,
                                  double *y_mm,
                                  double *width_mm,
                                  double *height_mm);

/* Draws the envelope page on an A4 page (points) from the PIN's guarded
 * memory: the halves are read straight into the text layouts and every
 * transient buffer is wiped. */
void sp_envelope_draw (cairo_t                 *cr,
                       const SpIssuance        *issuance,
                       const SpPin             *pin,
                       const SpEnvelopeOptions *options);

/* A print-once document of the envelope. pin is borrowed: it must stay
 * alive until the document is drawn (sp_print_runner draws it when the
 * job starts) and is forgotten right after. */
SpPrintDocument *sp_envelope_document_new (const SpIssuance        *issuance,
                                           const SpPin             *pin,
                                           const SpEnvelopeOptions *options);

G_END_DECLS
