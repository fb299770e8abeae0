/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Time and bytes per A4 page at 300 dpi, grey and colour: the archive step
 * alone (a noisy text page, as a scanner gives it), and the whole chain
 * from the SANE test backend through the archive. Lines "name: value unit". */
#include "config.h"

#include <glib.h>

#include "../../scan/scan-test-util.h"
#include "sp-scan-archive.h"

#define ROUNDS 5

static SpScanPage *
noisy_page (gboolean colour)
{
  SpScanPage *page = sp_scan_page_new (2480, 3508, 300, colour);
  guint8 *data = sp_scan_page_get_data (page);
  gsize stride = sp_scan_page_get_stride (page);
  guint32 seed = 1;

  /* Paper with sensor noise, and ~12 % of the page in dark strokes the
   * size of 9-point text, in lines. */
  for (guint y = 0; y < 3508; y++)
    for (gsize x = 0; x < stride; x++)
      {
        gboolean ink = (y / 12) % 4 == 1 && (y % 12) < 9 && ((x / 7) % 3) != 0 && y > 300 && y < 3200;

        seed = seed * 1103515245 + 12345;
        data[y * stride + x] = (guint8) ((ink ? 30 : 238) + (int) ((seed >> 16) % 9) - 4);
      }
  return page;
}

static void
bench_archive (gboolean colour)
{
  g_autoptr(SpScanPage) page = noisy_page (colour);
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *name = colour ? "colour" : "grey";
  double best = G_MAXDOUBLE;
  gsize bytes = 0;

  g_ptr_array_add (pages, page);
  for (int i = 0; i < ROUNDS; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(GBytes) pdf = sp_scan_archive_pdf (pages, colour ? SP_SCAN_ARCHIVE_DOCUMENT
                                                                 : SP_SCAN_ARCHIVE_FORM,
                                                   "bench", now, &error);

      g_assert_no_error (error);
      best = MIN (best, (g_get_monotonic_time () - t0) / 1000.0);
      bytes = g_bytes_get_size (pdf);
    }
  g_print ("archive-a4-300dpi-%s-time: %.1f ms\n", name, best);
  g_print ("archive-a4-300dpi-%s-size: %zu bytes\n", name, bytes);
}

static void
bench_scan (SpScanner *s, gboolean colour)
{
  char *extra[] = { "test-picture=Grid", NULL };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  SpScanOptions opts;
  ScanRun run = { 0 };
  gint64 t0, t1;

  sp_scan_options_init (&opts);
  opts.colour = colour;
  opts.source = SP_SCAN_SOURCE_ADF;
  opts.max_pages = ROUNDS;
  opts.extra_options = extra;
  t0 = g_get_monotonic_time ();
  scan_run (s, "test:0", &opts, &run, 120);
  g_assert_no_error (run.error);
  t1 = g_get_monotonic_time ();
  pdf = sp_scan_archive_pdf (run.pages, colour ? SP_SCAN_ARCHIVE_DOCUMENT : SP_SCAN_ARCHIVE_FORM,
                             "bench", now, &error);
  g_assert_no_error (error);
  g_print ("sane-test-a4-300dpi-%s-scan: %.1f ms/page\n", colour ? "colour" : "grey",
           (t1 - t0) / 1000.0 / run.pages->len);
  g_print ("sane-test-a4-300dpi-%s-archive: %.1f ms/page\n", colour ? "colour" : "grey",
           (g_get_monotonic_time () - t1) / 1000.0 / run.pages->len);
  g_print ("sane-test-a4-300dpi-%s-size: %zu bytes/page\n", colour ? "colour" : "grey",
           g_bytes_get_size (pdf) / run.pages->len);
  scan_run_clear (&run);
}

int
main (void)
{
  g_autofree char *dir = scan_test_sane_config ();
  SpScanner *s;

  bench_archive (FALSE);
  bench_archive (TRUE);
  s = sp_scanner_new ();
  bench_scan (s, FALSE);
  bench_scan (s, TRUE);
  g_object_unref (s);
  scan_test_rmdir (dir);
  return 0;
}
