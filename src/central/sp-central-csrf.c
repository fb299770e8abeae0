/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "sp-central-csrf.h"
#include "sp-central-sealer.h"

#define COOKIE_BYTES 32
#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

char *
sp_central_csrf_new_cookie (void)
{
  guint8 raw[COOKIE_BYTES];
  char *text = g_malloc (sodium_base64_ENCODED_LEN (COOKIE_BYTES, B64));

  randombytes_buf (raw, sizeof raw);
  sodium_bin2base64 (text, sodium_base64_ENCODED_LEN (COOKIE_BYTES, B64), raw, sizeof raw, B64);
  return text;
}

gboolean
sp_central_csrf_cookie_ok (const char *value)
{
  guint8 raw[COOKIE_BYTES];
  size_t n = 0;

  return value != NULL && strlen (value) == sodium_base64_ENCODED_LEN (COOKIE_BYTES, B64) - 1
         && sodium_base642bin (raw, sizeof raw, value, strlen (value), NULL, &n, NULL, B64) == 0
         && n == COOKIE_BYTES;
}

/* HMAC-SHA256 of "cookie\0form\0time" as base64url. */
static char *
mac_of (const char *cookie,
        const char *form,
        gint64      made_s)
{
  guint8 key[SP_CENTRAL_SUBKEY];
  guint8 mac[crypto_auth_hmacsha256_BYTES];
  g_autoptr(GString) text = g_string_new (cookie);
  char *out = g_malloc (sodium_base64_ENCODED_LEN (sizeof mac, B64));

  g_string_append_c (text, '\0');
  g_string_append (text, form);
  g_string_append_c (text, '\0');
  g_string_append_printf (text, "%" G_GINT64_FORMAT, made_s);
  if (!sp_central_sealer_derive ("csrf", key))
    randombytes_buf (key, sizeof key);   /* no key: no token will ever check */
  crypto_auth_hmacsha256 (mac, (const guint8 *) text->str, text->len, key);
  sodium_memzero (key, sizeof key);
  sodium_bin2base64 (out, sodium_base64_ENCODED_LEN (sizeof mac, B64), mac, sizeof mac, B64);
  return out;
}

char *
sp_central_csrf_token (const char *cookie,
                       const char *form,
                       gint64      now_s)
{
  g_autofree char *mac = mac_of (cookie, form, now_s);

  return g_strdup_printf ("%" G_GINT64_FORMAT ".%s", now_s, mac);
}

gboolean
sp_central_csrf_check (const char *cookie,
                       const char *form,
                       const char *token,
                       gint64      now_s)
{
  return sp_central_csrf_verify (cookie, form, token, now_s) == SP_CENTRAL_CSRF_OK;
}

SpCentralCsrfVerdict
sp_central_csrf_verify (const char *cookie,
                        const char *form,
                        const char *token,
                        gint64      now_s)
{
  g_autofree char *mac = NULL;
  const char *dot;
  guint64 made;
  g_autofree char *made_text = NULL;

  if (!sp_central_csrf_cookie_ok (cookie) || token == NULL || (dot = strchr (token, '.')) == NULL
      || dot - token > 12)
    return SP_CENTRAL_CSRF_BAD;
  made_text = g_strndup (token, dot - token);
  if (!g_ascii_string_to_unsigned (made_text, 10, 0, G_MAXINT64, &made, NULL) || (gint64) made > now_s + 60)
    return SP_CENTRAL_CSRF_BAD;
  mac = mac_of (cookie, form, (gint64) made);
  if (strlen (mac) != strlen (dot + 1) || sodium_memcmp (mac, dot + 1, strlen (mac)) != 0)
    return SP_CENTRAL_CSRF_BAD;
  /* Ours, for this browser and form: only the time is wrong, so the page
   * can give the citizen the form back with what was typed. */
  return now_s - (gint64) made > SP_CENTRAL_CSRF_TTL_S ? SP_CENTRAL_CSRF_EXPIRED : SP_CENTRAL_CSRF_OK;
}
