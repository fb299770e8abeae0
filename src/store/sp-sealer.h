/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Seals identity-document scans at rest with libsodium's secretstream
 * (XChaCha20-Poly1305, 64 KiB chunks, the last one tagged FINAL so a
 * truncated blob is detected). The key is 32 random bytes kept in the
 * Secret Service (libsecret) when the session offers one, otherwise in a
 * file only its owner can read (0600, in a 0700 folder); once read it
 * stays in locked memory. */

#define SP_SEALER_ERROR (sp_sealer_error_quark ())
typedef enum {
  SP_SEALER_ERROR_KEY,        /* the key file is missing, unreadable or too open */
  SP_SEALER_ERROR_CORRUPT,    /* authentication failed: altered or truncated */
} SpSealerError;
GQuark sp_sealer_error_quark (void);

typedef struct _SpSealer SpSealer;

typedef enum {
  SP_SEALER_KEY_FILE,            /* a 0600 file beside the store */
  SP_SEALER_KEY_SECRET_SERVICE,  /* the session's keyring (libsecret) */
} SpSealerKeySource;

/* The key of the store whose key file would be key_path: from the
 * Secret Service when one answers and no key file exists yet, otherwise
 * from the file, creating it (and its folder) the first time. */
SpSealer *sp_sealer_new   (const char *key_path,
                           GError    **error);
void      sp_sealer_free  (SpSealer   *sealer);
SpSealerKeySource sp_sealer_get_key_source (SpSealer *sealer);
GBytes   *sp_sealer_seal  (SpSealer   *sealer,
                           GBytes     *clear);
GBytes   *sp_sealer_open  (SpSealer   *sealer,
                           GBytes     *sealed,
                           GError    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpSealer, sp_sealer_free)

G_END_DECLS
