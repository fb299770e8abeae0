/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sportello-tool register --date YYYY-MM-DD [--operator U] [--sede-name NAME]
 *                         --output F.pdf [--store DIR] [--json]
 * The day register of the workstation's issuances as a PDF. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "sp-register.h"
#include "sp-store.h"
#include "sp-tool-commands.h"

#define USAGE "register --date YYYY-MM-DD [--operator U] [--sede-name NAME] --output F.pdf [--store DIR] [--json]"

static GPtrArray *
entries_of (SpStore   *store,
            GPtrArray *issuances)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_register_entry_free);

  for (guint i = 0; i < issuances->len; i++)
    {
      SpIssuance *is = g_ptr_array_index (issuances, i);
      SpIssuanceStatus status = SP_ISSUANCE_STATUS_PENDING;

      /* Listed by the store a moment ago: its status is there. */
      sp_store_issuance_status (store, is->id, &status);
      g_ptr_array_add (entries, sp_register_entry_new (is, status));
    }
  return entries;
}

static void
print_json (const char *output,
            guint       n_issuances,
            guint       n_pages)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  sp_json_add_string (b, "output", output);
  json_builder_set_member_name (b, "issuances");
  json_builder_add_int_value (b, n_issuances);
  json_builder_set_member_name (b, "pages");
  json_builder_add_int_value (b, n_pages);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  sp_tool_print_json (root);
}

int
sp_tool_register_main (int    argc,
                       char **argv)
{
  g_autofree char *date_text = NULL;
  g_autofree char *operator_id = NULL;
  g_autofree char *sede_name = NULL;
  g_autofree char *output = NULL;
  g_autofree char *store_dir = NULL;
  g_autofree char *db = NULL;
  gboolean json = FALSE;
  GOptionEntry options[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text, N_("Day of the register"), "YYYY-MM-DD" },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_id, N_("Only this operator's issuances"), "U" },
    { "sede-name", 0, 0, G_OPTION_ARG_STRING, &sede_name, N_("Name of the sede, for the heading"), "NAME" },
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output, N_("PDF file to write"), "F.pdf" },
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &store_dir, N_("Folder of the workstation store"), "DIR" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpStore) store = NULL;
  g_autoptr(GPtrArray) issuances = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(SpPrintDocument) document = NULL;
  g_autoptr(GBytes) pdf = NULL;
  GDate date;

  g_option_context_add_main_entries (context, options, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return sp_tool_usage (USAGE, error->message);
  if (argc != 1 || date_text == NULL || output == NULL)
    return sp_tool_usage (USAGE, NULL);
  if (!sp_date_parse_iso (date_text, &date))
    return sp_tool_usage (USAGE, _("the date must be YYYY-MM-DD"));
  if (store_dir == NULL)
    store_dir = sp_store_default_dir ();
  /* A register must not create an empty store where there was none. */
  db = g_build_filename (store_dir, "store.db", NULL);
  if (!g_file_test (db, G_FILE_TEST_EXISTS))
    {
      g_printerr ("sportello-tool: %s: %s\n", db, _("no store here"));
      return SP_TOOL_INVALID;
    }
  if ((store = sp_store_open (store_dir, &error)) == NULL
      || (issuances = sp_store_list_issuances_on (store, &date, operator_id, &error)) == NULL)
    {
      g_printerr ("sportello-tool: %s\n", error->message);
      return SP_TOOL_INVALID;
    }
  entries = entries_of (store, issuances);
  if (sede_name == NULL && issuances->len > 0)
    sede_name = g_strdup_printf (_("Sede %s"), ((SpIssuance *) g_ptr_array_index (issuances, 0))->sede);
  document = sp_register_document_new (&date, sede_name ? sede_name : "", operator_id, entries);
  pdf = sp_print_render_pdf (document, &error);
  if (pdf == NULL || !g_file_set_contents (output, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error))
    {
      g_printerr ("sportello-tool: %s\n", error->message);
      return SP_TOOL_USAGE;
    }
  if (json)
    print_json (output, issuances->len, sp_print_document_get_n_pages (document));
  else
    printf (g_dngettext (GETTEXT_PACKAGE, "%s: %u issuance\n", "%s: %u issuances\n", issuances->len),
            output, issuances->len);
  return SP_TOOL_OK;
}
