/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "sp-application.h"
#include "sp-context-settings.h"
#include "sp-print-settings.h"
#include "sp-preferences-window.h"
#include "sp-printer-page.h"
#include "sp-window.h"

struct _SpApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
  SpContext *context;      /* NULL when the store cannot open */
  SpScanner *scanner;      /* made at the first scan: SANE starts slowly */
  SpPrintService *print;
  char *store_error;       /* why the store could not open */
  guint trim_source;
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
  g_return_val_if_fail (SP_IS_APPLICATION (self), NULL);
  return sp_settings_get_central_url (self->settings);
}

char *
sp_application_get_printer_name (SpApplication *self,
                                 gboolean       envelope)
{
  const char *env = g_getenv ("SPORTELLO_PRINTER");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_settings_get_string (self->settings, envelope ? "envelope-printer" : "document-printer");
}

SpPrintService *
sp_application_get_print_service (SpApplication *self)
{
  g_return_val_if_fail (SP_IS_APPLICATION (self), NULL);

  if (self->print == NULL)
    {
      self->print = sp_print_service_new ();
      /* The sede's print-timeout-seconds, followed as it changes. */
      sp_print_settings_bind_service (self->settings, self->print);
    }
  return self->print;
}

void
sp_application_remember_printer (SpApplication *self,
                                 gboolean       envelope,
                                 const char    *name)
{
  g_settings_set_string (self->settings, envelope ? "envelope-printer" : "document-printer", name);
}

/* Where the workstation keeps its data: $SPORTELLO_STORE_DIR (tests,
 * demo) or the user's data folder. */
static char *
store_dir (void)
{
  const char *env = g_getenv ("SPORTELLO_STORE_DIR");

  return env && *env ? g_strdup (env) : sp_store_default_dir ();
}

/* The context, made once the central URL is known; the settings it reads
 * are bound, so a change applies to the next issuance, login or run. */
static void
open_backend (SpApplication *self)
{
  g_autofree char *dir = store_dir ();
  g_autofree char *url = sp_application_get_central_url (self);
  g_autofree char *ca = g_settings_get_string (self->settings, "central-ca-file");
  g_autoptr(GError) error = NULL;

  self->context = sp_context_new (dir, url, ca, g_get_host_name (), &error);
  if (self->context == NULL)
    {
      self->store_error = g_strdup (error->message);
      g_warning ("cannot open the store in %s: %s", dir, error->message);
      return;
    }
  sp_context_bind_settings (self->context, self->settings);
}

#ifdef __GLIBC__
static gboolean
trim_now (gpointer user_data)
{
  SpApplication *self = user_data;

  self->trim_source = 0;
  /* glibc keeps freed memory in its arenas; malloc_trim returns the
   * free pages of every arena, not only the top of the main heap. */
  malloc_trim (0);
  return G_SOURCE_REMOVE;
}
#endif

void
sp_application_trim_memory (SpApplication *self)
{
  g_return_if_fail (SP_IS_APPLICATION (self));
#ifdef __GLIBC__
  if (self->trim_source == 0)
    self->trim_source = g_idle_add_full (G_PRIORITY_LOW, trim_now, self, NULL);
#endif
}

SpContext *
sp_application_get_context (SpApplication *self)
{
  return self->context;
}

const char *
sp_application_get_store_error (SpApplication *self)
{
  return self->store_error;
}

SpScanner *
sp_application_get_scanner (SpApplication *self)
{
  if (self->scanner == NULL)
    self->scanner = sp_scanner_new ();
  return self->scanner;
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

  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (prefs),
                              ADW_PREFERENCES_PAGE (sp_printer_page_new (self->settings,
                                                                         sp_application_get_print_service (self))));

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
  open_backend (SP_APPLICATION (app));

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", prefs);
}

static void
sp_application_shutdown (GApplication *app)
{
  SpApplication *self = SP_APPLICATION (app);

  if (self->context)
    sp_context_log_out (self->context);
  G_APPLICATION_CLASS (sp_application_parent_class)->shutdown (app);
}

static void
sp_application_dispose (GObject *object)
{
  SpApplication *self = SP_APPLICATION (object);

  g_clear_handle_id (&self->trim_source, g_source_remove);
  g_clear_object (&self->context);
  g_clear_object (&self->scanner);
  g_clear_object (&self->print);
  g_clear_pointer (&self->store_error, g_free);
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
  app_class->shutdown = sp_application_shutdown;
}

static void
sp_application_init (SpApplication *self)
{
  self->settings = g_settings_new (SCHEMA_ID);
}
