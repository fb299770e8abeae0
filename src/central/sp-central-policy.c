/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Central's policy on PIN verifiers and lockout (see sp-central-policy.h). */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include "sp-central-db.h"
#include "sp-central-policy.h"
#include "sp-secret.h"

gboolean
sp_central_policy_check_verifier (const char *verifier,
                                  GError    **error)
{
  /* A cheaper verifier would let whoever steals the table guess faster;
   * a dearer one would let a workstation make verification a denial of
   * service. So the cost is central's to fix, not the client's. */
  if (verifier == NULL || !g_str_has_prefix (verifier, SP_CENTRAL_PIN_ARGON2_PREFIX)
      || !sp_secret_verifier_is_valid (verifier))
    {
      g_set_error (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_MISMATCH,
                   "the verifier must be Argon2id with m=65536,t=3,p=1 (central's policy)");
      return FALSE;
    }
  return TRUE;
}

gint64
sp_central_policy_lockout_ms (gint64 n)
{
  /* 15 min, 30 min, 1 h, … Twenty lockouts reach the 100-failure cap
   * first, so the shift stays far from overflowing. */
  return (gint64) SP_CENTRAL_PIN_LOCKOUT_MS << CLAMP (n - 1, 0, 30);
}
