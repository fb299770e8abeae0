/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include "sp-central-request.h"

SpCentralRequest *
sp_central_request_new (const char *method,
                        const char *path)
{
  SpCentralRequest *req = g_new0 (SpCentralRequest, 1);

  req->method = g_strdup (method);
  req->path = g_strdup (path);
  req->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  req->query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  req->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  req->body = g_bytes_new_static ("", 0);
  return req;
}

void
sp_central_request_free (SpCentralRequest *req)
{
  if (req == NULL)
    return;
  g_free (req->method);
  g_free (req->path);
  g_hash_table_unref (req->params);
  g_hash_table_unref (req->query);
  g_hash_table_unref (req->headers);
  g_bytes_unref (req->body);
  sp_central_operator_free (req->op);
  g_free (req->client);
  g_free (req);
}

const char *
sp_central_request_param (SpCentralRequest *req,
                          const char       *name)
{
  return g_hash_table_lookup (req->params, name);
}

const char *
sp_central_request_query (SpCentralRequest *req,
                          const char       *name)
{
  return g_hash_table_lookup (req->query, name);
}

const char *
sp_central_request_header (SpCentralRequest *req,
                           const char       *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  return g_hash_table_lookup (req->headers, lower);
}

/* A repeated header keeps its first value: the ones central reads
 * (Authorization, Idempotency-Key, Content-Digest) are single-valued, and
 * a second copy is more likely an attack than a list. */
void
sp_central_request_add_header (SpCentralRequest *req,
                               const char       *name,
                               const char       *value)
{
  char *lower = g_ascii_strdown (name, -1);

  if (g_hash_table_contains (req->headers, lower))
    {
      g_free (lower);
      return;
    }
  g_hash_table_insert (req->headers, lower, g_strdup (value ? value : ""));
}

const char *
sp_central_request_body (SpCentralRequest *req,
                         gsize            *len)
{
  gsize size;
  const char *data = g_bytes_get_data (req->body, &size);

  if (len)
    *len = size;
  return data ? data : "";
}
