/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <sodium.h>
#include <string.h>
#include <sys/resource.h>

#include "sp-central-handler.h"
#include "sp-central-http.h"
#include "sp-central-outbox.h"
#include "sp-central-server.h"

/* Reads are short: on SQLite a few threads keep both cores busy while
 * one waits for the disk; on PostgreSQL each read waits for its round
 * trips, so more threads (connections) keep the cores busy. */
#define READ_THREADS_SQLITE 3
#define READ_THREADS_POSTGRESQL 8
#define HTTP_THREADS 2
#define SHUTDOWN_TIMEOUT_MS 10000
/* Descriptors kept out of the connection limit: database files and
 * connections, the listening socket, logs, the epoll and event fds. */
#define FD_RESERVE 128

struct _SpCentralServer
{
  GObject parent_instance;

  SpCentralWorkers *pools[SP_CENTRAL_N_POOLS];
  SpCentralHttp *http;
  SpCentralOutbox *outbox;
  GSocket *socket;
  char *cert_pem;
  char *key_pem;
  gsize key_len;
};

G_DEFINE_FINAL_TYPE (SpCentralServer, sp_central_server, G_TYPE_OBJECT)

static void
sp_central_server_finalize (GObject *object)
{
  SpCentralServer *self = SP_CENTRAL_SERVER (object);

  sp_central_server_shutdown (self);
  g_clear_pointer (&self->outbox, sp_central_outbox_stop);
  for (guint i = 0; i < SP_CENTRAL_N_POOLS; i++)
    g_clear_pointer (&self->pools[i], sp_central_workers_free);
  g_clear_object (&self->socket);
  g_free (self->cert_pem);
  if (self->key_pem)
    sodium_memzero (self->key_pem, self->key_len);
  g_free (self->key_pem);
  G_OBJECT_CLASS (sp_central_server_parent_class)->finalize (object);
}

static void
sp_central_server_class_init (SpCentralServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sp_central_server_finalize;
}

static void
sp_central_server_init (SpCentralServer *self)
{
}

SpCentralServer *
sp_central_server_new (const char *location,
                       guint       hash_threads,
                       GError    **error)
{
  g_autoptr(SpCentralServer) self = g_object_new (SP_TYPE_CENTRAL_SERVER, NULL);
  guint readers = g_str_has_prefix (location, "postgres") ? READ_THREADS_POSTGRESQL : READ_THREADS_SQLITE;

  /* Made now, so the first unknown account does not pay for it. */
  sp_central_dummy_verifier ();
  /* The writer first: it migrates the schema, the others find it done.
   * Each Argon2id takes ~0.1 s of one core and 64 MiB: more hashing
   * threads than cores would only make every login wait behind them. */
  if ((self->pools[SP_CENTRAL_POOL_WRITE] = sp_central_workers_new ("writer", location, 1, FALSE, error)) == NULL
      || (self->pools[SP_CENTRAL_POOL_READ] = sp_central_workers_new ("reader", location, readers,
                                                                       FALSE, error)) == NULL
      || (self->pools[SP_CENTRAL_POOL_HASH] = sp_central_workers_new ("hasher", location, MAX (hash_threads, 1),
                                                                       TRUE, error)) == NULL
      /* The sender of the outbox (issue 16), on a connection of its own. */
      || (self->outbox = sp_central_outbox_start (location, error)) == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

GSocket *
sp_central_listen_socket (const char *address,
                          GError    **error)
{
  g_autoptr(GSocketConnectable) parsed = g_network_address_parse (address, 8443, error);
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) sockaddr = NULL;
  g_autoptr(GSocket) sock = NULL;

  if (parsed == NULL)
    return NULL;
  inet = g_inet_address_new_from_string (g_network_address_get_hostname (G_NETWORK_ADDRESS (parsed)));
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "listen on a numeric address, such as 127.0.0.1:8443 (got %s)", address);
      return NULL;
    }
  sock = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                       G_SOCKET_PROTOCOL_TCP, error);
  if (sock == NULL)
    return NULL;
  sockaddr = g_inet_socket_address_new (inet, g_network_address_get_port (G_NETWORK_ADDRESS (parsed)));
  if (!g_socket_bind (sock, sockaddr, TRUE, error))
    return NULL;
  g_socket_set_listen_backlog (sock, 1024);
  /* Non-blocking: when worker processes share the socket, the one that
   * loses the race for a connection must not block in accept(). */
  g_socket_set_blocking (sock, FALSE);
  if (!g_socket_listen (sock, error))
    return NULL;
  return g_steal_pointer (&sock);
}

static gboolean
load_tls (SpCentralServer *self,
          const char      *tls_cert,
          const char      *tls_key,
          GError         **error)
{
  g_autoptr(GTlsCertificate) check = NULL;

  /* Checked here for a clear message; libmicrohttpd would only say no. */
  if ((check = g_tls_certificate_new_from_files (tls_cert, tls_key, error)) == NULL)
    return FALSE;
  return g_file_get_contents (tls_cert, &self->cert_pem, NULL, error)
         && g_file_get_contents (tls_key, &self->key_pem, &self->key_len, error);
}

/* Connections beyond the descriptors the process may open would make
 * accept() fail; the limit stays below them, with a reserve. */
static guint
connection_limit (guint wanted)
{
  struct rlimit rl;

  if (getrlimit (RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
    return wanted;
  if (rl.rlim_cur <= FD_RESERVE + 16)
    return 16;
  return MIN (wanted, (guint) MIN (rl.rlim_cur - FD_RESERVE, G_MAXUINT));
}

gboolean
sp_central_server_listen (SpCentralServer *self,
                          GSocket         *socket,
                          const char      *tls_cert,
                          const char      *tls_key,
                          GError         **error)
{
  SpCentralHttpConfig config;

  g_return_val_if_fail (self->http == NULL, FALSE);
  sp_central_http_config_init (&config);
  config.listen_fd = g_socket_get_fd (socket);
  config.threads = HTTP_THREADS;
  /* Tests shorten the timeouts and change the limits (README). */
  if (!sp_central_http_config_parse (&config, g_getenv ("SP_CENTRAL_LIMITS"), error))
    return FALSE;
  config.connection_limit = connection_limit (config.connection_limit);
  if (tls_cert != NULL && !load_tls (self, tls_cert, tls_key, error))
    return FALSE;
  config.tls_cert_pem = self->cert_pem;
  config.tls_key_pem = self->key_pem;
  self->socket = g_object_ref (socket);
  self->http = sp_central_http_start (&config, self->pools, error);
  return self->http != NULL;
}

char *
sp_central_server_get_url (SpCentralServer *self)
{
  g_autoptr(GSocketAddress) address = g_socket_get_local_address (self->socket, NULL);
  GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (address);
  g_autofree char *host = g_inet_address_to_string (g_inet_socket_address_get_address (inet));
  gboolean v6 = g_inet_address_get_family (g_inet_socket_address_get_address (inet)) == G_SOCKET_FAMILY_IPV6;

  return g_strdup_printf ("%s://%s%s%s:%u", self->cert_pem ? "https" : "http", v6 ? "[" : "", host,
                          v6 ? "]" : "", g_inet_socket_address_get_port (inet));
}

void
sp_central_server_shutdown (SpCentralServer *self)
{
  if (self->http == NULL)
    return;
  sp_central_http_stop (self->http, SHUTDOWN_TIMEOUT_MS);
  self->http = NULL;
}
