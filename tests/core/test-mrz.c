/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The specimens of ICAO Doc 9303 parts 4, 5 and 6. */
#include <string.h>

#include "sp-mrz.h"

#define TD3 "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" \
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10\n"
#define TD1 "I<UTOD231458907<<<<<<<<<<<<<<<\n" \
            "7408122F1204159UTO<<<<<<<<<<<6\n" \
            "ERIKSSON<<ANNA<MARIA<<<<<<<<<<\n"
#define TD2 "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n" \
            "D231458907UTO7408122F1204159<<<<<<<6\n"

static void
assert_date (const GDate *d,
             guint        y,
             guint        m,
             guint        day)
{
  g_assert_true (g_date_valid (d));
  g_assert_cmpuint (g_date_get_year (d), ==, y);
  g_assert_cmpuint (g_date_get_month (d), ==, m);
  g_assert_cmpuint (g_date_get_day (d), ==, day);
}

static void
test_td3 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpMrz) mrz = sp_mrz_parse (TD3, &error);

  g_assert_no_error (error);
  g_assert_cmpint (mrz->format, ==, SP_MRZ_TD3);
  g_assert_cmpstr (mrz->document_code, ==, "P");
  g_assert_cmpstr (mrz->issuing_state, ==, "UTO");
  g_assert_cmpstr (mrz->surname, ==, "ERIKSSON");
  g_assert_cmpstr (mrz->given_names, ==, "ANNA MARIA");
  g_assert_cmpstr (mrz->document_number, ==, "L898902C3");
  g_assert_cmpstr (mrz->nationality, ==, "UTO");
  assert_date (&mrz->birth_date, 1974, 8, 12);
  assert_date (&mrz->expiry_date, 2012, 4, 15);
  g_assert_cmpint (mrz->sex, ==, 'F');
  g_assert_cmpstr (mrz->optional_data, ==, "ZE184226B");
  g_assert_true (mrz->check_document_number && mrz->check_birth_date && mrz->check_expiry_date);
  g_assert_true (mrz->has_personal_number && mrz->check_personal_number);
  g_assert_true (mrz->check_composite);
  g_assert_true (mrz->valid);
}

static void
test_td1 (void)
{
  g_autoptr(SpMrz) mrz = sp_mrz_parse (TD1, NULL);

  g_assert_nonnull (mrz);
  g_assert_cmpint (mrz->format, ==, SP_MRZ_TD1);
  g_assert_cmpstr (mrz->document_code, ==, "I");
  g_assert_cmpstr (mrz->document_number, ==, "D23145890");
  g_assert_cmpstr (mrz->surname, ==, "ERIKSSON");
  g_assert_cmpstr (mrz->given_names, ==, "ANNA MARIA");
  assert_date (&mrz->birth_date, 1974, 8, 12);
  g_assert_true (mrz->valid);
}

static void
test_td2 (void)
{
  g_autoptr(SpMrz) mrz = sp_mrz_parse (TD2, NULL);

  g_assert_nonnull (mrz);
  g_assert_cmpint (mrz->format, ==, SP_MRZ_TD2);
  g_assert_cmpstr (mrz->document_number, ==, "D23145890");
  g_assert_true (mrz->check_composite);
  g_assert_true (mrz->valid);
}

static void
test_tolerant_and_strict (void)
{
  g_autofree char *lower = g_ascii_strdown ("  " TD3 "  \n", -1);
  g_autoptr(SpMrz) mrz = sp_mrz_parse (lower, NULL);
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autofree char *short_line = g_strdup (TD3);

  g_assert_nonnull (mrz);
  g_assert_true (mrz->valid);
  short_line[50] = '\n';   /* second line one character short */
  memmove (short_line + 50, short_line + 51, strlen (short_line + 51) + 1);
  g_assert_null (sp_mrz_parse (short_line, &e1));
  g_assert_error (e1, SP_MRZ_ERROR, SP_MRZ_ERROR_LINES);
  g_assert_null (sp_mrz_parse ("P<UTO?RIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                               "L898902C36UTO7408122F1204159ZE184226B<<<<<10\n", &e2));
  g_assert_error (e2, SP_MRZ_ERROR, SP_MRZ_ERROR_CHARACTERS);
}

static void
test_bad_check_digits (void)
{
  /* Birth date altered: its own digit and the composite fail. */
  g_autoptr(SpMrz) mrz = sp_mrz_parse ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                                       "L898902C36UTO7408132F1204159ZE184226B<<<<<10\n", NULL);

  g_assert_nonnull (mrz);
  g_assert_true (mrz->check_document_number);
  g_assert_false (mrz->check_birth_date);
  g_assert_false (mrz->check_composite);
  g_assert_false (mrz->valid);
  g_assert_cmpint (sp_mrz_check_digit ("L898902C3", -1), ==, 6);
}

static void
test_names_with_fillers (void)
{
  g_autoptr(SpMrz) mrz = sp_mrz_parse ("C<ITACA00000AA4<<<<<<<<<<<<<<<\n"
                                       "8001014M3101011ITA<<<<<<<<<<<0\n"
                                       "DE<LUCA<<GIAN<MARCO<<<<<<<<<<<\n", NULL);

  g_assert_nonnull (mrz);
  g_assert_cmpstr (mrz->surname, ==, "DE LUCA");
  g_assert_cmpstr (mrz->given_names, ==, "GIAN MARCO");
  g_assert_cmpstr (mrz->document_number, ==, "CA00000AA");
}

static void
test_cross_check (void)
{
  g_autoptr(SpMrz) mrz = sp_mrz_parse (TD3, NULL);
  g_autoptr(SpDocument) doc = sp_document_new ();
  g_autoptr(SpPerson) person = sp_person_new ();
  g_autoptr(GPtrArray) agree = NULL;
  g_autoptr(GPtrArray) differ = NULL;

  doc->number = g_strdup ("l898902c3");
  g_date_set_dmy (&doc->expires_on, 15, 4, 2012);
  person->surname = g_strdup ("Eriksson");
  person->name = g_strdup ("Anna Maria");
  person->sex = 'F';
  g_date_set_dmy (&person->birth_date, 12, 8, 1974);
  agree = sp_mrz_cross_check (mrz, doc, person);
  g_assert_cmpuint (agree->len, ==, 0);

  g_date_set_dmy (&person->birth_date, 13, 8, 1974);
  g_free (person->surname);
  person->surname = g_strdup ("Erikson");
  differ = sp_mrz_cross_check (mrz, doc, person);
  g_assert_cmpuint (differ->len, ==, 2);
  g_assert_cmpstr (((SpCfMismatch *) differ->pdata[0])->field, ==, "birth_date");
  g_assert_cmpstr (((SpCfMismatch *) differ->pdata[1])->field, ==, "surname");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mrz/td3", test_td3);
  g_test_add_func ("/mrz/td1", test_td1);
  g_test_add_func ("/mrz/td2", test_td2);
  g_test_add_func ("/mrz/tolerant-and-strict", test_tolerant_and_strict);
  g_test_add_func ("/mrz/bad-check-digits", test_bad_check_digits);
  g_test_add_func ("/mrz/names-with-fillers", test_names_with_fillers);
  g_test_add_func ("/mrz/cross-check", test_cross_check);
  return g_test_run ();
}
