/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-window.h"

struct _SpWindow
{
  AdwApplicationWindow parent_instance;

  GSettings *settings;

  /* template */
  AdwWindowTitle *title;
  GtkStack *stack;
  AdwToastOverlay *toasts;
};

G_DEFINE_FINAL_TYPE (SpWindow, sp_window, ADW_TYPE_APPLICATION_WINDOW)

SpWindow *
sp_window_new (SpApplication *application)
{
  return g_object_new (SP_TYPE_WINDOW, "application", application, NULL);
}

/* Size and maximized state are saved on close, not on every resize:
 * one write per session instead of hundreds. */
static gboolean
sp_window_close_request (GtkWindow *window)
{
  SpWindow *self = SP_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);
  return GTK_WINDOW_CLASS (sp_window_parent_class)->close_request (window);
}

static void
update_subtitle (SpWindow *self)
{
  g_autofree char *sede = g_settings_get_string (self->settings, "sede-code");
  g_autofree char *subtitle = NULL;

  if (*sede != '\0')
    subtitle = g_strdup_printf (_("Sede %s"), sede);
  else
    subtitle = g_strdup (_("No sede configured: open Preferences"));
  adw_window_title_set_subtitle (self->title, subtitle);
}

static void
sp_window_dispose (GObject *object)
{
  SpWindow *self = SP_WINDOW (object);

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_WINDOW);
  G_OBJECT_CLASS (sp_window_parent_class)->dispose (object);
}

static void
sp_window_class_init (SpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sp_window_dispose;
  window_class->close_request = sp_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/sp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SpWindow, title);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, toasts);
}

static void
sp_window_init (SpWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (SCHEMA_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  g_signal_connect_object (self->settings, "changed::sede-code",
                           G_CALLBACK (update_subtitle), self, G_CONNECT_SWAPPED);
  update_subtitle (self);
}
