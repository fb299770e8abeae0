/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The address matcher on real-looking Italian addresses. */
#include "config.h"

#include "sp-central-address.h"

static SpAddress archive = { "Via Giuseppe Garibaldi 12", "20121", "Milano", "MI" };

static SpCentralAddressMatch *
match (const char *street,
       const char *cap,
       const char *city)
{
  SpAddress given = { (char *) street, (char *) cap, (char *) city, "MI" };

  return sp_central_address_match (&given, &archive);
}

static gboolean
has_reason (SpCentralAddressMatch *m,
            const char            *why)
{
  for (guint i = 0; i < m->reasons->len; i++)
    if (g_str_equal (g_ptr_array_index (m->reasons, i), why))
      return TRUE;
  return FALSE;
}

static void
test_normalize (void)
{
  const char *cases[][2] = {
    { "V. Roma 1", "via roma 1" },
    { "P.zza S. Maria 3/b", "piazza s maria 3/b" },
    { "P. zza Duomo", "piazza duomo" },
    { "C.so Vittorio Emanuele II, 45", "corso vittorio emanuele ii 45" },
    { "V.le Monza 7", "viale monza 7" },
    { "v.le  monza  7", "viale monza 7" },
    { "VIA CAVOUR", "via cavour" },
    { "Piazzale Loreto", "piazzale loreto" },
    { "Via Nazionale", "via nazionale" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *n = sp_central_address_normalize (cases[i][0]);
      g_assert_cmpstr (n, ==, cases[i][1]);
    }
  {
    g_autofree char *n = sp_central_address_normalize ("Località Sant'Andrea");
    g_assert_cmpstr (n, ==, "localita sant andrea");
  }
}

static void
test_match (void)
{
  g_autoptr(SpCentralAddressMatch) exact = match ("Via Giuseppe Garibaldi 12", "20121", "Milano");
  g_autoptr(SpCentralAddressMatch) abbrev = match ("V. GIUSEPPE GARIBALDI, 12", "20121", "MILANO");
  g_autoptr(SpCentralAddressMatch) n_form = match ("via Giuseppe Garibaldi n. 12", "20121", "milano");
  g_autoptr(SpCentralAddressMatch) typo = match ("Via Giuseppe Garibladi 12", "20121", "Milano");
  g_autoptr(SpCentralAddressMatch) no_cap = match ("Via Giuseppe Garibaldi 12", "", "Milano");
  g_autoptr(SpCentralAddressMatch) number = match ("Via Giuseppe Garibaldi 21", "20121", "Milano");
  g_autoptr(SpCentralAddressMatch) other_city = match ("Via Giuseppe Garibaldi 12", "20121", "Monza");
  g_autoptr(SpCentralAddressMatch) other_street = match ("Via Alessandro Manzoni 12", "20121", "Milano");
  g_autoptr(SpCentralAddressMatch) no_number = match ("Via Giuseppe Garibaldi", "20121", "Milano");

  g_assert_true (exact->pass);
  g_assert_cmpuint (exact->score, ==, 100);
  g_assert_cmpuint (exact->reasons->len, ==, 0);
  /* Case, punctuation and the street-type abbreviation do not count. */
  g_assert_true (abbrev->pass);
  g_assert_cmpuint (abbrev->score, ==, 100);
  g_assert_true (n_form->pass);
  /* A typo in the street passes, with a reason. */
  g_assert_true (typo->pass);
  g_assert_true (has_reason (typo, "street spelled differently"));
  /* A missing CAP passes when the rest is exact, with its reason. */
  g_assert_true (no_cap->pass);
  g_assert_true (has_reason (no_cap, "CAP missing"));
  /* A wrong house number, another comune, another street: fail. */
  g_assert_false (number->pass);
  g_assert_true (has_reason (number, "house number differs"));
  g_assert_false (other_city->pass);
  g_assert_true (has_reason (other_city, "comune differs"));
  g_assert_false (other_street->pass);
  g_assert_true (has_reason (other_street, "street differs"));
  g_assert_false (no_number->pass);
  g_assert_true (has_reason (no_number, "house number missing"));
}

static void
test_accents_and_letters (void)
{
  SpAddress arch = { "Piazza San Niccolò 3/B", "50125", "Firenze", "FI" };
  SpAddress a = { "P.zza San Niccolo 3 b", "50125", "FIRENZE", "FI" };
  SpAddress b = { "Piazza San Niccolò 3", "50125", "Firenze", "FI" };
  g_autoptr(SpCentralAddressMatch) ma = sp_central_address_match (&a, &arch);
  g_autoptr(SpCentralAddressMatch) mb = sp_central_address_match (&b, &arch);
  g_autoptr(SpCentralAddressMatch) none = sp_central_address_match (&a, NULL);

  g_assert_true (ma->pass);
  g_assert_cmpuint (ma->score, ==, 100);
  g_assert_false (mb->pass);              /* 3 is not 3/B */
  g_assert_false (none->pass);
  g_assert_cmpuint (none->score, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/central/address/normalize", test_normalize);
  g_test_add_func ("/central/address/match", test_match);
  g_test_add_func ("/central/address/accents", test_accents_and_letters);
  return g_test_run ();
}
