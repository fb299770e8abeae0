/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-context-property.h"
#include "sp-login-page.h"
#include "sp-ui.h"

struct _SpLoginPage
{
  AdwBin parent_instance;

  SpApplication *app;     /* not owned: the app outlives its windows */
  SpContext *context;     /* construct property; NULL when the store did not open */
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

static void
on_login (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SpLoginPage) self = user_data;
  g_autoptr(GError) error = NULL;
  const SpOperator *op;

  set_busy (self, FALSE);
  if (!sp_context_log_in_finish (SP_CONTEXT (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  op = sp_context_get_operator (self->context);
  if (self->locked_user != NULL && !g_str_equal (op->id, self->locked_user))
    {
      sp_context_log_out (self->context);
      return show_error (self, _("The session is locked: only the operator who locked it can unlock it."));
    }
  wipe_password (self);
  g_signal_emit (self, signals[LOGGED_IN], 0);
}

static void
submit (SpLoginPage *self)
{
  const char *username = gtk_editable_get_text (GTK_EDITABLE (self->username));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password));

  if (self->context == NULL)
    return show_error (self, sp_application_get_store_error (self->app));
  if (*username == '\0' || *password == '\0')
    return show_error (self, _("Type your username and password."));
  show_error (self, NULL);
  set_busy (self, TRUE);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  /* The context copies the password into locked memory and wipes it. */
  sp_context_log_in_async (self->context, username, password, self->cancellable, on_login, g_object_ref (self));
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
  g_clear_object (&self->context);
  G_OBJECT_CLASS (sp_login_page_parent_class)->dispose (object);
}

SP_CONTEXT_PROPERTY (SpLoginPage, sp_login_page, SP_LOGIN_PAGE)

static void
sp_login_page_class_init (SpLoginPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sp_login_page_dispose;
  sp_login_page_install_context (klass);
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
sp_login_page_new (SpApplication *app,
                   SpContext     *context)
{
  SpLoginPage *self = g_object_new (SP_TYPE_LOGIN_PAGE, "context", context, NULL);

  self->app = app;
  sp_login_page_reset (self);
  return self;
}
