/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-core"

#include "config.h"

#include <string.h>

#include "sp-date.h"

gboolean
sp_date_set_dmy (GDate *date,
                 guint  day,
                 guint  month,
                 guint  year)
{
  g_date_clear (date, 1);
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31
      || !g_date_valid_dmy (day, month, year))
    return FALSE;
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

/* Digits only, between min and max characters: no sign, no blank. */
static gboolean
number (const char *text,
        gsize       length,
        gsize       min,
        gsize       max,
        guint      *out)
{
  guint v = 0;

  if (length < min || length > max)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      v = v * 10 + (guint) (text[i] - '0');
    }
  *out = v;
  return TRUE;
}

static gboolean
parse_iso (const char *text,
           GDate      *date)
{
  guint y, m, d;

  return strlen (text) == 10 && text[4] == '-' && text[7] == '-'
         && number (text, 4, 4, 4, &y) && number (text + 5, 2, 2, 2, &m)
         && number (text + 8, 2, 2, 2, &d) && sp_date_set_dmy (date, d, m, y);
}

static gboolean
parse_display (const char *text,
               GDate      *date)
{
  const char *s1 = strchr (text, '/');
  const char *s2 = s1 ? strchr (s1 + 1, '/') : NULL;
  guint y, m, d;

  return s2 != NULL && number (text, s1 - text, 1, 2, &d)
         && number (s1 + 1, s2 - s1 - 1, 1, 2, &m)
         && number (s2 + 1, strlen (s2 + 1), 4, 4, &y) && sp_date_set_dmy (date, d, m, y);
}

gboolean
sp_date_parse (const char   *text,
               SpDateFormat  formats,
               GDate        *date)
{
  g_date_clear (date, 1);
  if (text == NULL)
    return FALSE;
  if ((formats & SP_DATE_ISO) && parse_iso (text, date))
    return TRUE;
  if ((formats & SP_DATE_DISPLAY) && parse_display (text, date))
    return TRUE;
  g_date_clear (date, 1);
  return FALSE;
}

gboolean
sp_date_parse_iso (const char *text,
                   GDate      *date)
{
  return sp_date_parse (text, SP_DATE_ISO, date);
}

char *
sp_date_to_iso (const GDate *date)
{
  if (date == NULL || !g_date_valid (date))
    return NULL;
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date),
                          g_date_get_month (date), g_date_get_day (date));
}

char *
sp_date_to_display (const GDate *date)
{
  if (date == NULL || !g_date_valid (date))
    return g_strdup ("");
  return g_strdup_printf ("%02u/%02u/%04u", g_date_get_day (date), g_date_get_month (date),
                          g_date_get_year (date));
}

char *
sp_datetime_to_iso (GDateTime *dt)
{
  g_autoptr(GDateTime) utc = NULL;

  if (dt == NULL)
    return NULL;
  utc = g_date_time_to_utc (dt);
  /* Milliseconds: enough to order two issuances for one person. */
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                          g_date_time_get_year (utc), g_date_time_get_month (utc),
                          g_date_time_get_day_of_month (utc), g_date_time_get_hour (utc),
                          g_date_time_get_minute (utc), g_date_time_get_second (utc),
                          g_date_time_get_microsecond (utc) / 1000);
}

GDateTime *
sp_datetime_parse_iso (const char *text)
{
  /* No default zone: a time without one is not RFC 3339. */
  return text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}
