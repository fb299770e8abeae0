/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <pango/pangocairo.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "sp-central-letter.h"
#include "sp-secret.h"

#define MM (72.0 / 25.4)

static gboolean
read_key (const char *path,
          guint8     *key,
          gsize       len,
          GError    **error)
{
  g_autofree char *data = NULL;
  gsize n = 0;

  if (!g_file_get_contents (path, &data, &n, error))
    return FALSE;
  if (n != len)
    {
      sodium_memzero (data, n);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s is not a %" G_GSIZE_FORMAT "-byte key", path, len);
      return FALSE;
    }
  memcpy (key, data, len);
  sodium_memzero (data, n);
  return TRUE;
}

gboolean
sp_central_letter_available (void)
{
  const char *path = g_getenv ("SP_CENTRAL_LETTER_KEY");

  return path != NULL && *path != '\0' && g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

static double
text (cairo_t    *cr,
      double      x,
      double      y,
      double      width,
      const char *font,
      const char *body)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int w, h;

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_set_text (layout, body, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, &w, &h);
  pango_font_description_free (desc);
  g_object_unref (layout);
  return (double) h / PANGO_SCALE;
}

static cairo_status_t
append (void                *closure,
        const unsigned char *data,
        unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* The letter: the address where a DL window envelope shows it, then the
 * second half and what to do with it. */
static GByteArray *
render (const SpCentralLetterAddress *to,
        const char                   *half)
{
  GByteArray *pdf = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append, pdf, 210 * MM, 297 * MM);
  cairo_t *cr = cairo_create (surface);
  g_autofree char *address = g_strdup_printf ("%s\n%s\n%s", to->name, to->street, to->place);
  double y;

  cairo_set_source_rgb (cr, 0, 0, 0);
  text (cr, 20 * MM, 15 * MM, 90 * MM, "DejaVu Sans Bold 11", "INPS\nIstituto Nazionale della Previdenza Sociale");
  text (cr, 110 * MM, 50 * MM, 85 * MM, "DejaVu Sans 11", address);
  y = 100 * MM;
  y += text (cr, 20 * MM, y, 170 * MM, "DejaVu Sans Bold 13", "Il Suo PIN INPS: la seconda parte") + 6 * MM;
  y += text (cr, 20 * MM, y, 170 * MM, "DejaVu Sans 10",
             "Gentile utente,\n\nLe inviamo la seconda parte del PIN che ha chiesto. La prima parte "
             "Le è stata inviata per SMS o per posta elettronica. Il PIN completo è formato dalla prima "
             "parte seguita da questa:") + 6 * MM;
  y += text (cr, 20 * MM, y, 170 * MM, "DejaVu Sans Mono Bold 26", half) + 6 * MM;
  text (cr, 20 * MM, y, 170 * MM, "DejaVu Sans 10",
        "Con il PIN completo può accedere ai servizi online dell'INPS. Al primo accesso Le sarà chiesto "
        "di sceglierne uno personale di 8 caratteri.\n\nConservi questa lettera in un luogo sicuro e non "
        "comunichi il PIN a nessuno: l'INPS non Le chiederà mai il PIN per telefono o per posta "
        "elettronica. Se perde il PIN o teme che altri lo conoscano, chieda il ripristino sul portale, "
        "al Contact Center (803 164) o a una sede INPS.");
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  return pdf;
}

gboolean
sp_central_letter_seal (const SpCentralLetterAddress *to,
                        const char                   *half,
                        char                        **sealed_b64,
                        char                        **sha256,
                        GError                      **error)
{
  guint8 pk[crypto_box_PUBLICKEYBYTES];
  GByteArray *pdf;
  g_autofree guint8 *sealed = NULL;
  gsize sealed_len;
  gboolean ok;

  if (!read_key (g_getenv ("SP_CENTRAL_LETTER_KEY"), pk, sizeof pk, error))
    return FALSE;
  /* The clear PDF holds the half: in memory only, wiped at once. */
  pdf = render (to, half);
  sealed_len = pdf->len + crypto_box_SEALBYTES;
  sealed = g_malloc (sealed_len);
  ok = crypto_box_seal (sealed, pdf->data, pdf->len, pk) == 0;
  sodium_memzero (pdf->data, pdf->len);
  g_byte_array_unref (pdf);
  if (!ok)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the letter could not be sealed");
      return FALSE;
    }
  *sealed_b64 = g_base64_encode (sealed, sealed_len);
  *sha256 = sp_sha256_hex (sealed, sealed_len);
  return TRUE;
}

static gboolean
write_file (const char   *path,
            const guint8 *data,
            gsize         len,
            int           mode,
            GError      **error)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL, mode);
  gboolean ok;

  if (fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "cannot create %s: %s", path,
                   g_strerror (errno));
      return FALSE;
    }
  ok = write (fd, data, len) == (ssize_t) len && fsync (fd) == 0;
  close (fd);
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write %s", path);
  return ok;
}

gboolean
sp_central_letter_keygen (const char *dir,
                          GError    **error)
{
  guint8 pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];
  g_autofree char *pub = g_build_filename (dir, "provider.pub", NULL);
  g_autofree char *key = g_build_filename (dir, "provider.key", NULL);
  gboolean ok;

  if (sodium_init () < 0)
    return FALSE;
  g_mkdir_with_parents (dir, 0700);
  crypto_box_keypair (pk, sk);
  ok = write_file (key, sk, sizeof sk, 0600, error) && write_file (pub, pk, sizeof pk, 0644, error);
  sodium_memzero (sk, sizeof sk);
  return ok;
}

GBytes *
sp_central_letter_open (const char *key_dir,
                        GBytes     *sealed,
                        GError    **error)
{
  guint8 pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];
  g_autofree char *pub = g_build_filename (key_dir, "provider.pub", NULL);
  g_autofree char *key = g_build_filename (key_dir, "provider.key", NULL);
  gsize len;
  const guint8 *data = g_bytes_get_data (sealed, &len);
  guint8 *pdf;
  gboolean ok;

  if (sodium_init () < 0 || !read_key (pub, pk, sizeof pk, error) || !read_key (key, sk, sizeof sk, error))
    return NULL;
  if (len < crypto_box_SEALBYTES)
    {
      sodium_memzero (sk, sizeof sk);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not a sealed letter");
      return NULL;
    }
  pdf = g_malloc (len - crypto_box_SEALBYTES + 1);
  ok = crypto_box_seal_open (pdf, data, len, pk, sk) == 0;
  sodium_memzero (sk, sizeof sk);
  if (!ok)
    {
      g_free (pdf);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the letter does not open with this key");
      return NULL;
    }
  return g_bytes_new_take (pdf, len - crypto_box_SEALBYTES);
}
