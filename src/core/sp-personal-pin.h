/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The personal PIN of first access (INPS msg. 3695/2013): at first use
 * the 16-character initial PIN is replaced by 8 characters the citizen
 * chooses, letters and digits, case-insensitive. Like SpPin, the
 * characters live in locked memory (sodium_malloc) and are wiped on
 * free. The same holder carries a PIN's first half typed alone (the
 * simplified mode of msg. 1381/2020 §2), which is also 8 characters. */
#define SP_PERSONAL_PIN_LENGTH 8

typedef struct _SpShortPin SpShortPin;

typedef enum {
  SP_PERSONAL_PIN_OK,
  SP_PERSONAL_PIN_FORMAT,      /* not 8 letters or digits */
  SP_PERSONAL_PIN_CF,          /* 8 consecutive characters of the codice fiscale */
  SP_PERSONAL_PIN_NAME,        /* contains the name or the surname */
} SpPersonalPinVerdict;

/* Upper case, spaces and hyphens dropped (how a citizen types "abcd efgh");
 * NULL unless 8 letters or digits remain. */
SpShortPin          *sp_short_pin_new_from_string (const char *text);
void                 sp_short_pin_free            (SpShortPin *pin);
/* The 8 characters, NUL-terminated, valid until sp_short_pin_free (). */
const char          *sp_short_pin_peek            (const SpShortPin *pin);

/* The rules of a new personal PIN, checked on the text as sent (no
 * spaces allowed in a new one): cf is the citizen's codice fiscale,
 * name and surname as registered (accents, spaces and apostrophes are
 * ignored in the comparison; each part of 3 letters or more counts, as
 * does the whole, so "De Luca" refuses "DELUCA" and "LUCA"). */
SpPersonalPinVerdict sp_personal_pin_check        (const char *text,
                                                   const char *cf,
                                                   const char *name,
                                                   const char *surname);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpShortPin, sp_short_pin_free)

G_END_DECLS
