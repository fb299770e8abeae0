/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <time.h>

#include "sp-date.h"
#include "sp-mrz.h"

G_DEFINE_QUARK (sp-mrz-error-quark, sp_mrz_error)

const char *
sp_mrz_format_to_string (SpMrzFormat format)
{
  static const char *const names[] = { "TD1", "TD2", "TD3" };

  g_return_val_if_fail (format <= SP_MRZ_TD3, NULL);
  return names[format];
}

static int
char_value (char c)
{
  if (g_ascii_isdigit (c))
    return c - '0';
  if (g_ascii_isupper (c))
    return c - 'A' + 10;
  return 0;   /* the filler < */
}

int
sp_mrz_check_digit (const char *text,
                    gssize      length)
{
  static const int weights[] = { 7, 3, 1 };
  int sum = 0;

  if (length < 0)
    length = strlen (text);
  for (gssize i = 0; i < length; i++)
    sum += char_value (text[i]) * weights[i % 3];
  return sum % 10;
}

/* The check digit character at p verifies field; a filler counts as 0 only
 * where ICAO allows it (an empty optional field). */
static gboolean
verify (const char *field,
        gsize       length,
        char        digit,
        gboolean    filler_ok)
{
  if (digit == '<')
    return filler_ok;
  return g_ascii_isdigit (digit) && sp_mrz_check_digit (field, length) == digit - '0';
}

/* A field with its fillers turned into spaces and trimmed. */
static char *
field (const char *p,
       gsize       length)
{
  char *out = g_strndup (p, length);

  g_strdelimit (out, "<", ' ');
  return g_strstrip (out);
}

static gboolean
all_fillers (const char *p,
             gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (p[i] != '<')
      return FALSE;
  return TRUE;
}

static void
parse_names (SpMrz      *mrz,
             const char *p,
             gsize       length)
{
  g_autofree char *raw = g_strndup (p, length);
  char *split = strstr (raw, "<<");

  if (split != NULL)
    {
      *split = '\0';
      mrz->given_names = field (split + 2, strlen (split + 2));
    }
  else
    mrz->given_names = g_strdup ("");
  mrz->surname = field (raw, strlen (raw));
  /* Several given names are separated by one filler each, which field ()
   * has turned into spaces; runs of fillers at the end are gone. */
}

static void
parse_date (const char *p,
            GDate      *date,
            gboolean    is_birth)
{
  guint yy, mm, dd, year;
  GDate today;

  g_date_clear (date, 1);
  for (guint i = 0; i < 6; i++)
    if (!g_ascii_isdigit (p[i]))
      return;
  yy = (p[0] - '0') * 10 + (p[1] - '0');
  mm = (p[2] - '0') * 10 + (p[3] - '0');
  dd = (p[4] - '0') * 10 + (p[5] - '0');
  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  /* Birth: the latest century not in the future. Expiry: documents last
   * at most a few decades, so 20yy unless that is over 50 years away. */
  year = 2000 + yy;
  if (is_birth ? year > (guint) g_date_get_year (&today)
               : year > (guint) g_date_get_year (&today) + 50)
    year -= 100;
  sp_date_set_dmy (date, dd, mm, year);
}

/* Sex, dates and nationality sit at the same offsets from the birth date
 * in all three formats. */
static void
parse_dates_block (SpMrz      *mrz,
                   const char *p)
{
  mrz->birth_date_raw = g_strndup (p, 6);
  parse_date (p, &mrz->birth_date, TRUE);
  mrz->check_birth_date = verify (p, 6, p[6], FALSE);
  mrz->sex = p[7] == 'M' || p[7] == 'F' ? p[7] : 'X';
  mrz->expiry_date_raw = g_strndup (p + 8, 6);
  parse_date (p + 8, &mrz->expiry_date, FALSE);
  mrz->check_expiry_date = verify (p + 8, 6, p[14], FALSE);
}

static void
parse_td1 (SpMrz       *mrz,
           char *const *l)
{
  g_autofree char *opt1 = NULL;
  g_autofree char *opt2 = NULL;
  g_autofree char *composite = NULL;

  mrz->document_code = field (l[0], 2);
  mrz->issuing_state = field (l[0] + 2, 3);
  if (l[0][14] == '<' && l[0][15] != '<')
    {
      /* A number longer than 9: its tail and check digit open the
       * optional field, which ends at the first filler. */
      const char *tail = l[0] + 15;
      gsize n = strcspn (tail, "<");

      if (n >= 1)
        {
          g_autofree char *joined = g_strdup_printf ("%.9s%.*s", l[0] + 5, (int) (n - 1), tail);

          mrz->document_number = field (joined, strlen (joined));
          mrz->check_document_number = verify (joined, strlen (joined), tail[n - 1], FALSE);
        }
      else
        mrz->document_number = field (l[0] + 5, 9);
      opt1 = field (tail + n, 15 - n);
    }
  else
    {
      mrz->document_number = field (l[0] + 5, 9);
      mrz->check_document_number = verify (l[0] + 5, 9, l[0][14], FALSE);
      opt1 = field (l[0] + 15, 15);
    }
  parse_dates_block (mrz, l[1]);
  mrz->nationality = field (l[1] + 15, 3);
  opt2 = field (l[1] + 18, 11);
  mrz->optional_data = g_strstrip (g_strjoin (" ", opt1, opt2, NULL));
  composite = g_strdup_printf ("%.25s%.7s%.7s%.11s", l[0] + 5, l[1], l[1] + 8, l[1] + 18);
  mrz->check_composite = verify (composite, strlen (composite), l[1][29], FALSE);
  mrz->check_personal_number = TRUE;
  parse_names (mrz, l[2], 30);
  mrz->valid = mrz->check_document_number && mrz->check_birth_date
            && mrz->check_expiry_date && mrz->check_composite;
}

/* TD2 and TD3 share their layout; they differ in line length and in the
 * personal number of TD3, which has its own check digit. */
static void
parse_two_lines (SpMrz       *mrz,
                 char *const *l,
                 gsize        width)
{
  g_autofree char *composite = NULL;
  gsize opt_len = width - 28 - 1 - (mrz->format == SP_MRZ_TD3 ? 1 : 0);

  mrz->document_code = field (l[0], 2);
  mrz->issuing_state = field (l[0] + 2, 3);
  parse_names (mrz, l[0] + 5, width - 5);
  mrz->document_number = field (l[1], 9);
  mrz->check_document_number = verify (l[1], 9, l[1][9], FALSE);
  mrz->nationality = field (l[1] + 10, 3);
  parse_dates_block (mrz, l[1] + 13);
  mrz->optional_data = field (l[1] + 28, opt_len);
  if (mrz->format == SP_MRZ_TD3)
    {
      mrz->has_personal_number = TRUE;
      mrz->check_personal_number = verify (l[1] + 28, 14, l[1][42],
                                           all_fillers (l[1] + 28, 14));
    }
  else
    mrz->check_personal_number = TRUE;
  composite = g_strdup_printf ("%.10s%.7s%.*s", l[1], l[1] + 13, (int) (width - 1 - 21), l[1] + 21);
  mrz->check_composite = verify (composite, strlen (composite), l[1][width - 1], FALSE);
  mrz->valid = mrz->check_document_number && mrz->check_birth_date
            && mrz->check_expiry_date && mrz->check_personal_number
            && mrz->check_composite;
}

static GPtrArray *
clean_lines (const char *text)
{
  g_auto(GStrv) raw = g_strsplit (text ? text : "", "\n", -1);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; raw[i] != NULL; i++)
    {
      char *line = g_strstrip (g_ascii_strup (raw[i], -1));

      if (*line == '\0')
        g_free (line);
      else
        g_ptr_array_add (lines, line);
    }
  return lines;
}

SpMrz *
sp_mrz_parse (const char *text,
              GError    **error)
{
  g_autoptr(GPtrArray) lines = clean_lines (text);
  gsize width = lines->len > 0 ? strlen (g_ptr_array_index (lines, 0)) : 0;
  SpMrz *mrz;

  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);

      if (strlen (line) != width)
        width = 0;
      for (const char *p = line; *p; p++)
        if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p) && *p != '<')
          {
            g_set_error (error, SP_MRZ_ERROR, SP_MRZ_ERROR_CHARACTERS,
                         _("Line %u of the MRZ has a character other than letters, digits and <."), i + 1);
            return NULL;
          }
    }
  mrz = g_new0 (SpMrz, 1);
  if (lines->len == 3 && width == 30)
    mrz->format = SP_MRZ_TD1;
  else if (lines->len == 2 && width == 36)
    mrz->format = SP_MRZ_TD2;
  else if (lines->len == 2 && width == 44)
    mrz->format = SP_MRZ_TD3;
  else
    {
      g_free (mrz);
      g_set_error_literal (error, SP_MRZ_ERROR, SP_MRZ_ERROR_LINES,
                           _("An MRZ has 3 lines of 30 characters (identity cards), 2 of 36, or 2 of 44 (passports)."));
      return NULL;
    }
  if (mrz->format == SP_MRZ_TD1)
    parse_td1 (mrz, (char *const *) lines->pdata);
  else
    parse_two_lines (mrz, (char *const *) lines->pdata, width);
  return mrz;
}

void
sp_mrz_free (SpMrz *mrz)
{
  if (mrz == NULL)
    return;
  g_free (mrz->document_code);
  g_free (mrz->issuing_state);
  g_free (mrz->document_number);
  g_free (mrz->nationality);
  g_free (mrz->surname);
  g_free (mrz->given_names);
  g_free (mrz->optional_data);
  g_free (mrz->birth_date_raw);
  g_free (mrz->expiry_date_raw);
  g_free (mrz);
}

static void
add (GPtrArray  *list,
     const char *name,
     const char *expected,
     const char *found)
{
  SpCfMismatch *m = g_new0 (SpCfMismatch, 1);

  m->field = g_strdup (name);
  m->expected = g_strdup (expected);
  m->found = g_strdup (found);
  g_ptr_array_add (list, m);
}

static void
mismatch_free (SpCfMismatch *m)
{
  g_free (m->field);
  g_free (m->expected);
  g_free (m->found);
  g_free (m);
}

/* Names as the MRZ writes them: letters only, accents dropped, one space. */
static char *
mrz_name (const char *name)
{
  g_autofree char *valid = g_utf8_make_valid (name ? name : "", -1);
  g_autofree char *nfd = g_utf8_normalize (valid, -1, G_NORMALIZE_NFD);
  GString *out = g_string_new (NULL);

  for (const char *p = nfd; p && *p; p++)
    {
      if (g_ascii_isalpha (*p))
        g_string_append_c (out, g_ascii_toupper (*p));
      else if ((*p == ' ' || *p == '\'' || *p == '-') && out->len && out->str[out->len - 1] != ' ')
        g_string_append_c (out, ' ');
    }
  return g_strstrip (g_string_free (out, FALSE));
}

static void
compare_dates (GPtrArray   *list,
               const char  *name,
               const GDate *typed,
               const GDate *read)
{
  char a[16], b[16];

  if (!g_date_valid (typed) || !g_date_valid (read) || g_date_compare (typed, read) == 0)
    return;
  g_snprintf (a, sizeof a, "%04u-%02u-%02u", g_date_get_year (typed), g_date_get_month (typed), g_date_get_day (typed));
  g_snprintf (b, sizeof b, "%04u-%02u-%02u", g_date_get_year (read), g_date_get_month (read), g_date_get_day (read));
  add (list, name, a, b);
}

static void
compare_names (GPtrArray  *list,
               const char *name,
               const char *typed,
               const char *read)
{
  g_autofree char *a = mrz_name (typed);

  /* The zone may truncate long names: a prefix agrees. */
  if (*a != '\0' && !g_str_has_prefix (a, read))
    add (list, name, a, read);
}

GPtrArray *
sp_mrz_cross_check (const SpMrz      *mrz,
                    const SpDocument *document,
                    const SpPerson   *person)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) mismatch_free);

  g_return_val_if_fail (mrz != NULL, list);

  if (document != NULL)
    {
      g_autofree char *number = sp_document_normalize_number (document->number);

      if (*number && g_strcmp0 (number, mrz->document_number) != 0)
        add (list, "document_number", number, mrz->document_number);
      compare_dates (list, "expiry_date", &document->expires_on, &mrz->expiry_date);
    }
  if (person != NULL)
    {
      compare_dates (list, "birth_date", &person->birth_date, &mrz->birth_date);
      compare_names (list, "surname", person->surname, mrz->surname);
      compare_names (list, "name", person->name, mrz->given_names);
      if (person->sex && mrz->sex != 'X' && person->sex != mrz->sex)
        {
          char a[2] = { person->sex, 0 }, b[2] = { mrz->sex, 0 };
          add (list, "sex", a, b);
        }
    }
  return list;
}
