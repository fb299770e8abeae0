/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sportello-tool: the command line for sede IT staff and scripts. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "sp-tool-commands.h"

typedef struct {
  const char *name;
  int (*main) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "cf", sp_tool_cf_main, N_("check a codice fiscale against a person's data") },
  { "mrz", sp_tool_mrz_main, N_("parse the MRZ of an identity document from standard input") },
  { "db", sp_tool_db_main, N_("check the integrity of the workstation's database") },
  { "audit", sp_tool_audit_main, N_("verify the hash chain of the workstation's audit log") },
  { "sync", sp_tool_sync_main, N_("show the synchronisation state, or synchronise now") },
  { "register", sp_tool_register_main, N_("write the day register of issuances as a PDF") },
  { "print", sp_tool_print_main, N_("list the printers, print a test or calibration page") },
};

void
sp_tool_print_json (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, TRUE);

  printf ("%s\n", text);
}

int
sp_tool_usage (const char *usage,
               const char *message)
{
  if (message != NULL)
    g_printerr ("sportello-tool: %s\n", message);
  g_printerr ("%s: sportello-tool %s\n", _("usage"), usage);
  return SP_TOOL_USAGE;
}

static int
list_commands (void)
{
  g_printerr ("%s: sportello-tool COMMAND [ARGS…] [--json]\n\n", _("usage"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_printerr ("  %-8s %s\n", commands[i].name, _(commands[i].summary));
  return SP_TOOL_USAGE;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    return list_commands ();
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (argv[1], commands[i].name) == 0)
      return commands[i].main (argc - 1, argv + 1);
  g_printerr ("sportello-tool: %s: %s\n", _("unknown command"), argv[1]);
  return list_commands ();
}
