/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of central's transport pieces: the defaults of the
 * timeouts, the strict JSON check, the token buckets, the route table. */
#include "config.h"

#include <string.h>

#include "sp-central-http.h"
#include "sp-central-json.h"
#include "sp-central-limiter.h"
#include "sp-central-routes.h"

static void
test_defaults (void)
{
  SpCentralHttpConfig config;
  g_autoptr(GError) error = NULL;

  sp_central_http_config_init (&config);
  /* Issue 12: 15 s for a complete head, 60 s for an idle keep-alive. */
  g_assert_cmpuint (config.head_timeout_s, ==, 15);
  g_assert_cmpuint (config.idle_timeout_s, ==, 60);
  g_assert_cmpuint (config.connection_limit, >, config.per_ip_limit);
  g_assert_true (sp_central_http_config_parse (&config, "head_timeout=2,idle_timeout=3", &error));
  g_assert_cmpuint (config.head_timeout_s, ==, 2);
  g_assert_cmpuint (config.idle_timeout_s, ==, 3);
  g_assert_false (sp_central_http_config_parse (&config, "head_timeout=x", &error));
  g_clear_error (&error);
  g_assert_false (sp_central_http_config_parse (&config, "nonsense=1", &error));
}

static gboolean
json_ok (const char *text)
{
  return sp_central_json_check (text, strlen (text), NULL);
}

static int
json_error (const char *text,
            gsize       len)
{
  g_autoptr(GError) error = NULL;

  if (sp_central_json_check (text, len, &error))
    return -1;
  g_assert_true (error->domain == SP_CENTRAL_JSON_ERROR);
  return error->code;
}

static void
test_json (void)
{
  g_autofree char *deep = NULL;
  g_autofree char *ok_deep = NULL;
  g_autoptr(GString) wide = g_string_new ("{");
  g_autoptr(GString) longstr = g_string_new ("{\"a\":\"");

  g_assert_true (json_ok ("{}"));
  g_assert_true (json_ok (" {\"a\": [1, -2.5e+3, 0, true, false, null, \"\\u00e8\\ud83d\\ude00\", {}]} \n"));
  g_assert_true (json_ok ("{\"\xc3\xa8\": \"\xf0\x9f\x98\x80\"}"));
  g_assert_cmpint (json_error ("[]", 2), ==, SP_CENTRAL_JSON_ERROR_SYNTAX);
  g_assert_cmpint (json_error ("", 0), ==, SP_CENTRAL_JSON_ERROR_SYNTAX);
  g_assert_cmpint (json_error ("{\"a\":1}{}", 9), ==, SP_CENTRAL_JSON_ERROR_SYNTAX);
  g_assert_cmpint (json_error ("{\"a\":1,}", 8), ==, SP_CENTRAL_JSON_ERROR_SYNTAX);
  g_assert_cmpint (json_error ("{'a':1}", 7), ==, SP_CENTRAL_JSON_ERROR_SYNTAX);
  g_assert_cmpint (json_error ("{\"a\":1 /* c */}", 15), ==, SP_CENTRAL_JSON_ERROR_SYNTAX);
  g_assert_cmpint (json_error ("{\"a\":01}", 8), ==, SP_CENTRAL_JSON_ERROR_SYNTAX);
  g_assert_cmpint (json_error ("{\"a\":NaN}", 9), ==, SP_CENTRAL_JSON_ERROR_SYNTAX);
  g_assert_cmpint (json_error ("{\"a\":\"x\ty\"}", 11), ==, SP_CENTRAL_JSON_ERROR_SYNTAX);
  g_assert_cmpint (json_error ("{\"a\":1,\"a\":2}", 13), ==, SP_CENTRAL_JSON_ERROR_DUPLICATE);
  /* The same key written two ways is the same key. */
  g_assert_cmpint (json_error ("{\"a\":1,\"\\u0061\":2}", 18), ==, SP_CENTRAL_JSON_ERROR_DUPLICATE);
  g_assert_cmpint (json_error ("{\"a\":\"x\\u0000y\"}", 16), ==, SP_CENTRAL_JSON_ERROR_ENCODING);
  g_assert_cmpint (json_error ("{\"a\":\"\\ud800\"}", 14), ==, SP_CENTRAL_JSON_ERROR_ENCODING);
  g_assert_cmpint (json_error ("{\"a\":\"\xff\"}", 9), ==, SP_CENTRAL_JSON_ERROR_ENCODING);
  g_assert_cmpint (json_error ("{\"a\":\"\xc0\xaf\"}", 10), ==, SP_CENTRAL_JSON_ERROR_ENCODING);
  g_assert_cmpint (json_error ("{\"a\":\"x\0\"}", 10), ==, SP_CENTRAL_JSON_ERROR_SYNTAX);
  g_assert_cmpint (json_error ("\xef\xbb\xbf{}", 5), ==, SP_CENTRAL_JSON_ERROR_SYNTAX);
  /* 32 levels pass, 33 do not; 75,000 cannot recurse anywhere. */
  {
    g_autofree char *open30 = g_strnfill (30, '[');
    g_autofree char *close30 = g_strnfill (30, ']');
    g_autofree char *open75k = g_strnfill (75000, '[');

    ok_deep = g_strconcat ("{\"a\":", open30, close30, "}", NULL);
    deep = g_strconcat ("{\"a\":", open75k, NULL);
  }
  g_assert_true (json_ok (ok_deep));
  g_assert_cmpint (json_error (deep, strlen (deep)), ==, SP_CENTRAL_JSON_ERROR_LIMIT);
  for (int i = 0; i <= SP_CENTRAL_JSON_MAX_MEMBERS; i++)
    g_string_append_printf (wide, "%s\"k%d\":%d", i ? "," : "", i, i);
  g_string_append_c (wide, '}');
  g_assert_cmpint (json_error (wide->str, wide->len), ==, SP_CENTRAL_JSON_ERROR_LIMIT);
  for (int i = 0; i <= SP_CENTRAL_JSON_MAX_STRING; i++)
    g_string_append_c (longstr, 'x');
  g_string_append (longstr, "\"}");
  g_assert_cmpint (json_error (longstr->str, longstr->len), ==, SP_CENTRAL_JSON_ERROR_LIMIT);
}

static void
test_limiter (void)
{
  SpCentralLimiter *limiter = sp_central_limiter_new (3, 0.5, 100);
  guint wait = 0;

  for (int i = 0; i < 3; i++)
    g_assert_true (sp_central_limiter_take (limiter, "10.0.0.1", &wait));
  g_assert_false (sp_central_limiter_take (limiter, "10.0.0.1", &wait));
  g_assert_cmpuint (wait, ==, 2);
  /* Another key has its own bucket. */
  g_assert_true (sp_central_limiter_take (limiter, "10.0.0.2", &wait));
  /* Many keys do not grow the table past its bound: full buckets go. */
  for (int i = 0; i < 1000; i++)
    {
      g_autofree char *key = g_strdup_printf ("k%d", i);
      sp_central_limiter_take (limiter, key, &wait);
    }
  sp_central_limiter_free (limiter);
}

static void
test_routes (void)
{
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const SpCentralRoute *route;
  char *allow = NULL;

  g_assert_cmpint (sp_central_routes_match ("GET", "/v1/citizens/RSSMRA80A01H501U", &route, params, &allow),
                   ==, SP_CENTRAL_MATCH_FOUND);
  g_assert_cmpstr (g_hash_table_lookup (params, "cf"), ==, "RSSMRA80A01H501U");
  g_assert_cmpint (sp_central_routes_match ("PUT", "/v1/issuances/x/attachments/document", &route, params, &allow),
                   ==, SP_CENTRAL_MATCH_FOUND);
  g_assert_cmpuint (route->body_limit, ==, SP_CENTRAL_ATTACHMENT_LIMIT);
  g_assert_cmpint (sp_central_routes_match ("DELETE", "/v1/citizens/X", &route, NULL, &allow),
                   ==, SP_CENTRAL_MATCH_NO_METHOD);
  g_assert_cmpstr (allow, ==, "GET");
  g_free (allow);
  g_assert_cmpint (sp_central_routes_match ("GET", "/v1/citizens/", &route, NULL, NULL), ==, SP_CENTRAL_MATCH_NO_PATH);
  g_assert_cmpint (sp_central_routes_match ("GET", "/v1/citizens/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q", &route, NULL, NULL),
                   ==, SP_CENTRAL_MATCH_NO_PATH);
  g_assert_cmpint (sp_central_routes_match ("GET", "v1/status", &route, NULL, NULL), ==, SP_CENTRAL_MATCH_NO_PATH);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/central/transport/defaults", test_defaults);
  g_test_add_func ("/central/transport/json", test_json);
  g_test_add_func ("/central/transport/limiter", test_limiter);
  g_test_add_func ("/central/transport/routes", test_routes);
  return g_test_run ();
}
