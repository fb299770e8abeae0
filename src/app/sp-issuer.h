/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sp-central-client.h"
#include "sp-pin.h"
#include "sp-request.h"
#include "sp-store.h"
#include "sp-sync-engine.h"

G_BEGIN_DECLS

/* Step 7 without the screen: a new PIN, its Argon2id verifier made on a
 * worker thread, the issuance and its scans committed to the store in
 * one transaction, and, when central is reachable, a synchronisation so
 * the PIN is active before the envelope prints (DESIGN §5). */

typedef struct {
  SpIssuance *issuance;
  SpPin *pin;          /* the clear PIN: only until the envelope is printed */
  gboolean active;     /* central answered 201: the PIN works now */
} SpIssued;

void sp_issued_free (SpIssued *issued);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpIssued, sp_issued_free)

#define SP_ISSUER_ERROR (sp_issuer_error_quark ())
typedef enum {
  SP_ISSUER_ERROR_INCOMPLETE,        /* a step still has problems */
  SP_ISSUER_ERROR_OFFLINE_REFUSED,   /* central did not answer and the sede forbids offline issuance */
  SP_ISSUER_ERROR_STORE,
} SpIssuerError;
GQuark sp_issuer_error_quark (void);

void      sp_issuer_issue_async  (SpStore             *store,
                                  SpSyncEngine        *engine,
                                  SpRequest           *request,
                                  const SpOperator    *op,
                                  const char          *workstation,
                                  gboolean             allow_offline,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
SpIssued *sp_issuer_issue_finish (GAsyncResult        *result,
                                  GError             **error);

/* The envelope did not print: the PIN is voided (audited, and central
 * told at the next synchronisation, kicked now). */
gboolean  sp_issuer_void         (SpStore             *store,
                                  SpSyncEngine        *engine,
                                  SpIssued            *issued,
                                  const char          *reason,
                                  const char          *actor,
                                  GError             **error);

G_END_DECLS
