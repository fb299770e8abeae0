/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-scan"

#include "config.h"

#define _GNU_SOURCE 1

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <cairo.h>
#include <poppler.h>

#include "sp-scan-error.h"
#include "sp-scan-import.h"

typedef enum {
  FORMAT_UNKNOWN,
  FORMAT_PDF,
  FORMAT_JPEG,
  FORMAT_PNG,
  FORMAT_TIFF,
} Format;

static const SpScanImportLimits default_limits = {
  .max_bytes = 25 * 1024 * 1024,
  .max_pages = 20,
  .max_side = 12000,
  .max_pixels = 80 * 1000 * 1000,
  .pdf_dpi = 300,
};

const SpScanImportLimits *
sp_scan_import_default_limits (void)
{
  return &default_limits;
}

static Format
sniff (const guint8 *data,
       gsize         size)
{
  /* PDF readers accept the header anywhere in the first 1024 bytes. */
  /* memmem, not g_strstr_len: binary data may hold NUL bytes. */
  if (size >= 5 && memmem (data, MIN (size, 1024), "%PDF-", 5) != NULL)
    return FORMAT_PDF;
  if (size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return FORMAT_JPEG;
  if (size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return FORMAT_PNG;
  if (size >= 4 && (memcmp (data, "II*\0", 4) == 0 || memcmp (data, "MM\0*", 4) == 0))
    return FORMAT_TIFF;
  return FORMAT_UNKNOWN;
}

static gboolean
page_size_ok (const SpScanImportLimits *limits,
              double                    width,
              double                    height)
{
  return width >= 1 && height >= 1
         && width <= limits->max_side && height <= limits->max_side
         && width * height <= (double) limits->max_pixels;
}

/* ---- PDF ---------------------------------------------------------------- */

static SpScanPage *
render_pdf_page (PopplerPage              *ppage,
                 const SpScanImportLimits *limits,
                 GError                  **error)
{
  double wpt, hpt, scale;
  int w, h, stride;
  cairo_surface_t *surface;
  cairo_t *cr;
  SpScanPage *page;
  guint8 *dst;
  const guint8 *src;

  poppler_page_get_size (ppage, &wpt, &hpt);
  scale = limits->pdf_dpi / 72.0;
  if (!isfinite (wpt) || !isfinite (hpt)
      || !page_size_ok (limits, ceil (wpt * scale), ceil (hpt * scale)))
    {
      sp_scan_set_error (error, SP_SCAN_ERROR_TOO_LARGE, NULL);
      return NULL;
    }
  w = (int) ceil (wpt * scale);
  h = (int) ceil (hpt * scale);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  page = sp_scan_page_new ((guint) w, (guint) h, limits->pdf_dpi, TRUE);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS || page == NULL)
    {
      cairo_surface_destroy (surface);
      g_clear_pointer (&page, sp_scan_page_unref);
      sp_scan_set_error (error, SP_SCAN_ERROR_NO_MEM, NULL);
      return NULL;
    }
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render_for_printing (ppage, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  src = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  dst = sp_scan_page_get_data (page);
  for (int y = 0; y < h; y++)
    {
      const guint32 *row = (const guint32 *) (gconstpointer) (src + (gsize) y * stride);

      for (int x = 0; x < w; x++, dst += 3)
        {
          dst[0] = (guint8) (row[x] >> 16);
          dst[1] = (guint8) (row[x] >> 8);
          dst[2] = (guint8) row[x];
        }
    }
  /* The rendering is an identity document too: wipe it before freeing. */
  memset (cairo_image_surface_get_data (surface), 0, (gsize) stride * h);
  cairo_surface_destroy (surface);
  return page;
}

static gboolean
import_pdf (GBytes                   *bytes,
            const SpScanImportLimits *limits,
            GCancellable             *cancellable,
            GPtrArray                *pages,
            GError                  **error)
{
  g_autoptr(GObject) owner = NULL;
  PopplerDocument *doc;
  g_autoptr(GError) local = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  int n;

  /* poppler-glib 22 has no autoptr for its types: held as a GObject. */
  doc = poppler_document_new_from_bytes (bytes, NULL, &local);
  owner = (GObject *) doc;
  if (doc == NULL)
    {
      sp_scan_set_error (error,
                         g_error_matches (local, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED)
                         ? SP_SCAN_ERROR_ENCRYPTED : SP_SCAN_ERROR_DAMAGED, NULL);
      return FALSE;
    }
  /* An owner-password PDF opens without asking, but its content is still
   * encrypted and restricted: not something to archive as a clear copy. */
  if (memmem (data, size, "/Encrypt", 8) != NULL)
    {
      sp_scan_set_error (error, SP_SCAN_ERROR_ENCRYPTED, NULL);
      return FALSE;
    }
  n = poppler_document_get_n_pages (doc);
  if (n <= 0)
    {
      sp_scan_set_error (error, SP_SCAN_ERROR_NO_PAGES, NULL);
      return FALSE;
    }
  if ((guint) n > limits->max_pages)
    {
      sp_scan_set_error (error, SP_SCAN_ERROR_TOO_MANY_PAGES, NULL);
      return FALSE;
    }
  for (int i = 0; i < n; i++)
    {
      PopplerPage *ppage;
      SpScanPage *page;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      ppage = poppler_document_get_page (doc, i);
      if (ppage == NULL)
        {
          sp_scan_set_error (error, SP_SCAN_ERROR_DAMAGED, NULL);
          return FALSE;
        }
      page = render_pdf_page (ppage, limits, error);
      g_object_unref (ppage);
      if (page == NULL)
        return FALSE;
      g_ptr_array_add (pages, page);
    }
  return TRUE;
}

/* ---- Images ------------------------------------------------------------- */

typedef struct {
  const SpScanImportLimits *limits;
  gboolean too_large;
} SizeCheck;

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  SizeCheck *check = user_data;

  if (!page_size_ok (check->limits, width, height))
    {
      /* A zero size makes the loaders stop before allocating the pixels. */
      check->too_large = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
    }
}

/* The resolution the file declares, or one that fits the image on A4. */
static guint
image_dpi (GdkPixbuf *pixbuf)
{
  const char *x_dpi = gdk_pixbuf_get_option (pixbuf, "x-dpi");
  guint64 dpi = 0;
  int w = gdk_pixbuf_get_width (pixbuf);
  int h = gdk_pixbuf_get_height (pixbuf);
  double fit;

  if (x_dpi != NULL && g_ascii_string_to_unsigned (x_dpi, 10, 50, 1200, &dpi, NULL))
    return (guint) dpi;
  fit = MAX ((double) MAX (w, h) / (297.0 / 25.4), (double) MIN (w, h) / (210.0 / 25.4));
  return (guint) CLAMP (ceil (fit), 72.0, 1200.0);
}

/* The progressive loaders accept a PNG cut before its end, or a JPEG
 * whose end is missing, and fill the lost rows with grey: a damaged scan
 * that looks whole. Both formats end with a fixed trailer; ask for it. */
static gboolean
complete_image (const guint8 *data,
                gsize         size,
                Format        format)
{
  static const guint8 iend[] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };

  if (format == FORMAT_PNG)
    return size >= sizeof iend && memcmp (data + size - sizeof iend, iend, sizeof iend) == 0;
  if (format == FORMAT_JPEG)
    {
      /* EOI, allowing a little padding after it as some cameras write. */
      for (gsize i = size; i >= 2 && size - i < 64; i--)
        if (data[i - 2] == 0xff && data[i - 1] == 0xd9)
          return TRUE;
      return FALSE;
    }
  return TRUE;
}

static gboolean
import_image (GBytes                   *bytes,
              Format                    format,
              const SpScanImportLimits *limits,
              GPtrArray                *pages,
              GError                  **error)
{
  static const char *const types[] = {
    [FORMAT_JPEG] = "jpeg", [FORMAT_PNG] = "png", [FORMAT_TIFF] = "tiff",
  };
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autoptr(GError) local = NULL;
  SizeCheck check = { limits, FALSE };
  GdkPixbuf *pixbuf;
  SpScanPage *page;
  gboolean ok;

  if (!complete_image (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), format))
    {
      sp_scan_set_error (error, SP_SCAN_ERROR_DAMAGED, NULL);
      return FALSE;
    }
  loader = gdk_pixbuf_loader_new_with_type (types[format], &local);
  if (loader == NULL)
    {
      sp_scan_set_error (error, SP_SCAN_ERROR_UNSUPPORTED_FILE, local->message);
      return FALSE;
    }
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &check);
  ok = gdk_pixbuf_loader_write_bytes (loader, bytes, &local);
  /* close even after a failed write: the loader wants it, errors or not. */
  ok = gdk_pixbuf_loader_close (loader, ok ? &local : NULL) && ok;
  if (check.too_large)
    {
      sp_scan_set_error (error, SP_SCAN_ERROR_TOO_LARGE, NULL);
      return FALSE;
    }
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (!ok || pixbuf == NULL)
    {
      sp_scan_set_error (error, SP_SCAN_ERROR_DAMAGED, NULL);
      return FALSE;
    }
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  if (oriented == NULL
      || !page_size_ok (limits, gdk_pixbuf_get_width (oriented), gdk_pixbuf_get_height (oriented))
      || gdk_pixbuf_get_bits_per_sample (oriented) != 8
      || gdk_pixbuf_get_n_channels (oriented) < 3)
    {
      sp_scan_set_error (error, SP_SCAN_ERROR_DAMAGED, NULL);
      return FALSE;
    }
  page = sp_scan_page_new_from_pixbuf (oriented, image_dpi (pixbuf));
  if (page == NULL)
    {
      sp_scan_set_error (error, SP_SCAN_ERROR_NO_MEM, NULL);
      return FALSE;
    }
  g_ptr_array_add (pages, page);
  return TRUE;
}

/* ---- Entry points ------------------------------------------------------- */

gboolean
sp_scan_import_bytes (GBytes                   *bytes,
                      const SpScanImportLimits *limits,
                      GCancellable             *cancellable,
                      GPtrArray               **pages,
                      GError                  **error)
{
  g_autoptr(GPtrArray) result = NULL;
  gsize size;
  const guint8 *data;
  Format format;
  gboolean ok;

  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (pages != NULL && *pages == NULL, FALSE);

  if (limits == NULL)
    limits = &default_limits;
  data = g_bytes_get_data (bytes, &size);
  if (size > limits->max_bytes)
    {
      sp_scan_set_error (error, SP_SCAN_ERROR_TOO_LARGE, NULL);
      return FALSE;
    }
  format = sniff (data, size);
  if (format == FORMAT_UNKNOWN)
    {
      sp_scan_set_error (error, SP_SCAN_ERROR_UNSUPPORTED_FILE, NULL);
      return FALSE;
    }
  result = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_scan_page_unref);
  if (format == FORMAT_PDF)
    ok = import_pdf (bytes, limits, cancellable, result, error);
  else
    ok = import_image (bytes, format, limits, result, error);
  if (!ok)
    return FALSE;
  *pages = g_steal_pointer (&result);
  return TRUE;
}

gboolean
sp_scan_import_file (GFile         *file,
                     GCancellable  *cancellable,
                     GPtrArray    **pages,
                     GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  /* Refuse a huge file before reading it into memory. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, error);
  if (info == NULL)
    return FALSE;
  if ((guint64) g_file_info_get_size (info) > default_limits.max_bytes)
    {
      sp_scan_set_error (error, SP_SCAN_ERROR_TOO_LARGE, NULL);
      return FALSE;
    }
  bytes = g_file_load_bytes (file, cancellable, NULL, error);
  if (bytes == NULL)
    return FALSE;
  return sp_scan_import_bytes (bytes, NULL, cancellable, pages, error);
}
