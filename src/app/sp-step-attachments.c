/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-applicant.h"
#include "sp-mv35.h"
#include "sp-print-service.h"
#include "sp-printer-pick.h"
#include "sp-scan-archive.h"
#include "sp-scan-dialog.h"
#include "sp-scan-import.h"
#include "sp-step-attachments.h"

struct _SpStepAttachments
{
  SpStepView parent_instance;

  GtkListBox *list;
  GtkWidget *next_missing;  /* the Scan button of the first missing attachment, in list */
  GtkLabel *mv35_state;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (SpStepAttachments, sp_step_attachments, SP_TYPE_STEP_VIEW)

static void rebuild (SpStepAttachments *self);

static SpScanArchiveKind
archive_kind (SpAttachmentKind kind)
{
  return kind == SP_ATTACHMENT_DOCUMENT_FRONT || kind == SP_ATTACHMENT_DOCUMENT_BACK
         ? SP_SCAN_ARCHIVE_DOCUMENT : SP_SCAN_ARCHIVE_FORM;
}

/* ---- pages → the attachment's archive PDF ---- */

/* The first page's thumbnail, 64 pixels high. */
static GdkTexture *
thumbnail_texture (SpScanPage *page)
{
  g_autoptr(GdkPixbuf) pixbuf = sp_scan_page_to_pixbuf (page);
  int w = gdk_pixbuf_get_width (pixbuf);
  int h = gdk_pixbuf_get_height (pixbuf);
  g_autoptr(GdkPixbuf) small = gdk_pixbuf_scale_simple (pixbuf, MAX (1, w * 64 / MAX (h, 1)), 64,
                                                        GDK_INTERP_BILINEAR);

  return gdk_texture_new_for_pixbuf (small);
}

static void
keep_pages (SpStepAttachments *self,
            SpAttachmentKind   kind,
            GPtrArray         *pages)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GBytes) pdf = sp_scan_archive_pdf (pages, archive_kind (kind), sp_attachment_kind_label (kind),
                                               now, &error);

  if (pdf == NULL)
    {
      sp_ui_show_message (sp_step_view_get_note (SP_STEP_VIEW (self)), error->message);
      return;
    }
  sp_request_set_attachment (sp_step_view_get_request (SP_STEP_VIEW (self)), kind, pdf, pages->len);
  /* Only the 64-pixel thumbnail stays: a 300 dpi colour page is 26 MB,
   * and every rebuild of the rows used to convert it again. */
  g_object_set_data_full (G_OBJECT (self), sp_attachment_kind_to_string (kind),
                          thumbnail_texture (pages->pdata[0]), g_object_unref);
  sp_ui_show_message (sp_step_view_get_note (SP_STEP_VIEW (self)), NULL);
  rebuild (self);
  sp_step_view_refresh (SP_STEP_VIEW (self), FALSE);
  /* On to the next missing scan, not back to the first row. */
  sp_step_view_focus_first (SP_STEP_VIEW (self));
}

/* ---- import from a file: read off the main loop, never trusted ---- */

typedef struct {
  SpStepAttachments *self;
  SpAttachmentKind kind;
} Import;

static void
import_in_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GFile *file = task_data;
  GPtrArray *pages = NULL;
  GError *error = NULL;

  if (!sp_scan_import_file (file, cancellable, &pages, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pages, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_imported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Import *import = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = g_task_propagate_pointer (G_TASK (result), &error);

  if (pages == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *msg = g_strdup_printf (_("The file cannot be used: %s"), error->message);
          sp_ui_show_message (sp_step_view_get_note (SP_STEP_VIEW (import->self)), msg);
        }
    }
  else
    keep_pages (import->self, import->kind, pages);
  g_object_unref (import->self);
  g_free (import);
}

static void
on_file_chosen (GtkNativeDialog *dialog,
                int              response,
                gpointer         user_data)
{
  Import *import = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      GTask *task = g_task_new (NULL, import->self->cancellable, on_imported, import);

      g_task_set_task_data (task, g_steal_pointer (&file), g_object_unref);
      g_task_run_in_thread (task, import_in_thread);
      g_object_unref (task);
    }
  else
    {
      g_object_unref (import->self);
      g_free (import);
    }
  g_object_unref (dialog);
}

static void
import_file (GtkButton         *button,
             SpStepAttachments *self)
{
  SpAttachmentKind kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "sp-kind"));
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  Import *import = g_new0 (Import, 1);

  import->self = g_object_ref (self);
  import->kind = kind;
  dialog = gtk_file_chooser_native_new (sp_attachment_kind_label (kind),
                                        GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Scans (PDF, JPEG, PNG, TIFF)"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/tiff");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_file_chosen), import);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- scan ---- */

static void
on_scanned (SpScanDialog      *dialog,
            GPtrArray         *pages,
            SpStepAttachments *self)
{
  SpAttachmentKind kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "sp-kind"));

  keep_pages (self, kind, pages);
}

/* However the dialog went (used, Escape, closed), the focus comes back
 * to the next missing scan's button, and says so to assistive tools:
 * GTK 4.8 left it unreported after the dialog. */
static void
on_scan_dialog_gone (SpStepAttachments *self)
{
  sp_step_view_focus_first (SP_STEP_VIEW (self));
}

static void
scan (GtkButton         *button,
      SpStepAttachments *self)
{
  SpAttachmentKind kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "sp-kind"));
  SpApplication *app = sp_step_view_get_app (SP_STEP_VIEW (self));
  SpScanDialog *dialog = sp_scan_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                             sp_application_get_scanner (app),
                                             sp_attachment_kind_label (kind),
                                             archive_kind (kind) == SP_SCAN_ARCHIVE_DOCUMENT);

  g_object_set_data (G_OBJECT (dialog), "sp-kind", GUINT_TO_POINTER (kind));
  g_signal_connect_object (dialog, "scanned", G_CALLBACK (on_scanned), self, 0);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_scan_dialog_gone), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- the rows ---- */

static GtkWidget *
thumbnail (SpStepAttachments *self,
           SpAttachmentKind   kind)
{
  GdkTexture *texture = g_object_get_data (G_OBJECT (self), sp_attachment_kind_to_string (kind));
  GtkWidget *picture;

  if (texture == NULL)
    return NULL;
  picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
  gtk_widget_set_size_request (picture, 64, 64);
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Preview of the first page"), -1);
  return picture;
}

static GtkWidget *
row_button (const char       *mnemonic,
            const char       *label,
            SpAttachmentKind  kind,
            GCallback         callback,
            gpointer          self)
{
  GtkWidget *b = gtk_button_new_with_mnemonic (mnemonic);
  g_autofree char *name = g_strdup_printf ("%s: %s", label, sp_attachment_kind_label (kind));

  gtk_widget_set_valign (b, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (b), "sp-kind", GUINT_TO_POINTER (kind));
  gtk_accessible_update_property (GTK_ACCESSIBLE (b), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_signal_connect (b, "clicked", callback, self);
  return b;
}

static GtkWidget *
attachment_row (SpStepAttachments *self,
                SpAttachmentKind   kind)
{
  SpRequest *request = sp_step_view_get_request (SP_STEP_VIEW (self));
  GtkWidget *row = adw_action_row_new ();
  guint pages = 0;
  GBytes *pdf = sp_request_get_attachment (request, kind, &pages);
  g_autofree char *subtitle = NULL;
  GtkWidget *thumb = thumbnail (self, kind);
  GtkWidget *scan_button;

  if (pdf != NULL)
    {
      g_autofree char *size = g_format_size (g_bytes_get_size (pdf));
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u page, %s", "%u pages, %s", pages), pages, size);
    }
  else
    subtitle = g_strdup (_("Missing"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sp_attachment_kind_label (kind));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (thumb)
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), thumb);
  else   /* a scan back from the draft has no thumbnail: a document icon */
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (pdf ? "x-office-document-symbolic"
                                                                                      : "dialog-warning-symbolic"));
  /* The row does nothing itself: Tab goes from button to button. */
  gtk_widget_set_focusable (row, FALSE);
  scan_button = row_button (pdf ? _("Scan _Again") : _("_Scan"), _("Scan"), kind, G_CALLBACK (scan), self);
  if (pdf == NULL && self->next_missing == NULL)
    self->next_missing = scan_button;
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), scan_button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             row_button (_("_File…"), _("Import from file"), kind, G_CALLBACK (import_file), self));
  return row;
}

static void
rebuild (SpStepAttachments *self)
{
  SpRequest *request = sp_step_view_get_request (SP_STEP_VIEW (self));
  g_autoptr(GArray) kinds = sp_request_required_attachments (request);
  GtkWidget *child;

  self->next_missing = NULL;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < kinds->len; i++)
    gtk_list_box_append (self->list, attachment_row (self, g_array_index (kinds, guint, i)));
}

/* ---- the pre-filled MV35 ---- */

static void
on_mv35_printed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SpStepAttachments) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean printed = sp_print_service_print_finish (SP_PRINT_SERVICE (source), result, NULL, &error);

  if (self->cancellable == NULL)   /* the page was closed meanwhile */
    return;
  if (printed)
    gtk_label_set_text (self->mv35_state, _("The pre-filled MV35 is printed: have it checked and signed."));
  else
    gtk_label_set_text (self->mv35_state, sp_printer_pick_reason (error));
}

/* Straight to the document printer chosen in Preferences: no dialog. */
static void
on_mv35_printer (GtkWidget    *owner,
                 const char   *printer,
                 const GError *error)
{
  SpStepAttachments *self = SP_STEP_ATTACHMENTS (owner);
  SpApplication *app = sp_step_view_get_app (SP_STEP_VIEW (self));
  const SpOperator *op = sp_context_get_operator (sp_step_view_get_context (SP_STEP_VIEW (self)));
  g_autoptr(SpIssuance) is = NULL;
  g_autofree char *sede = NULL;
  g_autoptr(SpPrintDocument) doc = NULL;

  if (printer == NULL)
    {
      gtk_label_set_text (self->mv35_state, sp_printer_pick_reason (error));
      return;
    }
  is = sp_request_build_issuance (sp_step_view_get_request (SP_STEP_VIEW (self)));
  sede = g_strdup_printf (_("Sede %s"), op ? op->sede : "");
  doc = sp_mv35_document_new (is, sede);
  gtk_label_set_text (self->mv35_state, _("Printing the MV35…"));
  sp_print_service_print_async (sp_application_get_print_service (app), printer, doc, NULL,
                                self->cancellable, on_mv35_printed, g_object_ref (self));
}

static void
print_mv35 (SpStepAttachments *self)
{
  sp_printer_pick (sp_step_view_get_app (SP_STEP_VIEW (self)), GTK_WIDGET (self), FALSE,
                   self->cancellable, on_mv35_printer);
}

static void
enter (SpStepView *view)
{
  rebuild (SP_STEP_ATTACHMENTS (view));
}

/* Arrival and every scan: the first attachment still missing. */
static gboolean
focus (SpStepView *view)
{
  SpStepAttachments *self = SP_STEP_ATTACHMENTS (view);

  return self->next_missing != NULL && gtk_widget_grab_focus (self->next_missing);
}

static void
sp_step_attachments_dispose (GObject *object)
{
  SpStepAttachments *self = SP_STEP_ATTACHMENTS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (sp_step_attachments_parent_class)->dispose (object);
}

static void
sp_step_attachments_class_init (SpStepAttachmentsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sp_step_attachments_dispose;
  SP_STEP_VIEW_CLASS (klass)->enter = enter;
  SP_STEP_VIEW_CLASS (klass)->focus = focus;
}

static void
sp_step_attachments_init (SpStepAttachments *self)
{
  self->cancellable = g_cancellable_new ();
}

SpStepView *
sp_step_attachments_new (SpApplication *app,
                         SpContext     *context,
                         SpRequest     *request)
{
  SpStepAttachments *self = g_object_new (SP_TYPE_STEP_ATTACHMENTS, "context", context, NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *mv35 = gtk_button_new_with_mnemonic (_("_Print Pre-filled MV35"));

  sp_step_view_setup (SP_STEP_VIEW (self), app, request, SP_REQUEST_STEP_ATTACHMENTS, box);
  gtk_box_append (GTK_BOX (box), sp_ui_heading (_("Scans to Archive")));
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Required attachments"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->list));
  gtk_widget_set_halign (mv35, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (mv35), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Prints the request form from the data entered, for the citizen to check and sign"), -1);
  g_signal_connect_swapped (mv35, "clicked", G_CALLBACK (print_mv35), self);
  gtk_box_append (GTK_BOX (box), mv35);
  self->mv35_state = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->mv35_state, 0.0);
  gtk_label_set_wrap (self->mv35_state, TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->mv35_state));
  return SP_STEP_VIEW (self);
}
