/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-preferences-window.h"

struct _SpPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings *settings;

  AdwEntryRow *central_url_row;
  AdwEntryRow *sede_code_row;
};

G_DEFINE_FINAL_TYPE (SpPreferencesWindow, sp_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

SpPreferencesWindow *
sp_preferences_window_new (GSettings *settings)
{
  return g_object_new (SP_TYPE_PREFERENCES_WINDOW, "settings", settings, NULL);
}

static gboolean
url_is_usable (const char *text)
{
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);

  return uri != NULL
      && (g_strcmp0 (g_uri_get_scheme (uri), "https") == 0
          || g_strcmp0 (g_uri_get_scheme (uri), "http") == 0)
      && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

/* Only a URL that parses is saved: a typo must not cut the counter off
 * from central without a word. */
static void
on_central_url_apply (SpPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->central_url_row));

  if (url_is_usable (text))
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->central_url_row), "error");
      g_settings_set_string (self->settings, "central-url", text);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("Central URL saved: it applies from the next login")));
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->central_url_row), "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->central_url_row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      _("Not a valid address: use https://host:port"), -1);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("Not a valid address: use https://host:port")));
    }
}

static void
on_sede_code_apply (SpPreferencesWindow *self)
{
  g_autofree char *code = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->sede_code_row))));

  g_settings_set_string (self->settings, "sede-code", code);
  /* Read at every login: only operators of this sede log in here. */
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("Sede code saved: it applies from the next login")));
}

static void
sp_preferences_window_constructed (GObject *object)
{
  SpPreferencesWindow *self = SP_PREFERENCES_WINDOW (object);
  g_autofree char *url = g_settings_get_string (self->settings, "central-url");
  g_autofree char *sede = g_settings_get_string (self->settings, "sede-code");

  G_OBJECT_CLASS (sp_preferences_window_parent_class)->constructed (object);
  gtk_editable_set_text (GTK_EDITABLE (self->central_url_row), url);
  gtk_editable_set_text (GTK_EDITABLE (self->sede_code_row), sede);
  g_signal_connect_swapped (self->central_url_row, "apply", G_CALLBACK (on_central_url_apply), self);
  g_signal_connect_swapped (self->sede_code_row, "apply", G_CALLBACK (on_sede_code_apply), self);
}

static void
sp_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SpPreferencesWindow *self = SP_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_preferences_window_dispose (GObject *object)
{
  SpPreferencesWindow *self = SP_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_PREFERENCES_WINDOW);
  G_OBJECT_CLASS (sp_preferences_window_parent_class)->dispose (object);
}

static void
sp_preferences_window_class_init (SpPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sp_preferences_window_constructed;
  object_class->set_property = sp_preferences_window_set_property;
  object_class->dispose = sp_preferences_window_dispose;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/sp-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SpPreferencesWindow, central_url_row);
  gtk_widget_class_bind_template_child (widget_class, SpPreferencesWindow, sede_code_row);
}

static void
sp_preferences_window_init (SpPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
