/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-context-property.h"
#include "sp-offline-banner.h"

struct _SpOfflineBanner
{
  AdwBin parent_instance;

  SpContext *context;       /* construct property */
  GtkRevealer *revealer;
};

G_DEFINE_FINAL_TYPE (SpOfflineBanner, sp_offline_banner, ADW_TYPE_BIN)

void
sp_offline_banner_update (SpOfflineBanner *self)
{
  SpSyncEngine *engine = self->context ? sp_context_get_engine (self->context) : NULL;
  gboolean offline = engine != NULL && sp_context_get_operator (self->context) != NULL
                     && !sp_sync_engine_get_online (engine);

  gtk_revealer_set_reveal_child (self->revealer, offline);
}

static void
sp_offline_banner_dispose (GObject *object)
{
  g_clear_object (&SP_OFFLINE_BANNER (object)->context);
  G_OBJECT_CLASS (sp_offline_banner_parent_class)->dispose (object);
}

SP_CONTEXT_PROPERTY (SpOfflineBanner, sp_offline_banner, SP_OFFLINE_BANNER)

static void
sp_offline_banner_class_init (SpOfflineBannerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sp_offline_banner_dispose;
  sp_offline_banner_install_context (klass);
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               "/io/github/sportellopin/SportelloPin/sp-offline-banner.ui");
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), SpOfflineBanner, revealer);
}

static void
sp_offline_banner_init (SpOfflineBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SpOfflineBanner *
sp_offline_banner_new (SpContext *context)
{
  SpOfflineBanner *self = g_object_new (SP_TYPE_OFFLINE_BANNER, "context", context, NULL);

  if (context)
    g_signal_connect_object (context, "sync-changed", G_CALLBACK (sp_offline_banner_update), self,
                             G_CONNECT_SWAPPED);
  sp_offline_banner_update (self);
  return self;
}
