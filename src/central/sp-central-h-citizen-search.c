/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GET /v1/citizens?surname=…: the registry searched by surname (issue 15). */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <string.h>

#include "sp-central-db-channels.h"
#include "sp-central-handler.h"
#include "sp-central-handlers.h"
#include "sp-central-limiter.h"
#include "sp-central-problem.h"
#include "sp-central-views.h"
#include "sp-issuance.h"
#include "sp-text.h"

#define SEARCH_MAX_LIMIT 50
#define SEARCH_DEFAULT_LIMIT 20
#define SEARCH_FIELD_MAX 64
/* Per operator: a search a keystroke while typing, never a sweep of the
 * registry (a page of 50 a second at most, after a burst). */
#define SEARCH_BURST 30
#define SEARCH_PER_SECOND 1.0
#define SEARCH_MAX_KEYS 4096

static SpCentralLimiter *
search_limiter (void)
{
  static gsize once = 0;
  static SpCentralLimiter *limiter;

  if (g_once_init_enter (&once))
    {
      limiter = sp_central_limiter_new (SEARCH_BURST, SEARCH_PER_SECOND, SEARCH_MAX_KEYS);
      g_once_init_leave (&once, 1);
    }
  return limiter;
}

static SpCentralResponse *
bad_query (const char *detail)
{
  return sp_central_problem_new (400, "invalid-query", "Bad search", "%s", detail);
}

/* Strict: only the known arguments, each bounded valid UTF-8; a surname
 * of at least two letters once folded. */
static SpCentralResponse *
check_query (SpCentralRequest *req,
             guint64          *limit)
{
  static const char *const known[] = { "surname", "name", "birth_date", "limit" };
  const char *surname = sp_central_request_query (req, "surname");
  const char *date = sp_central_request_query (req, "birth_date");
  const char *limit_text = sp_central_request_query (req, "limit");
  g_autofree char *folded = NULL;
  GHashTableIter iter;
  gpointer key, value;
  GDate d;

  g_hash_table_iter_init (&iter, req->query);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!g_strv_contains (known, key))
        return bad_query ("the arguments are surname, name, birth_date and limit");
      if (strlen (value) > SEARCH_FIELD_MAX || !g_utf8_validate (value, -1, NULL))
        return bad_query ("an argument is too long or not UTF-8");
    }
  if (surname == NULL || strlen (folded = sp_text_fold (surname)) < 2)
    return bad_query ("surname needs at least two letters");
  if (date != NULL && !sp_date_parse_iso (date, &d))
    return bad_query ("birth_date is YYYY-MM-DD");
  *limit = SEARCH_DEFAULT_LIMIT;
  if (limit_text && !g_ascii_string_to_unsigned (limit_text, 10, 1, SEARCH_MAX_LIMIT, limit, NULL))
    return bad_query ("limit is 1 to 50");
  return NULL;
}

/* The counter's operators only: the portal and the Contact Center find a
 * citizen by codice fiscale, never by browsing names. */
static SpCentralResponse *
require_counter (SpCentralRequest *req,
                 SpCentralDb      *db)
{
  g_autofree char *kind = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *retry = NULL;
  SpCentralResponse *problem;
  guint wait;

  if (!sp_central_db_channel_kind (db, req->op->id, &kind, &error))
    return sp_central_db_problem (error);
  if (kind != NULL)
    return sp_central_problem_new (403, "forbidden", "Not allowed for this account",
                                   "searching by surname is for the counter's operators");
  if (sp_central_limiter_take (search_limiter (), req->op->username, &wait))
    return NULL;
  retry = g_strdup_printf ("%u", wait);
  problem = sp_central_problem_new (429, "rate-limited", "Too many searches", "retry after %u s", wait);
  sp_central_response_set_header (problem, "Retry-After", retry);
  return problem;
}

SpCentralResponse *
sp_central_h_citizen_search (SpCentralRequest *req,
                             SpCentralDb      *db)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  SpCentralResponse *problem;
  GString *out;
  guint64 limit;

  if ((problem = check_query (req, &limit)) || (problem = require_counter (req, db)))
    return problem;
  /* One more than asked: whether there are more. */
  found = sp_central_db_search_citizens (db, sp_central_request_query (req, "surname"),
                                         sp_central_request_query (req, "name"),
                                         sp_central_request_query (req, "birth_date"),
                                         limit + 1, sp_central_now_ms (), &error);
  if (found == NULL)
    return sp_central_db_problem (error);
  out = g_string_new ("{\"items\":[");
  for (guint i = 0; i < MIN (found->len, limit); i++)
    {
      g_autofree char *one = sp_central_view_citizen_text (g_ptr_array_index (found, i));

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, one);
    }
  g_string_append_printf (out, "],\"more\":%s}", found->len > limit ? "true" : "false");
  return sp_central_response_new_take (200, "application/json", g_string_free (out, FALSE));
}
