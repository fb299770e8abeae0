/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <microhttpd.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>

#include "sp-central-admission.h"
#include "sp-central-http.h"
#include "sp-central-page.h"
#include "sp-central-problem.h"

/* How often the head timer looks at the connections. */
#define WATCH_PERIOD_US (250 * G_TIME_SPAN_MILLISECOND)
/* Bytes of a refused chunked body read (and dropped) to answer 413. */
#define DISCARD_MAX (8 * 1024 * 1024)

struct _SpCentralHttp {
  struct MHD_Daemon *daemon;
  SpCentralWorkers *pools[SP_CENTRAL_N_POOLS];
  SpCentralAdmission *admission;
  gboolean tls;
  gint64 head_timeout_us;
  gint64 idle_timeout_us;
  gboolean stopping;             /* atomic */
  GMutex lock;
  GCond drained;
  guint in_flight;               /* under lock: requests with a worker */
  /* The head timer: libmicrohttpd's timeout counts inactivity, so a
   * client that sends a header byte every few seconds would never time
   * out. Each connection gets a deadline for its complete head. */
  GMutex watch_lock;
  GCond watch_wake;
  GHashTable *watches;           /* Watch set, under watch_lock */
  GThread *watcher;
  gboolean watcher_stop;         /* under watch_lock */
};

typedef struct {
  int fd;
  gint64 deadline;               /* monotonic µs; 0 while a request is being served */
} Watch;

typedef enum {
  PHASE_HEAD,                    /* routed, body not read yet */
  PHASE_AUTHENTICATING,          /* a large upload waits for its token check */
  PHASE_BODY,
  PHASE_WORKER,
} Phase;

/* One request on one connection, from its head to its answer. */
typedef struct {
  SpCentralJob job;              /* first: the worker hands it back */
  SpCentralHttp *http;
  struct MHD_Connection *connection;
  GByteArray *body;
  gsize limit;
  guint64 received;              /* body bytes so far, kept or not */
  Phase phase;
} Exchange;

static void
exchange_free (Exchange *x)
{
  sp_central_request_free (x->job.req);
  sp_central_response_free (x->job.response);
  if (x->body)
    g_byte_array_unref (x->body);
  g_free (x);
}

/* ---- configuration ---- */

void
sp_central_http_config_init (SpCentralHttpConfig *config)
{
  *config = (SpCentralHttpConfig) {
    .listen_fd = -1,
    .threads = 2,
    .head_timeout_s = SP_CENTRAL_HEAD_TIMEOUT_S,
    .idle_timeout_s = SP_CENTRAL_IDLE_TIMEOUT_S,
    .connection_limit = SP_CENTRAL_CONNECTION_LIMIT,
    .per_ip_limit = SP_CENTRAL_PER_IP_LIMIT,
    /* A sede's workstations share one address behind its NAT: 20 at
     * once, then 2 a second is far above what its counters log in. */
    .ip_burst = 20, .ip_per_second = 2,
    /* One person: 10 at once, then one every 6 s. */
    .account_burst = 10, .account_per_second = 1.0 / 6,
    .hash_queue_per_thread = 4,
  };
}

gboolean
sp_central_http_config_parse (SpCentralHttpConfig *config,
                              const char          *text,
                              GError             **error)
{
  g_auto(GStrv) items = g_strsplit (text ? text : "", ",", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (items[i], "=", 2);
      double v;
      char *end;

      if (kv[0][0] == '\0')
        continue;
      v = kv[1] ? g_ascii_strtod (kv[1], &end) : -1;
      if (kv[1] == NULL || *end != '\0' || v < 0 || v > 1e7)
        goto bad;
      if (g_str_equal (kv[0], "head_timeout")) config->head_timeout_s = v;
      else if (g_str_equal (kv[0], "idle_timeout")) config->idle_timeout_s = v;
      else if (g_str_equal (kv[0], "connections")) config->connection_limit = v;
      else if (g_str_equal (kv[0], "per_ip")) config->per_ip_limit = v;
      else if (g_str_equal (kv[0], "ip_burst")) config->ip_burst = v;
      else if (g_str_equal (kv[0], "ip_rate")) config->ip_per_second = v;
      else if (g_str_equal (kv[0], "account_burst")) config->account_burst = v;
      else if (g_str_equal (kv[0], "account_rate")) config->account_per_second = v;
      else if (g_str_equal (kv[0], "hash_queue")) config->hash_queue_per_thread = v;
      else
        goto bad;
      continue;
bad:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "bad limit setting \"%s\"", items[i]);
      return FALSE;
    }
  return TRUE;
}

/* ---- the head timer ---- */

static Watch *
watch_of (struct MHD_Connection *connection)
{
  const union MHD_ConnectionInfo *info = MHD_get_connection_info (connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

  return info ? info->socket_context : NULL;
}

static void
watch_set (SpCentralHttp         *http,
           struct MHD_Connection *connection,
           gint64                 timeout_us)
{
  Watch *w = watch_of (connection);

  if (w == NULL)
    return;
  g_mutex_lock (&http->watch_lock);
  w->deadline = timeout_us ? g_get_monotonic_time () + timeout_us : 0;
  g_mutex_unlock (&http->watch_lock);
}

/* A suspended connection keeps its socket open: the descriptor stays
 * this client's until the answer is queued. */
static int
connection_fd (struct MHD_Connection *connection)
{
  const union MHD_ConnectionInfo *info = MHD_get_connection_info (connection, MHD_CONNECTION_INFO_CONNECTION_FD);

  return info ? info->connect_fd : -1;
}

static void
on_connection (void                              *cls,
               struct MHD_Connection             *connection,
               void                             **socket_context,
               enum MHD_ConnectionNotificationCode code)
{
  SpCentralHttp *http = cls;
  Watch *w;

  if (code == MHD_CONNECTION_NOTIFY_STARTED)
    {
      w = g_new0 (Watch, 1);
      w->fd = connection_fd (connection);
      w->deadline = g_get_monotonic_time () + http->head_timeout_us;
      g_mutex_lock (&http->watch_lock);
      g_hash_table_add (http->watches, w);
      g_mutex_unlock (&http->watch_lock);
      *socket_context = w;
      return;
    }
  /* Closed: the descriptor is still open until this returns. */
  w = *socket_context;
  if (w == NULL)
    return;
  g_mutex_lock (&http->watch_lock);
  g_hash_table_remove (http->watches, w);
  g_mutex_unlock (&http->watch_lock);
  g_free (w);
  *socket_context = NULL;
}

/* Shuts down the sockets past their deadline; libmicrohttpd then sees
 * the end of the stream and closes the connection itself. */
static gpointer
watcher_main (gpointer data)
{
  SpCentralHttp *http = data;

  g_mutex_lock (&http->watch_lock);
  while (!http->watcher_stop)
    {
      gint64 now = g_get_monotonic_time ();
      GHashTableIter iter;
      Watch *w;

      g_hash_table_iter_init (&iter, http->watches);
      while (g_hash_table_iter_next (&iter, (gpointer *) &w, NULL))
        if (w->deadline != 0 && now >= w->deadline && w->fd >= 0)
          {
            shutdown (w->fd, SHUT_RDWR);
            w->deadline = 0;
          }
      g_cond_wait_until (&http->watch_wake, &http->watch_lock, now + WATCH_PERIOD_US);
    }
  g_mutex_unlock (&http->watch_lock);
  return NULL;
}

/* ---- answers ---- */

static enum MHD_Result
send_response (struct MHD_Connection *connection,
               SpCentralResponse     *resp)
{
  gsize len = 0;
  const void *data = resp->body ? g_bytes_get_data (resp->body, &len) : NULL;
  struct MHD_Response *m = MHD_create_response_from_buffer (len, (void *) data, MHD_RESPMEM_MUST_COPY);
  enum MHD_Result ret;

  if (m == NULL)
    return MHD_NO;
  /* Everything central answers is about people or credentials: no cache
   * on the way may keep it (AgID ModI), no browser may sniff it. */
  MHD_add_response_header (m, "Cache-Control", "no-store");
  MHD_add_response_header (m, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header (m, "Server", "sportello-central");
  if (resp->content_type)
    MHD_add_response_header (m, "Content-Type", resp->content_type);
  for (guint i = 0; i + 1 < resp->headers->len; i += 2)
    MHD_add_response_header (m, g_ptr_array_index (resp->headers, i), g_ptr_array_index (resp->headers, i + 1));
  ret = MHD_queue_response (connection, resp->status, m);
  MHD_destroy_response (m);
  return ret;
}

/* Bodies up to this size are read and dropped after an early refusal,
 * so the connection stays open: a refused flood then costs no new TCP
 * connection per request. */
#define SMALL_BODY 4096

/* Must the connection close rather than read the announced body? */
static gboolean
body_forces_close (struct MHD_Connection *connection)
{
  const char *length = MHD_lookup_connection_value (connection, MHD_HEADER_KIND, "Content-Length");
  guint64 n;

  if (MHD_lookup_connection_value (connection, MHD_HEADER_KIND, "Transfer-Encoding") != NULL)
    return TRUE;
  if (length == NULL)
    return FALSE;
  return !g_ascii_string_to_unsigned (length, 10, 0, G_MAXUINT64, &n, NULL) || n > SMALL_BODY;
}

/* An answer decided on the HTTP thread (404, 405, 413, 429, 503…).
 * Without a body, or a small one, it goes out on the last call (the
 * body dropped) and the connection stays alive; with a large one, at
 * once, and the connection closes instead of reading the body. */
static enum MHD_Result
send_early (Exchange          *x,
            SpCentralResponse *resp)
{
  x->job.response = resp;
  if (!body_forces_close (x->connection))
    return MHD_YES;
  sp_central_response_set_header (resp, "Connection", "close");
  return send_response (x->connection, resp);
}

/* ---- the request ---- */

static enum MHD_Result
collect_header (void              *cls,
                enum MHD_ValueKind kind,
                const char        *key,
                const char        *value)
{
  sp_central_request_add_header (cls, key, value);
  return MHD_YES;
}

static enum MHD_Result
collect_query (void              *cls,
               enum MHD_ValueKind kind,
               const char        *key,
               const char        *value)
{
  SpCentralRequest *req = cls;

  /* The first of repeated arguments, as for headers. */
  if (!g_hash_table_contains (req->query, key))
    g_hash_table_insert (req->query, g_strdup (key), g_strdup (value ? value : ""));
  return MHD_YES;
}

static char *
client_address (struct MHD_Connection *connection)
{
  const union MHD_ConnectionInfo *info = MHD_get_connection_info (connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  char host[NI_MAXHOST];
  socklen_t len;

  if (info == NULL || info->client_addr == NULL)
    return g_strdup ("");
  len = info->client_addr->sa_family == AF_INET6 ? sizeof (struct sockaddr_in6) : sizeof (struct sockaddr_in);
  if (getnameinfo (info->client_addr, len, host, sizeof host, NULL, 0, NI_NUMERICHOST) != 0)
    return g_strdup ("");
  return g_strdup (host);
}

static SpCentralResponse *
too_large (const SpCentralRoute *route,
           SpCentralRequest     *req)
{
  SpCentralResponse *resp;

  /* A citizen's browser shows a page, not a problem document. */
  if (route->form)
    resp = sp_central_page_message (req, 413, N_("The form is too long"),
                                    N_("What you sent is longer than this form can take. Go back and shorten"
                                       " the fields."));
  else
    resp = sp_central_problem_new (413, "too-large", "Request body too large",
                                   "the limit is %" G_GSIZE_FORMAT " bytes", route->body_limit);

  sp_central_response_set_header (resp, "Connection", "close");
  return resp;
}

/* The head is complete: route it and check what can be checked before
 * the body. Returns the answer to send at once, or NULL to go on. */
static SpCentralResponse *
begin (Exchange   *x,
       const char *url,
       const char *method)
{
  g_autoptr(SpCentralRequest) req = sp_central_request_new (method, url);
  g_autofree char *allow = NULL;
  const SpCentralRoute *route;
  const char *length_text;
  guint64 length;
  SpCentralResponse *resp;

  if (g_atomic_int_get (&x->http->stopping))
    {
      resp = sp_central_problem_new (503, "shutting-down", "The server is stopping", NULL);
      sp_central_response_set_header (resp, "Connection", "close");
      return resp;
    }
  switch (sp_central_routes_match (method, url, &route, req->params, &allow))
    {
    case SP_CENTRAL_MATCH_NO_PATH:
      if (g_str_has_prefix (url, "/cittadino/"))
        return sp_central_page_message (req, 404, N_("Page not found"),
                                        N_("There is no page at this address. Start again from the home page."));
      return sp_central_problem_new (404, "not-found", "No such resource",
                                     g_str_has_prefix (url, "/v1/") ? NULL : "the API lives under /v1/");
    case SP_CENTRAL_MATCH_NO_METHOD:
      if (g_str_has_prefix (url, "/cittadino"))
        resp = sp_central_page_message (req, 405, N_("The page could not be opened"),
                                        N_("This page cannot be opened this way. Start again from the home page."));
      else
        resp = sp_central_problem_new (405, "method-not-allowed", "Method not allowed", "allowed: %s", allow);
      sp_central_response_set_header (resp, "Allow", allow);
      return resp;
    case SP_CENTRAL_MATCH_FOUND:
      break;
    }
  MHD_get_connection_values (x->connection, MHD_HEADER_KIND, collect_header, req);
  MHD_get_connection_values (x->connection, MHD_GET_ARGUMENT_KIND, collect_query, req);
  req->client = client_address (x->connection);
  req->tls = x->http->tls;
  /* Refused from the headers, before a byte of the body is read. */
  length_text = sp_central_request_header (req, "Content-Length");
  if (length_text != NULL
      && (!g_ascii_string_to_unsigned (length_text, 10, 0, G_MAXUINT64, &length, NULL)
          || length > route->body_limit))
    return too_large (route, req);
  if ((resp = sp_central_admission_head (x->http->admission, route, req)))
    return resp;
  x->job.route = route;
  x->job.req = g_steal_pointer (&req);
  x->job.client_fd = connection_fd (x->connection);
  x->limit = route->body_limit;
  return NULL;
}

/* Body bytes as they arrive (chunked ones too): counted against the
 * route's limit, never buffered past it. */
static void
take_body (Exchange   *x,
           const char *data,
           gsize       size)
{
  if (x->job.response != NULL)
    return;                      /* already refused: discard */
  if (x->body == NULL)
    x->body = g_byte_array_new ();
  if (size > x->limit - x->body->len)
    {
      x->job.response = too_large (x->job.route, x->job.req);
      g_clear_pointer (&x->body, g_byte_array_unref);
      return;
    }
  g_byte_array_append (x->body, (const guint8 *) data, size);
}

/* On the worker thread: the answer is ready, wake the connection. */
static void
job_done (SpCentralJob *job)
{
  Exchange *x = (Exchange *) job;
  SpCentralHttp *http = x->http;

  MHD_resume_connection (x->connection);
  /* x may be gone from here on. */
  g_mutex_lock (&http->lock);
  if (--http->in_flight == 0)
    g_cond_broadcast (&http->drained);
  g_mutex_unlock (&http->lock);
}

static void
to_worker (Exchange     *x,
           SpCentralPool pool)
{
  SpCentralHttp *http = x->http;

  x->job.done = job_done;
  g_mutex_lock (&http->lock);
  http->in_flight++;
  g_mutex_unlock (&http->lock);
  MHD_suspend_connection (x->connection);
  sp_central_workers_push (http->pools[pool], &x->job);
}

/* The body is complete: admit the request and give it to its pool. */
static enum MHD_Result
dispatch (Exchange *x)
{
  const SpCentralRoute *route = x->job.route;
  SpCentralResponse *refused;

  if (x->body != NULL)
    {
      g_bytes_unref (x->job.req->body);
      x->job.req->body = g_byte_array_free_to_bytes (g_steal_pointer (&x->body));
    }
  refused = sp_central_admission_body (x->http->admission, route, x->job.req,
                                       route->pool == SP_CENTRAL_POOL_HASH ? x->http->pools[route->pool] : NULL);
  if (refused != NULL)
    {
      x->job.response = refused;
      return send_response (x->connection, refused);
    }
  x->phase = PHASE_WORKER;
  to_worker (x, route->pool);
  return MHD_YES;
}

/* First call of a request: the head is complete. */
static enum MHD_Result
start (Exchange *x,
       const char *url,
       const char *method)
{
  SpCentralResponse *early;

  watch_set (x->http, x->connection, 0);
  if ((early = begin (x, url, method)) != NULL)
    return send_early (x, early);
  /* A large upload is authenticated before a byte of it is read (and
   * before "100 Continue"): the connection waits for a reader thread. */
  if (x->job.route->auth && x->job.route->body_limit > SP_CENTRAL_JSON_LIMIT)
    {
      x->phase = PHASE_AUTHENTICATING;
      x->job.auth_only = TRUE;
      to_worker (x, SP_CENTRAL_POOL_READ);
      return MHD_YES;
    }
  x->phase = PHASE_BODY;
  return MHD_YES;
}

static enum MHD_Result
on_access (void                  *cls,
           struct MHD_Connection *connection,
           const char            *url,
           const char            *method,
           const char            *version,
           const char            *upload_data,
           size_t                *upload_data_size,
           void                 **con_cls)
{
  Exchange *x = *con_cls;

  if (x == NULL)
    {
      x = g_new0 (Exchange, 1);
      x->http = cls;
      x->connection = connection;
      *con_cls = x;
      return start (x, url, method);
    }
  if (x->phase == PHASE_AUTHENTICATING)
    {
      /* Back from the token check, before the body. */
      x->job.auth_only = FALSE;
      x->phase = PHASE_BODY;
      if (x->job.response != NULL)
        return send_early (x, g_steal_pointer (&x->job.response));
      if (*upload_data_size == 0)
        return MHD_YES;
    }
  if (*upload_data_size > 0)
    {
      x->received += *upload_data_size;
      take_body (x, upload_data, *upload_data_size);
      *upload_data_size = 0;
      /* A chunked body over the limit: libmicrohttpd answers only once
       * the body has ended, so the rest is read and dropped, up to a
       * bound; past it the connection is closed without an answer. */
      if (x->job.response != NULL && x->received > x->limit + DISCARD_MAX)
        return MHD_NO;
      return MHD_YES;
    }
  if (x->job.response != NULL)
    return send_response (connection, x->job.response);
  if (x->phase == PHASE_BODY)
    return dispatch (x);
  return MHD_YES;
}

static void
on_completed (void                           *cls,
              struct MHD_Connection          *connection,
              void                          **con_cls,
              enum MHD_RequestTerminationCode toe)
{
  SpCentralHttp *http = cls;

  /* The next head must come before the connection has been idle too long. */
  watch_set (http, connection, http->idle_timeout_us);
  g_clear_pointer ((Exchange **) con_cls, exchange_free);
}

/* ---- the daemon ---- */

/* TLS 1.2 and 1.3 only, forward-secret key exchange and AEAD ciphers
 * only (no static RSA, no CBC, no SHA-1 MACs). */
#define TLS_PRIORITIES "NONE:+VERS-TLS1.3:+VERS-TLS1.2:+ECDHE-ECDSA:+ECDHE-RSA:+DHE-RSA" \
                       ":+AES-256-GCM:+AES-128-GCM:+CHACHA20-POLY1305:+AEAD:+SIGN-ALL" \
                       ":+GROUP-ALL:+COMP-NULL:+CTYPE-X509:%SAFE_RENEGOTIATION"

static void
http_free (SpCentralHttp *http)
{
  if (http->watcher)
    {
      g_mutex_lock (&http->watch_lock);
      http->watcher_stop = TRUE;
      g_cond_signal (&http->watch_wake);
      g_mutex_unlock (&http->watch_lock);
      g_thread_join (http->watcher);
    }
  g_hash_table_unref (http->watches);
  sp_central_admission_free (http->admission);
  g_mutex_clear (&http->lock);
  g_cond_clear (&http->drained);
  g_mutex_clear (&http->watch_lock);
  g_cond_clear (&http->watch_wake);
  g_free (http);
}

SpCentralHttp *
sp_central_http_start (const SpCentralHttpConfig *config,
                       SpCentralWorkers          *pools[SP_CENTRAL_N_POOLS],
                       GError                   **error)
{
  SpCentralHttp *http = g_new0 (SpCentralHttp, 1);
  struct MHD_OptionItem options[16];
  guint n = 0;
  unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME
                       | MHD_USE_ITC | MHD_USE_ERROR_LOG;
  guint hashers = sp_central_workers_size (pools[SP_CENTRAL_POOL_HASH]);

#define OPTION(o, v, p) options[n++] = (struct MHD_OptionItem) { o, (intptr_t) (v), p }
  g_mutex_init (&http->lock);
  g_cond_init (&http->drained);
  g_mutex_init (&http->watch_lock);
  g_cond_init (&http->watch_wake);
  http->watches = g_hash_table_new (NULL, NULL);
  memcpy (http->pools, pools, sizeof http->pools);
  http->head_timeout_us = MAX (config->head_timeout_s, 1) * G_TIME_SPAN_SECOND;
  http->idle_timeout_us = MAX (config->idle_timeout_s, 1) * G_TIME_SPAN_SECOND;
  http->admission = sp_central_admission_new (config->ip_burst, config->ip_per_second,
                                              config->account_burst, config->account_per_second,
                                              config->hash_queue_per_thread * hashers);
  OPTION (MHD_OPTION_LISTEN_SOCKET, config->listen_fd, NULL);
  OPTION (MHD_OPTION_THREAD_POOL_SIZE, MAX (config->threads, 1), NULL);
  OPTION (MHD_OPTION_NOTIFY_COMPLETED, on_completed, http);
  OPTION (MHD_OPTION_NOTIFY_CONNECTION, on_connection, http);
  OPTION (MHD_OPTION_CONNECTION_TIMEOUT, MAX (config->idle_timeout_s, 1), NULL);
  if (config->connection_limit > 0)
    OPTION (MHD_OPTION_CONNECTION_LIMIT, config->connection_limit, NULL);
  if (config->per_ip_limit > 0)
    OPTION (MHD_OPTION_PER_IP_CONNECTION_LIMIT, config->per_ip_limit, NULL);
  if (config->tls_cert_pem != NULL)
    {
      flags |= MHD_USE_TLS;
      http->tls = TRUE;
      OPTION (MHD_OPTION_HTTPS_MEM_CERT, 0, (void *) config->tls_cert_pem);
      OPTION (MHD_OPTION_HTTPS_MEM_KEY, 0, (void *) config->tls_key_pem);
      OPTION (MHD_OPTION_HTTPS_PRIORITIES, 0, (void *) TLS_PRIORITIES);
    }
  OPTION (MHD_OPTION_END, 0, NULL);
#undef OPTION
  http->watcher = g_thread_new ("head-timer", watcher_main, http);
  http->daemon = MHD_start_daemon (flags, 0, NULL, NULL, on_access, http,
                                   MHD_OPTION_ARRAY, options, MHD_OPTION_END);
  if (http->daemon == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "the HTTP server could not start (see the messages above)");
      http_free (http);
      return NULL;
    }
  return http;
}

void
sp_central_http_stop (SpCentralHttp *http,
                      guint          timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;

  if (http == NULL)
    return;
  g_atomic_int_set (&http->stopping, TRUE);
  /* No new connections; the listening socket stays open for its owner. */
  MHD_quiesce_daemon (http->daemon);
  g_mutex_lock (&http->lock);
  while (http->in_flight > 0)
    if (!g_cond_wait_until (&http->drained, &http->lock, deadline))
      break;
  g_mutex_unlock (&http->lock);
  MHD_stop_daemon (http->daemon);
  http_free (http);
}
