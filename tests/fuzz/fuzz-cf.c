/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The codice fiscale analysis takes whatever an operator or a barcode
 * reader types; it must never crash, leak or read out of bounds. */
#include <string.h>

#include "sp-codice-fiscale.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  SpCfResult *bare = sp_cf_check (text, NULL);
  GDate born;
  SpCfPersonData person = { text, text, 'F', &born, "H501" };
  g_autoptr(SpCfResult) with_data = NULL;
  g_autofree char *normalized = NULL;

  g_date_clear (&born, 1);
  g_date_set_dmy (&born, 29, 2, 2000);
  sp_cf_result_free (bare);
  with_data = sp_cf_check (text, &person);
  if (sp_cf_validate (text, &normalized, NULL))
    g_assert (strlen (normalized) == 16 || strlen (normalized) == 11);
  g_free (sp_cf_surname_code (text));
  g_free (sp_cf_name_code (text));
  return 0;
}
