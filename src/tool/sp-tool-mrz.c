/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sportello-tool mrz parse [--json] < lines */
#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <stdio.h>

#include "sp-issuance.h"
#include "sp-mrz.h"
#include "sp-tool-commands.h"

#define USAGE "mrz parse [--json] < MRZ"
#define MRZ_MAX_INPUT 4096   /* three lines of 30 need far less */

static void
add_check (JsonBuilder *b,
           const char  *name,
           gboolean     ok)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, ok);
}

static void
print_json (const SpMrz *mrz)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *birth = sp_date_to_iso (&mrz->birth_date);
  g_autofree char *expiry = sp_date_to_iso (&mrz->expiry_date);
  char sex[2] = { mrz->sex, 0 };

  json_builder_begin_object (b);
  sp_json_add_string (b, "format", sp_mrz_format_to_string (mrz->format));
  sp_json_add_string (b, "document_code", mrz->document_code);
  sp_json_add_string (b, "issuing_state", mrz->issuing_state);
  sp_json_add_string (b, "document_number", mrz->document_number);
  sp_json_add_string (b, "birth_date", birth);
  sp_json_add_string (b, "sex", sex);
  sp_json_add_string (b, "expiry_date", expiry);
  sp_json_add_string (b, "nationality", mrz->nationality);
  sp_json_add_string (b, "surname", mrz->surname);
  sp_json_add_string (b, "given_names", mrz->given_names);
  sp_json_add_string (b, "optional_data", mrz->optional_data);
  json_builder_set_member_name (b, "checks");
  json_builder_begin_object (b);
  add_check (b, "document_number", mrz->check_document_number);
  add_check (b, "birth_date", mrz->check_birth_date);
  add_check (b, "expiry_date", mrz->check_expiry_date);
  if (mrz->has_personal_number)
    add_check (b, "personal_number", mrz->check_personal_number);
  add_check (b, "composite", mrz->check_composite);
  json_builder_end_object (b);
  add_check (b, "valid", mrz->valid);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  sp_tool_print_json (root);
}

static void
print_human (const SpMrz *mrz)
{
  g_autofree char *birth = sp_date_to_iso (&mrz->birth_date);
  g_autofree char *expiry = sp_date_to_iso (&mrz->expiry_date);

  printf (_("%s document %s of %s, %s %s, born %s, expires %s.\n"),
          sp_mrz_format_to_string (mrz->format), mrz->document_number,
          mrz->issuing_state, mrz->given_names, mrz->surname,
          birth ? birth : mrz->birth_date_raw, expiry ? expiry : mrz->expiry_date_raw);
  printf ("%s\n", mrz->valid ? _("All check digits are correct.")
                             : _("Some check digits are wrong: the zone was misread or altered."));
}

static char *
read_stdin (GError **error)
{
  g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
  g_autofree char *buffer = g_malloc0 (MRZ_MAX_INPUT + 1);
  gsize n = 0;

  if (!g_input_stream_read_all (in, buffer, MRZ_MAX_INPUT, &n, NULL, error))
    return NULL;
  buffer[n] = '\0';
  return g_steal_pointer (&buffer);
}

int
sp_tool_mrz_main (int    argc,
                  char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("parse");
  g_autoptr(GError) error = NULL;
  g_autofree char *input = NULL;
  g_autoptr(SpMrz) mrz = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return sp_tool_usage (USAGE, error->message);
  if (argc != 2 || g_strcmp0 (argv[1], "parse") != 0)
    return sp_tool_usage (USAGE, NULL);
  input = read_stdin (&error);
  if (input == NULL)
    return sp_tool_usage (USAGE, error->message);
  mrz = sp_mrz_parse (input, &error);
  if (mrz == NULL)
    {
      g_printerr ("sportello-tool: %s\n", error->message);
      return SP_TOOL_USAGE;
    }
  if (json)
    print_json (mrz);
  else
    print_human (mrz);
  return mrz->valid ? SP_TOOL_OK : SP_TOOL_INVALID;
}
