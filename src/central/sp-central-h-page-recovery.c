/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PIN recovery (ripristino) as a page: the codice fiscale and one of the
 * registered contacts, then POST /v1/pin-recovery as the portal would.
 * The answer never says which of the two did not match. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sp-central-handlers.h"
#include "sp-central-page.h"
#include "sp-central-portal.h"
#include "sp-codice-fiscale.h"

#define FORM "recupero"
#define ACTION "/cittadino/recupero"

static const SpCentralField fields_spec[] = {
  { "cf", N_("Codice fiscale"), N_("16 letters and digits, as on your tessera sanitaria"), "text", "off", TRUE, 16 },
  { "contact", N_("A contact you registered"),
    N_("The mobile number, the e-mail or the PEC you gave when you asked for the PIN"), "text", "off", TRUE, 128 },
};

static SpCentralResponse *
form_page (SpCentralRequest     *req,
           GHashTable           *values,
           SpCentralFieldErrors *errors)
{
  sp_central_page_italian ();
  return sp_central_page_simple_form (req, N_("Recover the PIN"),
                                      _("If you lost your PIN, you get a new one: the first 8 characters by SMS,"
                                        " the other 8 by e-mail or PEC. Your old PIN stops working."),
                                      ACTION, FORM, fields_spec, G_N_ELEMENTS (fields_spec), _("Recover the PIN"),
                                      values, errors);
}

SpCentralResponse *
sp_central_h_page_recovery (SpCentralRequest *req,
                            SpCentralDb      *db)
{
  return form_page (req, NULL, NULL);
}

SpCentralResponse *
sp_central_h_page_recovery_post (SpCentralRequest *req,
                                 SpCentralDb      *db)
{
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(GPtrArray) errors = sp_central_field_errors_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(SpCentralResponse) resp = NULL;
  SpCentralResponse *problem = NULL;
  gboolean expired = FALSE;
  const char *cf, *contact, *type;

  if ((fields = sp_central_portal_form (req, FORM, &expired, &problem)) == NULL)
    return problem;
  if (expired)
    {
      sp_central_field_errors_add (errors, "", sp_central_portal_expired_message ());
      return form_page (req, fields, errors);
    }
  cf = sp_central_portal_value (fields, "cf");
  contact = sp_central_portal_value (fields, "contact");
  if (*cf == '\0')
    sp_central_field_errors_add (errors, "cf", _("Enter your codice fiscale."));
  else if (!sp_cf_validate (cf, NULL, NULL))
    sp_central_field_errors_add (errors, "cf", _("The codice fiscale is not valid: check its 16 letters and digits."));
  if (*contact == '\0')
    sp_central_field_errors_add (errors, "contact", _("Enter the mobile number, the e-mail or the PEC you"
                                                      " registered."));
  if (errors->len)
    return form_page (req, fields, errors);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "cf");
  json_builder_add_string_value (b, cf);
  json_builder_set_member_name (b, "contact");
  json_builder_add_string_value (b, contact);
  json_builder_end_object (b);
  body = json_builder_get_root (b);
  if ((resp = sp_central_portal_call (req, db, sp_central_h_pin_recovery, "/v1/pin-recovery", body, &answer,
                                      &problem)) == NULL)
    return problem;
  if (resp->status == 201)
    return sp_central_page_outcome_redirect ("nuovo-pin");
  type = sp_central_portal_problem_type (answer);
  if (resp->status == 404)
    sp_central_field_errors_add (errors, "contact", _("The codice fiscale and this contact do not match a PIN we"
                                                      " know. Check both, or call the Contact Center."));
  else if (g_str_equal (type, "needs-two-contacts"))
    sp_central_field_errors_add (errors, "contact", _("Recovery needs both a mobile number and an e-mail or PEC"
                                                      " registered, and you do not have both. Go to an INPS office"
                                                      " or call the Contact Center."));
  else if (g_str_equal (type, "invalid-codice-fiscale"))
    sp_central_field_errors_add (errors, "cf", _("The codice fiscale is not valid: check its 16 letters and digits."));
  if (errors->len)
    return form_page (req, fields, errors);
  g_message ("recovery page: the API answered %u", resp->status);
  return sp_central_page_message (req, resp->status == 503 ? 503 : 500, N_("Something went wrong"),
                                  N_("Nothing was changed, because of a fault of ours. Try again later."));
}
