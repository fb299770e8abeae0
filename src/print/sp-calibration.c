/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-print"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-calibration.h"
#include "sp-print-layout.h"

typedef struct {
  SpEnvelopeLayout layout;
  double x_mm;
  double y_mm;
} Calibration;

void
sp_calibration_compute_offsets (double  measured_x_mm,
                                double  measured_y_mm,
                                double  current_x_mm,
                                double  current_y_mm,
                                double *new_x_mm,
                                double *new_y_mm)
{
  /* The page was shifted by -current; the printer added its own error e:
   * measured = cross - current + e, so e = measured - cross + current. */
  *new_x_mm = measured_x_mm - SP_CALIBRATION_CROSS_MM + current_x_mm;
  *new_y_mm = measured_y_mm - SP_CALIBRATION_CROSS_MM + current_y_mm;
}

static void
rulers (cairo_t *cr)
{
  cairo_set_line_width (cr, 0.3);
  for (int mm = 10; mm <= 200; mm += 1)
    {
      double len = mm % 10 == 0 ? 4 : mm % 5 == 0 ? 2.5 : 1.5;

      cairo_move_to (cr, SP_MM (mm), SP_MM (8));
      cairo_line_to (cr, SP_MM (mm), SP_MM (8 + len));
      if (mm <= 287)
        {
          cairo_move_to (cr, SP_MM (8), SP_MM (mm));
          cairo_line_to (cr, SP_MM (8 + len), SP_MM (mm));
        }
    }
  for (int mm = 201; mm <= 287; mm++)
    {
      double len = mm % 10 == 0 ? 4 : mm % 5 == 0 ? 2.5 : 1.5;

      cairo_move_to (cr, SP_MM (8), SP_MM (mm));
      cairo_line_to (cr, SP_MM (8 + len), SP_MM (mm));
    }
  cairo_stroke (cr);
  for (int mm = 20; mm <= 200; mm += 20)
    {
      g_autofree char *n = g_strdup_printf ("%d", mm);

      sp_print_text (cr, SP_MM (mm) - SP_MM (2), SP_MM (13), -1, SP_FONT_LABEL, n);
      sp_print_text (cr, SP_MM (13), SP_MM (mm) - SP_MM (1.5), -1, SP_FONT_LABEL, n);
    }
}

static void
calibration_draw_page (cairo_t  *cr,
                       double    width,
                       double    height,
                       guint     page,
                       gpointer  data)
{
  Calibration *c = data;
  const double cx = SP_MM (SP_CALIBRATION_CROSS_MM), cy = SP_MM (SP_CALIBRATION_CROSS_MM);
  double wx, wy, ww, wh;
  g_autofree char *current = g_strdup_printf (_("Current offsets: horizontal %.1f mm, vertical %.1f mm."),
                                              c->x_mm, c->y_mm);

  cairo_translate (cr, -SP_MM (c->x_mm), -SP_MM (c->y_mm));
  cairo_set_source_rgb (cr, 0, 0, 0);
  rulers (cr);
  cairo_set_line_width (cr, 0.4);
  cairo_move_to (cr, cx - SP_MM (6), cy);
  cairo_line_to (cr, cx + SP_MM (6), cy);
  cairo_move_to (cr, cx, cy - SP_MM (6));
  cairo_line_to (cr, cx, cy + SP_MM (6));
  cairo_stroke (cr);
  cairo_arc (cr, cx, cy, SP_MM (2), 0, 2 * G_PI);
  cairo_stroke (cr);

  sp_envelope_get_window (&wx, &wy, &ww, &wh);
  cairo_set_dash (cr, (double[]) { 3, 2 }, 2, 0);
  sp_print_box (cr, SP_MM (wx), SP_MM (wy), SP_MM (ww), SP_MM (wh), 0.5);
  cairo_set_dash (cr, NULL, 0, 0);
  sp_print_text (cr, SP_MM (wx + 2), SP_MM (wy + 2), SP_MM (ww - 4), SP_FONT_SMALL,
                 _("The address must fall inside this box, the envelope's window."));

  sp_print_text (cr, SP_MM (45), SP_MM (22), SP_MM (140), SP_FONT_TITLE,
                 c->layout == SP_ENVELOPE_LAYOUT_A4_DL ? _("Calibration: A4 for DL window envelopes")
                                                       : _("Calibration: PIN-mailer stationery"));
  sp_print_text (cr, SP_MM (45), SP_MM (32), SP_MM (140), SP_FONT_BODY,
                 _("Measure, with a ruler, the distance of the centre of the cross from the left edge and "
                   "from the top edge of the sheet, and enter the two figures in the printer's settings: "
                   "the offsets are computed from them. Then print this page again: the cross must be "
                   "at 30 mm from both edges, on the rulers' 30 mm marks."));
  sp_print_text (cr, SP_MM (45), SP_MM (110), SP_MM (140), SP_FONT_BODY, current);
}

SpPrintDocument *
sp_calibration_document_new (SpEnvelopeLayout layout,
                             double           offset_x_mm,
                             double           offset_y_mm)
{
  Calibration *c = g_new0 (Calibration, 1);

  c->layout = layout;
  c->x_mm = offset_x_mm;
  c->y_mm = offset_y_mm;
  return sp_print_document_new ("Sportello PIN calibration", FALSE, 1, calibration_draw_page, c, g_free);
}
