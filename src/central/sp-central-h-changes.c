/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GET /v1/changes (the sede's change feed) and GET /v1/register (a day's
 * issuances). */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include "sp-central-handler.h"
#include "sp-central-handlers.h"
#include "sp-central-problem.h"
#include "sp-central-views.h"
#include "sp-issuance.h"

#define CHANGES_MAX_LIMIT 1000

SpCentralResponse *
sp_central_h_changes (SpCentralRequest *req,
                      SpCentralDb      *db)
{
  const char *cursor_text = sp_central_request_query (req, "cursor");
  const char *limit_text = sp_central_request_query (req, "limit");
  guint64 cursor = 0, limit = 100;
  g_autoptr(SpCentralChangesPage) page = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  if ((cursor_text && *cursor_text
       && !g_ascii_string_to_unsigned (cursor_text, 10, 0, G_MAXINT64, &cursor, NULL))
      || (limit_text && !g_ascii_string_to_unsigned (limit_text, 10, 1, CHANGES_MAX_LIMIT, &limit, NULL)))
    return sp_central_problem_new (400, "invalid-query", "Bad cursor or limit", "limit is 1 to %d",
                                   CHANGES_MAX_LIMIT);
  page = sp_central_db_changes (db, req->op->sede, cursor, limit, &error);
  if (page == NULL && g_error_matches (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_GONE))
    return sp_central_problem_new (410, "cursor-expired", "The cursor has expired",
                                   "resynchronise from the beginning (no cursor)");
  if (page == NULL)
    return sp_central_db_problem (error);
  answer = sp_central_view_changes (page);
  return sp_central_response_new_json (200, answer);
}

SpCentralResponse *
sp_central_h_register_day (SpCentralRequest *req,
                           SpCentralDb      *db)
{
  const char *date = sp_central_request_query (req, "date");
  const char *sede = sp_central_request_query (req, "sede");
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  SpCentralResponse *problem;
  GDate d;

  if (date == NULL || !sp_date_parse_iso (date, &d))
    return sp_central_problem_new (400, "invalid-query", "date=YYYY-MM-DD is required", NULL);
  if (sede == NULL || *sede == '\0')
    sede = req->op->sede;
  if ((problem = sp_central_require_sede (req, sede)))
    return problem;
  rows = sp_central_db_register_day (db, sede, &d, &error);
  if (rows == NULL)
    return sp_central_db_problem (error);
  answer = sp_central_view_register_day (date, sede, rows);
  return sp_central_response_new_json (200, answer);
}
