/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-calibration.h"
#include "sp-print-settings.h"
#include "sp-printer-page.h"
#include "sp-test-page.h"

/* Preferences → Printers: the envelope printer and the document printer
 * chosen once from CUPS's list, with each queue's state, remembered in
 * GSettings; a test page and the calibration page. From then on the
 * counter prints with no dialog. */

struct _SpPrinterPage
{
  AdwPreferencesPage parent_instance;

  GSettings *settings;
  SpPrintService *service;
  GCancellable *cancellable;

  AdwComboRow *envelope_row;
  AdwComboRow *document_row;
  GtkButton *refresh;
  GPtrArray *printers;     /* SpPrinterInfo, in the rows' order */
  gboolean filling;        /* the rows are being refilled: not a choice */
};

G_DEFINE_FINAL_TYPE (SpPrinterPage, sp_printer_page, ADW_TYPE_PREFERENCES_PAGE)

static const char *
key_of (SpPrinterPage *self,
        AdwComboRow   *row)
{
  return row == self->envelope_row ? "envelope-printer" : "document-printer";
}

static void
toast (SpPrinterPage *self,
       const char    *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (text));
}

/* The rows' first item is "Choose a printer…": a combo row of one item
 * (a counter with one queue) shows no arrow and never opens in libadwaita
 * 1.2, and nothing is chosen until the operator chooses. */
#define FIRST_PRINTER 1

static SpPrinterInfo *
chosen_info (SpPrinterPage *self,
             AdwComboRow   *row)
{
  guint i = adw_combo_row_get_selected (row);

  if (self->printers == NULL || i == GTK_INVALID_LIST_POSITION || i < FIRST_PRINTER
      || i - FIRST_PRINTER >= self->printers->len)
    return NULL;
  return g_ptr_array_index (self->printers, i - FIRST_PRINTER);
}

/* The row's subtitle says whether the chosen printer can print now, and
 * if not, what to do. */
static void
show_row_state (SpPrinterPage *self,
                AdwComboRow   *row)
{
  SpPrinterInfo *info = chosen_info (self, row);
  g_autofree char *chosen = g_settings_get_string (self->settings, key_of (self, row));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (info == NULL)
    text = g_strdup (*chosen ? _("This printer is not in the print system's list: choose another")
                             : _("No printer chosen yet"));
  else if (!sp_printer_info_check (info, &error))
    text = g_strdup (error->message);
  else
    text = sp_printer_info_describe_state (info);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

static void
on_selected (AdwComboRow   *row,
             GParamSpec    *pspec,
             SpPrinterPage *self)
{
  SpPrinterInfo *info = chosen_info (self, row);

  if (self->filling || info == NULL)
    return;
  g_settings_set_string (self->settings, key_of (self, row), info->name);
  show_row_state (self, row);
}

static void
fill_row (SpPrinterPage *self,
          AdwComboRow   *row)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *chosen = g_settings_get_string (self->settings, key_of (self, row));
  guint selected = 0;

  gtk_string_list_append (names, _("Choose a printer…"));
  for (guint i = 0; i < self->printers->len; i++)
    {
      SpPrinterInfo *info = g_ptr_array_index (self->printers, i);
      g_autofree char *state = sp_printer_info_describe_state (info);
      g_autofree char *label = g_strdup_printf ("%s — %s", info->description, state);

      gtk_string_list_append (names, label);
      if (g_strcmp0 (info->name, chosen) == 0)
        selected = i + FIRST_PRINTER;
    }
  self->filling = TRUE;
  adw_combo_row_set_model (row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (row, selected);
  self->filling = FALSE;
  show_row_state (self, row);
}

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SpPrinterPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *printers = sp_print_service_list_printers_finish (SP_PRINT_SERVICE (source), result, &error);

  gtk_widget_set_sensitive (GTK_WIDGET (self->refresh), TRUE);
  g_debug ("printers listed: %d (%s)", printers ? (int) printers->len : -1, error ? error->message : "");
  if (printers == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      printers = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_printer_info_free);
      toast (self, error->message);
    }
  g_clear_pointer (&self->printers, g_ptr_array_unref);
  self->printers = printers;
  fill_row (self, self->envelope_row);
  fill_row (self, self->document_row);
}

static void
refresh (SpPrinterPage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->refresh), FALSE);
  sp_print_service_list_printers_async (self->service, self->cancellable, on_listed, g_object_ref (self));
}

static void
on_page_printed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SpPrinterPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (sp_print_service_print_finish (SP_PRINT_SERVICE (source), result, NULL, &error))
    toast (self, _("The page is printed."));
  else if (!g_error_matches (error, SP_PRINT_ERROR, SP_PRINT_ERROR_CANCELLED)
           || !g_cancellable_is_cancelled (self->cancellable))
    toast (self, error->message);
}

static void
print_page (SpPrinterPage   *self,
            const char      *key,
            gboolean         calibration)
{
  g_autofree char *printer = g_settings_get_string (self->settings, key);
  g_autoptr(SpPrintDocument) doc = NULL;
  double x_mm, y_mm;

  if (calibration)
    {
      sp_print_settings_get_offsets (self->settings, printer, &x_mm, &y_mm);
      doc = sp_calibration_document_new (sp_print_settings_get_layout (self->settings), x_mm, y_mm);
    }
  else
    doc = sp_test_page_document_new (printer);
  toast (self, _("Printing…"));
  sp_print_service_print_async (self->service, printer, doc, NULL, self->cancellable, on_page_printed,
                                g_object_ref (self));
}

static void
on_test_envelope (SpPrinterPage *self)
{
  print_page (self, "envelope-printer", FALSE);
}

static void
on_test_document (SpPrinterPage *self)
{
  print_page (self, "document-printer", FALSE);
}

static void
on_calibration (SpPrinterPage *self)
{
  print_page (self, "envelope-printer", TRUE);
}

static void
sp_printer_page_dispose (GObject *object)
{
  SpPrinterPage *self = SP_PRINTER_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->service);
  g_clear_pointer (&self->printers, g_ptr_array_unref);
  G_OBJECT_CLASS (sp_printer_page_parent_class)->dispose (object);
}

static void
sp_printer_page_class_init (SpPrinterPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sp_printer_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sportellopin/SportelloPin/sp-printer-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SpPrinterPage, envelope_row);
  gtk_widget_class_bind_template_child (widget_class, SpPrinterPage, document_row);
  gtk_widget_class_bind_template_child (widget_class, SpPrinterPage, refresh);
  gtk_widget_class_bind_template_callback (widget_class, refresh);
  gtk_widget_class_bind_template_callback (widget_class, on_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_test_envelope);
  gtk_widget_class_bind_template_callback (widget_class, on_test_document);
  gtk_widget_class_bind_template_callback (widget_class, on_calibration);
}

static void
sp_printer_page_init (SpPrinterPage *self)
{
  self->cancellable = g_cancellable_new ();
  /* The rows are filled once the settings are known (sp_printer_page_new). */
  self->filling = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->filling = FALSE;
}

GtkWidget *
sp_printer_page_new (GSettings      *settings,
                     SpPrintService *service)
{
  SpPrinterPage *self = g_object_new (SP_TYPE_PRINTER_PAGE, NULL);

  self->settings = g_object_ref (settings);
  self->service = g_object_ref (service);
  refresh (self);
  return GTK_WIDGET (self);
}
