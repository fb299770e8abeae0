/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-print"

#include "config.h"

#include <glib/gi18n.h>
#include <qrencode.h>

#include "sp-belfiore.h"
#include "sp-print-layout.h"

static PangoLayout *
make_layout (cairo_t    *cr,
             double      width,
             const char *font)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  return layout;
}

static double
show (cairo_t     *cr,
      PangoLayout *layout,
      double       x,
      double       y)
{
  int h;

  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, NULL, &h);
  return (double) h / PANGO_SCALE;
}

double
sp_print_text (cairo_t    *cr,
               double      x,
               double      y,
               double      width,
               const char *font,
               const char *text)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, width, font);

  pango_layout_set_text (layout, text ? text : "", -1);
  return show (cr, layout, x, y);
}

double
sp_print_words (cairo_t    *cr,
                double      x,
                double      y,
                double      width,
                const char *font,
                const char *text)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, width, font);

  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_set_text (layout, text ? text : "", -1);
  return show (cr, layout, x, y);
}

double
sp_print_markup (cairo_t    *cr,
                 double      x,
                 double      y,
                 double      width,
                 const char *font,
                 const char *markup)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, width, font);

  pango_layout_set_markup (layout, markup, -1);
  return show (cr, layout, x, y);
}

void
sp_print_text_right (cairo_t    *cr,
                     double      x_right,
                     double      y,
                     const char *font,
                     const char *text)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, -1, font);
  int w;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, &w, NULL);
  show (cr, layout, x_right - (double) w / PANGO_SCALE, y);
}

double
sp_print_field (cairo_t    *cr,
                double      x,
                double      y,
                double      width,
                const char *label,
                const char *value)
{
  double h;

  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  h = sp_print_text (cr, x, y, width, SP_FONT_LABEL, label);
  cairo_set_source_rgb (cr, 0, 0, 0);
  h += sp_print_text (cr, x, y + h, width, SP_FONT_BODY, value && *value ? value : "—");
  return h + SP_MM (1.5);
}

void
sp_print_hline (cairo_t *cr,
                double   x,
                double   y,
                double   width,
                double   line_width)
{
  cairo_set_line_width (cr, line_width);
  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x + width, y);
  cairo_stroke (cr);
}

void
sp_print_box (cairo_t *cr,
              double   x,
              double   y,
              double   width,
              double   height,
              double   line_width)
{
  cairo_set_line_width (cr, line_width);
  cairo_rectangle (cr, x, y, width, height);
  cairo_stroke (cr);
}

double
sp_print_header (cairo_t    *cr,
                 const char *sede_name,
                 const char *title)
{
  const double x = SP_MM (20), w = SP_MM (170);
  double y = SP_MM (15);

  cairo_set_source_rgb (cr, 0, 0, 0);
  y += sp_print_text (cr, x, y, w, SP_FONT_INSTITUTE, "INPS — Istituto Nazionale della Previdenza Sociale");
  /* sede_name is already "Sede 0700" (or its full name): printed as is,
   * never wrapped in a second "Sede of". */
  if (sede_name != NULL && *sede_name != '\0')
    y += sp_print_text (cr, x, y, w, SP_FONT_BODY, sede_name);
  y += SP_MM (1);
  sp_print_hline (cr, x, y, w, 0.8);
  y += SP_MM (3);
  y += sp_print_text (cr, x, y, w - SP_MM (32), SP_FONT_TITLE, title);
  return y + SP_MM (3);
}

void
sp_print_footer (cairo_t    *cr,
                 guint       page,
                 guint       n_pages,
                 const char *left)
{
  g_autofree char *pages = g_strdup_printf (_("Page %u of %u"), page + 1, n_pages);
  const double y = SP_A4_HEIGHT - SP_MM (15);

  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  sp_print_hline (cr, SP_MM (20), y - SP_MM (1.5), SP_MM (170), 0.4);
  if (left != NULL)
    sp_print_text (cr, SP_MM (20), y, SP_MM (130), SP_FONT_SMALL, left);
  sp_print_text_right (cr, SP_MM (190), y, SP_FONT_SMALL, pages);
  cairo_set_source_rgb (cr, 0, 0, 0);
}

gboolean
sp_print_qr (cairo_t    *cr,
             double      x,
             double      y,
             double      size,
             const char *text)
{
  QRcode *qr = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  double module;

  if (qr == NULL)
    return FALSE;
  /* Four modules of quiet zone on each side, as the standard asks. */
  module = size / (qr->width + 8);
  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, size, size);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int r = 0; r < qr->width; r++)
    for (int c = 0; c < qr->width; c++)
      if (qr->data[r * qr->width + c] & 1)
        cairo_rectangle (cr, x + (c + 4) * module, y + (r + 4) * module, module, module);
  cairo_fill (cr);
  cairo_restore (cr);
  QRcode_free (qr);
  return TRUE;
}

char *
sp_print_format_date (const GDate *date)
{
  if (date == NULL || !g_date_valid (date))
    return g_strdup ("");
  return g_strdup_printf ("%02u/%02u/%04u", g_date_get_day (date),
                          g_date_get_month (date), g_date_get_year (date));
}

char *
sp_print_format_datetime (GDateTime *dt)
{
  g_autoptr(GDateTime) local = NULL;

  if (dt == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (dt);
  return g_date_time_format (local, "%d/%m/%Y %H:%M");
}

char *
sp_print_person_name (const SpPerson *person)
{
  if (person == NULL)
    return g_strdup ("");
  return g_strdup_printf ("%s %s", person->name ? person->name : "",
                          person->surname ? person->surname : "");
}

char *
sp_print_birth (const SpPerson *person)
{
  g_autofree char *date = sp_print_format_date (&person->birth_date);
  const SpBelfioreEntry *place = NULL;

  if (person->birth_place != NULL && g_date_valid (&person->birth_date))
    place = sp_belfiore_lookup_on_date (person->birth_place, &person->birth_date);
  if (place == NULL)
    return g_strdup_printf ("%s, %s", date, person->birth_place ? person->birth_place : "");
  if (*place->province != '\0')
    return g_strdup_printf ("%s, %s (%s)", date, place->name, place->province);
  return g_strdup_printf ("%s, %s", date, place->name);
}

const char *
sp_print_born_label (const SpPerson *person)
{
  if (person != NULL && person->sex == 'M')
    return C_("born, of a man", "Born on, in");
  if (person != NULL && person->sex == 'F')
    return C_("born, of a woman", "Born on, in");
  return _("Born on, in");
}

/* Whether an issuing office's name is feminine in Italian (la Questura, la
 * Prefettura), masculine (il Comune, il Ministero) or neither known: the
 * issuer is an Italian office's name as written on the document. */
static int
issuer_gender (const char *issuer)
{
  static const char *const feminine[] = { "Questura", "Prefettura", "Motorizzazione", "Ambasciata",
                                          "Regione", "Provincia", "Capitaneria" };
  static const char *const masculine[] = { "Comune", "Ministero", "Consolato", "Dipartimento", "Ufficio" };

  for (guint i = 0; i < G_N_ELEMENTS (feminine); i++)
    if (g_str_has_prefix (issuer, feminine[i]))
      return 'F';
  for (guint i = 0; i < G_N_ELEMENTS (masculine); i++)
    if (g_str_has_prefix (issuer, masculine[i]))
      return 'M';
  return 0;
}

/* In Italian the document's noun is feminine (carta, patente, tessera,
 * licenza di porto d'armi) or masculine (passaporto, libretto, permesso). */
static gboolean
document_is_feminine (SpDocumentType type)
{
  return type != SP_DOCUMENT_PASSAPORTO && type != SP_DOCUMENT_LIBRETTO_PENSIONE
         && type != SP_DOCUMENT_PERMESSO_SOGGIORNO;
}

char *
sp_print_issued_by (const SpDocument *document)
{
  g_autofree char *on = NULL;
  const char *issuer;
  int gender;
  gboolean fem;

  if (document == NULL || document->issuer == NULL || *document->issuer == '\0')
    return g_strdup ("");
  issuer = document->issuer;
  gender = issuer_gender (issuer);
  fem = document_is_feminine (document->type);
  on = sp_print_format_date (&document->issued_on);
  /* Six forms, so that each language can agree them as it needs. */
  if (fem && gender == 'M')
    return g_strdup_printf (C_("feminine document, masculine office", "issued by %s on %s"), issuer, on);
  if (fem && gender == 'F')
    return g_strdup_printf (C_("feminine document, feminine office", "issued by %s on %s"), issuer, on);
  if (fem)
    return g_strdup_printf (C_("feminine document", "issued by %s on %s"), issuer, on);
  if (gender == 'M')
    return g_strdup_printf (C_("masculine document, masculine office", "issued by %s on %s"), issuer, on);
  if (gender == 'F')
    return g_strdup_printf (C_("masculine document, feminine office", "issued by %s on %s"), issuer, on);
  return g_strdup_printf (C_("masculine document", "issued by %s on %s"), issuer, on);
}

char *
sp_print_address (const SpAddress *address)
{
  if (address == NULL)
    return g_strdup ("");
  if (address->province != NULL && *address->province != '\0')
    return g_strdup_printf ("%s\n%s %s (%s)", address->street ? address->street : "",
                            address->postcode ? address->postcode : "",
                            address->city ? address->city : "", address->province);
  return g_strdup_printf ("%s\n%s %s", address->street ? address->street : "",
                          address->postcode ? address->postcode : "",
                          address->city ? address->city : "");
}

char *
sp_print_issuance_number (const SpIssuance *issuance)
{
  return g_ascii_strup (issuance->id, -1);
}
