/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The route table of central's API (DESIGN §6, data/openapi.yaml). */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <string.h>

#include "sp-central-handlers.h"
#include "sp-central-routes.h"

#define JSON SP_CENTRAL_JSON_LIMIT
#define READ SP_CENTRAL_POOL_READ
#define WRITE SP_CENTRAL_POOL_WRITE
#define HASH SP_CENTRAL_POOL_HASH

static const SpCentralRoute routes[] = {
  /* method  pattern                                      pool   auth   body  handler, batch, rate_key */
  { "GET",    "/v1/status",                               READ,  FALSE, 0,    sp_central_h_status },
  { "POST",   "/v1/sessions",                             HASH,  FALSE, JSON, sp_central_h_login,
    NULL, "username" },
  { "DELETE", "/v1/sessions/current",                     WRITE, TRUE,  0,    sp_central_h_logout },
  { "GET",    "/v1/citizens",                             READ,  TRUE,  0,    sp_central_h_citizen_search },
  { "GET",    "/v1/citizens/{cf}",                        READ,  TRUE,  0,    sp_central_h_citizen },
  { "POST",   "/v1/citizens/{cf}/revocation-requests",    WRITE, TRUE,  JSON, sp_central_h_revocation_request },
  { "POST",   "/v1/citizens/{cf}/pin-unlock",             WRITE, TRUE,  JSON, sp_central_h_pin_unlock },
  { "GET",    "/v1/revocation-requests",                  READ,  TRUE,  0,    sp_central_h_revocation_list },
  { "POST",   "/v1/revocation-requests/{id}/approval",    WRITE, TRUE,  JSON, sp_central_h_revocation_approval },
  { "POST",   "/v1/revocation-requests/{id}/rejection",   WRITE, TRUE,  JSON, sp_central_h_revocation_rejection },
  { "POST",   "/v1/issuances",                            WRITE, TRUE,  JSON, sp_central_h_register,
    sp_central_h_register_batch },
  { "GET",    "/v1/issuances/{id}",                       READ,  TRUE,  0,    sp_central_h_get_issuance },
  { "POST",   "/v1/issuances/{id}/void",                  WRITE, TRUE,  JSON, sp_central_h_void },
  { "PUT",    "/v1/issuances/{id}/attachments/{kind}",    WRITE, TRUE,  SP_CENTRAL_ATTACHMENT_LIMIT,
    sp_central_h_attachment },
  { "GET",    "/v1/changes",                              READ,  TRUE,  0,    sp_central_h_changes },
  { "POST",   "/v1/auth/pin",                             HASH,  TRUE,  JSON, sp_central_h_auth_pin,
    NULL, "cf" },
  { "GET",    "/v1/register",                             READ,  TRUE,  0,    sp_central_h_register_day },
  /* issue 16: PIN requests online (the portal) and by the Contact Center */
  { "POST",   "/v1/pin-requests",                         HASH,  TRUE,  JSON, sp_central_h_pin_request,
    NULL, "cf" },
  { "GET",    "/v1/pin-requests",                         READ,  TRUE,  0,    sp_central_h_pin_requests_list },
  { "POST",   "/v1/pin-requests/{id}/validation",         HASH,  TRUE,  JSON, sp_central_h_pin_request_validation },
  { "POST",   "/v1/pin-requests/{id}/rejection",          WRITE, TRUE,  JSON, sp_central_h_pin_request_rejection },
  { "POST",   "/v1/pin-recovery",                         HASH,  TRUE,  JSON, sp_central_h_pin_recovery,
    NULL, "cf" },
};

const SpCentralRoute *
sp_central_routes_get (guint *n)
{
  *n = G_N_ELEMENTS (routes);
  return routes;
}

static const char *
segment_end (const char *s)
{
  while (*s != '\0' && *s != '/')
    s++;
  return s;
}

/* Does path match pattern segment by segment? Fills params if given
 * (call with params only once it matched). No allocation unless it
 * fills params: this runs for every route on every request. */
static gboolean
path_matches (const char *pattern,
              const char *path,
              GHashTable *params)
{
  const char *p = pattern, *q = path;

  while (*p != '\0' && *q != '\0')
    {
      const char *pe, *qe;

      if (*p != '/' || *q != '/')
        return FALSE;
      p++, q++;
      pe = segment_end (p);
      qe = segment_end (q);
      if (*p == '{')
        {
          if (qe == q)
            return FALSE;
          if (params != NULL)
            g_hash_table_insert (params, g_strndup (p + 1, pe - p - 2), g_strndup (q, qe - q));
        }
      else if (pe - p != qe - q || memcmp (p, q, pe - p) != 0)
        return FALSE;
      p = pe;
      q = qe;
    }
  return *p == '\0' && *q == '\0';
}

SpCentralMatch
sp_central_routes_match (const char            *method,
                         const char            *path,
                         const SpCentralRoute **route,
                         GHashTable            *params,
                         char                 **allow)
{
  g_autoptr(GString) methods = NULL;

  *route = NULL;
  /* Long paths match nothing: no pattern has more than 6 segments. */
  if (path == NULL || path[0] != '/' || strlen (path) > 512)
    return SP_CENTRAL_MATCH_NO_PATH;
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (!path_matches (routes[i].pattern, path, NULL))
        continue;
      if (g_str_equal (routes[i].method, method))
        {
          path_matches (routes[i].pattern, path, params);
          *route = &routes[i];
          return SP_CENTRAL_MATCH_FOUND;
        }
      if (methods == NULL)
        methods = g_string_new (routes[i].method);
      else
        g_string_append_printf (methods, ", %s", routes[i].method);
    }
  if (methods == NULL)
    return SP_CENTRAL_MATCH_NO_PATH;
  if (allow)
    *allow = g_string_free (g_steal_pointer (&methods), FALSE);
  return SP_CENTRAL_MATCH_NO_METHOD;
}
