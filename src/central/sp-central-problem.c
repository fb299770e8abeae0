/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <string.h>

#include "sp-central-problem.h"

static void
set_common_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  /* Everything central answers is about people or credentials: no cache
   * anywhere on the way may keep it (AgID ModI). */
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
}

static void
reply (SoupServerMessage *msg,
       guint              status,
       const char        *content_type,
       JsonNode          *body)
{
  g_autofree char *text = json_to_string (body, FALSE);
  gsize len = strlen (text);

  set_common_headers (msg);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), len);
}

void
sp_central_reply_json (SoupServerMessage *msg,
                       guint              status,
                       JsonNode          *body)
{
  reply (msg, status, "application/json", body);
}

void
sp_central_reply_problem_with (SoupServerMessage *msg,
                               guint              status,
                               const char        *type,
                               const char        *title,
                               const char        *detail,
                               JsonObject        *extra)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *uri = g_strconcat (SP_PROBLEM_BASE, type, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, uri);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, title);
  json_builder_set_member_name (b, "status");
  json_builder_add_int_value (b, status);
  if (detail != NULL)
    {
      json_builder_set_member_name (b, "detail");
      json_builder_add_string_value (b, detail);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  if (extra != NULL)
    {
      JsonObject *object = json_node_get_object (root);
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, extra);
      while (json_object_iter_next (&iter, &name, &value))
        json_object_set_member (object, name, json_node_copy (value));
    }
  reply (msg, status, "application/problem+json", root);
}

void
sp_central_reply_problem (SoupServerMessage *msg,
                          guint              status,
                          const char        *type,
                          const char        *title,
                          const char        *detail_format,
                          ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  if (detail_format != NULL)
    {
      va_start (args, detail_format);
      detail = g_strdup_vprintf (detail_format, args);
      va_end (args);
    }
  sp_central_reply_problem_with (msg, status, type, title, detail, NULL);
}
