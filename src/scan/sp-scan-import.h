/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sp-scan-page.h"

G_BEGIN_DECLS

/* Import of an attachment from a file instead of a scanner. The file comes
 * from outside (a citizen's e-mail, a USB stick): it is read, never trusted.
 * Its type is told by its first bytes, not by its name; PDFs are rendered
 * with poppler, images decoded with gdk-pixbuf, and each stage is bounded. */
typedef struct {
  gsize max_bytes;    /* of the file */
  guint max_pages;
  guint max_side;     /* pixels, either side of a page */
  guint64 max_pixels; /* per page */
  guint pdf_dpi;      /* PDF pages are rendered at this */
} SpScanImportLimits;

/* 25 MB, 20 pages, 12000 px a side, 80 Mpx a page, PDF at 300 dpi. */
const SpScanImportLimits *sp_scan_import_default_limits (void);

/* pages: set to a new array of SpScanPage on success. */
gboolean sp_scan_import_file  (GFile                    *file,
                               GCancellable             *cancellable,
                               GPtrArray               **pages,
                               GError                  **error);
/* The same from memory; limits NULL for the defaults. The fuzzer's entry. */
gboolean sp_scan_import_bytes (GBytes                   *bytes,
                               const SpScanImportLimits *limits,
                               GCancellable             *cancellable,
                               GPtrArray               **pages,
                               GError                  **error);

G_END_DECLS
