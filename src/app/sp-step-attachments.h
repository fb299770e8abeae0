/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-step-view.h"

G_BEGIN_DECLS

#define SP_TYPE_STEP_ATTACHMENTS (sp_step_attachments_get_type ())
G_DECLARE_FINAL_TYPE (SpStepAttachments, sp_step_attachments, SP, STEP_ATTACHMENTS, SpStepView)

/* Step 5: exactly the attachments the role requires (R1, R3, R4), each
 * scanned or imported from a file (PDF, JPEG, PNG, TIFF), kept in memory
 * as its archive PDF, previewed as a thumbnail and replaceable; and the
 * pre-filled MV35 to print (R13). The step cannot complete while one is
 * missing. */
SpStepView *sp_step_attachments_new (SpApplication *app,
                                     SpContext     *context,
                                     SpRequest     *request);

G_END_DECLS
