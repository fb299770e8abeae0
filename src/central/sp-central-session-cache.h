/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-central-db.h"

G_BEGIN_DECLS

/* Recently authenticated sessions, in this process's memory, for
 * SP_CENTRAL_SESSION_CACHE_MS: a workstation sends many requests with one
 * token, and looking the session up in the database for each was an
 * eighth of a registry lookup's cost. A logout through this instance
 * forgets the token at once; a logout through another instance, an
 * expiry or an operator disabled by the admin command takes effect
 * within that time. Thread-safe. */
#define SP_CENTRAL_SESSION_CACHE_MS 2000

/* A copy of the operator of token_hash (without the verifier), or NULL. */
SpCentralOperator *sp_central_session_cache_lookup (const char              *token_hash,
                                                    gint64                   now_ms);
void               sp_central_session_cache_put    (const char              *token_hash,
                                                    const SpCentralOperator *op,
                                                    gint64                   now_ms);
void               sp_central_session_cache_forget (const char              *token_hash);

G_END_DECLS
