/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-print"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sp-applicant.h"
#include "sp-print-layout.h"
#include "sp-register.h"

typedef struct {
  GDate date;
  char *sede_name;
  char *operator_id;
  GPtrArray *entries;   /* of SpRegisterEntry, sorted */
  GArray *page_first;   /* guint: the first entry of each page, and a last = len */
  guint n_pages;
} Register;

/* Column left edges and widths in mm, from the left margin (20 mm), on
 * A4 portrait: 2 mm between columns, each wider than the longest word it
 * holds, so long names wrap between words within their own column. */
static const struct {
  double x, w;
} cols[] = {
  { 0, 10 },      /* time */
  { 12, 26 },     /* issuance number: three lines of monospace */
  { 40, 48 },     /* citizen: CF over the name, up to two lines */
  { 90, 30 },     /* requested by (role) */
  { 122, 20 },    /* operator */
  { 144, 26 },    /* state, and whether it was issued offline */
};
#define HEAD_H SP_MM (8)
#define NUMBER_FONT "DejaVu Sans Mono 6.3"
#define TABLE_X SP_MM (20)
#define TABLE_W SP_MM (170)

SpRegisterEntry *
sp_register_entry_new (const SpIssuance *issuance,
                       SpIssuanceStatus  status)
{
  SpRegisterEntry *entry = g_new0 (SpRegisterEntry, 1);

  entry->issuance = sp_issuance_copy (issuance);
  entry->status = status;
  return entry;
}

void
sp_register_entry_free (SpRegisterEntry *entry)
{
  if (entry == NULL)
    return;
  sp_issuance_free (entry->issuance);
  g_free (entry);
}

const char *
sp_register_status_label (SpIssuanceStatus status)
{
  switch (status)
    {
    case SP_ISSUANCE_STATUS_PENDING: return _("waiting to sync");
    case SP_ISSUANCE_STATUS_ACTIVE: return _("active");
    case SP_ISSUANCE_STATUS_SUPERSEDED: return _("superseded");
    case SP_ISSUANCE_STATUS_VOIDED: return _("voided");
    case SP_ISSUANCE_STATUS_REVOKED: return _("revoked");
    case SP_ISSUANCE_STATUS_NEEDS_ATTENTION: return _("needs attention");
    default: return "";
    }
}

static double
cell (cairo_t    *cr,
      double      y,
      guint       col,
      const char *font,
      const char *text)
{
  return sp_print_words (cr, TABLE_X + SP_MM (cols[col].x), y, SP_MM (cols[col].w), font, text);
}

static void
draw_head (cairo_t *cr,
           double   y)
{
  const char *heads[] = {
    N_("Time"), N_("Issuance number"), N_("Citizen"), N_("Requested by"),
    N_("Operator"), N_("State"),
  };

  cairo_set_source_rgb (cr, 0.9, 0.9, 0.9);
  cairo_rectangle (cr, TABLE_X, y - SP_MM (1), TABLE_W, HEAD_H);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  /* Headings wrap between words only ("Numero di / emissione", never
   * "Operator-e"): each column is wider than its longest word. */
  for (guint i = 0; i < G_N_ELEMENTS (heads); i++)
    sp_print_words (cr, TABLE_X + SP_MM (cols[i].x), y, SP_MM (cols[i].w), SP_FONT_LABEL, _(heads[i]));
}

/* Draws one row at y and returns its height: the tallest of its cells,
 * so that a long name or a long state pushes the next row down. */
static double
draw_row (cairo_t         *cr,
          double           y,
          SpRegisterEntry *entry)
{
  SpIssuance *is = entry->issuance;
  g_autoptr(GDateTime) local = is->issued_at ? g_date_time_to_local (is->issued_at) : NULL;
  g_autofree char *time = local ? g_date_time_format (local, "%H:%M") : g_strdup ("");
  g_autofree char *number = sp_print_issuance_number (is);
  g_autofree char *name = sp_print_person_name (is->citizen);
  g_autofree char *citizen = g_strdup_printf ("%s\n%s", is->cf, name);
  g_autofree char *number_lines = NULL;
  g_autofree char *state = NULL;

  /* The UUID on three lines (8-4-, 4-4-, 12): it stays in its column. */
  number_lines = strlen (number) == 36 ? g_strdup_printf ("%.14s\n%.10s\n%s", number, number + 14, number + 24)
                                       : g_strdup (number);
  double h = 0;

  h = MAX (h, cell (cr, y, 0, SP_FONT_SMALL, time));
  h = MAX (h, sp_print_text (cr, TABLE_X + SP_MM (cols[1].x), y, -1, NUMBER_FONT, number_lines));
  h = MAX (h, cell (cr, y, 2, SP_FONT_SMALL, citizen));
  state = is->offline ? g_strdup_printf ("%s\n%s", sp_register_status_label (entry->status), _("issued offline"))
                      : g_strdup (sp_register_status_label (entry->status));
  h = MAX (h, cell (cr, y, 3, SP_FONT_SMALL, sp_applicant_role_label (is->role)));
  h = MAX (h, cell (cr, y, 4, SP_FONT_SMALL, is->operator_id));
  h = MAX (h, cell (cr, y, 5, SP_FONT_SMALL, state));
  h += SP_MM (2);
  cairo_set_source_rgb (cr, 0.7, 0.7, 0.7);
  sp_print_hline (cr, TABLE_X, y + h - SP_MM (1), TABLE_W, 0.3);
  cairo_set_source_rgb (cr, 0, 0, 0);
  return h;
}

static void
draw_totals (cairo_t  *cr,
             double    y,
             Register *reg)
{
  guint voided = 0, offline = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < reg->entries->len; i++)
    {
      SpRegisterEntry *e = g_ptr_array_index (reg->entries, i);

      voided += e->status == SP_ISSUANCE_STATUS_VOIDED;
      offline += e->issuance->offline;
    }
  text = g_strdup_printf (_("Issuances: %u — voided: %u — issued offline: %u"),
                          reg->entries->len, voided, offline);
  sp_print_text (cr, TABLE_X, y + SP_MM (2), TABLE_W, SP_FONT_HEADING, text);
}

/* The heading of every page, down to the table's head; returns where the
 * first row goes. */
static double
draw_top (cairo_t  *cr,
          Register *reg)
{
  g_autofree char *date = sp_print_format_date (&reg->date);
  g_autofree char *title = g_strdup_printf (_("Day register of issuances, %s"), date);
  g_autofree char *scope = reg->operator_id ? g_strdup_printf (_("Operator: %s"), reg->operator_id)
                                            : g_strdup (_("All the operators of the sede"));
  double y = sp_print_header (cr, reg->sede_name, title);

  y += sp_print_text (cr, TABLE_X, y, TABLE_W, SP_FONT_BODY, scope) + SP_MM (3);
  draw_head (cr, y);
  return y + HEAD_H + SP_MM (1);
}

static void
register_draw_page (cairo_t  *cr,
                    double    width,
                    double    height,
                    guint     page,
                    gpointer  data)
{
  Register *reg = data;
  g_autofree char *date = sp_print_format_date (&reg->date);
  g_autofree char *title = g_strdup_printf (_("Day register of issuances, %s"), date);
  guint first = g_array_index (reg->page_first, guint, page);
  guint last = g_array_index (reg->page_first, guint, page + 1);
  double y = draw_top (cr, reg);

  for (guint i = first; i < last; i++)
    y += draw_row (cr, y, g_ptr_array_index (reg->entries, i));
  if (reg->entries->len == 0)
    y += sp_print_text (cr, TABLE_X, y, TABLE_W, SP_FONT_BODY, _("No issuances on this day."));
  if (page + 1 == reg->n_pages)
    draw_totals (cr, y, reg);
  sp_print_footer (cr, page, reg->n_pages, title);
}

/* Rows are as tall as their longest cell: the pages are cut by drawing
 * every row once on a scratch surface. */
static void
paginate (Register *reg)
{
  cairo_surface_t *scratch = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
  cairo_t *cr = cairo_create (scratch);
  const double bottom = SP_A4_HEIGHT - SP_MM (30);   /* the footer, and the totals' line */
  double top = draw_top (cr, reg), y = top;
  guint zero = 0;

  reg->page_first = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_val (reg->page_first, zero);
  for (guint i = 0; i < reg->entries->len; i++)
    {
      double h = draw_row (cr, 0, g_ptr_array_index (reg->entries, i));

      if (y + h > bottom && y > top)
        {
          g_array_append_val (reg->page_first, i);
          y = top;
        }
      y += h;
    }
  g_array_append_val (reg->page_first, reg->entries->len);
  reg->n_pages = reg->page_first->len - 1;
  cairo_destroy (cr);
  cairo_surface_destroy (scratch);
}

static void
register_free (gpointer data)
{
  Register *reg = data;

  g_ptr_array_unref (reg->entries);
  g_array_unref (reg->page_first);
  g_free (reg->sede_name);
  g_free (reg->operator_id);
  g_free (reg);
}

static int
by_issue_time (gconstpointer a,
               gconstpointer b)
{
  const SpRegisterEntry *x = *(SpRegisterEntry **) a;
  const SpRegisterEntry *y = *(SpRegisterEntry **) b;

  if (x->issuance->issued_at == NULL || y->issuance->issued_at == NULL)
    return (x->issuance->issued_at != NULL) - (y->issuance->issued_at != NULL);
  return g_date_time_compare (x->issuance->issued_at, y->issuance->issued_at);
}

SpPrintDocument *
sp_register_document_new (const GDate *date,
                          const char  *sede_name,
                          const char  *operator_id,
                          GPtrArray   *entries)
{
  Register *reg;
  g_autofree char *title = NULL;
  g_autofree char *iso = NULL;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);
  g_return_val_if_fail (entries != NULL, NULL);

  reg = g_new0 (Register, 1);
  reg->date = *date;
  reg->sede_name = g_strdup (sede_name);
  reg->operator_id = g_strdup (operator_id);
  reg->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_register_entry_free);
  for (guint i = 0; i < entries->len; i++)
    {
      SpRegisterEntry *e = g_ptr_array_index (entries, i);

      g_ptr_array_add (reg->entries, sp_register_entry_new (e->issuance, e->status));
    }
  g_ptr_array_sort (reg->entries, by_issue_time);
  paginate (reg);
  iso = sp_date_to_iso (date);
  title = g_strdup_printf ("Sportello PIN register %s", iso);
  return sp_print_document_new (title, FALSE, reg->n_pages, register_draw_page, reg, register_free);
}
