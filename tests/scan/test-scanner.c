/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SpScanner against the real SANE `test` backend (a private SANE_CONFIG_DIR):
 * devices, grey and colour pages at several resolutions, the feeder,
 * cancel mid-page, the backend's simulated faults, and the archive PDF of a
 * scan written to the test's temp folder and opened with poppler. */
#include "config.h"

#include <dlfcn.h>
#include <math.h>
#include <poppler.h>

#include "scan-test-util.h"
#include "sp-scan-archive.h"
#include "sp-scanner-private.h"

static char *sane_dir;

static SpScanner *
new_scanner (void)
{
  SpScanner *s = sp_scanner_new ();

  g_assert_nonnull (s);
  return s;
}

static void
on_devices (SpScanner *s, gboolean *changed)
{
  *changed = TRUE;
}

static void
test_devices (void)
{
  g_autoptr(SpScanner) s = new_scanner ();
  gboolean changed = FALSE;
  GPtrArray *devices;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  g_autoptr(GString) names = g_string_new (NULL);

  g_signal_connect (s, "devices-changed", G_CALLBACK (on_devices), &changed);
  sp_scanner_refresh_devices (s);
  g_assert_true (sp_scanner_is_refreshing (s));
  while (!changed && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (changed);
  g_assert_false (sp_scanner_is_refreshing (s));
  devices = sp_scanner_get_devices (s);
  for (guint i = 0; i < devices->len; i++)
    {
      SpScanDevice *d = g_ptr_array_index (devices, i);

      g_string_append_printf (names, "%s;", d->name);
      g_assert_nonnull (d->vendor);
      g_assert_nonnull (d->model);
    }
  g_assert_cmpstr (names->str, ==, "test:0;test:1;");
}

static void
test_default_device (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = sp_scanner_get_default_device ();
  g_autofree char *after = NULL;

  g_assert_null (before);
  g_assert_true (sp_scanner_set_default_device ("test:1", &error));
  g_assert_no_error (error);
  after = sp_scanner_get_default_device ();
  g_assert_cmpstr (after, ==, "test:1");

  {
    g_autoptr(SpScanner) s = new_scanner ();
    SpScanOptions opts;
    ScanRun run = { 0 };

    /* No device named: the remembered one; once it is gone (unplugged,
     * renamed), the first device found rather than an error. */
    sp_scan_options_init (&opts);
    opts.dpi = 50;
    scan_run (s, NULL, &opts, &run, 30);
    g_assert_no_error (run.error);
    g_assert_cmpuint (run.pages->len, ==, 1);
    scan_run_clear (&run);

    g_assert_true (sp_scanner_set_default_device ("test:9", &error));
    memset (&run, 0, sizeof run);
    scan_run (s, NULL, &opts, &run, 30);
    g_assert_no_error (run.error);
    g_assert_cmpuint (run.pages->len, ==, 1);
    scan_run_clear (&run);
  }
}

static guint
mm_to_px (double mm, guint dpi)
{
  return (guint) lround (mm / 25.4 * dpi);
}

static void
check_a4 (SpScanPage *page, guint dpi, gboolean colour)
{
  g_assert_cmpuint (sp_scan_page_get_dpi (page), ==, dpi);
  g_assert_cmpint (sp_scan_page_is_colour (page), ==, colour);
  /* The backend rounds mm to pixels its own way: within two pixels. */
  g_assert_cmpint (abs ((int) sp_scan_page_get_width (page) - (int) mm_to_px (210, dpi)), <=, 2);
  g_assert_cmpint (abs ((int) sp_scan_page_get_height (page) - (int) mm_to_px (297, dpi)), <=, 2);
}

static void
scan_grey_at (guint dpi)
{
  g_autoptr(SpScanner) s = new_scanner ();
  char *extra[] = { "test-picture=Grid", NULL };
  SpScanOptions opts;
  ScanRun run = { 0 };
  SpScanPage *page;
  guint black = 0, white = 0;

  sp_scan_options_init (&opts);
  opts.dpi = dpi;
  opts.extra_options = extra;
  scan_run (s, "test:0", &opts, &run, 30);
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.pages->len, ==, 1);
  g_assert_cmpuint (run.started, ==, 1);
  page = g_ptr_array_index (run.pages, 0);
  check_a4 (page, dpi, FALSE);
  /* The grid: both black lines and white squares came through. */
  for (guint y = 0; y < sp_scan_page_get_height (page); y += 7)
    for (guint x = 0; x < sp_scan_page_get_width (page); x += 7)
      {
        guint8 v = sp_scan_page_get_grey (page, x, y);

        black += v < 64;
        white += v > 192;
      }
  g_assert_cmpuint (black, >, 0);
  g_assert_cmpuint (white, >, black);
  /* Progress as lines arrived, up to the last line, with a preview. */
  g_assert_cmpuint (run.progress, >=, 2);
  g_assert_cmpuint (run.last_lines, ==, sp_scan_page_get_height (page));
  g_assert_true (run.preview_seen);
  g_assert_null (sp_scanner_get_preview (s));
  scan_run_clear (&run);
}

static void test_grey_75 (void) { scan_grey_at (75); }
static void test_grey_150 (void) { scan_grey_at (150); }
static void test_grey_300 (void) { scan_grey_at (300); }

static void
test_colour (void)
{
  g_autoptr(SpScanner) s = new_scanner ();
  char *extra[] = { "test-picture=Color pattern", NULL };
  SpScanOptions opts;
  ScanRun run = { 0 };
  SpScanPage *page;
  gboolean chroma = FALSE;
  const guint8 *data;

  sp_scan_options_init (&opts);
  opts.colour = TRUE;
  opts.dpi = 200;
  opts.extra_options = extra;
  scan_run (s, "test:0", &opts, &run, 30);
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.pages->len, ==, 1);
  page = g_ptr_array_index (run.pages, 0);
  check_a4 (page, 200, TRUE);
  data = sp_scan_page_peek_data (page);
  for (gsize i = 0; i < sp_scan_page_get_stride (page) * sp_scan_page_get_height (page) && !chroma; i += 3 * 97)
    chroma = data[i] != data[i + 1] || data[i + 1] != data[i + 2];
  g_assert_true (chroma);
  scan_run_clear (&run);
}

static void
test_id1_area (void)
{
  g_autoptr(SpScanner) s = new_scanner ();
  SpScanOptions opts;
  ScanRun run = { 0 };
  SpScanPage *page;

  sp_scan_options_init (&opts);
  opts.colour = TRUE;
  opts.area = SP_SCAN_AREA_ID1;
  scan_run (s, "test:0", &opts, &run, 30);
  g_assert_no_error (run.error);
  page = g_ptr_array_index (run.pages, 0);
  g_assert_cmpint (abs ((int) sp_scan_page_get_width (page) - (int) mm_to_px (90, 300)), <=, 2);
  g_assert_cmpint (abs ((int) sp_scan_page_get_height (page) - (int) mm_to_px (58, 300)), <=, 2);
  scan_run_clear (&run);
}

static void
test_feeder (void)
{
  g_autoptr(SpScanner) s = new_scanner ();
  SpScanOptions opts;
  ScanRun run = { 0 };

  /* The backend's feeder holds 10 sheets: all of them, then done. */
  sp_scan_options_init (&opts);
  opts.source = SP_SCAN_SOURCE_ADF;
  opts.dpi = 50;
  scan_run (s, "test:0", &opts, &run, 30);
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.pages->len, ==, 10);
  g_assert_cmpuint (run.started, ==, 10);
  scan_run_clear (&run);

  /* A limit stops earlier. */
  memset (&run, 0, sizeof run);
  opts.max_pages = 3;
  scan_run (s, "test:0", &opts, &run, 30);
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.pages->len, ==, 3);
  scan_run_clear (&run);

  /* Duplex, which this device lacks, falls back to its feeder: front and
   * back of a card arrive as two pages. */
  memset (&run, 0, sizeof run);
  opts.source = SP_SCAN_SOURCE_DUPLEX;
  opts.max_pages = 2;
  opts.colour = TRUE;
  scan_run (s, "test:0", &opts, &run, 30);
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.pages->len, ==, 2);
  g_assert_true (sp_scan_page_is_colour (g_ptr_array_index (run.pages, 1)));
  scan_run_clear (&run);
}

static void
test_cancel (void)
{
  g_autoptr(SpScanner) s = new_scanner ();
  char *slow[] = { "read-limit=yes", "read-limit-size=4096", "read-delay=yes",
                   "read-delay-duration=20000", NULL };
  SpScanOptions opts;
  ScanRun run = { 0 };
  gint64 t0;

  /* A slow device: ~4 KB every 20 ms, so an A4 page would take minutes. */
  sp_scan_options_init (&opts);
  opts.dpi = 150;
  opts.extra_options = slow;
  run.cancel_at_progress = 2;
  t0 = g_get_monotonic_time ();
  scan_run (s, "test:0", &opts, &run, 30);
  g_assert_error (run.error, SP_SCAN_ERROR, SP_SCAN_ERROR_CANCELLED);
  g_assert_true (run.cancelled);
  g_assert_cmpuint (run.pages->len, ==, 0);
  g_assert_null (sp_scanner_get_preview (s));
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 10 * G_USEC_PER_SEC);

  /* Nothing more of that job ever comes, even while the worker winds down. */
  for (int i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  g_assert_cmpuint (run.after_cancel, ==, 0);
  scan_run_clear (&run);

  /* The device was released: the next job works. */
  memset (&run, 0, sizeof run);
  sp_scan_options_init (&opts);
  opts.dpi = 50;
  scan_run (s, "test:0", &opts, &run, 30);
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.pages->len, ==, 1);
  scan_run_clear (&run);
}

static void
test_cancel_queued (void)
{
  g_autoptr(SpScanner) s = new_scanner ();
  SpScanOptions opts;
  ScanRun run = { 0 };
  guint job;

  /* Cancelled before the worker starts it: job-done CANCELLED, no pages. */
  sp_scan_options_init (&opts);
  opts.dpi = 50;
  run.pages = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_scan_page_unref);
  g_signal_connect (s, "page-done", G_CALLBACK (scan_run_page_done), &run);
  g_signal_connect (s, "job-done", G_CALLBACK (scan_run_job_done), &run);
  job = sp_scanner_start (s, "test:0", &opts);
  run.job = job;
  sp_scanner_cancel (s, job);
  g_assert_false (run.done);   /* from the main loop, not re-entrantly */
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (run.error, SP_SCAN_ERROR, SP_SCAN_ERROR_CANCELLED);
  for (int i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  g_assert_cmpuint (run.pages->len, ==, 0);
  scan_run_clear (&run);
}

/* Switches the backend's slow-device options off again (it keeps option
 * values while SANE is up). */
static void
extra_reset (SpScanOptions *opts)
{
  static char *fast[] = { "read-limit=no", "read-delay=no", NULL };

  sp_scan_options_init (opts);
  opts->dpi = 50;
  opts->extra_options = fast;
}

static void
test_stall (void)
{
  g_autoptr(SpScanner) s = new_scanner ();
  char *slow[] = { "read-limit=yes", "read-limit-size=1", "read-delay=yes",
                   "read-delay-duration=200000", NULL };
  SpScanOptions opts;
  ScanRun run = { 0 };
  gint64 t0;

  /* A device that pauses 0.2 s between buffers, against a 0.1 s stall: the
   * job ends with "not responding" after the stall timeout, not never. */
  sp_scanner_set_stall_timeout (s, 100);
  sp_scan_options_init (&opts);
  opts.dpi = 100;
  opts.extra_options = slow;
  t0 = g_get_monotonic_time ();
  scan_run (s, "test:0", &opts, &run, 30);
  g_assert_error (run.error, SP_SCAN_ERROR, SP_SCAN_ERROR_NOT_RESPONDING);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 5 * G_USEC_PER_SEC);
  scan_run_clear (&run);

  /* The worker noticed at its next read and let the device go. */
  memset (&run, 0, sizeof run);
  sp_scanner_set_stall_timeout (s, 10000);
  extra_reset (&opts);
  scan_run (s, "test:0", &opts, &run, 30);
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.pages->len, ==, 1);
  scan_run_clear (&run);
}

typedef struct {
  char username[SP_SCAN_MAX_USERNAME];
  char password[SP_SCAN_MAX_PASSWORD];
  gboolean done;
} AuthProbe;

static gpointer
authorize_thread (gpointer data)
{
  AuthProbe *probe = data;

  /* What SANE does on the worker thread when a backend wants a password. */
  sp_scan_worker_authorize ("net:scanner.sede$MD5$abc", probe->username, probe->password);
  g_atomic_int_set (&probe->done, TRUE);
  return NULL;
}

static void
on_password (SpScanner *s, const char *resource, gpointer data)
{
  guint *asked = data;

  (*asked)++;
  g_assert_cmpstr (resource, ==, "net:scanner.sede$MD5$abc");
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  sp_scanner_answer_password (s, "operatore", "segreto");
}

static void
probe_password (SpScanner *s, AuthProbe *probe)
{
  GThread *thread = g_thread_new ("probe", authorize_thread, probe);

  while (!g_atomic_int_get (&probe->done))
    g_main_context_iteration (NULL, FALSE);
  g_thread_join (thread);
}

static void
test_password (void)
{
  g_autoptr(SpScanner) s = new_scanner ();
  AuthProbe probe = { 0 };
  guint asked = 0;
  gboolean changed = FALSE;

  /* Once the worker answered a request, SANE is up on it (as it would be
   * when a backend asks). */
  g_signal_connect (s, "devices-changed", G_CALLBACK (on_devices), &changed);
  sp_scanner_refresh_devices (s);
  while (!changed)
    g_main_context_iteration (NULL, TRUE);

  /* Routed to the UI's handler on the main thread; the answer goes back. */
  sp_scanner_set_password_func (s, on_password, &asked, NULL);
  probe_password (s, &probe);
  g_assert_cmpuint (asked, ==, 1);
  g_assert_cmpstr (probe.username, ==, "operatore");
  g_assert_cmpstr (probe.password, ==, "segreto");

  /* Without a handler the backend is told "no password", at once. */
  memset (&probe, 0, sizeof probe);
  sp_scanner_set_password_func (s, NULL, NULL, NULL);
  probe_password (s, &probe);
  g_assert_cmpstr (probe.username, ==, "");
  g_assert_cmpstr (probe.password, ==, "");
}

typedef struct {
  const char *status;
  SpScanError code;
} Fault;

static void
test_faults (void)
{
  static const Fault faults[] = {
    { "SANE_STATUS_JAMMED", SP_SCAN_ERROR_JAMMED },
    { "SANE_STATUS_NO_DOCS", SP_SCAN_ERROR_NO_DOCS },
    { "SANE_STATUS_COVER_OPEN", SP_SCAN_ERROR_COVER_OPEN },
    { "SANE_STATUS_IO_ERROR", SP_SCAN_ERROR_IO },           /* unplugged mid-page */
    { "SANE_STATUS_NO_MEM", SP_SCAN_ERROR_NO_MEM },
    { "SANE_STATUS_DEVICE_BUSY", SP_SCAN_ERROR_BUSY },
    { "SANE_STATUS_ACCESS_DENIED", SP_SCAN_ERROR_ACCESS_DENIED },
    { "SANE_STATUS_EOF", SP_SCAN_ERROR_BAD_PAGE },          /* a page with no lines */
    { "SANE_STATUS_INVAL", SP_SCAN_ERROR_FAILED },
  };
  g_autoptr(SpScanner) s = new_scanner ();

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autofree char *fault = g_strdup_printf ("read-return-value=%s", faults[i].status);
      char *extra[] = { fault, NULL };
      SpScanOptions opts;
      ScanRun run = { 0 };

      /* 300 dpi: the backend's reader thread is still writing when the
       * fault stops the page, so its cancellation is exercised too (see
       * the mallopt in sp_scanner_new for why that once hung). */
      sp_scan_options_init (&opts);
      opts.extra_options = extra;
      scan_run (s, "test:0", &opts, &run, 30);
      g_test_message ("%s -> %s", faults[i].status, run.error ? run.error->message : "ok");
      g_assert_error (run.error, SP_SCAN_ERROR, (gint) faults[i].code);
      /* A message for the operator, not a SANE status name. */
      g_assert_null (strstr (run.error->message, "SANE_STATUS"));
      g_assert_cmpuint (run.pages->len, ==, 0);
      scan_run_clear (&run);

      /* Retry once the operator fixed it (the backend keeps its option
       * values while SANE is up, so the fault is switched off): the
       * device was left usable. */
      memset (&run, 0, sizeof run);
      extra[0] = (char *) "read-return-value=Default";
      scan_run (s, "test:0", &opts, &run, 30);
      g_assert_no_error (run.error);
      g_assert_cmpuint (run.pages->len, ==, 1);
      scan_run_clear (&run);
    }
}

static void
test_no_device (void)
{
  g_autoptr(SpScanner) s = new_scanner ();
  ScanRun run = { 0 };

  scan_run (s, "test:7", NULL, &run, 30);
  g_assert_error (run.error, SP_SCAN_ERROR, SP_SCAN_ERROR_NO_DEVICE);
  scan_run_clear (&run);
  memset (&run, 0, sizeof run);
  scan_run (s, "nosuchbackend:0", NULL, &run, 30);
  g_assert_error (run.error, SP_SCAN_ERROR, SP_SCAN_ERROR_NO_DEVICE);
  scan_run_clear (&run);
}

static void
test_unknown_height (void)
{
  g_autoptr(SpScanner) s = new_scanner ();
  char *extra[] = { "hand-scanner=yes", NULL };
  SpScanOptions opts;
  ScanRun run = { 0 };
  SpScanPage *page;

  /* A hand scanner does not announce the height (lines = -1): the page
   * grows as lines come, and ends at the last line received. */
  sp_scan_options_init (&opts);
  opts.dpi = 100;
  opts.extra_options = extra;
  scan_run (s, "test:0", &opts, &run, 30);
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.pages->len, ==, 1);
  page = g_ptr_array_index (run.pages, 0);
  g_assert_cmpint (abs ((int) sp_scan_page_get_width (page) - (int) mm_to_px (110, 100)), <=, 2);
  g_assert_cmpuint (sp_scan_page_get_height (page), >, 0);
  g_assert_cmpuint (run.last_lines, ==, sp_scan_page_get_height (page));
  scan_run_clear (&run);
}

static void
test_depth16 (void)
{
  g_autoptr(SpScanner) s = new_scanner ();
  char *extra[] = { "depth=16", "test-picture=Grid", NULL };
  SpScanOptions opts;
  ScanRun run = { 0 };
  SpScanPage *page;

  sp_scan_options_init (&opts);
  opts.dpi = 50;
  opts.extra_options = extra;
  scan_run (s, "test:0", &opts, &run, 30);
  g_assert_no_error (run.error);
  page = g_ptr_array_index (run.pages, 0);
  check_a4 (page, 50, FALSE);
  scan_run_clear (&run);
}

static void
check_pdf (const char *path, guint n_pages, guint min_dpi, guint max_dpi, const char *title)
{
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(GError) error = NULL;
  PopplerDocument *doc = poppler_document_new_from_file (uri, NULL, &error);
  g_autofree char *doc_title = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (poppler_document_get_n_pages (doc), ==, n_pages);
  doc_title = poppler_document_get_title (doc);
  g_assert_cmpstr (doc_title, ==, title);
  g_assert_cmpint (poppler_document_get_creation_date (doc), >, 0);
  for (guint i = 0; i < n_pages; i++)
    {
      PopplerPage *page = poppler_document_get_page (doc, (int) i);
      GList *images = poppler_page_get_image_mapping (page);
      PopplerImageMapping *map;
      cairo_surface_t *image;
      double w, h, image_dpi;

      poppler_page_get_size (page, &w, &h);
      /* A4 in points. */
      g_assert_cmpfloat (fabs (w - 595.3), <, 2.0);
      g_assert_cmpfloat (fabs (h - 841.9), <, 2.0);
      g_assert_cmpuint (g_list_length (images), ==, 1);
      map = images->data;
      image = poppler_page_get_image (page, map->image_id);
      image_dpi = cairo_image_surface_get_width (image) / ((map->area.x2 - map->area.x1) / 72.0);
      g_assert_cmpfloat (image_dpi, >, min_dpi - 1.0);
      g_assert_cmpfloat (image_dpi, <, max_dpi + 1.0);
      cairo_surface_destroy (image);
      poppler_page_free_image_mapping (images);
      g_object_unref (page);
    }
  g_object_unref (doc);
}

/* Scan from test:0, archive, write the PDF into the temp folder, check it
 * with poppler: the whole chain the app runs, minus the dialog. */
static void
scan_and_archive (gboolean colour, const char *picture, guint n_pages, guint min_dpi)
{
  g_autoptr(SpScanner) s = new_scanner ();
  g_autofree char *option = g_strdup_printf ("test-picture=%s", picture);
  char *extra[] = { option, NULL };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("%s-%s.pdf", colour ? "document" : "mv35", picture);
  g_autofree char *path = g_build_filename (sane_dir, name, NULL);
  g_autofree char *sha = NULL;
  SpScanOptions opts;
  ScanRun run = { 0 };
  gint64 t0;

  sp_scan_options_init (&opts);
  opts.colour = colour;
  opts.source = n_pages > 1 ? SP_SCAN_SOURCE_ADF : SP_SCAN_SOURCE_FLATBED;
  opts.max_pages = n_pages;
  opts.extra_options = extra;
  scan_run (s, "test:0", &opts, &run, 60);
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.pages->len, ==, n_pages);

  t0 = g_get_monotonic_time ();
  pdf = sp_scan_archive_pdf (run.pages, colour ? SP_SCAN_ARCHIVE_DOCUMENT : SP_SCAN_ARCHIVE_FORM,
                             "Modulo MV35", now, &error);
  g_assert_no_error (error);
  g_test_message ("%s: %u pages, %zu bytes, %.0f ms", path, n_pages, g_bytes_get_size (pdf),
                  (g_get_monotonic_time () - t0) / 1000.0);
  g_assert_cmpuint (g_bytes_get_size (pdf), <=, n_pages * SP_SCAN_ARCHIVE_PAGE_BUDGET + 4096);
  sha = sp_scan_archive_sha256 (pdf);
  g_assert_cmpuint (strlen (sha), ==, 64);
  g_file_set_contents (path, g_bytes_get_data (pdf, NULL), (gssize) g_bytes_get_size (pdf), &error);
  g_assert_no_error (error);
  check_pdf (path, n_pages, min_dpi, 300, "Modulo MV35");
  scan_run_clear (&run);
}

static void test_archive_grey (void) { scan_and_archive (FALSE, "Grid", 3, 300); }
static void test_archive_colour (void) { scan_and_archive (TRUE, "Grid", 2, 300); }
/* The backend's colour pattern is JPEG's worst case (hard colour edges
 * everywhere): the page still fits its budget, at a lower resolution. */
static void test_archive_pattern (void) { scan_and_archive (TRUE, "Color pattern", 1, 100); }

int
main (int argc, char **argv)
{
  g_autofree char *config = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  /* Kept mapped after SANE's dlclose, so a leak report can name it. */
  dlopen (SANE_TEST_BACKEND, RTLD_NOW | RTLD_NODELETE);
  sane_dir = scan_test_sane_config ();
  config = g_build_filename (sane_dir, "config", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);

  g_test_add_func ("/scanner/devices", test_devices);
  g_test_add_func ("/scanner/default-device", test_default_device);
  g_test_add_func ("/scanner/grey-75", test_grey_75);
  g_test_add_func ("/scanner/grey-150", test_grey_150);
  g_test_add_func ("/scanner/grey-300", test_grey_300);
  g_test_add_func ("/scanner/colour", test_colour);
  g_test_add_func ("/scanner/id1-area", test_id1_area);
  g_test_add_func ("/scanner/feeder", test_feeder);
  g_test_add_func ("/scanner/cancel", test_cancel);
  g_test_add_func ("/scanner/cancel-queued", test_cancel_queued);
  g_test_add_func ("/scanner/faults", test_faults);
  g_test_add_func ("/scanner/stall", test_stall);
  g_test_add_func ("/scanner/password", test_password);
  g_test_add_func ("/scanner/no-device", test_no_device);
  g_test_add_func ("/scanner/unknown-height", test_unknown_height);
  g_test_add_func ("/scanner/depth16", test_depth16);
  g_test_add_func ("/scanner/archive-grey", test_archive_grey);
  g_test_add_func ("/scanner/archive-colour", test_archive_colour);
  g_test_add_func ("/scanner/archive-pattern", test_archive_pattern);
  ret = g_test_run ();
  scan_test_rmdir (sane_dir);
  g_free (sane_dir);
  return ret;
}
