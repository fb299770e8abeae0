/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The loopback ceiling of libmicrohttpd on this machine: the same daemon
 * flags and HTTP threads as central, answering one fixed JSON document
 * on every path, with no routing, workers or database. Prints
 * "listening on http://127.0.0.1:PORT" and serves until SIGTERM. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char body[] = "{\"status\":\"ok\",\"version\":\"bench\",\"time\":\"2026-01-01T00:00:00.000Z\"}";
static struct MHD_Response *response;

/* Answers on the second call, when the request is complete: an answer
 * queued on the first would make libmicrohttpd close the connection. */
static enum MHD_Result
on_access (void *cls, struct MHD_Connection *connection, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
  static int marker;

  if (*con_cls == NULL)
    {
      *con_cls = &marker;
      return MHD_YES;
    }
  *upload_data_size = 0;
  return MHD_queue_response (connection, MHD_HTTP_OK, response);
}

int
main (void)
{
  struct MHD_Daemon *daemon;
  const union MHD_DaemonInfo *info;
  struct sockaddr_in loopback = { .sin_family = AF_INET, .sin_port = 0 };
  sigset_t set;
  int sig;

  loopback.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  response = MHD_create_response_from_buffer (strlen (body), (void *) body, MHD_RESPMEM_PERSISTENT);
  MHD_add_response_header (response, "Content-Type", "application/json");
  MHD_add_response_header (response, "Cache-Control", "no-store");
  MHD_add_response_header (response, "X-Content-Type-Options", "nosniff");
  sigemptyset (&set);
  sigaddset (&set, SIGTERM);
  sigaddset (&set, SIGINT);
  pthread_sigmask (SIG_BLOCK, &set, NULL);
  daemon = MHD_start_daemon (MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL,
                             on_access, NULL,
                             MHD_OPTION_THREAD_POOL_SIZE, (unsigned int) 2,
                             MHD_OPTION_SOCK_ADDR, (struct sockaddr *) &loopback,
                             MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int) 60,
                             MHD_OPTION_END);
  if (daemon == NULL)
    return 1;
  info = MHD_get_daemon_info (daemon, MHD_DAEMON_INFO_BIND_PORT);
  printf ("listening on http://127.0.0.1:%u\n", info ? info->port : 0);
  fflush (stdout);
  sigwait (&set, &sig);
  MHD_stop_daemon (daemon);
  MHD_destroy_response (response);
  return 0;
}
