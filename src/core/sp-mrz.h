/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "sp-codice-fiscale.h"
#include "sp-document.h"
#include "sp-issuance.h"

G_BEGIN_DECLS

/* Machine readable zones of ICAO Doc 9303: TD1 (3 × 30, the CIE 3.0 and
 * other ID cards), TD2 (2 × 36) and TD3 (2 × 44, passports). Lower case
 * and surrounding spaces are tolerated; lengths are not. */

typedef enum {
  SP_MRZ_TD1,
  SP_MRZ_TD2,
  SP_MRZ_TD3,
} SpMrzFormat;

#define SP_MRZ_ERROR (sp_mrz_error_quark ())
typedef enum {
  SP_MRZ_ERROR_LINES,       /* not 2 × 36, 2 × 44 or 3 × 30 */
  SP_MRZ_ERROR_CHARACTERS,  /* something other than A–Z, 0–9 and < */
} SpMrzError;
GQuark sp_mrz_error_quark (void);

typedef struct {
  SpMrzFormat format;
  char *document_code;       /* "ID", "P", "C" … (fillers dropped) */
  char *issuing_state;       /* "ITA" */
  char *document_number;     /* fillers dropped, long TD1 numbers joined */
  char *nationality;
  char *surname;             /* "DE LUCA" for DE<LUCA */
  char *given_names;
  char *optional_data;       /* fillers dropped; TD1's two fields joined by a space */
  char *birth_date_raw;      /* YYMMDD as printed */
  char *expiry_date_raw;
  GDate birth_date;          /* invalid when the digits are not a date */
  GDate expiry_date;
  char sex;                  /* 'M', 'F' or 'X' (unspecified) */
  gboolean check_document_number;
  gboolean check_birth_date;
  gboolean check_expiry_date;
  gboolean has_personal_number;  /* TD3 only */
  gboolean check_personal_number;
  gboolean check_composite;
  gboolean valid;            /* every check digit of the format passes */
} SpMrz;

const char *sp_mrz_format_to_string (SpMrzFormat format);
/* ICAO 9303 check digit of text: weights 7 3 1, < counts 0. */
int         sp_mrz_check_digit      (const char *text,
                                     gssize      length);
/* text: the lines separated by newlines. NULL and an error when the lines
 * cannot be read as a zone at all; check digits are reported, not fatal. */
SpMrz      *sp_mrz_parse            (const char *text,
                                     GError    **error);
void        sp_mrz_free             (SpMrz      *mrz);
/* Disagreements between the zone and what the operator typed (either
 * argument may be NULL): fields document_number, expiry_date,
 * birth_date, surname, name, sex; GPtrArray of SpCfMismatch. */
GPtrArray  *sp_mrz_cross_check      (const SpMrz      *mrz,
                                     const SpDocument *document,
                                     const SpPerson   *person);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpMrz, sp_mrz_free)

G_END_DECLS
