/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include "sp-print-runner.h"
#include "sp-printer-pick.h"

/* How long the print system may take to list its printers. */
#define LOOKUP_TIMEOUT_S 20

typedef struct {
  SpApplication *app;
  GtkWidget *owner;
  gboolean envelope;
  SpPrinterPicked then;
} Pick;

static void
pick_done (Pick             *pick,
           GtkPrinter       *printer,
           GtkPrintSettings *settings,
           const GError     *error)
{
  pick->then (pick->owner, printer, settings, error);
  g_object_unref (pick->owner);
  g_free (pick);
}

static void
on_chosen (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Pick *pick = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkPrintSettings) settings = NULL;
  g_autoptr(GtkPrinter) printer = sp_print_choose_printer_finish (result, &settings, &error);

  if (printer != NULL)
    sp_application_remember_printer (pick->app, pick->envelope, gtk_printer_get_name (printer));
  pick_done (pick, printer, settings, error);
}

static void
on_found (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Pick *pick = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkPrinter) printer = sp_print_find_printer_finish (result, &error);

  /* A print system that does not answer would leave the dialog empty
   * too: say so, and let the operator try again. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      pick_done (pick, NULL, NULL, error);
      return;
    }
  if (printer == NULL)
    {
      /* Gone, or never chosen: ask. */
      sp_print_choose_printer_async (GTK_WINDOW (gtk_widget_get_root (pick->owner)), pick->envelope,
                                     NULL, on_chosen, pick);
      return;
    }
  pick_done (pick, printer, NULL, NULL);
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

  pick->app = app;
  pick->owner = g_object_ref (owner);
  pick->envelope = envelope;
  pick->then = then;
  sp_print_find_printer_async (name, LOOKUP_TIMEOUT_S, cancellable, on_found, pick);
}
