/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-core"

#include "config.h"

#include <string.h>
#include <sodium.h>

#include "sp-pin.h"
#include "sp-secret.h"

/* The whole struct lives in memory from sodium_malloc: guard pages around
 * it, mlock()ed so it is never swapped, read-only once filled, and zeroed
 * by sodium_free (). 31 symbols ** 16 = 2^79.3, above the 75 bits asked. */
struct _SpPin
{
  char chars[SP_PIN_LENGTH + 1];
};

G_STATIC_ASSERT (sizeof SP_PIN_ALPHABET - 1 == 31);

static SpPin *
pin_alloc (void)
{
  SpPin *pin;

  if (!sp_secret_init ())
    g_error ("libsodium could not be initialised");
  pin = sodium_malloc (sizeof *pin);
  if (pin == NULL)
    g_error ("cannot allocate locked memory for a PIN");
  sodium_memzero (pin, sizeof *pin);
  return pin;
}

SpPin *
sp_pin_generate (void)
{
  SpPin *pin = pin_alloc ();
  const guint n = sizeof SP_PIN_ALPHABET - 1;

  /* randombytes_uniform is unbiased for any upper bound. */
  for (guint i = 0; i < SP_PIN_LENGTH; i++)
    pin->chars[i] = SP_PIN_ALPHABET[randombytes_uniform (n)];
  sodium_mprotect_readonly (pin);
  return pin;
}

SpPin *
sp_pin_new_from_string (const char *text)
{
  SpPin *pin;
  guint n = 0;

  g_return_val_if_fail (text != NULL, NULL);

  pin = pin_alloc ();
  for (const char *p = text; *p != '\0'; p++)
    {
      char c = g_ascii_toupper (*p);

      if (c == ' ' || c == '-')
        continue;
      if (n == SP_PIN_LENGTH || strchr (SP_PIN_ALPHABET, c) == NULL)
        {
          sodium_free (pin);
          return NULL;
        }
      pin->chars[n++] = c;
    }
  if (n != SP_PIN_LENGTH)
    {
      sodium_free (pin);
      return NULL;
    }
  sodium_mprotect_readonly (pin);
  return pin;
}

void
sp_pin_free (SpPin *pin)
{
  if (pin == NULL)
    return;
  sodium_mprotect_readwrite (pin);
  sodium_free (pin);   /* zeroes before unmapping */
}

const char *
sp_pin_peek (const SpPin *pin)
{
  g_return_val_if_fail (pin != NULL, NULL);
  return pin->chars;
}

void
sp_pin_format_half (const SpPin *pin,
                    guint        half,
                    char         out[10])
{
  const char *src;

  g_return_if_fail (pin != NULL);
  g_return_if_fail (half < 2);

  src = pin->chars + half * SP_PIN_HALF_LENGTH;
  memcpy (out, src, 4);
  out[4] = ' ';
  memcpy (out + 5, src + 4, 4);
  out[9] = '\0';
}

char *
sp_pin_make_verifier (const SpPin *pin,
                      GError     **error)
{
  g_return_val_if_fail (pin != NULL, NULL);
  return sp_secret_hash (pin->chars, SP_PIN_LENGTH, error);
}

gboolean
sp_pin_check_verifier (const char *verifier,
                       const char *candidate)
{
  g_autoptr(SpPin) pin = NULL;

  g_return_val_if_fail (candidate != NULL, FALSE);

  /* Normalise into locked memory first, so "abcd efgh…" typed by a
   * citizen verifies like the printed form. */
  pin = sp_pin_new_from_string (candidate);
  if (pin == NULL)
    return FALSE;
  return sp_secret_verify (verifier, pin->chars, SP_PIN_LENGTH);
}
