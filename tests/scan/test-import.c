/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Import from a file: good PDF/JPEG/PNG/TIFF, and the files the path must
 * refuse with a message (truncated, encrypted, huge, empty, disguised). */
#include "config.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "sp-scan-import.h"
#include "sp-scan-error.h"

static char *tmp_dir;

static cairo_status_t
append (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* A PDF of n pages of w × h points, each with a black box. */
static GBytes *
make_pdf (guint n, double w, double h)
{
  GByteArray *out = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append, out, w, h);
  cairo_t *cr = cairo_create (surface);

  for (guint i = 0; i < n; i++)
    {
      cairo_rectangle (cr, 72, 72, 144, 72);
      cairo_fill (cr);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (out);
}

static GdkPixbuf *
make_pixbuf (int w, int h)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, w, h);
  guint8 *px = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  gdk_pixbuf_fill (pixbuf, 0x2040a0ff);
  /* Some texture below the first row, so the data does not compress to
   * nothing and a cut file really loses pixels. */
  for (int y = 1; y < h; y++)
    for (int x = 0; x < w; x++)
      px[y * stride + x * 3 + 1] = (guint8) (0x40 + ((x * 7 + y * 13) % 32));
  return pixbuf;
}

static GBytes *
make_image (const char *type, int w, int h)
{
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (w, h);
  g_autoptr(GError) error = NULL;
  gchar *buffer = NULL;
  gsize size = 0;

  if (g_strcmp0 (type, "jpeg") == 0)
    gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &error, "quality", "90",
                               "x-dpi", "200", "y-dpi", "200", NULL);
  else
    gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &error, NULL);
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

static GFile *
write_file (const char *name, GBytes *bytes)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static GPtrArray *
import_ok (GBytes *bytes, guint n_pages)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *pages = NULL;

  g_assert_true (sp_scan_import_bytes (bytes, NULL, NULL, &pages, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pages->len, ==, n_pages);
  return pages;
}

static void
import_fails (GBytes *bytes, SpScanError code)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *pages = NULL;

  g_assert_false (sp_scan_import_bytes (bytes, NULL, NULL, &pages, &error));
  g_assert_error (error, SP_SCAN_ERROR, (gint) code);
  g_assert_null (pages);
  g_test_message ("refused: %s", error->message);
}

static void
test_pdf (void)
{
  g_autoptr(GBytes) pdf = make_pdf (3, 595.276, 841.89);
  g_autoptr(GFile) file = write_file ("request.pdf", pdf);
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(GError) error = NULL;
  SpScanPage *page;

  g_assert_true (sp_scan_import_file (file, NULL, &pages, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pages->len, ==, 3);
  page = g_ptr_array_index (pages, 0);
  /* Rendered at 300 dpi: A4 is 2481 × 3508 pixels. */
  g_assert_cmpuint (sp_scan_page_get_dpi (page), ==, 300);
  g_assert_cmpint (abs ((int) sp_scan_page_get_width (page) - 2480), <=, 1);
  g_assert_cmpint (abs ((int) sp_scan_page_get_height (page) - 3508), <=, 1);
  /* The box is there (1.5 in from the top-left corner), white elsewhere. */
  g_assert_cmpuint (sp_scan_page_get_grey (page, 450, 400), <, 20);
  g_assert_cmpuint (sp_scan_page_get_grey (page, 100, 100), >, 235);
}

static void
test_images (void)
{
  static const char *const types[] = { "png", "jpeg", "tiff" };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(GBytes) bytes = make_image (types[i], 640, 400);
      g_autoptr(GPtrArray) pages = import_ok (bytes, 1);
      SpScanPage *page = g_ptr_array_index (pages, 0);
      const guint8 *px = sp_scan_page_peek_data (page);

      g_assert_cmpuint (sp_scan_page_get_width (page), ==, 640);
      g_assert_cmpuint (sp_scan_page_get_height (page), ==, 400);
      g_assert_true (sp_scan_page_is_colour (page));
      g_assert_cmpint (abs (px[0] - 0x20), <=, 10);
      g_assert_cmpint (abs (px[2] - 0xa0), <=, 10);
      /* The JPEG says 200 dpi; the others, nothing: fitted to A4. */
      if (i == 1)
        g_assert_cmpuint (sp_scan_page_get_dpi (page), ==, 200);
      else
        g_assert_cmpuint (sp_scan_page_get_dpi (page), >=, 72);
    }
}

static void
test_wrong_extension (void)
{
  g_autoptr(GBytes) png = make_image ("png", 64, 64);
  g_autoptr(GFile) file = write_file ("scan.pdf", png);
  g_autoptr(GBytes) text = g_bytes_new_static ("ciao, non sono un'immagine\n", 27);
  g_autoptr(GFile) fake = write_file ("photo.png", text);
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) error = NULL;

  /* The content decides: a PNG named .pdf is a PNG … */
  g_assert_true (sp_scan_import_file (file, NULL, &pages, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sp_scan_page_get_width (g_ptr_array_index (pages, 0)), ==, 64);
  /* … and text named .png is refused. */
  g_assert_false (sp_scan_import_file (fake, NULL, &none, &error));
  g_assert_error (error, SP_SCAN_ERROR, SP_SCAN_ERROR_UNSUPPORTED_FILE);
  g_assert_null (none);
}

static GBytes *
truncated (GBytes *bytes, gsize keep)
{
  return g_bytes_new_from_bytes (bytes, 0, keep);
}

static void
test_truncated (void)
{
  g_autoptr(GBytes) png = make_image ("png", 300, 300);
  g_autoptr(GBytes) jpeg = make_image ("jpeg", 300, 300);
  g_autoptr(GBytes) tiff = make_image ("tiff", 300, 300);
  g_autoptr(GBytes) pdf = make_pdf (1, 595, 842);
  g_autoptr(GBytes) png_cut = truncated (png, g_bytes_get_size (png) / 2);
  g_autoptr(GBytes) jpeg_cut = truncated (jpeg, 200);
  g_autoptr(GBytes) tiff_cut = truncated (tiff, 100);
  g_autoptr(GBytes) pdf_cut = truncated (pdf, 40);

  import_fails (png_cut, SP_SCAN_ERROR_DAMAGED);
  import_fails (jpeg_cut, SP_SCAN_ERROR_DAMAGED);
  import_fails (tiff_cut, SP_SCAN_ERROR_DAMAGED);
  import_fails (pdf_cut, SP_SCAN_ERROR_DAMAGED);
}

static GBytes *
read_data (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize size = 0;

  g_file_get_contents (path, &contents, &size, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, size);
}

static void
test_encrypted (void)
{
  /* Made with ghostscript: one needs a password to open, the other opens
   * but is encrypted with an owner password and restrictions. */
  g_autoptr(GBytes) user = read_data ("encrypted-user.pdf");
  g_autoptr(GBytes) owner = read_data ("encrypted-owner.pdf");

  import_fails (user, SP_SCAN_ERROR_ENCRYPTED);
  import_fails (owner, SP_SCAN_ERROR_ENCRYPTED);
}

/* A PNG whose header claims width × height, with no pixel data. */
static GBytes *
png_header (guint32 width, guint32 height)
{
  guint8 png[8 + 25 + 12 + 12] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                         0, 0, 0, 13, 'I', 'H', 'D', 'R' };
  guint32 crc;

  png[16] = width >> 24; png[17] = width >> 16; png[18] = width >> 8; png[19] = width;
  png[20] = height >> 24; png[21] = height >> 16; png[22] = height >> 8; png[23] = height;
  png[24] = 8;   /* depth */
  png[25] = 2;   /* RGB */
  /* CRC-32 of type and data, as PNG wants. */
  crc = 0xffffffff;
  for (int i = 12; i < 29; i++)
    {
      crc ^= png[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
    }
  crc ^= 0xffffffff;
  png[29] = crc >> 24; png[30] = crc >> 16; png[31] = crc >> 8; png[32] = crc;
  /* An empty IDAT (libpng reports the header when it meets one) and
   * IEND, so only the size can be wrong with it. */
  memcpy (png + 33, "\0\0\0\0IDAT\x35\xaf\x06\x1e", 12);
  memcpy (png + 45, "\0\0\0\0IEND\xae\x42\x60\x82", 12);
  return g_bytes_new (png, sizeof png);
}

static void
test_huge (void)
{
  g_autoptr(GBytes) png = png_header (60000, 60000);
  g_autoptr(GBytes) wide = png_header (20000, 10);
  g_autoptr(GBytes) pdf = make_pdf (1, 14400, 14400);   /* 200 inches square */
  g_autoptr(GBytes) big = NULL;
  g_autoptr(GByteArray) blob = g_byte_array_new ();
  static const guint8 filler[4096];

  /* Refused from the header, before 10 GB of pixels are allocated. */
  import_fails (png, SP_SCAN_ERROR_TOO_LARGE);
  import_fails (wide, SP_SCAN_ERROR_TOO_LARGE);
  import_fails (pdf, SP_SCAN_ERROR_TOO_LARGE);

  g_byte_array_append (blob, (const guint8 *) "%PDF-1.4\n", 9);
  while (blob->len <= sp_scan_import_default_limits ()->max_bytes)
    g_byte_array_append (blob, filler, sizeof filler);
  big = g_byte_array_free_to_bytes (g_steal_pointer (&blob));
  import_fails (big, SP_SCAN_ERROR_TOO_LARGE);
}

static void
test_too_many_pages (void)
{
  guint limit = sp_scan_import_default_limits ()->max_pages;
  g_autoptr(GBytes) ok = make_pdf (limit, 200, 200);
  g_autoptr(GBytes) over = make_pdf (limit + 1, 200, 200);
  g_autoptr(GPtrArray) pages = import_ok (ok, limit);

  import_fails (over, SP_SCAN_ERROR_TOO_MANY_PAGES);
}

static void
test_zero_pages (void)
{
  static const char pdf[] =
    "%PDF-1.4\n"
    "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    "trailer << /Root 1 0 R /Size 3 >>\n"
    "%%EOF\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (pdf, sizeof pdf - 1);
  g_autoptr(GError) error = NULL;
  GPtrArray *pages = NULL;

  /* poppler calls it either empty or damaged: refused both ways. */
  g_assert_false (sp_scan_import_bytes (bytes, NULL, NULL, &pages, &error));
  g_assert_nonnull (error);
  g_assert_true (g_error_matches (error, SP_SCAN_ERROR, SP_SCAN_ERROR_NO_PAGES)
                 || g_error_matches (error, SP_SCAN_ERROR, SP_SCAN_ERROR_DAMAGED));
  g_assert_null (pages);
}

static void
test_empty_and_garbage (void)
{
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) garbage = g_bytes_new_static ("%PDF-1.7\nnot really\n", 20);
  g_autoptr(GBytes) magic = g_bytes_new_static ("\xff\xd8\xff", 3);

  import_fails (empty, SP_SCAN_ERROR_UNSUPPORTED_FILE);
  import_fails (garbage, SP_SCAN_ERROR_DAMAGED);
  import_fails (magic, SP_SCAN_ERROR_DAMAGED);
}

static void
test_missing_file (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "absent.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GPtrArray *pages = NULL;

  g_assert_false (sp_scan_import_file (file, NULL, &pages, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("sp-import-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/import/pdf", test_pdf);
  g_test_add_func ("/import/images", test_images);
  g_test_add_func ("/import/wrong-extension", test_wrong_extension);
  g_test_add_func ("/import/truncated", test_truncated);
  g_test_add_func ("/import/encrypted", test_encrypted);
  g_test_add_func ("/import/huge", test_huge);
  g_test_add_func ("/import/too-many-pages", test_too_many_pages);
  g_test_add_func ("/import/zero-pages", test_zero_pages);
  g_test_add_func ("/import/empty-and-garbage", test_empty_and_garbage);
  g_test_add_func ("/import/missing-file", test_missing_file);
  ret = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (tmp_dir);
    g_free (tmp_dir);
  }
  return ret;
}
