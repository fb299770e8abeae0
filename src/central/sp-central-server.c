/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <string.h>
#include <sodium.h>

#include "sp-central-problem.h"
#include "sp-central-reaper.h"
#include "sp-central-server.h"
#include "sp-central-views.h"
#include "sp-codice-fiscale.h"
#include "sp-pin.h"
#include "sp-secret.h"

#define MAX_JSON_BODY (256 * 1024)
#define MAX_ATTACHMENT (20 * 1024 * 1024)
#define SESSION_MS (8 * 3600 * G_GINT64_CONSTANT (1000))
/* Workstation clocks run ahead: issue times more than this in the future
 * are clamped to the receive time (DESIGN §5). */
#define CLOCK_TOLERANCE_MS (5 * 60 * 1000)
#define CHANGES_MAX_LIMIT 1000

struct _SpCentralServer
{
  GObject parent_instance;

  SoupServer *soup;
  SpCentralDb *db;
  GThreadPool *hashers;        /* Argon2id verifications */
  char *dummy_verifier;        /* verified when there is nothing to verify */
  guint in_flight;
  GPtrArray *pending;          /* registrations waiting for the group commit */
  guint commit_source;
  gboolean stopping;
  GCallback on_stopped;
  gpointer on_stopped_data;
};

G_DEFINE_FINAL_TYPE (SpCentralServer, sp_central_server, G_TYPE_OBJECT)

typedef struct {
  SoupServerMessage *msg;
  const char *method;
  char **parts;            /* path split at '/', after "v1" */
  guint n_parts;
  SpCentralOperator *op;   /* NULL before authentication */
} Request;

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

/* ---- request helpers ---- */

static JsonObject *
parse_body (Request     *req,
            JsonParser **parser_out)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  JsonNode *root;

  if (len > MAX_JSON_BODY)
    {
      sp_central_reply_problem (req->msg, 413, "too-large", "Request body too large",
                                "the limit is %d bytes", MAX_JSON_BODY);
      return NULL;
    }
  if (len == 0 || !json_parser_load_from_data (parser, data, len, &error))
    {
      sp_central_reply_problem (req->msg, 400, "invalid-json", "The body is not valid JSON", NULL);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      sp_central_reply_problem (req->msg, 400, "invalid-json", "The body must be a JSON object", NULL);
      return NULL;
    }
  *parser_out = g_steal_pointer (&parser);
  return json_node_get_object (root);
}

/* A string member: NULL and a 400 naming the field when absent or not a string. */
static const char *
string_member (Request    *req,
               JsonObject *object,
               const char *name,
               gboolean    required)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          g_autoptr(JsonObject) extra = json_object_new ();

          json_object_set_string_member (extra, "field", name);
          sp_central_reply_problem_with (req->msg, 400, "invalid-body", "A field is missing",
                                         name, extra);
        }
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autoptr(JsonObject) extra = json_object_new ();
      g_autofree char *detail = g_strdup_printf ("%s must be a string", name);

      json_object_set_string_member (extra, "field", name);
      sp_central_reply_problem_with (req->msg, 400, "invalid-body", "A field has the wrong type",
                                     detail, extra);
      return NULL;
    }
  if (!g_utf8_validate (json_node_get_string (node), -1, NULL))
    {
      g_autoptr(JsonObject) extra = json_object_new ();
      g_autofree char *detail = g_strdup_printf ("%s must be valid UTF-8", name);

      json_object_set_string_member (extra, "field", name);
      sp_central_reply_problem_with (req->msg, 400, "invalid-body", "A field is not valid UTF-8",
                                     detail, extra);
      return NULL;
    }
  return json_node_get_string (node);
}

static void reply_db_error (Request *req, GError *error);

static char *
token_hash_of (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0 || strlen (header + 7) < 16)
    return NULL;
  return sp_sha256_hex (header + 7, strlen (header + 7));
}

static gboolean
authenticate (SpCentralServer *self,
              Request         *req)
{
  g_autofree char *hash = token_hash_of (req->msg);
  g_autoptr(GError) error = NULL;

  if (hash != NULL)
    req->op = sp_central_db_session_operator (self->db, hash, now_ms (), &error);
  if (req->op == NULL && error != NULL
      && !g_error_matches (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND))
    {
      /* The database failed: that is not a wrong token. */
      reply_db_error (req, error);
      return FALSE;
    }
  if (req->op == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                    "WWW-Authenticate", "Bearer realm=\"sportello-central\"");
      sp_central_reply_problem (req->msg, 401, "unauthorized", "Authentication required",
                                "log in with POST /v1/sessions and send the token as a Bearer token");
      return FALSE;
    }
  return TRUE;
}

static gboolean
require_role (Request    *req,
              const char *role)
{
  if (g_str_equal (req->op->role, role) || g_str_equal (req->op->role, "admin"))
    return TRUE;
  sp_central_reply_problem (req->msg, 403, "forbidden", "Not allowed for this role",
                            "this needs the %s role", role);
  return FALSE;
}

/* An operator sees and changes only his sede's issuances. */
static gboolean
require_sede (Request    *req,
              const char *sede)
{
  if (g_strcmp0 (req->op->sede, sede) == 0 || g_str_equal (req->op->role, "admin"))
    return TRUE;
  sp_central_reply_problem (req->msg, 403, "forbidden", "Another sede's record",
                            "an operator can act only on the issuances of his own sede");
  return FALSE;
}

static gboolean
validate_cf (Request    *req,
             const char *cf,
             char      **normalized)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) extra = NULL;

  if (sp_cf_validate (cf, normalized, &error))
    return TRUE;
  extra = json_object_new ();
  json_object_set_string_member (extra, "code", sp_cf_error_code_to_string (error->code));
  sp_central_reply_problem_with (req->msg, 422, "invalid-codice-fiscale",
                                 "The codice fiscale is not valid", error->message, extra);
  return FALSE;
}

static void
reply_db_error (Request *req,
                GError  *error)
{
  SpCentralErrorAnswer a = sp_central_view_db_error (error);

  if (a.retry_after)
    soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                  "Retry-After", "1");
  if (a.status >= 500)
    g_warning ("database error: %s", error->message);
  /* A 5xx says nothing of the cause; a 4xx says what the rule is. */
  sp_central_reply_problem (req->msg, a.status, a.type, a.title, "%s",
                            a.status >= 500 ? "retry later" : error->message);
}

/* ---- Argon2id off the main loop ---- */

typedef struct {
  SpCentralServer *self;
  SoupServerMessage *msg;
  char *verifier;          /* the real one, or the dummy */
  char *secret;            /* sodium_malloc'd */
  gsize secret_len;
  gboolean real;           /* FALSE: verifier is the dummy, answer is "no" */
  gboolean ok;
  /* what to do with the verdict, on the main loop */
  void (*finish) (SpCentralServer *self, SoupServerMessage *msg, gpointer data, gboolean ok);
  gpointer data;
  GDestroyNotify data_free;
} HashJob;

static void
hash_job_free (HashJob *job)
{
  sodium_free (job->secret);
  g_free (job->verifier);
  if (job->data_free)
    job->data_free (job->data);
  g_object_unref (job->msg);
  g_object_unref (job->self);
  g_free (job);
}

static gboolean
hash_job_done (gpointer user_data)
{
  HashJob *job = user_data;
  SpCentralServer *self = job->self;

  job->finish (self, job->msg, job->data, job->ok && job->real);
  soup_server_message_unpause (job->msg);
  hash_job_free (job);
  self->in_flight--;
  if (self->stopping && self->in_flight == 0 && self->on_stopped)
    ((void (*) (gpointer)) self->on_stopped) (self->on_stopped_data);
  return G_SOURCE_REMOVE;
}

static void
hash_worker (gpointer data,
             gpointer user_data)
{
  HashJob *job = data;

  job->ok = sp_secret_verify (job->verifier, job->secret, job->secret_len);
  g_main_context_invoke (NULL, hash_job_done, job);
}

/* Verifies secret against verifier (or, when verifier is NULL, against a
 * dummy of the same cost, so a missing account costs as much time as a
 * wrong secret) on the pool, then calls finish on the main loop. */
static void
verify_async (SpCentralServer   *self,
              SoupServerMessage *msg,
              const char        *verifier,
              const char        *secret,
              gsize              secret_len,
              void (*finish) (SpCentralServer *, SoupServerMessage *, gpointer, gboolean),
              gpointer           data,
              GDestroyNotify     data_free)
{
  HashJob *job = g_new0 (HashJob, 1);

  job->self = g_object_ref (self);
  job->msg = g_object_ref (msg);
  job->real = verifier != NULL;
  job->verifier = g_strdup (verifier ? verifier : self->dummy_verifier);
  job->secret = sodium_malloc (secret_len + 1);
  memcpy (job->secret, secret, secret_len);
  job->secret[secret_len] = '\0';
  job->secret_len = secret_len;
  job->finish = finish;
  job->data = data;
  job->data_free = data_free;
  self->in_flight++;
  soup_server_message_pause (msg);
  g_thread_pool_push (self->hashers, job, NULL);
}

/* ---- /v1/status ---- */

static void
handle_status (SpCentralServer *self,
               Request         *req)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "ok");
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_set_member_name (b, "time");
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autofree char *iso = sp_datetime_to_iso (now);
    json_builder_add_string_value (b, iso);
  }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  sp_central_reply_json (req->msg, 200, root);
}

/* ---- /v1/sessions ---- */

typedef struct {
  SpCentralOperator *op;
  char *workstation;
} LoginData;

static void
login_data_free (gpointer data)
{
  LoginData *login = data;

  sp_central_operator_free (login->op);
  g_free (login->workstation);
  g_free (login);
}

static JsonNode *
session_answer (const char              *token,
                gint64                   expires_at,
                const SpCentralOperator *op)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (expires_at / 1000);
  g_autofree char *expires = sp_datetime_to_iso (dt);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "token");
  json_builder_add_string_value (b, token);
  json_builder_set_member_name (b, "expires_at");
  json_builder_add_string_value (b, expires);
  json_builder_set_member_name (b, "operator");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, op->username);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, op->name);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, op->role);
  json_builder_set_member_name (b, "sede");
  json_builder_add_string_value (b, op->sede);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
login_finish (SpCentralServer   *self,
              SoupServerMessage *msg,
              gpointer           data,
              gboolean           ok)
{
  LoginData *login = data;
  guchar raw[32];
  char token[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  g_autofree char *hash = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  gint64 expires = now_ms () + SESSION_MS;

  if (!ok || login->op == NULL || login->op->disabled)
    {
      sp_central_reply_problem (msg, 401, "invalid-credentials", "Wrong username or password", NULL);
      return;
    }
  /* An opaque random token; only its hash is stored. */
  randombytes_buf (raw, sizeof raw);
  sodium_bin2base64 (token, sizeof token, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  hash = sp_sha256_hex (token, strlen (token));
  if (!sp_central_db_add_session (self->db, hash, login->op->id, login->workstation, expires, &error))
    {
      Request req = { msg };

      reply_db_error (&req, error);
      return;
    }
  answer = session_answer (token, expires, login->op);
  sodium_memzero (token, sizeof token);
  sp_central_reply_json (msg, 201, answer);
}

static void
handle_login (SpCentralServer *self,
              Request         *req)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *body = parse_body (req, &parser);
  const char *username, *password, *workstation;
  g_autoptr(GError) error = NULL;
  LoginData *login;

  if (body == NULL
      || (username = string_member (req, body, "username", TRUE)) == NULL
      || (password = string_member (req, body, "password", TRUE)) == NULL)
    return;
  workstation = json_object_has_member (body, "workstation")
                ? string_member (req, body, "workstation", FALSE) : NULL;
  login = g_new0 (LoginData, 1);
  login->op = sp_central_db_find_operator (self->db, username, &error);
  if (login->op == NULL && !g_error_matches (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND))
    {
      login_data_free (login);
      reply_db_error (req, error);
      return;
    }
  login->workstation = g_strdup (workstation);
  verify_async (self, req->msg, login->op && !login->op->disabled ? login->op->verifier : NULL,
                password, strlen (password), login_finish, login, login_data_free);
}

static void
handle_logout (SpCentralServer *self,
               Request         *req)
{
  g_autofree char *hash = token_hash_of (req->msg);
  g_autoptr(GError) error = NULL;

  if (hash != NULL && !sp_central_db_delete_session (self->db, hash, &error))
    {
      reply_db_error (req, error);
      return;
    }
  soup_server_message_set_status (req->msg, 204, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Cache-Control", "no-store");
}

/* ---- /v1/citizens ---- */

static void
handle_citizen (SpCentralServer *self,
                Request         *req,
                const char      *cf_text)
{
  g_autofree char *cf = NULL;
  g_autoptr(SpCentralCitizen) citizen = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (!validate_cf (req, cf_text, &cf))
    return;
  /* Citizen status is visible to every sede: a citizen may go anywhere. */
  citizen = sp_central_db_get_citizen (self->db, cf, now_ms (), &error);
  if (citizen == NULL && g_error_matches (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND))
    {
      sp_central_reply_problem (req->msg, 404, "not-found", "Not in the registry",
                                "the registry has no citizen with this codice fiscale");
      return;
    }
  if (citizen == NULL)
    return reply_db_error (req, error);
  answer = sp_central_view_citizen (citizen);
  sp_central_reply_json (req->msg, 200, answer);
}

/* Four eyes, step one: any operator files a request with his own token. */
static void
handle_revocation_request (SpCentralServer *self,
                           Request         *req,
                           const char      *cf_text)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *cf = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCentralRevocationRequest) r = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *body;
  const char *reason;

  if (!validate_cf (req, cf_text, &cf) || (body = parse_body (req, &parser)) == NULL
      || (reason = string_member (req, body, "reason", TRUE)) == NULL)
    return;
  r = sp_central_db_request_revocation (self->db, req->op, cf, reason, now_ms (), &error);
  if (r == NULL && g_error_matches (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND))
    {
      sp_central_reply_problem (req->msg, 404, "no-active-pin", "No active PIN to revoke", NULL);
      return;
    }
  if (r == NULL)
    return reply_db_error (req, error);
  answer = sp_central_view_revocation_request (r);
  sp_central_reply_json (req->msg, 201, answer);
}

/* After 100 failures only the counter's in-person check unlocks. */
static void
handle_pin_unlock (SpCentralServer *self,
                   Request         *req,
                   const char      *cf_text)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *cf = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  JsonNode *attested;

  if (!validate_cf (req, cf_text, &cf) || (body = parse_body (req, &parser)) == NULL)
    return;
  attested = json_object_get_member (body, "attested_in_person");
  if (attested == NULL || !JSON_NODE_HOLDS_VALUE (attested)
      || json_node_get_value_type (attested) != G_TYPE_BOOLEAN || !json_node_get_boolean (attested))
    {
      sp_central_reply_problem (req->msg, 422, "not-attested", "Identity not attested",
                                "unlock only after checking the citizen's identity in person");
      return;
    }
  if (!sp_central_db_pin_unlock (self->db, cf, req->op->username, now_ms (), &error))
    return reply_db_error (req, error);
  soup_server_message_set_status (req->msg, 204, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Cache-Control", "no-store");
}

static void
handle_revocation_list (SpCentralServer *self,
                        Request         *req,
                        GHashTable      *query)
{
  const char *status_text = query ? g_hash_table_lookup (query, "status") : NULL;
  SpCentralRevocationStatus status = SP_CENTRAL_REVOCATION_PENDING;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (!require_role (req, "supervisor"))
    return;
  if (status_text != NULL && !sp_central_revocation_status_from_string (status_text, &status))
    {
      sp_central_reply_problem (req->msg, 400, "invalid-query", "Bad status",
                                "status is pending, approved or rejected");
      return;
    }
  list = sp_central_db_list_revocation_requests (self->db, req->op->sede, status_text ? (int) status : -1,
                                                 &error);
  if (list == NULL)
    return reply_db_error (req, error);
  answer = sp_central_view_revocation_requests (list);
  sp_central_reply_json (req->msg, 200, answer);
}

/* Four eyes, step two: a supervisor of the request's sede, not the
 * requester, approves (the PIN is revoked) or rejects it. */
static void
handle_revocation_decision (SpCentralServer *self,
                            Request         *req,
                            const char      *id,
                            gboolean         approve)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCentralRevocationRequest) r = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *body;
  const char *reason = NULL;

  if (!require_role (req, "supervisor") || (body = parse_body (req, &parser)) == NULL
      || (!approve && (reason = string_member (req, body, "reason", TRUE)) == NULL))
    return;
  if (!sp_uuid_is_valid (id))
    {
      sp_central_reply_problem (req->msg, 404, "not-found", "Not found", "no such revocation request");
      return;
    }
  r = sp_central_db_decide_revocation (self->db, req->op, id, approve, reason, now_ms (), &error);
  if (r == NULL)
    return reply_db_error (req, error);
  answer = sp_central_view_revocation_request (r);
  sp_central_reply_json (req->msg, 200, answer);
}

/* ---- /v1/issuances ---- */

static gboolean
check_issuance (Request    *req,
                SpIssuance *is,
                const char *key)
{
  g_autofree char *cf = NULL;

  if (!validate_cf (req, is->cf, &cf))
    return FALSE;
  if (g_strcmp0 (key, is->id) != 0)
    {
      sp_central_reply_problem (req->msg, 422, "key-mismatch", "Idempotency-Key is not the issuance id",
                                "send the issuance's UUID as its Idempotency-Key");
      return FALSE;
    }
  if (g_strcmp0 (is->citizen->cf, is->cf) != 0)
    {
      g_autoptr(JsonObject) extra = json_object_new ();

      json_object_set_string_member (extra, "field", "citizen.cf");
      sp_central_reply_problem_with (req->msg, 422, "invalid-body", "The citizen does not match",
                                     "citizen.cf differs from cf", extra);
      return FALSE;
    }
  if (!is->attested_in_person)
    {
      sp_central_reply_problem (req->msg, 422, "not-attested", "Identity not attested",
                                "the operator must attest the in-person identity check");
      return FALSE;
    }
  g_free (is->cf);
  is->cf = g_steal_pointer (&cf);
  g_free (is->citizen->cf);
  is->citizen->cf = g_strdup (is->cf);
  return TRUE;
}

/* ---- group commit of registrations ----
 *
 * synchronous=FULL makes every COMMIT an fsync. Registrations that arrive
 * together (32 connections each waiting for an answer) are paused and
 * committed in one transaction when the main loop goes idle, each in its
 * own savepoint, then answered: one fsync for the batch instead of one
 * each, and no answer before its effect is durable. */

typedef struct {
  SoupServerMessage *msg;
  SpIssuance *issuance;
  char *key;
  char *fingerprint;
  gint64 issued_at;
} Pending;

static void
pending_free (Pending *p)
{
  g_object_unref (p->msg);
  sp_issuance_free (p->issuance);
  g_free (p->key);
  g_free (p->fingerprint);
  g_free (p);
}

static void
answer_registration (Pending               *p,
                     SpCentralRegistration *r)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (p->msg);
  Request req = { p->msg };

  if (r->error != NULL)
    {
      if (g_error_matches (r->error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_EXISTS))
        sp_central_reply_problem (p->msg, 422, "idempotency-key-reused",
                                  "Idempotency-Key reused with another body", NULL);
      else if (g_error_matches (r->error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_CONFLICT))
        /* Final, not a retry: the workstation parks it (not 409). */
        sp_central_reply_problem (p->msg, 422, "id-taken", "Another operator registered this id",
                                  "%s", r->error->message);
      else
        reply_db_error (&req, r->error);
      return;
    }
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  if (r->replayed)
    soup_message_headers_replace (headers, "Idempotent-Replayed", "true");
  soup_server_message_set_status (p->msg, r->status, NULL);
  {
    gsize len = strlen (r->response);

    soup_server_message_set_response (p->msg, "application/json", SOUP_MEMORY_TAKE,
                                      g_steal_pointer (&r->response), len);
  }
}

static void
finish_in_flight (SpCentralServer *self)
{
  self->in_flight--;
  if (self->stopping && self->in_flight == 0 && self->on_stopped)
    ((void (*) (gpointer)) self->on_stopped) (self->on_stopped_data);
}

static gboolean
commit_pending (gpointer user_data)
{
  SpCentralServer *self = user_data;
  g_autoptr(GPtrArray) batch = g_steal_pointer (&self->pending);
  g_autofree SpCentralRegistration *regs = g_new0 (SpCentralRegistration, batch->len);
  g_autoptr(GError) error = NULL;
  gint64 now = now_ms ();

  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  self->commit_source = 0;
  for (guint i = 0; i < batch->len; i++)
    {
      Pending *p = g_ptr_array_index (batch, i);

      regs[i] = (SpCentralRegistration) { p->key, p->fingerprint, p->issuance, p->issued_at };
    }
  sp_central_db_register_batch (self->db, regs, batch->len, now, &error);
  for (guint i = 0; i < batch->len; i++)
    {
      Pending *p = g_ptr_array_index (batch, i);

      answer_registration (p, &regs[i]);
      g_clear_error (&regs[i].error);
      g_free (regs[i].response);
      soup_server_message_unpause (p->msg);
      finish_in_flight (self);
    }
  return G_SOURCE_REMOVE;
}

static void
queue_registration (SpCentralServer   *self,
                    SoupServerMessage *msg,
                    SpIssuance        *issuance,
                    const char        *key,
                    char              *fingerprint,
                    gint64             issued_at)
{
  Pending *p = g_new0 (Pending, 1);

  p->msg = g_object_ref (msg);
  p->issuance = issuance;
  p->key = g_strdup (key);
  p->fingerprint = fingerprint;
  p->issued_at = issued_at;
  g_ptr_array_add (self->pending, p);
  self->in_flight++;
  soup_server_message_pause (msg);
  /* Low priority: first read every request that has arrived. */
  if (self->commit_source == 0)
    self->commit_source = g_idle_add_full (G_PRIORITY_LOW, commit_pending, self, NULL);
}

static void
handle_register (SpCentralServer *self,
                 Request         *req)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *key = soup_message_headers_get_one (headers, "Idempotency-Key");
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (req->msg));
  g_autoptr(GError) error = NULL;
  g_autoptr(SpIssuance) is = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  gint64 now = now_ms (), issued_at;

  if (key == NULL || *key == '\0')
    {
      sp_central_reply_problem (req->msg, 400, "idempotency-key-required", "Idempotency-Key required",
                                "send the issuance's UUID in the Idempotency-Key header");
      return;
    }
  if (len > MAX_JSON_BODY)
    {
      sp_central_reply_problem (req->msg, 413, "too-large", "Request body too large", NULL);
      return;
    }
  is = sp_issuance_from_string (data ? data : "", len, &error);
  if (is == NULL)
    {
      g_autoptr(JsonObject) extra = json_object_new ();

      if (error->domain == SP_ISSUANCE_ERROR)
        json_object_set_string_member (extra, "field", error->message);
      sp_central_reply_problem_with (req->msg, 400, "invalid-body", "The issuance is not valid",
                                     error->message, extra);
      return;
    }
  if (!check_issuance (req, is, key))
    return;
  /* The issuance belongs to the operator's sede, whatever the body says. */
  if (is->sede != NULL && !require_sede (req, is->sede))
    return;
  g_free (is->sede);
  is->sede = g_strdup (req->op->sede);
  g_free (is->operator_id);
  is->operator_id = g_strdup (req->op->username);
  issued_at = g_date_time_to_unix (is->issued_at) * 1000 + g_date_time_get_microsecond (is->issued_at) / 1000;
  if (issued_at > now + CLOCK_TOLERANCE_MS)
    issued_at = now;
  queue_registration (self, req->msg, g_steal_pointer (&is), key, sp_sha256_hex (data, len), issued_at);
}

/* The issuance id from the path; another sede's id answers exactly like
 * an unknown one (the repository looks it up within the sede). */
static const char *
issuance_sede (Request *req)
{
  return g_str_equal (req->op->role, "admin") ? NULL : req->op->sede;
}

static void
handle_get_issuance (SpCentralServer *self,
                     Request         *req,
                     const char      *id)
{
  g_autoptr(SpCentralIssuanceRow) row = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (!sp_uuid_is_valid (id))
    {
      sp_central_reply_problem (req->msg, 404, "not-found", "Not found", "no such issuance");
      return;
    }
  row = sp_central_db_get_issuance (self->db, issuance_sede (req), id, &error);
  if (row == NULL)
    return reply_db_error (req, error);
  answer = sp_central_view_issuance (row);
  sp_central_reply_json (req->msg, 200, answer);
}

static void
handle_void (SpCentralServer *self,
             Request         *req,
             const char      *id)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(SpCentralIssuanceRow) row = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  const char *reason;

  if (!sp_uuid_is_valid (id))
    {
      sp_central_reply_problem (req->msg, 404, "not-found", "Not found", "no such issuance");
      return;
    }
  if ((body = parse_body (req, &parser)) == NULL
      || (reason = string_member (req, body, "reason", TRUE)) == NULL)
    return;
  row = sp_central_db_void_issuance (self->db, issuance_sede (req), id, reason, req->op->username,
                                     now_ms (), &error);
  if (row == NULL)
    return reply_db_error (req, error);
  answer = sp_central_view_issuance (row);
  sp_central_reply_json (req->msg, 200, answer);
}

/* "sha-256=:BASE64:" (RFC 9530 Content-Digest) or "SHA-256=BASE64" (RFC 3230 Digest). */
static char *
digest_from_headers (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_one (headers, "Content-Digest");
  g_autofree char *b64 = NULL;
  g_autofree guchar *raw = NULL;
  gsize len = 0;

  if (value != NULL && g_ascii_strncasecmp (value, "sha-256=:", 9) == 0)
    {
      const char *end = strchr (value + 9, ':');
      b64 = end ? g_strndup (value + 9, end - (value + 9)) : NULL;
    }
  else if ((value = soup_message_headers_get_one (headers, "Digest")) != NULL
           && g_ascii_strncasecmp (value, "SHA-256=", 8) == 0)
    b64 = g_strdup (value + 8);
  if (b64 == NULL)
    return NULL;
  raw = g_base64_decode (b64, &len);
  if (len != 32)
    return NULL;
  {
    char hex[65];
    sodium_bin2hex (hex, sizeof hex, raw, len);
    return g_strdup (hex);
  }
}

static void
handle_attachment (SpCentralServer *self,
                   Request         *req,
                   const char      *id,
                   const char      *kind_text)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *claimed = NULL;
  g_autofree char *actual = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCentralIssuanceRow) row = NULL;
  g_autoptr(JsonNode) answer = NULL;
  SpAttachmentKind kind;
  gboolean replayed;
  gsize len;
  const char *data;

  if (!sp_uuid_is_valid (id))
    {
      sp_central_reply_problem (req->msg, 404, "not-found", "Not found", "no such issuance");
      return;
    }
  if (!sp_attachment_kind_from_string (kind_text, &kind))
    {
      sp_central_reply_problem (req->msg, 404, "not-found", "Unknown attachment kind", NULL);
      return;
    }
  bytes = soup_message_body_flatten (soup_server_message_get_request_body (req->msg));
  data = g_bytes_get_data (bytes, &len);
  if (len > MAX_ATTACHMENT)
    {
      sp_central_reply_problem (req->msg, 413, "too-large", "Attachment too large", NULL);
      return;
    }
  if (len < 5 || memcmp (data, "%PDF-", 5) != 0)
    {
      sp_central_reply_problem (req->msg, 415, "not-pdf", "Attachments are PDF files", NULL);
      return;
    }
  claimed = digest_from_headers (headers);
  actual = sp_sha256_hex (data, len);
  if (claimed == NULL || !g_str_equal (claimed, actual))
    {
      sp_central_reply_problem (req->msg, 400, "digest-mismatch", "The SHA-256 digest does not match",
                                "send Content-Digest: sha-256=:BASE64: of the exact body");
      return;
    }
  row = sp_central_db_put_attachment (self->db, issuance_sede (req), id, kind_text, actual, bytes,
                                      req->op->username, now_ms (), &replayed, &error);
  if (row == NULL)
    return reply_db_error (req, error);
  answer = sp_central_view_issuance (row);
  /* A byte-identical upload again is an idempotent replay: 200, not 201. */
  sp_central_reply_json (req->msg, replayed ? 200 : 201, answer);
}

/* ---- /v1/changes and /v1/register ---- */

static void
handle_changes (SpCentralServer *self,
                Request         *req,
                GHashTable      *query)
{
  const char *cursor_text = query ? g_hash_table_lookup (query, "cursor") : NULL;
  const char *limit_text = query ? g_hash_table_lookup (query, "limit") : NULL;
  guint64 cursor = 0, limit = 100;
  g_autoptr(SpCentralChangesPage) page = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  if ((cursor_text && *cursor_text
       && !g_ascii_string_to_unsigned (cursor_text, 10, 0, G_MAXINT64, &cursor, NULL))
      || (limit_text && !g_ascii_string_to_unsigned (limit_text, 10, 1, CHANGES_MAX_LIMIT, &limit, NULL)))
    {
      sp_central_reply_problem (req->msg, 400, "invalid-query", "Bad cursor or limit",
                                "limit is 1 to %d", CHANGES_MAX_LIMIT);
      return;
    }
  page = sp_central_db_changes (self->db, req->op->sede, cursor, limit, &error);
  if (page == NULL && g_error_matches (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_GONE))
    {
      sp_central_reply_problem (req->msg, 410, "cursor-expired", "The cursor has expired",
                                "resynchronise from the beginning (no cursor)");
      return;
    }
  if (page == NULL)
    return reply_db_error (req, error);
  answer = sp_central_view_changes (page);
  sp_central_reply_json (req->msg, 200, answer);
}

static void
handle_register_day (SpCentralServer *self,
                     Request         *req,
                     GHashTable      *query)
{
  const char *date = query ? g_hash_table_lookup (query, "date") : NULL;
  const char *sede = query ? g_hash_table_lookup (query, "sede") : NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  GDate d;

  if (date == NULL || !sp_date_parse_iso (date, &d))
    {
      sp_central_reply_problem (req->msg, 400, "invalid-query", "date=YYYY-MM-DD is required", NULL);
      return;
    }
  if (sede == NULL || *sede == '\0')
    sede = req->op->sede;
  if (!require_sede (req, sede))
    return;
  rows = sp_central_db_register_day (self->db, sede, &d, &error);
  if (rows == NULL)
    return reply_db_error (req, error);
  answer = sp_central_view_register_day (date, sede, rows);
  sp_central_reply_json (req->msg, 200, answer);
}

/* ---- /v1/auth/pin ---- */

static void
pin_finish (SpCentralServer   *self,
            SoupServerMessage *msg,
            gpointer           data,
            gboolean           ok)
{
  const char *cf = data;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_autoptr(GError) error = NULL;

  /* Settled before answering: the next guess sees this one's failure. */
  if (!sp_central_db_pin_settle (self->db, cf, ok, now_ms (), &error))
    {
      Request req = { msg };

      reply_db_error (&req, error);
      return;
    }
  if (!ok)
    {
      /* One message whatever the cause: unknown code, no PIN, wrong PIN. */
      sp_central_reply_problem (msg, 401, "invalid-pin", "Wrong codice fiscale or PIN", NULL);
      return;
    }
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "scope");
  json_builder_add_string_value (b, "dispositivo");
  /* A PIN dispositivo opens every online service (R11). */
  json_builder_set_member_name (b, "services");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "*");
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  sp_central_reply_json (msg, 200, root);
}

static void
handle_auth_pin (SpCentralServer *self,
                 Request         *req)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *verifier = NULL;
  g_autofree char *cf = NULL;
  JsonObject *body;
  const char *cf_text, *pin, *secret;
  g_autoptr(SpPin) normalized = NULL;
  g_autoptr(GError) error = NULL;
  gint64 retry_at = 0;

  if ((body = parse_body (req, &parser)) == NULL
      || (cf_text = string_member (req, body, "cf", TRUE)) == NULL
      || (pin = string_member (req, body, "pin", TRUE)) == NULL)
    return;
  cf = g_ascii_strup (cf_text, -1);
  g_strstrip (cf);
  if (strlen (cf) > 16 || strlen (pin) > 64)
    {
      sp_central_reply_problem (req->msg, 401, "invalid-pin", "Wrong codice fiscale or PIN", NULL);
      return;
    }
  /* The attempt is reserved in the database before the Argon2id work,
   * so however many guesses arrive together at most 5 are verified. */
  if (!sp_central_db_pin_reserve (self->db, cf, now_ms (), &verifier, &retry_at, &error))
    {
      if (g_error_matches (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_LOCKED))
        {
          g_autofree char *after = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                    retry_at ? MAX ((retry_at - now_ms () + 999) / 1000, 1) : 3600);

          soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                        "Retry-After", after);
          sp_central_reply_problem (req->msg, 423, "pin-locked", "Too many wrong attempts",
                                    retry_at ? "the credential is locked for now: try again later"
                                             : "the credential is locked: the citizen must have it "
                                               "unlocked at an INPS sede");
          return;
        }
      return reply_db_error (req, error);
    }
  /* Citizens type "abcd efgh …": normalise as the printed form. A
   * malformed PIN still costs one verification, against the dummy. */
  normalized = sp_pin_new_from_string (pin);
  secret = normalized ? sp_pin_peek (normalized) : pin;
  verify_async (self, req->msg, normalized ? verifier : NULL, secret, strlen (secret), pin_finish,
                g_steal_pointer (&cf), g_free);
}

/* ---- dispatch ---- */

static gboolean
is (Request    *req,
    const char *method,
    guint       n_parts,
    const char *first)
{
  return g_str_equal (req->method, method) && req->n_parts == n_parts
      && g_str_equal (req->parts[0], first);
}

static void
route (SpCentralServer *self,
       Request         *req,
       GHashTable      *query)
{
  char **p = req->parts;

  if (is (req, "GET", 1, "status"))
    return handle_status (self, req);
  if (is (req, "POST", 1, "sessions"))
    return handle_login (self, req);
  if (!authenticate (self, req))
    return;
  if (is (req, "DELETE", 2, "sessions") && g_str_equal (p[1], "current"))
    return handle_logout (self, req);
  if (is (req, "GET", 2, "citizens"))
    return handle_citizen (self, req, p[1]);
  if (is (req, "POST", 3, "citizens") && g_str_equal (p[2], "revocation-requests"))
    return handle_revocation_request (self, req, p[1]);
  if (is (req, "POST", 3, "citizens") && g_str_equal (p[2], "pin-unlock"))
    return handle_pin_unlock (self, req, p[1]);
  if (is (req, "GET", 1, "revocation-requests"))
    return handle_revocation_list (self, req, query);
  if (is (req, "POST", 3, "revocation-requests") && g_str_equal (p[2], "approval"))
    return handle_revocation_decision (self, req, p[1], TRUE);
  if (is (req, "POST", 3, "revocation-requests") && g_str_equal (p[2], "rejection"))
    return handle_revocation_decision (self, req, p[1], FALSE);
  if (is (req, "POST", 1, "issuances"))
    return handle_register (self, req);
  if (is (req, "GET", 2, "issuances"))
    return handle_get_issuance (self, req, p[1]);
  if (is (req, "POST", 3, "issuances") && g_str_equal (p[2], "void"))
    return handle_void (self, req, p[1]);
  if (is (req, "PUT", 4, "issuances") && g_str_equal (p[2], "attachments"))
    return handle_attachment (self, req, p[1], p[3]);
  if (is (req, "GET", 1, "changes"))
    return handle_changes (self, req, query);
  if (is (req, "POST", 2, "auth") && g_str_equal (p[1], "pin"))
    return handle_auth_pin (self, req);
  if (is (req, "GET", 1, "register"))
    return handle_register_day (self, req, query);
  sp_central_reply_problem (req->msg, 404, "not-found", "No such resource", NULL);
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  SpCentralServer *self = user_data;
  g_auto(GStrv) parts = NULL;
  Request req = { msg, soup_server_message_get_method (msg), NULL, 0, NULL };

  if (self->stopping)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
      sp_central_reply_problem (msg, 503, "shutting-down", "The server is stopping", NULL);
      return;
    }
  /* "/v1/a/b" → {"a", "b"}; an empty segment never matches a route. */
  parts = g_strsplit (path + strlen ("/v1/"), "/", 8);
  req.parts = parts;
  req.n_parts = g_strv_length (parts);
  if (req.n_parts == 0)
    sp_central_reply_problem (msg, 404, "not-found", "No such resource", NULL);
  else
    route (self, &req, query);
  sp_central_operator_free (req.op);
}

/* Bodies over the limit are refused from their headers, before the
 * server reads (and buffers) them. */
static void
on_early (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length = soup_message_headers_get_content_length (headers);
  goffset limit = strstr (path, "/attachments/") ? MAX_ATTACHMENT : MAX_JSON_BODY;

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH && length > limit)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
      sp_central_reply_problem (msg, 413, "too-large", "Request body too large",
                                "the limit is %" G_GOFFSET_FORMAT " bytes", limit);
    }
}

static void
on_not_v1 (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  sp_central_reply_problem (msg, 404, "not-found", "No such resource", "the API lives under /v1/");
}

/* ---- object ---- */

static void
sp_central_server_finalize (GObject *object)
{
  SpCentralServer *self = SP_CENTRAL_SERVER (object);

  if (self->hashers)
    g_thread_pool_free (self->hashers, FALSE, TRUE);
  g_clear_handle_id (&self->commit_source, g_source_remove);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_object (&self->soup);
  g_clear_pointer (&self->db, sp_central_db_close);
  g_free (self->dummy_verifier);
  G_OBJECT_CLASS (sp_central_server_parent_class)->finalize (object);
}

static void
sp_central_server_class_init (SpCentralServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sp_central_server_finalize;
}

static void
sp_central_server_init (SpCentralServer *self)
{
  guchar random[16];

  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);

  randombytes_buf (random, sizeof random);
  self->dummy_verifier = sp_secret_hash ((const char *) random, sizeof random, NULL);
}

SpCentralServer *
sp_central_server_new (SpCentralDb *db,
                       guint        hash_threads)
{
  SpCentralServer *self = g_object_new (SP_TYPE_CENTRAL_SERVER, NULL);

  self->db = db;
  /* Each Argon2id takes ~0.1 s of one core and 64 MiB: more threads than
   * cores would only make every request wait behind them. */
  self->hashers = g_thread_pool_new (hash_worker, NULL, MAX (1, (int) hash_threads), FALSE, NULL);
  return self;
}

GSocket *
sp_central_listen_socket (const char *address,
                          GError    **error)
{
  g_autoptr(GSocketConnectable) parsed = g_network_address_parse (address, 8443, error);
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) sockaddr = NULL;
  g_autoptr(GSocket) sock = NULL;

  if (parsed == NULL)
    return NULL;
  inet = g_inet_address_new_from_string (g_network_address_get_hostname (G_NETWORK_ADDRESS (parsed)));
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "listen on a numeric address, such as 127.0.0.1:8443 (got %s)", address);
      return NULL;
    }
  sock = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                       G_SOCKET_PROTOCOL_TCP, error);
  if (sock == NULL)
    return NULL;
  sockaddr = g_inet_socket_address_new (inet, g_network_address_get_port (G_NETWORK_ADDRESS (parsed)));
  if (!g_socket_bind (sock, sockaddr, TRUE, error))
    return NULL;
  g_socket_set_listen_backlog (sock, 256);
  /* Non-blocking: when worker processes share the socket, the one that
   * loses the race for a connection must not block in accept(). */
  g_socket_set_blocking (sock, FALSE);
  if (!g_socket_listen (sock, error))
    return NULL;
  return g_steal_pointer (&sock);
}

gboolean
sp_central_server_listen (SpCentralServer *self,
                          GSocket         *socket,
                          const char      *tls_cert,
                          const char      *tls_key,
                          GError         **error)
{
  g_autoptr(GTlsCertificate) cert = NULL;
  SoupServerListenOptions options = 0;

  if (tls_cert != NULL)
    {
      cert = g_tls_certificate_new_from_files (tls_cert, tls_key, error);
      if (cert == NULL)
        return FALSE;
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }
  self->soup = g_object_new (SOUP_TYPE_SERVER, "server-header", "sportello-central",
                             "tls-certificate", cert, NULL);
  sp_central_reaper_attach (self->soup);
  soup_server_add_early_handler (self->soup, "/v1/", on_early, self, NULL);
  soup_server_add_handler (self->soup, "/v1/", on_request, self, NULL);
  soup_server_add_handler (self->soup, NULL, on_not_v1, self, NULL);
  return soup_server_listen_socket (self->soup, socket, options, error);
}

char *
sp_central_server_get_url (SpCentralServer *self)
{
  g_autoptr(GSList) uris = soup_server_get_uris (self->soup);
  char *url;

  if (uris == NULL)
    return NULL;
  url = g_uri_to_string (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  /* g_uri_to_string gives "http://127.0.0.1:PORT/": drop the slash. */
  if (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  return url;
}

void
sp_central_server_shutdown (SpCentralServer *self,
                            GCallback        done,
                            gpointer         user_data)
{
  GSList *listeners = soup_server_get_listeners (self->soup);

  /* Stop accepting; answer what is in flight, then report. */
  for (GSList *l = listeners; l != NULL; l = l->next)
    g_socket_close (l->data, NULL);
  g_slist_free (listeners);
  self->stopping = TRUE;
  self->on_stopped = done;
  self->on_stopped_data = user_data;
  if (self->in_flight == 0)
    ((void (*) (gpointer)) done) (user_data);
}
