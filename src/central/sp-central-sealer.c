/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "sp-central-sealer.h"

/* Read-only once loaded (under the once guard): no lock needed. */
static guint8 *key;

static char *
key_path (void)
{
  const char *env = g_getenv ("SP_CENTRAL_KEY_FILE");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "sportello-central", "outbox.key", NULL);
}

/* A new key file, written 0600 before a byte of key goes in. */
static gboolean
make_key (const char *path,
          GError    **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  g_mkdir_with_parents (dir, 0700);
  fd = open (path, O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "cannot create %s: %s", path,
                   g_strerror (errno));
      return FALSE;
    }
  randombytes_buf (key, crypto_secretbox_KEYBYTES);
  if (write (fd, key, crypto_secretbox_KEYBYTES) != crypto_secretbox_KEYBYTES || fsync (fd) != 0)
    {
      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write %s", path);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static gboolean
load_key (GError **error)
{
  g_autofree char *path = key_path ();
  g_autofree char *data = NULL;
  gsize len = 0;

  key = sodium_malloc (crypto_secretbox_KEYBYTES);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return make_key (path, error);
  if (!g_file_get_contents (path, &data, &len, error))
    return FALSE;
  if (len != crypto_secretbox_KEYBYTES)
    {
      sodium_memzero (data, len);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s is not a %d-byte key", path,
                   crypto_secretbox_KEYBYTES);
      return FALSE;
    }
  memcpy (key, data, len);
  sodium_memzero (data, len);
  return TRUE;
}

gboolean
sp_central_sealer_init (GError **error)
{
  static gsize once;
  static gboolean ok;
  static GError *failure;

  if (g_once_init_enter (&once))
    {
      ok = sodium_init () >= 0 && load_key (&failure);
      g_once_init_leave (&once, 1);
    }
  if (!ok && error)
    *error = failure ? g_error_copy (failure)
                     : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "libsodium did not start");
  return ok;
}

gboolean
sp_central_sealer_seal (const char *clear,
                        gsize       len,
                        guint8      nonce[SP_CENTRAL_SEAL_NONCE],
                        guint8     *sealed)
{
  if (!sp_central_sealer_init (NULL))
    return FALSE;
  randombytes_buf (nonce, SP_CENTRAL_SEAL_NONCE);
  return crypto_secretbox_easy (sealed, (const guint8 *) clear, len, nonce, key) == 0;
}

char *
sp_central_sealer_open (const guint8 *nonce,
                        const guint8 *sealed,
                        gsize         sealed_len)
{
  char *clear;

  if (!sp_central_sealer_init (NULL) || sealed_len < SP_CENTRAL_SEAL_MAC)
    return NULL;
  clear = sodium_malloc (sealed_len - SP_CENTRAL_SEAL_MAC + 1);
  if (crypto_secretbox_open_easy ((guint8 *) clear, sealed, sealed_len, nonce, key) != 0)
    {
      sodium_free (clear);
      return NULL;
    }
  clear[sealed_len - SP_CENTRAL_SEAL_MAC] = '\0';
  return clear;
}

gboolean
sp_central_sealer_derive (const char *purpose,
                          guint8      subkey[SP_CENTRAL_SUBKEY])
{
  if (!sp_central_sealer_init (NULL))
    return FALSE;
  /* A keyed BLAKE2b of the purpose: a subkey never equal to the outbox
   * key, the same in every instance that shares the key file. */
  return crypto_generichash (subkey, SP_CENTRAL_SUBKEY, (const guint8 *) purpose, strlen (purpose),
                             key, crypto_secretbox_KEYBYTES) == 0;
}
