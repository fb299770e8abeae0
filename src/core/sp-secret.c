/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-core"

#include "config.h"

#include <string.h>
#include <sodium.h>

#include "sp-secret.h"

/* Argon2id cost: t=3 passes over 64 MiB, RFC 9106's second recommended
 * option scaled down to what a counter workstation and central's thread
 * pool can afford: about 0.12 s on one core of the 2-core machines we
 * measure on (t=2/64 MiB: 85 ms; t=3/32 MiB: 40 ms; t=4/64 MiB: 130 ms).
 * A PIN has >= 75 bits of entropy, so the cost slows an offline attack on
 * a stolen table of verifiers rather than making a weak secret strong;
 * operator passwords, which are weaker, get the same cost. Much more would
 * turn central's /v1/auth/pin into a denial-of-service lever. */
#define SP_SECRET_OPSLIMIT 3
#define SP_SECRET_MEMLIMIT (64u * 1024u * 1024u)
/* Verifiers we accept from elsewhere: never costlier than this, so a
 * crafted verifier cannot make us allocate gigabytes. */
#define SP_SECRET_MAX_MEMLIMIT_KIB (256u * 1024u)
#define SP_SECRET_MAX_OPSLIMIT 10

G_DEFINE_QUARK (sp-secret-error-quark, sp_secret_error)

gboolean
sp_secret_init (void)
{
  static gsize once = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&once))
    {
      ok = sodium_init () >= 0;
      g_once_init_leave (&once, 1);
    }
  return ok;
}

char *
sp_secret_hash (const char *secret,
                gsize       length,
                GError    **error)
{
  char out[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (secret != NULL, NULL);

  if (!sp_secret_init ())
    {
      g_set_error_literal (error, SP_SECRET_ERROR, SP_SECRET_ERROR_INIT,
                           "libsodium could not be initialised");
      return NULL;
    }
  if (crypto_pwhash_str_alg (out, secret, length, SP_SECRET_OPSLIMIT,
                             SP_SECRET_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error_literal (error, SP_SECRET_ERROR, SP_SECRET_ERROR_NO_MEMORY,
                           "not enough memory to compute the Argon2id verifier");
      return NULL;
    }
  return g_strdup (out);
}

/* Parses "$argon2id$v=19$m=M,t=T,p=P$salt$hash" strictly enough to bound
 * the cost before libsodium allocates anything. */
static gboolean
parse_parameters (const char *verifier,
                  guint64    *m,
                  guint64    *t,
                  guint64    *p)
{
  g_auto(GStrv) parts = NULL;
  g_auto(GStrv) params = NULL;

  if (!g_str_has_prefix (verifier, "$argon2id$v=19$"))
    return FALSE;
  parts = g_strsplit (verifier, "$", -1);
  /* "", "argon2id", "v=19", "m=…,t=…,p=…", salt, hash */
  if (g_strv_length (parts) != 6 || *parts[4] == '\0' || *parts[5] == '\0')
    return FALSE;
  params = g_strsplit (parts[3], ",", -1);
  if (g_strv_length (params) != 3
      || !g_str_has_prefix (params[0], "m=")
      || !g_str_has_prefix (params[1], "t=")
      || !g_str_has_prefix (params[2], "p="))
    return FALSE;
  return g_ascii_string_to_unsigned (params[0] + 2, 10, 8, SP_SECRET_MAX_MEMLIMIT_KIB, m, NULL)
      && g_ascii_string_to_unsigned (params[1] + 2, 10, 1, SP_SECRET_MAX_OPSLIMIT, t, NULL)
      && g_ascii_string_to_unsigned (params[2] + 2, 10, 1, 16, p, NULL);
}

gboolean
sp_secret_verifier_is_valid (const char *verifier)
{
  guint64 m, t, p;

  if (verifier == NULL || strlen (verifier) >= crypto_pwhash_STRBYTES)
    return FALSE;
  return parse_parameters (verifier, &m, &t, &p);
}

gboolean
sp_secret_verify (const char *verifier,
                  const char *secret,
                  gsize       length)
{
  g_return_val_if_fail (secret != NULL, FALSE);

  if (!sp_secret_init () || !sp_secret_verifier_is_valid (verifier))
    return FALSE;
  /* crypto_pwhash_str_verify compares in constant time. */
  return crypto_pwhash_str_verify (verifier, secret, length) == 0;
}

char *
sp_sha256_hex (gconstpointer data,
               gsize         length)
{
  guchar digest[crypto_hash_sha256_BYTES];
  char hex[crypto_hash_sha256_BYTES * 2 + 1];

  sp_secret_init ();
  crypto_hash_sha256 (digest, data, length);
  sodium_bin2hex (hex, sizeof hex, digest, sizeof digest);
  return g_strdup (hex);
}

char *
sp_uuid_new (void)
{
  guchar b[16];

  sp_secret_init ();
  randombytes_buf (b, sizeof b);
  b[6] = (b[6] & 0x0f) | 0x40;   /* version 4 */
  b[8] = (b[8] & 0x3f) | 0x80;   /* RFC 4122 variant */
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

gboolean
sp_uuid_is_valid (const char *text)
{
  /* Any RFC 4122 UUID in canonical lowercase or uppercase form: central
   * takes whatever the workstation generated, not only version 4. */
  if (text == NULL || strlen (text) != 36)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (text[i]))
        return FALSE;
    }
  return TRUE;
}
