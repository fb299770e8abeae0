/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sp-central-admin-simplified.h"
#include "sp-central-db-credentials.h"
#include "sp-issuance.h"

/* ms since the epoch of a day (its start, or the next day's start when
 * end: "until 31-07-2020" includes the 31st) or of an RFC 3339 time. */
static gboolean
parse_time (const char *text,
            gboolean    end,
            gint64     *ms)
{
  g_autoptr(GDateTime) at = NULL;
  GDate day;

  if (sp_date_parse_iso (text, &day))
    {
      g_autoptr(GTimeZone) rome = g_time_zone_new_identifier ("Europe/Rome");

      at = g_date_time_new (rome ? rome : g_time_zone_new_utc (), g_date_get_year (&day),
                            g_date_get_month (&day), g_date_get_day (&day), 0, 0, 0);
      if (at != NULL && end)
        {
          GDateTime *next = g_date_time_add_days (at, 1);

          g_date_time_unref (at);
          at = next;
        }
    }
  else
    at = g_date_time_new_from_iso8601 (text, NULL);
  if (at == NULL)
    return FALSE;
  *ms = g_date_time_to_unix (at) * 1000 + g_date_time_get_microsecond (at) / 1000;
  return TRUE;
}

static void
print_ids (const char *name,
           char      **ids,
           gboolean    last)
{
  printf ("  \"%s\": [", name);
  for (guint i = 0; ids && ids[i]; i++)
    printf ("%s\"%s\"", i ? ", " : "", ids[i]);
  printf ("]%s\n", last ? "" : ",");
}

static int
show (const SpCentralSimplifiedMode *m)
{
  g_autofree char *from = sp_central_ms_to_iso (m->starts_at);
  g_autofree char *until = sp_central_ms_to_iso (m->ends_at);

  printf ("{\n  \"from\": \"%s\",\n  \"until\": \"%s\",\n  \"open\": %s,\n", from, until,
          sp_central_simplified_mode_open (m, g_get_real_time () / 1000) ? "true" : "false");
  print_ids ("services", m->services, FALSE);
  print_ids ("whole_pin_required_for", m->whole_pin, TRUE);
  printf ("}\n");
  return 0;
}

/* A service id: short, lower-case letters, digits and hyphens. */
static gboolean
ids_valid (char **ids)
{
  for (guint i = 0; ids && ids[i]; i++)
    {
      if (ids[i][0] == '\0' || strlen (ids[i]) > 64)
        return FALSE;
      for (const char *p = ids[i]; *p; p++)
        if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
          return FALSE;
    }
  return TRUE;
}

int
sp_central_admin_simplified (SpCentralDb                   *db,
                             const char                    *verb,
                             const SpCentralSimplifiedArgs *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCentralSimplifiedMode) m = sp_central_db_simplified_mode_get (db, &error);
  gint64 from, until;

  if (m == NULL)
    {
      g_printerr ("sportello-central: %s\n", error->message);
      return 1;
    }
  if (g_strcmp0 (verb, "show") == 0)
    return show (m);
  if (g_strcmp0 (verb, "set") != 0)
    {
      g_printerr ("sportello-central: simplified show | simplified set [--from T] [--until T]"
                  " [--service ID]… [--whole-pin ID]…\n");
      return 2;
    }
  from = m->starts_at;
  until = m->ends_at;
  if ((args->from && !parse_time (args->from, FALSE, &from)) || (args->until && !parse_time (args->until, TRUE, &until))
      || until <= from)
    {
      g_printerr ("sportello-central: --from and --until are days (YYYY-MM-DD) or RFC 3339 times, "
                  "--from before --until\n");
      return 2;
    }
  if (!ids_valid (args->services) || !ids_valid (args->whole_pin))
    {
      g_printerr ("sportello-central: a service id is lower-case letters, digits and hyphens\n");
      return 2;
    }
  if (!sp_central_db_simplified_mode_set (db, from, until,
                                          (const char *const *) (args->services ? args->services : m->services),
                                          (const char *const *) (args->whole_pin ? args->whole_pin : m->whole_pin),
                                          "cli", g_get_real_time () / 1000, &error))
    {
      g_printerr ("sportello-central: %s\n", error->message);
      return 1;
    }
  g_clear_pointer (&m, sp_central_simplified_mode_free);
  m = sp_central_db_simplified_mode_get (db, NULL);
  return m ? show (m) : 1;
}
