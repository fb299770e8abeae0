/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Prints one document through the app's real print path (SpPrintService:
 * the PDF streamed to cupsd with libcups's destination API, then the job
 * followed in CUPS) and says how it ended:
 *
 *   print-driver --printer Q --document envelope|receipt|mv35|register|calibration|test-page
 *                [--hold] [--cancel-after MS] [--timeout S] [--answer-timeout S] [--twice]
 *   print-driver --printer Q --issuance STORE_DIR [--receipt-printer Q]
 *   print-driver --document receipt|mv35|register|calibration|test-page --pdf FILE
 *   print-driver --list
 *
 * Prints "outcome=<printed|cancelled|failed> code=<SpPrintError> job=<id>
 * ms=<elapsed> message=<…>". The envelope's PIN is read from standard
 * input. --issuance runs a whole issuance as the counter does: the printer
 * checked first, a fresh PIN, its verifier, the issuance committed to the
 * store, the envelope and the receipt printed; it writes "pin=…" on
 * standard output (a pipe to the test, which then looks for the PIN
 * everywhere on disk). --hold asks CUPS to hold the job, so that the test
 * can cancel it or stop the queue meanwhile. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <sodium.h>
#include <stdio.h>

#include "print-fixture.h"
#include "sp-calibration.h"
#include "sp-test-page.h"
#include "sp-envelope.h"
#include "sp-mv35.h"
#include "sp-print-service.h"
#include "sp-receipt.h"
#include "sp-register.h"
#include "sp-store.h"

static char *printer_name;
static char *document_name;
static char *store_dir;
static char *receipt_printer_name;
static gboolean hold;
static gboolean twice;
static gboolean list;
static char *pdf_path;
static int cancel_after_ms = -1;
static int timeout_s = 30;
static int answer_timeout_s = 10;
static char *last_message;   /* of the last print, for the void's reason */

static const GOptionEntry entries[] = {
  { "printer", 0, 0, G_OPTION_ARG_STRING, &printer_name, "CUPS queue", "Q" },
  { "document", 0, 0, G_OPTION_ARG_STRING, &document_name, "document to print", "NAME" },
  { "issuance", 0, 0, G_OPTION_ARG_FILENAME, &store_dir, "run a whole issuance on this store", "DIR" },
  { "receipt-printer", 0, 0, G_OPTION_ARG_STRING, &receipt_printer_name, "queue for the receipt (--issuance)", "Q" },
  { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf_path, "write a reprintable document as a PDF file instead", "F" },
  { "list", 0, 0, G_OPTION_ARG_NONE, &list, "list the printers and their state", NULL },
  { "twice", 0, 0, G_OPTION_ARG_NONE, &twice, "print the same document a second time", NULL },
  { "hold", 0, 0, G_OPTION_ARG_NONE, &hold, "ask CUPS to hold the job", NULL },
  { "cancel-after", 0, 0, G_OPTION_ARG_INT, &cancel_after_ms, "cancel after MS milliseconds", "MS" },
  { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s, "job timeout", "S" },
  { "answer-timeout", 0, 0, G_OPTION_ARG_INT, &answer_timeout_s, "how long cupsd may take to answer", "S" },
  { NULL },
};

static SpPrintService *service;

/* Waits on the main loop for one async result. */
static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
keep_result (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
cancel_now (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static const char *
code_name (const GError *error)
{
  static const char *const names[] = {
    "PRINT_ONCE", "FAILED", "NOT_CONFIGURED", "NOT_FOUND", "PRINTER_STOPPED",
    "UNREACHABLE", "CANCELLED", "ABORTED", "TIMED_OUT",
  };

  if (error == NULL)
    return "NONE";
  if (error->domain != SP_PRINT_ERROR || error->code < 0 || error->code >= (int) G_N_ELEMENTS (names))
    return "OTHER";
  return names[error->code];
}

static void
report (const GError *error,
        int           job_id,
        gint64        start)
{
  const char *outcome = error == NULL ? "printed"
                      : g_error_matches (error, SP_PRINT_ERROR, SP_PRINT_ERROR_CANCELLED) ? "cancelled"
                      : "failed";

  printf ("outcome=%s code=%s job=%d ms=%.0f message=%s\n", outcome, code_name (error), job_id,
          (g_get_monotonic_time () - start) / 1000.0, error ? error->message : "");
  fflush (stdout);
  g_free (last_message);
  last_message = g_strdup (error ? error->message : "");
}

static gboolean
print (const char      *printer,
       SpPrintDocument *document)
{
  const char *held[] = { "job-hold-until=indefinite", NULL };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  int job_id = 0;

  if (cancel_after_ms >= 0)
    g_timeout_add (cancel_after_ms, cancel_now, cancellable);
  sp_print_service_print_async (service, printer, document, hold ? held : NULL, cancellable,
                                keep_result, &result);
  sp_print_service_print_finish (service, wait_for (&result), &job_id, &error);
  report (error, job_id, start);
  return error == NULL;
}

static SpPrintDocument *
make_document (const SpIssuance *is,
               const SpPin      *pin)
{
  SpEnvelopeOptions options = { SP_ENVELOPE_LAYOUT_A4_DL, "Sede 0700 Milano Nord", "Via Mac Mahon 4, 20155 Milano", 0, 0 };
  g_autoptr(GPtrArray) rows = NULL;
  GDate date;

  if (g_str_equal (document_name, "envelope"))
    return sp_envelope_document_new (is, pin, &options);
  if (g_str_equal (document_name, "receipt"))
    return sp_receipt_document_new (is, "Sede 0700 Milano Nord", "Mario Rossi", SP_RECEIPT_COPY_CITIZEN);
  if (g_str_equal (document_name, "mv35"))
    return sp_mv35_document_new (is, "Sede 0700 Milano Nord");
  if (g_str_equal (document_name, "calibration"))
    return sp_calibration_document_new (SP_ENVELOPE_LAYOUT_A4_DL, 0, 0);
  if (g_str_equal (document_name, "test-page"))
    return sp_test_page_document_new (printer_name);
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_register_entry_free);
  g_ptr_array_add (rows, sp_register_entry_new (is, SP_ISSUANCE_STATUS_ACTIVE));
  /* A long name, an amministratore di sostegno, a long state: the
   * columns must hold them. */
  {
    g_autoptr(SpIssuance) other = fixture_issuance (TRUE, TRUE);

    g_free (other->citizen->name);
    other->citizen->name = g_strdup ("Maria Immacolata Concetta Addolorata");
    g_free (other->citizen->surname);
    other->citizen->surname = g_strdup ("Fitzgerald-Bonaccorsi de' Medici");
    other->role = SP_ROLE_AMMINISTRATORE_SOSTEGNO;
    g_ptr_array_add (rows, sp_register_entry_new (other, SP_ISSUANCE_STATUS_PENDING));
  }
  g_date_set_time_t (&date, time (NULL));
  return sp_register_document_new (&date, "Sede 0700 Milano Nord", NULL, rows);
}

/* What the counter does when "Issue" is pressed: the printer's state
 * first (a stopped printer is said before any PIN exists), then the PIN. */
static gboolean
printer_ready (const char *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpPrinterInfo) info = NULL;

  sp_print_service_get_printer_async (service, name, NULL, keep_result, &result);
  info = sp_print_service_get_printer_finish (service, wait_for (&result), &error);
  if (info != NULL)
    sp_printer_info_check (info, &error);
  if (error != NULL)
    {
      printf ("refused code=%s message=%s\n", code_name (error), error->message);
      return FALSE;
    }
  return TRUE;
}

static int
run_issuance (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpStore) store = NULL;
  g_autoptr(SpPin) pin = NULL;
  g_autoptr(SpIssuance) is = fixture_issuance (FALSE, TRUE);
  g_autoptr(GPtrArray) scans = g_ptr_array_new ();
  g_autoptr(SpPrintDocument) envelope = NULL;
  g_autoptr(SpPrintDocument) receipt = NULL;
  SpEnvelopeOptions options = { SP_ENVELOPE_LAYOUT_A4_DL, "Sede 0700 Milano Nord", NULL, 0, 0 };
  gint64 start = g_get_monotonic_time ();

  if ((store = sp_store_open (store_dir, &error)) == NULL)
    {
      g_printerr ("print-driver: %s\n", error->message);
      return 1;
    }
  if (!printer_ready (printer_name))
    return 4;
  pin = sp_pin_generate ();
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
  if (!print (printer_name, envelope))
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
  printf ("issue_to_completed_ms=%.1f\n", (g_get_monotonic_time () - start) / 1000.0);
  g_clear_pointer (&pin, sp_pin_free);
  receipt = sp_receipt_document_new (is, "Sede 0700 Milano Nord", "Mario Rossi",
                                     SP_RECEIPT_COPY_CITIZEN | SP_RECEIPT_COPY_ARCHIVE);
  return print (receipt_printer_name ? receipt_printer_name : printer_name, receipt) ? 0 : 1;
}

static int
run_list (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) printers = NULL;

  sp_print_service_list_printers_async (service, NULL, keep_result, &result);
  printers = sp_print_service_list_printers_finish (service, wait_for (&result), &error);
  if (printers == NULL)
    {
      printf ("error code=%s message=%s\n", code_name (error), error->message);
      return 1;
    }
  for (guint i = 0; i < printers->len; i++)
    {
      SpPrinterInfo *info = g_ptr_array_index (printers, i);
      g_autofree char *state = sp_printer_info_describe_state (info);

      printf ("printer=%s state=%d accepting=%d reasons=%s describe=%s\n", info->name, info->state,
              info->accepting, info->reasons, state);
    }
  return 0;
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpIssuance) is = fixture_issuance (FALSE, FALSE);
  g_autoptr(SpPin) pin = NULL;
  g_autoptr(SpPrintDocument) document = NULL;
  char line[64] = "";

  /* LANGUAGE=it SP_LOCALEDIR=<build>/po: the documents as the counter
   * prints them in Italy. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SP_LOCALEDIR") ? g_getenv ("SP_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)
      || (!list && pdf_path == NULL && (printer_name == NULL || (document_name == NULL && store_dir == NULL))))
    {
      g_printerr ("print-driver: bad arguments\n");
      return 2;
    }
  service = sp_print_service_new ();
  sp_print_service_set_timeouts (service, answer_timeout_s, timeout_s);
  if (list)
    return run_list ();
  if (store_dir != NULL)
    return run_issuance ();
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
  if (pdf_path != NULL)
    {
      g_autoptr(GBytes) pdf = sp_print_render_pdf (document, &error);

      if (pdf == NULL || !g_file_set_contents (pdf_path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error))
        {
          g_printerr ("print-driver: %s\n", error->message);
          return 1;
        }
      return 0;
    }
  if (twice)
    print (printer_name, document);
  return print (printer_name, document) ? 0 : 1;
}
