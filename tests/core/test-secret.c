/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "sp-secret.h"

static void
test_hash_verify (void)
{
  g_autofree char *v = sp_secret_hash ("correct horse", 13, NULL);

  g_assert_nonnull (v);
  g_assert_true (g_str_has_prefix (v, "$argon2id$v=19$m=65536,t=3,p=1$"));
  g_assert_true (sp_secret_verifier_is_valid (v));
  g_assert_true (sp_secret_verify (v, "correct horse", 13));
  g_assert_false (sp_secret_verify (v, "correct horsf", 13));
  g_assert_false (sp_secret_verify (v, "correct hors", 12));
}

static void
test_malformed_verifiers (void)
{
  /* Costs beyond our bound are refused before libsodium allocates. */
  g_assert_false (sp_secret_verifier_is_valid ("$argon2id$v=19$m=4194304,t=3,p=1$c2FsdHNhbHQ$aGFzaA"));
  g_assert_false (sp_secret_verifier_is_valid ("$argon2i$v=19$m=32768,t=3,p=1$c2FsdA$aGFzaA"));
  g_assert_false (sp_secret_verifier_is_valid ("$argon2id$v=19$m=32768,t=3$c2FsdA$aGFzaA"));
  g_assert_false (sp_secret_verifier_is_valid (""));
  g_assert_false (sp_secret_verifier_is_valid (NULL));
  g_assert_false (sp_secret_verify ("garbage", "x", 1));
}

static void
test_sha256 (void)
{
  g_autofree char *empty = sp_sha256_hex ("", 0);
  g_autofree char *abc = sp_sha256_hex ("abc", 3);

  g_assert_cmpstr (empty, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  g_assert_cmpstr (abc, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void
test_uuid (void)
{
  g_autofree char *a = sp_uuid_new ();
  g_autofree char *b = sp_uuid_new ();

  g_assert_true (sp_uuid_is_valid (a));
  g_assert_cmpstr (a, !=, b);
  g_assert_cmpint (a[14], ==, '4');
  g_assert_true (strchr ("89ab", a[19]) != NULL);
  g_assert_false (sp_uuid_is_valid ("not-a-uuid"));
  g_assert_false (sp_uuid_is_valid ("123e4567-e89b-12d3-a456-42661417400g"));
  g_assert_true (sp_uuid_is_valid ("123e4567-e89b-12d3-a456-426614174000"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/secret/hash-verify", test_hash_verify);
  g_test_add_func ("/secret/malformed", test_malformed_verifiers);
  g_test_add_func ("/secret/sha256", test_sha256);
  g_test_add_func ("/secret/uuid", test_uuid);
  return g_test_run ();
}
