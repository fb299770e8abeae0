/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Auto-crop and deskew of an ID card on an A4 flatbed scan: a card drawn
 * turned by 5° at an offset on a white page must come out as the card,
 * ID-1 sized at the page's resolution, straight. */
#include "config.h"

#include <cairo.h>
#include <math.h>

#include "sp-scan-crop.h"
#include "sp-scan-error.h"

/* An A4 page at dpi with an ID-1 card (pale blue, a dark band along its top
 * edge, some text-like marks) centred at (cx, cy) mm, turned by angle. */
static SpScanPage *
page_with_card (guint dpi, double cx_mm, double cy_mm, double angle, gboolean colour)
{
  double px = dpi / 25.4;
  int w = (int) lround (210 * px), h = (int) lround (297 * px);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cairo_t *cr = cairo_create (surface);
  SpScanPage *page = sp_scan_page_new ((guint) w, (guint) h, dpi, TRUE);
  SpScanPage *result;
  const guint8 *src;
  guint8 *dst;
  int stride;

  cairo_set_source_rgb (cr, 0.98, 0.98, 0.97);   /* the glass under the lid */
  cairo_paint (cr);
  cairo_translate (cr, cx_mm * px, cy_mm * px);
  cairo_rotate (cr, angle * G_PI / 180.0);
  cairo_scale (cr, px, px);
  cairo_translate (cr, -SP_ID1_WIDTH_MM / 2, -SP_ID1_HEIGHT_MM / 2);
  cairo_rectangle (cr, 0, 0, SP_ID1_WIDTH_MM, SP_ID1_HEIGHT_MM);
  cairo_set_source_rgb (cr, 0.62, 0.72, 0.85);
  cairo_fill (cr);
  cairo_rectangle (cr, 0, 0, SP_ID1_WIDTH_MM, 8);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.3);
  cairo_fill (cr);
  for (int i = 0; i < 6; i++)
    cairo_rectangle (cr, 30, 14 + i * 6, 40 - i * 3, 2);
  cairo_rectangle (cr, 4, 14, 22, 30);   /* the photo */
  cairo_fill (cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  src = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  dst = sp_scan_page_get_data (page);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++, dst += 3)
      {
        guint32 v = ((const guint32 *) (gconstpointer) (src + (gsize) y * stride))[x];

        dst[0] = v >> 16; dst[1] = v >> 8; dst[2] = v;
      }
  cairo_surface_destroy (surface);
  if (colour)
    return page;
  result = sp_scan_page_to_grey (page);
  sp_scan_page_unref (page);
  return result;
}

/* The row where the dark top band ends, in column x of the card. */
static double
band_edge (SpScanPage *card, guint x)
{
  guint y = 0, h = sp_scan_page_get_height (card);

  /* Past a possible blurred rim of glass, into the band, then out of it. */
  while (y < h && sp_scan_page_get_grey (card, x, y) > 110)
    y++;
  while (y < h && sp_scan_page_get_grey (card, x, y) <= 110)
    y++;
  return y;
}

static void
check_crop (guint dpi, double angle, gboolean colour)
{
  g_autoptr(SpScanPage) page = page_with_card (dpi, 120, 90, angle, colour);
  g_autoptr(SpScanPage) card = NULL;
  g_autoptr(GError) error = NULL;
  SpScanCardBox box;
  double id1_w = SP_ID1_WIDTH_MM / 25.4 * dpi, id1_h = SP_ID1_HEIGHT_MM / 25.4 * dpi;
  double left, right, residual;
  guint w;

  g_assert_true (sp_scan_find_card (page, &box, &error));
  g_assert_no_error (error);
  g_test_message ("dpi %u angle %.1f: found %.2f° %.1f×%.1f px at (%.1f, %.1f)",
                  dpi, angle, box.angle, box.width, box.height, box.cx, box.cy);
  g_assert_cmpfloat (fabs (box.angle - angle), <, 0.5);
  g_assert_cmpfloat (fabs (box.cx - 120 / 25.4 * dpi), <, 3);
  g_assert_cmpfloat (fabs (box.cy - 90 / 25.4 * dpi), <, 3);
  g_assert_cmpfloat (fabs (box.width - id1_w), <, 4);
  g_assert_cmpfloat (fabs (box.height - id1_h), <, 4);

  card = sp_scan_crop_card (page, &error);
  g_assert_no_error (error);
  w = sp_scan_page_get_width (card);
  g_assert_cmpint (abs ((int) w - (int) lround (id1_w)), <=, 2);
  g_assert_cmpint (abs ((int) sp_scan_page_get_height (card) - (int) lround (id1_h)), <=, 2);
  g_assert_cmpint (sp_scan_page_is_colour (card), ==, colour);
  /* Straight: the band's lower edge is level across the card (< 0.5°),
   * and the band is at the top, 8 mm deep. */
  left = band_edge (card, w / 10);
  right = band_edge (card, w * 9 / 10);
  residual = atan2 (right - left, w * 0.8) * 180 / G_PI;
  g_test_message ("residual skew %.3f°, band %.1f px", residual, left);
  g_assert_cmpfloat (fabs (residual), <, 0.5);
  g_assert_cmpfloat (fabs (left - 8 / 25.4 * dpi), <, 4);
}

static void test_crop_300_5 (void) { check_crop (300, 5, TRUE); }
static void test_crop_300_minus3_grey (void) { check_crop (300, -3, FALSE); }
static void test_crop_200_straight (void) { check_crop (200, 0, TRUE); }
/* Laid portrait on the glass: turned back to landscape. */
static void test_crop_150_portrait (void) { check_crop (150, 88, TRUE); }

static void
test_blank (void)
{
  g_autoptr(SpScanPage) page = sp_scan_page_new (1240, 1754, 150, FALSE);
  g_autoptr(GError) error = NULL;
  SpScanPage *card;

  card = sp_scan_crop_card (page, &error);
  g_assert_null (card);
  g_assert_error (error, SP_SCAN_ERROR, SP_SCAN_ERROR_NO_CARD);
}

static void
test_dust (void)
{
  g_autoptr(SpScanPage) page = page_with_card (150, 100, 200, 5, FALSE);
  g_autoptr(GError) error = NULL;
  guint8 *data = sp_scan_page_get_data (page);
  gsize stride = sp_scan_page_get_stride (page);
  SpScanCardBox box;

  /* Specks of dust far from the card do not move it. */
  for (guint i = 0; i < 20; i++)
    data[(100 + i * 13) * stride + 80 + i * 31] = 0;
  g_assert_true (sp_scan_find_card (page, &box, &error));
  g_assert_cmpfloat (fabs (box.angle - 5), <, 0.5);
  g_assert_cmpfloat (fabs (box.cx - 100 / 25.4 * 150), <, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/crop/300-5deg", test_crop_300_5);
  g_test_add_func ("/crop/300-minus3-grey", test_crop_300_minus3_grey);
  g_test_add_func ("/crop/200-straight", test_crop_200_straight);
  g_test_add_func ("/crop/150-portrait", test_crop_150_portrait);
  g_test_add_func ("/crop/blank", test_blank);
  g_test_add_func ("/crop/dust", test_dust);
  return g_test_run ();
}
