/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Argon2id in PHC string form ($argon2id$v=19$m=…,t=…,p=…$salt$hash), used
 * for PIN verifiers and operator password verifiers. libsodium's
 * crypto_pwhash_str produces exactly that form. */

#define SP_SECRET_ERROR (sp_secret_error_quark ())
typedef enum {
  SP_SECRET_ERROR_NO_MEMORY,
  SP_SECRET_ERROR_INIT,
  SP_SECRET_ERROR_FORMAT,
} SpSecretError;
GQuark sp_secret_error_quark (void);

/* sodium_init () once; safe from any thread. FALSE only if libsodium
 * cannot initialise (no entropy source). */
gboolean  sp_secret_init          (void);
char     *sp_secret_hash          (const char *secret,
                                   gsize       length,
                                   GError    **error);
/* Constant-time comparison inside libsodium; FALSE for a malformed verifier. */
gboolean  sp_secret_verify        (const char *verifier,
                                   const char *secret,
                                   gsize       length);
/* TRUE for a well-formed Argon2id PHC string with parameters we accept. */
gboolean  sp_secret_verifier_is_valid (const char *verifier);
/* Lowercase hex SHA-256 of data, 64 characters. */
char     *sp_sha256_hex           (gconstpointer data,
                                   gsize         length);
/* A random RFC 4122 version-4 UUID, lowercase. */
char     *sp_uuid_new             (void);
gboolean  sp_uuid_is_valid        (const char *text);

G_END_DECLS
