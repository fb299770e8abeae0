/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-print"

#include "config.h"

#include <glib/gi18n.h>
#include <cairo-pdf.h>
#include <sodium.h>
#include <string.h>

#include "sp-print-document.h"

G_DEFINE_QUARK (sp-print-error-quark, sp_print_error)

struct _SpPrintDocument
{
  gatomicrefcount ref;
  char *title;
  gboolean print_once;
  gboolean consumed;
  guint n_pages;
  SpPrintDrawFunc draw;
  gpointer data;
  GDestroyNotify destroy;
};

SpPrintDocument *
sp_print_document_new (const char      *title,
                       gboolean         print_once,
                       guint            n_pages,
                       SpPrintDrawFunc  draw,
                       gpointer         data,
                       GDestroyNotify   destroy)
{
  SpPrintDocument *document = g_new0 (SpPrintDocument, 1);

  g_return_val_if_fail (draw != NULL && n_pages > 0, NULL);

  g_atomic_ref_count_init (&document->ref);
  document->title = g_strdup (title);
  document->print_once = print_once;
  document->n_pages = n_pages;
  document->draw = draw;
  document->data = data;
  document->destroy = destroy;
  return document;
}

SpPrintDocument *
sp_print_document_ref (SpPrintDocument *document)
{
  g_return_val_if_fail (document != NULL, NULL);
  g_atomic_ref_count_inc (&document->ref);
  return document;
}

static void
drop_data (SpPrintDocument *document)
{
  if (document->destroy != NULL && document->data != NULL)
    document->destroy (document->data);
  document->data = NULL;
}

void
sp_print_document_unref (SpPrintDocument *document)
{
  g_return_if_fail (document != NULL);
  if (!g_atomic_ref_count_dec (&document->ref))
    return;
  drop_data (document);
  g_free (document->title);
  g_free (document);
}

const char *
sp_print_document_get_title (SpPrintDocument *document)
{
  return document->title;
}

gboolean
sp_print_document_is_print_once (SpPrintDocument *document)
{
  return document->print_once;
}

guint
sp_print_document_get_n_pages (SpPrintDocument *document)
{
  return document->n_pages;
}

gboolean
sp_print_document_can_draw (SpPrintDocument *document)
{
  return !document->consumed;
}

gboolean
sp_print_document_draw (SpPrintDocument *document,
                        cairo_t         *cr,
                        double           width,
                        double           height,
                        GError         **error)
{
  g_return_val_if_fail (document != NULL && cr != NULL, FALSE);

  if (document->consumed)
    {
      g_set_error (error, SP_PRINT_ERROR, SP_PRINT_ERROR_PRINT_ONCE,
                   _("This document can be printed only once"));
      return FALSE;
    }
  for (guint page = 0; page < document->n_pages; page++)
    {
      cairo_save (cr);
      document->draw (cr, width, height, page, document->data);
      cairo_restore (cr);
      cairo_show_page (cr);
    }
  if (document->print_once)
    {
      /* The envelope's data (the PIN pointer with it) goes now: nothing
       * can draw it a second time, by mistake or otherwise. */
      document->consumed = TRUE;
      drop_data (document);
    }
  return cairo_status (cr) == CAIRO_STATUS_SUCCESS;
}

void
sp_print_document_consume (SpPrintDocument *document)
{
  g_return_if_fail (document != NULL);

  if (!document->print_once)
    return;
  document->consumed = TRUE;
  drop_data (document);
}

void
sp_print_document_draw_page (SpPrintDocument *document,
                             cairo_t         *cr,
                             double           width,
                             double           height,
                             guint            page)
{
  g_return_if_fail (document != NULL && cr != NULL);
  g_return_if_fail (!document->print_once);
  g_return_if_fail (page < document->n_pages);

  cairo_save (cr);
  document->draw (cr, width, height, page, document->data);
  cairo_restore (cr);
}

void
sp_print_spool_free (SpPrintSpool *spool)
{
  if (spool == NULL)
    return;
  if (spool->data != NULL)
    sodium_memzero (spool->data, spool->allocated);
  g_free (spool->data);
  g_free (spool);
}

/* Grows by copying and wiping the old block: realloc would leave a copy
 * of the envelope's bytes in freed memory. */
static cairo_status_t
append_to_spool (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  SpPrintSpool *spool = closure;

  if (spool->len + length > spool->allocated)
    {
      gsize allocated = MAX (spool->allocated * 2, spool->len + length);
      guint8 *bigger = g_malloc (allocated);

      if (spool->data != NULL)
        {
          memcpy (bigger, spool->data, spool->len);
          sodium_memzero (spool->data, spool->allocated);
          g_free (spool->data);
        }
      spool->data = bigger;
      spool->allocated = allocated;
    }
  memcpy (spool->data + spool->len, data, length);
  spool->len += length;
  return CAIRO_STATUS_SUCCESS;
}

/* Envelopes are ~30 KB, registers of a busy day a few hundred. */
#define SPOOL_START_SIZE (256 * 1024)

SpPrintSpool *
sp_print_document_spool (SpPrintDocument *document,
                         GError         **error)
{
  g_autoptr(SpPrintSpool) spool = g_new0 (SpPrintSpool, 1);
  cairo_surface_t *surface;
  cairo_t *cr;
  gboolean ok;

  g_return_val_if_fail (document != NULL, NULL);

  spool->allocated = SPOOL_START_SIZE;
  spool->data = g_malloc (spool->allocated);
  surface = cairo_pdf_surface_create_for_stream (append_to_spool, spool, SP_A4_WIDTH, SP_A4_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, document->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Sportello PIN");
  cr = cairo_create (surface);
  ok = sp_print_document_draw (document, cr, SP_A4_WIDTH, SP_A4_HEIGHT, error);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  ok = ok && cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS;
  cairo_surface_destroy (surface);
  if (!ok)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, SP_PRINT_ERROR, SP_PRINT_ERROR_FAILED, _("Could not render the PDF"));
      return NULL;
    }
  return g_steal_pointer (&spool);
}

GBytes *
sp_print_render_pdf (SpPrintDocument *document,
                     GError         **error)
{
  g_autoptr(SpPrintSpool) spool = NULL;

  g_return_val_if_fail (document != NULL, NULL);

  if (document->print_once)
    {
      g_set_error (error, SP_PRINT_ERROR, SP_PRINT_ERROR_PRINT_ONCE,
                   _("The PIN envelope is never saved as a file"));
      return NULL;
    }
  if ((spool = sp_print_document_spool (document, error)) == NULL)
    return NULL;
  return g_bytes_new (spool->data, spool->len);
}
