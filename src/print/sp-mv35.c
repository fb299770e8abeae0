/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-print"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sp-applicant.h"
#include "sp-document.h"
#include "sp-mv35.h"
#include "sp-print-layout.h"

typedef struct {
  SpIssuance *issuance;
  char *sede_name;
} Mv35;

#define X SP_MM (20)
#define W SP_MM (170)
#define HALF SP_MM (83)

static double
heading (cairo_t    *cr,
         double      y,
         const char *text)
{
  cairo_set_source_rgb (cr, 0.9, 0.9, 0.9);
  cairo_rectangle (cr, X, y, W, SP_MM (6.5));
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  sp_print_text (cr, X + SP_MM (2), y + SP_MM (0.5), W, SP_FONT_HEADING, text);
  return y + SP_MM (8);
}

/* Two form fields side by side, in boxes. */
static double
pair (cairo_t    *cr,
      double      y,
      const char *label1,
      const char *value1,
      const char *label2,
      const char *value2)
{
  const double h = SP_MM (9.6);

  cairo_set_source_rgb (cr, 0.5, 0.5, 0.5);
  sp_print_box (cr, X, y, label2 ? HALF : W, h, 0.4);
  if (label2 != NULL)
    sp_print_box (cr, X + HALF + SP_MM (4), y, HALF, h, 0.4);
  cairo_set_source_rgb (cr, 0, 0, 0);
  sp_print_field (cr, X + SP_MM (1.5), y + SP_MM (0.8), (label2 ? HALF : W) - SP_MM (3), label1, value1);
  if (label2 != NULL)
    sp_print_field (cr, X + HALF + SP_MM (5.5), y + SP_MM (0.8), HALF - SP_MM (3), label2, value2);
  return y + h + SP_MM (1);
}

static double
person_block (cairo_t        *cr,
              double          y,
              const SpPerson *p,
              gboolean        contacts)
{
  g_autofree char *birth = sp_print_birth (p);
  g_autofree char *address = NULL;
  char sex[2] = { p->sex, '\0' };

  y = pair (cr, y, _("Surname"), p->surname, _("Name"), p->name);
  y = pair (cr, y, "Codice fiscale", p->cf, _("Sex"), sex);
  y = pair (cr, y, sp_print_born_label (p), birth, NULL, NULL);
  if (p->residence != NULL)
    {
      address = sp_print_address (p->residence);
      char *newline = strchr (address, '\n');

      if (newline != NULL)
        *newline = ' ';
      y = pair (cr, y, _("Residence"), address, NULL, NULL);
    }
  if (contacts)
    y = pair (cr, y, _("Phone"), p->phone, _("E-mail"), p->email);
  return y;
}

static double
checkbox (cairo_t    *cr,
          double      y,
          gboolean    checked,
          const char *text)
{
  double h;

  sp_print_box (cr, X, y + SP_MM (0.5), SP_MM (3.2), SP_MM (3.2), 0.6);
  if (checked)
    {
      cairo_move_to (cr, X + SP_MM (0.6), y + SP_MM (2.2));
      cairo_line_to (cr, X + SP_MM (1.5), y + SP_MM (3.2));
      cairo_line_to (cr, X + SP_MM (2.9), y + SP_MM (0.9));
      cairo_stroke (cr);
    }
  h = sp_print_text (cr, X + SP_MM (5), y, W - SP_MM (5), SP_FONT_BODY, text);
  return y + MAX (h, SP_MM (4)) + SP_MM (1);
}

static double
document_block (cairo_t          *cr,
                double            y,
                const SpDocument *d)
{
  g_autofree char *issued = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *dates = NULL;

  if (d == NULL)
    return y;
  issued = sp_print_format_date (&d->issued_on);
  expires = sp_print_format_date (&d->expires_on);
  dates = g_strdup_printf ("%s — %s", issued, expires);
  y = pair (cr, y, _("Identity document"), sp_document_type_label (d->type), _("Number"), d->number);
  y = pair (cr, y, _("Issuing office"), d->issuer, _("Issued on, expires on"), dates);
  return y;
}

/* "Il sottoscritto", "La sottoscritta": by the signer's known sex. */
static const char *
undersigned (const SpPerson *signer,
             gboolean        represented)
{
  if (signer->sex == 'M')
    return represented ? C_("a man", "The undersigned (representative)") : C_("a man", "The undersigned");
  if (signer->sex == 'F')
    return represented ? C_("a woman", "The undersigned (representative)") : C_("a woman", "The undersigned");
  return represented ? _("The undersigned (representative)") : _("The undersigned");
}

static void
mv35_draw_page (cairo_t  *cr,
                double    width,
                double    height,
                guint     page,
                gpointer  data)
{
  Mv35 *m = data;
  SpIssuance *is = m->issuance;
  gboolean represented = is->representative != NULL;
  g_autofree char *today = NULL;
  g_autofree char *place = NULL;
  GDate date;

  /* The MV35 is printed before the PIN is issued, when the request has no
   * issue time yet: the date is the day it is printed and signed. */
  g_date_clear (&date, 1);
  if (is->issued_at != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (is->issued_at);

      g_date_set_dmy (&date, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                      g_date_time_get_year (local));
    }
  else
    g_date_set_time_t (&date, time (NULL));
  today = sp_print_format_date (&date);
  place = m->sede_name && *m->sede_name ? g_strdup_printf ("%s, %s", m->sede_name, today) : g_strdup (today);
  double y;

  y = sp_print_header (cr, m->sede_name,
                       "MV35 — Richiesta assegnazione PIN dispositivo per il cittadino in sede");
  cairo_set_source_rgb (cr, 0.55, 0, 0);
  y += sp_print_text (cr, X, y, W, SP_FONT_SMALL,
                      _("Filled in from the data entered at the counter: check every field, correct "
                        "by hand what is wrong, then sign.")) + SP_MM (3);
  cairo_set_source_rgb (cr, 0, 0, 0);

  y = heading (cr, y, undersigned (represented ? is->representative : is->citizen, represented));
  y = person_block (cr, y, represented ? is->representative : is->citizen, TRUE);
  if (represented)
    {
      y = pair (cr, y, _("Acting as"), sp_applicant_role_label (is->role), NULL, NULL);
      y = heading (cr, y + SP_MM (1), _("Citizen for whom the PIN is requested"));
      y = person_block (cr, y, is->citizen, FALSE);
    }
  y = heading (cr, y + SP_MM (1), _("Identity document shown"));
  y = document_block (cr, y, is->document);

  y = heading (cr, y + SP_MM (1), _("Requests"));
  y = checkbox (cr, y, TRUE, _("the assignment of a PIN dispositivo, to be handed over at once in a sealed envelope."));
  if (is->role == SP_ROLE_PARENT)
    y = checkbox (cr, y, TRUE, _("attaches the self-certification of parental authority over the minor."));
  else if (represented)
    y = checkbox (cr, y, TRUE, _("attaches the declaration in lieu of certification (art. 46 DPR 445/2000) "
                                 "attesting the role."));
  y = checkbox (cr, y, TRUE, _("attaches a copy of the identity document shown."));
  y = checkbox (cr, y, FALSE, _("declares that the data above are true, aware of the penalties for false "
                                "declarations (art. 76 DPR 445/2000), and has read the privacy notice "
                                "(Regulation (EU) 2016/679, art. 13)."));

  y += SP_MM (4);
  sp_print_field (cr, X, y, HALF, _("Place and date"), place);
  sp_print_text (cr, X + HALF + SP_MM (4), y, HALF, SP_FONT_LABEL, _("Signature"));
  sp_print_hline (cr, X + HALF + SP_MM (4), y + SP_MM (13), HALF, 0.5);
  sp_print_footer (cr, page, 1, _("Draft printed by Sportello PIN: not valid until signed."));
}

static void
mv35_free (gpointer data)
{
  Mv35 *m = data;

  sp_issuance_free (m->issuance);
  g_free (m->sede_name);
  g_free (m);
}

SpPrintDocument *
sp_mv35_document_new (const SpIssuance *issuance,
                      const char       *sede_name)
{
  Mv35 *m;
  g_autofree char *title = NULL;

  g_return_val_if_fail (issuance != NULL && issuance->citizen != NULL, NULL);

  m = g_new0 (Mv35, 1);
  m->issuance = sp_issuance_copy (issuance);
  m->sede_name = g_strdup (sede_name);
  title = g_strdup_printf ("Sportello PIN MV35 %.8s", issuance->id);
  return sp_print_document_new (title, FALSE, 1, mv35_draw_page, m, mv35_free);
}
