/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-context-property.h"
#include "sp-offline-banner.h"

struct _SpOfflineBanner
{
  AdwBin parent_instance;

  SpContext *context;       /* construct property */
  GtkRevealer *revealer;
  GtkLabel *label;
  GtkWidget *log_in;        /* "Log In Again…", once central answers */
  GtkPasswordEntry *password;   /* ours, lent to each dialog */
  gboolean asking;
  GCancellable *cancellable;
  char *problem;            /* the last re-authentication's, until the next try */
};

G_DEFINE_FINAL_TYPE (SpOfflineBanner, sp_offline_banner, ADW_TYPE_BIN)

enum { REAUTHENTICATED, N_SIGNALS };
static guint signals[N_SIGNALS];

void
sp_offline_banner_update (SpOfflineBanner *self)
{
  SpSyncEngine *engine = self->context ? sp_context_get_engine (self->context) : NULL;
  gboolean logged_in = engine != NULL && sp_context_get_operator (self->context) != NULL;
  gboolean offline = logged_in && !sp_sync_engine_get_online (engine);
  gboolean back = logged_in && sp_context_get_offline_session (self->context)
                  && sp_context_get_central_reachable (self->context);
  g_autofree char *text = NULL;

  /* After an offline login no password is kept: central's return needs
   * the operator, and he is told where he is, without leaving it. */
  if (back)
    text = g_strdup_printf ("%s%s%s", _("Central answers again. Log in again to send the issuances kept "
                                        "here: what you are doing stays open."),
                            self->problem ? "\n" : "", self->problem ? self->problem : "");
  else
    text = g_strdup (_("Working offline: central cannot be reached. Issuances are kept here "
                       "and sent when it answers again."));
  gtk_label_set_text (self->label, text);
  gtk_widget_set_visible (self->log_in, back);
  gtk_revealer_set_reveal_child (self->revealer, offline || back);
}

static void
on_reauthenticated (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SpOfflineBanner) self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->problem, g_free);
  if (!sp_context_reauthenticate_finish (SP_CONTEXT (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->problem = g_strdup (error->message);
      sp_offline_banner_update (self);
      gtk_widget_grab_focus (self->log_in);
      return;
    }
  sp_offline_banner_update (self);
  g_signal_emit (self, signals[REAUTHENTICATED], 0);
}

static void
on_password_response (AdwMessageDialog *dialog,
                      const char       *response,
                      SpOfflineBanner  *self)
{
  self->asking = FALSE;
  if (!g_str_equal (response, "log-in"))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->password), "");
      return;
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  /* No copy of ours: the context takes it into locked memory, and the
   * password entry's own buffer is wiped by GTK when cleared. */
  sp_context_reauthenticate_async (self->context, gtk_editable_get_text (GTK_EDITABLE (self->password)),
                                   self->cancellable, on_reauthenticated, g_object_ref (self));
  gtk_editable_set_text (GTK_EDITABLE (self->password), "");
}

static void
on_password_activate (GtkPasswordEntry *entry,
                      SpOfflineBanner  *self)
{
  GtkWidget *dialog = gtk_widget_get_ancestor (GTK_WIDGET (entry), ADW_TYPE_MESSAGE_DIALOG);

  if (dialog == NULL)
    return;
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "log-in");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
ask_password (SpOfflineBanner *self)
{
  const SpOperator *op = sp_context_get_operator (self->context);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (op == NULL || self->asking)
    return;
  body = g_strdup_printf (_("The password of %s, to send the issuances kept on this workstation."), op->name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       _("Log In Again"), body));
  /* One entry for the banner's life, lent to each dialog: GTK 4.8's
   * password entry, disposed while focused, leaves a caps-lock handler
   * behind that fires on a dead widget. */
  adw_message_dialog_set_extra_child (dialog, GTK_WIDGET (self->password));
  self->asking = TRUE;
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "log-in", _("_Log In and Send"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "log-in", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "log-in");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_password_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (self->password));
}

static void
sp_offline_banner_dispose (GObject *object)
{
  SpOfflineBanner *self = SP_OFFLINE_BANNER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->problem, g_free);
  g_clear_object (&self->context);
  g_clear_object (&self->password);
  G_OBJECT_CLASS (sp_offline_banner_parent_class)->dispose (object);
}

SP_CONTEXT_PROPERTY (SpOfflineBanner, sp_offline_banner, SP_OFFLINE_BANNER)

static void
sp_offline_banner_class_init (SpOfflineBannerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sp_offline_banner_dispose;
  sp_offline_banner_install_context (klass);
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               "/io/github/sportellopin/SportelloPin/sp-offline-banner.ui");
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), SpOfflineBanner, revealer);
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), SpOfflineBanner, label);
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), SpOfflineBanner, log_in);
  gtk_widget_class_bind_template_callback (GTK_WIDGET_CLASS (klass), ask_password);
  /* The offline session is online again: the header says whose session. */
  signals[REAUTHENTICATED] = g_signal_new ("reauthenticated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sp_offline_banner_init (SpOfflineBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The password field is lent to each re-authentication dialog. */
  self->password = GTK_PASSWORD_ENTRY (g_object_ref_sink (gtk_password_entry_new ()));
  gtk_password_entry_set_show_peek_icon (self->password, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->password), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Your password"), -1);
  g_signal_connect_object (self->password, "activate", G_CALLBACK (on_password_activate), self, 0);
}

SpOfflineBanner *
sp_offline_banner_new (SpContext *context)
{
  SpOfflineBanner *self = g_object_new (SP_TYPE_OFFLINE_BANNER, "context", context, NULL);

  if (context)
    g_signal_connect_object (context, "sync-changed", G_CALLBACK (sp_offline_banner_update), self,
                             G_CONNECT_SWAPPED);
  sp_offline_banner_update (self);
  return self;
}
