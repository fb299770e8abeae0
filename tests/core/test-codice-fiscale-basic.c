/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The codice fiscale gate other layers rely on: sp_cf_validate and
 * sp_cf_compute. The full analysis has its own tests. */
#include "sp-codice-fiscale.h"

static void
test_known_code (void)
{
  g_autofree char *normalized = NULL;
  g_autoptr(GError) error = NULL;

  /* The example of the Agenzia's own explanation: Matteo Moretti, born
   * in Milano on 9 April 1925. */
  g_assert_true (sp_cf_validate ("  mrtmtt25d09f205z ", &normalized, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (normalized, ==, "MRTMTT25D09F205Z");
}

static void
test_compute_round_trip (void)
{
  GDate born;
  g_autofree char *cf = NULL;
  g_autoptr(SpCfResult) r = NULL;

  g_date_clear (&born, 1);
  g_date_set_dmy (&born, 9, 4, 1925);
  cf = sp_cf_compute ("Moretti", "Matteo", 'M', &born, "F205");
  g_assert_cmpstr (cf, ==, "MRTMTT25D09F205Z");

  g_date_set_dmy (&born, 3, 12, 1990);
  g_free (cf);
  cf = sp_cf_compute ("D'Angelo", "Maria Grazia", 'F', &born, "H501");
  r = sp_cf_check (cf, NULL);
  g_assert_true (r->valid);
  g_assert_cmpint (r->sex, ==, 'F');
  g_assert_cmpuint (g_date_get_day (&r->birth_date), ==, 3);
  g_assert_cmpuint (g_date_get_year (&r->birth_date), ==, 1990);
  g_assert_cmpstr (r->birth_place, ==, "H501");
}

static void
test_errors (void)
{
  struct { const char *cf; SpCfError code; } cases[] = {
    { "MRTMTT25D09F205", SP_CF_ERROR_LENGTH },
    { "MRTMTT25D09F205A", SP_CF_ERROR_CHECK_CHARACTER },
    { "MRTMT125D09F205Z", SP_CF_ERROR_CHARACTERS },
    { "MRTMTT25Z09F205Z", SP_CF_ERROR_MONTH },
    { "MRTMTT25D32F205Z", SP_CF_ERROR_DAY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SpCfResult) r = sp_cf_check (cases[i].cf, NULL);
      gboolean found = FALSE;

      g_assert_false (sp_cf_validate (cases[i].cf, NULL, &error));
      g_assert_error (error, SP_CF_ERROR, (int) ((const SpCfProblem *) r->errors->pdata[0])->code);
      for (guint j = 0; j < r->errors->len; j++)
        found |= ((const SpCfProblem *) r->errors->pdata[j])->code == cases[i].code;
      g_assert_true (found);
    }
  g_assert_cmpstr (sp_cf_error_code_to_string (SP_CF_ERROR_CHECK_CHARACTER), ==, "check_character");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cf/known-code", test_known_code);
  g_test_add_func ("/cf/compute-round-trip", test_compute_round_trip);
  g_test_add_func ("/cf/errors", test_errors);
  return g_test_run ();
}
