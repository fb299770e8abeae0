/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scanner keeps its own stack of open containers (at most
 * SP_CENTRAL_JSON_MAX_DEPTH), so no input can make it recurse. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <string.h>

#include "sp-central-json.h"

G_DEFINE_QUARK (sp-central-json-error-quark, sp_central_json_error)

typedef struct {
  gboolean object;           /* else array */
  guint count;               /* members or items so far */
  GHashTable *keys;          /* objects: the decoded keys seen */
} Level;

typedef struct {
  const char *p;
  const char *start;
  const char *end;
  Level stack[SP_CENTRAL_JSON_MAX_DEPTH];
  guint depth;
  GError **error;
} Scanner;

static gboolean
fail (Scanner    *s,
      int         code,
      const char *what)
{
  g_set_error (s->error, SP_CENTRAL_JSON_ERROR, code, "%s at byte %" G_GSIZE_FORMAT, what,
               (gsize) (s->p - s->start));
  return FALSE;
}

static void
skip_space (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Four hex digits after "\u". */
static gboolean
read_hex4 (Scanner  *s,
           gunichar *out)
{
  gunichar v = 0;

  if (s->end - s->p < 4)
    return fail (s, SP_CENTRAL_JSON_ERROR_SYNTAX, "a short \\u escape");
  for (int i = 0; i < 4; i++)
    {
      int d = hex_digit (s->p[i]);

      if (d < 0)
        return fail (s, SP_CENTRAL_JSON_ERROR_SYNTAX, "a bad \\u escape");
      v = v * 16 + d;
    }
  s->p += 4;
  *out = v;
  return TRUE;
}

/* "\uXXXX", with a surrogate pair when it is one. */
static gboolean
read_unicode_escape (Scanner  *s,
                     gunichar *out)
{
  gunichar c, low;

  if (!read_hex4 (s, &c))
    return FALSE;
  if (c >= 0xDC00 && c <= 0xDFFF)
    return fail (s, SP_CENTRAL_JSON_ERROR_ENCODING, "a lone low surrogate");
  if (c >= 0xD800 && c <= 0xDBFF)
    {
      if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
        return fail (s, SP_CENTRAL_JSON_ERROR_ENCODING, "a lone high surrogate");
      s->p += 2;
      if (!read_hex4 (s, &low))
        return FALSE;
      if (low < 0xDC00 || low > 0xDFFF)
        return fail (s, SP_CENTRAL_JSON_ERROR_ENCODING, "a lone high surrogate");
      c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
    }
  if (c == 0)
    return fail (s, SP_CENTRAL_JSON_ERROR_ENCODING, "\\u0000 in a string");
  *out = c;
  return TRUE;
}

static gboolean
read_escape (Scanner *s,
             GString *out)
{
  static const char from[] = "\"\\/bfnrt";
  static const char to[] = "\"\\/\b\f\n\r\t";
  const char *hit;
  gunichar c;

  if (s->p >= s->end)
    return fail (s, SP_CENTRAL_JSON_ERROR_SYNTAX, "an unfinished escape");
  if (*s->p == 'u')
    {
      s->p++;
      if (!read_unicode_escape (s, &c))
        return FALSE;
      if (out)
        g_string_append_unichar (out, c);
      return TRUE;
    }
  if ((hit = memchr (from, *s->p, sizeof from - 1)) == NULL)
    return fail (s, SP_CENTRAL_JSON_ERROR_SYNTAX, "an unknown escape");
  s->p++;
  if (out)
    g_string_append_c (out, to[hit - from]);
  return TRUE;
}

/* A string starting at '"'; its decoded text into out when not NULL. */
static gboolean
read_string (Scanner *s,
             GString *out)
{
  gsize decoded = 0;

  s->p++;
  while (s->p < s->end && *s->p != '"')
    {
      guchar c = *s->p;
      gsize before = out ? out->len : 0;

      if (c < 0x20)
        return fail (s, SP_CENTRAL_JSON_ERROR_SYNTAX, "a control character in a string");
      if (c == '\\')
        {
          s->p++;
          if (!read_escape (s, out))
            return FALSE;
          decoded += out ? out->len - before : 1;
        }
      else if (c < 0x80)
        {
          if (out)
            g_string_append_c (out, c);
          s->p++;
          decoded++;
        }
      else
        {
          /* One whole sequence; g_utf8_validate refuses overlong forms,
           * surrogates and code points past U+10FFFF. */
          gsize n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;

          if (n == 1 || (gsize) (s->end - s->p) < n || !g_utf8_validate (s->p, n, NULL))
            return fail (s, SP_CENTRAL_JSON_ERROR_ENCODING, "bytes that are not UTF-8");
          if (out)
            g_string_append_len (out, s->p, n);
          decoded += n;
          s->p += n;
        }
      if (decoded > SP_CENTRAL_JSON_MAX_STRING)
        return fail (s, SP_CENTRAL_JSON_ERROR_LIMIT, "a string too long");
    }
  if (s->p >= s->end)
    return fail (s, SP_CENTRAL_JSON_ERROR_SYNTAX, "an unterminated string");
  s->p++;
  return TRUE;
}

static gboolean
read_digits (Scanner *s)
{
  const char *from = s->p;

  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  return s->p > from;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static gboolean
read_number (Scanner *s)
{
  if (s->p < s->end && *s->p == '-')
    s->p++;
  if (s->p < s->end && *s->p == '0')
    s->p++;
  else if (!read_digits (s))
    return fail (s, SP_CENTRAL_JSON_ERROR_SYNTAX, "a bad number");
  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      if (!read_digits (s))
        return fail (s, SP_CENTRAL_JSON_ERROR_SYNTAX, "a bad number");
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!read_digits (s))
        return fail (s, SP_CENTRAL_JSON_ERROR_SYNTAX, "a bad number");
    }
  if (s->p < s->end && (g_ascii_isalnum (*s->p) || *s->p == '.'))
    return fail (s, SP_CENTRAL_JSON_ERROR_SYNTAX, "a bad number");
  return TRUE;
}

static gboolean
read_literal (Scanner *s)
{
  static const char *const words[] = { "true", "false", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      gsize n = strlen (words[i]);

      if ((gsize) (s->end - s->p) >= n && memcmp (s->p, words[i], n) == 0)
        {
          s->p += n;
          return TRUE;
        }
    }
  return fail (s, SP_CENTRAL_JSON_ERROR_SYNTAX, "an unexpected character");
}

static gboolean
push (Scanner *s,
      gboolean object)
{
  Level *level;

  if (s->depth == SP_CENTRAL_JSON_MAX_DEPTH)
    return fail (s, SP_CENTRAL_JSON_ERROR_LIMIT, "nesting deeper than 32");
  level = &s->stack[s->depth++];
  level->object = object;
  level->count = 0;
  level->keys = object ? g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) : NULL;
  s->p++;
  return TRUE;
}

static void
pop (Scanner *s)
{
  Level *level = &s->stack[--s->depth];

  g_clear_pointer (&level->keys, g_hash_table_unref);
}

/* A key and its ':' in the innermost object. */
static gboolean
read_key (Scanner *s)
{
  Level *level = &s->stack[s->depth - 1];
  g_autoptr(GString) key = g_string_new (NULL);

  skip_space (s);
  if (s->p >= s->end || *s->p != '"')
    return fail (s, SP_CENTRAL_JSON_ERROR_SYNTAX, "a key that is not a string");
  if (!read_string (s, key))
    return FALSE;
  if (++level->count > SP_CENTRAL_JSON_MAX_MEMBERS)
    return fail (s, SP_CENTRAL_JSON_ERROR_LIMIT, "too many members in an object");
  if (!g_hash_table_add (level->keys, g_string_free (g_steal_pointer (&key), FALSE)))
    return fail (s, SP_CENTRAL_JSON_ERROR_DUPLICATE, "a duplicate key");
  skip_space (s);
  if (s->p >= s->end || *s->p != ':')
    return fail (s, SP_CENTRAL_JSON_ERROR_SYNTAX, "a missing ':'");
  s->p++;
  return TRUE;
}

/* One value; containers are opened here and closed in after_value. */
static gboolean
read_value (Scanner *s)
{
  skip_space (s);
  if (s->p >= s->end)
    return fail (s, SP_CENTRAL_JSON_ERROR_SYNTAX, "an unexpected end");
  switch (*s->p)
    {
    case '{':
      return push (s, TRUE);
    case '[':
      return push (s, FALSE);
    case '"':
      return read_string (s, NULL);
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return read_number (s);
    default:
      return read_literal (s);
    }
}

gboolean
sp_central_json_check (const char *data,
                       gsize       len,
                       GError    **error)
{
  Scanner s = { data, data, data + len, { { 0 } }, 0, error };
  gboolean ok = FALSE;

  skip_space (&s);
  if (s.p >= s.end || *s.p != '{')
    {
      fail (&s, SP_CENTRAL_JSON_ERROR_SYNTAX, "the body is not a JSON object");
      return FALSE;
    }
  if (!read_value (&s))
    goto out;
  /* Each turn: we are just inside a container, or just after a value. */
  for (gboolean fresh = TRUE; s.depth > 0; )
    {
      Level *level = &s.stack[s.depth - 1];
      char close = level->object ? '}' : ']';

      skip_space (&s);
      if (fresh && s.p < s.end && *s.p == close)
        {
          s.p++;
          pop (&s);
          fresh = FALSE;
          continue;
        }
      if (!fresh)
        {
          if (s.p < s.end && *s.p == close)
            {
              s.p++;
              pop (&s);
              continue;
            }
          if (s.p >= s.end || *s.p != ',')
            {
              fail (&s, SP_CENTRAL_JSON_ERROR_SYNTAX, "a missing ',' or close");
              goto out;
            }
          s.p++;
        }
      if (level->object ? !read_key (&s)
                        : ++level->count > SP_CENTRAL_JSON_MAX_ITEMS
                          && !fail (&s, SP_CENTRAL_JSON_ERROR_LIMIT, "too many items in an array"))
        goto out;
      {
        guint depth = s.depth;

        if (!read_value (&s))
          goto out;
        fresh = s.depth > depth;
      }
    }
  skip_space (&s);
  if (s.p != s.end)
    {
      fail (&s, SP_CENTRAL_JSON_ERROR_SYNTAX, "data after the document");
      goto out;
    }
  ok = TRUE;
out:
  while (s.depth > 0)
    pop (&s);
  return ok;
}
