/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-step-view.h"

G_BEGIN_DECLS

#define SP_TYPE_STEP_DOCUMENT (sp_step_document_get_type ())
G_DECLARE_FINAL_TYPE (SpStepDocument, sp_step_document, SP, STEP_DOCUMENT, SpStepView)

/* Step 4: the identity document shown by the person at the counter:
 * type, number, issuer, dates (an expired one, or one issued after
 * today, blocks the request) and, for CIE and passports, the MRZ lines,
 * parsed with their check digits and cross-checked. */
SpStepView *sp_step_document_new (SpApplication *app,
                                  SpContext     *context,
                                  SpRequest     *request);

G_END_DECLS
