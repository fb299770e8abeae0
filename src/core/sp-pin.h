/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A PIN dispositivo: 16 characters from SP_PIN_ALPHABET (no 0/O, 1/I/L),
 * drawn with libsodium's CSPRNG. The characters live in mlocked memory from
 * sodium_malloc and are wiped by sp_pin_free (). Never log, store or copy
 * them into ordinary heap memory. */
#define SP_PIN_LENGTH 16
#define SP_PIN_HALF_LENGTH 8
#define SP_PIN_ALPHABET "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

typedef struct _SpPin SpPin;

SpPin      *sp_pin_generate          (void);
/* For callers that received a PIN (central's /v1/auth/pin, tests): copies
 * and normalises (upper case, spaces dropped) into locked memory; NULL if
 * it is not 16 characters of the alphabet. */
SpPin      *sp_pin_new_from_string   (const char *text);
void        sp_pin_free              (SpPin      *pin);
/* The 16 characters, NUL-terminated, valid until sp_pin_free (). */
const char *sp_pin_peek              (const SpPin *pin);
/* half is 0 (first 8, "ABCD EFGH") or 1 (other 8): writes 10 bytes
 * (8 characters, a space in the middle, NUL) into out, which the caller
 * wipes (sodium_memzero) when done. */
void        sp_pin_format_half       (const SpPin *pin,
                                      guint        half,
                                      char         out[10]);
/* Argon2id verifier in PHC string form, computed locally (see sp-secret.h). */
char       *sp_pin_make_verifier     (const SpPin *pin,
                                      GError     **error);
gboolean    sp_pin_check_verifier    (const char  *verifier,
                                      const char  *candidate);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpPin, sp_pin_free)

G_END_DECLS
