/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-application.h"

G_BEGIN_DECLS

#define SP_TYPE_CITIZEN_PAGE (sp_citizen_page_get_type ())
G_DECLARE_FINAL_TYPE (SpCitizenPage, sp_citizen_page, SP, CITIZEN_PAGE, AdwBin)

/* Search a citizen by codice fiscale or surname prefix, in the cache and
 * at central; the citizen's credential status and this workstation's
 * history, and the revocation of the active PIN, approved by a
 * supervisor other than the operator who asks (four eyes). */
SpCitizenPage *sp_citizen_page_new   (SpContext     *context);
void           sp_citizen_page_focus (SpCitizenPage *self);

G_END_DECLS
