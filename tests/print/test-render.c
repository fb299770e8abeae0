/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The documents as drawn, read back with poppler: what each one says,
 * what it never says (the PIN), and where it puts things on the page. */
#include "config.h"

#include <cairo-pdf.h>
#include <math.h>
#include <poppler.h>
#include <sodium.h>
#include <string.h>

#include "print-fixture.h"
#include "sp-calibration.h"
#include "sp-envelope.h"
#include "sp-mv35.h"
#include "sp-print-settings.h"
#include "sp-receipt.h"
#include "sp-register.h"

/* poppler-glib 22.12 declares no cleanup functions. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)

#define TEST_PIN "ABCDEFGHJKMNPQRS"
#define HALF_1 "ABCD EFGH"
#define HALF_2 "JKMN PQRS"
/* The printable area assumed for an office laser printer: 5 mm margins. */
#define MARGIN_MM 5.0

static cairo_status_t
append (void                *closure,
        const unsigned char *data,
        unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* The envelope is never made into a PDF by the product; the test draws it
 * on a PDF surface of its own to read it back. */
static GBytes *
envelope_pdf (const SpIssuance *is,
              const SpPin      *pin,
              double            dx,
              double            dy,
              SpEnvelopeLayout  layout)
{
  GByteArray *out = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append, out, SP_A4_WIDTH, SP_A4_HEIGHT);
  cairo_t *cr = cairo_create (surface);
  SpEnvelopeOptions options = { layout, "Milano Nord", "Via Mac Mahon 4, 20155 Milano", dx, dy };

  sp_envelope_draw (cr, is, pin, &options);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (out);
}

static PopplerDocument *
open_pdf (GBytes *pdf)
{
  g_autoptr(GError) error = NULL;
  PopplerDocument *doc = poppler_document_new_from_bytes (pdf, NULL, &error);

  g_assert_no_error (error);
  return doc;
}

static char *
all_text (PopplerDocument *doc)
{
  GString *text = g_string_new (NULL);

  for (int i = 0; i < poppler_document_get_n_pages (doc); i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (doc, i);
      g_autofree char *t = poppler_page_get_text (page);

      g_string_append (text, t);
      g_string_append_c (text, '\n');
    }
  return g_string_free (text, FALSE);
}

/* The box (mm) of the first occurrence of needle on page 0. */
static gboolean
find_box (PopplerDocument *doc,
          const char      *needle,
          double          *x1,
          double          *y1,
          double          *x2,
          double          *y2)
{
  g_autoptr(PopplerPage) page = poppler_document_get_page (doc, 0);
  g_autofree char *text = poppler_page_get_text (page);
  PopplerRectangle *rects = NULL;
  guint n = 0;
  const char *at = strstr (text, needle);
  glong first, len;

  if (at == NULL || !poppler_page_get_text_layout (page, &rects, &n))
    return FALSE;
  first = g_utf8_pointer_to_offset (text, at);
  len = g_utf8_strlen (needle, -1);
  g_assert_cmpuint (first + len, <=, n);
  *x1 = *y1 = G_MAXDOUBLE;
  *x2 = *y2 = -G_MAXDOUBLE;
  for (glong i = first; i < first + len; i++)
    {
      *x1 = MIN (*x1, rects[i].x1 / SP_PT_PER_MM);
      *y1 = MIN (*y1, rects[i].y1 / SP_PT_PER_MM);
      *x2 = MAX (*x2, rects[i].x2 / SP_PT_PER_MM);
      *y2 = MAX (*y2, rects[i].y2 / SP_PT_PER_MM);
    }
  g_free (rects);
  return TRUE;
}

/* Every character of every page inside the printable area of A4. */
static void
assert_inside_printable_area (PopplerDocument *doc)
{
  for (int p = 0; p < poppler_document_get_n_pages (doc); p++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (doc, p);
      PopplerRectangle *rects = NULL;
      guint n = 0;
      double w, h;

      poppler_page_get_size (page, &w, &h);
      g_assert_cmpfloat (fabs (w - SP_A4_WIDTH), <, 1);
      g_assert_cmpfloat (fabs (h - SP_A4_HEIGHT), <, 1);
      poppler_page_get_text_layout (page, &rects, &n);
      g_assert_cmpuint (n, >, 0);
      for (guint i = 0; i < n; i++)
        {
          if (rects[i].x2 - rects[i].x1 <= 0)
            continue;   /* line breaks */
          g_assert_cmpfloat (rects[i].x1, >=, SP_MM (MARGIN_MM));
          g_assert_cmpfloat (rects[i].y1, >=, SP_MM (MARGIN_MM));
          g_assert_cmpfloat (rects[i].x2, <=, SP_A4_WIDTH - SP_MM (MARGIN_MM));
          g_assert_cmpfloat (rects[i].y2, <=, SP_A4_HEIGHT - SP_MM (MARGIN_MM));
        }
      g_free (rects);
    }
}

static void
assert_no_pin (const char *text)
{
  g_assert_null (strstr (text, HALF_1));
  g_assert_null (strstr (text, HALF_2));
  g_assert_null (strstr (text, "ABCDEFGH"));
  g_assert_null (strstr (text, "JKMNPQRS"));
}

static void
test_envelope_content (void)
{
  g_autoptr(SpPin) pin = sp_pin_new_from_string (TEST_PIN);
  g_autoptr(SpIssuance) is = fixture_issuance (FALSE, FALSE);
  g_autoptr(GBytes) pdf = envelope_pdf (is, pin, 0, 0, SP_ENVELOPE_LAYOUT_A4_DL);
  g_autoptr(PopplerDocument) doc = open_pdf (pdf);
  g_autofree char *text = all_text (doc);
  g_autofree char *number = g_ascii_strup (is->id, -1);

  g_assert_cmpint (poppler_document_get_n_pages (doc), ==, 1);
  g_assert_nonnull (strstr (text, HALF_1));
  g_assert_nonnull (strstr (text, HALF_2));
  g_assert_nonnull (strstr (text, "MATTEO MORETTI"));
  g_assert_nonnull (strstr (text, "Via Roma 12"));
  g_assert_nonnull (strstr (text, "20121 Milano (MI)"));
  g_assert_nonnull (strstr (text, "Milano Nord"));
  g_assert_nonnull (strstr (text, number));
  g_assert_nonnull (strstr (text, "www.inps.it"));
  /* Online: no offline notice. */
  g_assert_null (strstr (text, "next synchronisation"));
  assert_inside_printable_area (doc);
}

static void
test_envelope_offline (void)
{
  g_autoptr(SpPin) pin = sp_pin_new_from_string (TEST_PIN);
  g_autoptr(SpIssuance) is = fixture_issuance (TRUE, TRUE);
  g_autoptr(GBytes) pdf = envelope_pdf (is, pin, 0, 0, SP_ENVELOPE_LAYOUT_A4_DL);
  g_autoptr(PopplerDocument) doc = open_pdf (pdf);
  g_autofree char *text = all_text (doc);

  g_assert_nonnull (strstr (text, "next synchronisation"));
  /* A minor's envelope: addressed to the minor, handed to the parent. */
  g_assert_nonnull (strstr (text, "LUCA MORETTI"));
  g_assert_nonnull (strstr (text, "Matteo Moretti"));
  assert_inside_printable_area (doc);
}

static void
assert_address_in_window (PopplerDocument *doc,
                          double           dx,
                          double           dy)
{
  double wx, wy, ww, wh, x1, y1, x2, y2;
  const char *lines[] = { "MATTEO MORETTI", "Via Roma 12", "20121 Milano (MI)", "INPS — Milano Nord" };

  sp_envelope_get_window (&wx, &wy, &ww, &wh);
  g_assert_cmpfloat (wx, ==, 20);
  g_assert_cmpfloat (ww, ==, 90);
  g_assert_cmpfloat (wh, ==, 45);
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_assert_true (find_box (doc, lines[i], &x1, &y1, &x2, &y2));
      x1 += dx, x2 += dx, y1 += dy, y2 += dy;
      /* Visible whatever the 11 mm of play of the folded sheet in the
       * envelope: inside the window, and above 84 mm. */
      g_assert_cmpfloat (x1, >=, wx + 2);
      g_assert_cmpfloat (x2, <=, wx + ww - 2);
      g_assert_cmpfloat (y1, >=, wy);
      g_assert_cmpfloat (y2, <=, 84);
    }
  /* The PIN is inside, in the middle third, never in the window. */
  g_assert_true (find_box (doc, HALF_1, &x1, &y1, &x2, &y2));
  y1 += dy, y2 += dy;
  g_assert_cmpfloat (y1, >, 99);
  g_assert_cmpfloat (y2, <, 198);
}

static void
test_envelope_window (void)
{
  g_autoptr(SpPin) pin = sp_pin_new_from_string (TEST_PIN);
  g_autoptr(SpIssuance) is = fixture_issuance (FALSE, FALSE);
  g_autoptr(GBytes) pdf = envelope_pdf (is, pin, 0, 0, SP_ENVELOPE_LAYOUT_A4_DL);
  g_autoptr(PopplerDocument) doc = open_pdf (pdf);
  /* A printer that puts everything 3 mm right and 2 mm low: the offsets
   * move the drawing back by as much. */
  g_autoptr(GBytes) shifted_pdf = envelope_pdf (is, pin, 3, 2, SP_ENVELOPE_LAYOUT_A4_DL);
  g_autoptr(PopplerDocument) shifted = open_pdf (shifted_pdf);
  double x1, y1, x2, y2, sx1, sy1, sx2, sy2;

  assert_address_in_window (doc, 0, 0);
  assert_address_in_window (shifted, 3, 2);
  g_assert_true (find_box (doc, "Via Roma 12", &x1, &y1, &x2, &y2));
  g_assert_true (find_box (shifted, "Via Roma 12", &sx1, &sy1, &sx2, &sy2));
  g_assert_cmpfloat (fabs (x1 - sx1 - 3), <, 0.05);
  g_assert_cmpfloat (fabs (y1 - sy1 - 2), <, 0.05);
}

static void
test_envelope_mailer (void)
{
  g_autoptr(SpPin) pin = sp_pin_new_from_string (TEST_PIN);
  g_autoptr(SpIssuance) is = fixture_issuance (FALSE, TRUE);
  g_autoptr(GBytes) pdf = envelope_pdf (is, pin, 0, 0, SP_ENVELOPE_LAYOUT_MAILER);
  g_autoptr(PopplerDocument) doc = open_pdf (pdf);
  g_autofree char *text = all_text (doc);

  g_assert_nonnull (strstr (text, HALF_1));
  g_assert_nonnull (strstr (text, HALF_2));
  g_assert_nonnull (strstr (text, "next synchronisation"));
  /* The stationery carries the fixed texts. */
  g_assert_null (strstr (text, "www.inps.it"));
  assert_address_in_window (doc, 0, 0);
  assert_inside_printable_area (doc);
}

static void
test_envelope_once (void)
{
  g_autoptr(SpPin) pin = sp_pin_new_from_string (TEST_PIN);
  g_autoptr(SpIssuance) is = fixture_issuance (FALSE, FALSE);
  SpEnvelopeOptions options = { SP_ENVELOPE_LAYOUT_A4_DL, "Milano Nord", NULL, 0, 0 };
  g_autoptr(SpPrintDocument) doc = sp_envelope_document_new (is, pin, &options);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = sp_print_render_pdf (doc, &error);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 60, 80);
  cairo_t *cr = cairo_create (surface);

  /* Never a PDF of the envelope. */
  g_assert_error (error, SP_PRINT_ERROR, SP_PRINT_ERROR_PRINT_ONCE);
  g_assert_null (pdf);
  g_clear_error (&error);
  g_assert_true (sp_print_document_is_print_once (doc));
  g_assert_null (strstr (sp_print_document_get_title (doc), "Moretti"));
  /* Drawn once, then never again. */
  g_assert_true (sp_print_document_can_draw (doc));
  g_assert_true (sp_print_document_draw (doc, cr, SP_A4_WIDTH, SP_A4_HEIGHT, &error));
  g_assert_no_error (error);
  g_assert_false (sp_print_document_can_draw (doc));
  g_assert_false (sp_print_document_draw (doc, cr, SP_A4_WIDTH, SP_A4_HEIGHT, &error));
  g_assert_error (error, SP_PRINT_ERROR, SP_PRINT_ERROR_PRINT_ONCE);
  g_clear_error (&error);

  /* A job that failed before drawing spends the envelope all the same. */
  {
    g_autoptr(SpPrintDocument) failed = sp_envelope_document_new (is, pin, &options);

    sp_print_document_consume (failed);
    g_assert_false (sp_print_document_can_draw (failed));
    g_assert_false (sp_print_document_draw (failed, cr, SP_A4_WIDTH, SP_A4_HEIGHT, &error));
    g_assert_error (error, SP_PRINT_ERROR, SP_PRINT_ERROR_PRINT_ONCE);
  }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static PopplerDocument *
render (SpPrintDocument *document,
        char           **text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = sp_print_render_pdf (document, &error);
  PopplerDocument *doc;

  g_assert_no_error (error);
  doc = open_pdf (pdf);
  *text = all_text (doc);
  assert_inside_printable_area (doc);
  assert_no_pin (*text);
  return doc;
}

static void
test_receipt (void)
{
  g_autoptr(SpIssuance) is = fixture_issuance (TRUE, FALSE);
  g_autoptr(SpPrintDocument) receipt = sp_receipt_document_new (is, "Milano Nord", "Mario Rossi",
                                                                SP_RECEIPT_COPY_CITIZEN | SP_RECEIPT_COPY_ARCHIVE);
  g_autofree char *text = NULL;
  g_autoptr(PopplerDocument) doc = render (receipt, &text);
  g_autofree char *number = g_ascii_strup (is->id, -1);

  g_assert_cmpint (poppler_document_get_n_pages (doc), ==, 2);
  g_assert_nonnull (strstr (text, number));
  g_assert_nonnull (strstr (text, "MRTLCU15D09F205X"));   /* the citizen */
  g_assert_nonnull (strstr (text, "MRTMTT85D09F205K"));   /* the parent */
  g_assert_nonnull (strstr (text, "CA12345AB"));
  g_assert_nonnull (strstr (text, "Mario Rossi (mrossi)"));
  g_assert_nonnull (strstr (text, "Milano Nord"));
  g_assert_nonnull (strstr (text, "2016/679"));
  g_assert_nonnull (strstr (text, "Garante"));
  g_assert_nonnull (strstr (text, "Copy for the citizen"));
  g_assert_nonnull (strstr (text, "Copy for the sede's archive"));
  /* Reprintable: a second rendering is the same text. */
  {
    g_autofree char *again = NULL;
    g_autoptr(PopplerDocument) doc2 = render (receipt, &again);

    g_assert_cmpstr (text, ==, again);
  }
}

/* The QR code is drawn: dark modules in its corner of the page. */
static void
test_receipt_qr (void)
{
  g_autoptr(SpIssuance) is = fixture_issuance (FALSE, FALSE);
  g_autoptr(SpPrintDocument) receipt = sp_receipt_document_new (is, "Milano Nord", NULL, SP_RECEIPT_COPY_CITIZEN);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 595, 842);
  cairo_t *cr = cairo_create (surface);
  guint dark = 0, total = 0;
  unsigned char *data;
  int stride;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  sp_print_document_draw_page (receipt, cr, SP_A4_WIDTH, SP_A4_HEIGHT, 0);
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = (int) SP_MM (27); y < (int) SP_MM (46); y++)
    for (int x = (int) SP_MM (168); x < (int) SP_MM (187); x++, total++)
      dark += (((guint32 *) (data + y * stride))[x] & 0xff) < 0x80;
  /* A QR code is roughly half dark modules. */
  g_assert_cmpfloat ((double) dark / total, >, 0.25);
  g_assert_cmpfloat ((double) dark / total, <, 0.75);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
test_mv35 (void)
{
  g_autoptr(SpIssuance) is = fixture_issuance (TRUE, FALSE);
  g_autoptr(SpPrintDocument) mv35 = sp_mv35_document_new (is, "Milano Nord");
  g_autofree char *text = NULL;
  g_autoptr(PopplerDocument) doc = render (mv35, &text);

  g_assert_cmpint (poppler_document_get_n_pages (doc), ==, 1);
  g_assert_nonnull (strstr (text, "MV35"));
  g_assert_nonnull (strstr (text, "Richiesta assegnazione PIN"));
  g_assert_nonnull (strstr (text, "MRTLCU15D09F205X"));
  g_assert_nonnull (strstr (text, "MRTMTT85D09F205K"));
  g_assert_nonnull (strstr (text, "09/04/2015, Milano (MI)"));
  g_assert_nonnull (strstr (text, "Via Roma 12"));
  g_assert_nonnull (strstr (text, "CA12345AB"));
  g_assert_nonnull (strstr (text, "parental authority"));
  g_assert_nonnull (strstr (text, "Signature"));
}

/* The register prints an issuance number on three lines of its column:
 * its first two groups, then its last group, are found whole. */
static gboolean
has_number (const char *text,
            const char *number)
{
  g_autofree char *head = g_strndup (number, 14);

  return strstr (text, head) != NULL && strstr (text, number + 24) != NULL;
}

static void
test_register (void)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_register_entry_free);
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SpPrintDocument) reg = NULL;
  g_autofree char *text = NULL;
  g_autoptr(PopplerDocument) doc = NULL;
  GDate date;

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(SpIssuance) is = fixture_issuance (i % 7 == 0, i % 5 == 0);

      g_ptr_array_add (entries, sp_register_entry_new (is, i % 10 == 3 ? SP_ISSUANCE_STATUS_VOIDED : SP_ISSUANCE_STATUS_ACTIVE));
      g_ptr_array_add (numbers, g_ascii_strup (is->id, -1));
    }
  g_date_set_dmy (&date, 22, 11, 2026);
  reg = sp_register_document_new (&date, "Milano Nord", NULL, entries);
  doc = render (reg, &text);
  /* Rows are as tall as their cells: 16 of these on a page. */
  g_assert_cmpint (poppler_document_get_n_pages (doc), ==, 4);
  for (guint i = 0; i < numbers->len; i++)
    g_assert_true (has_number (text, g_ptr_array_index (numbers, i)));
  g_assert_nonnull (strstr (text, "22/11/2026"));
  g_assert_nonnull (strstr (text, "Issuances: 50 — voided: 5 — issued offline: 10"));
  g_assert_nonnull (strstr (text, "Page 4 of 4"));
  g_assert_nonnull (strstr (text, "MRTMTT25D09F205Z"));

  /* An empty day is one page that says so. */
  g_ptr_array_set_size (entries, 0);
  {
    g_autoptr(SpPrintDocument) empty = sp_register_document_new (&date, "Milano Nord", "mrossi", entries);
    g_autofree char *t = NULL;
    g_autoptr(PopplerDocument) d = render (empty, &t);

    g_assert_cmpint (poppler_document_get_n_pages (d), ==, 1);
    g_assert_nonnull (strstr (t, "No issuances on this day."));
    g_assert_nonnull (strstr (t, "Operator: mrossi"));
  }
}

static void
test_calibration (void)
{
  g_autoptr(SpPrintDocument) page = sp_calibration_document_new (SP_ENVELOPE_LAYOUT_A4_DL, 1.5, -2);
  g_autofree char *text = NULL;
  g_autoptr(PopplerDocument) doc = render (page, &text);
  double x, y;

  g_assert_cmpint (poppler_document_get_n_pages (doc), ==, 1);
  g_assert_nonnull (strstr (text, "horizontal 1.5 mm, vertical -2.0 mm"));
  /* Printed with (1.5, -2), the cross was measured at (31, 29): the
   * printer adds (+2.5, +1), which the new offsets take away. */
  sp_calibration_compute_offsets (31, 29, 1.5, -2, &x, &y);
  g_assert_cmpfloat (fabs (x - 2.5), <, 1e-9);
  g_assert_cmpfloat (fabs (y - (-3)), <, 1e-9);
}

static void
test_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  double x, y;

  g_assert_cmpint (sp_print_settings_get_layout (settings), ==, SP_ENVELOPE_LAYOUT_A4_DL);
  sp_print_settings_get_offsets (settings, "Sportello", &x, &y);
  g_assert_cmpfloat (x, ==, 0);
  g_assert_cmpfloat (y, ==, 0);
  sp_print_settings_set_offsets (settings, "Sportello", 1.5, -2);
  sp_print_settings_set_offsets (settings, "Other", 3, 3);
  sp_print_settings_set_offsets (settings, "Sportello", 2.5, -3);
  sp_print_settings_get_offsets (settings, "Sportello", &x, &y);
  g_assert_cmpfloat (x, ==, 2.5);
  g_assert_cmpfloat (y, ==, -3);
  sp_print_settings_get_offsets (settings, "Other", &x, &y);
  g_assert_cmpfloat (x, ==, 3);
  g_settings_set_string (settings, "envelope-layout", "mailer");
  g_assert_cmpint (sp_print_settings_get_layout (settings), ==, SP_ENVELOPE_LAYOUT_MAILER);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/print/envelope/content", test_envelope_content);
  g_test_add_func ("/print/envelope/offline-representative", test_envelope_offline);
  g_test_add_func ("/print/envelope/window", test_envelope_window);
  g_test_add_func ("/print/envelope/mailer", test_envelope_mailer);
  g_test_add_func ("/print/envelope/once", test_envelope_once);
  g_test_add_func ("/print/receipt", test_receipt);
  g_test_add_func ("/print/receipt/qr", test_receipt_qr);
  g_test_add_func ("/print/mv35", test_mv35);
  g_test_add_func ("/print/register", test_register);
  g_test_add_func ("/print/calibration", test_calibration);
  g_test_add_func ("/print/settings", test_settings);
  return g_test_run ();
}
