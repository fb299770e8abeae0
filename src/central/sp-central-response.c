/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <string.h>

#include "sp-central-response.h"

SpCentralResponse *
sp_central_response_new (guint status)
{
  SpCentralResponse *resp = g_new0 (SpCentralResponse, 1);

  resp->status = status;
  resp->headers = g_ptr_array_new_with_free_func (g_free);
  return resp;
}

SpCentralResponse *
sp_central_response_new_take (guint       status,
                              const char *content_type,
                              char       *text)
{
  SpCentralResponse *resp = sp_central_response_new (status);
  gsize len = strlen (text);

  resp->content_type = g_strdup (content_type);
  resp->body = g_bytes_new_take (text, len);
  return resp;
}

SpCentralResponse *
sp_central_response_new_json (guint     status,
                              JsonNode *body)
{
  return sp_central_response_new_take (status, "application/json", json_to_string (body, FALSE));
}

/* Replaces an earlier value of the same header. */
void
sp_central_response_set_header (SpCentralResponse *resp,
                                const char        *name,
                                const char        *value)
{
  for (guint i = 0; i + 1 < resp->headers->len; i += 2)
    if (g_ascii_strcasecmp (g_ptr_array_index (resp->headers, i), name) == 0)
      {
        g_free (resp->headers->pdata[i + 1]);
        resp->headers->pdata[i + 1] = g_strdup (value);
        return;
      }
  g_ptr_array_add (resp->headers, g_strdup (name));
  g_ptr_array_add (resp->headers, g_strdup (value));
}

void
sp_central_response_free (SpCentralResponse *resp)
{
  if (resp == NULL)
    return;
  g_free (resp->content_type);
  g_clear_pointer (&resp->body, g_bytes_unref);
  g_ptr_array_unref (resp->headers);
  g_free (resp);
}
