/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Identity documents accepted at the counter: those DPR 445/2000 art. 35
 * c.2 treats as equivalent to the identity card, plus the residence permit.
 * The string forms (sp_document_type_to_string) are the API's. */
typedef enum {
  SP_DOCUMENT_CIE,                 /* "cie": carta d'identità elettronica */
  SP_DOCUMENT_CARTA_IDENTITA,      /* "carta_identita": paper identity card */
  SP_DOCUMENT_PASSAPORTO,          /* "passaporto" */
  SP_DOCUMENT_PATENTE,             /* "patente": driving licence */
  SP_DOCUMENT_PATENTE_NAUTICA,     /* "patente_nautica" */
  SP_DOCUMENT_LIBRETTO_PENSIONE,   /* "libretto_pensione" */
  SP_DOCUMENT_PORTO_ARMI,          /* "porto_armi": firearms licence */
  SP_DOCUMENT_TESSERA_STATALE,     /* "tessera_statale": other State card with photo and stamp */
  SP_DOCUMENT_PERMESSO_SOGGIORNO,  /* "permesso_soggiorno" */
  SP_DOCUMENT_N_TYPES
} SpDocumentType;

typedef struct {
  SpDocumentType type;
  char *number;
  char *issuer;          /* issuing authority, e.g. "Comune di Roma" */
  GDate issued_on;
  GDate expires_on;
} SpDocument;

#define SP_DOCUMENT_ERROR (sp_document_error_quark ())
typedef enum {
  SP_DOCUMENT_ERROR_NUMBER,        /* number format wrong for the type */
  SP_DOCUMENT_ERROR_ISSUER,        /* issuer missing */
  SP_DOCUMENT_ERROR_ISSUED_IN_FUTURE,
  SP_DOCUMENT_ERROR_EXPIRED,
  SP_DOCUMENT_ERROR_DATES,         /* missing or expiry before issue */
} SpDocumentError;
GQuark sp_document_error_quark (void);

const char     *sp_document_type_to_string   (SpDocumentType type);
gboolean        sp_document_type_from_string (const char     *text,
                                              SpDocumentType *type);
/* Translated, for the operator ("Carta d'identità elettronica"). */
const char     *sp_document_type_label       (SpDocumentType type);
/* Front and back scans needed (TRUE) or a single page (passport). */
gboolean        sp_document_type_has_back    (SpDocumentType type);

SpDocument *sp_document_new   (void);
SpDocument *sp_document_copy  (const SpDocument *document);
void        sp_document_free  (SpDocument       *document);
/* Upper case, spaces and hyphens dropped: the form numbers are compared in. */
char       *sp_document_normalize_number (const char *number);
/* Checks number format, issuer and dates against today (local date);
 * the first problem found, with a message for the operator. */
gboolean    sp_document_validate (const SpDocument *document,
                                  const GDate      *today,
                                  GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpDocument, sp_document_free)

G_END_DECLS
