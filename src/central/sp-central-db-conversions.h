/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-central-db.h"

G_BEGIN_DECLS

/* Conversion (DESIGN §10, issue 16): an active ordinario PIN (online,
 * Contact Center, recovery) becomes dispositivo after the counter's
 * in-person check, with the attestation and the scans of an issuance
 * but no new PIN; its own kind of act (conversions), audited
 * (pin.convert). Like a counter issuance it closes what the other
 * channels left open (R12): queued requests superseded, simplified
 * credentials regularized. */

typedef struct {
  char *id, *cf, *issuance_id, *sede, *operator, *workstation;
  gint64 at;
  char *body;             /* the act as sent (JSON) */
  GPtrArray *received;    /* kinds of the scans stored */
} SpCentralConversion;

void sp_central_conversion_free (SpCentralConversion *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCentralConversion, sp_central_conversion_free)

/* Records the act c (id, cf, issuance_id, sede, operator, workstation,
 * body) at now. The same id with the same body again: *replayed, the
 * stored act. Errors: NOT_FOUND (no such active PIN of cf), CONFLICT
 * (the PIN is dispositivo already, or the id was used for another act). */
SpCentralConversion *sp_central_db_convert (SpCentralDb *db, const SpCentralConversion *c, gint64 now,
                                            gboolean *replayed, GError **error);
/* The act id of sede (NOT_FOUND for another sede's), with its scans' kinds. */
SpCentralConversion *sp_central_db_get_conversion (SpCentralDb *db, const char *sede, const char *id,
                                                   GError **error);
/* Stores a declared scan (kind, sha256, size as in the act's body: else
 * MISMATCH; another stored scan of the kind: CONFLICT; the same: *replayed). */
SpCentralConversion *sp_central_db_put_conversion_scan (SpCentralDb *db, const char *sede, const char *id,
                                                        const char *kind, const char *sha256, GBytes *data,
                                                        const char *actor, gint64 now, gboolean *replayed,
                                                        GError **error);

G_END_DECLS
