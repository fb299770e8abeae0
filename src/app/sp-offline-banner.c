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
}

static void
sp_offline_banner_init (SpOfflineBanner *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("network-offline-symbolic");
  GtkWidget *label = gtk_label_new (_("Working offline: central cannot be reached. Issuances are kept here "
                                      "and sent when it answers again."));

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Offline"), -1);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  /* The look of libadwaita's banners: the window's accent colours. */
  gtk_widget_add_css_class (box, "osd");
  gtk_widget_add_css_class (box, "toolbar");
  gtk_widget_set_margin_start (icon, 6);
  self->revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_transition_type (self->revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_revealer_set_child (self->revealer, box);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->revealer));
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
