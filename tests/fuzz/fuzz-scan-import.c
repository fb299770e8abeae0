/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A file to import comes from outside (e-mail, USB stick): never trusted.
 * Small limits keep each run fast and within the fuzzer's memory. */
#include "sp-scan-import.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const SpScanImportLimits limits = {
    .max_bytes = 1024 * 1024,
    .max_pages = 3,
    .max_side = 2000,
    .max_pixels = 2 * 1000 * 1000,
    .pdf_dpi = 72,
  };
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(GError) error = NULL;

  if (sp_scan_import_bytes (bytes, &limits, NULL, &pages, &error))
    g_assert (pages != NULL && pages->len > 0);
  else
    g_assert (error != NULL && pages == NULL);
  return 0;
}
