/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-step-view.h"

G_BEGIN_DECLS

#define SP_TYPE_STEP_PERSONAL (sp_step_personal_get_type ())
G_DECLARE_FINAL_TYPE (SpStepPersonal, sp_step_personal, SP, STEP_PERSONAL, SpStepView)

/* Step 3: the beneficiary's personal data (prefilled from the registry)
 * and, for a parent or legal representative, theirs; each checked
 * against the codice fiscale as it is typed; the birth place completed
 * from the Belfiore table and checked on the birth date. */
SpStepView *sp_step_personal_new (SpApplication *app,
                                  SpContext     *context,
                                  SpRequest     *request);

G_END_DECLS
