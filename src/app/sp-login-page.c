/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-login-page.h"
#include "sp-ui.h"

struct _SpLoginPage
{
  AdwBin parent_instance;

  SpApplication *app;     /* not owned: the app outlives its windows */
  AdwStatusPage *status;
  GtkEntry *username;
  GtkPasswordEntry *password;
  GtkButton *button;
  GtkButton *logout;      /* shown while locked: the way out for another operator */
  GtkLabel *error;
  GtkSpinner *spinner;
  GCancellable *cancellable;
  char *locked_user;      /* the session's operator while locked */
};

G_DEFINE_FINAL_TYPE (SpLoginPage, sp_login_page, ADW_TYPE_BIN)

enum { LOGGED_IN, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
set_busy (SpLoginPage *self,
          gboolean     busy)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->username), !busy && self->locked_user == NULL);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
}

static void
show_error (SpLoginPage *self,
            const char  *message)
{
  sp_ui_show_message (self->error, message);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->password), GTK_ACCESSIBLE_STATE_INVALID,
                               message ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE, -1);
  if (message)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->password), "");
      gtk_widget_grab_focus (GTK_WIDGET (self->password));
    }
}

static void
wipe_password (SpLoginPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->password), "");
}

/* Central did not answer: the verifier kept at the last online login. */
static void
try_offline (SpLoginPage *self,
             const char  *username,
             const char  *password,
             const char  *why)
{
  GSettings *settings = sp_application_get_settings (self->app);
  gint64 max_age = (gint64) g_settings_get_uint (settings, "offline-login-hours") * 3600;
  g_autofree char *name = NULL, *role = NULL, *sede = NULL;
  g_autoptr(SpOperator) op = NULL;

  if (!sp_store_offline_login (sp_application_get_store (self->app), username, password, max_age,
                               &name, &role, &sede))
    {
      g_autofree char *msg = g_strdup_printf (_("Central cannot be reached (%s), and offline login "
                                                "needs an online login on this workstation in the last "
                                                "%u hours with the same password."),
                                              why, g_settings_get_uint (settings, "offline-login-hours"));
      show_error (self, msg);
      return;
    }
  op = sp_operator_new (username, name, role, sede);
  sp_application_log_in (self->app, op, password, TRUE);
  wipe_password (self);
  g_signal_emit (self, signals[LOGGED_IN], 0);
}

static void
on_login (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SpLoginPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpOperator) op = sp_central_client_login_finish (SP_CENTRAL_CLIENT (source), result, &error);
  const char *username = gtk_editable_get_text (GTK_EDITABLE (self->username));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password));

  set_busy (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (op == NULL && g_error_matches (error, SP_SYNC_ERROR, SP_SYNC_ERROR_CREDENTIALS))
    return show_error (self, _("Wrong username or password."));
  if (op == NULL)
    return try_offline (self, username, password, error->message);
  if (self->locked_user != NULL && !g_str_equal (op->id, self->locked_user))
    return show_error (self, _("The session is locked: only the operator who locked it can unlock it."));
  /* For the next time central is down (DESIGN §4). */
  sp_store_remember_operator (sp_application_get_store (self->app), op->id, password,
                              op->name, op->role, op->sede, NULL);
  sp_application_log_in (self->app, op, password, FALSE);
  wipe_password (self);
  g_signal_emit (self, signals[LOGGED_IN], 0);
}

static void
submit (SpLoginPage *self)
{
  const char *username = gtk_editable_get_text (GTK_EDITABLE (self->username));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password));
  g_autofree char *workstation = sp_application_get_workstation (self->app);

  if (sp_application_get_store (self->app) == NULL)
    return show_error (self, sp_application_get_store_error (self->app));
  if (*username == '\0' || *password == '\0')
    return show_error (self, _("Type your username and password."));
  show_error (self, NULL);
  set_busy (self, TRUE);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  sp_central_client_login_async (sp_application_get_client (self->app), username, password,
                                 workstation, self->cancellable, on_login, g_object_ref (self));
}

void
sp_login_page_reset (SpLoginPage *self)
{
  g_clear_pointer (&self->locked_user, g_free);
  gtk_editable_set_text (GTK_EDITABLE (self->username), "");
  wipe_password (self);
  show_error (self, NULL);
  adw_status_page_set_title (self->status, _("Log In"));
  adw_status_page_set_description (self->status, _("Operators log in with their INPS account."));
  gtk_widget_set_visible (GTK_WIDGET (self->logout), FALSE);
  set_busy (self, FALSE);
}

void
sp_login_page_set_locked (SpLoginPage *self,
                          const char  *username)
{
  g_autofree char *desc = g_strdup_printf (_("Locked by %s. Type the password to go on: "
                                             "the request in progress is kept."), username);

  sp_login_page_reset (self);
  self->locked_user = g_strdup (username);
  gtk_editable_set_text (GTK_EDITABLE (self->username), username);
  adw_status_page_set_title (self->status, _("Session Locked"));
  adw_status_page_set_description (self->status, desc);
  gtk_widget_set_visible (GTK_WIDGET (self->logout), TRUE);
  set_busy (self, FALSE);
}

void
sp_login_page_focus (SpLoginPage *self)
{
  gtk_widget_grab_focus (self->locked_user ? GTK_WIDGET (self->password) : GTK_WIDGET (self->username));
}

static void
sp_login_page_dispose (GObject *object)
{
  SpLoginPage *self = SP_LOGIN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->locked_user, g_free);
  G_OBJECT_CLASS (sp_login_page_parent_class)->dispose (object);
}

static void
sp_login_page_class_init (SpLoginPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sp_login_page_dispose;
  signals[LOGGED_IN] = g_signal_new ("logged-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sp_login_page_init (SpLoginPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *grid = gtk_grid_new ();

  self->status = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->status, "io.github.sportellopin.SportelloPin-symbolic");
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  self->username = sp_ui_grid_entry (GTK_GRID (grid), 0, _("_Username"), _("Your INPS operator account"));
  gtk_entry_set_input_purpose (self->username, GTK_INPUT_PURPOSE_FREE_FORM);
  self->password = GTK_PASSWORD_ENTRY (gtk_password_entry_new ());
  gtk_password_entry_set_show_peek_icon (self->password, TRUE);
  sp_ui_grid_attach (GTK_GRID (grid), 1, _("_Password"), GTK_WIDGET (self->password), _("Your password"));
  self->error = sp_ui_message_label ();
  self->button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Log In")));
  gtk_widget_add_css_class (GTK_WIDGET (self->button), "suggested-action");
  gtk_widget_add_css_class (GTK_WIDGET (self->button), "pill");
  gtk_widget_set_halign (GTK_WIDGET (self->button), GTK_ALIGN_CENTER);
  /* Logging out ends the locked session (its draft stays in the store). */
  self->logout = GTK_BUTTON (gtk_button_new_with_mnemonic (_("Log _Out")));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->logout), "win.logout");
  gtk_widget_add_css_class (GTK_WIDGET (self->logout), "flat");
  gtk_widget_set_halign (GTK_WIDGET (self->logout), GTK_ALIGN_CENTER);
  gtk_widget_set_visible (GTK_WIDGET (self->logout), FALSE);
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Logging in"), -1);
  gtk_box_append (GTK_BOX (box), grid);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->button));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->logout));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->spinner));
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 420);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  adw_status_page_set_child (self->status, clamp);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->status));
  g_signal_connect_swapped (self->button, "clicked", G_CALLBACK (submit), self);
  g_signal_connect_swapped (self->password, "activate", G_CALLBACK (submit), self);
  g_signal_connect_swapped (self->username, "activate", G_CALLBACK (gtk_widget_grab_focus), self->password);
}

SpLoginPage *
sp_login_page_new (SpApplication *app)
{
  SpLoginPage *self = g_object_new (SP_TYPE_LOGIN_PAGE, NULL);

  self->app = app;
  sp_login_page_reset (self);
  return self;
}
