/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The one date parser of the project: every layer reads a calendar date
 * through it, so "what is a date" has a single answer.
 *
 * SP_DATE_ISO: "YYYY-MM-DD", exactly (the API, the databases, the tool).
 * SP_DATE_DISPLAY: "DD/MM/YYYY" as the operator types it at the counter;
 *   one-digit day and month are accepted, the year has four digits.
 * Anything else, or a day that does not exist (31/02), is refused and
 * date is left cleared. */
typedef enum {
  SP_DATE_ISO = 1 << 0,
  SP_DATE_DISPLAY = 1 << 1,
  SP_DATE_ANY = SP_DATE_ISO | SP_DATE_DISPLAY,
} SpDateFormat;

gboolean    sp_date_parse         (const char   *text,
                                   SpDateFormat  formats,
                                   GDate        *date);
/* The same as sp_date_parse (text, SP_DATE_ISO, date). */
gboolean    sp_date_parse_iso     (const char   *text,
                                   GDate        *date);
/* From numbers (a MRZ's, a codice fiscale's): FALSE for a day that does
 * not exist. */
gboolean    sp_date_set_dmy       (GDate        *date,
                                   guint         day,
                                   guint         month,
                                   guint         year);
/* "YYYY-MM-DD" (NULL for an invalid date), "DD/MM/YYYY" ("" for one). */
char       *sp_date_to_iso        (const GDate  *date);
char       *sp_date_to_display    (const GDate  *date);
/* RFC 3339 in UTC with milliseconds, "2026-11-22T10:00:00.000Z". */
char       *sp_datetime_to_iso    (GDateTime    *dt);
/* An RFC 3339 time (NULL when it is not one). */
GDateTime  *sp_datetime_parse_iso (const char   *text);

G_END_DECLS
