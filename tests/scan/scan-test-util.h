/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the scan tests and the benchmark: a private SANE configuration
 * with only the `test` backend, and a helper to run a job to its end. */
#pragma once

#include <glib/gstdio.h>

#include "sp-scanner.h"

/* A temp folder as SANE_CONFIG_DIR: dll.conf with `test`, test.conf with a
 * glass large enough for A4. Returns the folder (caller removes it). */
static inline char *
scan_test_sane_config (void)
{
  static const char test_conf[] =
    "number_of_devices 2\n"
    "mode Gray\ndepth 8\nhand-scanner false\nthree-pass false\nthree-pass-order RGB\n"
    "resolution_min 1.0\nresolution_max 1200.0\nresolution_quant 1.0\nresolution 50.0\n"
    "test-picture \"Solid black\"\ninvert-endianess false\nread-limit false\n"
    "read-limit-size 1\nread-delay false\nread-delay-duration 1000\n"
    "read-status-code \"Default\"\nfuzzy-parameters false\nppl-loss 0\nnon-blocking false\n"
    "select-fd false\nenable-test-options false\n"
    "geometry_min 0.0\ngeometry_max 300.0\ngeometry_quant 1.0\n"
    "tl_x 0.0\ntl_y 0.0\nbr_x 80.0\nbr_y 100.0\n";
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("sp-scan-XXXXXX", &error);
  g_autofree char *dll = NULL, *test = NULL;

  g_assert_no_error (error);
  dll = g_build_filename (dir, "dll.conf", NULL);
  test = g_build_filename (dir, "test.conf", NULL);
  g_file_set_contents (dll, "test\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (test, test_conf, -1, &error);
  g_assert_no_error (error);
  g_setenv ("SANE_CONFIG_DIR", dir, TRUE);
  return dir;
}

static inline void
scan_test_rmdir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        scan_test_rmdir (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

typedef struct {
  guint job;
  gboolean done;
  GError *error;
  GPtrArray *pages;          /* of SpScanPage */
  guint started;
  guint progress;            /* page-progress signals */
  guint last_lines;
  gboolean preview_seen;     /* a preview with the lines so far */
  guint cancel_at_progress;  /* cancel on this progress signal (0: never) */
  guint after_cancel;        /* signals of this job after the cancel */
  gboolean cancelled;
} ScanRun;

static inline void
scan_run_page_started (SpScanner *s, guint job, guint page, guint w, guint h, ScanRun *run)
{
  if (job != run->job)
    return;
  if (run->cancelled)
    run->after_cancel++;
  run->started++;
  run->last_lines = 0;
}

static inline void
scan_run_progress (SpScanner *s, guint job, guint page, guint lines, ScanRun *run)
{
  SpScanPage *preview = sp_scanner_get_preview (s);

  if (job != run->job)
    return;
  if (run->cancelled)
    run->after_cancel++;
  run->progress++;
  g_assert_cmpuint (lines, >=, run->last_lines);
  run->last_lines = lines;
  if (preview != NULL && sp_scan_page_get_height (preview) >= lines)
    run->preview_seen = TRUE;
  if (run->cancel_at_progress != 0 && run->progress == run->cancel_at_progress)
    {
      run->cancelled = TRUE;
      sp_scanner_cancel (s, job);
    }
}

static inline void
scan_run_page_done (SpScanner *s, guint job, guint page, SpScanPage *p, ScanRun *run)
{
  if (job != run->job)
    return;
  if (run->cancelled)
    run->after_cancel++;
  g_assert_cmpuint (page, ==, run->pages->len);
  g_ptr_array_add (run->pages, sp_scan_page_ref (p));
}

static inline void
scan_run_job_done (SpScanner *s, guint job, const GError *error, ScanRun *run)
{
  if (job != run->job)
    return;
  g_assert_false (run->done);
  run->done = TRUE;
  run->error = error != NULL ? g_error_copy (error) : NULL;
}

static inline void
scan_run_clear (ScanRun *run)
{
  g_clear_error (&run->error);
  g_clear_pointer (&run->pages, g_ptr_array_unref);
}

/* Runs one job on s to its job-done (at most timeout_s seconds). */
static inline void
scan_run (SpScanner           *s,
          const char          *device,
          const SpScanOptions *opts,
          ScanRun             *run,
          guint                timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;
  gulong ids[4];

  run->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_scan_page_unref);
  ids[0] = g_signal_connect (s, "page-started", G_CALLBACK (scan_run_page_started), run);
  ids[1] = g_signal_connect (s, "page-progress", G_CALLBACK (scan_run_progress), run);
  ids[2] = g_signal_connect (s, "page-done", G_CALLBACK (scan_run_page_done), run);
  ids[3] = g_signal_connect (s, "job-done", G_CALLBACK (scan_run_job_done), run);
  run->job = sp_scanner_start (s, device, opts);
  g_assert_cmpuint (run->job, >, 0);
  while (!run->done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_signal_handler_disconnect (s, ids[i]);
}
