/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-printer-pick.h"

typedef struct {
  GtkWidget *owner;
  SpPrinterPicked then;
} Pick;

static void
on_state (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Pick *pick = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpPrinterInfo) info = sp_print_service_get_printer_finish (SP_PRINT_SERVICE (source), result, &error);

  /* Cancelled with its page: nobody is waiting for the answer. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ;
  else if (info != NULL && sp_printer_info_check (info, &error))
    pick->then (pick->owner, info->name, NULL);
  else
    pick->then (pick->owner, NULL, error);
  g_object_unref (pick->owner);
  g_free (pick);
}

void
sp_printer_pick (SpApplication   *app,
                 GtkWidget       *owner,
                 gboolean         envelope,
                 GCancellable    *cancellable,
                 SpPrinterPicked  then)
{
  Pick *pick = g_new0 (Pick, 1);
  g_autofree char *name = sp_application_get_printer_name (app, envelope);

  pick->owner = g_object_ref (owner);
  pick->then = then;
  /* An empty name comes back as NOT_CONFIGURED, saying where to choose. */
  sp_print_service_get_printer_async (sp_application_get_print_service (app), name, cancellable,
                                      on_state, pick);
}

const char *
sp_printer_pick_reason (const GError *error)
{
  return error != NULL ? error->message : _("the print system gave no reason");
}
