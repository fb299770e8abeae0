/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

/* One scanned or imported page, in memory only: 8-bit grey (1 channel) or
 * RGB (3 channels), rows of stride = width * channels bytes, top to bottom.
 * Reference counted; the pixels are wiped when the last reference goes,
 * because a page may be an identity document. */
#define SP_TYPE_SCAN_PAGE (sp_scan_page_get_type ())
GType sp_scan_page_get_type (void);

typedef struct _SpScanPage SpScanPage;

/* A white page; NULL if the pixels cannot be allocated. */
SpScanPage *sp_scan_page_new          (guint       width,
                                       guint       height,
                                       guint       dpi,
                                       gboolean    colour);
SpScanPage *sp_scan_page_ref          (SpScanPage *page);
void        sp_scan_page_unref        (SpScanPage *page);

guint       sp_scan_page_get_width    (const SpScanPage *page);
guint       sp_scan_page_get_height   (const SpScanPage *page);
guint       sp_scan_page_get_dpi      (const SpScanPage *page);
gboolean    sp_scan_page_is_colour    (const SpScanPage *page);
guint       sp_scan_page_get_channels (const SpScanPage *page);   /* 1 or 3 */
gsize       sp_scan_page_get_stride   (const SpScanPage *page);
guint8     *sp_scan_page_get_data     (SpScanPage *page);
const guint8 *sp_scan_page_peek_data  (const SpScanPage *page);
/* The luminance (0 black … 255 white) of one pixel. */
guint8      sp_scan_page_get_grey     (const SpScanPage *page,
                                       guint             x,
                                       guint             y);

/* Keeps the first height rows (a page that ended early), in place. */
void        sp_scan_page_truncate     (SpScanPage *page,
                                       guint       height);
/* Grows to height rows (filled white); FALSE if out of memory. */
gboolean    sp_scan_page_grow         (SpScanPage *page,
                                       guint       height);

/* Conversions, each a new page. */
SpScanPage *sp_scan_page_to_grey      (const SpScanPage *page);
SpScanPage *sp_scan_page_to_colour    (const SpScanPage *page);
/* Box-filtered down to dpi when the page is finer; a new reference to page
 * itself otherwise. */
SpScanPage *sp_scan_page_downsample   (SpScanPage *page,
                                       guint       dpi);
/* An RGB pixbuf copy for display (GtkPicture via gdk_texture_new_for_pixbuf). */
GdkPixbuf  *sp_scan_page_to_pixbuf    (const SpScanPage *page);
/* A page from a pixbuf (alpha composited on white); NULL if out of memory. */
SpScanPage *sp_scan_page_new_from_pixbuf (GdkPixbuf *pixbuf,
                                          guint      dpi);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpScanPage, sp_scan_page_unref)

G_END_DECLS
