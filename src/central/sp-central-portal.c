/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sp-central-csrf.h"
#include "sp-central-db-channels.h"
#include "sp-central-form.h"
#include "sp-central-handler.h"
#include "sp-central-page.h"
#include "sp-central-portal.h"

GHashTable *
sp_central_portal_form (SpCentralRequest   *req,
                        const char         *form,
                        gboolean           *expired,
                        SpCentralResponse **problem)
{
  SpCentralCsrfVerdict verdict;
  gsize len;
  const char *data = sp_central_request_body (req, &len);
  g_autoptr(GHashTable) fields = sp_central_form_parse (data, len, NULL);
  g_autofree char *cookie = sp_central_cookie_value (sp_central_request_header (req, "cookie"),
                                                     SP_CENTRAL_CSRF_COOKIE);

  /* The handler's messages are made before its page: Italian from here. */
  sp_central_page_italian ();
  verdict = fields ? sp_central_csrf_verify (cookie, form, g_hash_table_lookup (fields, "csrf"),
                                             sp_central_now_ms () / 1000)
                   : SP_CENTRAL_CSRF_BAD;
  *expired = verdict == SP_CENTRAL_CSRF_EXPIRED;
  if (verdict != SP_CENTRAL_CSRF_BAD)
    return g_steal_pointer (&fields);
  /* Another site made the browser post here, or the browser keeps no
   * cookie for this one: nothing is done, nothing is shown again. */
  *problem = sp_central_page_message (req, 403, N_("The form was not accepted"),
                                      N_("For your safety the form was not accepted: it did not come from this"
                                         " site, or your browser does not keep this site's cookies. Open the page"
                                         " again and fill it in."));
  return NULL;
}

const char *
sp_central_portal_expired_message (void)
{
  return _("The page stayed open for a long time: for your safety nothing was sent. Check the data and send"
           " them again.");
}

const char *
sp_central_portal_value (GHashTable *fields,
                         const char *name)
{
  char *value = g_hash_table_lookup (fields, name);

  /* The table owns the value: strip it in place once. */
  return value ? g_strstrip (value) : "";
}

/* The portal's account, or NULL when there is none (or it is not the
 * portal's: a Contact Center account would get the first half back). */
static SpCentralOperator *
portal_operator (SpCentralDb *db)
{
  const char *name = g_getenv ("SP_CENTRAL_PORTAL_ACCOUNT");
  g_autoptr(SpCentralOperator) op = NULL;
  g_autofree char *kind = NULL;

  op = sp_central_db_find_operator (db, name && *name ? name : "portal", NULL);
  if (op == NULL || op->disabled || !sp_central_db_channel_kind (db, op->id, &kind, NULL)
      || g_strcmp0 (kind, "portal") != 0)
    return NULL;
  return g_steal_pointer (&op);
}

static SpCentralResponse *
unavailable (SpCentralRequest *req)
{
  g_message ("the citizen's pages need a portal account (SP_CENTRAL_PORTAL_ACCOUNT)");
  return sp_central_page_message (req, 503, N_("The service is not available"),
                                  N_("The online service is not available at the moment. Try again later"
                                     " or call the Contact Center."));
}

char *
sp_central_portal_account (SpCentralRequest   *req,
                           SpCentralDb        *db,
                           SpCentralResponse **problem)
{
  g_autoptr(SpCentralOperator) op = portal_operator (db);

  if (op == NULL)
    {
      *problem = unavailable (req);
      return NULL;
    }
  return g_strdup (op->username);
}

SpCentralResponse *
sp_central_portal_call (SpCentralRequest   *req,
                        SpCentralDb        *db,
                        SpCentralHandler    handler,
                        const char         *path,
                        JsonNode           *body,
                        JsonObject        **object,
                        SpCentralResponse **problem)
{
  g_autoptr(SpCentralRequest) call = sp_central_request_new ("POST", path);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  SpCentralResponse *resp;
  char *json;

  *object = NULL;
  if ((call->op = portal_operator (db)) == NULL)
    {
      *problem = unavailable (req);
      return NULL;
    }
  json = json_to_string (body, FALSE);
  g_bytes_unref (call->body);
  call->body = g_bytes_new_take (json, strlen (json));
  call->client = g_strdup (req->client);
  resp = handler (call, db);
  if (resp->body != NULL)
    {
      gsize len;
      const char *data = g_bytes_get_data (resp->body, &len);

      if (json_parser_load_from_data (parser, data, len, NULL) && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        *object = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
    }
  return resp;
}

const char *
sp_central_portal_problem_type (JsonObject *object)
{
  const char *type = object ? json_object_get_string_member_with_default (object, "type", "") : "";
  const char *slash = strrchr (type, '/');

  return slash ? slash + 1 : type;
}
