/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-central-workers.h"

G_BEGIN_DECLS

/* Central's HTTP transport on libmicrohttpd: reads bounded requests on
 * its own threads, routes them, hands each to the route's worker pool
 * with the connection suspended, and sends the one response back. */

typedef struct {
  int listen_fd;                 /* a listening socket (not closed by the transport) */
  const char *tls_cert_pem;      /* NULL: plain HTTP */
  const char *tls_key_pem;
  guint threads;                 /* HTTP threads */
  guint idle_timeout_s;          /* a connection with nothing to do is closed after this */
  guint head_timeout_s;          /* a request head must be complete within this */
  guint connection_limit;        /* all clients together */
  guint per_ip_limit;            /* one client address */
} SpCentralHttpConfig;

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
