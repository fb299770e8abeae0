/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-scan"

#include "config.h"

#include <glib/gi18n.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>

#include "sp-scan-archive.h"
#include "sp-scan-error.h"

/* The encodings tried in turn until a page fits its share of the budget.
 * Quality 55 at 300 dpi keeps 6-point print legible (the OCR test checks
 * it); the later steps are for pages JPEG finds expensive (halftone
 * photos, colour patterns), which would rather lose resolution than
 * break the budget. */
typedef struct {
  guint dpi;
  int quality;
} Step;

static const Step steps[] = {
  { 300, 55 }, { 300, 42 }, { 300, 30 }, { 200, 40 }, { 150, 35 }, { 100, 30 },
};

typedef struct {
  struct jpeg_error_mgr base;
  jmp_buf escape;
} JpegErrorMgr;

static void
jpeg_error_exit (j_common_ptr cinfo)
{
  JpegErrorMgr *err = (JpegErrorMgr *) cinfo->err;

  longjmp (err->escape, 1);
}

static void
jpeg_silent (j_common_ptr cinfo, int level)
{
}

GBytes *
sp_scan_archive_encode_jpeg (const SpScanPage *page,
                             int               quality,
                             GError          **error)
{
  struct jpeg_compress_struct cinfo;
  JpegErrorMgr jerr;
  unsigned char *buffer = NULL;
  unsigned long size = 0;
  const guint8 *data = sp_scan_page_peek_data (page);
  gsize stride = sp_scan_page_get_stride (page);
  GBytes *bytes;

  cinfo.err = jpeg_std_error (&jerr.base);
  jerr.base.error_exit = jpeg_error_exit;
  jerr.base.emit_message = jpeg_silent;
  if (setjmp (jerr.escape))
    {
      jpeg_destroy_compress (&cinfo);
      free (buffer);
      sp_scan_set_error (error, SP_SCAN_ERROR_NO_MEM, NULL);
      return NULL;
    }
  jpeg_create_compress (&cinfo);
  jpeg_mem_dest (&cinfo, &buffer, &size);
  cinfo.image_width = sp_scan_page_get_width (page);
  cinfo.image_height = sp_scan_page_get_height (page);
  cinfo.input_components = (int) sp_scan_page_get_channels (page);
  cinfo.in_color_space = cinfo.input_components == 3 ? JCS_RGB : JCS_GRAYSCALE;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, quality, TRUE);
  /* Optimised Huffman tables: ~5 % smaller for a few ms. */
  cinfo.optimize_coding = TRUE;
  cinfo.density_unit = 1;
  cinfo.X_density = cinfo.Y_density = (UINT16) sp_scan_page_get_dpi (page);
  jpeg_start_compress (&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height)
    {
      JSAMPROW row = (JSAMPROW) (data + stride * cinfo.next_scanline);

      jpeg_write_scanlines (&cinfo, &row, 1);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);

  /* Copy into GLib's allocator; the libjpeg buffer is wiped and freed. */
  bytes = g_bytes_new (buffer, size);
  memset (buffer, 0, size);
  free (buffer);
  return bytes;
}

static cairo_status_t
write_to_array (void                *closure,
                const unsigned char *data,
                unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* The page in the attachment's colour and resolution. */
static SpScanPage *
prepare_page (SpScanPage       *page,
              SpScanArchiveKind kind)
{
  g_autoptr(SpScanPage) scaled = sp_scan_page_downsample (page, SP_SCAN_ARCHIVE_DPI);

  if (scaled == NULL)
    return NULL;
  if (kind == SP_SCAN_ARCHIVE_FORM && sp_scan_page_is_colour (scaled))
    return sp_scan_page_to_grey (scaled);
  if (kind == SP_SCAN_ARCHIVE_DOCUMENT && !sp_scan_page_is_colour (scaled))
    return sp_scan_page_to_colour (scaled);
  return g_steal_pointer (&scaled);
}

/* The JPEG of page within budget bytes (for A4 at 300 dpi; scaled by the
 * page's area), trying the steps in turn; the page it encoded in *used. */
static GBytes *
encode_within (SpScanPage  *page,
               SpScanPage **used,
               GError     **error)
{
  GBytes *jpeg = NULL;
  double inches = (double) sp_scan_page_get_width (page) * sp_scan_page_get_height (page)
                  / ((double) sp_scan_page_get_dpi (page) * sp_scan_page_get_dpi (page));
  gsize budget = (gsize) (SP_SCAN_ARCHIVE_PAGE_BUDGET * MAX (inches / (8.27 * 11.69), 0.05));

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(SpScanPage) scaled = sp_scan_page_downsample (page, steps[i].dpi);

      g_clear_pointer (&jpeg, g_bytes_unref);
      if (scaled == NULL)
        {
          sp_scan_set_error (error, SP_SCAN_ERROR_NO_MEM, NULL);
          return NULL;
        }
      jpeg = sp_scan_archive_encode_jpeg (scaled, steps[i].quality, error);
      if (jpeg == NULL)
        return NULL;
      g_clear_pointer (used, sp_scan_page_unref);
      *used = g_steal_pointer (&scaled);
      if (g_bytes_get_size (jpeg) <= budget)
        break;
    }
  return jpeg;
}

static void
free_mime (void *data)
{
  g_bytes_unref (data);
}

static gboolean
add_page (cairo_surface_t  *pdf,
          SpScanPage       *source,
          SpScanArchiveKind kind,
          GError          **error)
{
  g_autoptr(SpScanPage) page = prepare_page (source, kind);
  g_autoptr(SpScanPage) used = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  cairo_surface_t *image;
  cairo_t *cr;
  double scale;
  guint w, h, dpi;

  if (page == NULL)
    {
      sp_scan_set_error (error, SP_SCAN_ERROR_NO_MEM, NULL);
      return FALSE;
    }
  jpeg = encode_within (page, &used, error);
  if (jpeg == NULL)
    return FALSE;
  w = sp_scan_page_get_width (used);
  h = sp_scan_page_get_height (used);
  dpi = sp_scan_page_get_dpi (used);

  scale = 72.0 / dpi;
  cairo_pdf_surface_set_size (pdf, w * scale, h * scale);
  /* cairo embeds the JPEG bytes as a DCT stream when they are attached as
   * mime data, so the surface's own pixels are never read: a 1×1 surface
   * would do, but cairo takes the image size from the surface. */
  image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) w, (int) h);
  cairo_surface_set_mime_data (image, CAIRO_MIME_TYPE_JPEG,
                               g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg),
                               free_mime, g_bytes_ref (jpeg));
  cr = cairo_create (pdf);
  cairo_scale (cr, scale, scale);
  cairo_set_source_surface (cr, image, 0, 0);
  cairo_paint (cr);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_destroy (image);
  return TRUE;
}

GBytes *
sp_scan_archive_pdf (GPtrArray         *pages,
                     SpScanArchiveKind  kind,
                     const char        *title,
                     GDateTime         *created,
                     GError           **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree char *date = NULL;
  cairo_surface_t *pdf;
  cairo_status_t status;

  g_return_val_if_fail (pages != NULL, NULL);
  g_return_val_if_fail (title != NULL && created != NULL, NULL);

  if (pages->len == 0)
    {
      sp_scan_set_error (error, SP_SCAN_ERROR_NO_PAGES, NULL);
      return NULL;
    }
  pdf = cairo_pdf_surface_create_for_stream (write_to_array, out, 595.0, 842.0);
  cairo_pdf_surface_set_metadata (pdf, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (pdf, CAIRO_PDF_METADATA_CREATOR, "Sportello PIN");
  /* cairo wants ISO 8601 without fractions of a second. */
  date = g_date_time_format (created, "%Y-%m-%dT%H:%M:%S%:z");
  cairo_pdf_surface_set_metadata (pdf, CAIRO_PDF_METADATA_CREATE_DATE, date);

  for (guint i = 0; i < pages->len; i++)
    if (!add_page (pdf, g_ptr_array_index (pages, i), kind, error))
      {
        cairo_surface_destroy (pdf);
        return NULL;
      }
  cairo_surface_finish (pdf);
  status = cairo_surface_status (pdf);
  cairo_surface_destroy (pdf);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      sp_scan_set_error (error, status == CAIRO_STATUS_NO_MEMORY ? SP_SCAN_ERROR_NO_MEM
                                                                 : SP_SCAN_ERROR_FAILED,
                         cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

char *
sp_scan_archive_sha256 (GBytes *pdf)
{
  gsize size;
  const guint8 *data;

  g_return_val_if_fail (pdf != NULL, NULL);
  data = g_bytes_get_data (pdf, &size);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
}
