/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Render time of each document (mean and p99), drawn as for printing:
 * the PDF in memory that SpPrintService streams to CUPS
 * (sp_print_document_spool).
 *
 *   bench-print [--iterations N] [--png DIR]
 *   LANGUAGE=it SP_LOCALEDIR=_build/po bench-print --png DIR   (in Italian)
 *
 * --png writes each document's first page at 100 dpi to DIR (the
 * envelope with a demo citizen and a made-up PIN): that is how
 * data/screenshots/envelope.png is made. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "../../print/print-fixture.h"
#include "sp-calibration.h"
#include "sp-envelope.h"
#include "sp-mv35.h"
#include "sp-receipt.h"
#include "sp-register.h"

#define DEMO_PIN "K7QM4TXRH9ZC3PWA"

static GPtrArray *
register_entries (guint n)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_register_entry_free);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SpIssuance) is = fixture_issuance (i % 7 == 0, i % 5 == 0);

      g_ptr_array_add (entries, sp_register_entry_new (is, SP_ISSUANCE_STATUS_ACTIVE));
    }
  return entries;
}

static SpPrintDocument *
make (const char *what,
      SpIssuance *is,
      SpPin      *pin,
      GPtrArray  *entries)
{
  SpEnvelopeOptions options = { SP_ENVELOPE_LAYOUT_A4_DL, "Sede 0700", "Via Mac Mahon 4, 20155 Milano", 0, 0 };
  GDate date;

  g_date_set_dmy (&date, 22, 11, 2026);
  if (g_str_equal (what, "envelope"))
    return sp_envelope_document_new (is, pin, &options);
  if (g_str_equal (what, "receipt"))
    return sp_receipt_document_new (is, "Sede 0700", "Mario Rossi",
                                    SP_RECEIPT_COPY_CITIZEN | SP_RECEIPT_COPY_ARCHIVE);
  if (g_str_equal (what, "mv35"))
    return sp_mv35_document_new (is, "Sede 0700");
  if (g_str_equal (what, "calibration"))
    return sp_calibration_document_new (SP_ENVELOPE_LAYOUT_A4_DL, 0, 0);
  return sp_register_document_new (&date, "Sede 0700", NULL, entries);
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
bench (const char *what,
       guint       iterations,
       SpIssuance *is,
       SpPin      *pin,
       GPtrArray  *entries)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  double sum = 0;

  for (guint i = 0; i < iterations; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(SpPrintDocument) doc = make (what, is, pin, entries);
      g_autoptr(SpPrintSpool) spool = sp_print_document_spool (doc, NULL);
      double ms;

      g_assert (spool != NULL && spool->len > 0);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      g_array_append_val (times, ms);
      sum += ms;
    }
  g_array_sort (times, cmp_double);
  printf ("%s-render-mean: %.2f ms\n", what, sum / iterations);
  printf ("%s-render-p99: %.2f ms\n", what,
          g_array_index (times, double, MIN (times->len - 1, (guint) (times->len * 0.99))));
}

static void
write_png_as (const char *dir,
              const char *what,
              const char *name,
              SpIssuance *is,
              SpPin      *pin,
              GPtrArray  *entries)
{
  const double scale = 100 / 72.0;   /* 100 dpi */
  g_autoptr(SpPrintDocument) doc = make (what, is, pin, entries);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) (SP_A4_WIDTH * scale),
                                                         (int) (SP_A4_HEIGHT * scale));
  cairo_t *cr = cairo_create (surface);
  g_autofree char *path = g_strdup_printf ("%s/%s.png", dir, name);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  /* The first page; the envelope, print-once, only draws whole. */
  if (sp_print_document_is_print_once (doc))
    sp_print_document_draw (doc, cr, SP_A4_WIDTH, SP_A4_HEIGHT, NULL);
  else
    sp_print_document_draw_page (doc, cr, SP_A4_WIDTH, SP_A4_HEIGHT, 0);
  cairo_destroy (cr);
  if (cairo_surface_write_to_png (surface, path) != CAIRO_STATUS_SUCCESS)
    g_printerr ("cannot write %s\n", path);
  cairo_surface_destroy (surface);
}

static void
write_png (const char *dir,
           const char *what,
           SpIssuance *is,
           SpPin      *pin,
           GPtrArray  *entries)
{
  write_png_as (dir, what, what, is, pin, entries);
}

int
main (int argc, char **argv)
{
  const char *documents[] = { "envelope", "receipt", "mv35", "register", "calibration" };
  guint iterations = 200;
  g_autofree char *png = NULL;
  GOptionEntry options[] = {
    { "iterations", 'n', 0, G_OPTION_ARG_INT, &iterations, "renderings per document", "N" },
    { "png", 0, 0, G_OPTION_ARG_FILENAME, &png, "write each document's first page as PNG to DIR", "DIR" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(SpIssuance) is = fixture_issuance (FALSE, FALSE);
  g_autoptr(SpPin) pin = sp_pin_new_from_string (DEMO_PIN);
  g_autoptr(GPtrArray) entries = register_entries (60);

  setlocale (LC_ALL, "");
  /* The documents print in the UI language: LANGUAGE=it with the
   * catalogue from the build tree (SP_LOCALEDIR=_build/po). */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SP_LOCALEDIR") ? g_getenv ("SP_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, NULL) || iterations == 0)
    return 2;
  /* Fixed, so that the screenshot only changes when the layout does. */
  g_free (is->id);
  is->id = g_strdup ("3f2c9a1e-5b7d-4e08-9c61-d2a4b8e07f15");
  g_clear_pointer (&is->issued_at, g_date_time_unref);
  is->issued_at = g_date_time_new_utc (2026, 11, 22, 9, 41, 0);
  if (png != NULL)
    {
      g_autoptr(SpIssuance) minor = fixture_issuance (TRUE, TRUE);
      g_autoptr(SpPin) pin2 = sp_pin_new_from_string (DEMO_PIN);

      for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
        write_png (png, documents[i], is, pin, entries);
      /* A minor's request made by a parent, offline: the longest forms. */
      write_png_as (png, "envelope", "envelope-minor", minor, pin2, entries);
      write_png_as (png, "receipt", "receipt-minor", minor, pin2, entries);
      write_png_as (png, "mv35", "mv35-minor", minor, pin2, entries);
      return 0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    bench (documents[i], iterations, is, pin, entries);
  return 0;
}
