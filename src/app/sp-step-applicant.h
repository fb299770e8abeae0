/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-step-view.h"

G_BEGIN_DECLS

#define SP_TYPE_STEP_APPLICANT (sp_step_applicant_get_type ())
G_DECLARE_FINAL_TYPE (SpStepApplicant, sp_step_applicant, SP, STEP_APPLICANT, SpStepView)

/* Step 2: who is at the counter (R3–R5). A delegate is refused: the
 * screen says why and lists the other channels (R6), the refusal is
 * recorded, and "refused" is emitted so the case closes. */
SpStepView *sp_step_applicant_new (SpApplication *app,
                                   SpContext     *context,
                                   SpRequest     *request);

G_END_DECLS
