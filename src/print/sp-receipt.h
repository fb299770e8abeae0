/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "sp-issuance.h"
#include "sp-print-document.h"

G_BEGIN_DECLS

/* The receipt of the request: what was requested, by whom, with which
 * document and attachments, the operator, the sede, the issuance number
 * and its QR code, the privacy notice (GDPR art. 13). It takes no PIN,
 * so it cannot print one. Reprintable. */
typedef enum {
  SP_RECEIPT_COPY_CITIZEN = 1 << 0,   /* the citizen's copy */
  SP_RECEIPT_COPY_ARCHIVE = 1 << 1,   /* the sede's copy, signed for the envelope */
} SpReceiptCopies;

/* One page per copy asked, in the order citizen, archive. */
SpPrintDocument *sp_receipt_document_new (const SpIssuance *issuance,
                                          const char       *sede_name,
                                          const char       *operator_name,
                                          SpReceiptCopies   copies);

G_END_DECLS
