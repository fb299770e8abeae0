/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include "sp-central-problem.h"

SpCentralResponse *
sp_central_problem_new_with (guint       status,
                             const char *type,
                             const char *title,
                             const char *detail,
                             JsonObject *extra)
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
  return sp_central_response_new_take (status, "application/problem+json", json_to_string (root, FALSE));
}

SpCentralResponse *
sp_central_problem_new (guint       status,
                        const char *type,
                        const char *title,
                        const char *detail_format,
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
  return sp_central_problem_new_with (status, type, title, detail, NULL);
}

SpCentralResponse *
sp_central_problem_field (guint       status,
                          const char *type,
                          const char *title,
                          const char *field,
                          const char *detail)
{
  g_autoptr(JsonObject) extra = json_object_new ();

  json_object_set_string_member (extra, "field", field);
  return sp_central_problem_new_with (status, type, title, detail, extra);
}
