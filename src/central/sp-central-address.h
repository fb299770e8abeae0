/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-issuance.h"

G_BEGIN_DECLS

/* The automatic validation of a residence address against the
 * Institute's archive (R7, msg. 4590/2016 §2): both are normalised (case,
 * accents, punctuation, street-type abbreviations such as "V." for "Via")
 * and compared part by part (comune, street, house number, CAP). The
 * result is a score out of 100 and the reasons for every point lost. */

#define SP_CENTRAL_ADDRESS_PASS 90

typedef struct {
  guint score;               /* 0..100 */
  gboolean pass;             /* score >= SP_CENTRAL_ADDRESS_PASS and same comune and street */
  GPtrArray *reasons;        /* char *: "house number differs", … (empty when perfect) */
} SpCentralAddressMatch;

SpCentralAddressMatch *sp_central_address_match      (const SpAddress       *given,
                                                      const SpAddress       *archive);
void                   sp_central_address_match_free (SpCentralAddressMatch *match);
/* The normal form of a street ("P.zza S. Maria 3/b" → "piazza s maria 3/b"). */
char                  *sp_central_address_normalize  (const char            *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCentralAddressMatch, sp_central_address_match_free)

G_END_DECLS
