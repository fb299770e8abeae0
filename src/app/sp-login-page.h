/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-application.h"

G_BEGIN_DECLS

#define SP_TYPE_LOGIN_PAGE (sp_login_page_get_type ())
G_DECLARE_FINAL_TYPE (SpLoginPage, sp_login_page, SP, LOGIN_PAGE, AdwBin)

/* The operator logs in: online against central, or, when central does
 * not answer, with the verifier cached at the last online login (DESIGN
 * §4). Emits "logged-in" once the application has a session. Locked, it
 * asks the same operator's password again (checked locally). */
SpLoginPage *sp_login_page_new        (SpApplication *app,
                                       SpContext     *context);
void         sp_login_page_reset      (SpLoginPage   *self);
void         sp_login_page_set_locked (SpLoginPage   *self,
                                       const char    *username);
void         sp_login_page_focus      (SpLoginPage   *self);

G_END_DECLS
