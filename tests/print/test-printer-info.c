/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a printer's IPP state means for the counter: which states stop a
 * job before it is sent (SP_PRINT_ERROR_PRINTER_STOPPED, with what to do)
 * and how a list of printers describes each. */
#include "config.h"

#include <string.h>

#include "sp-print-document.h"
#include "sp-printer-info.h"

static SpPrinterInfo *
printer (SpPrinterState state,
         const char    *reasons,
         gboolean       accepting)
{
  SpPrinterInfo *info = sp_printer_info_new ("Buste");

  info->state = state;
  g_free (info->reasons);
  info->reasons = g_strdup (reasons);
  info->accepting = accepting;
  return info;
}

static void
test_ready (void)
{
  g_autoptr(SpPrinterInfo) idle = printer (SP_PRINTER_STATE_IDLE, "none", TRUE);
  g_autoptr(SpPrinterInfo) busy = printer (SP_PRINTER_STATE_PROCESSING, "toner-low-warning", TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *a = sp_printer_info_describe_state (idle);
  g_autofree char *b = sp_printer_info_describe_state (busy);

  /* A warning is no reason to refuse an envelope. */
  g_assert_true (sp_printer_info_check (idle, &error));
  g_assert_true (sp_printer_info_check (busy, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, "Ready");
  g_assert_cmpstr (b, ==, "Printing");
}

static void
test_refused (void)
{
  const struct {
    SpPrinterState state;
    const char *reasons;
    gboolean accepting;
    const char *why;
  } cases[] = {
    { SP_PRINTER_STATE_STOPPED, "paused", TRUE, "paused" },
    { SP_PRINTER_STATE_STOPPED, "none", TRUE, "stopped" },
    { SP_PRINTER_STATE_IDLE, "none", FALSE, "not accepting jobs" },
    { SP_PRINTER_STATE_PROCESSING, "media-empty-error", TRUE, "out of paper" },
    { SP_PRINTER_STATE_PROCESSING, "toner-low-warning,media-jam-error", TRUE, "paper jammed" },
    { SP_PRINTER_STATE_IDLE, "offline-report", TRUE, "offline" },
    { SP_PRINTER_STATE_IDLE, "door-open-error", TRUE, "a cover is open" },
    { SP_PRINTER_STATE_IDLE, "other-error", TRUE, "it reports an error" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SpPrinterInfo) info = printer (cases[i].state, cases[i].reasons, cases[i].accepting);
      g_autoptr(GError) error = NULL;
      g_autofree char *state = sp_printer_info_describe_state (info);

      g_assert_false (sp_printer_info_check (info, &error));
      g_assert_error (error, SP_PRINT_ERROR, SP_PRINT_ERROR_PRINTER_STOPPED);
      /* The printer, why, and what to do about it. */
      g_assert_nonnull (strstr (error->message, "Buste"));
      g_assert_nonnull (strstr (error->message, cases[i].why));
      g_assert_nonnull (strstr (error->message, "Preferences"));
      g_assert_true (g_str_has_prefix (state, "Cannot print"));
    }
}

static void
test_reasons (void)
{
  g_autoptr(SpPrinterInfo) info = printer (SP_PRINTER_STATE_IDLE, "media-low-warning, cover-open-report", TRUE);

  /* A reason is matched whole, with or without its suffix: media-low is
   * not media-empty, nor a prefix of anything else. */
  g_assert_true (sp_printer_info_has_reason (info, "media-low"));
  g_assert_true (sp_printer_info_has_reason (info, "cover-open"));
  g_assert_false (sp_printer_info_has_reason (info, "media"));
  g_assert_false (sp_printer_info_has_reason (info, "media-empty"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/printer-info/ready", test_ready);
  g_test_add_func ("/printer-info/refused", test_refused);
  g_test_add_func ("/printer-info/reasons", test_reasons);
  return g_test_run ();
}
