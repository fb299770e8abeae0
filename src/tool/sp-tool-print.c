/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sportello-tool print list [--json]
 * sportello-tool print test-page|calibration --printer NAME
 *                      [--layout a4-dl|mailer] [--offset-x MM] [--offset-y MM] [--timeout S] [--json]
 * For sede IT staff: the printers CUPS offers, with their state, and a
 * test or calibration page printed through the counter's own print path
 * (SpPrintService), followed until CUPS says the job is completed. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "sp-calibration.h"
#include "sp-print-service.h"
#include "sp-test-page.h"
#include "sp-tool-commands.h"

#define USAGE "print list | test-page|calibration --printer NAME [--layout a4-dl|mailer] " \
              "[--offset-x MM] [--offset-y MM] [--timeout S] [--json]"

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

static void
add_info (JsonBuilder         *b,
          const SpPrinterInfo *info)
{
  g_autofree char *state = sp_printer_info_describe_state (info);

  json_builder_begin_object (b);
  sp_json_add_string (b, "name", info->name);
  sp_json_add_string (b, "description", info->description);
  sp_json_add_string (b, "location", info->location);
  sp_json_add_string (b, "state", info->state == SP_PRINTER_STATE_STOPPED ? "stopped"
                                  : info->state == SP_PRINTER_STATE_PROCESSING ? "processing" : "idle");
  sp_json_add_string (b, "reasons", info->reasons);
  json_builder_set_member_name (b, "accepting_jobs");
  json_builder_add_boolean_value (b, info->accepting);
  json_builder_set_member_name (b, "can_print");
  json_builder_add_boolean_value (b, sp_printer_info_check (info, NULL));
  sp_json_add_string (b, "summary", state);
  json_builder_end_object (b);
}

static int
list (SpPrintService *service,
      gboolean        json)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) printers = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  sp_print_service_list_printers_async (service, NULL, keep_result, &result);
  if ((printers = sp_print_service_list_printers_finish (service, wait_for (&result), &error)) == NULL)
    {
      g_printerr ("sportello-tool: %s\n", error->message);
      return SP_TOOL_INVALID;
    }
  json_builder_begin_array (b);
  for (guint i = 0; i < printers->len; i++)
    {
      SpPrinterInfo *info = g_ptr_array_index (printers, i);
      g_autofree char *state = sp_printer_info_describe_state (info);

      add_info (b, info);
      if (!json)
        printf ("%-24s %s\n", info->name, state);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  if (json)
    sp_tool_print_json (root);
  return SP_TOOL_OK;
}

static void
print_outcome_json (const char   *printer,
                    int           job_id,
                    const GError *error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  sp_json_add_string (b, "printer", printer);
  json_builder_set_member_name (b, "printed");
  json_builder_add_boolean_value (b, error == NULL);
  json_builder_set_member_name (b, "job_id");
  json_builder_add_int_value (b, job_id);
  if (error != NULL)
    sp_json_add_string (b, "message", error->message);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  sp_tool_print_json (root);
}

static int
print_page (SpPrintService  *service,
            const char      *printer,
            SpPrintDocument *document,
            gboolean         json)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int job_id = 0;

  sp_print_service_print_async (service, printer, document, NULL, NULL, keep_result, &result);
  sp_print_service_print_finish (service, wait_for (&result), &job_id, &error);
  if (json)
    print_outcome_json (printer, job_id, error);
  else if (error == NULL)
    printf (_("%s: printed (job %d)\n"), printer, job_id);
  if (error != NULL && !json)
    g_printerr ("sportello-tool: %s\n", error->message);
  return error == NULL ? SP_TOOL_OK : SP_TOOL_INVALID;
}

int
sp_tool_print_main (int    argc,
                    char **argv)
{
  g_autofree char *printer = NULL;
  g_autofree char *layout = NULL;
  double offset_x = 0, offset_y = 0;
  int timeout_s = 120;
  gboolean json = FALSE;
  GOptionEntry options[] = {
    { "printer", 0, 0, G_OPTION_ARG_STRING, &printer, N_("CUPS queue to print on"), "NAME" },
    { "layout", 0, 0, G_OPTION_ARG_STRING, &layout, N_("Envelope layout of the calibration page"), "a4-dl|mailer" },
    { "offset-x", 0, 0, G_OPTION_ARG_DOUBLE, &offset_x, N_("Horizontal offset of the calibration page"), "MM" },
    { "offset-y", 0, 0, G_OPTION_ARG_DOUBLE, &offset_y, N_("Vertical offset of the calibration page"), "MM" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s, N_("Seconds the job may take"), "S" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpPrintService) service = sp_print_service_new ();
  g_autoptr(SpPrintDocument) document = NULL;

  g_option_context_add_main_entries (context, options, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return sp_tool_usage (USAGE, error->message);
  if (argc != 2)
    return sp_tool_usage (USAGE, NULL);
  sp_print_service_set_timeouts (service, 10, (guint) CLAMP (timeout_s, 1, 3600));
  if (g_str_equal (argv[1], "list"))
    return list (service, json);
  if (printer == NULL || *printer == '\0')
    return sp_tool_usage (USAGE, _("--printer is needed"));
  if (layout != NULL && !g_str_equal (layout, "a4-dl") && !g_str_equal (layout, "mailer"))
    return sp_tool_usage (USAGE, _("the layout is a4-dl or mailer"));
  if (g_str_equal (argv[1], "test-page"))
    document = sp_test_page_document_new (printer);
  else if (g_str_equal (argv[1], "calibration"))
    document = sp_calibration_document_new (g_strcmp0 (layout, "mailer") == 0 ? SP_ENVELOPE_LAYOUT_MAILER
                                                                              : SP_ENVELOPE_LAYOUT_A4_DL,
                                            offset_x, offset_y);
  else
    return sp_tool_usage (USAGE, _("print what? list, test-page or calibration"));
  return print_page (service, printer, document, json);
}
