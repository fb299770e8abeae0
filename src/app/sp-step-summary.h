/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-step-view.h"

G_BEGIN_DECLS

#define SP_TYPE_STEP_SUMMARY (sp_step_summary_get_type ())
G_DECLARE_FINAL_TYPE (SpStepSummary, sp_step_summary, SP, STEP_SUMMARY, SpStepView)

/* Step 6: the whole request on one page and the operator's attestation
 * of the in-person check (Reg. SPID art. 7 is the model) and of the
 * privacy notice (GDPR art. 13, printed on the receipt). */
SpStepView *sp_step_summary_new (SpApplication *app,
                                 SpContext     *context,
                                 SpRequest     *request);

G_END_DECLS
