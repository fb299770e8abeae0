/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-central-workers.h"

G_BEGIN_DECLS

/* Central's HTTP transport on libmicrohttpd: reads bounded requests on
 * its own threads, routes them, admits them (strict JSON, rate limits,
 * a bounded Argon2id queue), hands each to the route's worker pool with
 * the connection suspended, and sends the one response back. */

/* The defaults (issue 12): a request head within 15 s of the connection,
 * a kept-alive connection idle for 60 s is closed. */
#define SP_CENTRAL_HEAD_TIMEOUT_S 15
#define SP_CENTRAL_IDLE_TIMEOUT_S 60
#define SP_CENTRAL_CONNECTION_LIMIT 1000
#define SP_CENTRAL_PER_IP_LIMIT 128

typedef struct {
  int listen_fd;                 /* a listening socket (not closed by the transport) */
  const char *tls_cert_pem;      /* NULL: plain HTTP */
  const char *tls_key_pem;
  guint threads;                 /* HTTP threads */
  guint head_timeout_s;          /* a request head must be complete within this */
  guint idle_timeout_s;          /* a connection with nothing to do is closed after this */
  guint connection_limit;        /* all clients together; more are shed (closed) */
  guint per_ip_limit;            /* one client address */
  /* Logins and PIN checks: per client address and per account. */
  double ip_burst, ip_per_second;
  double account_burst, account_per_second;
  guint hash_queue_per_thread;   /* Argon2id jobs waiting per hashing thread before 503 */
} SpCentralHttpConfig;

/* The defaults above, and the rest as production wants them. */
void           sp_central_http_config_init (SpCentralHttpConfig *config);
/* Overrides from "name=value,…" (SP_CENTRAL_LIMITS, for tests):
 * head_timeout, idle_timeout, connections, per_ip, ip_burst, ip_rate,
 * account_burst, account_rate, hash_queue. FALSE on a bad entry. */
gboolean       sp_central_http_config_parse (SpCentralHttpConfig *config,
                                             const char          *text,
                                             GError             **error);

typedef struct _SpCentralHttp SpCentralHttp;

/* pools[SP_CENTRAL_POOL_*] run the routes' handlers; they must outlive
 * the transport. */
SpCentralHttp *sp_central_http_start (const SpCentralHttpConfig *config,
                                      SpCentralWorkers          *pools[SP_CENTRAL_N_POOLS],
                                      GError                   **error);
/* Stops accepting, answers new requests on open connections with 503,
 * waits (at most timeout_ms) for the requests in flight, then stops. */
void           sp_central_http_stop  (SpCentralHttp             *http,
                                      guint                      timeout_ms);

G_END_DECLS
