/* SPDX-License-Identifier: GPL-3.0-or-later */
/* POST /v1/auth/pin: an online service checks a citizen's PIN; POST
 * /v1/auth/pin/change: first access (INPS msg. 3695/2013), the initial
 * 16-character PIN replaced by an 8-character personal PIN.
 *
 * Which stored verifier a typed PIN is checked against:
 *   16 characters, no personal PIN yet  → the initial PIN: right, it
 *        answers 403 pin-change-required and grants nothing;
 *   8 characters, a personal PIN chosen → the personal PIN: the scope of
 *        the credential (dispositivo or ordinario);
 *   8 characters, no personal PIN, a simplified credential, inside the
 *        emergency window → the first half alone: scope simplified, for
 *        the window's services only (msg. 1381/2020 §2);
 *   anything else → the dummy verifier, so every path costs one
 *        Argon2id verification and answers alike when wrong. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <string.h>

#include "sp-central-auth.h"
#include "sp-central-db-channels.h"
#include "sp-central-db-credentials.h"
#include "sp-central-handler.h"
#include "sp-central-handlers.h"
#include "sp-central-problem.h"
#include "sp-central-rows.h"
#include "sp-personal-pin.h"
#include "sp-pin.h"
#include "sp-secret.h"

typedef enum {
  FORM_NONE,
  FORM_INITIAL,
  FORM_PERSONAL,
  FORM_SIMPLIFIED,
} Form;

static void
add_ids (JsonBuilder        *b,
         const char         *name,
         const char *const  *ids)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; ids && ids[i]; i++)
    json_builder_add_string_value (b, ids[i]);
  json_builder_end_array (b);
}

/* The scope granted: the credential's kind, or simplified with the
 * window's services and those that still need the whole PIN (R10). */
static SpCentralResponse *
pin_accepted (const SpCentralCredential *c,
              Form                       form,
              guint                      status)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean simplified = form == FORM_SIMPLIFIED;
  gboolean dispositivo = !simplified && g_strcmp0 (c->kind, "ordinario") != 0;

  json_builder_begin_object (b);
  sp_json_add_string (b, "scope", simplified ? "simplified" : dispositivo ? "dispositivo" : "ordinario");
  if (simplified)
    {
      g_autofree char *until = sp_central_ms_to_iso (c->mode->ends_at);

      add_ids (b, "services", (const char *const *) c->mode->services);
      add_ids (b, "whole_pin_required_for", (const char *const *) c->mode->whole_pin);
      sp_json_add_string (b, "valid_until", until);
    }
  else
    /* A PIN dispositivo opens every online service (R11); an ordinario
     * one consultation only, until the counter converts it. */
    add_ids (b, "services", dispositivo ? (const char *const[]) { "*", NULL }
                                        : (const char *const[]) { "consultation", NULL });
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return sp_central_response_new_json (status, root);
}

static SpCentralResponse *
locked (gint64 retry_at)
{
  SpCentralResponse *problem;
  g_autofree char *after = NULL;
  gint64 now = sp_central_now_ms ();

  problem = sp_central_problem_new (423, "pin-locked", "Too many wrong attempts", "%s",
                                    retry_at ? "the credential is locked for now: try again later"
                                             : "the credential is locked: the citizen must have it "
                                               "unlocked at an INPS sede");
  /* Locked until the in-person check: say "in an hour", not "never". */
  after = g_strdup_printf ("%" G_GINT64_FORMAT, retry_at ? MAX ((retry_at - now + 999) / 1000, 1) : 3600);
  sp_central_response_set_header (problem, "Retry-After", after);
  return problem;
}

static SpCentralResponse *
wrong_pin (void)
{
  /* One message whatever the cause: unknown code, no PIN, wrong PIN. */
  return sp_central_problem_new (401, "invalid-pin", "Wrong codice fiscale or PIN", NULL);
}

/* The stored verifier the typed PIN is compared with (see the top). */
static const char *
pick_verifier (const SpCentralCredential *c,
               const SpPin               *whole,
               const SpShortPin          *eight,
               gint64                     now,
               Form                      *form)
{
  *form = FORM_NONE;
  if (whole != NULL && c->verifier != NULL)
    *form = FORM_INITIAL;
  else if (eight != NULL && c->personal_verifier != NULL)
    *form = FORM_PERSONAL;
  else if (eight != NULL && c->simplified_verifier != NULL && sp_central_simplified_mode_open (c->mode, now))
    *form = FORM_SIMPLIFIED;
  switch (*form)
    {
    case FORM_INITIAL:
      return c->verifier;
    case FORM_PERSONAL:
      return c->personal_verifier;
    case FORM_SIMPLIFIED:
      return c->simplified_verifier;
    case FORM_NONE:
    default:
      return NULL;
    }
}

/* One verification under the lockout: reserved before the Argon2id work
 * (however many guesses arrive together, on however many instances, at
 * most 5 are verified after the last success or lockout), settled
 * before answering. NULL with *credential and *form on a right PIN, or
 * the problem to send. */
static SpCentralResponse *
verify (SpCentralDb          *db,
        const char           *cf,
        const char           *pin,
        SpCentralCredential **credential,
        Form                 *form)
{
  g_autoptr(SpPin) whole = NULL;
  g_autoptr(SpShortPin) eight = NULL;
  g_autoptr(SpCentralCredential) c = NULL;
  g_autoptr(GError) error = NULL;
  const char *verifier, *secret;
  gint64 retry_at = 0;
  gboolean ok;

  *form = FORM_NONE;
  if (!sp_central_db_pin_reserve_credential (db, cf, sp_central_now_ms (), &c, &retry_at, &error))
    return g_error_matches (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_LOCKED)
           ? locked (retry_at) : sp_central_db_problem (error);
  /* Citizens type "abcd efgh …": normalised as the printed form. */
  whole = sp_pin_new_from_string (pin);
  eight = whole ? NULL : sp_short_pin_new_from_string (pin);
  verifier = pick_verifier (c, whole, eight, sp_central_now_ms (), form);
  secret = whole ? sp_pin_peek (whole) : eight ? sp_short_pin_peek (eight) : pin;
  ok = sp_secret_verify (verifier ? verifier : sp_central_dummy_verifier (), secret, strlen (secret))
       && verifier != NULL;
  if (!sp_central_db_pin_settle (db, cf, ok, sp_central_now_ms (), &error))
    return sp_central_db_problem (error);
  if (!ok)
    return wrong_pin ();
  *credential = g_steal_pointer (&c);
  return NULL;
}

/* The cf and pin members; NULL or the problem. */
static SpCentralResponse *
read_credentials (SpCentralRequest *req,
                  JsonParser      **parser,
                  JsonObject      **body,
                  const char      **cf,
                  const char      **pin)
{
  SpCentralResponse *problem = NULL;

  if ((*body = sp_central_parse_body (req, parser, &problem)) == NULL
      || (*cf = sp_central_string_member (*body, "cf", TRUE, &problem)) == NULL
      || (*pin = sp_central_string_member (*body, "pin", TRUE, &problem)) == NULL)
    return problem;
  return NULL;
}

/* The code as typed, upper case and trimmed; NULL when it or the PIN is
 * too long to be one (the same answer as a wrong PIN). */
static char *
normal_cf (const char *cf_text,
           const char *pin)
{
  char *cf = g_strstrip (g_ascii_strup (cf_text, -1));

  if (strlen (cf) > 16 || strlen (pin) > 64)
    g_clear_pointer (&cf, g_free);
  return cf;
}

static gboolean
listed (char *const *ids,
        const char  *id)
{
  return ids != NULL && g_strv_contains ((const char *const *) ids, id);
}

/* A simplified scope asked for a service (R9–R10): one of the window's,
 * and not an act that needs the whole PIN. */
static SpCentralResponse *
check_service (const SpCentralCredential *c,
               const char                *service)
{
  if (listed (c->mode->whole_pin, service))
    return sp_central_problem_field (403, "whole-pin-required", "This needs the whole PIN", "service",
                                     "this act needs the whole PIN: the first 8 characters alone are not "
                                     "enough (the second half comes by letter)");
  if (!listed (c->mode->services, service))
    return sp_central_problem_field (403, "service-not-simplified", "Not a service of the simplified mode",
                                     "service", "the first 8 characters alone open only the emergency's "
                                     "listed services");
  return NULL;
}

SpCentralResponse *
sp_central_auth_pin (SpCentralDb *db,
                     const char  *cf_text,
                     const char  *pin,
                     const char  *service)
{
  g_autofree char *cf = normal_cf (cf_text, pin);
  g_autoptr(SpCentralCredential) c = NULL;
  SpCentralResponse *problem;
  Form form;

  if (cf == NULL)
    return wrong_pin ();
  if ((problem = verify (db, cf, pin, &c, &form)))
    return problem;
  if (form == FORM_INITIAL)
    return sp_central_problem_new (403, "pin-change-required", "The initial PIN must be changed", "%s",
                                   "first access: choose an 8-character personal PIN with "
                                   "POST /v1/auth/pin/change; until then the PIN opens nothing");
  if (form == FORM_SIMPLIFIED && service != NULL && (problem = check_service (c, service)))
    return problem;
  return pin_accepted (c, form, 200);
}

SpCentralResponse *
sp_central_h_auth_pin (SpCentralRequest *req,
                       SpCentralDb      *db)
{
  g_autoptr(JsonParser) parser = NULL;
  SpCentralResponse *problem = NULL;
  JsonObject *body;
  const char *cf, *pin, *service;

  if ((problem = read_credentials (req, &parser, &body, &cf, &pin)))
    return problem;
  service = sp_central_string_member (body, "service", FALSE, &problem);
  if (problem != NULL)
    return problem;
  return sp_central_auth_pin (db, cf, pin, service);
}

/* The rules of the new personal PIN, against the citizen's data. */
static SpCentralResponse *
check_personal (SpCentralDb *db,
                const char  *cf,
                const char  *new_pin)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCentralCitizen) who = cf ? sp_central_db_get_citizen (db, cf, sp_central_now_ms (), &error) : NULL;

  /* cf NULL: the form alone. */
  if (cf != NULL && who == NULL && !g_error_matches (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND))
    return sp_central_db_problem (error);
  switch (sp_personal_pin_check (new_pin, cf, who ? who->name : NULL, who ? who->surname : NULL))
    {
    case SP_PERSONAL_PIN_OK:
      return NULL;
    case SP_PERSONAL_PIN_CF:
      return sp_central_problem_field (422, "pin-contains-cf", "The new PIN repeats the codice fiscale",
                                       "new_pin", "it must not be 8 consecutive characters of the codice fiscale");
    case SP_PERSONAL_PIN_NAME:
      return sp_central_problem_field (422, "pin-contains-name", "The new PIN contains the name",
                                       "new_pin", "it must not contain the name or the surname");
    case SP_PERSONAL_PIN_FORMAT:
    default:
      return sp_central_problem_field (422, "pin-format", "The new PIN is not 8 letters or digits",
                                       "new_pin", "choose exactly 8 letters or digits");
    }
}

static SpCentralResponse *
set_personal (SpCentralDb               *db,
              const char                *actor,
              const char                *cf,
              const SpCentralCredential *c,
              const char                *new_pin)
{
  g_autoptr(SpShortPin) chosen = sp_short_pin_new_from_string (new_pin);
  g_autoptr(GError) error = NULL;
  g_autofree char *verifier = NULL;

  /* Upper case: the personal PIN is case-insensitive like the initial. */
  if (chosen == NULL
      || (verifier = sp_secret_hash (sp_short_pin_peek (chosen), SP_PERSONAL_PIN_LENGTH, &error)) == NULL)
    return sp_central_problem_new (500, "internal", "The PIN could not be set", "retry later");
  if (!sp_central_db_pin_set_personal (db, cf, c->issuance_id, verifier, actor,
                                       sp_central_now_ms (), &error))
    return sp_central_db_problem (error);
  return pin_accepted (c, FORM_PERSONAL, 200);
}

SpCentralResponse *
sp_central_auth_pin_change (SpCentralDb *db,
                            const char  *actor,
                            const char  *cf_text,
                            const char  *pin,
                            const char  *new_pin)
{
  g_autofree char *cf = normal_cf (cf_text, pin);
  g_autoptr(SpCentralCredential) c = NULL;
  SpCentralResponse *problem;
  Form form;

  /* The form first, costing nothing; the rules that use the citizen's
   * name only once the initial PIN proved who is asking. */
  if (sp_personal_pin_check (new_pin, NULL, NULL, NULL) == SP_PERSONAL_PIN_FORMAT)
    return check_personal (db, NULL, new_pin);
  if (cf == NULL)
    return wrong_pin ();
  if ((problem = verify (db, cf, pin, &c, &form)))
    return problem;
  if (form != FORM_INITIAL)
    /* A right personal PIN or first half: there is no initial PIN left to change. */
    return sp_central_problem_new (409, "pin-already-personal", "The initial PIN was already changed", "%s",
                                   "send the 16-character initial PIN; a personal PIN is chosen only once");
  if ((problem = check_personal (db, cf, new_pin)))
    return problem;
  return set_personal (db, actor, cf, c, new_pin);
}

SpCentralResponse *
sp_central_h_auth_pin_change (SpCentralRequest *req,
                              SpCentralDb      *db)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *kind = NULL;
  g_autoptr(GError) error = NULL;
  SpCentralResponse *problem = NULL;
  JsonObject *body;
  const char *cf, *pin, *new_pin;

  if (!sp_central_db_channel_kind (db, req->op->id, &kind, &error))
    return sp_central_db_problem (error);
  if (g_strcmp0 (kind, "portal") != 0 && !g_str_equal (req->op->role, "admin"))
    return sp_central_problem_new (403, "forbidden", "Not allowed for this account", "%s",
                                   "first access is for the citizen portal's account");
  if ((problem = read_credentials (req, &parser, &body, &cf, &pin))
      || (new_pin = sp_central_string_member (body, "new_pin", TRUE, &problem)) == NULL)
    return problem;
  return sp_central_auth_pin_change (db, req->op->username, cf, pin, new_pin);
}
