/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-sync"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "sp-central-client.h"
#include "sp-sync-engine.h"

struct _SpCentralClient
{
  GObject parent_instance;

  SoupSession *session;
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
  return TRUE;
}

void
sp_central_client_set_timeout (SpCentralClient *self,
                               guint            seconds)
{
  soup_session_set_timeout (self->session, seconds);
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

static GBytes *
json_body (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  char *text = json_to_string (root, FALSE);

  return g_bytes_new_take (text, strlen (text));
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

  if (status == 401)
    return g_error_new (SP_SYNC_ERROR, SP_SYNC_ERROR_CREDENTIALS, "%s", text ? text : "not logged in");
  if (status == 404)
    return g_error_new (SP_SYNC_ERROR, SP_SYNC_ERROR_NOT_FOUND, "%s", text ? text : "not found");
  if (status >= 400 && status < 500)
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
  if (o == NULL)
    return g_task_return_new_error (task, SP_SYNC_ERROR, SP_SYNC_ERROR_SERVER,
                                    "central's answer is not a JSON object");
  g_task_return_pointer (task, json_object_ref (o), (GDestroyNotify) json_object_unref);
}

static void
request (SpCentralClient *self,
         GTask           *task,
         const char      *method,
         const char      *path,
         GBytes          *body,
         const char      *token)
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
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", body);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_answer, task);
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

/* ---- revocation: the supervisor logs in, approves, logs out ---- */

typedef struct {
  char *cf;
  char *body;
} Revocation;

static void
revocation_free (Revocation *r)
{
  g_free (r->cf);
  g_free (r->body);
  g_free (r);
}

static void
on_revoked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) o = g_task_propagate_pointer (G_TASK (result), &error);

  if (o == NULL)
    return g_task_return_error (task, g_steal_pointer (&error));
  g_task_return_boolean (task, TRUE);
}

static void
on_supervisor_login (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SpCentralClient *self = SP_CENTRAL_CLIENT (source);
  Revocation *r = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) o = g_task_propagate_pointer (G_TASK (result), &error);
  const char *token = o ? json_object_get_string_member_with_default (o, "token", NULL) : NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) body = NULL;
  GTask *inner;

  if (o == NULL)
    return g_task_return_error (task, g_steal_pointer (&error));
  if (token == NULL)
    return g_task_return_new_error (task, SP_SYNC_ERROR, SP_SYNC_ERROR_SERVER,
                                    "central's login answer has no token");
  escaped = g_uri_escape_string (r->cf, NULL, FALSE);
  path = g_strdup_printf ("/v1/citizens/%s/revocation", escaped);
  body = g_bytes_new (r->body, strlen (r->body));
  inner = new_task (self, 200, g_task_get_cancellable (task), on_revoked, g_object_ref (task), NULL);
  request (self, inner, "POST", path, body, token);
}

void
sp_central_client_revoke_async (SpCentralClient     *self,
                                const char          *cf,
                                const char          *reason,
                                const char          *requested_by,
                                const char          *supervisor,
                                const char          *supervisor_password,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Revocation *r = g_new0 (Revocation, 1);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) login = login_body (supervisor, supervisor_password, NULL);
  GTask *inner;

  g_task_set_source_tag (task, sp_central_client_revoke_async);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, reason);
  json_builder_set_member_name (b, "requested_by");
  json_builder_add_string_value (b, requested_by);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  r->cf = g_strdup (cf);
  r->body = json_to_string (root, FALSE);
  g_task_set_task_data (task, r, (GDestroyNotify) revocation_free);
  inner = new_task (self, 201, cancellable, on_supervisor_login, task, NULL);
  request (self, inner, "POST", "/v1/sessions", login, NULL);
}

gboolean
sp_central_client_revoke_finish (SpCentralClient *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
sp_central_client_finalize (GObject *object)
{
  SpCentralClient *self = SP_CENTRAL_CLIENT (object);

  g_clear_object (&self->session);
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
  self->session = soup_session_new_with_options ("timeout", 15, "idle-timeout", 60, NULL);
}
