/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sp-belfiore.h"
#include "sp-codice-fiscale.h"

/* Layout of the 16-character code (DM 23/12/1976):
 *   0–2 surname, 3–5 name, 6–7 year, 8 month letter, 9–10 day (+40 for
 *   women), 11–14 Belfiore code of the birth place, 15 check character.
 * Omocodia: when two people would share a code, the Agenzia replaces the
 * digits of positions 14, 13, 12, 10, 9, 7, 6 — from the right — with
 * the letters L M N P Q R S T U V (for 0–9). */

G_DEFINE_QUARK (sp-cf-error-quark, sp_cf_error)

static const char month_letters[] = "ABCDEHLMPRST";
static const char omocodia_letters[] = "LMNPQRSTUV";
static const guint omocodia_positions[] = { 14, 13, 12, 10, 9, 7, 6 };
/* Values of the characters in odd positions (1st, 3rd, …) for the check
 * character; digits take the value of the letter of the same rank. */
static const guint8 odd_values[26] = {
  1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23
};

const char *
sp_cf_error_code_to_string (SpCfError code)
{
  static const char *const names[] = {
    [SP_CF_ERROR_LENGTH] = "length",
    [SP_CF_ERROR_CHARACTERS] = "characters",
    [SP_CF_ERROR_MONTH] = "month",
    [SP_CF_ERROR_DAY] = "day",
    [SP_CF_ERROR_CHECK_CHARACTER] = "check_character",
    [SP_CF_ERROR_BIRTH_PLACE_UNKNOWN] = "birth_place_unknown",
    [SP_CF_ERROR_BIRTH_PLACE_NOT_VALID_ON_BIRTH_DATE] = "birth_place_not_valid_on_birth_date",
  };

  g_return_val_if_fail (code < G_N_ELEMENTS (names), NULL);
  return names[code];
}

static char
check_character (const char *code15)
{
  guint sum = 0;

  for (guint i = 0; i < 15; i++)
    {
      char c = code15[i];
      guint rank = g_ascii_isdigit (c) ? (guint) (c - '0') : (guint) (c - 'A');

      sum += (i % 2 == 0) ? odd_values[rank] : rank;
    }
  return 'A' + sum % 26;
}

static char
provisional_check_digit (const char *code10)
{
  guint sum = 0;

  /* The partita IVA algorithm: odd positions as they are, even ones
   * doubled with 9 taken off above 9. */
  for (guint i = 0; i < 10; i++)
    {
      guint d = code10[i] - '0';

      if (i % 2 == 1)
        {
          d *= 2;
          if (d > 9)
            d -= 9;
        }
      sum += d;
    }
  return '0' + (10 - sum % 10) % 10;
}

static void
add_problem (SpCfResult *result,
             SpCfError   code,
             const char *message)
{
  SpCfProblem *problem = g_new0 (SpCfProblem, 1);

  problem->code = code;
  problem->message = g_strdup (message);
  g_ptr_array_add (result->errors, problem);
}

static void
problem_free (SpCfProblem *problem)
{
  g_free (problem->message);
  g_free (problem);
}

static void
mismatch_free (SpCfMismatch *mismatch)
{
  g_free (mismatch->field);
  g_free (mismatch->expected);
  g_free (mismatch->found);
  g_free (mismatch);
}

static void
add_mismatch (SpCfResult *result,
              const char *field,
              const char *expected,
              const char *found)
{
  SpCfMismatch *mismatch = g_new0 (SpCfMismatch, 1);

  mismatch->field = g_strdup (field);
  mismatch->expected = g_strdup (expected);
  mismatch->found = g_strdup (found);
  g_ptr_array_add (result->mismatches, mismatch);
}

void
sp_cf_result_free (SpCfResult *result)
{
  if (result == NULL)
    return;
  g_free (result->normalized);
  g_free (result->birth_place);
  g_ptr_array_unref (result->errors);
  g_ptr_array_unref (result->mismatches);
  g_free (result);
}

static SpCfResult *
result_new (const char *input)
{
  SpCfResult *result = g_new0 (SpCfResult, 1);
  g_autofree char *trimmed = g_strstrip (g_strdup (input ? input : ""));

  result->normalized = g_ascii_strup (trimmed, -1);
  g_date_clear (&result->birth_date, 1);
  result->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free);
  result->mismatches = g_ptr_array_new_with_free_func ((GDestroyNotify) mismatch_free);
  return result;
}

/* Character classes by position; omocodic letters are allowed only where
 * the rule puts them, replacing from the right. On success code16 holds
 * the code with the omocodic letters turned back into digits. */
static gboolean
check_characters (SpCfResult *result,
                  char        code16[17])
{
  const char *cf = result->normalized;
  guint level = 0;

  memcpy (code16, cf, 17);
  for (guint i = 0; i < 16; i++)
    if (!g_ascii_isupper (cf[i]) && !g_ascii_isdigit (cf[i]))
      return FALSE;
  for (guint i = 0; i < 6; i++)
    if (!g_ascii_isupper (cf[i]))
      return FALSE;
  if (!g_ascii_isupper (cf[8]) || !g_ascii_isupper (cf[11]) || !g_ascii_isupper (cf[15]))
    return FALSE;
  for (guint k = 0; k < G_N_ELEMENTS (omocodia_positions); k++)
    {
      guint pos = omocodia_positions[k];
      const char *letter;

      if (g_ascii_isdigit (cf[pos]))
        continue;
      letter = strchr (omocodia_letters, cf[pos]);
      /* A substituted position with a digit to its right is not omocodia. */
      if (letter == NULL || level != k)
        return FALSE;
      code16[pos] = '0' + (letter - omocodia_letters);
      level++;
    }
  result->omocodia_level = level;
  return TRUE;
}

static guint
two_digits (const char *p)
{
  return (p[0] - '0') * 10 + (p[1] - '0');
}

/* The latest century in which the date is not in the future, or the one of
 * the given birth date when its last two digits agree. */
static guint
decode_year (guint        yy,
             const GDate *given,
             const GDate *today)
{
  if (given != NULL && g_date_valid (given) && g_date_get_year (given) % 100 == yy)
    return g_date_get_year (given);
  if (2000 + yy <= g_date_get_year (today))
    return 2000 + yy;
  return 1900 + yy;
}

static void
decode_date (SpCfResult           *result,
             const char           *code16,
             const SpCfPersonData *person)
{
  const char *month = strchr (month_letters, code16[8]);
  guint day = two_digits (code16 + 9);
  guint yy = two_digits (code16 + 6);
  GDate today;
  guint year;

  if (month == NULL)
    {
      add_problem (result, SP_CF_ERROR_MONTH,
                   _("The 9th character must be a month letter (A B C D E H L M P R S T)."));
      return;
    }
  if (day > 40)
    {
      result->sex = 'F';
      day -= 40;
    }
  else
    result->sex = 'M';
  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  year = decode_year (yy, person ? person->birth_date : NULL, &today);
  /* A woman born on a date in the future of this century belongs to the
   * previous one as well: recheck once the whole date is known. */
  if (day >= 1 && g_date_valid_dmy (day, month - month_letters + 1, year))
    {
      g_date_set_dmy (&result->birth_date, day, month - month_letters + 1, year);
      if (g_date_compare (&result->birth_date, &today) > 0
          && !(person && person->birth_date && g_date_valid (person->birth_date)))
        g_date_set_year (&result->birth_date, year - 100);
    }
  else
    add_problem (result, SP_CF_ERROR_DAY,
                 _("The day of birth (characters 10 and 11) is not a valid day: 01–31 for men, 41–71 for women."));
}

/* Without a birth date to go by, "20" in a code whose comune ceased in
 * 1928 means 1920: prefer the century in which the place existed. */
static void
settle_century_by_place (SpCfResult           *result,
                         const SpCfPersonData *person)
{
  GDate earlier = result->birth_date;

  if ((person && person->birth_date && g_date_valid (person->birth_date))
      || g_date_get_year (&earlier) <= 100)
    return;
  if (sp_belfiore_lookup_on_date (result->birth_place, &result->birth_date) != NULL)
    return;
  g_date_subtract_years (&earlier, 100);
  if (sp_belfiore_lookup_on_date (result->birth_place, &earlier) != NULL)
    result->birth_date = earlier;
}

static void
decode_place (SpCfResult           *result,
              const char           *code16,
              const SpCfPersonData *person)
{
  const SpBelfioreEntry *entry;
  guint n;

  result->birth_place = g_strndup (code16 + 11, 4);
  if (sp_belfiore_lookup (result->birth_place, &n) == NULL)
    {
      add_problem (result, SP_CF_ERROR_BIRTH_PLACE_UNKNOWN,
                   _("The birth place code (characters 12 to 15) is not a known comune or state."));
      return;
    }
  if (!g_date_valid (&result->birth_date))
    return;
  settle_century_by_place (result, person);
  entry = sp_belfiore_lookup_on_date (result->birth_place, &result->birth_date);
  if (entry == NULL)
    add_problem (result, SP_CF_ERROR_BIRTH_PLACE_NOT_VALID_ON_BIRTH_DATE,
                 _("The birth place code did not exist on the birth date."));
}

static void
check_provisional (SpCfResult *result)
{
  const char *cf = result->normalized;

  result->provisional = TRUE;
  for (guint i = 0; i < 11; i++)
    if (!g_ascii_isdigit (cf[i]))
      {
        add_problem (result, SP_CF_ERROR_CHARACTERS,
                     _("A provisional codice fiscale is made of 11 digits."));
        return;
      }
  if (provisional_check_digit (cf) != cf[10])
    add_problem (result, SP_CF_ERROR_CHECK_CHARACTER,
                 _("The last digit does not match: check for a typing error."));
}

/* ---- name triplets ---- */

static char *
letters_only (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  g_autofree char *nfd = g_utf8_normalize (valid, -1, G_NORMALIZE_NFD);
  GString *out = g_string_new (NULL);

  for (const char *p = nfd; p && *p; p++)
    if (g_ascii_isalpha (*p))
      g_string_append_c (out, g_ascii_toupper (*p));
  return g_string_free (out, FALSE);
}

static gboolean
is_vowel (char c)
{
  return strchr ("AEIOU", c) != NULL;
}

static char *
triplet (const char *text,
         gboolean    is_name)
{
  g_autofree char *letters = letters_only (text);
  GString *consonants = g_string_new (NULL);
  GString *vowels = g_string_new (NULL);
  GString *out = g_string_new (NULL);

  for (const char *p = letters; *p; p++)
    g_string_append_c (is_vowel (*p) ? vowels : consonants, *p);
  if (is_name && consonants->len >= 4)
    {
      g_string_append_c (out, consonants->str[0]);
      g_string_append_c (out, consonants->str[2]);
      g_string_append_c (out, consonants->str[3]);
    }
  else
    {
      g_string_append_len (out, consonants->str, MIN (consonants->len, 3));
      g_string_append_len (out, vowels->str, MIN (vowels->len, 3 - out->len));
      while (out->len < 3)
        g_string_append_c (out, 'X');
    }
  g_string_free (consonants, TRUE);
  g_string_free (vowels, TRUE);
  return g_string_free (out, FALSE);
}

char *
sp_cf_surname_code (const char *surname)
{
  return triplet (surname, FALSE);
}

char *
sp_cf_name_code (const char *name)
{
  return triplet (name, TRUE);
}

/* ---- agreement with the person's data ---- */

static void
compare_triplets (SpCfResult           *result,
                  const char           *code16,
                  const SpCfPersonData *person)
{
  if (person->surname && *person->surname)
    {
      g_autofree char *expected = sp_cf_surname_code (person->surname);
      g_autofree char *found = g_strndup (code16, 3);

      if (strcmp (expected, found) != 0)
        add_mismatch (result, "surname", expected, found);
    }
  if (person->name && *person->name)
    {
      g_autofree char *expected = sp_cf_name_code (person->name);
      g_autofree char *found = g_strndup (code16 + 3, 3);

      if (strcmp (expected, found) != 0)
        add_mismatch (result, "name", expected, found);
    }
}

static void
compare_person (SpCfResult           *result,
                const char           *code16,
                const SpCfPersonData *person)
{
  compare_triplets (result, code16, person);
  if (person->sex && result->sex && g_ascii_toupper (person->sex) != result->sex)
    {
      char expected[2] = { g_ascii_toupper (person->sex), 0 };
      char found[2] = { result->sex, 0 };

      add_mismatch (result, "sex", expected, found);
    }
  if (person->birth_date && g_date_valid (person->birth_date) && g_date_valid (&result->birth_date)
      && g_date_compare (person->birth_date, &result->birth_date) != 0)
    {
      char expected[16], found[16];

      g_snprintf (expected, sizeof expected, "%04u-%02u-%02u", g_date_get_year (person->birth_date), g_date_get_month (person->birth_date), g_date_get_day (person->birth_date));
      g_snprintf (found, sizeof found, "%04u-%02u-%02u", g_date_get_year (&result->birth_date), g_date_get_month (&result->birth_date), g_date_get_day (&result->birth_date));
      add_mismatch (result, "birth_date", expected, found);
    }
  if (person->birth_place && *person->birth_place && result->birth_place)
    {
      g_autofree char *expected = g_ascii_strup (person->birth_place, -1);

      if (strcmp (expected, result->birth_place) != 0)
        add_mismatch (result, "birth_place", expected, result->birth_place);
    }
}

static void
check_full (SpCfResult           *result,
            const SpCfPersonData *person)
{
  char code16[17];

  if (!check_characters (result, code16))
    {
      add_problem (result, SP_CF_ERROR_CHARACTERS,
                   _("The codice fiscale has letters and digits in the wrong places."));
      return;
    }
  /* The check character is computed on the code as written (omocodic
   * letters included), so a typo anywhere shows here first. */
  if (check_character (result->normalized) != result->normalized[15])
    add_problem (result, SP_CF_ERROR_CHECK_CHARACTER,
                 _("The last character does not match: check for a typing error."));
  decode_date (result, code16, person);
  decode_place (result, code16, person);
  if (person != NULL)
    compare_person (result, code16, person);
}

SpCfResult *
sp_cf_check (const char           *input,
             const SpCfPersonData *person)
{
  SpCfResult *result = result_new (input);
  gsize len = strlen (result->normalized);

  if (len == 11)
    check_provisional (result);
  else if (len == 16)
    check_full (result, person);
  else
    add_problem (result, SP_CF_ERROR_LENGTH,
                 _("A codice fiscale has 16 characters (or 11 digits if provisional)."));
  result->valid = result->errors->len == 0;
  return result;
}

gboolean
sp_cf_validate (const char *input,
                char      **normalized,
                GError    **error)
{
  g_autoptr(SpCfResult) result = sp_cf_check (input, NULL);

  if (!result->valid)
    {
      const SpCfProblem *problem = g_ptr_array_index (result->errors, 0);

      g_set_error_literal (error, SP_CF_ERROR, problem->code, problem->message);
      return FALSE;
    }
  if (normalized != NULL)
    *normalized = g_steal_pointer (&result->normalized);
  return TRUE;
}

char *
sp_cf_compute (const char  *surname,
               const char  *name,
               char         sex,
               const GDate *birth_date,
               const char  *birth_place)
{
  g_autofree char *s = sp_cf_surname_code (surname);
  g_autofree char *n = sp_cf_name_code (name);
  char code[17];

  g_return_val_if_fail (birth_date != NULL && g_date_valid (birth_date), NULL);
  g_return_val_if_fail (birth_place != NULL && strlen (birth_place) == 4, NULL);

  g_snprintf (code, sizeof code, "%s%s%02u%c%02u%.4s?", s, n,
              g_date_get_year (birth_date) % 100,
              month_letters[g_date_get_month (birth_date) - 1],
              g_date_get_day (birth_date) + (g_ascii_toupper (sex) == 'F' ? 40 : 0),
              birth_place);
  for (char *p = code + 11; *p; p++)
    *p = g_ascii_toupper (*p);
  code[15] = check_character (code);
  return g_strdup (code);
}
