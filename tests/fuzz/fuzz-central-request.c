/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for central's request path: a raw HTTP/1.1 request
 * (head + body) is split as the transport sees it, routed by the route
 * table, admitted (size limit, strict JSON), authenticated and handed to
 * the route's handler on a real SQLite database, as a worker runs it.
 * The Argon2id routes stop after admission: one verification costs
 * 0.1 s and 64 MiB, which would leave the fuzzer nothing else to do. */
#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "sp-central-admission.h"
#include "sp-central-db.h"
#include "sp-central-handler.h"
#include "sp-central-seed.h"
#include "sp-central-workers.h"
#include "sp-secret.h"

static SpCentralDb *db;
static SpCentralAdmission *admission;
static char *bearer;
static char *bearer_hash;

/* A live session for the demo operator, made once. */
static char *
demo_token (void)
{
  guchar raw[24];
  char *token;
  g_autoptr(SpCentralOperator) op = sp_central_db_find_operator (db, "demo", NULL);

  randombytes_buf (raw, sizeof raw);
  token = g_base64_encode (raw, sizeof raw);
  bearer_hash = sp_sha256_hex (token, strlen (token));
  g_assert (op != NULL);
  g_assert (sp_central_db_add_session (db, bearer_hash, op->id, "fuzz", sp_central_now_ms () + 3600000, NULL));
  return token;
}

static void
setup (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sp-fuzz-central-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "central.db", NULL);

  sp_secret_init ();
  g_assert ((db = sp_central_db_open (path, NULL)) != NULL);
  g_assert (sp_central_seed_demo (db, 20, NULL));
  admission = sp_central_admission_new (1e9, 1e9, 1e9, 1e9, 1000);
  {
    g_autofree char *token = demo_token ();

    bearer = g_strconcat ("Bearer ", token, NULL);
  }
}

/* "name=value&…" into req->query (no decoding: the fuzzer may send anything). */
static void
parse_query (SpCentralRequest *req,
             const char       *query)
{
  g_auto(GStrv) pairs = g_strsplit (query, "&", 32);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (pairs[i], "=", 2);

      if (kv[0] != NULL && !g_hash_table_contains (req->query, kv[0]))
        g_hash_table_insert (req->query, g_strdup (kv[0]), g_strdup (kv[1] ? kv[1] : ""));
    }
}

/* The head's lines, then the body; NULL when it is not a request line. */
static SpCentralRequest *
parse_request (const char            *data,
               gsize                  size,
               const SpCentralRoute **route)
{
  const char *end = g_strstr_len (data, size, "\r\n\r\n");
  g_autofree char *head = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) first = NULL;
  g_autoptr(SpCentralRequest) req = NULL;
  char *query;

  if (end == NULL)
    return NULL;
  head = g_strndup (data, end - data);
  lines = g_strsplit (head, "\r\n", 64);
  if (lines[0] == NULL)
    return NULL;
  first = g_strsplit (lines[0], " ", 3);
  if (first[0] == NULL || first[1] == NULL)
    return NULL;
  if ((query = strchr (first[1], '?')) != NULL)
    *query++ = '\0';
  req = sp_central_request_new (first[0], first[1]);
  if (sp_central_routes_match (first[0], first[1], route, req->params, NULL) != SP_CENTRAL_MATCH_FOUND)
    return NULL;
  if (query)
    parse_query (req, query);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');

      if (colon == NULL)
        continue;
      *colon = '\0';
      sp_central_request_add_header (req, lines[i], g_strstrip (colon + 1));
    }
  req->client = g_strdup ("127.0.0.1");
  g_bytes_unref (req->body);
  req->body = g_bytes_new (end + 4, size - (end + 4 - data));
  return g_steal_pointer (&req);
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  const SpCentralRoute *route = NULL;
  g_autoptr(SpCentralRequest) req = NULL;
  SpCentralResponse *refused;
  SpCentralJob job = { .client_fd = -1 };

  if (db == NULL)
    setup ();
  if ((req = parse_request ((const char *) data, size, &route)) == NULL)
    return 0;
  if (g_bytes_get_size (req->body) > route->body_limit)
    return 0;                    /* the transport answers 413 */
  if (sp_central_request_header (req, "Authorization") == NULL)
    sp_central_request_add_header (req, "Authorization", bearer);
  if ((refused = sp_central_admission_body (admission, route, req, NULL)) != NULL)
    {
      sp_central_response_free (refused);
      return 0;
    }
  if (route->pool == SP_CENTRAL_POOL_HASH)
    return 0;
  job.route = route;
  job.req = req;
  sp_central_workers_run_one (&job, db);
  /* A logout ends the fuzzer's session: open it again for the next input. */
  if (g_str_equal (route->method, "DELETE"))
    {
      g_autoptr(SpCentralOperator) op = sp_central_db_find_operator (db, "demo", NULL);

      sp_central_db_add_session (db, bearer_hash, op->id, "fuzz", sp_central_now_ms () + 3600000, NULL);
    }
  g_assert (job.response != NULL);
  g_assert (job.response->status >= 200 && job.response->status < 600);
  sp_central_response_free (job.response);
  return 0;
}
