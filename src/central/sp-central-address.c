/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Weights: the comune 40, the street 35, the house number 15, the CAP 10;
 * a pass needs 90.
 * A different comune or street fails whatever the rest; a wrong or
 * missing house number or CAP loses points, so it passes only when the
 * rest is exact. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <string.h>

#include "sp-central-address.h"

#define W_CITY 40
#define W_STREET 35
#define W_NUMBER 15
#define W_CAP 10

/* Street types as Italian addresses abbreviate them (normalised, without
 * dots), and the word each stands for. */
static const struct { const char *abbrev; const char *word; } street_types[] = {
  /* Two-token forms first: "v le" must not read as "via le". */
  { "p zza", "piazza" }, { "c so", "corso" }, { "v le", "viale" }, { "p le", "piazzale" },
  { "l go", "largo" }, { "v lo", "vicolo" }, { "p tta", "piazzetta" },
  { "v", "via" }, { "vi", "via" },
  { "p", "piazza" }, { "pza", "piazza" }, { "pzza", "piazza" }, { "pz", "piazza" },
  { "c", "corso" }, { "cso", "corso" },
  { "vle", "viale" }, { "ple", "piazzale" }, { "lgo", "largo" },
  { "vc", "vicolo" }, { "vlo", "vicolo" },
  { "str", "strada" }, { "loc", "localita" }, { "fraz", "frazione" },
  { "lungot", "lungotevere" }, { "ptta", "piazzetta" },
};

/* Lower case, no accents, letters, digits and '/' only, single spaces. */
static char *
fold (const char *text)
{
  g_autofree char *nfd = g_utf8_normalize (text ? text : "", -1, G_NORMALIZE_NFD);
  g_autofree char *lower = g_utf8_casefold (nfd, -1);
  GString *out = g_string_new (NULL);

  for (const char *p = lower; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c))
        continue;                    /* the accent of a decomposed letter */
      if (c < 0x80 && (g_ascii_isalnum (c) || c == '/'))
        g_string_append_c (out, c);
      else if (g_unichar_isalnum (c))
        g_string_append_unichar (out, c);
      else if (out->len > 0 && out->str[out->len - 1] != ' ')
        g_string_append_c (out, ' ');
    }
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

char *
sp_central_address_normalize (const char *text)
{
  g_autofree char *folded = fold (text);

  /* "P.zza", "P. zza", "p zza" all fold to "p zza" or "pzza". */
  for (guint i = 0; i < G_N_ELEMENTS (street_types); i++)
    {
      gsize n = strlen (street_types[i].abbrev);

      if (strncmp (folded, street_types[i].abbrev, n) == 0 && folded[n] == ' ')
        return g_strconcat (street_types[i].word, folded + n, NULL);
    }
  return g_steal_pointer (&folded);
}

/* Splits a normalised street into its name and its house number (the
 * last token with a digit, "n" before it dropped: "via roma n 12"). */
static void
split_number (const char *street,
              char      **name,
              char      **number)
{
  g_auto(GStrv) tokens = g_strsplit (street, " ", -1);
  guint n = g_strv_length (tokens);
  guint cut = n;
  GString *num = g_string_new (NULL);

  /* "12", "12/b", "12 b", "12b": the number and a letter after it. */
  if (n >= 2 && strlen (tokens[n - 1]) == 1 && g_ascii_isalpha (tokens[n - 1][0])
      && strpbrk (tokens[n - 2], "0123456789") != NULL)
    cut = n - 2;
  else if (n >= 2 && strpbrk (tokens[n - 1], "0123456789") != NULL)
    cut = n - 1;
  for (guint i = cut; i < n; i++)
    for (const char *p = tokens[i]; *p; p++)
      if (*p != '/')
        g_string_append_c (num, *p);
  /* "n 12", "n. 12": the "n" is not part of the name. */
  if (cut < n && cut > 1 && g_str_equal (tokens[cut - 1], "n"))
    cut--;
  for (guint i = cut; i < n; i++)
    g_clear_pointer (&tokens[i], g_free);
  *name = g_strjoinv (" ", tokens);
  *number = num->len ? g_string_free (num, FALSE) : (g_string_free (num, TRUE), NULL);
}

/* Edit distance, bounded to short strings (names of streets). */
static guint
distance (const char *a,
          const char *b)
{
  gsize la = MIN (strlen (a), 128), lb = MIN (strlen (b), 128);
  guint row[129];

  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diag = row[0];

      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint up = row[j];

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diag + (a[i - 1] != b[j - 1]));
          diag = up;
        }
    }
  return row[lb];
}

/* Same street when the names are equal, or differ by a typo (one edit
 * in ten characters). */
static gboolean
same_street (const char *a,
             const char *b)
{
  gsize longest = MAX (strlen (a), strlen (b));

  return g_str_equal (a, b) || (longest >= 6 && distance (a, b) * 10 <= longest);
}

static void
reason (SpCentralAddressMatch *m,
        guint                  lost,
        const char            *why)
{
  m->score -= MIN (m->score, lost);
  g_ptr_array_add (m->reasons, g_strdup (why));
}

SpCentralAddressMatch *
sp_central_address_match (const SpAddress *given,
                          const SpAddress *archive)
{
  SpCentralAddressMatch *m = g_new0 (SpCentralAddressMatch, 1);
  g_autofree char *city_a = NULL, *city_b = NULL, *street_a = NULL, *street_b = NULL;
  g_autofree char *name_a = NULL, *name_b = NULL, *num_a = NULL, *num_b = NULL;
  g_autofree char *cap_a = NULL, *cap_b = NULL;
  gboolean city_ok, street_ok;

  m->score = 100;
  m->reasons = g_ptr_array_new_with_free_func (g_free);
  if (given == NULL || archive == NULL)
    {
      m->score = 0;
      g_ptr_array_add (m->reasons, g_strdup (given ? "no address in the archive" : "no address given"));
      return m;
    }
  city_a = fold (given->city);
  city_b = fold (archive->city);
  street_a = sp_central_address_normalize (given->street);
  street_b = sp_central_address_normalize (archive->street);
  split_number (street_a, &name_a, &num_a);
  split_number (street_b, &name_b, &num_b);
  cap_a = fold (given->postcode);
  cap_b = fold (archive->postcode);

  city_ok = *city_a && same_street (city_a, city_b);
  if (!city_ok)
    reason (m, W_CITY, "comune differs");
  street_ok = *name_a && same_street (name_a, name_b);
  if (!street_ok)
    reason (m, W_STREET, "street differs");
  else if (!g_str_equal (name_a, name_b))
    reason (m, 5, "street spelled differently");
  if (num_a == NULL)
    reason (m, W_NUMBER, "house number missing");
  else if (num_b == NULL || !g_str_equal (num_a, num_b))
    reason (m, W_NUMBER, "house number differs");
  if (*cap_a == '\0')
    reason (m, W_CAP / 2, "CAP missing");
  else if (!g_str_equal (cap_a, cap_b))
    reason (m, W_CAP, "CAP differs");
  m->pass = city_ok && street_ok && m->score >= SP_CENTRAL_ADDRESS_PASS;
  return m;
}

void
sp_central_address_match_free (SpCentralAddressMatch *match)
{
  if (match == NULL)
    return;
  g_ptr_array_unref (match->reasons);
  g_free (match);
}
