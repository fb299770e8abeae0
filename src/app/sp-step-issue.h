/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-step-view.h"

G_BEGIN_DECLS

#define SP_TYPE_STEP_ISSUE (sp_step_issue_get_type ())
G_DECLARE_FINAL_TYPE (SpStepIssue, sp_step_issue, SP, STEP_ISSUE, SpStepView)

/* Step 7: the PIN is generated and committed, activated at central when
 * it answers, and the envelope printed once. A failed or cancelled print
 * voids that PIN; "Issue a New PIN" starts again. "Envelope Handed Over"
 * closes the case (signal "closed"). While a PIN exists the wizard must
 * not go back: "busy" says so. */
SpStepView *sp_step_issue_new      (SpApplication *app,
                                    SpContext     *context,
                                    SpRequest     *request);
gboolean    sp_step_issue_get_busy (SpStepIssue   *self);

G_END_DECLS
