/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sp-document.h"

static GDate today;

static SpDocument *
make (SpDocumentType type,
      const char    *number,
      guint          issued_year,
      guint          expiry_year)
{
  SpDocument *d = sp_document_new ();

  d->type = type;
  d->number = g_strdup (number);
  d->issuer = g_strdup ("Comune di Roma");
  g_date_set_dmy (&d->issued_on, 10, 3, issued_year);
  g_date_set_dmy (&d->expires_on, 10, 3, expiry_year);
  return d;
}

static void
assert_error (SpDocument *d,
              int         code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (sp_document_validate (d, &today, &error));
  g_assert_error (error, SP_DOCUMENT_ERROR, code);
  g_assert_nonnull (error->message);
}

static void
test_valid (void)
{
  g_autoptr(SpDocument) cie = make (SP_DOCUMENT_CIE, "ca 12345 ab", 2020, 2030);
  g_autoptr(SpDocument) pass = make (SP_DOCUMENT_PASSAPORTO, "YA1234567", 2020, 2030);
  g_autoptr(GError) error = NULL;

  g_assert_true (sp_document_validate (cie, &today, &error));
  g_assert_no_error (error);
  g_assert_true (sp_document_validate (pass, &today, NULL));
}

static void
test_number_formats (void)
{
  g_autoptr(SpDocument) cie = make (SP_DOCUMENT_CIE, "CA1234AB", 2020, 2030);
  g_autoptr(SpDocument) paper = make (SP_DOCUMENT_CARTA_IDENTITA, "A1234567", 2020, 2030);
  g_autoptr(SpDocument) other = make (SP_DOCUMENT_PORTO_ARMI, "12", 2020, 2030);

  assert_error (cie, SP_DOCUMENT_ERROR_NUMBER);
  assert_error (paper, SP_DOCUMENT_ERROR_NUMBER);
  assert_error (other, SP_DOCUMENT_ERROR_NUMBER);
}

static void
test_dates (void)
{
  g_autoptr(SpDocument) expired = make (SP_DOCUMENT_CIE, "CA12345AB", 2010, 2020);
  g_autoptr(SpDocument) future = make (SP_DOCUMENT_CIE, "CA12345AB", 2027, 2037);
  g_autoptr(SpDocument) backwards = make (SP_DOCUMENT_CIE, "CA12345AB", 2024, 2023);
  g_autoptr(SpDocument) last_day = make (SP_DOCUMENT_CIE, "CA12345AB", 2016, 2026);

  assert_error (expired, SP_DOCUMENT_ERROR_EXPIRED);
  assert_error (future, SP_DOCUMENT_ERROR_ISSUED_IN_FUTURE);
  assert_error (backwards, SP_DOCUMENT_ERROR_DATES);
  /* Valid through the expiry day itself, not the day after. */
  g_date_set_dmy (&last_day->expires_on, 22, 11, 2026);
  g_assert_true (sp_document_validate (last_day, &today, NULL));
  g_date_set_dmy (&last_day->expires_on, 21, 11, 2026);
  assert_error (last_day, SP_DOCUMENT_ERROR_EXPIRED);
}

static void
test_issuer_and_strings (void)
{
  g_autoptr(SpDocument) d = make (SP_DOCUMENT_PATENTE, "U11234567A", 2020, 2030);
  SpDocumentType t;

  g_free (d->issuer);
  d->issuer = g_strdup ("   ");
  assert_error (d, SP_DOCUMENT_ERROR_ISSUER);
  for (guint i = 0; i < SP_DOCUMENT_N_TYPES; i++)
    {
      g_assert_true (sp_document_type_from_string (sp_document_type_to_string (i), &t));
      g_assert_cmpuint (t, ==, i);
    }
  g_assert_false (sp_document_type_from_string ("tessera_sanitaria", &t));
  g_assert_false (sp_document_type_has_back (SP_DOCUMENT_PASSAPORTO));
  g_assert_true (sp_document_type_has_back (SP_DOCUMENT_CIE));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 22, 11, 2026);
  g_test_add_func ("/document/valid", test_valid);
  g_test_add_func ("/document/number-formats", test_number_formats);
  g_test_add_func ("/document/dates", test_dates);
  g_test_add_func ("/document/issuer-and-strings", test_issuer_and_strings);
  return g_test_run ();
}
