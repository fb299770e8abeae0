/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-step-view.h"

G_BEGIN_DECLS

#define SP_TYPE_STEP_CITIZEN (sp_step_citizen_get_type ())
G_DECLARE_FINAL_TYPE (SpStepCitizen, sp_step_citizen, SP, STEP_CITIZEN, SpStepView)

/* Step 1: the codice fiscale (typed, or from a barcode reader acting as
 * a keyboard), checked as it is typed; then the citizen is looked up in
 * the cache and at central, which prefills the personal data and tells
 * whether a PIN is already active (a new one supersedes it). */
SpStepView *sp_step_citizen_new (SpApplication *app,
                                 SpContext     *context,
                                 SpRequest     *request);

G_END_DECLS
