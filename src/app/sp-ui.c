/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-request.h"
#include "sp-ui.h"

char *
sp_ui_strip_mnemonic (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    if (*p != '_' || p[1] == '_')
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

void
sp_ui_grid_attach (GtkGrid    *grid,
                   int         row,
                   const char *mnemonic_label,
                   GtkWidget  *widget,
                   const char *description)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (mnemonic_label);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, widget, 1, row, 1, 1);
  /* A drop-down takes the focus on its inner toggle button, which GTK 4.8
   * leaves unnamed ("GtkToggleButton"): it gets the field's name too. */
  if (GTK_IS_DROP_DOWN (widget) && gtk_widget_get_first_child (widget) != NULL)
    {
      g_autofree char *name = sp_ui_strip_mnemonic (mnemonic_label);

      gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_first_child (widget)),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    }
  /* The mnemonic label names the field; the description says more. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description ? description : "",
                                  -1);
}

GtkEntry *
sp_ui_grid_entry (GtkGrid    *grid,
                  int         row,
                  const char *mnemonic_label,
                  const char *description)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_activates_default (GTK_ENTRY (entry), FALSE);
  sp_ui_grid_attach (grid, row, mnemonic_label, entry, description);
  return GTK_ENTRY (entry);
}

GtkLabel *
sp_ui_message_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_set_visible (label, FALSE);
  return GTK_LABEL (label);
}

void
sp_ui_show_message (GtkLabel   *label,
                    const char *message)
{
  gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL && *message != '\0');
}

void
sp_ui_show_confirmation (GtkLabel   *label,
                         const char *message)
{
  /* What went right is not shown in the colour of what went wrong. */
  gtk_label_set_text (label, message);
  gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
  gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
}

GtkWidget *
sp_ui_heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LEVEL, 2, -1);
  return label;
}

void
sp_field_free (SpField *field)
{
  if (field == NULL)
    return;
  g_free (field->description);
  g_free (field);
}

SpField *
sp_field_new (GtkGrid    *grid,
              int        *row,
              const char *mnemonic_label,
              GtkWidget  *widget,
              const char *description)
{
  SpField *field = g_new0 (SpField, 1);

  field->widget = widget;
  field->description = g_strdup (description ? description : "");
  field->note = sp_ui_message_label ();
  gtk_widget_add_css_class (GTK_WIDGET (field->note), "caption");
  sp_ui_grid_attach (grid, *row, mnemonic_label, widget, description);
  gtk_grid_attach (grid, GTK_WIDGET (field->note), 1, *row + 1, 1, 1);
  *row += 2;
  return field;
}

void
sp_field_set_problem (SpField    *field,
                      const char *message)
{
  gboolean bad = message != NULL && *message != '\0';
  g_autofree char *desc = bad ? g_strdup_printf ("%s %s", _("Error:"), message) : NULL;

  sp_ui_show_message (field->note, message);
  if (bad)
    gtk_widget_add_css_class (field->widget, "error");
  else
    gtk_widget_remove_css_class (field->widget, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (field->widget), GTK_ACCESSIBLE_STATE_INVALID,
                               bad ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (field->widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  bad ? desc : field->description, -1);
}

/* "ROSSI MARIO, M, born on 01/02/1960 in Roma (RM)": what the operator
 * compares with the person and the document at the counter. */
char *
sp_ui_identity_text (const SpPerson *p)
{
  const SpBelfioreEntry *place = sp_place_by_code (p->birth_place);
  g_autofree char *born = sp_date_to_display (&p->birth_date);
  g_autofree char *where = NULL;

  if (place == NULL)
    where = g_strdup (p->birth_place ? p->birth_place : "?");
  else if (*place->province)
    where = g_strdup_printf ("%s (%s)", place->name, place->province);
  else
    where = g_strdup (place->name);
  return g_strdup_printf (p->sex == 'F' ? _("%s %s, female, born on %s in %s")
                                        : _("%s %s, male, born on %s in %s"),
                          p->surname ? p->surname : "", p->name ? p->name : "", born, where);
}
