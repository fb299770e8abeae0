/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <errno.h>
#include <sys/socket.h>

#include "sp-central-reaper.h"

/* Per connection, kept on its GSocket and freed with it. */
typedef struct {
  GSocket *socket;     /* not a reference: the struct lives on it */
  GSource *watch;      /* readable while idle: a request or the client's end */
  GSource *later;      /* arms the watch once the main loop is back */
  gboolean busy;       /* between request-started and its end */
} Idle;

#define IDLE_KEY "sp-central-idle"

/* Bytes that start no request (a TLS close_notify before the FIN) are
 * read by libsoup within this time; then the watch looks again. */
#define RETRY_MS 2000

static void arm (Idle *idle);
static void arm_later (Idle *idle, guint delay_ms);

static void
disarm (Idle *idle)
{
  if (idle->watch)
    {
      g_source_destroy (idle->watch);
      g_clear_pointer (&idle->watch, g_source_unref);
    }
  if (idle->later)
    {
      g_source_destroy (idle->later);
      g_clear_pointer (&idle->later, g_source_unref);
    }
}

static void
idle_free (gpointer data)
{
  disarm (data);
  g_free (data);
}

static gboolean
on_later (gpointer user_data)
{
  Idle *idle = user_data;

  g_clear_pointer (&idle->later, g_source_unref);
  if (!idle->busy)
    arm (idle);
  return G_SOURCE_REMOVE;
}

/* Not at once: libsoup closes a connection it will not keep right after
 * the signal that brings us here, and a watch must not outlive its fd. */
static void
arm_later (Idle *idle,
           guint delay_ms)
{
  disarm (idle);
  idle->later = g_timeout_source_new (delay_ms);
  g_source_set_callback (idle->later, on_later, idle, NULL);
  g_source_attach (idle->later, NULL);
}

/* Readable between requests: either the next request is arriving (libsoup
 * reads it) or the client hung up (a zero-byte peek), and then nobody
 * else will close this socket. */
static gboolean
on_readable (GSocket      *socket,
             GIOCondition  condition,
             gpointer      user_data)
{
  Idle *idle = user_data;
  char byte;
  gssize n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);

  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return G_SOURCE_CONTINUE;   /* nothing after all: keep watching */
  g_clear_pointer (&idle->watch, g_source_unref);
  if (n > 0)
    arm_later (idle, RETRY_MS);
  else
    {
      g_socket_shutdown (socket, TRUE, TRUE, NULL);
      g_socket_close (socket, NULL);
    }
  return G_SOURCE_REMOVE;
}

static void
arm (Idle *idle)
{
  disarm (idle);
  if (g_socket_is_closed (idle->socket))
    return;
  idle->watch = g_socket_create_source (idle->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (idle->watch, (GSourceFunc) (GCallback) on_readable, idle, NULL);
  g_source_attach (idle->watch, NULL);
}

static Idle *
idle_of (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  Idle *idle;

  if (socket == NULL)
    return NULL;
  idle = g_object_get_data (G_OBJECT (socket), IDLE_KEY);
  if (idle == NULL)
    {
      idle = g_new0 (Idle, 1);
      idle->socket = socket;
      g_object_set_data_full (G_OBJECT (socket), IDLE_KEY, idle, idle_free);
    }
  return idle;
}

/* A request began (user_data non-NULL) or ended on msg's connection. */
static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            gpointer           user_data)
{
  Idle *idle = idle_of (msg);

  if (idle == NULL)
    return;
  idle->busy = user_data != NULL;
  if (idle->busy)
    disarm (idle);
  else
    arm_later (idle, 0);
}

void
sp_central_reaper_attach (SoupServer *server)
{
  g_signal_connect (server, "request-started", G_CALLBACK (on_request), GINT_TO_POINTER (TRUE));
  g_signal_connect (server, "request-finished", G_CALLBACK (on_request), NULL);
  g_signal_connect (server, "request-aborted", G_CALLBACK (on_request), NULL);
}
