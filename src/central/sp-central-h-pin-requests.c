/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PIN requests made online by the citizen portal (R7) or recorded by a
 * Contact Center operator (R8): checked against the registry and the
 * residence in the archive; on a pass the PIN is made here, only its
 * verifier is kept, the first 8 characters go sealed into the outbox for
 * an SMS or an e-mail/PEC and the other 8 for the letter; on a fail the
 * request waits in the Contact Center's validation queue. A PIN from
 * these channels is ordinario. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "sp-central-address.h"
#include "sp-central-db-channels.h"
#include "sp-central-db-credentials.h"
#include "sp-central-handler.h"
#include "sp-central-handlers.h"
#include "sp-central-letter.h"
#include "sp-central-problem.h"
#include "sp-central-rows.h"
#include "sp-central-sealer.h"
#include "sp-pin.h"
#include "sp-secret.h"

#define FIELD_MAX 128

/* The channel of the principal: "portal" or "contact_center" (only the
 * latter when cc_only), or the 403. */
static SpCentralResponse *
require_channel (SpCentralRequest *req,
                 SpCentralDb      *db,
                 gboolean          cc_only,
                 char            **kind)
{
  g_autoptr(GError) error = NULL;

  if (!sp_central_db_channel_kind (db, req->op->id, kind, &error))
    return sp_central_db_problem (error);
  if (*kind != NULL && (!cc_only || g_str_equal (*kind, "contact_center")))
    return NULL;
  return sp_central_problem_new (403, "forbidden", "Not allowed for this account",
                                 cc_only ? "this needs a Contact Center account"
                                         : "this needs the citizen portal's or a Contact Center account");
}

/* A bounded string member (NULL when absent and optional). */
static const char *
field (JsonObject         *object,
       const char         *name,
       gboolean            required,
       SpCentralResponse **problem)
{
  const char *value = object ? sp_central_string_member (object, name, required, problem) : NULL;

  if (object == NULL && required)
    *problem = sp_central_problem_field (400, "invalid-body", "A field is missing", name, name);
  if (value != NULL && (strlen (value) > FIELD_MAX || (required && *value == '\0')))
    {
      *problem = sp_central_problem_field (400, "invalid-body", "A field is empty or too long", name, name);
      return NULL;
    }
  return value;
}

static JsonObject *
child (JsonObject         *object,
       const char         *name,
       gboolean            required,
       SpCentralResponse **problem)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    *problem = sp_central_problem_field (400, "invalid-body", "A field has the wrong type", name,
                                         "must be an object");
  else if (required)
    *problem = sp_central_problem_field (400, "invalid-body", "A field is missing", name, name);
  return NULL;
}

static gboolean
same_text (const char *a,
           const char *b)
{
  g_autofree char *fa = a ? g_utf8_casefold (a, -1) : NULL;
  g_autofree char *fb = b ? g_utf8_casefold (b, -1) : NULL;

  return fa && fb && g_str_equal (g_strstrip (fa), g_strstrip (fb));
}

/* The reasons as a JSON array text, and as a node for the answer. */
static char *
reasons_text (GPtrArray *reasons)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; i < reasons->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (reasons, i));
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* A new PIN's verifier and its two halves, sealed for the outbox.
 * first_clear gets the first half in clear for a Contact Center
 * operator to read out (caller wipes it), when not NULL. */
typedef struct {
  char issuance_id[37];
  char *verifier;
  char *first_verifier;      /* the first half's, inside the emergency window */
  guint8 nonce[2][SP_CENTRAL_SEAL_NONCE];
  guint8 sealed[2][16 + SP_CENTRAL_SEAL_MAC];
  SpCentralOutboxItem items[2];
  char *first_to, *letter_to;
  char *letter_sealed, *letter_sha256;
  SpCentralDelivery delivery;
} Delivery;

static void
delivery_clear (Delivery *d)
{
  g_free (d->verifier);
  g_free (d->first_verifier);
  g_free (d->first_to);
  g_free (d->letter_to);
  g_free (d->letter_sealed);
  g_free (d->letter_sha256);
}

/* A new PIN sealed for two destinations: the first half to (t0, to0),
 * the second to (t1, to1). simplified: the emergency window is open, so
 * the first half alone gets its own verifier too (msg. 1381/2020 §2: it
 * authenticates for the window's services until the second arrives). */
static gboolean
seal_pin (Delivery                     *d,
          gboolean                      simplified,
          const char                   *t0,
          const char                   *to0,
          const char                   *t1,
          const char                   *to1,
          const SpCentralLetterAddress *letter,
          char                          first_clear[10],
          GError                      **error)
{
  g_autoptr(SpPin) pin = sp_pin_generate ();
  g_autofree char *uuid = sp_uuid_new ();
  char half[2][10];
  gboolean ok;

  memset (d, 0, sizeof *d);
  g_strlcpy (d->issuance_id, uuid, sizeof d->issuance_id);
  if ((d->verifier = sp_pin_make_verifier (pin, error)) == NULL
      || (simplified && (d->first_verifier = sp_secret_hash (sp_pin_peek (pin), SP_PIN_HALF_LENGTH, error)) == NULL))
    return FALSE;
  sp_pin_format_half (pin, 0, half[0]);
  sp_pin_format_half (pin, 1, half[1]);
  ok = sp_central_sealer_seal (half[0], strlen (half[0]), d->nonce[0], d->sealed[0])
       && sp_central_sealer_seal (half[1], strlen (half[1]), d->nonce[1], d->sealed[1]);
  /* The letter rendered and sealed for the provider now, while the half
   * is in memory: it is never kept in clear, nor sealed to our own key. */
  if (ok && letter != NULL
      && !sp_central_letter_seal (letter, half[1], &d->letter_sealed, &d->letter_sha256, error))
    {
      sodium_memzero (half, sizeof half);
      return FALSE;
    }
  if (first_clear != NULL)
    memcpy (first_clear, half[0], 10);
  sodium_memzero (half, sizeof half);
  if (!ok)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the outbox key is not usable");
      return FALSE;
    }
  d->first_to = g_strdup (to0);
  d->letter_to = g_strdup (to1);
  d->items[0] = (SpCentralOutboxItem) { t0, d->first_to, 0, d->nonce[0], d->sealed[0],
                                        strlen ("ABCD EFGH") + SP_CENTRAL_SEAL_MAC };
  d->items[1] = (SpCentralOutboxItem) { t1, d->letter_to, 1, d->nonce[1], d->sealed[1],
                                        strlen ("ABCD EFGH") + SP_CENTRAL_SEAL_MAC };
  d->delivery = (SpCentralDelivery) { d->issuance_id, d->verifier, d->items, d->letter_sealed ? 1 : 2,
                                      d->letter_sealed, d->letter_sha256, d->first_verifier };
  return TRUE;
}

/* Whether the emergency window holds now (the mode an admin set). */
static gboolean
simplified_open (SpCentralDb *db,
                 gint64       now,
                 gboolean    *open,
                 GError     **error)
{
  g_autoptr(SpCentralSimplifiedMode) mode = sp_central_db_simplified_mode_get (db, error);

  *open = sp_central_simplified_mode_open (mode, now);
  return mode != NULL;
}

/* A request's delivery: the first half by SMS when there is a mobile,
 * else by e-mail or PEC; the second by letter to the residence. */
static gboolean
make_delivery (JsonObject *data,
               gboolean    simplified,
               Delivery   *d,
               char        first_clear[10],
               GError    **error)
{
  JsonObject *contacts = json_object_get_object_member (data, "contacts");
  JsonObject *home = json_object_get_object_member (data, "residence");
  const char *mobile = json_object_get_string_member_with_default (contacts, "mobile", NULL);
  const char *email = json_object_get_string_member_with_default (contacts, "email", NULL);
  const char *pec = json_object_get_string_member_with_default (contacts, "pec", NULL);
  g_autofree char *letter = g_strdup_printf ("%s, %s %s (%s)", json_object_get_string_member (home, "street"),
                                             json_object_get_string_member_with_default (home, "postcode", ""),
                                             json_object_get_string_member (home, "city"),
                                             json_object_get_string_member_with_default (home, "province", ""));

  g_autofree char *name = g_strdup_printf ("%s %s", json_object_get_string_member (data, "name"),
                                           json_object_get_string_member (data, "surname"));
  g_autofree char *place = g_strdup_printf ("%s %s (%s)",
                                            json_object_get_string_member_with_default (home, "postcode", ""),
                                            json_object_get_string_member (home, "city"),
                                            json_object_get_string_member_with_default (home, "province", ""));
  SpCentralLetterAddress to = { name, json_object_get_string_member (home, "street"), place };

  return seal_pin (d, simplified, mobile ? "sms" : "email", mobile ? mobile : email ? email : pec, "letter", letter,
                   sp_central_letter_available () ? &to : NULL, first_clear, error);
}

static SpCentralResponse *
answer (const SpCentralPinRequest *r,
        const char                *status,
        GPtrArray                 *reasons,
        const char                *reasons_json,
        const char                *first_transport,
        const char                *second_transport,
        const char                *first_clear)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, r->id);
  json_builder_set_member_name (b, "cf");
  json_builder_add_string_value (b, r->cf);
  json_builder_set_member_name (b, "channel");
  json_builder_add_string_value (b, r->channel);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, status);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, "ordinario");
  json_builder_set_member_name (b, "score");
  json_builder_add_int_value (b, r->score);
  json_builder_set_member_name (b, "reasons");
  if (json_parser_load_from_data (parser, reasons_json, -1, NULL))
    json_builder_add_value (b, json_node_copy (json_parser_get_root (parser)));
  else
    json_builder_add_null_value (b);
  if (first_transport != NULL)
    {
      json_builder_set_member_name (b, "delivery");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "first_half");
      json_builder_add_string_value (b, first_transport);
      json_builder_set_member_name (b, "second_half");
      json_builder_add_string_value (b, second_transport);
      json_builder_end_object (b);
    }
  /* Only the Contact Center's answer, once, to read out on the phone. */
  if (first_clear != NULL)
    {
      json_builder_set_member_name (b, "first_half");
      json_builder_add_string_value (b, first_clear);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  (void) reasons;
  return sp_central_response_new_json (first_transport ? 201 : 202, root);
}

/* Checks the body's shape; NULL or the 400. */
static SpCentralResponse *
check_body (JsonObject *body,
            char      **cf)
{
  SpCentralResponse *problem = NULL;
  JsonObject *home, *contacts;
  const char *cf_text;

  if ((cf_text = field (body, "cf", TRUE, &problem)) == NULL
      || (problem = sp_central_validate_cf (cf_text, cf)) != NULL
      || !field (body, "surname", TRUE, &problem) || !field (body, "name", TRUE, &problem)
      || !field (body, "birth_date", TRUE, &problem)
      || (home = child (body, "residence", TRUE, &problem)) == NULL
      || !field (home, "street", TRUE, &problem) || !field (home, "city", TRUE, &problem))
    return problem;
  field (home, "postcode", FALSE, &problem);
  if (problem == NULL)
    field (home, "province", FALSE, &problem);
  if (problem == NULL && (contacts = child (body, "contacts", TRUE, &problem)) != NULL)
    {
      const char *any = NULL;

      for (const char *const *k = (const char *const[]) { "mobile", "email", "pec", NULL }; *k && !problem; k++)
        {
          const char *v = field (contacts, *k, FALSE, &problem);
          any = any ? any : v;
        }
      if (problem == NULL && any == NULL)
        problem = sp_central_problem_field (400, "invalid-body", "A contact is needed", "contacts",
                                            "give a mobile number, an e-mail or a PEC address");
    }
  return problem;
}

SpCentralResponse *
sp_central_h_pin_request (SpCentralRequest *req,
                          SpCentralDb      *db)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *cf = NULL;
  g_autofree char *reasons_json = NULL;
  g_autofree char *data = NULL;
  g_autofree char *id = sp_uuid_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCentralCitizen) citizen = NULL;
  g_autoptr(SpCentralAddressMatch) match = NULL;
  SpCentralResponse *problem = NULL, *resp;
  JsonObject *body, *home, *contacts;
  SpAddress given, archive;
  gboolean identity, cc, simplified = FALSE;
  gint64 now = sp_central_now_ms ();
  const char *contact_list[7] = { 0 };
  guint nc = 0;
  char first[10] = "";
  Delivery d = { 0 };

  if ((problem = require_channel (req, db, FALSE, &kind))
      || (body = sp_central_parse_body (req, &parser, &problem)) == NULL
      || (problem = check_body (body, &cf)))
    return problem;
  cc = g_str_equal (kind, "contact_center");
  citizen = sp_central_db_get_citizen (db, cf, now, &error);
  if (citizen == NULL && g_error_matches (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND))
    return sp_central_problem_new (422, "not-in-registry", "Not in the registry",
                                   "the codice fiscale is not in the registry");
  if (citizen == NULL)
    return sp_central_db_problem (error);
  if (citizen->active_issuance_id != NULL)
    return sp_central_problem_new (409, "has-pin", "The citizen has a PIN",
                                   "a citizen with a PIN asks for its recovery, not for a new one");
  home = json_object_get_object_member (body, "residence");
  contacts = json_object_get_object_member (body, "contacts");
  given = (SpAddress) { (char *) json_object_get_string_member (home, "street"),
                        (char *) json_object_get_string_member_with_default (home, "postcode", NULL),
                        (char *) json_object_get_string_member (home, "city"), NULL };
  archive = (SpAddress) { citizen->street, citizen->postcode, citizen->city, citizen->province };
  match = sp_central_address_match (&given, citizen->street ? &archive : NULL);
  identity = same_text (json_object_get_string_member (body, "surname"), citizen->surname)
             && same_text (json_object_get_string_member (body, "name"), citizen->name)
             && same_text (json_object_get_string_member (body, "birth_date"), citizen->birth_date);
  if (!identity)
    g_ptr_array_add (match->reasons, g_strdup ("identity differs from the registry"));
  for (const char *const *k = (const char *const[]) { "mobile", "email", "pec", NULL }; *k; k++)
    if (json_object_get_string_member_with_default (contacts, *k, NULL) != NULL)
      {
        contact_list[nc++] = *k;
        contact_list[nc++] = json_object_get_string_member (contacts, *k);
      }
  reasons_json = reasons_text (match->reasons);
  data = json_to_string (json_parser_get_root (parser), FALSE);
  {
    SpCentralPinRequest r = { .id = id, .cf = cf, .channel = cc ? "contact_center" : "online",
                              .data = data, .score = match->score, .reasons = reasons_json,
                              .created_by = req->op->username };
    gboolean pass = match->pass && identity;

    if (pass && (!simplified_open (db, now, &simplified, &error)
                 || !make_delivery (body, simplified, &d, cc ? first : NULL, &error)))
      {
        delivery_clear (&d);
        return sp_central_db_problem (error);
      }
    if (!sp_central_db_pin_request_create (db, &r, contact_list, pass ? &d.delivery : NULL, now, &error))
      resp = sp_central_db_problem (error);
    else
      resp = answer (&r, pass ? "delivered" : "queued", match->reasons, reasons_json,
                     pass ? d.items[0].transport : NULL, "letter", pass && cc ? first : NULL);
  }
  sodium_memzero (first, sizeof first);
  delivery_clear (&d);
  return resp;
}

static JsonNode *
request_json (const SpCentralPinRequest *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonParser) data = json_parser_new_immutable ();
  g_autoptr(JsonParser) reasons = json_parser_new_immutable ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, r->id);
  json_builder_set_member_name (b, "cf");
  json_builder_add_string_value (b, r->cf);
  json_builder_set_member_name (b, "channel");
  json_builder_add_string_value (b, r->channel);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, r->status);
  json_builder_set_member_name (b, "score");
  json_builder_add_int_value (b, r->score);
  json_builder_set_member_name (b, "reasons");
  if (json_parser_load_from_data (reasons, r->reasons, -1, NULL))
    json_builder_add_value (b, json_node_copy (json_parser_get_root (reasons)));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "data");
  if (json_parser_load_from_data (data, r->data, -1, NULL))
    json_builder_add_value (b, json_node_copy (json_parser_get_root (data)));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "created_by");
  json_builder_add_string_value (b, r->created_by);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

SpCentralResponse *
sp_central_h_pin_requests_list (SpCentralRequest *req,
                                SpCentralDb      *db)
{
  g_autofree char *kind = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();
  const char *status = sp_central_request_query (req, "status");
  SpCentralResponse *problem;

  if ((problem = require_channel (req, db, TRUE, &kind)))
    return problem;
  if (status != NULL && !g_str_equal (status, "queued") && !g_str_equal (status, "delivered")
      && !g_str_equal (status, "rejected") && !g_str_equal (status, "superseded")
      && !g_str_equal (status, "undelivered"))
    return sp_central_problem_new (400, "invalid-query", "Unknown status",
                                   "status is queued, delivered, rejected, superseded or undelivered");
  if ((list = sp_central_db_pin_requests_list (db, status, &error)) == NULL)
    return sp_central_db_problem (error);
  for (guint i = 0; i < list->len; i++)
    json_array_add_element (array, request_json (g_ptr_array_index (list, i)));
  json_object_set_array_member (object, "requests", json_array_ref (array));
  json_node_set_object (root, object);
  return sp_central_response_new_json (200, root);
}

/* A queued request: validated (delivery as for a pass) or rejected. */
static SpCentralResponse *
decide (SpCentralRequest *req,
        SpCentralDb      *db,
        gboolean          validate)
{
  g_autofree char *kind = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonParser) stored = json_parser_new_immutable ();
  g_autoptr(SpCentralPinRequest) r = NULL;
  const char *id = sp_central_request_param (req, "id");
  const char *reason = NULL;
  SpCentralResponse *problem = NULL, *resp;
  JsonObject *body;
  gboolean simplified = FALSE;
  Delivery d = { 0 };

  if ((problem = require_channel (req, db, TRUE, &kind))
      || (body = sp_central_parse_body (req, &parser, &problem)) == NULL)
    return problem;
  reason = field (body, "reason", !validate, &problem);
  if (problem != NULL)
    return problem;
  if ((r = sp_central_db_pin_request_get (db, id, &error)) == NULL)
    return sp_central_db_problem (error);
  if (!g_str_equal (r->status, "queued"))
    return sp_central_problem_new (409, "conflict", "The request is not queued", "it is %s", r->status);
  if (validate && (!json_parser_load_from_data (stored, r->data, -1, &error)
                   || !simplified_open (db, sp_central_now_ms (), &simplified, &error)
                   || !make_delivery (json_node_get_object (json_parser_get_root (stored)), simplified, &d,
                                      NULL, &error)))
    {
      delivery_clear (&d);
      return sp_central_db_problem (error);
    }
  if (!sp_central_db_pin_request_decide (db, id, req->op->username, validate ? &d.delivery : NULL, reason,
                                         sp_central_now_ms (), &error))
    resp = g_error_matches (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_EXISTS)
           ? sp_central_problem_new (409, "conflict", "The request is not queued", NULL)
           : sp_central_db_problem (error);
  else
    {
      g_autoptr(SpCentralPinRequest) now = sp_central_db_pin_request_get (db, id, NULL);
      g_autoptr(JsonNode) node = request_json (now ? now : r);

      resp = sp_central_response_new_json (200, node);
    }
  delivery_clear (&d);
  return resp;
}

SpCentralResponse *
sp_central_h_pin_request_validation (SpCentralRequest *req,
                                     SpCentralDb      *db)
{
  return decide (req, db, TRUE);
}

SpCentralResponse *
sp_central_h_pin_request_rejection (SpCentralRequest *req,
                                    SpCentralDb      *db)
{
  return decide (req, db, FALSE);
}

/* Recovery (ripristino): the codice fiscale and one registered contact
 * give a new 16-character PIN, split over SMS and e-mail/PEC; the old
 * one ends. A contact that is not registered answers as an unknown
 * codice fiscale does. */
SpCentralResponse *
sp_central_h_pin_recovery (SpCentralRequest *req,
                           SpCentralDb      *db)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *cf = NULL;
  g_autofree char *id = sp_uuid_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) contacts = NULL;
  SpCentralResponse *problem = NULL, *resp;
  JsonObject *body;
  const char *cf_text, *contact, *mobile = NULL, *mail = NULL;
  gboolean known = FALSE, simplified = FALSE;
  Delivery d = { 0 };

  if ((problem = require_channel (req, db, FALSE, &kind))
      || (body = sp_central_parse_body (req, &parser, &problem)) == NULL
      || (cf_text = field (body, "cf", TRUE, &problem)) == NULL
      || (contact = field (body, "contact", TRUE, &problem)) == NULL
      || (problem = sp_central_validate_cf (cf_text, &cf)))
    return problem;
  if ((contacts = sp_central_db_contacts (db, cf, &error)) == NULL)
    return sp_central_db_problem (error);
  for (guint i = 0; i + 1 < contacts->len; i += 2)
    {
      const char *k = g_ptr_array_index (contacts, i), *v = g_ptr_array_index (contacts, i + 1);

      known = known || same_text (v, contact);
      if (g_str_equal (k, "mobile"))
        mobile = mobile ? mobile : v;
      else
        mail = mail ? mail : v;
    }
  if (!known)
    return sp_central_problem_new (404, "not-found", "No such citizen or contact", NULL);
  if (mobile == NULL || mail == NULL)
    return sp_central_problem_new (422, "needs-two-contacts", "Two contacts are needed",
                                   "recovery sends the halves by SMS and by e-mail/PEC: register both");
  if (!simplified_open (db, sp_central_now_ms (), &simplified, &error)
      || !seal_pin (&d, simplified, "sms", mobile, "email", mail, NULL, NULL, &error))
    resp = sp_central_db_problem (error);
  else
    {
      g_autofree char *data = g_strdup ("{\"recovery\":true}");
      SpCentralPinRequest r = { .id = id, .cf = cf, .channel = g_str_equal (kind, "contact_center")
                                                                ? "contact_center" : "online",
                                .data = data, .score = 100, .reasons = (char *) "[]",
                                .created_by = req->op->username };

      if (!sp_central_db_pin_recover (db, &r, &d.delivery, sp_central_now_ms (), &error))
        resp = sp_central_db_problem (error);
      else
        resp = answer (&r, "delivered", NULL, "[]", "sms", "email", NULL);
    }
  delivery_clear (&d);
  return resp;
}
