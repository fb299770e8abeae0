/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "sp-central-form.h"

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Decodes s[0..len) ('+' is a space, %XX a byte) into a new string;
 * NULL on a bad escape or a decoded value past the limit. */
static char *
decode (const char *s,
        gsize       len)
{
  GString *out = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    {
      int hi, lo;

      if (s[i] == '\0')
        goto bad;
      if (s[i] == '+')
        g_string_append_c (out, ' ');
      else if (s[i] != '%')
        g_string_append_c (out, s[i]);
      /* %00 would cut the value short where C strings end: refused. */
      else if (i + 2 < len && (hi = hex_value (s[i + 1])) >= 0 && (lo = hex_value (s[i + 2])) >= 0
               && hi * 16 + lo != 0)
        {
          g_string_append_c (out, (char) (hi * 16 + lo));
          i += 2;
        }
      else
        goto bad;
      if (out->len > SP_CENTRAL_FORM_MAX_VALUE)
        goto bad;
    }
  return g_string_free (out, FALSE);
bad:
  g_string_free (out, TRUE);
  return NULL;
}

/* A decoded value a page may show again: UTF-8 without NUL nor
 * control characters other than tab, CR and LF. */
static gboolean
value_ok (const char *v)
{
  if (!g_utf8_validate (v, -1, NULL))
    return FALSE;
  for (const char *p = v; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || (c >= 0x7f && c < 0xa0))
        return FALSE;
    }
  return TRUE;
}

static gboolean
name_ok (const char *n)
{
  if (*n == '\0' || strlen (n) > 32)
    return FALSE;
  for (const char *p = n; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

static GHashTable *
fail (GHashTable  *fields,
      GError     **error,
      const char  *why)
{
  g_hash_table_unref (fields);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s", why);
  return NULL;
}

GHashTable *
sp_central_form_parse (const char *body,
                       gsize       len,
                       GError    **error)
{
  GHashTable *fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gsize start = 0;

  if (len == 0)
    return fields;
  while (start <= len)
    {
      const char *pair = body + start;
      const char *amp = memchr (pair, '&', len - start);
      gsize plen = amp ? (gsize) (amp - pair) : len - start;
      const char *eq = memchr (pair, '=', plen);
      char *name, *value;

      if (eq == NULL)
        return fail (fields, error, "a field without \"=\"");
      name = decode (pair, eq - pair);
      value = decode (eq + 1, plen - (eq - pair) - 1);
      if (name == NULL || value == NULL || !name_ok (name) || !value_ok (value))
        {
          g_free (name);
          g_free (value);
          return fail (fields, error, "a field name or value is not valid");
        }
      if (g_hash_table_contains (fields, name) || g_hash_table_size (fields) >= SP_CENTRAL_FORM_MAX_FIELDS)
        {
          g_free (name);
          g_free (value);
          return fail (fields, error, "a field twice, or too many fields");
        }
      g_hash_table_insert (fields, name, value);
      if (amp == NULL)
        break;
      start += plen + 1;
    }
  return fields;
}

char *
sp_central_cookie_value (const char *header,
                         const char *name)
{
  g_auto(GStrv) parts = NULL;
  gsize nlen = strlen (name);

  if (header == NULL)
    return NULL;
  parts = g_strsplit (header, ";", 64);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *p = parts[i];

      while (*p == ' ' || *p == '\t')
        p++;
      if (strncmp (p, name, nlen) == 0 && p[nlen] == '=')
        return g_strstrip (g_strdup (p + nlen + 1));
    }
  return NULL;
}
