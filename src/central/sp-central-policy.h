/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Central's policy for what it stores and checks (the reasoning is in
 * README, "PIN verification policy"). */

/* The only Argon2id cost central accepts for a PIN verifier: exactly the
 * workstation's (src/core/sp-secret.c), m=65536 KiB, t=3, p=1. */
#define SP_CENTRAL_PIN_ARGON2_PREFIX "$argon2id$v=19$m=65536,t=3,p=1$"

/* Verifications allowed between lockouts, and the NIST SP 800-63B
 * §5.2.2 cap on consecutive failures, after which only the counter's
 * in-person check unlocks. */
#define SP_CENTRAL_PIN_ATTEMPTS        5
#define SP_CENTRAL_PIN_MAX_FAILURES    100
/* The first lockout; each further one lasts twice the one before. */
#define SP_CENTRAL_PIN_LOCKOUT_MS      (15 * 60 * 1000)
/* A reserved verification not settled by then (central crashed in the
 * middle) no longer counts as running. */
#define SP_CENTRAL_PIN_RESERVATION_MS  (60 * 1000)

/* TRUE when verifier is a well-formed Argon2id PHC string at exactly the
 * policy's cost; otherwise FALSE and a message for a 422. */
gboolean sp_central_policy_check_verifier (const char *verifier,
                                           GError    **error);
/* How long lockout number n (1, 2, …) lasts. */
gint64   sp_central_policy_lockout_ms     (gint64      n);

G_END_DECLS
