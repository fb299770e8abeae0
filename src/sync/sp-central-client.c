/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-sync"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>
#include <sodium.h>

#include "sp-central-client.h"
#include "sp-sync-engine.h"

struct _SpCentralClient
{
  GObject parent_instance;

  SoupSession *session;
  SoupSession *urgent;     /* the issuance's own request: never behind a wave for a connection */
  char *base_url;
  char *token;
};

G_DEFINE_FINAL_TYPE (SpCentralClient, sp_central_client, G_TYPE_OBJECT)

SpOperator *
sp_operator_new (const char *id,
                 const char *name,
                 const char *role,
                 const char *sede)
{
  SpOperator *op = g_new0 (SpOperator, 1);

  op->id = g_strdup (id);
  op->name = g_strdup (name ? name : id);
  op->role = g_strdup (role ? role : "operator");
  op->sede = g_strdup (sede ? sede : "");
  return op;
}

SpOperator *
sp_operator_copy (const SpOperator *op)
{
  return op ? sp_operator_new (op->id, op->name, op->role, op->sede) : NULL;
}

void
sp_operator_free (SpOperator *op)
{
  if (op == NULL)
    return;
  g_free (op->id);
  g_free (op->name);
  g_free (op->role);
  g_free (op->sede);
  g_free (op);
}

SpCentralClient *
sp_central_client_new (const char *base_url)
{
  SpCentralClient *self = g_object_new (SP_TYPE_CENTRAL_CLIENT, NULL);

  self->base_url = g_strdup (base_url);
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  return self;
}

gboolean
sp_central_client_set_ca_file (SpCentralClient *self,
                               const char      *path,
                               GError         **error)
{
  g_autoptr(GTlsDatabase) database = g_tls_file_database_new (path, error);

  if (database == NULL)
    return FALSE;
  soup_session_set_tls_database (self->session, database);
  soup_session_set_tls_database (self->urgent, database);
  return TRUE;
}

void
sp_central_client_set_timeout (SpCentralClient *self,
                               guint            seconds)
{
  soup_session_set_timeout (self->session, seconds);
  soup_session_set_timeout (self->urgent, seconds);
}

/* ---- one request, one JSON answer ---- */

typedef struct {
  guint expected;        /* the status that means success */
  char *token;           /* when the request carries its own (the supervisor's) */
} Call;

static void
call_free (Call *call)
{
  g_free (call->token);
  g_free (call);
}

static void
wipe_text (gpointer text)
{
  sodium_memzero (text, strlen (text));
  g_free (text);
}

/* A body that may carry a password: wiped when libsoup lets it go. */
static GBytes *
json_body (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  char *text = json_to_string (root, FALSE);

  return g_bytes_new_with_free_func (text, strlen (text), wipe_text, text);
}

static JsonObject *
parse_object (GBytes      *body,
              JsonParser **parser)
{
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;

  *parser = json_parser_new ();
  if (len == 0 || !json_parser_load_from_data (*parser, data, len, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (*parser)))
    return NULL;
  return json_node_get_object (json_parser_get_root (*parser));
}

/* A refusal in the operator's words when central gave some. */
static GError *
refusal (guint       status,
         JsonObject *problem)
{
  const char *detail = problem ? json_object_get_string_member_with_default (problem, "detail", NULL) : NULL;
  const char *title = problem ? json_object_get_string_member_with_default (problem, "title", NULL) : NULL;
  const char *text = detail ? detail : title;
  const char *type = problem ? json_object_get_string_member_with_default (problem, "type", NULL) : NULL;

  if (status == 401)
    return g_error_new (SP_SYNC_ERROR, SP_SYNC_ERROR_CREDENTIALS, "%s", text ? text : "not logged in");
  if (status == 404)
    return g_error_new (SP_SYNC_ERROR, SP_SYNC_ERROR_NOT_FOUND, "%s", text ? text : "not found");
  /* As for the sync engine: these say "later", not "no". */
  if (status >= 400 && status < 500 && status != 408 && status != 425 && status != 429
      && !(status == 409 && type != NULL && g_str_has_suffix (type, "/in-flight")))
    return g_error_new (SP_SYNC_ERROR, SP_SYNC_ERROR_REFUSED, "%s", text ? text : "refused");
  return g_error_new (SP_SYNC_ERROR, SP_SYNC_ERROR_SERVER, "central answered %u%s%s", status,
                      text ? ": " : "", text ? text : "");
}

static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *o;
  guint status;

  if (body == NULL)
    return g_task_return_new_error (task, SP_SYNC_ERROR, SP_SYNC_ERROR_UNREACHABLE,
                                    "central unreachable: %s", error->message);
  status = soup_message_get_status (msg);
  o = parse_object (body, &parser);
  if (status != call->expected)
    return g_task_return_error (task, refusal (status, o));
  if (o == NULL && status == 204)
    return g_task_return_pointer (task, json_object_new (), (GDestroyNotify) json_object_unref);
  if (o == NULL)
    return g_task_return_new_error (task, SP_SYNC_ERROR, SP_SYNC_ERROR_SERVER,
                                    "central's answer is not a JSON object");
  g_task_return_pointer (task, json_object_ref (o), (GDestroyNotify) json_object_unref);
}

static void
request_full (SpCentralClient *self,
              GTask           *task,
              const char      *method,
              const char      *path,
              GBytes          *body,
              const char      *token,
              const char      *idempotency_key,
              gboolean         urgent)
{
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);

  if (msg == NULL)
    {
      g_task_return_new_error (task, SP_SYNC_ERROR, SP_SYNC_ERROR_UNREACHABLE,
                               "the central URL %s is not valid", self->base_url);
      g_object_unref (task);
      return;
    }
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (idempotency_key != NULL)
    {
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", idempotency_key);
      soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
    }
  /* Ahead of whatever the sync engine has queued on the same session. */
  if (urgent)
    soup_message_set_priority (msg, SOUP_MESSAGE_PRIORITY_VERY_HIGH);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", body);
  soup_session_send_and_read_async (urgent ? self->urgent : self->session, msg,
                                    urgent ? G_PRIORITY_HIGH : G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_answer, task);
}

static void
request (SpCentralClient *self,
         GTask           *task,
         const char      *method,
         const char      *path,
         GBytes          *body,
         const char      *token)
{
  request_full (self, task, method, path, body, token, NULL, FALSE);
}

static GTask *
new_task (SpCentralClient     *self,
          guint                expected,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  call->expected = expected;
  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  return task;
}

static GBytes *
login_body (const char *username,
            const char *password,
            const char *workstation)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "username");
  json_builder_add_string_value (b, username);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, password);
  json_builder_set_member_name (b, "workstation");
  json_builder_add_string_value (b, workstation ? workstation : g_get_host_name ());
  json_builder_end_object (b);
  return json_body (b);
}

/* ---- login ---- */

void
sp_central_client_login_async (SpCentralClient     *self,
                               const char          *username,
                               const char          *password,
                               const char          *workstation,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task = new_task (self, 201, cancellable, callback, user_data, sp_central_client_login_async);
  g_autoptr(GBytes) body = login_body (username, password, workstation);

  request (self, task, "POST", "/v1/sessions", body, NULL);
}

SpOperator *
sp_central_client_login_finish (SpCentralClient *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_autoptr(JsonObject) o = g_task_propagate_pointer (G_TASK (result), error);
  JsonObject *op;
  const char *token;

  if (o == NULL)
    return NULL;
  token = json_object_get_string_member_with_default (o, "token", NULL);
  op = json_object_has_member (o, "operator") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "operator"))
       ? json_object_get_object_member (o, "operator") : NULL;
  if (token == NULL || op == NULL)
    {
      g_set_error_literal (error, SP_SYNC_ERROR, SP_SYNC_ERROR_SERVER,
                           "central's login answer has no token or operator");
      return NULL;
    }
  g_free (self->token);
  self->token = g_strdup (token);
  return sp_operator_new (json_object_get_string_member_with_default (op, "id", NULL),
                          json_object_get_string_member_with_default (op, "name", NULL),
                          json_object_get_string_member_with_default (op, "role", NULL),
                          json_object_get_string_member_with_default (op, "sede", NULL));
}

void
sp_central_client_probe_async (SpCentralClient     *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task = new_task (self, 200, cancellable, callback, user_data, sp_central_client_probe_async);

  /* No token: an offline session has none, and the answer says only
   * that central is there. */
  request_full (self, task, "GET", "/v1/status", NULL, NULL, NULL, TRUE);
}

gboolean
sp_central_client_probe_finish (SpCentralClient *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_autoptr(JsonObject) o = g_task_propagate_pointer (G_TASK (result), error);

  return o != NULL;
}

void
sp_central_client_logout (SpCentralClient *self)
{
  g_clear_pointer (&self->token, g_free);
}

/* ---- citizens ---- */

void
sp_central_client_get_citizen_async (SpCentralClient     *self,
                                     const char          *cf,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task = new_task (self, 200, cancellable, callback, user_data, sp_central_client_get_citizen_async);
  g_autofree char *escaped = g_uri_escape_string (cf, NULL, FALSE);
  g_autofree char *path = g_strconcat ("/v1/citizens/", escaped, NULL);

  if (self->token == NULL)
    {
      g_task_return_new_error (task, SP_SYNC_ERROR, SP_SYNC_ERROR_CREDENTIALS, "not logged in to central");
      g_object_unref (task);
      return;
    }
  request (self, task, "GET", path, NULL, self->token);
}

JsonObject *
sp_central_client_get_citizen_finish (SpCentralClient *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sp_central_client_search_citizens_async (SpCentralClient     *self,
                                         const char          *surname,
                                         const char          *name,
                                         guint                limit,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task = new_task (self, 200, cancellable, callback, user_data, sp_central_client_search_citizens_async);
  g_autofree char *s = g_uri_escape_string (surname, NULL, FALSE);
  g_autofree char *n = name && *name ? g_uri_escape_string (name, NULL, FALSE) : NULL;
  g_autofree char *path = g_strdup_printf ("/v1/citizens?surname=%s%s%s&limit=%u", s, n ? "&name=" : "",
                                           n ? n : "", CLAMP (limit, 1, 50));

  if (self->token == NULL)
    {
      g_task_return_new_error (task, SP_SYNC_ERROR, SP_SYNC_ERROR_CREDENTIALS, "not logged in to central");
      g_object_unref (task);
      return;
    }
  request (self, task, "GET", path, NULL, self->token);
}

JsonObject *
sp_central_client_search_citizens_finish (SpCentralClient *self,
                                          GAsyncResult    *result,
                                          GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the sync engine's and the issuer's access ---- */

SoupSession *
sp_central_client_get_session (SpCentralClient *self)
{
  return self->session;
}

const char *
sp_central_client_get_base_url (SpCentralClient *self)
{
  return self->base_url;
}

const char *
sp_central_client_get_token (SpCentralClient *self)
{
  return self->token;
}

gboolean
sp_central_client_is_logged_in (SpCentralClient *self)
{
  return self->token != NULL;
}

/* ---- one issuance, on its own, ahead of the queue ---- */

void
sp_central_client_register_issuance_async (SpCentralClient     *self,
                                           const char          *id,
                                           const char          *body,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  GTask *task = new_task (self, 201, cancellable, callback, user_data,
                          sp_central_client_register_issuance_async);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  if (self->token == NULL)
    {
      g_task_return_new_error (task, SP_SYNC_ERROR, SP_SYNC_ERROR_CREDENTIALS, "not logged in to central");
      g_object_unref (task);
      return;
    }
  request_full (self, task, "POST", "/v1/issuances", bytes, self->token, id, TRUE);
}

gboolean
sp_central_client_register_issuance_finish (SpCentralClient  *self,
                                            GAsyncResult     *result,
                                            const char       *id,
                                            SpIssuanceStatus *status,
                                            GError          **error)
{
  g_autoptr(JsonObject) o = g_task_propagate_pointer (G_TASK (result), error);

  if (o == NULL)
    return FALSE;
  /* Only an answer about this very issuance counts, in central's words. */
  if (!sp_issuance_status_from_string (json_object_get_string_member_with_default (o, "status", NULL), status)
      || g_strcmp0 (json_object_get_string_member_with_default (o, "id", NULL), id) != 0)
    {
      g_set_error_literal (error, SP_SYNC_ERROR, SP_SYNC_ERROR_SERVER,
                           "central's answer to the issuance is malformed");
      return FALSE;
    }
  return TRUE;
}

/* ---- four eyes, in two steps (DESIGN §4) ---- */

static JsonObject *
propagate_object (GAsyncResult *result,
                  GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sp_central_client_request_revocation_async (SpCentralClient     *self,
                                            const char          *cf,
                                            const char          *reason,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GTask *task = new_task (self, 201, cancellable, callback, user_data,
                          sp_central_client_request_revocation_async);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GBytes) body = NULL;
  g_autofree char *escaped = g_uri_escape_string (cf, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/v1/citizens/%s/revocation-requests", escaped);

  if (self->token == NULL)
    {
      g_task_return_new_error (task, SP_SYNC_ERROR, SP_SYNC_ERROR_CREDENTIALS, "not logged in to central");
      g_object_unref (task);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, reason);
  json_builder_end_object (b);
  body = json_body (b);
  request (self, task, "POST", path, body, self->token);
}

char *
sp_central_client_request_revocation_finish (SpCentralClient *self,
                                             GAsyncResult    *result,
                                             GError         **error)
{
  g_autoptr(JsonObject) o = propagate_object (result, error);
  const char *id = o ? json_object_get_string_member_with_default (o, "id", NULL) : NULL;

  if (o != NULL && id == NULL)
    g_set_error_literal (error, SP_SYNC_ERROR, SP_SYNC_ERROR_SERVER,
                         "central's revocation request has no id");
  return g_strdup (id);
}

/* The supervisor's own session: login, approval, logout. */
typedef struct {
  char *request_id;
  char *token;            /* hers, never the operator's */
  JsonObject *approved;   /* central's answer */
  GError *error;          /* the approval's failure, reported after the logout */
} Approval;

static void
approval_free (Approval *a)
{
  g_free (a->request_id);
  if (a->token)
    wipe_text (a->token);
  g_clear_pointer (&a->approved, json_object_unref);
  g_clear_error (&a->error);
  g_free (a);
}

static void
on_supervisor_logout (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Approval *a = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) o = propagate_object (result, &error);

  /* A logout that fails leaves a token that expires by itself (8 h) and
   * that nobody holds any more: the approval's outcome is what counts. */
  if (a->error != NULL)
    return g_task_return_error (task, g_steal_pointer (&a->error));
  g_task_return_pointer (task, g_steal_pointer (&a->approved), (GDestroyNotify) json_object_unref);
}

static void
close_supervisor_session (SpCentralClient *self,
                          GTask           *task)
{
  Approval *a = g_task_get_task_data (task);
  GTask *inner = new_task (self, 204, NULL, on_supervisor_logout, task, NULL);

  request (self, inner, "DELETE", "/v1/sessions/current", NULL, a->token);
}

static void
on_approved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  Approval *a = g_task_get_task_data (task);

  a->approved = propagate_object (result, &a->error);
  close_supervisor_session (SP_CENTRAL_CLIENT (g_task_get_source_object (task)), task);
}

static void
on_supervisor_login (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SpCentralClient *self = SP_CENTRAL_CLIENT (source);
  Approval *a = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) o = propagate_object (result, &error);
  const char *token = o ? json_object_get_string_member_with_default (o, "token", NULL) : NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) body = NULL;
  GCancellable *cancellable;
  GTask *inner;

  if (o == NULL)
    return g_task_return_error (task, g_steal_pointer (&error));
  if (token == NULL)
    return g_task_return_new_error (task, SP_SYNC_ERROR, SP_SYNC_ERROR_SERVER,
                                    "central's login answer has no token");
  a->token = g_strdup (token);
  escaped = g_uri_escape_string (a->request_id, NULL, FALSE);
  path = g_strdup_printf ("/v1/revocation-requests/%s/approval", escaped);
  body = g_bytes_new_static ("{}", 2);
  cancellable = g_task_get_cancellable (task);   /* before the task is handed on */
  inner = new_task (self, 200, cancellable, on_approved, g_steal_pointer (&task), NULL);
  request (self, inner, "POST", path, body, a->token);
}

void
sp_central_client_approve_revocation_async (SpCentralClient     *self,
                                            const char          *request_id,
                                            const char          *supervisor,
                                            const char          *supervisor_password,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Approval *a = g_new0 (Approval, 1);
  g_autoptr(GBytes) login = login_body (supervisor, supervisor_password, NULL);
  GTask *inner;

  g_task_set_source_tag (task, sp_central_client_approve_revocation_async);
  a->request_id = g_strdup (request_id);
  g_task_set_task_data (task, a, (GDestroyNotify) approval_free);
  inner = new_task (self, 201, cancellable, on_supervisor_login, task, NULL);
  request (self, inner, "POST", "/v1/sessions", login, NULL);
}

JsonObject *
sp_central_client_approve_revocation_finish (SpCentralClient *self,
                                             GAsyncResult    *result,
                                             GError         **error)
{
  return propagate_object (result, error);
}

static void
sp_central_client_finalize (GObject *object)
{
  SpCentralClient *self = SP_CENTRAL_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_object (&self->urgent);
  g_free (self->base_url);
  g_free (self->token);
  G_OBJECT_CLASS (sp_central_client_parent_class)->finalize (object);
}

static void
sp_central_client_class_init (SpCentralClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sp_central_client_finalize;
}

static void
sp_central_client_init (SpCentralClient *self)
{
  /* One session for everything the workstation says to central: the
   * sync engine's waves use up to 64 keep-alive connections of it. */
  self->session = soup_session_new_with_options ("timeout", 15, "idle-timeout", 60,
                                                 "max-conns", SP_CENTRAL_CLIENT_CONNECTIONS,
                                                 "max-conns-per-host", SP_CENTRAL_CLIENT_CONNECTIONS, NULL);
  /* Same token, its own keep-alive connection: with 1,000 entries queued
   * the wave holds every connection of the other session. */
  self->urgent = soup_session_new_with_options ("timeout", 15, "idle-timeout", 60, "max-conns", 2,
                                                "max-conns-per-host", 2, NULL);
}
