/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper: prints a fresh PIN and its Argon2id verifier, as the
 * workstation would compute them ("PIN VERIFIER" on one line). */
#include <stdio.h>

#include "sp-pin.h"

int
main (void)
{
  g_autoptr(SpPin) pin = sp_pin_generate ();
  g_autofree char *verifier = sp_pin_make_verifier (pin, NULL);

  if (verifier == NULL)
    return 1;
  printf ("%s %s\n", sp_pin_peek (pin), verifier);
  return 0;
}
