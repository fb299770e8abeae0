/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-context"

#include "config.h"

#include "sp-context-settings.h"

static const struct {
  const char *key;
  SpSettingEffect effect;
} effects[] = {
  /* The context (below). */
  { "allow-offline-issuance", SP_SETTING_AT_ONCE },
  { "offline-login-hours", SP_SETTING_AT_ONCE },        /* the next offline login */
  { "sync-interval-seconds", SP_SETTING_AT_ONCE },      /* the running engine restarts its timer */
  { "sede-code", SP_SETTING_NEXT_LOGIN },               /* checked when an operator logs in */
  { "central-url", SP_SETTING_NEXT_LOGIN },             /* at once when nobody is logged in */
  { "central-ca-file", SP_SETTING_NEXT_LOGIN },
  /* The window: the idle lock re-arms on a change. */
  { "lock-after-minutes", SP_SETTING_AT_ONCE },
  { "window-width", SP_SETTING_WINDOW },
  { "window-height", SP_SETTING_WINDOW },
  { "window-maximized", SP_SETTING_WINDOW },
  /* Printing: read for each print (sp-print-settings.c, the print service). */
  { "envelope-printer", SP_SETTING_AT_ONCE },
  { "document-printer", SP_SETTING_AT_ONCE },
  { "envelope-layout", SP_SETTING_AT_ONCE },
  { "envelope-offsets", SP_SETTING_AT_ONCE },
  { "print-timeout-seconds", SP_SETTING_AT_ONCE },
};

SpSettingEffect
sp_setting_effect (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (effects); i++)
    if (g_strcmp0 (effects[i].key, key) == 0)
      return effects[i].effect;
  return SP_SETTING_UNKNOWN;
}

char *
sp_settings_get_central_url (GSettings *settings)
{
  const char *env = g_getenv ("SPORTELLO_CENTRAL_URL");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_settings_get_string (settings, "central-url");
}

static void
on_central_url_changed (GSettings  *settings,
                        const char *key,
                        SpContext  *context)
{
  g_autofree char *url = sp_settings_get_central_url (settings);

  sp_context_set_central_url (context, url);
}

static void
on_ca_file_changed (GSettings  *settings,
                    const char *key,
                    SpContext  *context)
{
  g_autofree char *ca = g_settings_get_string (settings, "central-ca-file");

  sp_context_set_ca_file (context, ca);
}

void
sp_context_bind_settings (SpContext *context,
                          GSettings *settings)
{
  static const char *const bound[] = {
    "allow-offline-issuance", "offline-login-hours", "sync-interval-seconds", "sede-code",
  };

  g_return_if_fail (SP_IS_CONTEXT (context));
  g_return_if_fail (G_IS_SETTINGS (settings));
  for (guint i = 0; i < G_N_ELEMENTS (bound); i++)
    g_settings_bind (settings, bound[i], context, bound[i], G_SETTINGS_BIND_GET);
  /* The context was made with the URL and CA of the moment: only changes
   * are followed here. */
  g_signal_connect_object (settings, "changed::central-url", G_CALLBACK (on_central_url_changed), context, 0);
  g_signal_connect_object (settings, "changed::central-ca-file", G_CALLBACK (on_ca_file_changed), context, 0);
}
