/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-application.h"
#include "sp-request.h"

G_BEGIN_DECLS

#define SP_TYPE_REQUEST_PAGE (sp_request_page_get_type ())
G_DECLARE_FINAL_TYPE (SpRequestPage, sp_request_page, SP, REQUEST_PAGE, AdwBin)

/* The new PIN request: the seven steps of DESIGN §8 with a visible step
 * list, Back/Next (Alt+Left/Alt+Right, Enter in a field), each step
 * validated as it is typed. What is typed is kept as a draft in the
 * store (never a PIN), so a crash or a lock loses nothing. Emits
 * "closed" when the case is closed (envelope handed over, delegate
 * refused, or cancelled). */
SpRequestPage *sp_request_page_new        (SpApplication *app,
                                           SpContext     *context);
/* Starts a request: empty, or from a draft's JSON. */
void           sp_request_page_start      (SpRequestPage *self,
                                           const char    *draft);
gboolean       sp_request_page_is_active  (SpRequestPage *self);
void           sp_request_page_focus      (SpRequestPage *self);

G_END_DECLS
