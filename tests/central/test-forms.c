/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the citizen's pages' pieces: the strict form reader,
 * the Cookie header, the CSRF tokens (bound to cookie, form and time)
 * and the escaping of what a page writes back. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sp-central-csrf.h"
#include "sp-central-form.h"
#include "sp-central-page.h"
#include "sp-central-request.h"

static GHashTable *
parse (const char *text)
{
  return sp_central_form_parse (text, strlen (text), NULL);
}

static void
test_form_good (void)
{
  g_autoptr(GHashTable) f = parse ("cf=RSSMRA80A01H501U&surname=D%27Amico+Rossi&street=Via+Roma%2C+1&empty=");
  g_autoptr(GHashTable) utf8 = parse ("city=Forl%C3%AC");
  g_autoptr(GHashTable) none = parse ("");

  g_assert_nonnull (f);
  g_assert_cmpstr (g_hash_table_lookup (f, "surname"), ==, "D'Amico Rossi");
  g_assert_cmpstr (g_hash_table_lookup (f, "street"), ==, "Via Roma, 1");
  g_assert_cmpstr (g_hash_table_lookup (f, "empty"), ==, "");
  g_assert_cmpstr (g_hash_table_lookup (utf8, "city"), ==, "Forlì");
  g_assert_cmpuint (g_hash_table_size (none), ==, 0);
}

static void
test_form_bad (void)
{
  const char *bad[] = {
    "cf",                          /* no "=" */
    "cf=a&cf=b",                   /* twice */
    "cf=%4",                       /* short escape */
    "cf=%zz",                      /* not hex */
    "cf=a%00b",                    /* NUL */
    "cf=a%1Bb",                    /* a control character */
    "cf=%C3%28",                   /* not UTF-8 */
    "cf=%C0%AF",                   /* overlong UTF-8 */
    "CF=a",                        /* a name not [a-z0-9_] */
    "c%66=a&cf=b",                 /* the same name, escaped */
    "cf=a&",                       /* a trailing empty pair */
    "&cf=a",
    "=a",
  };
  g_autoptr(GString) many = g_string_new (NULL);
  g_autoptr(GString) long_value = g_string_new ("cf=");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GHashTable) f = parse (bad[i]);

      if (f != NULL)
        g_error ("accepted %s", bad[i]);
    }
  for (guint i = 0; i <= SP_CENTRAL_FORM_MAX_FIELDS; i++)
    g_string_append_printf (many, "%sf%u=x", i ? "&" : "", i);
  g_assert_null (parse (many->str));
  for (guint i = 0; i <= SP_CENTRAL_FORM_MAX_VALUE; i++)
    g_string_append_c (long_value, 'a');
  g_assert_null (parse (long_value->str));
}

static void
test_cookie (void)
{
  g_autofree char *a = sp_central_cookie_value ("x=1; sp_csrf=abc; y=2", "sp_csrf");
  g_autofree char *b = sp_central_cookie_value ("not_sp_csrf=abc", "sp_csrf");
  g_autofree char *c = sp_central_cookie_value (NULL, "sp_csrf");

  g_assert_cmpstr (a, ==, "abc");
  g_assert_null (b);
  g_assert_null (c);
}

static void
test_csrf (void)
{
  g_autofree char *cookie = sp_central_csrf_new_cookie ();
  g_autofree char *other = sp_central_csrf_new_cookie ();
  gint64 now = 1800000000;
  g_autofree char *token = sp_central_csrf_token (cookie, "richiesta", now);
  g_autofree char *tampered = g_strdup (token);

  g_assert_true (sp_central_csrf_cookie_ok (cookie));
  g_assert_false (sp_central_csrf_cookie_ok ("short"));
  g_assert_false (sp_central_csrf_cookie_ok (NULL));
  g_assert_cmpstr (cookie, !=, other);
  g_assert_true (sp_central_csrf_check (cookie, "richiesta", token, now + 60));
  /* bound to the cookie, to the form, and to its time */
  g_assert_false (sp_central_csrf_check (other, "richiesta", token, now));
  g_assert_false (sp_central_csrf_check (cookie, "recupero", token, now));
  g_assert_false (sp_central_csrf_check (cookie, "richiesta", token, now + SP_CENTRAL_CSRF_TTL_S + 1));
  /* too old but ours: the page may give the form back; anything else is BAD */
  g_assert_cmpint (sp_central_csrf_verify (cookie, "richiesta", token, now + SP_CENTRAL_CSRF_TTL_S + 1), ==,
                   SP_CENTRAL_CSRF_EXPIRED);
  g_assert_cmpint (sp_central_csrf_verify (other, "richiesta", token, now + SP_CENTRAL_CSRF_TTL_S + 1), ==,
                   SP_CENTRAL_CSRF_BAD);
  g_assert_cmpint (sp_central_csrf_verify (cookie, "recupero", token, now + SP_CENTRAL_CSRF_TTL_S + 1), ==,
                   SP_CENTRAL_CSRF_BAD);
  g_assert_false (sp_central_csrf_check (cookie, "richiesta", token, now - 3600));
  tampered[strlen (tampered) - 2] = tampered[strlen (tampered) - 2] == 'A' ? 'B' : 'A';
  g_assert_false (sp_central_csrf_check (cookie, "richiesta", tampered, now));
  /* a later time with the old MAC does not check */
  {
    g_autofree char *mac = g_strdup (strchr (token, '.'));
    g_autofree char *moved = g_strdup_printf ("%" G_GINT64_FORMAT "%s", now + 100, mac);

    g_assert_false (sp_central_csrf_check (cookie, "richiesta", moved, now + 100));
  }
  g_assert_false (sp_central_csrf_check (cookie, "richiesta", NULL, now));
  g_assert_false (sp_central_csrf_check (cookie, "richiesta", "", now));
}

static void
test_escaping (void)
{
  g_autoptr(SpCentralRequest) req = sp_central_request_new ("GET", "/cittadino/");
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) errors = sp_central_field_errors_new ();
  const SpCentralField name = { "surname", "Surname", NULL, "text", NULL, TRUE, 64 };
  const SpCentralField secret = { "pin", "PIN", NULL, "password", NULL, TRUE, 16, TRUE };
  SpCentralPage *page = sp_central_page_new (req, "Test");
  g_autoptr(SpCentralResponse) resp = NULL;
  g_autofree char *html = NULL;

  g_hash_table_insert (values, (char *) "surname", (char *) "\"><script>alert('x')</script>");
  g_hash_table_insert (values, (char *) "pin", (char *) "ABCDEFGH");
  sp_central_field_errors_add (errors, "surname", "<b>wrong</b>");
  sp_central_page_errors (page, errors);
  sp_central_page_field (page, &name, values, errors);
  sp_central_page_field (page, &secret, values, errors);
  resp = sp_central_page_finish (page, 200);
  html = g_strndup (g_bytes_get_data (resp->body, NULL), g_bytes_get_size (resp->body));
  g_assert_null (strstr (html, "<script>"));
  g_assert_null (strstr (html, "<b>"));
  g_assert_nonnull (strstr (html, "&quot;&gt;&lt;script&gt;"));
  /* a secret field is never written back */
  g_assert_null (strstr (html, "ABCDEFGH"));
  g_assert_nonnull (strstr (html, "aria-describedby=\"f-surname-error\""));
  g_assert_nonnull (strstr (html, "<a href=\"#f-surname\">"));
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("sp-forms-XXXXXX", NULL);
  g_autofree char *key = g_build_filename (dir, "outbox.key", NULL);
  int status;

  g_setenv ("SP_CENTRAL_KEY_FILE", key, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/forms/good", test_form_good);
  g_test_add_func ("/forms/bad", test_form_bad);
  g_test_add_func ("/forms/cookie", test_cookie);
  g_test_add_func ("/forms/csrf", test_csrf);
  g_test_add_func ("/forms/escaping", test_escaping);
  status = g_test_run ();
  g_unlink (key);
  g_rmdir (dir);
  return status;
}
