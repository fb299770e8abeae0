/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-core"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "sp-personal-pin.h"
#include "sp-secret.h"
#include "sp-text.h"

struct _SpShortPin {
  char chars[SP_PERSONAL_PIN_LENGTH + 1];
};

SpShortPin *
sp_short_pin_new_from_string (const char *text)
{
  SpShortPin *pin;
  guint n = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (!sp_secret_init ())
    g_error ("libsodium could not be initialised");
  pin = sodium_malloc (sizeof *pin);
  g_assert (pin != NULL);
  memset (pin, 0, sizeof *pin);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '-')
        continue;
      if (n == SP_PERSONAL_PIN_LENGTH || !g_ascii_isalnum (*p))
        {
          sodium_free (pin);
          return NULL;
        }
      pin->chars[n++] = g_ascii_toupper (*p);
    }
  if (n != SP_PERSONAL_PIN_LENGTH)
    {
      sodium_free (pin);
      return NULL;
    }
  sodium_mprotect_readonly (pin);
  return pin;
}

void
sp_short_pin_free (SpShortPin *pin)
{
  if (pin == NULL)
    return;
  sodium_mprotect_readwrite (pin);
  sodium_free (pin);
}

const char *
sp_short_pin_peek (const SpShortPin *pin)
{
  g_return_val_if_fail (pin != NULL, NULL);
  return pin->chars;
}

/* The upper-case letters of a folded name ("d angelo" → "DANGELO"). */
static void
letters_only (const char *folded,
              GString    *out)
{
  for (const char *p = folded; *p != '\0'; p++)
    if (g_ascii_isalpha (*p))
      g_string_append_c (out, g_ascii_toupper (*p));
}

/* Does pin (upper case) contain the name, whole or by a part of 3 letters
 * or more? Shorter parts ("Re", "Li") would forbid too much to help. */
static gboolean
contains_name (const char *pin,
               const char *name)
{
  g_autofree char *folded = name ? sp_text_fold (name) : NULL;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GString) whole = g_string_new (NULL);

  if (folded == NULL)
    return FALSE;
  letters_only (folded, whole);
  if (whole->len >= 3 && strstr (pin, whole->str) != NULL)
    return TRUE;
  parts = g_strsplit (folded, " ", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autoptr(GString) part = g_string_new (NULL);

      letters_only (parts[i], part);
      if (part->len >= 3 && strstr (pin, part->str) != NULL)
        return TRUE;
    }
  return FALSE;
}

SpPersonalPinVerdict
sp_personal_pin_check (const char *text,
                       const char *cf,
                       const char *name,
                       const char *surname)
{
  char pin[SP_PERSONAL_PIN_LENGTH + 1];
  g_autofree char *code = cf ? g_ascii_strup (cf, -1) : NULL;
  SpPersonalPinVerdict verdict = SP_PERSONAL_PIN_OK;
  gsize n = text ? strlen (text) : 0;

  if (n != SP_PERSONAL_PIN_LENGTH)
    return SP_PERSONAL_PIN_FORMAT;
  for (gsize i = 0; i < n; i++)
    {
      if (!g_ascii_isalnum (text[i]))
        {
          sodium_memzero (pin, sizeof pin);
          return SP_PERSONAL_PIN_FORMAT;
        }
      pin[i] = g_ascii_toupper (text[i]);
    }
  pin[n] = '\0';
  /* Case-insensitive: the comparisons are on upper case. */
  if (code != NULL && strstr (code, pin) != NULL)
    verdict = SP_PERSONAL_PIN_CF;
  else if (contains_name (pin, name) || contains_name (pin, surname))
    verdict = SP_PERSONAL_PIN_NAME;
  sodium_memzero (pin, sizeof pin);
  return verdict;
}
