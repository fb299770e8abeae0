/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The session lock across every window of the process: activity in any
 * window (dialogs included) postpones the idle lock, Ctrl+L locks from
 * any window, and while locked every other window is hidden and the
 * application's actions are disabled, so nothing but the lock screen can
 * be used. The main window draws the lock screen; this object keeps the
 * rest of the process out of reach. */

#define SP_TYPE_SESSION_LOCK (sp_session_lock_get_type ())
G_DECLARE_FINAL_TYPE (SpSessionLock, sp_session_lock, SP, SESSION_LOCK, GObject)

/* main_window stays usable while locked; app's actions are the ones
 * disabled. idle_seconds 0 never locks by itself. */
SpSessionLock *sp_session_lock_new          (GtkApplication *app,
                                             GtkWindow      *main_window);
void           sp_session_lock_set_idle_seconds (SpSessionLock *self,
                                             guint          idle_seconds);
/* Counts as activity: restarts the idle countdown. */
void           sp_session_lock_poke         (SpSessionLock *self);
void           sp_session_lock_engage       (SpSessionLock *self);
/* Shows again the windows hidden by engage, and enables the actions. */
void           sp_session_lock_release      (SpSessionLock *self);
/* Destroys the windows hidden by engage (the operator logged out: they
 * belong to his session), and enables the actions. */
void           sp_session_lock_discard      (SpSessionLock *self);
gboolean       sp_session_lock_is_engaged   (SpSessionLock *self);

G_END_DECLS
