/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sportello-tool db check [--store DIR] [--json]
 * sportello-tool audit verify [--store DIR] [--json] */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "sp-store.h"
#include "sp-tool-commands.h"

static SpStore *
open_store (const char *dir_option,
            int        *status)
{
  g_autofree char *dir = dir_option ? g_strdup (dir_option) : sp_store_default_dir ();
  g_autofree char *db = g_build_filename (dir, "store.db", NULL);
  g_autoptr(GError) error = NULL;
  SpStore *store;

  /* Checking must not create an empty store where there was none. */
  if (!g_file_test (db, G_FILE_TEST_EXISTS))
    {
      g_printerr ("sportello-tool: %s: %s\n", db, _("no store here"));
      *status = SP_TOOL_INVALID;
      return NULL;
    }
  store = sp_store_open (dir, &error);
  if (store == NULL)
    {
      g_printerr ("sportello-tool: %s\n", error->message);
      *status = SP_TOOL_INVALID;
    }
  return store;
}

static gboolean
parse (int *argc, char ***argv, const char *verb, char **store_dir, gboolean *json, const char *usage)
{
  GOptionEntry entries[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, store_dir, N_("Folder of the workstation store"), "DIR" },
    { "json", 0, 0, G_OPTION_ARG_NONE, json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (verb);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      sp_tool_usage (usage, error->message);
      return FALSE;
    }
  if (*argc != 2 || g_strcmp0 ((*argv)[1], verb) != 0)
    {
      sp_tool_usage (usage, NULL);
      return FALSE;
    }
  return TRUE;
}

int
sp_tool_db_main (int    argc,
                 char **argv)
{
  g_autofree char *store_dir = NULL;
  g_autofree char *report = NULL;
  g_autoptr(SpStore) store = NULL;
  gboolean json = FALSE, ok;
  int status = SP_TOOL_OK;

  if (!parse (&argc, &argv, "check", &store_dir, &json, "db check [--store DIR] [--json]"))
    return SP_TOOL_USAGE;
  if ((store = open_store (store_dir, &status)) == NULL)
    return status;
  ok = sp_store_integrity_check (store, &report);
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "ok");
      json_builder_add_boolean_value (b, ok);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, sp_store_get_path (store));
      json_builder_set_member_name (b, "integrity_check");
      json_builder_add_string_value (b, report);
      json_builder_set_member_name (b, "outbox_waiting");
      json_builder_add_int_value (b, sp_store_outbox_waiting (store));
      json_builder_set_member_name (b, "scan_key");
      json_builder_add_string_value (b, sp_store_key_in_keyring (store) ? "secret-service" : "file");
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      sp_tool_print_json (root);
    }
  else if (ok)
    {
      printf (_("%s: the database is intact.\n"), sp_store_get_path (store));
      printf ("%s\n", sp_store_key_in_keyring (store)
                      ? _("The scan key is in the Secret Service.")
                      : _("The scan key is in a file readable only by its owner."));
    }
  else
    printf (_("%s: the database is damaged:\n%s\n"), sp_store_get_path (store), report);
  return ok ? SP_TOOL_OK : SP_TOOL_INVALID;
}

int
sp_tool_audit_main (int    argc,
                    char **argv)
{
  g_autofree char *store_dir = NULL;
  g_autofree char *why = NULL;
  g_autoptr(SpStore) store = NULL;
  gboolean json = FALSE, ok;
  gint64 rows, broken;
  int status = SP_TOOL_OK;

  if (!parse (&argc, &argv, "verify", &store_dir, &json, "audit verify [--store DIR] [--json]"))
    return SP_TOOL_USAGE;
  if ((store = open_store (store_dir, &status)) == NULL)
    return status;
  ok = sp_store_audit_verify (store, &rows, &broken, &why);
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "ok");
      json_builder_add_boolean_value (b, ok);
      json_builder_set_member_name (b, "rows");
      json_builder_add_int_value (b, rows);
      json_builder_set_member_name (b, "broken_row");
      if (ok)
        json_builder_add_null_value (b);
      else
        json_builder_add_int_value (b, broken);
      json_builder_set_member_name (b, "reason");
      if (ok)
        json_builder_add_null_value (b);
      else
        json_builder_add_string_value (b, why);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      sp_tool_print_json (root);
    }
  else
    {
      /* Numbers as strings: a format macro would not survive translation. */
      g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, ok ? rows : broken);

      if (ok)
        printf (g_dngettext (GETTEXT_PACKAGE, "The audit log is intact: %s row.\n",
                             "The audit log is intact: %s rows.\n", rows), n);
      else
        printf (_("The audit log is broken at row %s: %s\n"), n, why);
    }
  return ok ? SP_TOOL_OK : SP_TOOL_INVALID;
}
