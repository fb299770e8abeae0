/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-application.h"
#include "sp-preferences-window.h"
#include "sp-window.h"

struct _SpApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (SpApplication, sp_application, ADW_TYPE_APPLICATION)

SpApplication *
sp_application_new (void)
{
  return g_object_new (SP_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

GSettings *
sp_application_get_settings (SpApplication *self)
{
  g_return_val_if_fail (SP_IS_APPLICATION (self), NULL);
  return self->settings;
}

char *
sp_application_get_central_url (SpApplication *self)
{
  const char *env = g_getenv ("SPORTELLO_CENTRAL_URL");

  g_return_val_if_fail (SP_IS_APPLICATION (self), NULL);
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_settings_get_string (self->settings, "central-url");
}

static void
sp_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (sp_window_new (SP_APPLICATION (app)));
  gtk_window_present (window);
}

static void
on_preferences (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  SpApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  SpPreferencesWindow *prefs = sp_preferences_window_new (self->settings);

  gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
on_about (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  SpApplication *self = user_data;
  const char *developers[] = { "Sportello PIN developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Sportello PIN"),
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("Sportello PIN developers"),
                        "developers", developers,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "comments", _("Issue PIN dispositivo at the INPS sede counter: identity check, scans, sealed envelope."),
                        "translator-credits", _("translator-credits"),
                        NULL);
  /* The Belfiore table ships with the app: its licences ask for this. */
  adw_about_window_add_legal_section (ADW_ABOUT_WINDOW (about),
                                      _("Belfiore codes of the comuni"),
                                      _("Ministero dell'Interno and Agenzia delle Entrate"),
                                      GTK_LICENSE_CUSTOM,
                                      _("Licensed under Creative Commons Attribution 4.0 (CC BY 4.0)."));
  adw_about_window_add_legal_section (ADW_ABOUT_WINDOW (about),
                                      _("Belfiore codes of foreign states"),
                                      _("Istituto nazionale di statistica (ISTAT)"),
                                      GTK_LICENSE_CUSTOM,
                                      _("Licensed under Creative Commons Attribution 3.0 (CC BY 3.0)."));
  gtk_window_present (GTK_WINDOW (about));
}

static void
on_quit (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  GtkApplication *app = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (app));

  /* Closing through the windows lets each save its state. */
  for (GList *it = windows; it != NULL; it = it->next)
    gtk_window_close (it->data);
}

static const GActionEntry app_actions[] = {
  { "preferences", on_preferences },
  { "about", on_about },
  { "quit", on_quit },
};

static void
sp_application_startup (GApplication *app)
{
  const char *quit[] = { "<Control>q", NULL };
  const char *prefs[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (sp_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", prefs);
}

static void
sp_application_dispose (GObject *object)
{
  SpApplication *self = SP_APPLICATION (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (sp_application_parent_class)->dispose (object);
}

static void
sp_application_class_init (SpApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = sp_application_dispose;
  app_class->activate = sp_application_activate;
  app_class->startup = sp_application_startup;
}

static void
sp_application_init (SpApplication *self)
{
  self->settings = g_settings_new (SCHEMA_ID);
}
