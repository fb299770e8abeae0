/* SPDX-License-Identifier: GPL-3.0-or-later */
/* First access (INPS msg. 3695/2013) as a page: the codice fiscale, the
 * 16-character initial PIN and the 8-character personal PIN chosen,
 * twice; then sp_central_auth_pin_change, the verb behind POST
 * /v1/auth/pin/change, with the same lockout, rules and audit. No PIN
 * is ever written back into a page. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "sp-central-auth.h"
#include "sp-central-handlers.h"
#include "sp-central-page.h"
#include "sp-central-portal.h"
#include "sp-codice-fiscale.h"
#include "sp-personal-pin.h"

#define FORM "primo-accesso"
#define ACTION "/cittadino/primo-accesso"

static const SpCentralField fields_spec[] = {
  { "cf", N_("Codice fiscale"), N_("16 letters and digits, as on your tessera sanitaria"), "text", "username",
    TRUE, 16 },
  { "pin", N_("Initial PIN"), N_("The 16 characters you received: the first 8 and then the other 8, spaces do not"
                                 " matter"), "password", "current-password", TRUE, 24, TRUE },
  { "new_pin", N_("Your personal PIN"), N_("8 letters or digits. Not 8 characters in a row of your codice fiscale,"
                                           " and not your name or surname"), "password", "new-password", TRUE, 8,
    TRUE },
  { "new_pin_again", N_("Your personal PIN again"), NULL, "password", "new-password", TRUE, 8, TRUE },
};

static SpCentralResponse *
form_page (SpCentralRequest     *req,
           GHashTable           *values,
           SpCentralFieldErrors *errors)
{
  sp_central_page_italian ();
  return sp_central_page_simple_form (req, N_("First access"),
                                      _("At the first access you replace the 16-character initial PIN with a"
                                        " personal PIN of 8 characters that you choose. From then on you use only"
                                        " the personal PIN."),
                                      ACTION, FORM, fields_spec, G_N_ELEMENTS (fields_spec),
                                      _("Choose the personal PIN"), values, errors);
}

SpCentralResponse *
sp_central_h_page_first_access (SpCentralRequest *req,
                                SpCentralDb      *db)
{
  return form_page (req, NULL, NULL);
}

/* The form's own checks, before any Argon2id work. */
static void
check (GHashTable           *f,
       SpCentralFieldErrors *errors)
{
  const char *cf = sp_central_portal_value (f, "cf");
  const char *pin = sp_central_portal_value (f, "pin");
  const char *new_pin = sp_central_portal_value (f, "new_pin");
  const char *again = sp_central_portal_value (f, "new_pin_again");

  if (*cf == '\0')
    sp_central_field_errors_add (errors, "cf", _("Enter your codice fiscale."));
  else if (!sp_cf_validate (cf, NULL, NULL))
    sp_central_field_errors_add (errors, "cf", _("The codice fiscale is not valid: check its 16 letters and digits."));
  if (*pin == '\0')
    sp_central_field_errors_add (errors, "pin", _("Enter the initial PIN of 16 characters."));
  if (*new_pin == '\0')
    sp_central_field_errors_add (errors, "new_pin", _("Choose your personal PIN of 8 letters or digits."));
  else if (sp_personal_pin_check (new_pin, NULL, NULL, NULL) == SP_PERSONAL_PIN_FORMAT)
    sp_central_field_errors_add (errors, "new_pin", _("The personal PIN is exactly 8 letters or digits, without"
                                                      " spaces."));
  if (*new_pin != '\0' && g_ascii_strcasecmp (new_pin, again) != 0)
    sp_central_field_errors_add (errors, "new_pin_again", _("The two personal PINs are not the same: type it"
                                                            " again."));
}

/* The API's refusal tied to the field it concerns. */
static void
api_errors (const char           *type,
            SpCentralFieldErrors *errors)
{
  if (g_str_equal (type, "invalid-pin"))
    sp_central_field_errors_add (errors, "pin", _("The codice fiscale or the initial PIN is not right. Check both:"
                                                  " after 5 wrong attempts the PIN is locked for a while."));
  else if (g_str_equal (type, "pin-locked"))
    sp_central_field_errors_add (errors, "pin", _("After too many wrong attempts the PIN is locked. Try again"
                                                  " later, or go to an INPS office to have it unlocked."));
  else if (g_str_equal (type, "pin-already-personal"))
    sp_central_field_errors_add (errors, "pin", _("You have already chosen your personal PIN: use it to enter"
                                                  " the services. If you lost it, recover the PIN."));
  else if (g_str_equal (type, "pin-contains-cf"))
    sp_central_field_errors_add (errors, "new_pin", _("The personal PIN must not be 8 characters in a row of your"
                                                      " codice fiscale: choose another."));
  else if (g_str_equal (type, "pin-contains-name"))
    sp_central_field_errors_add (errors, "new_pin", _("The personal PIN must not contain your name or surname:"
                                                      " choose another."));
  else if (g_str_equal (type, "pin-format"))
    sp_central_field_errors_add (errors, "new_pin", _("The personal PIN is exactly 8 letters or digits, without"
                                                      " spaces."));
}

/* The PINs wiped, in the form and in the body it was read from, before
 * they are freed: the clear PIN lives in memory only as long as needed. */
static void
wipe_pins (SpCentralRequest *req,
           GHashTable       *f)
{
  gsize len;
  const char *body = sp_central_request_body (req, &len);

  /* The request is this handler's alone by now; the body was read. */
  sodium_memzero ((char *) body, len);
  for (const char *const *k = (const char *const[]) { "pin", "new_pin", "new_pin_again", NULL }; *k; k++)
    {
      char *v = g_hash_table_lookup (f, *k);

      if (v != NULL)
        sodium_memzero (v, strlen (v));
    }
}

SpCentralResponse *
sp_central_h_page_first_access_post (SpCentralRequest *req,
                                     SpCentralDb      *db)
{
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(GPtrArray) errors = sp_central_field_errors_new ();
  g_autoptr(SpCentralResponse) resp = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *actor = NULL;
  SpCentralResponse *problem = NULL;
  gboolean expired = FALSE;
  gsize len = 0;
  const char *data;

  if ((fields = sp_central_portal_form (req, FORM, &expired, &problem)) == NULL)
    return problem;
  if (expired)
    {
      wipe_pins (req, fields);
      sp_central_field_errors_add (errors, "", sp_central_portal_expired_message ());
      return form_page (req, fields, errors);
    }
  check (fields, errors);
  if (errors->len == 0 && (actor = sp_central_portal_account (req, db, &problem)) == NULL)
    {
      wipe_pins (req, fields);
      return problem;
    }
  if (errors->len == 0)
    resp = sp_central_auth_pin_change (db, actor, sp_central_portal_value (fields, "cf"),
                                       sp_central_portal_value (fields, "pin"),
                                       sp_central_portal_value (fields, "new_pin"));
  wipe_pins (req, fields);
  if (resp != NULL && resp->status == 200)
    return sp_central_page_outcome_redirect ("pin-personale");
  if (resp != NULL)
    {
      data = resp->body ? g_bytes_get_data (resp->body, &len) : "";
      if (json_parser_load_from_data (parser, data, len, NULL) && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        api_errors (sp_central_portal_problem_type (json_node_get_object (json_parser_get_root (parser))), errors);
      if (errors->len == 0)
        {
          g_message ("first access page: the API answered %u", resp->status);
          return sp_central_page_message (req, resp->status == 503 ? 503 : 500, N_("Something went wrong"),
                                          N_("Nothing was changed, because of a fault of ours. Try again later."));
        }
    }
  return form_page (req, fields, errors);
}
