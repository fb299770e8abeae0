/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SP_TYPE_CENTRAL_SERVER (sp_central_server_get_type ())
G_DECLARE_FINAL_TYPE (SpCentralServer, sp_central_server, SP, CENTRAL_SERVER, GObject)

/* Serves the REST API of DESIGN §6 on the database at location: the HTTP
 * transport (libmicrohttpd) plus three pools of worker threads, each
 * thread with its own connection — readers, one writer (group commit),
 * and hash_threads Argon2id verifiers. */
SpCentralServer *sp_central_server_new         (const char      *location,
                                                guint            hash_threads,
                                                GError         **error);
/* A listening TCP socket on "host:port" (port 0: any free one). Worker
 * processes forked after this all accept on it. */
GSocket         *sp_central_listen_socket      (const char      *address,
                                                GError         **error);
/* Serves on socket; tls_cert/tls_key may be NULL (plain HTTP). */
gboolean         sp_central_server_listen      (SpCentralServer *self,
                                                GSocket         *socket,
                                                const char      *tls_cert,
                                                const char      *tls_key,
                                                GError         **error);
/* The base URL it listens on, e.g. "http://127.0.0.1:41234". */
char            *sp_central_server_get_url     (SpCentralServer *self);
/* Stops listening, answers the requests in flight, then returns. */
void             sp_central_server_shutdown    (SpCentralServer *self);

G_END_DECLS
