/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "sp-issuance.h"
#include "sp-print-document.h"

G_BEGIN_DECLS

/* The pre-filled MV35 (R13): the request form "Richiesta assegnazione PIN
 * dispositivo per il cittadino in sede" laid out from the data entered at
 * the counter, for the citizen (or the representative) to check and sign.
 * The issuance may still be a draft (no verifier, no attachments). */
SpPrintDocument *sp_mv35_document_new (const SpIssuance *issuance,
                                       const char       *sede_name);

G_END_DECLS
