/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The Belfiore (codice catastale) table, compiled at build time from
 * data/belfiore.csv into static arrays: no parsing at start-up. */
typedef struct {
  const char *code;          /* "H501" */
  const char *name;          /* "Roma" */
  const char *province;      /* "RM", or "" for a state */
  const char *iso3166;       /* "" for a comune */
  guint32 valid_from;        /* Julian day number (GDate) */
  guint32 valid_to;
} SpBelfioreEntry;

/* Every entry with this code (a code may have several validity periods). */
const SpBelfioreEntry *sp_belfiore_lookup          (const char  *code,
                                                    guint       *n_entries);
/* The entry valid on date, or NULL. */
const SpBelfioreEntry *sp_belfiore_lookup_on_date  (const char  *code,
                                                    const GDate *date);
/* Up to max entries whose name starts with prefix (case and accents folded),
 * current ones first; on_date (nullable) keeps only those valid then. */
GPtrArray             *sp_belfiore_search_prefix   (const char  *prefix,
                                                    const GDate *on_date,
                                                    guint        max);
gboolean               sp_belfiore_entry_is_state  (const SpBelfioreEntry *entry);

G_END_DECLS
