/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "sp-scan-page.h"

G_BEGIN_DECLS

/* What an attachment is decides how it is kept: forms (MV35, declarations)
 * in grey, identity documents in colour; both at 300 dpi at most. */
typedef enum {
  SP_SCAN_ARCHIVE_FORM,      /* greyscale */
  SP_SCAN_ARCHIVE_DOCUMENT,  /* colour */
} SpScanArchiveKind;

#define SP_SCAN_ARCHIVE_DPI 300
/* The bar in DESIGN §9: an A4 page at 300 dpi in at most this. */
#define SP_SCAN_ARCHIVE_PAGE_BUDGET (500 * 1024)

/* One PDF for the attachment, built in memory (never on disk): one page per
 * scan, each a JPEG (DCT) image at the page's physical size, with the title
 * and creation date in the PDF's metadata. pages: of SpScanPage. */
GBytes *sp_scan_archive_pdf          (GPtrArray         *pages,
                                      SpScanArchiveKind  kind,
                                      const char        *title,
                                      GDateTime         *created,
                                      GError           **error);
/* Lowercase hex SHA-256 of the PDF: what the store and central record. */
char   *sp_scan_archive_sha256       (GBytes            *pdf);

/* The JPEG of one page as the archive encodes it (grey pages as one-channel
 * JPEG), at quality 1–100; exposed for the legibility test and benchmark. */
GBytes *sp_scan_archive_encode_jpeg  (const SpScanPage  *page,
                                      int                quality,
                                      GError           **error);

G_END_DECLS
