/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-citizen-page.h"
#include "sp-login-page.h"
#include "sp-offline-banner.h"
#include "sp-register.h"
#include "sp-register-export.h"
#include "sp-request-page.h"
#include "sp-session-lock.h"
#include "sp-sync-indicator.h"
#include "sp-ui.h"
#include "sp-window.h"

struct _SpWindow
{
  AdwApplicationWindow parent_instance;

  GSettings *settings;
  SpApplication *app;
  SpContext *context;       /* the pages' construct property; NULL if the store did not open */
  SpLoginPage *login;
  SpRequestPage *request;
  SpCitizenPage *citizen;
  SpSyncIndicator *sync;
  SpOfflineBanner *offline;
  SpSessionLock *lock;      /* idle lock, and every other window out of reach while locked */

  /* template */
  AdwWindowTitle *title;
  GtkStack *stack;
  AdwToastOverlay *toasts;
  GtkMenuButton *operator_button;
  AdwBin *sync_slot;
  GtkListBox *recent;

  gboolean quit_confirmed;  /* the operator chose to quit with a request open */
};

G_DEFINE_FINAL_TYPE (SpWindow, sp_window, ADW_TYPE_APPLICATION_WINDOW)


/* Size and maximized state are saved on close, not on every resize:
 * one write per session instead of hundreds. */
static void
on_quit_response (AdwMessageDialog *dialog,
                  const char       *response,
                  SpWindow         *self)
{
  if (!g_str_equal (response, "quit"))
    return;
  self->quit_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

/* Ctrl+Q or closing the window mid-request: asked, not silent. The
 * request stays as a draft (the page saves it when it goes). */
static gboolean
ask_before_quitting (SpWindow *self)
{
  AdwMessageDialog *dialog;

  if (self->quit_confirmed || !sp_request_page_is_active (self->request)
      || g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "request") != 0)
    return FALSE;
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Quit With a Request Open?"),
                                                       _("The request and its scans are kept and offered again "
                                                         "at the next login.")));
  adw_message_dialog_add_responses (dialog, "keep", _("_Keep Editing"), "quit", _("_Quit"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "quit", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_quit_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static gboolean
sp_window_close_request (GtkWindow *window)
{
  SpWindow *self = SP_WINDOW (window);
  int width, height;

  if (ask_before_quitting (self))
    return TRUE;

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
update_title (SpWindow *self)
{
  const SpOperator *op = self->context ? sp_context_get_operator (self->context) : NULL;
  g_autofree char *subtitle = NULL;

  if (op != NULL)
    subtitle = g_strdup_printf (sp_context_get_offline_session (self->context)
                                ? _("%s, sede %s (offline login)") : _("%s, sede %s"),
                                op->name, op->sede);
  else
    subtitle = g_strdup (_("Not logged in"));
  adw_window_title_set_subtitle (self->title, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->operator_button), op != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_slot), op != NULL);
  if (op != NULL)
    {
      g_autofree char *name = g_strdup_printf (_("Operator %s"), op->name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->operator_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    }
}

static void
set_logged_in_actions (SpWindow *self,
                       gboolean  enabled)
{
  const char *actions[] = { "win.new-request", "win.search", "win.register", "win.lock", "win.logout", "win.home" };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], enabled);
}

/* ---- home ---- */

static void
refresh_recent (SpWindow *self)
{
  SpStore *store = self->context ? sp_context_get_store (self->context) : NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent))) != NULL)
    gtk_list_box_remove (self->recent, child);
  if (store == NULL)
    return;
  rows = sp_store_list_issuances (store, NULL, NULL, NULL, 8);
  for (guint i = 0; i < rows->len; i++)
    {
      SpStoreIssuanceRow *r = g_ptr_array_index (rows, i);
      GtkWidget *row = adw_action_row_new ();
      g_autoptr(GDateTime) local = g_date_time_to_local (r->issuance->issued_at);
      g_autofree char *when = g_date_time_format (local, "%x %H:%M");
      g_autofree char *title = g_strdup_printf ("%s %s · %s", r->issuance->citizen->surname,
                                                r->issuance->citizen->name, r->issuance->cf);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s%s%s", when, sp_register_status_label (r->status),
                                                   r->problem ? ": " : "", r->problem ? r->problem : "");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->recent, row);
    }
  if (rows->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No issuances yet on this workstation"));
      gtk_list_box_append (self->recent, row);
    }
}

/* The list is read again now if it is on screen, else when it is shown
 * (show_home): not rebuilt under another page for nothing. */
static void
on_issuances_changed (SpWindow *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "home") == 0)
    refresh_recent (self);
}

static void
show_home (SpWindow *self)
{
  refresh_recent (self);
  gtk_stack_set_visible_child_name (self->stack, "home");
  gtk_widget_child_focus (GTK_WIDGET (self->stack), GTK_DIR_TAB_FORWARD);
}

/* ---- session ---- */

static void
start_request (SpWindow   *self,
               const char *draft)
{
  sp_request_page_start (self->request, draft);
  gtk_stack_set_visible_child_name (self->stack, "request");
  sp_request_page_focus (self->request);
}

static void
on_resume_response (AdwMessageDialog *dialog,
                    const char       *response,
                    SpWindow         *self)
{
  g_autofree char *draft = sp_context_load_draft (self->context);

  if (g_str_equal (response, "resume") && draft)
    start_request (self, draft);
  else
    sp_context_delete_draft (self->context);
}

/* Whose request it is, for the operator to decide: "ROSSI MARIO
 * (RSSMRA…)", the code alone, or NULL for a draft with no citizen yet. */
static char *
draft_citizen (const char *draft)
{
  g_autoptr(SpRequest) request = sp_request_new ();
  const char *cf, *surname, *name;

  if (!sp_request_load_draft (request, draft, NULL))
    return NULL;
  cf = sp_request_get_text (request, SP_REQUEST_FIELD_CITIZEN_CF);
  surname = sp_request_get_text (request, SP_REQUEST_FIELD_CITIZEN_SURNAME);
  name = sp_request_get_text (request, SP_REQUEST_FIELD_CITIZEN_NAME);
  if (*cf == '\0')
    return NULL;
  if (*surname == '\0')
    return g_strdup (cf);
  return g_strdup_printf ("%s %s (%s)", surname, name, cf);
}

/* A request interrupted by a crash is offered again (without any PIN). */
static void
offer_draft (SpWindow *self)
{
  g_autofree char *draft = sp_context_load_draft (self->context);
  g_autofree char *who = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (draft == NULL || sp_request_page_is_active (self->request))
    return;
  who = draft_citizen (draft);
  body = who ? g_strdup_printf (_("A request was being entered for %s when the app closed. "
                                  "It opens again at the step where it was left, with its scans."), who)
             : g_strdup (_("A request was being entered when the app closed. "
                           "Its data and scans are kept."));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Resume the Unfinished Request?"),
                                                       body));
  adw_message_dialog_add_responses (dialog, "discard", _("_Discard"), "resume", _("_Resume"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "resume", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "resume");
  adw_message_dialog_set_close_response (dialog, "resume");
  g_signal_connect (dialog, "response", G_CALLBACK (on_resume_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_logged_in (SpWindow *self)
{
  gboolean was_locked = sp_request_page_is_active (self->request);

  update_title (self);
  set_logged_in_actions (self, TRUE);
  sp_session_lock_release (self->lock);
  /* Nothing of the lock screen stays behind, not even for a screen reader. */
  sp_login_page_reset (self->login);
  sp_sync_indicator_update (self->sync);
  sp_offline_banner_update (self->offline);
  if (was_locked)
    {
      gtk_stack_set_visible_child_name (self->stack, "request");
      sp_request_page_focus (self->request);
      return;
    }
  show_home (self);
  offer_draft (self);
}

static void
show_login (SpWindow *self)
{
  gtk_stack_set_visible_child_name (self->stack, "login");
  sp_login_page_focus (self->login);
  if (self->offline)
    sp_offline_banner_update (self->offline);
}

static void
on_lock_recorded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SpWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sp_context_record_event_finish (SP_CONTEXT (source), result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The lock could not be recorded: %s"), error->message);

      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
    }
}

static void
lock (GtkWidget  *widget,
      const char *action,
      GVariant   *param)
{
  SpWindow *self = SP_WINDOW (widget);
  const SpOperator *op = self->context ? sp_context_get_operator (self->context) : NULL;
  g_autofree char *id = op ? g_strdup (op->id) : NULL;

  if (id == NULL)
    return;
  /* Locked at once; the audit row follows, and a failure is shown. */
  sp_context_record_event_async (self->context, "session.locked", NULL, NULL, NULL, on_lock_recorded,
                                 g_object_ref (self));
  /* The draft stays in the store and the request page keeps its state;
   * the dialogs are hidden until the same operator unlocks. Only unlock
   * (the login page) and log out stay usable. */
  sp_session_lock_engage (self->lock);
  sp_login_page_set_locked (self->login, id);
  set_logged_in_actions (self, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.logout", TRUE);
  show_login (self);
}

static void
logout (GtkWidget  *widget,
        const char *action,
        GVariant   *param)
{
  SpWindow *self = SP_WINDOW (widget);

  if (self->context)
    sp_context_log_out (self->context);
  /* Dialogs hidden by the lock belonged to that operator's session. */
  sp_session_lock_discard (self->lock);
  sp_login_page_reset (self->login);
  set_logged_in_actions (self, FALSE);
  update_title (self);
  show_login (self);
}

static void
on_lock_wanted (SpWindow *self)
{
  if (self->context && sp_context_get_operator (self->context) != NULL
      && !g_str_equal (gtk_stack_get_visible_child_name (self->stack), "login"))
    lock (GTK_WIDGET (self), NULL, NULL);
}

/* lock-after-minutes, applied at once when it changes. The tests lock
 * after seconds with SP_LOCK_AFTER_SECONDS, which can only shorten it. */
static void
update_idle_lock (SpWindow *self)
{
  guint64 seconds = 60 * (guint64) g_settings_get_uint (self->settings, "lock-after-minutes");
  const char *override = g_getenv ("SP_LOCK_AFTER_SECONDS");
  guint64 shorter;

  if (override != NULL && g_ascii_string_to_unsigned (override, 10, 1, G_MAXUINT, &shorter, NULL))
    seconds = MIN (seconds, shorter);
  sp_session_lock_set_idle_seconds (self->lock, (guint) MIN (seconds, G_MAXUINT));
}

/* ---- actions ---- */

static void
new_request (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  SpWindow *self = SP_WINDOW (widget);

  if (sp_request_page_is_active (self->request))
    {
      gtk_stack_set_visible_child_name (self->stack, "request");
      sp_request_page_focus (self->request);
      return;
    }
  start_request (self, NULL);
}

static void
search (GtkWidget  *widget,
        const char *action,
        GVariant   *param)
{
  SpWindow *self = SP_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->stack, "citizen");
  sp_citizen_page_focus (self->citizen);
}

static void
go_home (GtkWidget  *widget,
         const char *action,
         GVariant   *param)
{
  SpWindow *self = SP_WINDOW (widget);

  /* An open request is dropped only when the operator says so; its
   * "closed" then shows the home page. */
  if (sp_request_page_is_active (self->request)
      && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "request") == 0)
    sp_request_page_ask_discard (self->request, NULL, NULL);
  else
    show_home (self);
}

static void
show_register (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  SpWindow *self = SP_WINDOW (widget);

  sp_register_export_today (GTK_WINDOW (self), self->app, self->context, self->toasts);
}

static void
on_request_closed (SpWindow *self)
{
  show_home (self);
  /* The case's scans and prints are gone: so is their memory. */
  sp_application_trim_memory (self->app);
}

/* Said where the operator is now looking: the home page. */
static void
on_request_refused (SpWindow *self)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (_("Refusal recorded; the request is closed")));
}

static void
sp_window_dispose (GObject *object)
{
  SpWindow *self = SP_WINDOW (object);

  g_clear_object (&self->lock);
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
  gtk_widget_class_bind_template_child (widget_class, SpWindow, operator_button);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, sync_slot);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, recent);

  gtk_widget_class_install_action (widget_class, "win.new-request", NULL, new_request);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search);
  gtk_widget_class_install_action (widget_class, "win.register", NULL, show_register);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock);
  gtk_widget_class_install_action (widget_class, "win.logout", NULL, logout);
  gtk_widget_class_install_action (widget_class, "win.home", NULL, go_home);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-request", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.lock", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, GDK_ALT_MASK, "win.home", NULL);
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
}

/* The pages need the application, known only once the window has one. */
static void
sp_window_setup (SpWindow      *self,
                 SpApplication *app)
{
  self->app = app;
  self->context = sp_application_get_context (app);
  self->login = sp_login_page_new (app, self->context);
  self->request = sp_request_page_new (app, self->context);
  self->citizen = sp_citizen_page_new (self->context);
  self->sync = sp_sync_indicator_new (self->context);
  /* Under the header bar, above the pages. */
  self->offline = sp_offline_banner_new (self->context);
  g_signal_connect_object (self->offline, "reauthenticated", G_CALLBACK (update_title), self, G_CONNECT_SWAPPED);
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->toasts))),
                              GTK_WIDGET (self->offline),
                              gtk_widget_get_prev_sibling (GTK_WIDGET (self->toasts)));
  /* Central's word on an issuance shows on the home list at once. */
  if (self->context)
    g_signal_connect_object (self->context, "issuances-changed", G_CALLBACK (on_issuances_changed), self,
                             G_CONNECT_SWAPPED);
  /* Activity in any window of the app postpones the lock. */
  self->lock = sp_session_lock_new (GTK_APPLICATION (app), GTK_WINDOW (self));
  g_signal_connect_object (self->lock, "idle", G_CALLBACK (on_lock_wanted), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->lock, "lock-requested", G_CALLBACK (on_lock_wanted), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::lock-after-minutes", G_CALLBACK (update_idle_lock),
                           self, G_CONNECT_SWAPPED);
  adw_bin_set_child (self->sync_slot, GTK_WIDGET (self->sync));
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->login), "login");
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->request), "request");
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->citizen), "citizen");
  g_signal_connect_object (self->login, "logged-in", G_CALLBACK (on_logged_in), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->request, "closed", G_CALLBACK (on_request_closed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->request, "refused", G_CALLBACK (on_request_refused), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->citizen, "closed", G_CALLBACK (show_home), self, G_CONNECT_SWAPPED);
  set_logged_in_actions (self, FALSE);
  update_title (self);
  show_login (self);
  update_idle_lock (self);
}

SpWindow *
sp_window_new (SpApplication *application)
{
  SpWindow *self = g_object_new (SP_TYPE_WINDOW, "application", application, NULL);

  sp_window_setup (self, application);
  return self;
}
