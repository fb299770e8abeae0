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

static void
on_username_activated (SpLoginPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->password));
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
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               "/io/github/sportellopin/SportelloPin/sp-login-page.ui");
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), SpLoginPage, status);
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), SpLoginPage, username);
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), SpLoginPage, password);
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), SpLoginPage, error);
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), SpLoginPage, button);
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), SpLoginPage, logout);
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), SpLoginPage, spinner);
  gtk_widget_class_bind_template_callback (GTK_WIDGET_CLASS (klass), submit);
  gtk_widget_class_bind_template_callback (GTK_WIDGET_CLASS (klass), on_username_activated);
}

static void
sp_login_page_init (SpLoginPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
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
