/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-core"

#include "config.h"

#include <string.h>

#include "sp-belfiore-private.h"
#include "sp-text.h"

#define JULIAN_9999_12_31 3652059u

static int
compare_code (const char *code,
              guint       index)
{
  return strcmp (code, sp_belfiore_entries[index].code);
}

const SpBelfioreEntry *
sp_belfiore_lookup (const char *code,
                    guint      *n_entries)
{
  guint lo = 0, hi = sp_belfiore_n_entries;

  *n_entries = 0;
  if (code == NULL)
    return NULL;
  /* Lower bound: the first period of this code. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (compare_code (code, mid) > 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (hi = lo; hi < sp_belfiore_n_entries && compare_code (code, hi) == 0; hi++)
    ;
  *n_entries = hi - lo;
  return hi > lo ? &sp_belfiore_entries[lo] : NULL;
}

const SpBelfioreEntry *
sp_belfiore_lookup_on_date (const char  *code,
                            const GDate *date)
{
  guint n;
  const SpBelfioreEntry *entries = sp_belfiore_lookup (code, &n);
  guint32 day;

  if (entries == NULL || date == NULL || !g_date_valid (date))
    return NULL;
  day = g_date_get_julian (date);
  for (guint i = 0; i < n; i++)
    if (entries[i].valid_from <= day && day <= entries[i].valid_to)
      return &entries[i];
  return NULL;
}

gboolean
sp_belfiore_entry_is_state (const SpBelfioreEntry *entry)
{
  return entry != NULL && entry->code[0] == 'Z';
}

static gboolean
entry_is_current (const SpBelfioreEntry *entry)
{
  return entry->valid_to == JULIAN_9999_12_31;
}

GPtrArray *
sp_belfiore_search_prefix (const char  *prefix,
                           const GDate *on_date,
                           guint        max)
{
  g_autofree char *folded = sp_text_fold (prefix);
  GPtrArray *result = g_ptr_array_new ();
  g_autoptr(GPtrArray) former = g_ptr_array_new ();
  gsize len = strlen (folded);
  guint lo = 0, hi = sp_belfiore_n_entries;
  guint32 day = on_date && g_date_valid (on_date) ? g_date_get_julian (on_date) : 0;

  if (len == 0 || max == 0)
    return result;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (strcmp (sp_belfiore_folded_names[mid], folded) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < sp_belfiore_n_entries
       && strncmp (sp_belfiore_folded_names[i], folded, len) == 0; i++)
    {
      const SpBelfioreEntry *entry = &sp_belfiore_entries[sp_belfiore_by_name[i]];

      if (day != 0 && (day < entry->valid_from || day > entry->valid_to))
        continue;
      /* Current comuni first, each group in name order: at the counter
       * most people were born in a comune that still exists. */
      g_ptr_array_add (entry_is_current (entry) ? result : former, (gpointer) entry);
    }
  g_ptr_array_extend (result, former, NULL, NULL);
  if (result->len > max)
    g_ptr_array_set_size (result, max);
  return result;
}
