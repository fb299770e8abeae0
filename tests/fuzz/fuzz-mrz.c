/* SPDX-License-Identifier: GPL-3.0-or-later */
/* MRZ text comes from an operator or from OCR of a scan: never trusted. */
#include "sp-mrz.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(SpMrz) mrz = sp_mrz_parse (text, NULL);

  if (mrz != NULL)
    {
      g_autoptr(SpDocument) doc = sp_document_new ();
      g_autoptr(SpPerson) person = sp_person_new ();
      g_autoptr(GPtrArray) mismatches = NULL;

      doc->number = g_strdup (text);
      person->surname = g_strdup (text);
      person->name = g_strdup (text);
      person->sex = 'M';
      mismatches = sp_mrz_cross_check (mrz, doc, person);
    }
  return 0;
}
