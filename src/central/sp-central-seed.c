/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <string.h>

#include "sp-central-seed.h"
#include "sp-codice-fiscale.h"
#include "sp-secret.h"

static const char *const surnames[] = {
  "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
  "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa",
  "Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani",
  "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone", "D'Angelo", "Longo",
};
static const char *const male_names[] = {
  "Mario", "Luca", "Giuseppe", "Marco", "Francesco", "Alessandro", "Andrea", "Giovanni",
  "Roberto", "Stefano", "Matteo", "Paolo", "Antonio", "Davide", "Nicolò", "Gianfranco",
};
static const char *const female_names[] = {
  "Maria", "Anna", "Giulia", "Francesca", "Sara", "Laura", "Chiara", "Elena",
  "Valentina", "Paola", "Martina", "Alessandra", "Lucia", "Giovanna", "Silvia", "Rosa",
};
/* Current comuni (code, name, province, postcode) and a few states. */
static const struct { const char *code, *city, *province, *postcode; } places[] = {
  { "H501", "Roma", "RM", "00100" }, { "F205", "Milano", "MI", "20100" },
  { "F839", "Napoli", "NA", "80100" }, { "L219", "Torino", "TO", "10100" },
  { "G273", "Palermo", "PA", "90100" }, { "D969", "Genova", "GE", "16100" },
  { "A944", "Bologna", "BO", "40100" }, { "D612", "Firenze", "FI", "50100" },
  { "A662", "Bari", "BA", "70100" }, { "C351", "Catania", "CT", "95100" },
  { "L736", "Venezia", "VE", "30100" }, { "L781", "Verona", "VR", "37100" },
  { "Z112", NULL, NULL, NULL }, { "Z404", NULL, NULL, NULL }, { "Z129", NULL, NULL, NULL },
};

static SpPerson *
fictitious_person (GRand *rand)
{
  SpPerson *p = sp_person_new ();
  gboolean woman = g_rand_boolean (rand);
  guint place = g_rand_int_range (rand, 0, G_N_ELEMENTS (places));
  guint home = g_rand_int_range (rand, 0, 12);   /* residence: a comune */
  guint year = g_rand_int_range (rand, 1930, 2024);

  p->surname = g_strdup (surnames[g_rand_int_range (rand, 0, G_N_ELEMENTS (surnames))]);
  p->name = g_strdup (woman ? female_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (female_names))]
                            : male_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (male_names))]);
  p->sex = woman ? 'F' : 'M';
  g_date_set_dmy (&p->birth_date, g_rand_int_range (rand, 1, 29), g_rand_int_range (rand, 1, 13), year);
  p->birth_place = g_strdup (places[place].code);
  p->cf = sp_cf_compute (p->surname, p->name, p->sex, &p->birth_date, p->birth_place);
  p->residence = g_new0 (SpAddress, 1);
  p->residence->street = g_strdup_printf ("Via Garibaldi %u", g_rand_int_range (rand, 1, 200));
  p->residence->postcode = g_strdup (places[home].postcode);
  p->residence->city = g_strdup (places[home].city);
  p->residence->province = g_strdup (places[home].province);
  return p;
}

static gboolean
add_demo_operator (SpCentralDb *db,
                   const char  *username,
                   const char  *name,
                   const char  *role,
                   const char  *sede,
                   GError     **error)
{
  g_autoptr(GError) lookup_error = NULL;
  g_autoptr(SpCentralOperator) existing = sp_central_db_find_operator (db, username, &lookup_error);
  g_autofree char *verifier = NULL;

  if (existing != NULL)
    return TRUE;
  if (!g_error_matches (lookup_error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&lookup_error));
      return FALSE;
    }
  verifier = sp_secret_hash (username, strlen (username), error);
  return verifier != NULL
      && sp_central_db_add_operator (db, username, name, role, sede, verifier, error);
}

gboolean
sp_central_seed_demo (SpCentralDb *db,
                      guint        n_citizens,
                      GError     **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20161116);   /* message 4590's date */
  gboolean ok = TRUE;

  if (!add_demo_operator (db, "demo", "Operatore Demo", "operator", "0700", error)
      || !add_demo_operator (db, "demo2", "Operatrice Demo Due", "operator", "0800", error)
      || !add_demo_operator (db, "super", "Responsabile Demo", "supervisor", "0700", error)
      || !add_demo_operator (db, "admin", "Amministratore Demo", "admin", "0700", error))
    return FALSE;
  /* One transaction per thousand: a million rows in seconds, not hours. */
  for (guint i = 0; ok && i < n_citizens; i += 1000)
    {
      if (!sp_central_db_begin (db, error))
        return FALSE;
      for (guint j = i; ok && j < MIN (n_citizens, i + 1000); j++)
        {
          g_autoptr(SpPerson) p = fictitious_person (rand);
          ok = sp_central_db_put_citizen (db, p, TRUE, "demo", error);
        }
      if (!sp_central_db_commit (db, ok, error))
        return FALSE;
    }
  return ok;
}

static SpPerson *
person_from_fields (char **f)
{
  SpPerson *p = sp_person_new ();

  p->cf = g_strdup (f[0]);
  p->surname = g_strdup (f[1]);
  p->name = g_strdup (f[2]);
  p->sex = f[3][0];
  sp_date_parse_iso (f[4], &p->birth_date);
  p->birth_place = g_strdup (f[5]);
  if (*f[6] != '\0')
    {
      p->residence = g_new0 (SpAddress, 1);
      p->residence->street = g_strdup (f[6]);
      p->residence->postcode = g_strdup (f[7]);
      p->residence->city = g_strdup (f[8]);
      p->residence->province = g_strdup (f[9]);
    }
  return p;
}

gboolean
sp_central_import_registry (SpCentralDb *db,
                            const char  *path,
                            guint       *imported,
                            guint       *skipped,
                            GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean ok = TRUE;

  *imported = *skipped = 0;
  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;
  lines = g_strsplit (contents, "\n", -1);
  if (!sp_central_db_begin (db, error))
    return FALSE;
  /* Line 0 is the header. Plain comma-separated fields: a registry
   * extract carries no commas inside names or addresses. */
  for (guint i = 1; ok && lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (g_strchomp (lines[i]), ",", 10);
      g_autofree char *cf = NULL;
      g_autoptr(SpPerson) p = NULL;
      GDate d;

      if (*lines[i] == '\0')
        continue;
      if (g_strv_length (f) != 10 || !sp_cf_validate (f[0], &cf, NULL)
          || (f[3][0] != 'M' && f[3][0] != 'F') || !sp_date_parse_iso (f[4], &d))
        {
          (*skipped)++;
          continue;
        }
      g_free (f[0]);
      f[0] = g_steal_pointer (&cf);
      p = person_from_fields (f);
      ok = sp_central_db_put_citizen (db, p, FALSE, "registry", error);
      if (ok)
        (*imported)++;
    }
  return sp_central_db_commit (db, ok, error);
}
