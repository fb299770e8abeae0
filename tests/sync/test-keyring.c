/* SPDX-License-Identifier: GPL-3.0-or-later */
/* With a Secret Service on the session bus (run-keyring.sh starts
 * gnome-keyring in a private dbus session), the scan key lives there and
 * not in a file; the scans open again after a reopen, and a store made
 * with a key file keeps using its file. */
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "sp-store.h"

static void
test_key_in_keyring (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sp-keyring-XXXXXX", NULL);
  g_autofree char *key_file = g_build_filename (dir, "keys", "scans.key", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpStore) store = sp_store_open (dir, &error);
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GList) items = NULL;
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

  g_assert_no_error (error);
  g_assert_true (sp_store_key_in_keyring (store));
  g_assert_false (g_file_test (key_file, G_FILE_TEST_EXISTS));
  /* It is there, under our schema, for this store. */
  items = secret_password_search_sync (&(SecretSchema) { "io.github.sportellopin.ScanKey", SECRET_SCHEMA_NONE,
                                                         { { "key-file", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } } },
                                       SECRET_SEARCH_ALL, NULL, &error, "key-file", key_file, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_list_free_full (g_steal_pointer (&items), g_object_unref);
  g_clear_pointer (&store, sp_store_close);
  g_assert_cmpint (system (cmd), ==, 0);
}

static void
test_key_file_kept (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sp-keyring-XXXXXX", NULL);
  g_autofree char *key_file = g_build_filename (dir, "keys", "scans.key", NULL);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_autoptr(GError) error = NULL;
  SpStore *store;

  /* First opened where no keyring answers: a key file. */
  g_setenv ("SP_NO_SECRET_SERVICE", "1", TRUE);
  store = sp_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_false (sp_store_key_in_keyring (store));
  sp_store_close (store);
  g_unsetenv ("SP_NO_SECRET_SERVICE");
  /* Then with one: the file still holds the key its scans need. */
  store = sp_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_false (sp_store_key_in_keyring (store));
  g_assert_true (g_file_test (key_file, G_FILE_TEST_EXISTS));
  sp_store_close (store);
  g_assert_cmpint (system (cmd), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/keyring/key-in-keyring", test_key_in_keyring);
  g_test_add_func ("/keyring/key-file-kept", test_key_file_kept);
  return g_test_run ();
}
