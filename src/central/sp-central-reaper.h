/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Closes the keep-alive connections a client closed while idle.
 *
 * libsoup 3.2 (Debian 12) never closes a kept-alive connection whose
 * client hangs up between two requests: the socket stays in CLOSE_WAIT
 * and its descriptor is lost, one per such connection, until the server
 * runs out of descriptors and stops accepting (fixed upstream in 3.3).
 * Workstations close their idle connections after a minute, so central
 * would hit that within days. This watches each connection between
 * requests and closes its socket when the client has gone. */
void sp_central_reaper_attach (SoupServer *server);

G_END_DECLS
