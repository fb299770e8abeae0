/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-scan"

#include "config.h"

#include <string.h>

#include "sp-scan-page.h"

struct _SpScanPage
{
  gatomicrefcount ref;
  guint width;
  guint height;
  guint dpi;
  guint channels;
  guint8 *data;
};

G_DEFINE_BOXED_TYPE (SpScanPage, sp_scan_page, sp_scan_page_ref, sp_scan_page_unref)

SpScanPage *
sp_scan_page_new (guint    width,
                  guint    height,
                  guint    dpi,
                  gboolean colour)
{
  SpScanPage *page;
  guint channels = colour ? 3 : 1;
  gsize size;

  g_return_val_if_fail (width > 0 && height > 0 && dpi > 0, NULL);

  if (!g_size_checked_mul (&size, (gsize) width * channels, height))
    return NULL;
  page = g_new0 (SpScanPage, 1);
  /* try_malloc: a huge page is an error to report, not an abort. */
  page->data = g_try_malloc (size);
  if (page->data == NULL)
    {
      g_free (page);
      return NULL;
    }
  memset (page->data, 0xff, size);
  g_atomic_ref_count_init (&page->ref);
  page->width = width;
  page->height = height;
  page->dpi = dpi;
  page->channels = channels;
  return page;
}

SpScanPage *
sp_scan_page_ref (SpScanPage *page)
{
  g_return_val_if_fail (page != NULL, NULL);
  g_atomic_ref_count_inc (&page->ref);
  return page;
}

void
sp_scan_page_unref (SpScanPage *page)
{
  g_return_if_fail (page != NULL);
  if (!g_atomic_ref_count_dec (&page->ref))
    return;
  /* Identity documents: no copy of the pixels survives the page. */
  memset (page->data, 0, (gsize) page->width * page->channels * page->height);
  g_free (page->data);
  g_free (page);
}

guint sp_scan_page_get_width (const SpScanPage *page) { return page->width; }
guint sp_scan_page_get_height (const SpScanPage *page) { return page->height; }
guint sp_scan_page_get_dpi (const SpScanPage *page) { return page->dpi; }
gboolean sp_scan_page_is_colour (const SpScanPage *page) { return page->channels == 3; }
guint sp_scan_page_get_channels (const SpScanPage *page) { return page->channels; }
gsize sp_scan_page_get_stride (const SpScanPage *page) { return (gsize) page->width * page->channels; }
guint8 *sp_scan_page_get_data (SpScanPage *page) { return page->data; }
const guint8 *sp_scan_page_peek_data (const SpScanPage *page) { return page->data; }

static inline guint8
luma (const guint8 *rgb)
{
  /* Rec. 601 weights in 8.8 fixed point. */
  return (guint8) ((77 * rgb[0] + 150 * rgb[1] + 29 * rgb[2]) >> 8);
}

guint8
sp_scan_page_get_grey (const SpScanPage *page,
                       guint             x,
                       guint             y)
{
  const guint8 *p;

  g_assert (x < page->width && y < page->height);
  p = page->data + ((gsize) y * page->width + x) * page->channels;
  return page->channels == 1 ? p[0] : luma (p);
}

void
sp_scan_page_truncate (SpScanPage *page,
                       guint       height)
{
  g_return_if_fail (page != NULL);
  g_return_if_fail (height > 0 && height <= page->height);
  page->height = height;
}

gboolean
sp_scan_page_grow (SpScanPage *page,
                   guint       height)
{
  gsize stride = sp_scan_page_get_stride (page);
  gsize size;
  guint8 *data;

  g_return_val_if_fail (page != NULL, FALSE);
  if (height <= page->height)
    return TRUE;
  if (!g_size_checked_mul (&size, stride, height))
    return FALSE;
  /* Not realloc: the old block must be wiped, not left to the allocator. */
  data = g_try_malloc (size);
  if (data == NULL)
    return FALSE;
  memcpy (data, page->data, stride * page->height);
  memset (data + stride * page->height, 0xff, stride * (height - page->height));
  memset (page->data, 0, stride * page->height);
  g_free (page->data);
  page->data = data;
  page->height = height;
  return TRUE;
}

SpScanPage *
sp_scan_page_to_grey (const SpScanPage *page)
{
  SpScanPage *grey;
  gsize n = (gsize) page->width * page->height;

  grey = sp_scan_page_new (page->width, page->height, page->dpi, FALSE);
  if (grey == NULL)
    return NULL;
  if (page->channels == 1)
    memcpy (grey->data, page->data, n);
  else
    for (gsize i = 0; i < n; i++)
      grey->data[i] = luma (page->data + i * 3);
  return grey;
}

SpScanPage *
sp_scan_page_to_colour (const SpScanPage *page)
{
  SpScanPage *colour;
  gsize n = (gsize) page->width * page->height;

  colour = sp_scan_page_new (page->width, page->height, page->dpi, TRUE);
  if (colour == NULL)
    return NULL;
  if (page->channels == 3)
    memcpy (colour->data, page->data, n * 3);
  else
    for (gsize i = 0; i < n; i++)
      memset (colour->data + i * 3, page->data[i], 3);
  return colour;
}

SpScanPage *
sp_scan_page_downsample (SpScanPage *page,
                         guint       dpi)
{
  SpScanPage *out;
  guint w, h, c = page->channels;

  g_return_val_if_fail (page != NULL && dpi > 0, NULL);
  if (page->dpi <= dpi)
    return sp_scan_page_ref (page);

  w = MAX (1, (guint) ((guint64) page->width * dpi / page->dpi));
  h = MAX (1, (guint) ((guint64) page->height * dpi / page->dpi));
  out = sp_scan_page_new (w, h, dpi, c == 3);
  if (out == NULL)
    return NULL;

  /* Box filter: each output pixel averages the source pixels it covers. */
  for (guint y = 0; y < h; y++)
    {
      guint y0 = (guint) ((guint64) y * page->height / h);
      guint y1 = MAX (y0 + 1, (guint) ((guint64) (y + 1) * page->height / h));

      for (guint x = 0; x < w; x++)
        {
          guint x0 = (guint) ((guint64) x * page->width / w);
          guint x1 = MAX (x0 + 1, (guint) ((guint64) (x + 1) * page->width / w));
          guint n = (x1 - x0) * (y1 - y0);

          for (guint k = 0; k < c; k++)
            {
              guint sum = 0;

              for (guint sy = y0; sy < y1; sy++)
                for (guint sx = x0; sx < x1; sx++)
                  sum += page->data[((gsize) sy * page->width + sx) * c + k];
              out->data[((gsize) y * w + x) * c + k] = (guint8) ((sum + n / 2) / n);
            }
        }
    }
  return out;
}

GdkPixbuf *
sp_scan_page_to_pixbuf (const SpScanPage *page)
{
  GdkPixbuf *pixbuf;
  guint8 *pixels;
  int rowstride;

  g_return_val_if_fail (page != NULL, NULL);
  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, (int) page->width, (int) page->height);
  if (pixbuf == NULL)
    return NULL;
  pixels = gdk_pixbuf_get_pixels (pixbuf);
  rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  for (guint y = 0; y < page->height; y++)
    {
      const guint8 *src = page->data + (gsize) y * page->width * page->channels;
      guint8 *dst = pixels + (gsize) y * rowstride;

      if (page->channels == 3)
        memcpy (dst, src, (gsize) page->width * 3);
      else
        for (guint x = 0; x < page->width; x++)
          memset (dst + x * 3, src[x], 3);
    }
  return pixbuf;
}

SpScanPage *
sp_scan_page_new_from_pixbuf (GdkPixbuf *pixbuf,
                              guint      dpi)
{
  SpScanPage *page;
  int w, h, n, rowstride;
  const guint8 *pixels;

  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), NULL);
  w = gdk_pixbuf_get_width (pixbuf);
  h = gdk_pixbuf_get_height (pixbuf);
  n = gdk_pixbuf_get_n_channels (pixbuf);
  rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  pixels = gdk_pixbuf_read_pixels (pixbuf);
  g_return_val_if_fail (gdk_pixbuf_get_bits_per_sample (pixbuf) == 8 && n >= 3, NULL);

  page = sp_scan_page_new ((guint) w, (guint) h, dpi, TRUE);
  if (page == NULL)
    return NULL;
  for (int y = 0; y < h; y++)
    {
      const guint8 *src = pixels + (gsize) y * rowstride;
      guint8 *dst = page->data + (gsize) y * w * 3;

      for (int x = 0; x < w; x++, src += n, dst += 3)
        {
          guint a = n == 4 ? src[3] : 255;

          /* Composite over white: a transparent PNG is paper, not black. */
          for (int k = 0; k < 3; k++)
            dst[k] = (guint8) ((src[k] * a + 255 * (255 - a) + 127) / 255);
        }
    }
  return page;
}
