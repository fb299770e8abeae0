/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Central parses issuance bodies from the network with this code. */
#include "sp-issuance.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(SpIssuance) issuance = sp_issuance_from_string ((const char *) data, size, NULL);

  if (issuance != NULL)
    {
      /* Whatever parsed must serialise and parse back. */
      g_autofree char *json = sp_issuance_to_string (issuance);
      g_autoptr(SpIssuance) again = sp_issuance_from_string (json, -1, NULL);

      g_assert (again != NULL);
    }
  return 0;
}
