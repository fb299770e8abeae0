/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The full codice fiscale analysis: omocodia, women's days, centuries,
 * comuni that no longer exist, foreign births, triplets, mismatches. */
#include <string.h>

#include "sp-belfiore.h"
#include "sp-codice-fiscale.h"

static gboolean
has_error (const SpCfResult *r,
           SpCfError         code)
{
  for (guint i = 0; i < r->errors->len; i++)
    if (((const SpCfProblem *) r->errors->pdata[i])->code == code)
      return TRUE;
  return FALSE;
}

/* Gives code15 the check character that makes it valid. */
static char *
with_check (const char *code15)
{
  for (char c = 'A'; c <= 'Z'; c++)
    {
      g_autofree char *code = g_strdup_printf ("%.15s%c", code15, c);
      g_autoptr(SpCfResult) r = sp_cf_check (code, NULL);

      if (!has_error (r, SP_CF_ERROR_CHECK_CHARACTER))
        return g_steal_pointer (&code);
    }
  g_assert_not_reached ();
}

static void
test_omocodia_levels (void)
{
  /* MRTMTT25D09F205Z with its digits replaced from the right. */
  const char *letters = "LMNPQRSTUV";
  const guint positions[] = { 14, 13, 12, 10, 9, 7, 6 };
  char code[17] = "MRTMTT25D09F205Z";

  for (guint level = 1; level <= 7; level++)
    {
      guint pos = positions[level - 1];
      g_autofree char *valid = NULL;
      g_autoptr(SpCfResult) r = NULL;

      code[pos] = letters[code[pos] - '0'];
      valid = with_check (code);
      r = sp_cf_check (valid, NULL);
      g_assert_true (r->valid);
      g_assert_cmpuint (r->omocodia_level, ==, level);
      /* Omocodic letters are kept as typed, and decode like the digits. */
      g_assert_cmpstr (r->normalized, ==, valid);
      /* Without a birth date given, "25" is the latest century not in
       * the future: 2025. */
      g_assert_cmpuint (g_date_get_year (&r->birth_date), ==, 2025);
      g_assert_cmpuint (g_date_get_day (&r->birth_date), ==, 9);
      g_assert_cmpstr (r->birth_place, ==, "F205");
    }
}

static void
test_omocodia_not_from_the_right (void)
{
  /* Position 13 replaced while 14 keeps its digit: not how the rule works. */
  g_autofree char *code = with_check ("MRTMTT25D09F2R5");
  g_autoptr(SpCfResult) r = sp_cf_check ("MRTMTT25D09F2R5A", NULL);

  (void) code;
  g_assert_false (r->valid);
  g_assert_true (has_error (r, SP_CF_ERROR_CHARACTERS));
}

static void
test_women_and_centuries (void)
{
  GDate born;
  g_autofree char *woman = NULL;
  g_autofree char *young = NULL;
  g_autoptr(SpCfResult) r1 = NULL;
  g_autoptr(SpCfResult) r2 = NULL;

  g_date_clear (&born, 1);
  g_date_set_dmy (&born, 3, 12, 1990);
  woman = sp_cf_compute ("Bianchi", "Laura", 'F', &born, "H501");
  g_assert_true (g_str_has_prefix (woman + 9, "43H501"));   /* day + 40 */
  r1 = sp_cf_check (woman, NULL);
  g_assert_true (r1->valid);
  g_assert_cmpint (r1->sex, ==, 'F');
  g_assert_cmpuint (g_date_get_day (&r1->birth_date), ==, 3);

  g_date_set_dmy (&born, 5, 6, 2015);
  young = sp_cf_compute ("Verdi", "Luca", 'M', &born, "H501");
  r2 = sp_cf_check (young, NULL);
  g_assert_cmpuint (g_date_get_year (&r2->birth_date), ==, 2015);
}

static void
test_given_birth_date_decides_century (void)
{
  GDate born;
  g_autofree char *cf = NULL;
  g_autoptr(SpCfResult) r = NULL;
  SpCfPersonData person = { 0 };

  g_date_clear (&born, 1);
  g_date_set_dmy (&born, 1, 1, 1910);
  cf = sp_cf_compute ("Neri", "Anna", 'F', &born, "H501");
  person.birth_date = &born;
  r = sp_cf_check (cf, &person);
  g_assert_cmpuint (g_date_get_year (&r->birth_date), ==, 1910);
  g_assert_cmpuint (r->mismatches->len, ==, 0);
}

static void
test_former_comune (void)
{
  GDate born;
  g_autofree char *then = NULL;
  g_autofree char *later = NULL;
  g_autoptr(SpCfResult) ok = NULL;
  g_autoptr(SpCfResult) bad = NULL;
  g_autoptr(SpCfResult) unknown = NULL;

  /* Abbadia Sopra Adda (A002) existed from 1863 to 1928. */
  g_date_clear (&born, 1);
  g_date_set_dmy (&born, 10, 5, 1920);
  then = sp_cf_compute ("Colombo", "Pietro", 'M', &born, "A002");
  ok = sp_cf_check (then, NULL);
  g_assert_true (ok->valid);

  /* "20" decodes as 1920, when the comune existed, not 2020. */
  g_assert_cmpuint (g_date_get_year (&ok->birth_date), ==, 1920);

  g_date_set_dmy (&born, 10, 5, 1950);
  later = sp_cf_compute ("Colombo", "Pietro", 'M', &born, "A002");
  bad = sp_cf_check (later, &(SpCfPersonData) { .birth_date = &born });
  g_assert_false (bad->valid);
  g_assert_true (has_error (bad, SP_CF_ERROR_BIRTH_PLACE_NOT_VALID_ON_BIRTH_DATE));

  unknown = sp_cf_check ("MRTMTT25D09A000X", NULL);
  g_assert_true (has_error (unknown, SP_CF_ERROR_BIRTH_PLACE_UNKNOWN));
}

static void
test_foreign_birth (void)
{
  GDate born;
  g_autofree char *cf = NULL;
  g_autoptr(SpCfResult) r = NULL;
  const SpBelfioreEntry *e;

  g_date_clear (&born, 1);
  g_date_set_dmy (&born, 14, 7, 1985);
  cf = sp_cf_compute ("Smith", "John", 'M', &born, "Z404");
  r = sp_cf_check (cf, NULL);
  g_assert_true (r->valid);
  g_assert_cmpstr (r->birth_place, ==, "Z404");
  e = sp_belfiore_lookup_on_date ("Z404", &born);
  g_assert_true (sp_belfiore_entry_is_state (e));
  g_assert_cmpstr (e->iso3166, ==, "US");
}

static void
test_triplets (void)
{
  struct { const char *text; gboolean name; const char *code; } cases[] = {
    { "Rossi", FALSE, "RSS" },
    { "Fo", FALSE, "FOX" },
    { "Re", FALSE, "REX" },
    { "D'Angelo", FALSE, "DNG" },
    { "De Lucà", FALSE, "DLC" },
    { "Gianfranco", TRUE, "GFR" },   /* 4+ consonants: 1st, 3rd, 4th */
    { "Mario", TRUE, "MRA" },
    { "Nicolò", TRUE, "NCL" },
    { "Anna Maria", TRUE, "NMR" },
    { "Ed", TRUE, "DEX" },
    { "Jean-Luc", TRUE, "JLC" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *code = cases[i].name ? sp_cf_name_code (cases[i].text)
                                            : sp_cf_surname_code (cases[i].text);
      g_assert_cmpstr (code, ==, cases[i].code);
    }
}

/* Found by fuzzing: names that are not valid UTF-8 crashed the
 * normalisation. Whatever bytes arrive, the answer is a triplet. */
static void
test_invalid_utf8 (void)
{
  g_autofree char *name = sp_cf_name_code ("\xff\xfeMario\xc3");
  g_autofree char *surname = sp_cf_surname_code ("Ro\xe8ssi");
  SpCfPersonData person = { "\xf0\x28\x8c\x28", "\xc3\x28", 'M', NULL, NULL };
  g_autoptr(SpCfResult) r = sp_cf_check ("MRTMTT25D09F205Z", &person);

  g_assert_cmpstr (name, ==, "MRA");
  g_assert_cmpstr (surname, ==, "RSS");
  g_assert_true (r->valid);
}

static void
test_mismatches (void)
{
  GDate other;
  SpCfPersonData person = { "Moretti", "Marco", 'F', &other, "H501" };
  g_autoptr(SpCfResult) r = NULL;
  const char *fields[] = { "name", "sex", "birth_date", "birth_place" };

  g_date_clear (&other, 1);
  g_date_set_dmy (&other, 10, 4, 1925);
  r = sp_cf_check ("MRTMTT25D09F205Z", &person);
  g_assert_true (r->valid);   /* mismatches do not make the code invalid */
  g_assert_cmpuint (r->mismatches->len, ==, G_N_ELEMENTS (fields));
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_assert_cmpstr (((SpCfMismatch *) r->mismatches->pdata[i])->field, ==, fields[i]);
  g_assert_cmpstr (((SpCfMismatch *) r->mismatches->pdata[0])->expected, ==, "MRC");
}

static void
test_provisional (void)
{
  g_autoptr(SpCfResult) inps = sp_cf_check ("80078750587", NULL);
  g_autoptr(SpCfResult) typo = sp_cf_check ("80078750588", NULL);
  g_autoptr(SpCfResult) letters = sp_cf_check ("8007875058A", NULL);

  g_assert_true (inps->valid);
  g_assert_true (inps->provisional);
  g_assert_true (has_error (typo, SP_CF_ERROR_CHECK_CHARACTER));
  g_assert_true (has_error (letters, SP_CF_ERROR_CHARACTERS));
}

static void
test_belfiore_prefix (void)
{
  g_autoptr(GPtrArray) roma = sp_belfiore_search_prefix ("rom", NULL, 50);
  g_autoptr(GPtrArray) accents = sp_belfiore_search_prefix ("SANT'ANGELO", NULL, 5);
  gboolean found = FALSE;

  for (guint i = 0; i < roma->len; i++)
    found |= g_str_equal (((const SpBelfioreEntry *) roma->pdata[i])->code, "H501");
  g_assert_true (found);
  g_assert_cmpuint (accents->len, >, 0);
  g_assert_cmpuint (accents->len, <=, 5);
  for (guint i = 0; i < accents->len; i++)
    g_assert_true (g_str_has_prefix (((const SpBelfioreEntry *) accents->pdata[i])->name, "Sant"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cf/omocodia-levels", test_omocodia_levels);
  g_test_add_func ("/cf/omocodia-not-from-the-right", test_omocodia_not_from_the_right);
  g_test_add_func ("/cf/women-and-centuries", test_women_and_centuries);
  g_test_add_func ("/cf/given-birth-date-decides-century", test_given_birth_date_decides_century);
  g_test_add_func ("/cf/former-comune", test_former_comune);
  g_test_add_func ("/cf/foreign-birth", test_foreign_birth);
  g_test_add_func ("/cf/triplets", test_triplets);
  g_test_add_func ("/cf/mismatches", test_mismatches);
  g_test_add_func ("/cf/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/cf/provisional", test_provisional);
  g_test_add_func ("/belfiore/prefix", test_belfiore_prefix);
  return g_test_run ();
}
