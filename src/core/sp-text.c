/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-core"

#include "config.h"

#include "sp-text.h"

char *
sp_text_fold (const char *text)
{
  /* g_utf8_normalize needs valid UTF-8: whatever was typed or received is made so first. */
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  g_autofree char *nfd = g_utf8_normalize (valid, -1, G_NORMALIZE_NFD);
  GString *out = g_string_new (NULL);

  for (const char *p = nfd; p && *p; p++)
    {
      guchar c = (guchar) *p;

      if (c >= 0x80)
        continue;   /* combining marks and anything not ASCII */
      c = g_ascii_tolower (c);
      if (g_ascii_isalnum (c))
        g_string_append_c (out, c);
      else if (out->len > 0 && out->str[out->len - 1] != ' ')
        g_string_append_c (out, ' ');
    }
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}
