/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-scan-crop.h"
#include "sp-scan-dialog.h"
#include "sp-ui.h"

struct _SpScanDialog
{
  AdwWindow parent_instance;

  SpScanner *scanner;
  gboolean colour;
  guint job;
  GPtrArray *pages;          /* of SpScanPage, this job's */
  AdwComboRow *device;
  AdwComboRow *source;
  GtkPicture *preview;
  GtkLabel *state;
  GtkButton *scan;
  GtkButton *cancel;
  GtkButton *use;
  gulong handlers[5];
  gint64 opened_us;          /* when it was asked for: the first paint reports the time */
  gulong paint_handler;
};

G_DEFINE_FINAL_TYPE (SpScanDialog, sp_scan_dialog, ADW_TYPE_WINDOW)

enum { SCANNED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
set_state (SpScanDialog *self,
           const char   *text,
           gboolean      scanning)
{
  gtk_label_set_text (self->state, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->state), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scan), !scanning);
  gtk_widget_set_sensitive (GTK_WIDGET (self->device), !scanning);
  gtk_widget_set_sensitive (GTK_WIDGET (self->source), !scanning);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel), scanning);
  gtk_widget_set_sensitive (GTK_WIDGET (self->use), !scanning && self->pages->len > 0);
}

static void
show_page (SpScanDialog *self,
           SpScanPage   *page)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  if (page == NULL)
    return;
  pixbuf = sp_scan_page_to_pixbuf (page);
  texture = gdk_texture_new_for_pixbuf (pixbuf);
  gtk_picture_set_paintable (self->preview, GDK_PAINTABLE (texture));
}

/* ---- devices ---- */

static const char *
chosen_device (SpScanDialog *self)
{
  GPtrArray *devices = sp_scanner_get_devices (self->scanner);
  guint i = adw_combo_row_get_selected (self->device);

  return devices && i < devices->len ? ((SpScanDevice *) g_ptr_array_index (devices, i))->name : NULL;
}

static void
on_devices (SpScanDialog *self)
{
  GPtrArray *devices = sp_scanner_get_devices (self->scanner);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *remembered = sp_scanner_get_default_device ();
  guint selected = 0;

  for (guint i = 0; devices && i < devices->len; i++)
    {
      SpScanDevice *d = g_ptr_array_index (devices, i);
      g_autofree char *label = g_strdup_printf ("%s %s (%s)", d->vendor ? d->vendor : "", d->model ? d->model : "",
                                                d->name);

      gtk_string_list_append (names, label);
      if (g_strcmp0 (remembered, d->name) == 0)
        selected = i;
    }
  adw_combo_row_set_model (self->device, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->device, selected);
  if (devices == NULL || devices->len == 0)
    set_state (self, _("No scanner found. Check that it is on and connected, then search again, "
                       "or import the document from a file."), FALSE);
  else
    set_state (self, _("Put the document on the scanner and press Scan."), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scan), devices && devices->len > 0);
  /* Enter scans at once: the device is chosen (the remembered one), and
   * the drop-down's inner toggle has no name of its own in GTK 4.8. */
  if (devices && devices->len > 0 && self->job == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->scan));
}

static void
refresh (SpScanDialog *self)
{
  set_state (self, _("Looking for scanners…"), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scan), FALSE);
  sp_scanner_refresh_devices (self->scanner);
}

/* ---- scanning ---- */

static void
start (SpScanDialog *self)
{
  const char *device = chosen_device (self);
  SpScanOptions opts;

  if (device == NULL)
    return refresh (self);
  sp_scan_options_init (&opts);
  opts.colour = self->colour;
  opts.source = adw_combo_row_get_selected (self->source);
  /* A card on the glass: scan the glass, then cut the card out. */
  opts.area = self->colour && opts.source == SP_SCAN_SOURCE_FLATBED ? SP_SCAN_AREA_FULL : SP_SCAN_AREA_A4;
  sp_scanner_set_default_device (device, NULL);
  g_ptr_array_set_size (self->pages, 0);
  self->job = sp_scanner_start (self->scanner, device, &opts);
  set_state (self, _("Scanning…"), TRUE);
}

static void
cancel (SpScanDialog *self)
{
  if (self->job)
    sp_scanner_cancel (self->scanner, self->job);
}

static void
on_progress (SpScanDialog *self,
             guint         job,
             guint         page,
             guint         lines)
{
  if (job != self->job)
    return;
  show_page (self, sp_scanner_get_preview (self->scanner));
}

static void
on_page_done (SpScanDialog *self,
              guint         job,
              guint         page_no,
              SpScanPage   *page)
{
  g_autoptr(SpScanPage) kept = NULL;
  g_autofree char *text = NULL;

  if (job != self->job)
    return;
  kept = sp_scan_page_ref (page);
  if (self->colour && adw_combo_row_get_selected (self->source) == SP_SCAN_SOURCE_FLATBED)
    {
      g_autoptr(GError) error = NULL;
      SpScanPage *card = sp_scan_crop_card (page, &error);

      /* No card found: keep the whole glass rather than lose the scan. */
      if (card != NULL)
        {
          sp_scan_page_unref (kept);
          kept = card;
        }
    }
  g_ptr_array_add (self->pages, sp_scan_page_ref (kept));
  show_page (self, kept);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u page scanned…", "%u pages scanned…",
                                       self->pages->len), self->pages->len);
  gtk_label_set_text (self->state, text);
}

static void
on_job_done (SpScanDialog *self,
             guint         job,
             GError       *error)
{
  g_autofree char *text = NULL;

  if (job != self->job)
    return;
  self->job = 0;
  if (error != NULL)
    {
      g_ptr_array_set_size (self->pages, 0);
      text = g_strdup_printf (_("%s Press Scan to try again."), error->message);
      set_state (self, text, FALSE);
      gtk_widget_grab_focus (GTK_WIDGET (self->scan));
      return;
    }
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u page scanned. Check the preview, then use it or scan again.",
                                       "%u pages scanned. Check the preview, then use them or scan again.",
                                       self->pages->len), self->pages->len);
  set_state (self, text, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->use));
}

static void
use_pages (SpScanDialog *self)
{
  if (self->pages->len == 0)
    return;
  g_signal_emit (self, signals[SCANNED], 0, self->pages);
  gtk_window_close (GTK_WINDOW (self));
}

/* ---- SANE asks for a password: the operator answers here ---- */

typedef struct {
  SpScanner *scanner;
  GtkEntry *user;
  GtkPasswordEntry *password;
} PasswordAsk;

static void
on_password_response (AdwMessageDialog *dialog,
                      const char       *response,
                      PasswordAsk      *ask)
{
  if (g_str_equal (response, "ok"))
    sp_scanner_answer_password (ask->scanner, gtk_editable_get_text (GTK_EDITABLE (ask->user)),
                                gtk_editable_get_text (GTK_EDITABLE (ask->password)));
  else
    sp_scanner_answer_password (ask->scanner, NULL, NULL);
  g_object_unref (ask->scanner);
  g_free (ask);
}

static void
ask_password (SpScanner  *scanner,
              const char *resource,
              gpointer    user_data)
{
  SpScanDialog *self = user_data;
  PasswordAsk *ask = g_new0 (PasswordAsk, 1);
  GtkGrid *grid = GTK_GRID (gtk_grid_new ());
  g_autofree char *body = g_strdup_printf (_("The scanner %s asks for a user name and password."), resource);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                                         _("Scanner Password"), body));

  gtk_grid_set_row_spacing (grid, 6);
  gtk_grid_set_column_spacing (grid, 12);
  ask->scanner = g_object_ref (scanner);
  ask->user = sp_ui_grid_entry (grid, 0, _("_User name"), NULL);
  ask->password = GTK_PASSWORD_ENTRY (gtk_password_entry_new ());
  sp_ui_grid_attach (grid, 1, _("_Password"), GTK_WIDGET (ask->password), NULL);
  adw_message_dialog_set_extra_child (dialog, GTK_WIDGET (grid));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "ok", _("_Send"), NULL);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_password_response), ask);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- life ---- */

/* How long the operator waited for a usable dialog (the benchmark reads
 * it with G_MESSAGES_DEBUG=sp-app): the first frame drawn, and whether a
 * device was listed in it. */
static void
on_first_paint (GdkFrameClock *clock,
                SpScanDialog  *self)
{
  GPtrArray *devices = sp_scanner_get_devices (self->scanner);

  g_debug ("scan dialog painted %.1f ms after it was asked for, %u devices listed",
           (g_get_monotonic_time () - self->opened_us) / 1000.0, devices ? devices->len : 0);
  self->opened_us = 0;
  g_clear_signal_handler (&self->paint_handler, clock);
}

static void
on_map (SpScanDialog *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  /* Gone with the dialog if it closes before its first frame. */
  if (self->paint_handler == 0 && self->opened_us != 0 && clock != NULL)
    self->paint_handler = g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_first_paint), self, 0);
}

static void
sp_scan_dialog_dispose (GObject *object)
{
  SpScanDialog *self = SP_SCAN_DIALOG (object);

  if (self->scanner)
    {
      if (self->job)
        sp_scanner_cancel (self->scanner, self->job);
      for (guint i = 0; i < G_N_ELEMENTS (self->handlers); i++)
        g_clear_signal_handler (&self->handlers[i], self->scanner);
      sp_scanner_set_password_func (self->scanner, NULL, NULL, NULL);
    }
  g_clear_object (&self->scanner);
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  G_OBJECT_CLASS (sp_scan_dialog_parent_class)->dispose (object);
}

static void
sp_scan_dialog_class_init (SpScanDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sp_scan_dialog_dispose;
  signals[SCANNED] = g_signal_new ("scanned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sportellopin/SportelloPin/sp-scan-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SpScanDialog, device);
  gtk_widget_class_bind_template_child (widget_class, SpScanDialog, source);
  gtk_widget_class_bind_template_child (widget_class, SpScanDialog, preview);
  gtk_widget_class_bind_template_child (widget_class, SpScanDialog, state);
  gtk_widget_class_bind_template_child (widget_class, SpScanDialog, scan);
  gtk_widget_class_bind_template_child (widget_class, SpScanDialog, cancel);
  gtk_widget_class_bind_template_child (widget_class, SpScanDialog, use);
  gtk_widget_class_bind_template_callback (widget_class, refresh);
  gtk_widget_class_bind_template_callback (widget_class, start);
  gtk_widget_class_bind_template_callback (widget_class, cancel);
  gtk_widget_class_bind_template_callback (widget_class, use_pages);
}

static void
sp_scan_dialog_init (SpScanDialog *self)
{
  self->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_scan_page_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
}

SpScanDialog *
sp_scan_dialog_new (GtkWindow  *parent,
                    SpScanner  *scanner,
                    const char *title,
                    gboolean    colour_document)
{
  SpScanDialog *self = g_object_new (SP_TYPE_SCAN_DIALOG, "transient-for", parent, "title", title, NULL);

  self->opened_us = g_get_monotonic_time ();
  self->scanner = g_object_ref (scanner);
  self->colour = colour_document;
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
  self->handlers[0] = g_signal_connect_swapped (scanner, "devices-changed", G_CALLBACK (on_devices), self);
  self->handlers[1] = g_signal_connect_swapped (scanner, "page-progress", G_CALLBACK (on_progress), self);
  self->handlers[2] = g_signal_connect_swapped (scanner, "page-done", G_CALLBACK (on_page_done), self);
  self->handlers[3] = g_signal_connect_swapped (scanner, "job-done", G_CALLBACK (on_job_done), self);
  sp_scanner_set_password_func (scanner, ask_password, self, NULL);
  set_state (self, "", FALSE);
  if (sp_scanner_get_devices (scanner) && sp_scanner_get_devices (scanner)->len > 0)
    on_devices (self);
  else
    refresh (self);
  return self;
}
