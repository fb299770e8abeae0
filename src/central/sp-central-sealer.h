/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Central's outbox key: a PIN half waiting for delivery is kept sealed
 * with it (libsodium secretbox), never in clear. The key lives in a file
 * of its own, 0600, made on first use: SP_CENTRAL_KEY_FILE, or
 * outbox.key in central's data folder. */

#define SP_CENTRAL_SEAL_NONCE 24
#define SP_CENTRAL_SEAL_MAC 16

/* Loads (or makes) the key; FALSE with error when the file is unusable. */
gboolean sp_central_sealer_init   (GError     **error);
/* Seals len bytes of clear into sealed (len + SP_CENTRAL_SEAL_MAC bytes)
 * with a fresh nonce. */
gboolean sp_central_sealer_seal   (const char  *clear,
                                   gsize        len,
                                   guint8       nonce[SP_CENTRAL_SEAL_NONCE],
                                   guint8      *sealed);
/* The clear text (sodium_malloc'd, NUL-terminated: free with sodium_free). */
char    *sp_central_sealer_open   (const guint8 *nonce,
                                   const guint8 *sealed,
                                   gsize         sealed_len);
/* A key for another purpose (the pages' CSRF tokens, "csrf"), derived
 * from the outbox key: instances on one database agree on it. */
#define SP_CENTRAL_SUBKEY 32
gboolean sp_central_sealer_derive (const char  *purpose,
                                   guint8       subkey[SP_CENTRAL_SUBKEY]);

G_END_DECLS
