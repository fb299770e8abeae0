/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sp-context.h"

G_BEGIN_DECLS

/* The workstation's GSettings, and when a change of each key applies.
 * Every key of the schema is in this table: a key added without saying
 * who reads it and when fails the settings test. */
typedef enum {
  SP_SETTING_UNKNOWN,      /* not in the table: a defect */
  SP_SETTING_AT_ONCE,      /* the next issuance, print, run or idle check uses it */
  SP_SETTING_NEXT_LOGIN,   /* in use by a session: the preferences say "from the next login" */
  SP_SETTING_WINDOW,       /* the window's own state, read when it opens, written as it changes */
} SpSettingEffect;

SpSettingEffect sp_setting_effect          (const char *key);

/* The central URL the workstation uses: $SPORTELLO_CENTRAL_URL (tests,
 * demo) wins over the central-url key. */
char           *sp_settings_get_central_url (GSettings *settings);

/* Binds the context's keys: allow-offline-issuance, offline-login-hours
 * and sync-interval-seconds at once; sede-code, central-url and
 * central-ca-file at once when nobody is logged in, else at the next
 * login. The bindings last as long as the context. */
void            sp_context_bind_settings   (SpContext *context,
                                            GSettings *settings);

G_END_DECLS
