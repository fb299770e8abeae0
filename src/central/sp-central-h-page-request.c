/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The citizen's online PIN request (R7) as a page: the form, its checks
 * with messages tied to the fields, then POST /v1/pin-requests as the
 * portal would, and the outcome: sent (first half by SMS or e-mail/PEC,
 * second by letter) or waiting for a Contact Center call-back. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "sp-central-handler.h"
#include "sp-central-handlers.h"
#include "sp-central-page.h"
#include "sp-central-portal.h"
#include "sp-codice-fiscale.h"
#include "sp-issuance.h"

#define FORM "richiesta"
#define ACTION "/cittadino/richiesta"
#define FIELD_MAX 128

static const SpCentralField identity[] = {
  { "cf", N_("Codice fiscale"), N_("16 letters and digits, as on your tessera sanitaria"), "text", "off", TRUE, 16 },
  { "surname", N_("Surname"), NULL, "text", "family-name", TRUE, FIELD_MAX },
  { "name", N_("Name"), NULL, "text", "given-name", TRUE, FIELD_MAX },
  { "birth_date", N_("Date of birth"), N_("Day/month/year, for example 09/04/1975"), "text", "bday", TRUE, 10 },
};
static const SpCentralField residence[] = {
  { "street", N_("Street and house number"), N_("For example Via Roma 12"), "text", "address-line1", TRUE, FIELD_MAX },
  { "postcode", N_("CAP"), NULL, "text", "postal-code", FALSE, 5 },
  { "city", N_("Comune"), NULL, "text", "address-level2", TRUE, FIELD_MAX },
  { "province", N_("Province"), N_("Two letters, for example RM"), "text", "address-level1", FALSE, 2 },
};
static const SpCentralField contacts[] = {
  { "mobile", N_("Mobile number"), N_("The first part of the PIN goes here by SMS"), "tel", "tel", FALSE, 20 },
  { "email", N_("E-mail"), NULL, "email", "email", FALSE, FIELD_MAX },
  { "pec", N_("PEC (certified e-mail)"), NULL, "email", "off", FALSE, FIELD_MAX },
};

/* A group of fields; its hint, if any, is read with the group. */
static void
fieldset (SpCentralPage        *page,
          const char           *id,
          const char           *legend,
          const char           *hint,
          const SpCentralField *fields,
          guint                 n,
          GHashTable           *values,
          SpCentralFieldErrors *errors)
{
  if (hint)
    sp_central_page_add (page, "<fieldset aria-describedby=\"g-%s-hint\">\n<legend>%s</legend>\n"
                               "<p class=\"hint\" id=\"g-%s-hint\">%s</p>\n", id, legend, id, hint);
  else
    sp_central_page_add (page, "<fieldset>\n<legend>%s</legend>\n", legend);
  for (guint i = 0; i < n; i++)
    sp_central_page_field (page, &fields[i], values, errors);
  sp_central_page_raw (page, "</fieldset>\n");
}

static SpCentralResponse *
form_page (SpCentralRequest     *req,
           GHashTable           *values,
           SpCentralFieldErrors *errors)
{
  SpCentralPage *page = sp_central_page_new (req, N_("Request the PIN online"));

  sp_central_page_errors (page, errors);
  sp_central_page_add (page, "<h1>%s</h1>\n<p>%s</p>\n<p>%s</p>\n", _("Request the PIN online"),
                       _("Fill in your data as they are in the registry. We check them and your residence against"
                         " the Institute's archive."),
                       _("The first 8 characters of the PIN reach you by SMS or e-mail, the other 8 by letter at"
                         " your residence. INPS advises giving at least two contacts: they are needed to recover"
                         " the PIN if you lose it."));
  sp_central_page_form_begin (page, ACTION, FORM);
  fieldset (page, "identity", _("Your identity"), NULL, identity, G_N_ELEMENTS (identity), values, errors);
  fieldset (page, "residence", _("Your residence"), _("Where the letter with the second part of the PIN will arrive."),
            residence, G_N_ELEMENTS (residence), values, errors);
  fieldset (page, "contacts", _("Your contacts"), _("At least one; better two."), contacts, G_N_ELEMENTS (contacts), values,
            errors);
  sp_central_page_form_end (page, _("Send the request"));
  return sp_central_page_finish (page, errors && errors->len ? 422 : 200);
}

SpCentralResponse *
sp_central_h_page_request (SpCentralRequest *req,
                           SpCentralDb      *db)
{
  return form_page (req, NULL, NULL);
}

/* "09/04/1975", "9/4/1975" or "1975-04-09" as ISO, or NULL. */
static char *
birth_date_iso (const char *text)
{
  GDate date;
  guint d, m, y;
  char tail;

  if (sp_date_parse_iso (text, &date))
    return sp_date_to_iso (&date);
  if (sscanf (text, "%2u/%2u/%4u%c", &d, &m, &y, &tail) != 3 || y < 1900 || !g_date_valid_dmy (d, m, y))
    return NULL;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  return sp_date_to_iso (&date);
}

static gboolean
is_mobile (const char *text)
{
  guint digits = 0;

  for (const char *p = text; *p; p++)
    if (g_ascii_isdigit (*p))
      digits++;
    else if (!(*p == ' ' || (*p == '+' && p == text)))
      return FALSE;
  return digits >= 6 && digits <= 15;
}

static gboolean
is_mail (const char *text)
{
  const char *at = strchr (text, '@');

  return at != NULL && at != text && strchr (at + 1, '@') == NULL && strchr (at + 1, '.') != NULL
         && at[strlen (at) - 1] != '.' && strpbrk (text, " \t\r\n<>\"") == NULL;
}

static gboolean
all (const char *text,
     gboolean  (*is) (gchar c),
     gsize       len)
{
  if (strlen (text) != len)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!is (*p))
      return FALSE;
  return TRUE;
}

static gboolean is_digit (gchar c) { return g_ascii_isdigit (c); }
static gboolean is_alpha (gchar c) { return g_ascii_isalpha (c); }

/* A required text within the limit, or its message. */
static void
required (GHashTable           *fields,
          const char           *name,
          const char           *missing,
          SpCentralFieldErrors *errors)
{
  const char *v = sp_central_portal_value (fields, name);

  if (*v == '\0')
    sp_central_field_errors_add (errors, name, missing);
  else if (g_utf8_strlen (v, -1) > FIELD_MAX)
    sp_central_field_errors_add (errors, name, _("This is too long: shorten it."));
}

/* The form's own checks, in the order of the fields: each message says
 * what to write, not only what is wrong. */
static void
check (GHashTable           *f,
       SpCentralFieldErrors *errors)
{
  const char *cf = sp_central_portal_value (f, "cf");
  const char *birth = sp_central_portal_value (f, "birth_date");
  const char *postcode = sp_central_portal_value (f, "postcode");
  const char *province = sp_central_portal_value (f, "province");
  const char *mobile = sp_central_portal_value (f, "mobile");
  const char *email = sp_central_portal_value (f, "email");
  const char *pec = sp_central_portal_value (f, "pec");
  g_autofree char *iso = NULL;

  if (*cf == '\0')
    sp_central_field_errors_add (errors, "cf", _("Enter your codice fiscale."));
  else if (!sp_cf_validate (cf, NULL, NULL))
    sp_central_field_errors_add (errors, "cf", _("The codice fiscale is not valid: check its 16 letters and digits."));
  required (f, "surname", _("Enter your surname."), errors);
  required (f, "name", _("Enter your name."), errors);
  if (*birth == '\0')
    sp_central_field_errors_add (errors, "birth_date", _("Enter your date of birth."));
  else if ((iso = birth_date_iso (birth)) == NULL)
    sp_central_field_errors_add (errors, "birth_date",
                                 _("Write the date of birth as day/month/year, for example 09/04/1975."));
  required (f, "street", _("Enter the street and house number of your residence."), errors);
  if (*postcode && !all (postcode, is_digit, 5))
    sp_central_field_errors_add (errors, "postcode", _("The CAP is 5 digits, for example 00184."));
  required (f, "city", _("Enter the comune of your residence."), errors);
  if (*province && !all (province, is_alpha, 2))
    sp_central_field_errors_add (errors, "province", _("The province is 2 letters, for example RM."));
  if (*mobile && !is_mobile (mobile))
    sp_central_field_errors_add (errors, "mobile", _("Write the mobile number with digits only, for example"
                                                     " 333 1234567."));
  if (*email && !is_mail (email))
    sp_central_field_errors_add (errors, "email", _("Write the e-mail address like nome@esempio.it."));
  if (*pec && !is_mail (pec))
    sp_central_field_errors_add (errors, "pec", _("Write the PEC address like nome@pec.esempio.it."));
  if (!*mobile && !*email && !*pec)
    sp_central_field_errors_add (errors, "mobile", _("Enter at least one contact: a mobile number, an e-mail or"
                                                     " a PEC address."));
}

static void
add_optional (JsonBuilder *b,
              GHashTable  *f,
              const char  *name)
{
  const char *v = sp_central_portal_value (f, name);

  if (*v)
    {
      json_builder_set_member_name (b, name);
      json_builder_add_string_value (b, v);
    }
}

/* The API's body, from a form that passed check(). */
static JsonNode *
api_body (GHashTable *f)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *iso = birth_date_iso (sp_central_portal_value (f, "birth_date"));
  g_autofree char *province = g_ascii_strup (sp_central_portal_value (f, "province"), -1);

  json_builder_begin_object (b);
  add_optional (b, f, "cf");
  add_optional (b, f, "surname");
  add_optional (b, f, "name");
  json_builder_set_member_name (b, "birth_date");
  json_builder_add_string_value (b, iso);
  json_builder_set_member_name (b, "residence");
  json_builder_begin_object (b);
  add_optional (b, f, "street");
  add_optional (b, f, "postcode");
  add_optional (b, f, "city");
  if (*province)
    {
      json_builder_set_member_name (b, "province");
      json_builder_add_string_value (b, province);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "contacts");
  json_builder_begin_object (b);
  add_optional (b, f, "mobile");
  add_optional (b, f, "email");
  add_optional (b, f, "pec");
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* The API's refusal tied to the field it concerns. */
static void
api_errors (guint                 status,
            JsonObject           *problem,
            SpCentralFieldErrors *errors)
{
  const char *type = sp_central_portal_problem_type (problem);
  const char *field = problem ? json_object_get_string_member_with_default (problem, "field", NULL) : NULL;

  if (g_str_equal (type, "has-pin"))
    sp_central_field_errors_add (errors, "cf", _("There is already a PIN for this codice fiscale. If you lost it,"
                                                 " use PIN recovery."));
  else if (g_str_equal (type, "not-in-registry"))
    sp_central_field_errors_add (errors, "cf", _("This codice fiscale is not in the registry. Check it, or go to an"
                                                 " INPS office."));
  else if (g_str_equal (type, "invalid-codice-fiscale"))
    sp_central_field_errors_add (errors, "cf", _("The codice fiscale is not valid: check its 16 letters and digits."));
  else if (status == 400 && field != NULL)
    {
      const char *name = g_str_equal (field, "residence") ? "street"
                         : g_str_equal (field, "contacts") ? "mobile" : field;

      for (const char *const *k = (const char *const[]) { "cf", "surname", "name", "birth_date", "street",
                                                          "postcode", "city", "province", "mobile", "email",
                                                          "pec", NULL }; *k; k++)
        if (g_str_equal (*k, name))
          sp_central_field_errors_add (errors, *k, _("Check this field: it cannot be accepted as written."));
    }
}

SpCentralResponse *
sp_central_h_page_request_post (SpCentralRequest *req,
                                SpCentralDb      *db)
{
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(GPtrArray) errors = sp_central_field_errors_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(SpCentralResponse) resp = NULL;
  SpCentralResponse *problem = NULL;
  gboolean expired = FALSE;

  if ((fields = sp_central_portal_form (req, FORM, &expired, &problem)) == NULL)
    return problem;
  if (expired)
    {
      sp_central_field_errors_add (errors, "", sp_central_portal_expired_message ());
      return form_page (req, fields, errors);
    }
  check (fields, errors);
  if (errors->len)
    return form_page (req, fields, errors);
  body = api_body (fields);
  if ((resp = sp_central_portal_call (req, db, sp_central_h_pin_request, "/v1/pin-requests", body, &answer,
                                      &problem)) == NULL)
    return problem;
  if (resp->status == 201 || resp->status == 202)
    {
      JsonNode *node = answer ? json_object_get_member (answer, "delivery") : NULL;
      JsonObject *delivery = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *first = delivery ? json_object_get_string_member_with_default (delivery, "first_half", "") : "";

      return sp_central_page_outcome_redirect (resp->status == 202 ? "in-attesa"
                                               : g_str_equal (first, "sms") ? "inviata-sms" : "inviata-email");
    }
  api_errors (resp->status, answer, errors);
  if (errors->len)
    return form_page (req, fields, errors);
  if (resp->status == 503)
    return sp_central_page_message (req, 503, N_("The service is busy"),
                                    N_("Your request was not recorded. Wait a minute, then send it again."));
  g_message ("online request page: the API answered %u", resp->status);
  return sp_central_page_message (req, 500, N_("Something went wrong"),
                                  N_("Your request was not recorded, because of a fault of ours. Try again later."));
}
