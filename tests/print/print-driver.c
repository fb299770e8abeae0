/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Prints one document through the app's real print path (SpPrintRunner:
 * GtkPrintJob, then the job followed in CUPS) and says how it ended:
 *
 *   print-driver --printer Q --document envelope|receipt|mv35|register|calibration
 *                [--hold] [--cancel-after MS] [--timeout S] [--expect-job]
 *   print-driver --printer Q --issuance STORE_DIR
 *
 * Prints "outcome=<printed|cancelled|failed> job=<id> message=<…>".
 * The envelope's PIN is read from standard input. --issuance runs a whole
 * issuance: a fresh PIN, the issuance committed to the store, the envelope
 * and the receipt printed, and writes "pin=…" on standard output (a pipe
 * to the test, which then looks for the PIN everywhere on disk). --hold
 * asks CUPS to hold the job, so that the test can cancel it. */
#include "config.h"

#include <sodium.h>
#include <stdio.h>

#include "print-fixture.h"
#include "sp-calibration.h"
#include "sp-envelope.h"
#include "sp-mv35.h"
#include "sp-print-runner.h"
#include "sp-receipt.h"
#include "sp-register.h"
#include "sp-store.h"

static char *printer_name;
static char *document_name;
static char *store_dir;
static char *receipt_printer_name;
static gboolean hold;
static gboolean twice;
static int cancel_after_ms = -1;
static int timeout_s = 30;
static int lookup_timeout_s = 20;
static char *last_message;   /* of the last print, for the void's reason */

static const GOptionEntry entries[] = {
  { "printer", 0, 0, G_OPTION_ARG_STRING, &printer_name, "CUPS queue", "Q" },
  { "document", 0, 0, G_OPTION_ARG_STRING, &document_name, "document to print", "NAME" },
  { "issuance", 0, 0, G_OPTION_ARG_FILENAME, &store_dir, "run a whole issuance on this store", "DIR" },
  { "receipt-printer", 0, 0, G_OPTION_ARG_STRING, &receipt_printer_name, "queue for the receipt (--issuance)", "Q" },
  { "twice", 0, 0, G_OPTION_ARG_NONE, &twice, "print the same document a second time", NULL },
  { "hold", 0, 0, G_OPTION_ARG_NONE, &hold, "ask CUPS to hold the job", NULL },
  { "cancel-after", 0, 0, G_OPTION_ARG_INT, &cancel_after_ms, "cancel after MS milliseconds", "MS" },
  { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s, "job timeout", "S" },
  { "lookup-timeout", 0, 0, G_OPTION_ARG_INT, &lookup_timeout_s, "printer lookup timeout", "S" },
  { NULL },
};

typedef struct {
  GMainLoop *loop;
  SpPrintOutcome outcome;
  char *message;
} Wait;

static void
printed (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->outcome = sp_print_runner_print_finish (SP_PRINT_RUNNER (source), result, &w->message);
  g_main_loop_quit (w->loop);
}

static gboolean lookup_done;

static void
found (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  GtkPrinter **printer = user_data;
  g_autoptr(GError) error = NULL;

  *printer = sp_print_find_printer_finish (result, &error);
  if (error != NULL)
    g_printerr ("print-driver: %s\n", error->message);
  lookup_done = TRUE;
}

static gboolean
cancel_now (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static GtkPrinter *
lookup (const char *name)
{
  GtkPrinter *printer = NULL;

  lookup_done = FALSE;
  sp_print_find_printer_async (name, lookup_timeout_s, NULL, found, &printer);
  while (!lookup_done)
    g_main_context_iteration (NULL, TRUE);
  return printer;
}

static SpPrintOutcome
print (GtkPrinter      *printer,
       SpPrintDocument *document)
{
  g_autoptr(GtkPrintSettings) settings = gtk_print_settings_new ();
  g_autoptr(SpPrintRunner) runner = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait w = { loop, SP_PRINT_OUTCOME_FAILED, NULL };

  /* GTK's CUPS backend passes "cups-" settings on as job attributes. */
  if (hold)
    gtk_print_settings_set (settings, "cups-job-hold-until", "indefinite");
  runner = sp_print_runner_new (printer, settings);
  sp_print_runner_set_timeout (runner, timeout_s);
  if (cancel_after_ms >= 0)
    g_timeout_add (cancel_after_ms, cancel_now, cancellable);
  sp_print_runner_print_async (runner, document, cancellable, printed, &w);
  g_main_loop_run (loop);
  printf ("outcome=%s job=%d message=%s\n", sp_print_outcome_to_string (w.outcome),
          sp_print_runner_get_job_id (runner), w.message ? w.message : "");
  fflush (stdout);
  g_free (last_message);
  last_message = w.message;
  return w.outcome;
}

static SpPrintDocument *
make_document (const SpIssuance *is,
               const SpPin      *pin)
{
  SpEnvelopeOptions options = { SP_ENVELOPE_LAYOUT_A4_DL, "Milano Nord", "Via Mac Mahon 4, 20155 Milano", 0, 0 };
  g_autoptr(GPtrArray) rows = NULL;
  GDate date;

  if (g_str_equal (document_name, "envelope"))
    return sp_envelope_document_new (is, pin, &options);
  if (g_str_equal (document_name, "receipt"))
    return sp_receipt_document_new (is, "Milano Nord", "Mario Rossi", SP_RECEIPT_COPY_CITIZEN);
  if (g_str_equal (document_name, "mv35"))
    return sp_mv35_document_new (is, "Milano Nord");
  if (g_str_equal (document_name, "calibration"))
    return sp_calibration_document_new (SP_ENVELOPE_LAYOUT_A4_DL, 0, 0);
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_register_entry_free);
  g_ptr_array_add (rows, sp_register_entry_new (is, "active"));
  g_date_set_time_t (&date, time (NULL));
  return sp_register_document_new (&date, "Milano Nord", NULL, rows);
}

static int
run_issuance (GtkPrinter *printer)
{
  g_autoptr(GtkPrinter) receipt_printer = lookup (receipt_printer_name ? receipt_printer_name
                                                                       : printer_name);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpStore) store = sp_store_open (store_dir, &error);
  g_autoptr(SpPin) pin = sp_pin_generate ();
  g_autoptr(SpIssuance) is = fixture_issuance (FALSE, TRUE);
  g_autoptr(GPtrArray) scans = g_ptr_array_new ();
  g_autoptr(SpPrintDocument) envelope = NULL;
  g_autoptr(SpPrintDocument) receipt = NULL;
  SpEnvelopeOptions options = { SP_ENVELOPE_LAYOUT_A4_DL, "Milano Nord", NULL, 0, 0 };

  if (store == NULL)
    {
      g_printerr ("print-driver: %s\n", error->message);
      return 1;
    }
  g_free (is->verifier);
  is->verifier = sp_pin_make_verifier (pin, &error);
  if (is->verifier == NULL || !sp_store_commit_issuance (store, is, scans, "mrossi", &error))
    {
      g_printerr ("print-driver: %s\n", error->message);
      return 1;
    }
  /* The test needs the PIN to search for it: through the pipe only. */
  printf ("pin=%s\n", sp_pin_peek (pin));
  fflush (stdout);
  envelope = sp_envelope_document_new (is, pin, &options);
  if (print (printer, envelope) != SP_PRINT_OUTCOME_PRINTED)
    {
      /* What the app does: the PIN is voided (audited, queued for central)
       * and a new one is issued with a new envelope. */
      if (!sp_store_void_issuance (store, is->id, last_message, "mrossi", &error))
        {
          g_printerr ("print-driver: %s\n", error->message);
          return 1;
        }
      printf ("voided=%s\n", is->id);
      return 3;
    }
  g_clear_pointer (&pin, sp_pin_free);
  receipt = sp_receipt_document_new (is, "Milano Nord", "Mario Rossi",
                                     SP_RECEIPT_COPY_CITIZEN | SP_RECEIPT_COPY_ARCHIVE);
  return print (receipt_printer, receipt) == SP_PRINT_OUTCOME_PRINTED ? 0 : 1;
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkPrinter) printer = NULL;
  g_autoptr(SpIssuance) is = fixture_issuance (FALSE, FALSE);
  g_autoptr(SpPin) pin = NULL;
  g_autoptr(SpPrintDocument) document = NULL;
  char line[64] = "";

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || printer_name == NULL
      || (document_name == NULL && store_dir == NULL))
    {
      g_printerr ("print-driver: bad arguments\n");
      return 2;
    }
  /* Printing needs no display: the print backends load without one. */
  gtk_init_check ();
  printer = lookup (printer_name);
  if (printer == NULL)
    return 1;
  if (store_dir != NULL)
    return run_issuance (printer);
  if (g_str_equal (document_name, "envelope"))
    {
      if (fgets (line, sizeof line, stdin) == NULL)
        return 2;
      pin = sp_pin_new_from_string (g_strstrip (line));
      sodium_memzero (line, sizeof line);
      if (pin == NULL)
        return 2;
    }
  document = make_document (is, pin);
  if (twice)
    print (printer, document);
  return print (printer, document) == SP_PRINT_OUTCOME_PRINTED ? 0 : 1;
}
