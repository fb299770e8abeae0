/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sp-context.h"
#include "sp-request.h"

G_BEGIN_DECLS

/* Step 7 without the screen: the request's checks, then its issuance and
 * scans handed to the context's issue verb (a new PIN, its verifier on a
 * worker thread, one commit, this issuance's own request to central).
 * finish is sp_context_issue_finish (): the issued PIN, whose state says
 * what central answered for it. */

#define SP_ISSUER_ERROR (sp_issuer_error_quark ())
typedef enum {
  SP_ISSUER_ERROR_INCOMPLETE,        /* a step still has problems */
} SpIssuerError;
GQuark sp_issuer_error_quark (void);

void      sp_issuer_issue_async  (SpContext           *context,
                                  SpRequest           *request,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
SpIssued *sp_issuer_issue_finish (SpContext           *context,
                                  GAsyncResult        *result,
                                  GError             **error);

G_END_DECLS
