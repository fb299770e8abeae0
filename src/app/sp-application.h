/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SP_TYPE_APPLICATION (sp_application_get_type ())
G_DECLARE_FINAL_TYPE (SpApplication, sp_application, SP, APPLICATION, AdwApplication)

SpApplication *sp_application_new             (void);
GSettings     *sp_application_get_settings    (SpApplication *self);
/* The central URL: $SPORTELLO_CENTRAL_URL if set (demo, tests), else the
 * "central-url" setting. */
char          *sp_application_get_central_url (SpApplication *self);

G_END_DECLS
