/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sp-sealer.h"
#include "sp-secret.h"

#define CHUNK (64 * 1024)
#define KEY_BYTES crypto_secretstream_xchacha20poly1305_KEYBYTES

G_DEFINE_QUARK (sp-sealer-error-quark, sp_sealer_error)

struct _SpSealer
{
  guchar *key;   /* sodium_malloc: locked, wiped on free */
  SpSealerKeySource source;
};

/* The scan key in the login keyring, one per store (by its key path). */
static const SecretSchema key_schema = {
  "io.github.sportellopin.ScanKey", SECRET_SCHEMA_NONE,
  { { "key-file", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } },
};

static gboolean
create_key (const char *path,
            GError    **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  guchar key[KEY_BYTES];
  int fd;
  gboolean ok;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, SP_SEALER_ERROR, SP_SEALER_ERROR_KEY, "cannot create %s: %s", dir, g_strerror (errno));
      return FALSE;
    }
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      g_set_error (error, SP_SEALER_ERROR, SP_SEALER_ERROR_KEY, "cannot create %s: %s", path, g_strerror (errno));
      return FALSE;
    }
  crypto_secretstream_xchacha20poly1305_keygen (key);
  ok = write (fd, key, sizeof key) == sizeof key && fsync (fd) == 0;
  sodium_memzero (key, sizeof key);
  close (fd);
  if (!ok)
    g_set_error (error, SP_SEALER_ERROR, SP_SEALER_ERROR_KEY, "cannot write %s", path);
  return ok;
}

static gboolean
read_key (const char *path,
          guchar     *key,
          GError    **error)
{
  struct stat st;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  gboolean ok;

  if (fd < 0)
    {
      g_set_error (error, SP_SEALER_ERROR, SP_SEALER_ERROR_KEY, "cannot read %s: %s", path, g_strerror (errno));
      return FALSE;
    }
  /* A key others can read protects nothing: refuse it rather than use it. */
  if (fstat (fd, &st) != 0 || (st.st_mode & 077) != 0 || st.st_size != KEY_BYTES)
    {
      close (fd);
      g_set_error (error, SP_SEALER_ERROR, SP_SEALER_ERROR_KEY,
                   "%s must be a %d-byte file readable only by its owner (mode 0600)", path, KEY_BYTES);
      return FALSE;
    }
  ok = read (fd, key, KEY_BYTES) == KEY_BYTES;
  close (fd);
  if (!ok)
    g_set_error (error, SP_SEALER_ERROR, SP_SEALER_ERROR_KEY, "cannot read %s", path);
  return ok;
}

static gboolean
keyring_wanted (void)
{
  /* Without a session bus, asking would only wait for a timeout. */
  return g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL
         && g_getenv ("SP_NO_SECRET_SERVICE") == NULL;
}

static gboolean
key_from_hex (const char *hex,
              guchar     *key)
{
  size_t len = 0;

  return hex != NULL
         && sodium_hex2bin (key, KEY_BYTES, hex, strlen (hex), NULL, &len, NULL) == 0
         && len == KEY_BYTES;
}

/* The key from the Secret Service, made and stored there the first time.
 * FALSE (and the key file is used) when no service answers. */
static gboolean
keyring_key (const char *key_path,
             guchar     *key)
{
  g_autoptr(GError) error = NULL;
  SecretValue *value = secret_password_lookup_binary_sync (&key_schema, NULL, &error,
                                                           "key-file", key_path, NULL);
  char hex[KEY_BYTES * 2 + 1];
  gboolean ok;

  if (error != NULL)
    {
      g_debug ("no Secret Service, the scan key stays in a file: %s", error->message);
      return FALSE;
    }
  if (value != NULL)
    {
      ok = key_from_hex (secret_value_get_text (value), key);
      secret_value_unref (value);
      return ok;
    }
  crypto_secretstream_xchacha20poly1305_keygen (key);
  sodium_bin2hex (hex, sizeof hex, key, KEY_BYTES);
  ok = secret_password_store_sync (&key_schema, SECRET_COLLECTION_DEFAULT,
                                   "Sportello PIN scan key", hex, NULL, &error,
                                   "key-file", key_path, NULL);
  sodium_memzero (hex, sizeof hex);
  if (!ok)
    g_debug ("the Secret Service refused the scan key: %s", error->message);
  return ok;
}

SpSealerKeySource
sp_sealer_get_key_source (SpSealer *sealer)
{
  return sealer->source;
}

SpSealer *
sp_sealer_new (const char *key_path,
               GError    **error)
{
  SpSealer *sealer;

  if (!sp_secret_init ())
    {
      g_set_error_literal (error, SP_SEALER_ERROR, SP_SEALER_ERROR_KEY, "libsodium could not be initialised");
      return NULL;
    }
  sealer = g_new0 (SpSealer, 1);
  sealer->key = sodium_malloc (KEY_BYTES);
  /* A store that began with a key file keeps it: its scans need it. */
  if (!g_file_test (key_path, G_FILE_TEST_EXISTS) && keyring_wanted ()
      && keyring_key (key_path, sealer->key))
    {
      sealer->source = SP_SEALER_KEY_SECRET_SERVICE;
      sodium_mprotect_readonly (sealer->key);
      return sealer;
    }
  sealer->source = SP_SEALER_KEY_FILE;
  if ((!g_file_test (key_path, G_FILE_TEST_EXISTS) && !create_key (key_path, error))
      || !read_key (key_path, sealer->key, error))
    {
      sp_sealer_free (sealer);
      return NULL;
    }
  sodium_mprotect_readonly (sealer->key);
  return sealer;
}

void
sp_sealer_free (SpSealer *sealer)
{
  if (sealer == NULL)
    return;
  if (sealer->key)
    {
      sodium_mprotect_readwrite (sealer->key);
      sodium_free (sealer->key);
    }
  g_free (sealer);
}

GBytes *
sp_sealer_seal (SpSealer *sealer,
                GBytes   *clear)
{
  crypto_secretstream_xchacha20poly1305_state state;
  gsize len;
  const guchar *in = g_bytes_get_data (clear, &len);
  gsize n_chunks = len / CHUNK + 1;
  GByteArray *out = g_byte_array_sized_new (crypto_secretstream_xchacha20poly1305_HEADERBYTES
                                            + len + n_chunks * crypto_secretstream_xchacha20poly1305_ABYTES);
  guchar header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];

  crypto_secretstream_xchacha20poly1305_init_push (&state, header, sealer->key);
  g_byte_array_append (out, header, sizeof header);
  for (gsize off = 0; ; off += CHUNK)
    {
      gsize n = MIN (CHUNK, len - off);
      gboolean last = off + n >= len;
      guint old = out->len;

      g_byte_array_set_size (out, old + n + crypto_secretstream_xchacha20poly1305_ABYTES);
      crypto_secretstream_xchacha20poly1305_push (&state, out->data + old, NULL, in + off, n, NULL, 0,
                                                  last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
      if (last)
        break;
    }
  sodium_memzero (&state, sizeof state);
  return g_byte_array_free_to_bytes (out);
}

GBytes *
sp_sealer_open (SpSealer *sealer,
                GBytes   *sealed,
                GError  **error)
{
  crypto_secretstream_xchacha20poly1305_state state;
  gsize len;
  const guchar *in = g_bytes_get_data (sealed, &len);
  const gsize hb = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
  const gsize ab = crypto_secretstream_xchacha20poly1305_ABYTES;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize off = hb;
  guchar tag = 0;

  if (len < hb + ab || crypto_secretstream_xchacha20poly1305_init_pull (&state, in, sealer->key) != 0)
    goto corrupt;
  while (off < len && tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL)
    {
      gsize n = MIN (CHUNK + ab, len - off);
      guint old = out->len;
      unsigned long long produced;

      if (n < ab)
        goto corrupt;
      g_byte_array_set_size (out, old + n - ab);
      if (crypto_secretstream_xchacha20poly1305_pull (&state, out->data + old, &produced, &tag,
                                                      in + off, n, NULL, 0) != 0)
        goto corrupt;
      off += n;
    }
  /* Truncated (no FINAL tag) or trailing bytes after it: refuse. */
  if (tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL || off != len)
    goto corrupt;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));

corrupt:
  if (out->len)
    sodium_memzero (out->data, out->len);
  g_set_error_literal (error, SP_SEALER_ERROR, SP_SEALER_ERROR_CORRUPT,
                       "the sealed scan is altered or truncated");
  return NULL;
}
