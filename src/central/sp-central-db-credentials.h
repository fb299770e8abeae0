/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-central-db.h"

G_BEGIN_DECLS

/* The citizen's credential as /v1/auth/pin sees it: first access (msg.
 * 3695/2013: the initial 16-character PIN replaced by a personal one of
 * 8), the simplified mode (msg. 1381/2020 §2: the first half alone,
 * inside the emergency window, for its services) and the simplified
 * credentials' regularization (R12). */

/* The emergency window [starts_at, ends_at) and its services (ids);
 * whole_pin: the acts that need the whole PIN even so (the baby-sitting
 * bonus's Libretto Famiglia registration). */
typedef struct {
  gint64 starts_at, ends_at;
  char **services, **whole_pin;
  gint64 updated_at;
  char *updated_by;
} SpCentralSimplifiedMode;

void sp_central_simplified_mode_free (SpCentralSimplifiedMode *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCentralSimplifiedMode, sp_central_simplified_mode_free)
gboolean sp_central_simplified_mode_open (const SpCentralSimplifiedMode *m, gint64 now);

SpCentralSimplifiedMode *sp_central_db_simplified_mode_get (SpCentralDb *db, GError **error);
/* Replaces the window and the lists (NULL-terminated), audited. */
gboolean sp_central_db_simplified_mode_set (SpCentralDb *db, gint64 starts_at, gint64 ends_at,
                                            const char *const *services, const char *const *whole_pin,
                                            const char *actor, gint64 now, GError **error);

/* The active PIN's verifiers: verifier the initial one (NULL once a
 * personal PIN replaced it), personal_verifier, simplified_verifier the
 * first half's when a simplified credential is active; mode the window. */
typedef struct {
  char *issuance_id, *kind;
  char *verifier, *personal_verifier, *simplified_verifier;
  SpCentralSimplifiedMode *mode;
} SpCentralCredential;

void sp_central_credential_free (SpCentralCredential *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCentralCredential, sp_central_credential_free)

/* sp_central_db_pin_reserve, returning the credential (all NULL members
 * but mode when cf has no active PIN). */
gboolean sp_central_db_pin_reserve_credential (SpCentralDb *db, const char *cf, gint64 now,
                                               SpCentralCredential **credential, gint64 *retry_at,
                                               GError **error);
/* First access: the personal PIN's verifier on cf's active issuance
 * issuance_id, which must still have its initial PIN (else CONFLICT);
 * the initial verifier and the first half's end. Audited (pin.personal). */
gboolean sp_central_db_pin_set_personal (SpCentralDb *db, const char *cf, const char *issuance_id,
                                         const char *verifier, const char *actor, gint64 now,
                                         GError **error);

G_END_DECLS
