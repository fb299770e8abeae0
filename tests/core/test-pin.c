/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "sp-pin.h"

static void
test_generate (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint counts[256] = { 0 };

  for (guint n = 0; n < 2000; n++)
    {
      g_autoptr(SpPin) pin = sp_pin_generate ();
      const char *s = sp_pin_peek (pin);

      g_assert_cmpuint (strlen (s), ==, SP_PIN_LENGTH);
      for (guint i = 0; i < SP_PIN_LENGTH; i++)
        {
          g_assert_nonnull (strchr (SP_PIN_ALPHABET, s[i]));
          counts[(guchar) s[i]]++;
        }
      g_assert_false (g_hash_table_contains (seen, s));
      g_hash_table_add (seen, g_strdup (s));
    }
  /* No ambiguous glyphs, and every symbol drawn: 32,000 draws over 31
   * symbols give ~1,032 each; below 800 would mean a broken draw. */
  for (const char *bad = "01OIL"; *bad; bad++)
    g_assert_cmpuint (counts[(guchar) *bad], ==, 0);
  for (const char *c = SP_PIN_ALPHABET; *c; c++)
    g_assert_cmpuint (counts[(guchar) *c], >, 800);
}

static void
test_halves (void)
{
  g_autoptr(SpPin) pin = sp_pin_new_from_string ("abcd efgh-JKMN PQRS");
  char half[10];

  g_assert_nonnull (pin);
  g_assert_cmpstr (sp_pin_peek (pin), ==, "ABCDEFGHJKMNPQRS");
  sp_pin_format_half (pin, 0, half);
  g_assert_cmpstr (half, ==, "ABCD EFGH");
  sp_pin_format_half (pin, 1, half);
  g_assert_cmpstr (half, ==, "JKMN PQRS");
}

static void
test_from_string_rejects (void)
{
  g_assert_null (sp_pin_new_from_string ("ABCDEFGHJKMNPQR"));     /* 15 */
  g_assert_null (sp_pin_new_from_string ("ABCDEFGHJKMNPQRST"));   /* 17 */
  g_assert_null (sp_pin_new_from_string ("ABCDEFGHJKMNPQR0"));    /* ambiguous 0 */
  g_assert_null (sp_pin_new_from_string ("ABCDEFGHJKMNPQRI"));
}

static void
test_verifier (void)
{
  g_autoptr(SpPin) pin = sp_pin_generate ();
  g_autofree char *verifier = sp_pin_make_verifier (pin, NULL);
  g_autofree char *lower = g_ascii_strdown (sp_pin_peek (pin), -1);
  char wrong[SP_PIN_LENGTH + 1];

  g_assert_nonnull (verifier);
  g_assert_null (strstr (verifier, sp_pin_peek (pin)));
  g_assert_true (sp_pin_check_verifier (verifier, sp_pin_peek (pin)));
  g_assert_true (sp_pin_check_verifier (verifier, lower));
  memcpy (wrong, sp_pin_peek (pin), sizeof wrong);
  wrong[5] = wrong[5] == 'A' ? 'B' : 'A';
  g_assert_false (sp_pin_check_verifier (verifier, wrong));
  g_assert_false (sp_pin_check_verifier (verifier, "short"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pin/generate", test_generate);
  g_test_add_func ("/pin/halves", test_halves);
  g_test_add_func ("/pin/from-string-rejects", test_from_string_rejects);
  g_test_add_func ("/pin/verifier", test_verifier);
  return g_test_run ();
}
