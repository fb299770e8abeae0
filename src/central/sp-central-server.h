/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "sp-central-db.h"

G_BEGIN_DECLS

#define SP_TYPE_CENTRAL_SERVER (sp_central_server_get_type ())
G_DECLARE_FINAL_TYPE (SpCentralServer, sp_central_server, SP, CENTRAL_SERVER, GObject)

/* Serves the REST API of DESIGN §6 over db (which it owns from now on).
 * Handlers run on the main context; Argon2id verifications run on a
 * pool of hash_threads threads so other requests keep flowing. */
SpCentralServer *sp_central_server_new         (SpCentralDb     *db,
                                                guint            hash_threads);
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
/* Stops listening; calls done once the requests in flight are answered. */
void             sp_central_server_shutdown    (SpCentralServer *self,
                                                GCallback        done,
                                                gpointer         user_data);

G_END_DECLS
