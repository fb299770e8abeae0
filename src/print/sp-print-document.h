/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* Everything we print is laid out on A4 portrait, in points. */
#define SP_PT_PER_MM (72.0 / 25.4)
#define SP_MM(mm) ((mm) * SP_PT_PER_MM)
#define SP_A4_WIDTH_MM 210.0
#define SP_A4_HEIGHT_MM 297.0
#define SP_A4_WIDTH SP_MM (SP_A4_WIDTH_MM)
#define SP_A4_HEIGHT SP_MM (SP_A4_HEIGHT_MM)

#define SP_PRINT_ERROR (sp_print_error_quark ())
typedef enum {
  SP_PRINT_ERROR_PRINT_ONCE,      /* a print-once document asked for a copy */
  SP_PRINT_ERROR_FAILED,          /* refused or lost by the print system */
  SP_PRINT_ERROR_NOT_CONFIGURED,  /* no printer chosen for this document */
  SP_PRINT_ERROR_NOT_FOUND,       /* the print system has no such printer */
  SP_PRINT_ERROR_PRINTER_STOPPED, /* stopped, paused, out of paper, offline… */
  SP_PRINT_ERROR_UNREACHABLE,     /* the print system does not answer */
  SP_PRINT_ERROR_CANCELLED,       /* by the operator, or on the queue */
  SP_PRINT_ERROR_ABORTED,         /* the printer gave up on the job */
  SP_PRINT_ERROR_TIMED_OUT,       /* not printed within the bounded wait */
} SpPrintError;
GQuark sp_print_error_quark (void);

/* Draws page (from 0) of a document on cr, whose origin is the top left
 * corner of a page width x height points. */
typedef void (*SpPrintDrawFunc) (cairo_t  *cr,
                                 double    width,
                                 double    height,
                                 guint     page,
                                 gpointer  data);

/* A document ready to draw: its pages, a title for the print queue, and
 * whether it may be drawn only once (the PIN envelope: its data, the PIN,
 * is dropped after the one drawing, and no PDF of it is ever made). */
typedef struct _SpPrintDocument SpPrintDocument;

SpPrintDocument *sp_print_document_new        (const char      *title,
                                               gboolean         print_once,
                                               guint            n_pages,
                                               SpPrintDrawFunc  draw,
                                               gpointer         data,
                                               GDestroyNotify   destroy);
SpPrintDocument *sp_print_document_ref        (SpPrintDocument *document);
void             sp_print_document_unref      (SpPrintDocument *document);
const char      *sp_print_document_get_title  (SpPrintDocument *document);
gboolean         sp_print_document_is_print_once (SpPrintDocument *document);
guint            sp_print_document_get_n_pages (SpPrintDocument *document);
/* FALSE once a print-once document has been drawn (or consumed). */
gboolean         sp_print_document_can_draw   (SpPrintDocument *document);
/* Draws every page on cr, calling cairo_show_page after each: for a
 * print-once document this is its one drawing, and its data is freed
 * (the PIN pointer dropped) as soon as the last page is drawn. */
gboolean         sp_print_document_draw       (SpPrintDocument *document,
                                               cairo_t         *cr,
                                               double           width,
                                               double           height,
                                               GError         **error);
/* Drops a print-once document's data without drawing it (a job that
 * failed before drawing): it can never be drawn after, so an envelope is
 * never retried with the PIN of a failed print. No-op for others. */
void             sp_print_document_consume    (SpPrintDocument *document);
/* Draws one page of a reprintable document (previews, PNG exports). */
void             sp_print_document_draw_page  (SpPrintDocument *document,
                                               cairo_t         *cr,
                                               double           width,
                                               double           height,
                                               guint            page);
/* An A4 PDF of a reprintable document (receipt, MV35, register,
 * calibration page), in memory. A print-once document is refused
 * (SP_PRINT_ERROR_PRINT_ONCE): the envelope is never made into a file. */
GBytes          *sp_print_render_pdf          (SpPrintDocument *document,
                                               GError         **error);

/* The PDF of a document as it goes to the printer, in memory only: for
 * the envelope it holds the PIN, so its bytes are wiped when it is freed
 * (and when it grows), never written anywhere but to the print system. */
typedef struct {
  guint8 *data;
  gsize len;
  gsize allocated;
} SpPrintSpool;

/* The one drawing of any document, print-once included (the envelope is
 * consumed by it), as an A4 PDF for the printer. */
SpPrintSpool    *sp_print_document_spool      (SpPrintDocument *document,
                                               GError         **error);
void             sp_print_spool_free          (SpPrintSpool    *spool);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpPrintSpool, sp_print_spool_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpPrintDocument, sp_print_document_unref)

G_END_DECLS
