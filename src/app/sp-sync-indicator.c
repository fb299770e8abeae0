/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-context-property.h"
#include "sp-sync-indicator.h"

struct _SpSyncIndicator
{
  AdwBin parent_instance;

  SpContext *context;      /* construct property */
  GtkMenuButton *button;
  AdwButtonContent *content;
  GtkLabel *details;
  char *shown_label;       /* what the button says now */
};

G_DEFINE_FINAL_TYPE (SpSyncIndicator, sp_sync_indicator, ADW_TYPE_BIN)

/* The operator's words for why central is out of reach (an offline
 * login has not tried yet: out of reach too); the engine's technical
 * text goes to the debug log, not on screen. */
static const char *
offline_reason (const char *error)
{
  g_debug ("synchronisation: %s", error ? error : "not tried yet");
  if (error == NULL || g_str_has_prefix (error, "central unreachable"))
    return _("Central cannot be reached. Issuances are kept on this workstation and sent as soon as "
             "central answers again; you can keep working.");
  return _("Central did not accept the last synchronisation. It is tried again by itself; "
           "you can keep working.");
}

/* What central refused, in the operator's words: the entry's body is the
 * JSON sent (an issuance) or a kind name, not something to show. */
static char *
problem_text (const SpOutboxEntry *e)
{
  switch (e->kind)
    {
    case SP_OUTBOX_KIND_ISSUANCE:
      return g_strdup_printf (_("The issuance %s"), e->target);
    case SP_OUTBOX_KIND_VOID:
      return g_strdup_printf (_("The cancellation of the issuance %s"), e->target);
    case SP_OUTBOX_KIND_ATTACHMENT:
      return g_strdup_printf (_("A scan of the issuance %s"), e->target);
    default:
      return g_strdup (e->target);
    }
}

static char *
details_text (SpSyncIndicator *self,
              SpSyncEngine    *engine,
              gint64           attention)
{
  GString *s = g_string_new (NULL);
  gint64 last = 0;
  const char *error = sp_sync_engine_get_last_error (engine);

  g_object_get (engine, "last-success", &last, NULL);
  if (last > 0)
    {
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (last / 1000);
      g_autofree char *when = g_date_time_format (at, "%x %H:%M:%S");

      g_string_append_printf (s, _("Last synchronised: %s"), when);
    }
  else
    g_string_append (s, _("Not synchronised yet in this session."));
  if (!sp_sync_engine_get_online (engine))
    g_string_append_printf (s, "\n%s", offline_reason (error));
  if (attention > 0)
    {
      g_autoptr(GPtrArray) problems = sp_store_outbox_problems (sp_context_get_store (self->context));

      g_string_append_printf (s, "\n\n%s", _("Needs attention (refused by central):"));
      for (guint i = 0; i < problems->len; i++)
        {
          g_autofree char *what = problem_text (g_ptr_array_index (problems, i));

          g_string_append_printf (s, "\n • %s", what);
        }
    }
  return g_string_free (s, FALSE);
}

void
sp_sync_indicator_update (SpSyncIndicator *self)
{
  SpSyncEngine *engine = self->context ? sp_context_get_engine (self->context) : NULL;
  gint64 waiting = 0, attention = 0;
  g_autofree char *label = NULL;
  g_autofree char *details = NULL;
  const char *icon;

  if (engine == NULL)
    return;
  g_object_get (engine, "waiting", &waiting, "attention", &attention, NULL);
  if (attention > 0)
    {
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d needs attention", "%d need attention",
                                            (int) attention), (int) attention);
      icon = "dialog-warning-symbolic";
    }
  else if (waiting > 0)
    {
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d waiting", "%d waiting", (int) waiting),
                               (int) waiting);
      icon = "emblem-synchronizing-symbolic";
    }
  else if (sp_sync_engine_get_online (engine))
    {
      label = g_strdup (_("Online"));
      icon = "network-transmit-receive-symbolic";
    }
  else
    {
      label = g_strdup (_("Offline"));
      icon = "network-offline-symbolic";
    }
  if (waiting > 0 && attention == 0 && !sp_sync_engine_get_online (engine))
    {
      g_free (label);
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Offline, %d waiting", "Offline, %d waiting",
                                            (int) waiting), (int) waiting);
    }
  /* The same state again changes nothing on screen (nor in the
   * accessibility tree screen readers walk). */
  if (g_strcmp0 (label, self->shown_label) != 0)
    {
      adw_button_content_set_icon_name (self->content, icon);
      adw_button_content_set_label (self->content, label);
      g_free (self->shown_label);
      self->shown_label = g_strdup (label);
    }
  {
    g_autofree char *name = g_strdup_printf (_("Synchronisation: %s"), label);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  }
  details = details_text (self, engine, attention);
  gtk_label_set_text (self->details, details);
}

static void
sync_now (SpSyncIndicator *self)
{
  sp_sync_engine_kick (sp_context_get_engine (self->context));
  gtk_menu_button_popdown (self->button);
}

static void
sp_sync_indicator_dispose (GObject *object)
{
  g_clear_object (&SP_SYNC_INDICATOR (object)->context);
  g_clear_pointer (&SP_SYNC_INDICATOR (object)->shown_label, g_free);
  G_OBJECT_CLASS (sp_sync_indicator_parent_class)->dispose (object);
}

SP_CONTEXT_PROPERTY (SpSyncIndicator, sp_sync_indicator, SP_SYNC_INDICATOR)

static void
sp_sync_indicator_class_init (SpSyncIndicatorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sp_sync_indicator_dispose;
  sp_sync_indicator_install_context (klass);
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               "/io/github/sportellopin/SportelloPin/sp-sync-indicator.ui");
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), SpSyncIndicator, button);
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), SpSyncIndicator, content);
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), SpSyncIndicator, details);
  gtk_widget_class_bind_template_callback (GTK_WIDGET_CLASS (klass), sync_now);
}

static void
sp_sync_indicator_init (SpSyncIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SpSyncIndicator *
sp_sync_indicator_new (SpContext *context)
{
  SpSyncIndicator *self = g_object_new (SP_TYPE_SYNC_INDICATOR, "context", context, NULL);

  if (context)
    {
      g_signal_connect_object (context, "sync-changed", G_CALLBACK (sp_sync_indicator_update), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (context, "issuances-changed", G_CALLBACK (sp_sync_indicator_update), self,
                               G_CONNECT_SWAPPED);
    }
  sp_sync_indicator_update (self);
  return self;
}
