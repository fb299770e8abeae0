/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-print"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <math.h>
#include <string.h>

#include "sp-applicant.h"
#include "sp-envelope.h"
#include "sp-print-layout.h"

/* Geometry in mm on the A4 sheet (see sp-envelope.h). */
#define WINDOW_X 20.0
#define WINDOW_Y 50.0
#define WINDOW_W 90.0
#define WINDOW_H 45.0
#define ADDRESS_X 25.0
#define ADDRESS_Y 52.0
#define ADDRESS_W 80.0
#define ADDRESS_H 31.0
#define FOLD_1 99.0
#define FOLD_2 198.0
/* The PIN boxes: in the middle third for the DL fold; on the mailer
 * stationery, where its pre-printed PIN boxes are. */
#define PIN_Y_DL 128.0
#define PIN_Y_MAILER 120.0
#define PIN_BOX_W 78.0
#define PIN_BOX_H 22.0

void
sp_envelope_get_window (double *x_mm,
                        double *y_mm,
                        double *width_mm,
                        double *height_mm)
{
  *x_mm = WINDOW_X;
  *y_mm = WINDOW_Y;
  *width_mm = WINDOW_W;
  *height_mm = WINDOW_H;
}

void
sp_envelope_get_address_box (double *x_mm,
                             double *y_mm,
                             double *width_mm,
                             double *height_mm)
{
  *x_mm = ADDRESS_X;
  *y_mm = ADDRESS_Y;
  *width_mm = ADDRESS_W;
  *height_mm = ADDRESS_H;
}

static void
draw_address (cairo_t                 *cr,
              const SpIssuance        *issuance,
              const SpEnvelopeOptions *options)
{
  gboolean has_address = options->sede_address != NULL && *options->sede_address != '\0';
  /* No dangling comma when the sede's street is not known. */
  g_autofree char *sender = g_strdup_printf ("INPS — %s%s%s", options->sede_name ? options->sede_name : "",
                                             has_address ? ", " : "", has_address ? options->sede_address : "");
  g_autofree char *name = sp_print_person_name (issuance->citizen);
  g_autofree char *upper = g_utf8_strup (name, -1);
  g_autofree char *address = sp_print_address (issuance->citizen->residence);
  double y = SP_MM (ADDRESS_Y);

  /* The return address, small, on top of the window, as the post asks. */
  cairo_set_source_rgb (cr, 0.25, 0.25, 0.25);
  y += sp_print_text (cr, SP_MM (ADDRESS_X), y, SP_MM (ADDRESS_W), SP_FONT_LABEL, sender);
  sp_print_hline (cr, SP_MM (ADDRESS_X), y + SP_MM (0.8), SP_MM (ADDRESS_W), 0.3);
  y += SP_MM (3);
  cairo_set_source_rgb (cr, 0, 0, 0);
  y += sp_print_text (cr, SP_MM (ADDRESS_X), y, SP_MM (ADDRESS_W), SP_FONT_ADDRESS, upper);
  sp_print_text (cr, SP_MM (ADDRESS_X), y, SP_MM (ADDRESS_W), SP_FONT_ADDRESS, address);
}

/* A security tint: fine crossed lines and a wave band, dense enough that
 * the PIN cannot be made out through the folded sheet and the envelope. */
static void
draw_tint (cairo_t *cr,
           double   x,
           double   y,
           double   w,
           double   h)
{
  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  cairo_set_source_rgb (cr, 0.86, 0.88, 0.92);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.55, 0.60, 0.70);
  cairo_set_line_width (cr, 0.35);
  for (double d = -h; d < w + h; d += SP_MM (0.9))
    {
      cairo_move_to (cr, x + d, y);
      cairo_line_to (cr, x + d + h, y + h);
      cairo_move_to (cr, x + d + h, y);
      cairo_line_to (cr, x + d, y + h);
    }
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.45, 0.50, 0.62);
  cairo_set_line_width (cr, 0.5);
  for (double row = y + SP_MM (1.5); row < y + h; row += SP_MM (2.2))
    {
      cairo_move_to (cr, x, row);
      for (double t = 0; t <= w; t += 2)
        cairo_line_to (cr, x + t, row + SP_MM (0.7) * sin (t / SP_MM (1.6)));
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* Shows the text of a layout that holds PIN characters, then wipes the
 * copy Pango keeps, so it does not linger in freed heap memory. */
static void
show_secret_layout (cairo_t     *cr,
                    PangoLayout *layout,
                    double       x,
                    double       y)
{
  char *text;

  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  text = (char *) pango_layout_get_text (layout);
  sodium_memzero (text, strlen (text));
}

static void
draw_pin_half (cairo_t     *cr,
               const SpPin *pin,
               guint        half,
               double       x,
               double       y,
               gboolean     tint)
{
  char chars[10];
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (SP_FONT_PIN);
  const double w = SP_MM (PIN_BOX_W), h = SP_MM (PIN_BOX_H);
  int tw, th;

  cairo_set_source_rgb (cr, 0, 0, 0);
  sp_print_text (cr, x, y - SP_MM (5), w, SP_FONT_BODY,
                 half == 0 ? _("First part (characters 1–8)") : _("Second part (characters 9–16)"));
  if (tint)
    draw_tint (cr, x, y, w, h);
  sp_print_box (cr, x, y, w, h, 0.8);

  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  sp_pin_format_half (pin, half, chars);
  pango_layout_set_text (layout, chars, -1);
  sodium_memzero (chars, sizeof chars);
  pango_layout_get_size (layout, &tw, &th);
  show_secret_layout (cr, layout, x + (w - (double) tw / PANGO_SCALE) / 2,
                      y + (h - (double) th / PANGO_SCALE) / 2);
}

static void
draw_corner (cairo_t                 *cr,
             const SpIssuance        *issuance,
             const SpEnvelopeOptions *options)
{
  g_autofree char *date = sp_print_format_datetime (issuance->issued_at);
  g_autofree char *number = sp_print_issuance_number (issuance);
  g_autofree char *issued = g_strdup_printf (_("Issued on %s"), date);
  /* sede_name is already "Sede 0700" or the sede's full name. */
  const char *sede = options->sede_name ? options->sede_name : "";
  const double x = SP_MM (118), w = SP_MM (72);
  double y = SP_MM (15);

  y += sp_print_text (cr, x, y, w, SP_FONT_HEADING, "PIN dispositivo");
  y += sp_print_text (cr, x, y, w, SP_FONT_BODY, _("Personal and confidential"));
  y += SP_MM (2);
  y += sp_print_text (cr, x, y, w, SP_FONT_SMALL, sede);
  y += sp_print_text (cr, x, y, w, SP_FONT_SMALL, issued);
  y += SP_MM (1);
  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  y += sp_print_text (cr, x, y, w, SP_FONT_LABEL, _("Issuance number"));
  cairo_set_source_rgb (cr, 0, 0, 0);
  sp_print_text (cr, x, y, -1, SP_FONT_SMALL, number);
}

static void
draw_activation (cairo_t          *cr,
                 const SpIssuance *issuance,
                 double            y)
{
  const double x = SP_MM (20), w = SP_MM (170);

  if (issuance->offline)
    {
      cairo_set_source_rgb (cr, 0.55, 0, 0);
      y += sp_print_text (cr, x, y, w, SP_FONT_HEADING, _("Not active yet"));
      y += sp_print_text (cr, x, y, w, SP_FONT_BODY,
                          _("This PIN was issued while the sede could not reach the central system. "
                            "It becomes active at the next synchronisation, normally within a few hours; "
                            "until then it cannot be used."));
      cairo_set_source_rgb (cr, 0, 0, 0);
    }
  else
    y += sp_print_text (cr, x, y, w, SP_FONT_BODY,
                        _("This PIN is already active and is of type dispositivo: with it you can "
                          "consult your position and submit applications online."));
}

/* In the bottom third, which folds over the PIN. */
static void
draw_instructions (cairo_t *cr,
                   double   y)
{
  const double x = SP_MM (20), w = SP_MM (170);
  g_autofree char *how = NULL;

  y += sp_print_text (cr, x, y, w, SP_FONT_HEADING, _("First access"));
  how = g_strdup_printf ("1. %s\n2. %s\n3. %s",
                         _("Go to www.inps.it and choose “Entra in MyINPS”, then “PIN”."),
                         _("Enter your codice fiscale and the PIN: the 8 characters of the first part "
                           "followed by the 8 of the second part, without spaces."),
                         _("At the first access you will be asked to replace this PIN with a new one "
                           "of your choice."));
  y += sp_print_text (cr, x, y, w, SP_FONT_BODY, how);
  y += SP_MM (4);
  y += sp_print_text (cr, x, y, w, SP_FONT_HEADING, _("Keep it secret"));
  sp_print_text (cr, x, y, w, SP_FONT_BODY,
                 _("Keep this letter in a safe place, apart from your documents, and never tell "
                   "your PIN to anyone: INPS staff will never ask you for it. If you lose it, or "
                   "think someone knows it, call the Contact Center (803 164 from landlines, "
                   "06 164164 from mobiles) or go to any INPS sede to have it revoked."));
}

static void
draw_fold_marks (cairo_t *cr)
{
  cairo_set_source_rgb (cr, 0.4, 0.4, 0.4);
  for (guint i = 0; i < 2; i++)
    {
      double y = SP_MM (i == 0 ? FOLD_1 : FOLD_2);

      sp_print_hline (cr, SP_MM (7), y, SP_MM (5), 0.5);
      sp_print_hline (cr, SP_A4_WIDTH - SP_MM (12), y, SP_MM (5), 0.5);
    }
  cairo_set_source_rgb (cr, 0, 0, 0);
}

static void
draw_representative (cairo_t          *cr,
                     const SpIssuance *issuance,
                     double            y)
{
  g_autofree char *who = NULL;
  g_autofree char *text = NULL;

  if (issuance->representative == NULL)
    return;
  who = sp_print_person_name (issuance->representative);
  text = g_strdup_printf (_("Handed over at the counter to %s (%s), on behalf of the citizen."),
                          who, sp_applicant_role_label (issuance->role));
  sp_print_text (cr, SP_MM (20), y, SP_MM (170), SP_FONT_SMALL, text);
}

void
sp_envelope_draw (cairo_t                 *cr,
                  const SpIssuance        *issuance,
                  const SpPin             *pin,
                  const SpEnvelopeOptions *options)
{
  const gboolean dl = options->layout == SP_ENVELOPE_LAYOUT_A4_DL;
  const double pin_y = SP_MM (dl ? PIN_Y_DL : PIN_Y_MAILER);

  g_return_if_fail (issuance != NULL && issuance->citizen != NULL && pin != NULL);

  cairo_save (cr);
  cairo_translate (cr, -SP_MM (options->offset_x_mm), -SP_MM (options->offset_y_mm));
  cairo_set_source_rgb (cr, 0, 0, 0);
  draw_address (cr, issuance, options);
  draw_corner (cr, issuance, options);
  if (dl)
    {
      sp_print_text (cr, SP_MM (20), SP_MM (15), SP_MM (90), SP_FONT_INSTITUTE,
                     "INPS — Istituto Nazionale della Previdenza Sociale");
      sp_print_text (cr, SP_MM (20), SP_MM (FOLD_1 + 8), SP_MM (170), SP_FONT_TITLE,
                     _("Your PIN dispositivo"));
      draw_fold_marks (cr);
    }
  draw_pin_half (cr, pin, 0, SP_MM (20), pin_y, dl);
  draw_pin_half (cr, pin, 1, SP_MM (112), pin_y, dl);
  draw_representative (cr, issuance, pin_y + SP_MM (PIN_BOX_H + 3));
  if (dl)
    {
      draw_activation (cr, issuance, pin_y + SP_MM (PIN_BOX_H + 12));
      draw_instructions (cr, SP_MM (FOLD_2 + 8));
    }
  else if (issuance->offline)
    {
      cairo_set_source_rgb (cr, 0.55, 0, 0);
      sp_print_text (cr, SP_MM (20), pin_y + SP_MM (PIN_BOX_H + 9), SP_MM (170), SP_FONT_BODY,
                     _("Not active yet: this PIN becomes active at the next synchronisation of the sede."));
    }
  cairo_restore (cr);
}

typedef struct {
  SpIssuance *issuance;
  const SpPin *pin;
  SpEnvelopeLayout layout;
  char *sede_name;
  char *sede_address;
  double offset_x_mm;
  double offset_y_mm;
} Envelope;

static void
envelope_free (gpointer data)
{
  Envelope *e = data;

  sp_issuance_free (e->issuance);
  g_free (e->sede_name);
  g_free (e->sede_address);
  e->pin = NULL;
  g_free (e);
}

static void
envelope_draw_page (cairo_t  *cr,
                    double    width,
                    double    height,
                    guint     page,
                    gpointer  data)
{
  Envelope *e = data;
  SpEnvelopeOptions options = {
    e->layout, e->sede_name, e->sede_address, e->offset_x_mm, e->offset_y_mm,
  };

  sp_envelope_draw (cr, e->issuance, e->pin, &options);
}

SpPrintDocument *
sp_envelope_document_new (const SpIssuance        *issuance,
                          const SpPin             *pin,
                          const SpEnvelopeOptions *options)
{
  Envelope *e;
  g_autofree char *title = NULL;

  g_return_val_if_fail (issuance != NULL && pin != NULL && options != NULL, NULL);

  e = g_new0 (Envelope, 1);
  e->issuance = sp_issuance_copy (issuance);
  e->pin = pin;
  e->layout = options->layout;
  e->sede_name = g_strdup (options->sede_name);
  e->sede_address = g_strdup (options->sede_address);
  e->offset_x_mm = options->offset_x_mm;
  e->offset_y_mm = options->offset_y_mm;
  /* The queue shows the title: never anything personal in it. */
  title = g_strdup_printf ("Sportello PIN envelope %.8s", issuance->id);
  return sp_print_document_new (title, TRUE, 1, envelope_draw_page, e, envelope_free);
}
