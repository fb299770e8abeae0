/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "sp-personal-pin.h"

#define CF "DLCMRA80A01H501U"

static void
test_rules (void)
{
  /* Letters and digits, eight of them, in any case. */
  g_assert_cmpint (sp_personal_pin_check ("Ab3dE5g7", CF, "Mario", "De Luca"), ==, SP_PERSONAL_PIN_OK);
  g_assert_cmpint (sp_personal_pin_check ("ab3de5g", CF, "Mario", "De Luca"), ==, SP_PERSONAL_PIN_FORMAT);
  g_assert_cmpint (sp_personal_pin_check ("ab3de5g78", CF, "Mario", "De Luca"), ==, SP_PERSONAL_PIN_FORMAT);
  g_assert_cmpint (sp_personal_pin_check ("ab3d e5g", CF, "Mario", "De Luca"), ==, SP_PERSONAL_PIN_FORMAT);
  g_assert_cmpint (sp_personal_pin_check ("ab3dè5g7", CF, "Mario", "De Luca"), ==, SP_PERSONAL_PIN_FORMAT);
  g_assert_cmpint (sp_personal_pin_check ("ab3d_5g7", CF, "Mario", "De Luca"), ==, SP_PERSONAL_PIN_FORMAT);
  /* Eight consecutive characters of the codice fiscale, in any case. */
  g_assert_cmpint (sp_personal_pin_check ("DLCMRA80", CF, "Mario", "De Luca"), ==, SP_PERSONAL_PIN_CF);
  g_assert_cmpint (sp_personal_pin_check ("80a01h50", CF, "Mario", "De Luca"), ==, SP_PERSONAL_PIN_CF);
  g_assert_cmpint (sp_personal_pin_check ("A01H501U", CF, "Mario", "De Luca"), ==, SP_PERSONAL_PIN_CF);
  /* Not consecutive: allowed. */
  g_assert_cmpint (sp_personal_pin_check ("DLCMRA81", CF, "Mario", "De Luca"), ==, SP_PERSONAL_PIN_OK);
  /* The name or the surname, whole or by a part of 3 letters or more. */
  g_assert_cmpint (sp_personal_pin_check ("xmario12", CF, "Mario", "De Luca"), ==, SP_PERSONAL_PIN_NAME);
  g_assert_cmpint (sp_personal_pin_check ("12DeLuca", CF, "Mario", "De Luca"), ==, SP_PERSONAL_PIN_NAME);
  g_assert_cmpint (sp_personal_pin_check ("luca2020", CF, "Mario", "De Luca"), ==, SP_PERSONAL_PIN_NAME);
  g_assert_cmpint (sp_personal_pin_check ("niccolo7", CF, "Niccolò", "D'Angelo"), ==, SP_PERSONAL_PIN_NAME);
  g_assert_cmpint (sp_personal_pin_check ("dangelo7", CF, "Niccolò", "D'Angelo"), ==, SP_PERSONAL_PIN_NAME);
  /* A two-letter surname part alone does not forbid every PIN with "DE". */
  g_assert_cmpint (sp_personal_pin_check ("de7x9k2m", CF, "Mario", "De Luca"), ==, SP_PERSONAL_PIN_OK);
}

static void
test_short_pin (void)
{
  g_autoptr(SpShortPin) a = sp_short_pin_new_from_string ("abcd efgh");
  g_autoptr(SpShortPin) b = sp_short_pin_new_from_string ("AB3D-E5G7");

  g_assert_nonnull (a);
  g_assert_cmpstr (sp_short_pin_peek (a), ==, "ABCDEFGH");
  g_assert_nonnull (b);
  g_assert_cmpstr (sp_short_pin_peek (b), ==, "AB3DE5G7");
  g_assert_null (sp_short_pin_new_from_string ("abcdefg"));
  g_assert_null (sp_short_pin_new_from_string ("abcdefghj"));
  g_assert_null (sp_short_pin_new_from_string ("abcdefg!"));
  g_assert_null (sp_short_pin_new_from_string (""));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/personal-pin/rules", test_rules);
  g_test_add_func ("/personal-pin/short-pin", test_short_pin);
  return g_test_run ();
}
