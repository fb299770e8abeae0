/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "sp-central-admission.h"
#include "sp-central-form.h"
#include "sp-central-json.h"
#include "sp-central-limiter.h"
#include "sp-central-page.h"
#include "sp-central-problem.h"

/* Distinct keys remembered per limiter: bounds the memory a flood of
 * invented usernames or addresses can take (~100 bytes each). */
#define MAX_KEYS 100000

struct _SpCentralAdmission {
  SpCentralLimiter *by_ip;
  SpCentralLimiter *by_account;
  guint hash_queue_max;
};

SpCentralAdmission *
sp_central_admission_new (double ip_burst,
                          double ip_per_second,
                          double account_burst,
                          double account_per_second,
                          guint  hash_queue_max)
{
  SpCentralAdmission *admission = g_new0 (SpCentralAdmission, 1);

  admission->by_ip = sp_central_limiter_new (ip_burst, ip_per_second, MAX_KEYS);
  admission->by_account = sp_central_limiter_new (account_burst, account_per_second, MAX_KEYS);
  admission->hash_queue_max = MAX (hash_queue_max, 1);
  return admission;
}

void
sp_central_admission_free (SpCentralAdmission *admission)
{
  if (admission == NULL)
    return;
  sp_central_limiter_free (admission->by_ip);
  sp_central_limiter_free (admission->by_account);
  g_free (admission);
}

static SpCentralResponse *
retry_later (const SpCentralRoute *route,
             SpCentralRequest     *req,
             guint                 status,
             const char           *type,
             const char           *title,
             guint                 seconds)
{
  g_autofree char *value = g_strdup_printf ("%u", seconds);
  SpCentralResponse *resp;

  /* The same limits on the citizen's pages, told as a page. */
  if (route->form)
    resp = sp_central_page_message (req, status, N_("Too many attempts"),
                                    status == 429 ? N_("There have been too many attempts in a short time."
                                                       " Wait a few minutes, then try again.")
                                                  : N_("The service is busy. Wait a minute, then try again."));
  else
    resp = sp_central_problem_new (status, type, title, "retry after %u s", seconds);

  sp_central_response_set_header (resp, "Retry-After", value);
  return resp;
}

SpCentralResponse *
sp_central_admission_head (SpCentralAdmission   *admission,
                           const SpCentralRoute *route,
                           SpCentralRequest     *req)
{
  guint wait;

  if (route->rate_key == NULL || sp_central_limiter_take (admission->by_ip, req->client, &wait))
    return NULL;
  return retry_later (route, req, 429, "rate-limited", "Too many attempts from this address", wait);
}

/* The account a form names (lower case), or NULL. */
static char *
form_account_of (SpCentralRequest *req,
                 const char       *member)
{
  gsize len;
  const char *data = sp_central_request_body (req, &len);
  g_autoptr(GHashTable) fields = sp_central_form_parse (data, len, NULL);
  const char *value = fields ? g_hash_table_lookup (fields, member) : NULL;
  g_autofree char *stripped = value ? g_strstrip (g_strdup (value)) : NULL;

  return stripped && *stripped ? g_utf8_strdown (stripped, -1) : NULL;
}

/* The account the body names (lower case: accounts and codici fiscali
 * compare without case), or NULL. The body passed the strict check. */
static char *
account_of (SpCentralRequest *req,
            const char       *member)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize len;
  const char *data = sp_central_request_body (req, &len);
  JsonObject *object;
  JsonNode *node;

  if (!json_parser_load_from_data (parser, data, len, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  object = json_node_get_object (json_parser_get_root (parser));
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_utf8_strdown (json_node_get_string (node), -1);
}

/* A form body of the citizen's pages: the right type, strictly encoded.
 * Answered as pages: a browser shows them. */
static SpCentralResponse *
check_form (SpCentralRequest *req)
{
  const char *type = sp_central_request_header (req, "content-type");
  g_autofree char *media = type ? g_ascii_strdown (type, -1) : NULL;
  g_autoptr(GHashTable) fields = NULL;
  gsize len;
  const char *data = sp_central_request_body (req, &len);

  if (media != NULL && strchr (media, ';') != NULL)
    *strchr (media, ';') = '\0';
  if (media == NULL || !g_str_equal (g_strstrip (media), "application/x-www-form-urlencoded"))
    return sp_central_page_message (req, 415, N_("The form could not be read"),
                                    N_("The browser sent the form in a way this service does not accept."
                                       " Go back and send it again."));
  if ((fields = sp_central_form_parse (data, len, NULL)) == NULL)
    return sp_central_page_message (req, 400, N_("The form could not be read"),
                                    N_("What was sent is not a valid form. Go back, check the fields and send it"
                                       " again."));
  return NULL;
}

SpCentralResponse *
sp_central_admission_body (SpCentralAdmission   *admission,
                           const SpCentralRoute *route,
                           SpCentralRequest     *req,
                           SpCentralWorkers     *hashers)
{
  g_autoptr(GError) error = NULL;
  SpCentralResponse *problem;
  guint wait;

  if (SP_CENTRAL_ROUTE_IS_JSON (route))
    {
      gsize len;
      const char *data = sp_central_request_body (req, &len);

      if (!sp_central_json_check (data, len, &error))
        return sp_central_problem_new (400, "invalid-json", "The body is not valid JSON", "%s", error->message);
    }
  if (route->form && (problem = check_form (req)) != NULL)
    return problem;
  if (route->rate_key != NULL)
    {
      g_autofree char *account = route->form ? form_account_of (req, route->rate_key)
                                             : account_of (req, route->rate_key);
      g_autofree char *key = account ? g_strconcat (route->pattern, " ", account, NULL) : NULL;

      if (key != NULL && !sp_central_limiter_take (admission->by_account, key, &wait))
        return retry_later (route, req, 429, "rate-limited", "Too many attempts for this account", wait);
    }
  /* Every Argon2id waits behind the ones queued: past this many, a new
   * one would wait longer than a login may take. */
  if (hashers != NULL && sp_central_workers_load (hashers) >= admission->hash_queue_max)
    return retry_later (route, req, 503, "busy", "Too many verifications in progress", 1);
  return NULL;
}
