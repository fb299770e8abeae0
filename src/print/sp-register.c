/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-print"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-applicant.h"
#include "sp-print-layout.h"
#include "sp-register.h"

typedef struct {
  GDate date;
  char *sede_name;
  char *operator_id;
  GPtrArray *entries;   /* of SpRegisterEntry, sorted */
  guint n_pages;
} Register;

/* Column left edges and widths in mm, from the left margin (20 mm). */
static const struct {
  double x, w;
} cols[] = {
  { 0, 10 },      /* time */
  { 11, 50 },     /* issuance number, one line of monospace */
  { 62, 38 },     /* citizen: CF over name */
  { 101, 24 },    /* role */
  { 126, 17 },    /* operator */
  { 144, 18 },    /* state */
  { 163, 7 },     /* offline */
};
#define ROW_H SP_MM (9)
#define TABLE_X SP_MM (20)
#define TABLE_W SP_MM (170)

SpRegisterEntry *
sp_register_entry_new (const SpIssuance *issuance,
                       const char       *status)
{
  SpRegisterEntry *entry = g_new0 (SpRegisterEntry, 1);

  entry->issuance = sp_issuance_copy (issuance);
  entry->status = g_strdup (status);
  return entry;
}

void
sp_register_entry_free (SpRegisterEntry *entry)
{
  if (entry == NULL)
    return;
  sp_issuance_free (entry->issuance);
  g_free (entry->status);
  g_free (entry);
}

const char *
sp_register_status_label (const char *status)
{
  static const struct {
    const char *id, *label;
  } labels[] = {
    { "pending", N_("waiting to sync") },
    { "active", N_("active") },
    { "superseded", N_("superseded") },
    { "voided", N_("voided") },
    { "revoked", N_("revoked") },
    { "needs_attention", N_("needs attention") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (status, labels[i].id) == 0)
      return _(labels[i].label);
  return status ? status : "";
}

static void
cell (cairo_t    *cr,
      double      y,
      guint       col,
      const char *font,
      const char *text)
{
  sp_print_text (cr, TABLE_X + SP_MM (cols[col].x), y, SP_MM (cols[col].w), font, text);
}

static void
draw_head (cairo_t *cr,
           double   y)
{
  const char *heads[] = {
    N_("Time"), N_("Issuance number"), N_("Citizen"), N_("Requested by"),
    N_("Operator"), N_("State"), N_("Off."),
  };

  cairo_set_source_rgb (cr, 0.9, 0.9, 0.9);
  cairo_rectangle (cr, TABLE_X, y - SP_MM (1), TABLE_W, SP_MM (6));
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint i = 0; i < G_N_ELEMENTS (heads); i++)
    cell (cr, y, i, SP_FONT_LABEL, _(heads[i]));
}

static void
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

  cell (cr, y, 0, SP_FONT_SMALL, time);
  sp_print_text (cr, TABLE_X + SP_MM (cols[1].x), y, -1, "DejaVu Sans Mono 6.3", number);
  cell (cr, y, 2, SP_FONT_SMALL, citizen);
  cell (cr, y, 3, SP_FONT_SMALL, sp_applicant_role_label (is->role));
  cell (cr, y, 4, SP_FONT_SMALL, is->operator_id);
  cell (cr, y, 5, SP_FONT_SMALL, sp_register_status_label (entry->status));
  cell (cr, y, 6, SP_FONT_SMALL, is->offline ? _("yes") : "");
  cairo_set_source_rgb (cr, 0.7, 0.7, 0.7);
  sp_print_hline (cr, TABLE_X, y + ROW_H - SP_MM (1.5), TABLE_W, 0.3);
  cairo_set_source_rgb (cr, 0, 0, 0);
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

      voided += g_strcmp0 (e->status, "voided") == 0;
      offline += e->issuance->offline;
    }
  text = g_strdup_printf (_("Issuances: %u — voided: %u — issued offline: %u"),
                          reg->entries->len, voided, offline);
  sp_print_text (cr, TABLE_X, y + SP_MM (2), TABLE_W, SP_FONT_HEADING, text);
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
  g_autofree char *scope = reg->operator_id ? g_strdup_printf (_("Operator: %s"), reg->operator_id)
                                            : g_strdup (_("All the operators of the sede"));
  guint first = page * SP_REGISTER_ROWS_PER_PAGE;
  guint last = MIN (first + SP_REGISTER_ROWS_PER_PAGE, reg->entries->len);
  double y;

  y = sp_print_header (cr, reg->sede_name, title);
  y += sp_print_text (cr, TABLE_X, y, TABLE_W, SP_FONT_BODY, scope) + SP_MM (3);
  draw_head (cr, y);
  y += SP_MM (7);
  for (guint i = first; i < last; i++, y += ROW_H)
    draw_row (cr, y, g_ptr_array_index (reg->entries, i));
  if (reg->entries->len == 0)
    y += sp_print_text (cr, TABLE_X, y, TABLE_W, SP_FONT_BODY, _("No issuances on this day."));
  if (page + 1 == reg->n_pages)
    draw_totals (cr, y, reg);
  sp_print_footer (cr, page, reg->n_pages, title);
}

static void
register_free (gpointer data)
{
  Register *reg = data;

  g_ptr_array_unref (reg->entries);
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
  reg->n_pages = MAX (1, (reg->entries->len + SP_REGISTER_ROWS_PER_PAGE - 1) / SP_REGISTER_ROWS_PER_PAGE);
  iso = sp_date_to_iso (date);
  title = g_strdup_printf ("Sportello PIN register %s", iso);
  return sp_print_document_new (title, FALSE, reg->n_pages, register_draw_page, reg, register_free);
}
