/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-print"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-applicant.h"
#include "sp-document.h"
#include "sp-print-layout.h"
#include "sp-receipt.h"

typedef struct {
  SpIssuance *issuance;
  char *sede_name;
  char *operator_name;
  SpReceiptCopies pages[2];
  guint n_pages;
} Receipt;

#define COL_W SP_MM (82)
#define LEFT SP_MM (20)
#define RIGHT SP_MM (108)

static double
section (cairo_t    *cr,
         double      x,
         double      y,
         const char *title)
{
  y += sp_print_text (cr, x, y, COL_W, SP_FONT_HEADING, title);
  sp_print_hline (cr, x, y + SP_MM (0.5), COL_W, 0.4);
  return y + SP_MM (2);
}

static double
draw_person (cairo_t        *cr,
             double          x,
             double          y,
             const SpPerson *person,
             gboolean        with_residence)
{
  g_autofree char *name = sp_print_person_name (person);
  g_autofree char *birth = sp_print_birth (person);
  g_autofree char *address = sp_print_address (person->residence);

  y += sp_print_field (cr, x, y, COL_W, _("Name"), name);
  y += sp_print_field (cr, x, y, COL_W, "Codice fiscale", person->cf);
  y += sp_print_field (cr, x, y, COL_W, sp_print_born_label (person), birth);
  if (with_residence && person->residence != NULL)
    y += sp_print_field (cr, x, y, COL_W, _("Residence"), address);
  return y;
}

static double
draw_request (cairo_t    *cr,
              double      y,
              Receipt    *r)
{
  SpIssuance *is = r->issuance;
  g_autofree char *when = sp_print_format_datetime (is->issued_at);
  g_autofree char *number = sp_print_issuance_number (is);
  g_autofree char *operator = r->operator_name ? g_strdup_printf ("%s (%s)", r->operator_name, is->operator_id)
                                                : g_strdup (is->operator_id);
  double x = LEFT;

  y = section (cr, x, y, _("Request"));
  y += sp_print_field (cr, x, y, COL_W, _("What was requested"),
                       _("PIN dispositivo, handed over in a sealed envelope"));
  y += sp_print_field (cr, x, y, COL_W, _("Date and time"), when);
  y += sp_print_field (cr, x, y, COL_W, _("Issuance number"), number);
  y += sp_print_field (cr, x, y, COL_W, _("Operator"), operator);
  y += sp_print_field (cr, x, y, COL_W, _("State"),
                       is->offline ? _("Issued offline: active at the next synchronisation")
                                   : _("Active"));
  return y;
}

static double
draw_document (cairo_t    *cr,
               double      x,
               double      y,
               SpIssuance *is)
{
  g_autofree char *issued = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *number = NULL;
  g_autofree char *until = NULL;

  y = section (cr, x, y, _("Identity document"));
  if (is->document == NULL)
    return y;
  /* One sentence, as an Italian clerk writes it: "Carta d'identità
   * elettronica (CIE) n. CA12345AB, rilasciata dal Comune di Milano il
   * 01/02/2020". */
  issued = sp_print_issued_by (is->document);
  expires = sp_print_format_date (&is->document->expires_on);
  number = g_strdup_printf (*issued ? _("%s no. %s, %s") : _("%s no. %s%s"),
                            sp_document_type_label (is->document->type),
                            is->document->number ? is->document->number : "", issued);
  until = g_strdup_printf (_("valid until %s"), expires);
  y += sp_print_field (cr, x, y, COL_W, _("Document shown"), number);
  y += sp_print_field (cr, x, y, COL_W, _("Validity"), until);
  return y;
}

static double
draw_attachments (cairo_t    *cr,
                  double      x,
                  double      y,
                  SpIssuance *is)
{
  g_autoptr(GString) list = g_string_new (NULL);

  y = section (cr, x, y, _("Attachments archived"));
  for (guint i = 0; i < is->attachments->len; i++)
    {
      SpAttachmentRef *ref = g_ptr_array_index (is->attachments, i);

      g_string_append_printf (list, "%s• %s", list->len ? "\n" : "", sp_attachment_kind_label (ref->kind));
    }
  if (list->len == 0)
    g_string_append (list, "—");
  return y + sp_print_text (cr, x, y, COL_W, SP_FONT_BODY, list->str) + SP_MM (2);
}

static const char *
privacy_notice (void)
{
  return _("Privacy notice (Regulation (EU) 2016/679, art. 13). The controller of your personal data is "
           "INPS, Istituto Nazionale della Previdenza Sociale, via Ciro il Grande 21, 00144 Roma; its "
           "data protection officer can be contacted through www.inps.it. "
           "The data on this receipt, the request form and the copy of the identity document are processed "
           "to identify you and issue the PIN that gives access to the Institute's online services, as the "
           "law requires of the Institute for its public functions (art. 6(1)(c) and (e)); without them the "
           "PIN cannot be issued. They are processed by authorised staff, also with electronic means, and "
           "are not disclosed to others except where the law requires it. They are kept for as long as the "
           "credential is valid and then for the time the rules on the keeping of administrative records "
           "require. You may ask the controller for access to your data, their rectification or erasure, or "
           "the restriction of their processing, and object to it; you may also lodge a complaint with the "
           "Garante per la protezione dei dati personali (www.garanteprivacy.it).");
}

static void
receipt_draw_page (cairo_t  *cr,
                   double    width,
                   double    height,
                   guint     page,
                   gpointer  data)
{
  Receipt *r = data;
  SpIssuance *is = r->issuance;
  gboolean archive = r->pages[page] == SP_RECEIPT_COPY_ARCHIVE;
  g_autofree char *number = sp_print_issuance_number (is);
  double y, yl, yr;

  y = sp_print_header (cr, r->sede_name, _("Receipt of the request for a PIN dispositivo"));
  sp_print_text (cr, LEFT, y - SP_MM (2), SP_MM (120), SP_FONT_SMALL,
                 archive ? _("Copy for the sede's archive") : _("Copy for the citizen"));
  sp_print_qr (cr, SP_MM (165), SP_MM (29), SP_MM (25), number);
  y += SP_MM (6);

  yl = draw_request (cr, y, r);
  yl = section (cr, LEFT, yl + SP_MM (2), _("Requested by"));
  yl += sp_print_field (cr, LEFT, yl, COL_W, _("Role"), sp_applicant_role_label (is->role));
  if (is->representative != NULL)
    yl = draw_person (cr, LEFT, yl, is->representative, FALSE);

  yr = section (cr, RIGHT, y, _("Citizen"));
  yr = draw_person (cr, RIGHT, yr, is->citizen, TRUE);
  yr = draw_document (cr, RIGHT, yr + SP_MM (2), is);
  yr = draw_attachments (cr, RIGHT, yr + SP_MM (2), is);

  y = MAX (yl, yr) + SP_MM (4);
  y += sp_print_text (cr, LEFT, y, SP_MM (170), SP_FONT_BODY,
                      _("The PIN is not written on this receipt: it is only in the sealed envelope handed "
                        "over at the counter.")) + SP_MM (3);
  y += sp_print_text (cr, LEFT, y, SP_MM (170), SP_FONT_SMALL, privacy_notice ()) + SP_MM (5);
  /* The signatures low on the page, above the footer, below the text. */
  y = MAX (y, SP_A4_HEIGHT - SP_MM (42));
  if (archive)
    {
      sp_print_text (cr, LEFT, y, SP_MM (80), SP_FONT_BODY,
                     _("Signature of whoever received the sealed envelope"));
      sp_print_hline (cr, LEFT, y + SP_MM (14), SP_MM (75), 0.5);
    }
  sp_print_text (cr, RIGHT, y, SP_MM (80), SP_FONT_BODY, _("The operator"));
  sp_print_hline (cr, RIGHT, y + SP_MM (14), SP_MM (75), 0.5);
  sp_print_footer (cr, page, r->n_pages, number);
}

static void
receipt_free (gpointer data)
{
  Receipt *r = data;

  sp_issuance_free (r->issuance);
  g_free (r->sede_name);
  g_free (r->operator_name);
  g_free (r);
}

SpPrintDocument *
sp_receipt_document_new (const SpIssuance *issuance,
                         const char       *sede_name,
                         const char       *operator_name,
                         SpReceiptCopies   copies)
{
  Receipt *r;
  g_autofree char *title = NULL;

  g_return_val_if_fail (issuance != NULL && issuance->citizen != NULL, NULL);
  g_return_val_if_fail (copies != 0, NULL);

  r = g_new0 (Receipt, 1);
  r->issuance = sp_issuance_copy (issuance);
  r->sede_name = g_strdup (sede_name);
  r->operator_name = g_strdup (operator_name);
  if (copies & SP_RECEIPT_COPY_CITIZEN)
    r->pages[r->n_pages++] = SP_RECEIPT_COPY_CITIZEN;
  if (copies & SP_RECEIPT_COPY_ARCHIVE)
    r->pages[r->n_pages++] = SP_RECEIPT_COPY_ARCHIVE;
  title = g_strdup_printf ("Sportello PIN receipt %.8s", issuance->id);
  return sp_print_document_new (title, FALSE, r->n_pages, receipt_draw_page, r, receipt_free);
}
