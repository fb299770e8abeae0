/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sportello-tool sync status [--store DIR] [--json]
 * sportello-tool sync now --central URL --user U [--store DIR] [--json]   (password on stdin) */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "sp-store.h"
#include "sp-sync-engine.h"
#include "sp-tool-commands.h"

#define USAGE "sync status|now [--store DIR] [--central URL --user U] [--json]"

static void
print_state (SpStore      *store,
             SpSyncEngine *engine,
             gboolean      json,
             const char   *error)
{
  g_autofree char *cursor = sp_store_get_cursor (store);
  gint64 waiting = sp_store_outbox_waiting (store);
  gint64 attention = sp_store_outbox_attention (store);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "waiting");
      json_builder_add_int_value (b, waiting);
      json_builder_set_member_name (b, "needs_attention");
      json_builder_add_int_value (b, attention);
      sp_json_add_string (b, "cursor", cursor);
      json_builder_set_member_name (b, "problems");
      json_builder_begin_array (b);
      {
        g_autoptr(GPtrArray) problems = sp_store_outbox_problems (store);

        for (guint i = 0; i < problems->len; i++)
          {
            SpOutboxEntry *e = g_ptr_array_index (problems, i);

            json_builder_begin_object (b);
            sp_json_add_string (b, "issuance", e->target);
            sp_json_add_string (b, "kind", sp_outbox_kind_to_string (e->kind));
            sp_json_add_string (b, "problem", e->body);
            json_builder_end_object (b);
          }
      }
      json_builder_end_array (b);
      if (engine != NULL)
        {
          json_builder_set_member_name (b, "online");
          json_builder_add_boolean_value (b, sp_sync_engine_get_online (engine));
          json_builder_set_member_name (b, "clock_skew_ms");
          json_builder_add_int_value (b, sp_sync_engine_get_clock_skew_ms (engine));
          sp_json_add_string (b, "error", error);
        }
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      sp_tool_print_json (root);
      return;
    }
  {
    g_autofree char *w = g_strdup_printf ("%" G_GINT64_FORMAT, waiting);
    g_autofree char *a = g_strdup_printf ("%" G_GINT64_FORMAT, attention);

    g_autoptr(GPtrArray) problems = sp_store_outbox_problems (store);

    printf (_("Waiting to be sent: %s; needing attention: %s.\n"), w, a);
    for (guint i = 0; i < problems->len; i++)
      {
        SpOutboxEntry *e = g_ptr_array_index (problems, i);
        printf ("  %s %s: %s\n", sp_outbox_kind_to_string (e->kind), e->target, e->body);
      }
  }
  if (engine != NULL)
    printf ("%s\n", error ? error : _("Synchronised with central."));
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GError **error = user_data;

  if (!sp_sync_engine_sync_finish (SP_SYNC_ENGINE (source), result, error))
    return;
  *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "");   /* done, no error */
}

int
sp_tool_sync_main (int    argc,
                   char **argv)
{
  g_autofree char *store_dir = NULL, *central = NULL, *user = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &store_dir, N_("Folder of the workstation store"), "DIR" },
    { "central", 0, 0, G_OPTION_ARG_STRING, &central, N_("Central server URL"), "URL" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("Operator username (password on standard input)"), "USER" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("status|now");
  g_autoptr(GError) error = NULL;
  g_autoptr(SpStore) store = NULL;
  g_autoptr(SpSyncEngine) engine = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  char password[512] = "";
  GError *run_error = NULL;
  gboolean ok;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return sp_tool_usage (USAGE, error->message);
  if (argc != 2 || (!g_str_equal (argv[1], "status") && !g_str_equal (argv[1], "now")))
    return sp_tool_usage (USAGE, NULL);
  if (g_str_equal (argv[1], "now") && (central == NULL || user == NULL))
    return sp_tool_usage (USAGE, _("sync now needs --central and --user"));
  dir = store_dir ? g_strdup (store_dir) : sp_store_default_dir ();
  db = g_build_filename (dir, "store.db", NULL);
  if (!g_file_test (db, G_FILE_TEST_EXISTS))
    {
      g_printerr ("sportello-tool: %s: %s\n", db, _("no store here"));
      return SP_TOOL_INVALID;
    }
  if ((store = sp_store_open (dir, &error)) == NULL)
    {
      g_printerr ("sportello-tool: %s\n", error->message);
      return SP_TOOL_INVALID;
    }
  if (g_str_equal (argv[1], "status"))
    {
      print_state (store, NULL, json, NULL);
      return sp_store_outbox_attention (store) > 0 ? SP_TOOL_INVALID : SP_TOOL_OK;
    }
  if (fgets (password, sizeof password, stdin) == NULL)
    return sp_tool_usage (USAGE, _("the password goes on standard input"));
  password[strcspn (password, "\r\n")] = '\0';
  engine = sp_sync_engine_new (store, central);
  sp_sync_engine_set_credentials (engine, user, password, g_get_host_name ());
  memset (password, 0, sizeof password);
  sp_sync_engine_sync_async (engine, NULL, on_done, &run_error);
  while (run_error == NULL)
    g_main_context_iteration (NULL, TRUE);
  ok = g_error_matches (run_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  print_state (store, engine, json, ok ? NULL : run_error->message);
  g_clear_error (&run_error);
  return ok && sp_store_outbox_attention (store) == 0 ? SP_TOOL_OK : SP_TOOL_INVALID;
}
