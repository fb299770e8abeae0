/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-print-service.h"
#include "sp-printer-pick.h"
#include "sp-register-export.h"
#include "sp-register.h"

typedef struct {
  SpApplication *app;
  AdwToastOverlay *toasts;
  SpPrintDocument *doc;
  GtkWindow *parent;
} Export;

static void
export_free (Export *e)
{
  g_clear_pointer (&e->doc, sp_print_document_unref);
  g_clear_object (&e->toasts);
  g_clear_object (&e->parent);
  g_free (e);
}

/* The same day query as `sportello-tool register`: issuances by issue
 * time in the workstation's local day. */
GPtrArray *
sp_register_entries_of_day (SpStore     *store,
                            const GDate *day,
                            const char  *operator_id)
{
  g_autoptr(GPtrArray) issuances = sp_store_list_issuances_on (store, day, operator_id, NULL);
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_register_entry_free);

  for (guint i = 0; issuances && i < issuances->len; i++)
    {
      SpIssuance *is = g_ptr_array_index (issuances, i);
      SpIssuanceStatus status = SP_ISSUANCE_STATUS_PENDING;

      /* Listed by the store a moment ago: its status is there. */
      sp_store_issuance_status (store, is->id, &status);
      g_ptr_array_add (entries, sp_register_entry_new (is, status));
    }
  return entries;
}

static void
toast (Export     *e,
       const char *text)
{
  adw_toast_overlay_add_toast (e->toasts, adw_toast_new (text));
}

static void
on_printed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Export *e = user_data;
  g_autoptr(GError) error = NULL;

  if (sp_print_service_print_finish (SP_PRINT_SERVICE (source), result, NULL, &error))
    toast (e, _("The register is printed."));
  else
    toast (e, sp_printer_pick_reason (error));
  export_free (e);
}

/* On the document printer chosen in Preferences: no dialog. */
static void
print_register (Export *e)
{
  g_autofree char *printer = sp_application_get_printer_name (e->app, FALSE);

  sp_print_service_print_async (sp_application_get_print_service (e->app), printer, e->doc, NULL, NULL,
                                on_printed, e);
}

static void
on_saved (GtkNativeDialog *dialog,
          int              response,
          gpointer         user_data)
{
  Export *e = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) pdf = sp_print_render_pdf (e->doc, &error);

      if (pdf == NULL || !g_file_replace_contents (file, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf),
                                                   NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, &error))
        toast (e, error->message);
      else
        toast (e, _("The register is saved."));
    }
  g_object_unref (dialog);
  export_free (e);
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             Export           *e)
{
  if (g_str_equal (response, "print"))
    print_register (e);
  else if (g_str_equal (response, "save"))
    {
      GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Save the Register"), e->parent,
                                                                   GTK_FILE_CHOOSER_ACTION_SAVE,
                                                                   _("_Save"), _("_Cancel"));
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *name = g_date_time_format (now, "registro-%Y-%m-%d.pdf");

      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
      g_signal_connect (chooser, "response", G_CALLBACK (on_saved), e);
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
    }
  else
    export_free (e);
}

void
sp_register_export_today (GtkWindow       *parent,
                          SpApplication   *app,
                          SpContext       *context,
                          AdwToastOverlay *toasts)
{
  const SpOperator *op = sp_context_get_operator (context);
  Export *e = g_new0 (Export, 1);
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *sede = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  entries = sp_register_entries_of_day (sp_context_get_store (context), &today, NULL);
  sede = g_strdup_printf (_("Sede %s"), op ? op->sede : "");
  e->app = app;
  e->toasts = g_object_ref (toasts);
  e->parent = g_object_ref (parent);
  e->doc = sp_register_document_new (&today, sede, NULL, entries);
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u issuance today on this workstation.",
                                       "%u issuances today on this workstation.", entries->len), entries->len);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Today's Register"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "save", _("Save as _PDF…"),
                                    "print", _("_Print"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "print", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "print");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), e);
  gtk_window_present (GTK_WINDOW (dialog));
}
