/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-application.h"

G_BEGIN_DECLS

#define SP_TYPE_OFFLINE_BANNER (sp_offline_banner_get_type ())
G_DECLARE_FINAL_TYPE (SpOfflineBanner, sp_offline_banner, SP, OFFLINE_BANNER, AdwBin)

/* A banner under the header bar, revealed while an operator is logged in
 * and central is out of reach: the counter goes on working offline, and
 * the operator is told so in words, not by an amber line of text.
 * (libadwaita 1.2 has no AdwBanner: a GtkRevealer with a box.) After
 * an offline login, once central answers again, it offers "Log In
 * Again…": a password dialog, the session and the open request stay,
 * and the queue is sent ("reauthenticated" then). */
SpOfflineBanner *sp_offline_banner_new    (SpContext       *context);
void             sp_offline_banner_update (SpOfflineBanner *self);

G_END_DECLS
