/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The printer chooser (GtkPrintUnixDialog) under Xvfb: for the PIN
 * envelope, "Print to File" is not accepted and the dialog stays open;
 * for the other documents it is. */
#include "config.h"

#include <string.h>

#include "sp-print-runner.h"

typedef struct {
  gboolean done;
  GtkPrinter *printer;
  GError *error;
} Chosen;

static void
chosen (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Chosen *c = user_data;
  g_autoptr(GtkPrintSettings) settings = NULL;

  c->printer = sp_print_choose_printer_finish (result, &settings, &c->error);
  c->done = TRUE;
}

static GtkPrintUnixDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_PRINT_UNIX_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_PRINT_UNIX_DIALOG (window);
    }
  return NULL;
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* Selects the printer named name once its backend has listed it. */
static gboolean
select_printer (GtkPrintUnixDialog *dialog,
                const char         *name)
{
  g_autoptr(GtkPrintSettings) settings = gtk_print_settings_new ();

  gtk_print_settings_set_printer (settings, name);
  gtk_print_unix_dialog_set_settings (dialog, settings);
  for (guint i = 0; i < 500; i++)
    {
      GtkPrinter *p = gtk_print_unix_dialog_get_selected_printer (dialog);

      if (p != NULL && g_strcmp0 (gtk_printer_get_name (p), name) == 0)
        return TRUE;
      spin (10);
    }
  return FALSE;
}

static const char *
file_printer_name (void)
{
  /* As GTK's file backend names it, in the test's language (C). */
  return "Print to File";
}

static void
test_envelope_refuses_file (void)
{
  Chosen c = { 0 };
  GtkPrintUnixDialog *dialog;
  GtkPrinter *printer;

  sp_print_choose_printer_async (NULL, TRUE, NULL, chosen, &c);
  spin (100);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (select_printer (dialog, file_printer_name ()));
  printer = gtk_print_unix_dialog_get_selected_printer (dialog);
  g_assert_true (gtk_printer_is_virtual (printer));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_OK);
  spin (200);
  /* Still open, saying why, and nothing chosen. */
  g_assert_false (c.done);
  g_assert_true (find_dialog () == dialog);
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (dialog)), "cannot be printed to a file"));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  spin (100);
  g_assert_true (c.done);
  g_assert_null (c.printer);
  g_assert_error (c.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&c.error);
  g_assert_null (find_dialog ());
}

static void
test_receipt_accepts_file (void)
{
  Chosen c = { 0 };
  GtkPrintUnixDialog *dialog;

  sp_print_choose_printer_async (NULL, FALSE, NULL, chosen, &c);
  spin (100);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (select_printer (dialog, file_printer_name ()));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_OK);
  for (guint i = 0; i < 100 && !c.done; i++)
    spin (10);
  g_assert_true (c.done);
  g_assert_no_error (c.error);
  g_assert_nonnull (c.printer);
  g_assert_true (gtk_printer_is_virtual (c.printer));
  g_object_unref (c.printer);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/print/dialog/envelope-refuses-file", test_envelope_refuses_file);
  g_test_add_func ("/print/dialog/receipt-accepts-file", test_receipt_accepts_file);
  return g_test_run ();
}
