/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "sp-issuance.h"
#include "sp-print-document.h"
#include "sp-status.h"

G_BEGIN_DECLS

/* The day register: the issuances of a day, per operator or per sede, as
 * a table (time, issuance number, citizen, role, operator, state,
 * offline), as many pages as it takes. Reprintable. */
typedef struct {
  SpIssuance *issuance;
  SpIssuanceStatus status;   /* the store's */
} SpRegisterEntry;

SpRegisterEntry *sp_register_entry_new  (const SpIssuance *issuance,
                                         SpIssuanceStatus  status);
void             sp_register_entry_free (SpRegisterEntry  *entry);
/* The translated label of a store status ("" for no status). */
const char      *sp_register_status_label (SpIssuanceStatus status);

/* entries: of SpRegisterEntry, drawn in order of issue time; operator
 * NULL for the whole sede. */
SpPrintDocument *sp_register_document_new (const GDate *date,
                                           const char  *sede_name,
                                           const char  *operator_id,
                                           GPtrArray   *entries);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpRegisterEntry, sp_register_entry_free)

G_END_DECLS
