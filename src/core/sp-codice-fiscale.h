/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Codice fiscale checks: structure, check character, omocodia, decoding,
 * and agreement with the person's data (DESIGN §2). The error codes' string
 * forms (sp_cf_error_code_to_string) are the API's and sportello-tool's:
 * length, characters, month, day, check_character, birth_place_unknown,
 * birth_place_not_valid_on_birth_date. */

#define SP_CF_ERROR (sp_cf_error_quark ())
typedef enum {
  SP_CF_ERROR_LENGTH,
  SP_CF_ERROR_CHARACTERS,
  SP_CF_ERROR_MONTH,
  SP_CF_ERROR_DAY,
  SP_CF_ERROR_CHECK_CHARACTER,
  SP_CF_ERROR_BIRTH_PLACE_UNKNOWN,
  SP_CF_ERROR_BIRTH_PLACE_NOT_VALID_ON_BIRTH_DATE,
} SpCfError;
GQuark      sp_cf_error_quark          (void);
const char *sp_cf_error_code_to_string (SpCfError code);

/* The data a code is checked against; any field may be NULL/invalid to skip it. */
typedef struct {
  const char *surname;
  const char *name;
  char sex;                  /* 'M', 'F' or 0 */
  const GDate *birth_date;   /* NULL to skip */
  const char *birth_place;   /* Belfiore code */
} SpCfPersonData;

typedef struct {
  char *field;               /* surname, name, sex, birth_date, birth_place */
  char *expected;            /* what the given data implies */
  char *found;               /* what the code says */
} SpCfMismatch;

typedef struct {
  SpCfError code;
  char *message;             /* translated, for the operator */
} SpCfProblem;

typedef struct {
  char *normalized;          /* trimmed, upper case, omocodic letters kept */
  gboolean valid;            /* no errors (mismatches do not affect it) */
  gboolean provisional;      /* 11-digit codice numerico provvisorio */
  guint omocodia_level;      /* 0–7 */
  GDate birth_date;          /* invalid if not decoded */
  char sex;                  /* 'M', 'F', or 0 */
  char *birth_place;         /* Belfiore code, or NULL */
  GPtrArray *errors;         /* of SpCfProblem */
  GPtrArray *mismatches;     /* of SpCfMismatch */
} SpCfResult;

/* Full analysis. person may be NULL. The century of the birth year is the
 * latest that is not in the future, unless person->birth_date is given. */
SpCfResult *sp_cf_check        (const char           *input,
                                const SpCfPersonData *person);
void        sp_cf_result_free  (SpCfResult           *result);
/* Quick gate for servers and stores: the normalized code or the first error. */
gboolean    sp_cf_validate     (const char *input,
                                char      **normalized,
                                GError    **error);
/* Surname and name triplets ("RSS", "MRA") as the code computes them. */
char       *sp_cf_surname_code (const char *surname);
char       *sp_cf_name_code    (const char *name);
/* Builds a valid code from the data (demo registry, tests). */
char       *sp_cf_compute      (const char  *surname,
                                const char  *name,
                                char         sex,
                                const GDate *birth_date,
                                const char  *birth_place);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCfResult, sp_cf_result_free)

G_END_DECLS
