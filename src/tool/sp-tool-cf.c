/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sportello-tool cf check CF [--surname S] [--name N] [--sex M|F]
 *                            [--birth-date YYYY-MM-DD] [--birth-place CODE] [--json] */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "sp-belfiore.h"
#include "sp-codice-fiscale.h"
#include "sp-issuance.h"
#include "sp-tool-commands.h"

#define USAGE "cf check CF [--surname S] [--name N] [--sex M|F] [--birth-date YYYY-MM-DD] [--birth-place CODE] [--json]"

/* The entry to show for the decoded place: the one valid on the birth
 * date, else the latest period of the code. */
static const SpBelfioreEntry *
place_entry (const SpCfResult *r)
{
  const SpBelfioreEntry *entries;
  guint n;

  if (r->birth_place == NULL)
    return NULL;
  if (g_date_valid (&r->birth_date))
    {
      const SpBelfioreEntry *e = sp_belfiore_lookup_on_date (r->birth_place, &r->birth_date);
      if (e != NULL)
        return e;
    }
  entries = sp_belfiore_lookup (r->birth_place, &n);
  return n > 0 ? &entries[n - 1] : NULL;
}

static void
add_place (JsonBuilder      *b,
           const SpCfResult *r)
{
  const SpBelfioreEntry *e = place_entry (r);

  json_builder_set_member_name (b, "birth_place");
  if (e == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, e->code);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, e->name);
  if (sp_belfiore_entry_is_state (e))
    {
      json_builder_set_member_name (b, "iso3166");
      json_builder_add_string_value (b, e->iso3166);
    }
  else
    {
      json_builder_set_member_name (b, "province");
      json_builder_add_string_value (b, e->province);
    }
  json_builder_end_object (b);
}

static void
add_lists (JsonBuilder      *b,
           const SpCfResult *r)
{
  json_builder_set_member_name (b, "errors");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->errors->len; i++)
    {
      const SpCfProblem *p = g_ptr_array_index (r->errors, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, sp_cf_error_code_to_string (p->code));
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, p->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "mismatches");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->mismatches->len; i++)
    {
      const SpCfMismatch *m = g_ptr_array_index (r->mismatches, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "field");
      json_builder_add_string_value (b, m->field);
      json_builder_set_member_name (b, "expected");
      json_builder_add_string_value (b, m->expected);
      json_builder_set_member_name (b, "found");
      json_builder_add_string_value (b, m->found);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
print_json (const SpCfResult *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *date = sp_date_to_iso (&r->birth_date);
  char sex[2] = { r->sex, 0 };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "valid");
  json_builder_add_boolean_value (b, r->valid);
  json_builder_set_member_name (b, "provisional");
  json_builder_add_boolean_value (b, r->provisional);
  json_builder_set_member_name (b, "normalized");
  json_builder_add_string_value (b, r->normalized);
  json_builder_set_member_name (b, "omocodia_level");
  json_builder_add_int_value (b, r->omocodia_level);
  json_builder_set_member_name (b, "birth_date");
  if (date != NULL)
    json_builder_add_string_value (b, date);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "sex");
  if (r->sex)
    json_builder_add_string_value (b, sex);
  else
    json_builder_add_null_value (b);
  add_place (b, r);
  add_lists (b, r);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  sp_tool_print_json (root);
}

static const char *
field_label (const char *field)
{
  if (g_str_equal (field, "surname"))
    return _("surname");
  if (g_str_equal (field, "name"))
    return _("given name");
  if (g_str_equal (field, "sex"))
    return _("sex");
  if (g_str_equal (field, "birth_date"))
    return _("birth date");
  if (g_str_equal (field, "birth_place"))
    return _("birth place");
  return field;
}

static void
print_human (const SpCfResult *r)
{
  const SpBelfioreEntry *e = place_entry (r);

  if (r->valid && r->provisional)
    printf (_("%s is a valid provisional codice fiscale.\n"), r->normalized);
  else if (r->valid)
    {
      char date[32] = "";

      g_snprintf (date, sizeof date, "%02u/%02u/%04u", g_date_get_day (&r->birth_date), g_date_get_month (&r->birth_date), g_date_get_year (&r->birth_date));
      printf (r->sex == 'F' ? _("%s is valid: a woman born on %s in %s.\n")
                            : _("%s is valid: a man born on %s in %s.\n"),
              r->normalized, date, e ? e->name : r->birth_place);
    }
  for (guint i = 0; i < r->errors->len; i++)
    printf (_("%s is not valid: %s\n"), r->normalized,
            ((const SpCfProblem *) g_ptr_array_index (r->errors, i))->message);
  for (guint i = 0; i < r->mismatches->len; i++)
    {
      const SpCfMismatch *m = g_ptr_array_index (r->mismatches, i);

      printf (_("It does not match the %s: the data give %s, the code has %s.\n"),
              field_label (m->field), m->expected, m->found);
    }
}

int
sp_tool_cf_main (int    argc,
                 char **argv)
{
  g_autofree char *surname = NULL, *name = NULL, *sex = NULL, *birth_date = NULL, *birth_place = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "surname", 0, 0, G_OPTION_ARG_STRING, &surname, N_("Surname"), "S" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Given names"), "N" },
    { "sex", 0, 0, G_OPTION_ARG_STRING, &sex, N_("Sex"), "M|F" },
    { "birth-date", 0, 0, G_OPTION_ARG_STRING, &birth_date, N_("Birth date"), "YYYY-MM-DD" },
    { "birth-place", 0, 0, G_OPTION_ARG_STRING, &birth_place, N_("Belfiore code of the birth place"), "CODE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("check CF");
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCfResult) result = NULL;
  SpCfPersonData person = { 0 };
  GDate date;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return sp_tool_usage (USAGE, error->message);
  if (argc != 3 || g_strcmp0 (argv[1], "check") != 0)
    return sp_tool_usage (USAGE, NULL);
  if (sex != NULL && g_strcmp0 (sex, "M") != 0 && g_strcmp0 (sex, "F") != 0)
    return sp_tool_usage (USAGE, _("--sex takes M or F"));
  if (birth_date != NULL && !sp_date_parse_iso (birth_date, &date))
    return sp_tool_usage (USAGE, _("--birth-date takes a date YYYY-MM-DD"));

  person.surname = surname;
  person.name = name;
  person.sex = sex ? sex[0] : 0;
  person.birth_date = birth_date ? &date : NULL;
  person.birth_place = birth_place;
  result = sp_cf_check (argv[2], &person);
  if (json)
    print_json (result);
  else
    print_human (result);
  return result->valid && result->mismatches->len == 0 ? SP_TOOL_OK : SP_TOOL_INVALID;
}
