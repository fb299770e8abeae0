/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-document.h"
#include "sp-step-document.h"

struct _SpStepDocument
{
  SpStepView parent_instance;

  GtkDropDown *type;
};

G_DEFINE_FINAL_TYPE (SpStepDocument, sp_step_document, SP_TYPE_STEP_VIEW)

static void
on_type_selected (SpStepDocument *self)
{
  guint i = gtk_drop_down_get_selected (self->type);

  if (sp_step_view_is_loading (SP_STEP_VIEW (self)) || i >= SP_DOCUMENT_N_TYPES)
    return;
  sp_request_set_document_type (sp_step_view_get_request (SP_STEP_VIEW (self)), i);
  sp_step_view_touch (SP_STEP_VIEW (self), SP_REQUEST_FIELD_DOC_TYPE);
  sp_step_view_refresh (SP_STEP_VIEW (self), FALSE);
}

static void
load (SpStepView *view)
{
  SpStepDocument *self = SP_STEP_DOCUMENT (view);
  gtk_drop_down_set_selected (self->type, sp_request_get_document_type (sp_step_view_get_request (view)));
}

static void
enter (SpStepView *view)
{
  SpRequest *request = sp_step_view_get_request (view);
  SpDocumentType type;

  /* The first type is chosen on screen: say so in the request too. */
  if (!sp_request_lookup_document_type (request, &type))
    on_type_selected (SP_STEP_DOCUMENT (view));
}

static void
sp_step_document_class_init (SpStepDocumentClass *klass)
{
  SP_STEP_VIEW_CLASS (klass)->load = load;
  SP_STEP_VIEW_CLASS (klass)->enter = enter;
}

static void
sp_step_document_init (SpStepDocument *self)
{
}

static GtkWidget *
type_dropdown (SpStepDocument *self)
{
  g_autoptr(GtkStringList) types = gtk_string_list_new (NULL);
  GtkWidget *dropdown;

  for (guint i = 0; i < SP_DOCUMENT_N_TYPES; i++)
    gtk_string_list_append (types, sp_document_type_label (i));
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&types)), NULL);
  g_object_set_data (G_OBJECT (dropdown), "sp-unbound", GINT_TO_POINTER (1));
  self->type = GTK_DROP_DOWN (dropdown);
  g_signal_connect_object (dropdown, "notify::selected", G_CALLBACK (on_type_selected), self, G_CONNECT_SWAPPED);
  return dropdown;
}

SpStepView *
sp_step_document_new (SpApplication *app,
                      SpContext     *context,
                      SpRequest     *request)
{
  SpStepDocument *self = g_object_new (SP_TYPE_STEP_DOCUMENT, "context", context, NULL);
  SpStepView *view = SP_STEP_VIEW (self);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkGrid *grid = sp_step_view_new_grid ();
  GtkWidget *mrz = gtk_text_view_new ();
  SpField *f;
  int row = 0;

  sp_step_view_setup (view, app, request, SP_REQUEST_STEP_DOCUMENT, box);
  gtk_box_append (GTK_BOX (box), sp_ui_heading (_("Identity Document Shown at the Counter")));
  sp_step_view_add_field (view, SP_REQUEST_FIELD_DOC_TYPE, grid, &row, _("_Type"), type_dropdown (self), NULL);
  f = sp_step_view_add_entry (view, SP_REQUEST_FIELD_DOC_NUMBER, grid, &row, _("N_umber"), NULL);
  gtk_widget_add_css_class (f->widget, "monospace");
  sp_step_view_add_entry (view, SP_REQUEST_FIELD_DOC_ISSUER, grid, &row, _("_Issued by"), _("e.g. Comune di Roma, Questura di Milano"));
  f = sp_step_view_add_entry (view, SP_REQUEST_FIELD_DOC_ISSUED_ON, grid, &row, _("Issue _date"), _("Day/month/year"));
  gtk_entry_set_placeholder_text (GTK_ENTRY (f->widget), _("DD/MM/YYYY"));
  f = sp_step_view_add_entry (view, SP_REQUEST_FIELD_DOC_EXPIRES_ON, grid, &row, _("E_xpiry date"), _("Day/month/year"));
  gtk_entry_set_placeholder_text (GTK_ENTRY (f->widget), _("DD/MM/YYYY"));
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (mrz), TRUE);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (mrz), FALSE);
  gtk_widget_set_size_request (mrz, -1, 72);
  gtk_widget_add_css_class (mrz, "card");
  sp_step_view_add_field (view, SP_REQUEST_FIELD_DOC_MRZ, grid, &row, _("_MRZ"), mrz,
                          _("Optional: the machine-readable lines of a CIE or passport, one per line"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (grid));
  return view;
}
