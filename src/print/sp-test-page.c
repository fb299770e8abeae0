/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-print"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-print-layout.h"
#include "sp-test-page.h"

typedef struct {
  char *printer;
  char *when;
} TestPage;

static void
test_page_free (gpointer data)
{
  TestPage *t = data;

  g_free (t->printer);
  g_free (t->when);
  g_free (t);
}

static void
test_page_draw (cairo_t  *cr,
                double    width,
                double    height,
                guint     page,
                gpointer  data)
{
  TestPage *t = data;
  g_autofree char *line = g_strdup_printf (_("Printer: %s"), t->printer);
  g_autofree char *printed = g_strdup_printf (_("Printed on %s by Sportello PIN."), t->when);
  double y;

  cairo_set_source_rgb (cr, 0, 0, 0);
  sp_print_box (cr, SP_MM (10), SP_MM (10), width - SP_MM (20), height - SP_MM (20), 0.6);
  y = sp_print_header (cr, NULL, _("Printer test page"));
  y += sp_print_text (cr, SP_MM (20), y, width - SP_MM (40), SP_FONT_HEADING, line) + SP_MM (3);
  y += sp_print_text (cr, SP_MM (20), y, width - SP_MM (40), SP_FONT_BODY, printed) + SP_MM (3);
  y += sp_print_text (cr, SP_MM (20), y, width - SP_MM (40), SP_FONT_BODY,
                      _("The frame runs 10 mm inside the edges of the sheet: it must show whole on all "
                        "four sides. The ten boxes below go from white to black in even steps.")) + SP_MM (6);
  for (int i = 0; i < 10; i++)
    {
      cairo_set_source_rgb (cr, 1 - i / 9.0, 1 - i / 9.0, 1 - i / 9.0);
      cairo_rectangle (cr, SP_MM (20 + i * 17), y, SP_MM (15), SP_MM (15));
      cairo_fill (cr);
    }
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int i = 0; i < 10; i++)
    sp_print_box (cr, SP_MM (20 + i * 17), y, SP_MM (15), SP_MM (15), 0.3);
}

SpPrintDocument *
sp_test_page_document_new (const char *printer)
{
  TestPage *t = g_new0 (TestPage, 1);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  t->printer = g_strdup (printer ? printer : "");
  t->when = sp_print_format_datetime (now);
  return sp_print_document_new ("Sportello PIN test page", FALSE, 1, test_page_draw, t, test_page_free);
}
