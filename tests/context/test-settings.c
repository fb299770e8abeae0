/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every key of the workstation's GSettings schema has a reader and a
 * moment it applies (the table in sp-context-settings.c); the context's
 * keys reach it as they change, central-url and central-ca-file at once
 * while nobody is logged in, and the print service follows
 * print-timeout-seconds. GSETTINGS_BACKEND=memory (the test env). */
#include <gio/gio.h>

#include "sp-context-settings.h"
#include "sp-print-settings.h"

#define SCHEMA "io.github.sportellopin.SportelloPin"

static void
test_every_key_has_a_reader (void)
{
  g_autoptr(GSettingsSchema) schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (),
                                                                       SCHEMA, TRUE);
  g_auto(GStrv) keys = NULL;

  g_assert_nonnull (schema);
  keys = g_settings_schema_list_keys (schema);
  g_assert_cmpuint (g_strv_length (keys), >, 10);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_test_message ("%s: %d", keys[i], sp_setting_effect (keys[i]));
      g_assert_cmpint (sp_setting_effect (keys[i]), !=, SP_SETTING_UNKNOWN);
    }
  g_assert_cmpint (sp_setting_effect ("no-such-key"), ==, SP_SETTING_UNKNOWN);
}

static void
test_context_follows (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sp-settings-XXXXXX", NULL);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpContext) ctx = NULL;
  gboolean allow;
  guint hours, interval;
  g_autofree char *sede = NULL;

  g_unsetenv ("SPORTELLO_CENTRAL_URL");
  ctx = sp_context_new (dir, "http://127.0.0.1:1", NULL, "ws-test", &error);
  g_assert_no_error (error);
  sp_context_bind_settings (ctx, settings);
  /* Bound: the context takes the settings' values at once … */
  g_settings_set_boolean (settings, "allow-offline-issuance", FALSE);
  g_settings_set_uint (settings, "offline-login-hours", 4);
  g_settings_set_uint (settings, "sync-interval-seconds", 77);
  g_settings_set_string (settings, "sede-code", "0800");
  g_object_get (ctx, "allow-offline-issuance", &allow, "offline-login-hours", &hours,
                "sync-interval-seconds", &interval, "sede-code", &sede, NULL);
  g_assert_false (allow);
  g_assert_cmpuint (hours, ==, 4);
  g_assert_cmpuint (interval, ==, 77);
  g_assert_cmpstr (sede, ==, "0800");
  /* … and after each change. */
  g_settings_set_boolean (settings, "allow-offline-issuance", TRUE);
  g_object_get (ctx, "allow-offline-issuance", &allow, NULL);
  g_assert_true (allow);
  /* Nobody is logged in: a new central applies at once. */
  g_settings_set_string (settings, "central-url", "http://127.0.0.1:2");
  g_assert_cmpstr (sp_context_get_central_url (ctx), ==, "http://127.0.0.1:2");
  /* The environment wins over the key (tests, the demo). */
  g_setenv ("SPORTELLO_CENTRAL_URL", "http://127.0.0.1:3", TRUE);
  g_settings_set_string (settings, "central-url", "http://127.0.0.1:4");
  g_assert_cmpstr (sp_context_get_central_url (ctx), ==, "http://127.0.0.1:3");
  g_unsetenv ("SPORTELLO_CENTRAL_URL");
  g_clear_object (&ctx);
  g_assert_cmpint (system (cmd), ==, 0);
}

static void
test_print_timeout_follows (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA);
  g_autoptr(SpPrintService) service = sp_print_service_new ();

  g_settings_set_uint (settings, "print-timeout-seconds", 30);
  sp_print_settings_bind_service (settings, service);
  g_assert_cmpuint (sp_print_service_get_job_timeout (service), ==, 30);
  /* Read once at start was the bug: a change applies to the next job. */
  g_settings_set_uint (settings, "print-timeout-seconds", 45);
  g_assert_cmpuint (sp_print_service_get_job_timeout (service), ==, 45);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/settings/every-key-has-a-reader", test_every_key_has_a_reader);
  g_test_add_func ("/settings/context-follows", test_context_follows);
  g_test_add_func ("/settings/print-timeout-follows", test_print_timeout_follows);
  return g_test_run ();
}
