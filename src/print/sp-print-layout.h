/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include "sp-issuance.h"
#include "sp-print-document.h"

G_BEGIN_DECLS

/* Drawing helpers shared by the documents (private to src/print). */

#define SP_FONT_BODY "DejaVu Sans 9"
#define SP_FONT_INSTITUTE "DejaVu Sans Bold 10"
#define SP_FONT_SMALL "DejaVu Sans 7"
#define SP_FONT_LABEL "DejaVu Sans 7"
#define SP_FONT_HEADING "DejaVu Sans Bold 11"
#define SP_FONT_TITLE "DejaVu Sans Bold 14"
#define SP_FONT_ADDRESS "DejaVu Sans 11"
/* The PIN halves: a monospace face whose glyphs for the alphabet's
 * characters cannot be confused (no 0/O, 1/I/L in the alphabet anyway). */
#define SP_FONT_PIN "DejaVu Sans Mono Bold 26"

/* Text at x, y (points, top left of the block), wrapped to width when
 * width > 0; markup when markup is TRUE. Returns the block's height. */
double sp_print_text         (cairo_t    *cr,
                              double      x,
                              double      y,
                              double      width,
                              const char *font,
                              const char *text);
double sp_print_markup       (cairo_t    *cr,
                              double      x,
                              double      y,
                              double      width,
                              const char *font,
                              const char *markup);
/* Text wrapped to width at word boundaries only (headings). */
double sp_print_words        (cairo_t    *cr,
                              double      x,
                              double      y,
                              double      width,
                              const char *font,
                              const char *text);
/* Right-aligned text ending at x_right. */
void   sp_print_text_right   (cairo_t    *cr,
                              double      x_right,
                              double      y,
                              const char *font,
                              const char *text);
/* A small label above a value, as on a form; returns the height used. */
double sp_print_field        (cairo_t    *cr,
                              double      x,
                              double      y,
                              double      width,
                              const char *label,
                              const char *value);
void   sp_print_hline        (cairo_t    *cr,
                              double      x,
                              double      y,
                              double      width,
                              double      line_width);
void   sp_print_box          (cairo_t    *cr,
                              double      x,
                              double      y,
                              double      width,
                              double      height,
                              double      line_width);
/* The header shared by the documents: institute, sede, title. Returns
 * the y below it. */
double sp_print_header       (cairo_t    *cr,
                              const char *sede_name,
                              const char *title);
/* "Page 1 of 2" and the issuance number at the foot of the page. */
void   sp_print_footer       (cairo_t    *cr,
                              guint       page,
                              guint       n_pages,
                              const char *left);
/* A QR code of text (libqrencode), size points square at x, y. */
gboolean sp_print_qr         (cairo_t    *cr,
                              double      x,
                              double      y,
                              double      size,
                              const char *text);

char  *sp_print_format_date     (const GDate *date);     /* "22/11/2026", "" if invalid */
char  *sp_print_format_datetime (GDateTime   *dt);       /* local time "22/11/2026 10:05" */
char  *sp_print_person_name     (const SpPerson *person); /* "Mario Rossi" */
char  *sp_print_birth           (const SpPerson *person); /* "01/01/1980, Roma (RM)" */
/* The label of sp_print_birth's value, agreeing with the person's sex
 * when it is known ("Nato il, a", "Nata il, a"). */
const char *sp_print_born_label (const SpPerson *person);
/* "issued by the Comune di Milano on 01/02/2020", agreeing in Italian with
 * the document's gender and the issuing office's ("rilasciata dal Comune
 * di Milano il 01/02/2020"); "" when the issuer is unknown. */
char  *sp_print_issued_by       (const SpDocument *document);
/* Street, then "00100 Roma (RM)", newline separated; "" when NULL. */
char  *sp_print_address         (const SpAddress *address);
/* The issuance number as printed: the UUID, upper case. */
char  *sp_print_issuance_number (const SpIssuance *issuance);

G_END_DECLS
