/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include "sp-session-lock.h"

/* Marks a window whose activity is already followed. */
#define WATCHED_KEY "sp-session-lock-watched"

struct _SpSessionLock
{
  GObject parent_instance;

  GtkApplication *app;        /* not owned: it outlives the window */
  GtkWindow *main_window;     /* not owned: owns this object */
  GListModel *toplevels;      /* every GtkWindow of the process */
  guint idle_seconds;
  guint idle_timer;
  gboolean engaged;
  GPtrArray *hidden;          /* Hidden *: windows hidden by engage */
  GPtrArray *disabled;        /* char *: app actions disabled by engage */
};

G_DEFINE_FINAL_TYPE (SpSessionLock, sp_session_lock, G_TYPE_OBJECT)

/* A window hidden by the lock and the widget that had its focus. Weak:
 * a window closed meanwhile is not brought back. */
typedef struct {
  GWeakRef window;
  GWeakRef focus;
} Hidden;

enum {
  IDLE,
  LOCK_REQUESTED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static gboolean
on_idle_timeout (gpointer user_data)
{
  SpSessionLock *self = user_data;

  self->idle_timer = 0;
  if (!self->engaged)
    g_signal_emit (self, signals[IDLE], 0);
  return G_SOURCE_REMOVE;
}

void
sp_session_lock_poke (SpSessionLock *self)
{
  g_return_if_fail (SP_IS_SESSION_LOCK (self));

  g_clear_handle_id (&self->idle_timer, g_source_remove);
  if (self->idle_seconds > 0)
    self->idle_timer = g_timeout_add_seconds (self->idle_seconds, on_idle_timeout, self);
}

void
sp_session_lock_set_idle_seconds (SpSessionLock *self,
                                  guint          idle_seconds)
{
  g_return_if_fail (SP_IS_SESSION_LOCK (self));

  self->idle_seconds = idle_seconds;
  sp_session_lock_poke (self);
}

/* What a person does: keys, clicks, scrolling, touch, moving the pointer.
 * Focus and configure events come from the window system, not from the
 * operator, and must not keep a session open. */
static gboolean
on_window_event (GtkEventControllerLegacy *controller,
                 GdkEvent                 *event,
                 SpSessionLock            *self)
{
  switch (gdk_event_get_event_type (event))
    {
    case GDK_KEY_PRESS:
    case GDK_BUTTON_PRESS:
    case GDK_SCROLL:
    case GDK_MOTION_NOTIFY:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCHPAD_SWIPE:
    case GDK_TOUCHPAD_PINCH:
      sp_session_lock_poke (self);
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

static gboolean
on_lock_shortcut (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  SpSessionLock *self = user_data;

  if (!self->engaged)
    g_signal_emit (self, signals[LOCK_REQUESTED], 0);
  return TRUE;
}

/* Every window gets the activity watch; the secondary ones also Ctrl+L,
 * which the main window has as its own win.lock shortcut. */
static void
watch_window (SpSessionLock *self,
              GtkWindow     *window)
{
  GtkEventController *activity;

  if (g_object_get_data (G_OBJECT (window), WATCHED_KEY) != NULL)
    return;
  g_object_set_data (G_OBJECT (window), WATCHED_KEY, GINT_TO_POINTER (1));
  activity = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (activity, GTK_PHASE_CAPTURE);
  g_signal_connect_object (activity, "event", G_CALLBACK (on_window_event), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (window), activity);
  if (window != self->main_window)
    {
      GtkEventController *keys = gtk_shortcut_controller_new ();
      GtkShortcutAction *action = gtk_callback_action_new (on_lock_shortcut, self, NULL);

      gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
      gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (keys), GTK_SHORTCUT_SCOPE_GLOBAL);
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                            gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_l, GDK_CONTROL_MASK),
                                                              action));
      gtk_widget_add_controller (GTK_WIDGET (window), keys);
    }
}

static void
hidden_free (gpointer data)
{
  Hidden *h = data;

  g_weak_ref_clear (&h->window);
  g_weak_ref_clear (&h->focus);
  g_free (h);
}

/* Focus leaves the window before it hides, so its text fields see the
 * focus-out (and stop blinking) as they would for any other window. */
static void
hide_window (SpSessionLock *self,
             GtkWindow     *window)
{
  Hidden *h;

  if (window == self->main_window || !gtk_widget_get_visible (GTK_WIDGET (window)))
    return;
  h = g_new0 (Hidden, 1);
  g_weak_ref_init (&h->window, window);
  g_weak_ref_init (&h->focus, gtk_window_get_focus (window));
  g_ptr_array_add (self->hidden, h);
  gtk_window_set_focus (window, NULL);
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
}

static void
on_toplevels_changed (GListModel    *toplevels,
                      guint          position,
                      guint          removed,
                      guint          added,
                      SpSessionLock *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      watch_window (self, window);
      /* A window that opens while locked (a late dialog of a job that
       * was running) is hidden at once, like the others. */
      if (self->engaged)
        hide_window (self, window);
    }
}

static void
hide_other_windows (SpSessionLock *self)
{
  guint n = g_list_model_get_n_items (self->toplevels);
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);

  /* Collect first: hiding a window may change the model. */
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (windows, g_list_model_get_item (self->toplevels, i));
  for (guint i = 0; i < windows->len; i++)
    hide_window (self, g_ptr_array_index (windows, i));
}

static void
disable_app_actions (SpSessionLock *self)
{
  g_auto(GStrv) names = g_action_group_list_actions (G_ACTION_GROUP (self->app));

  for (guint i = 0; names[i] != NULL; i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->app), names[i]);

      if (G_IS_SIMPLE_ACTION (action) && g_action_get_enabled (action))
        {
          g_simple_action_set_enabled (G_SIMPLE_ACTION (action), FALSE);
          g_ptr_array_add (self->disabled, g_strdup (names[i]));
        }
    }
}

static void
enable_app_actions (SpSessionLock *self)
{
  for (guint i = 0; i < self->disabled->len; i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->app),
                                                    g_ptr_array_index (self->disabled, i));

      if (G_IS_SIMPLE_ACTION (action))
        g_simple_action_set_enabled (G_SIMPLE_ACTION (action), TRUE);
    }
  g_ptr_array_set_size (self->disabled, 0);
}

void
sp_session_lock_engage (SpSessionLock *self)
{
  g_return_if_fail (SP_IS_SESSION_LOCK (self));

  if (self->engaged)
    return;
  self->engaged = TRUE;
  g_clear_handle_id (&self->idle_timer, g_source_remove);
  hide_other_windows (self);
  disable_app_actions (self);
  gtk_window_present (self->main_window);
}

static void
end_lock (SpSessionLock *self,
          gboolean       show_again)
{
  g_autoptr(GPtrArray) hidden = g_steal_pointer (&self->hidden);

  self->hidden = g_ptr_array_new_with_free_func (hidden_free);
  self->engaged = FALSE;
  enable_app_actions (self);
  for (guint i = 0; i < hidden->len; i++)
    {
      Hidden *h = g_ptr_array_index (hidden, i);
      g_autoptr(GtkWindow) window = g_weak_ref_get (&h->window);
      g_autoptr(GtkWidget) focus = g_weak_ref_get (&h->focus);

      if (window == NULL)
        continue;
      if (!show_again)
        {
          gtk_window_destroy (window);
          continue;
        }
      gtk_window_present (window);
      if (focus != NULL)
        gtk_widget_grab_focus (focus);
    }
  sp_session_lock_poke (self);
}

void
sp_session_lock_release (SpSessionLock *self)
{
  g_return_if_fail (SP_IS_SESSION_LOCK (self));

  if (self->engaged)
    end_lock (self, TRUE);
}

void
sp_session_lock_discard (SpSessionLock *self)
{
  g_return_if_fail (SP_IS_SESSION_LOCK (self));

  end_lock (self, FALSE);
}

gboolean
sp_session_lock_is_engaged (SpSessionLock *self)
{
  g_return_val_if_fail (SP_IS_SESSION_LOCK (self), FALSE);

  return self->engaged;
}

static void
sp_session_lock_dispose (GObject *object)
{
  SpSessionLock *self = SP_SESSION_LOCK (object);

  g_clear_handle_id (&self->idle_timer, g_source_remove);
  if (self->toplevels != NULL)
    g_signal_handlers_disconnect_by_data (self->toplevels, self);
  g_clear_object (&self->toplevels);
  g_clear_pointer (&self->hidden, g_ptr_array_unref);
  g_clear_pointer (&self->disabled, g_ptr_array_unref);
  G_OBJECT_CLASS (sp_session_lock_parent_class)->dispose (object);
}

static void
sp_session_lock_class_init (SpSessionLockClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sp_session_lock_dispose;

  /* The countdown elapsed with no activity in any window. */
  signals[IDLE] = g_signal_new ("idle", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Ctrl+L in a window other than the main one. */
  signals[LOCK_REQUESTED] = g_signal_new ("lock-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sp_session_lock_init (SpSessionLock *self)
{
  self->hidden = g_ptr_array_new_with_free_func (hidden_free);
  self->disabled = g_ptr_array_new_with_free_func (g_free);
}

SpSessionLock *
sp_session_lock_new (GtkApplication *app,
                     GtkWindow      *main_window)
{
  SpSessionLock *self = g_object_new (SP_TYPE_SESSION_LOCK, NULL);
  guint n;

  self->app = app;
  self->main_window = main_window;
  self->toplevels = g_object_ref (gtk_window_get_toplevels ());
  n = g_list_model_get_n_items (self->toplevels);
  on_toplevels_changed (self->toplevels, 0, 0, n, self);
  g_signal_connect (self->toplevels, "items-changed", G_CALLBACK (on_toplevels_changed), self);
  return self;
}
