/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-sync"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include <sodium.h>

#include "sp-central-client.h"
#include "sp-secret.h"
#include "sp-sync-engine.h"

G_DEFINE_QUARK (sp-sync-error-quark, sp_sync_error)

struct _SpSyncEngine
{
  GObject parent_instance;

  SpStore *store;
  SpCentralClient *client;  /* its session and token: one login for the workstation */
  char *username;           /* only sportello-tool logs in through the engine */
  char *password;           /* sodium_malloc: wiped; the app never sets it */
  char *workstation;
  GHashTable *held;         /* issuance ids the issuer is registering itself */
  /* Store writes on worker threads: the engine's finalize waits for them,
   * since its owner closes the store right after (DESIGN: store outlives
   * engine). Their answers find the engine through a weak reference. */
  GMutex io_lock;
  GCond io_cond;
  guint io_pending;

  gboolean online;
  char *last_error;
  gint64 last_success;
  gint64 clock_skew_ms;

  GTask *running;
  GCancellable *run_cancel;   /* the run's: cancelled by stop () */
  gboolean relogged;
  gboolean resynced;        /* one full read of the feed per run after a 410 */

  /* automatic mode */
  gboolean automatic;
  guint interval_s;
  guint base_ms;
  guint cap_ms;
  guint failures;           /* consecutive failed runs */
  guint retry_after_s;      /* central's Retry-After on the last failure */
  guint timer;              /* next run */
  gboolean kicked;          /* kicked during a run: another one right after */
  guint paused;             /* issuances in flight: no new wave meanwhile */
  gboolean deferred;        /* a run waits for the pause to end */
  gulong network_handler;        /* one fresh login per run after a 401 */
  /* While central is unreachable: GET /v1/status on a short capped
   * backoff, so its return shows within seconds, not at the end of the
   * run's long backoff. */
  guint probe_timer;
  guint probe_failures;
  GCancellable *probe_cancel;   /* the probe in flight */
  guint wave_pending;       /* answers still awaited in this wave */
  GPtrArray *wave_done;     /* entries central confirmed, applied at the wave's end */
  GArray *wave_status;      /* their statuses (int: SpIssuanceStatus, -1 for scans) */
  GError *wave_error;       /* the wave's first retryable failure */
  gboolean wave_relogin;
};

G_DEFINE_FINAL_TYPE (SpSyncEngine, sp_sync_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ONLINE,
  PROP_WAITING,
  PROP_ATTENTION,
  PROP_LAST_ERROR,
  PROP_LAST_SUCCESS,
  PROP_CLOCK_SKEW_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ISSUANCES_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void step (SpSyncEngine *self);

/* The run was stopped, or its caller cancelled it. */
static gboolean
stopped (SpSyncEngine *self)
{
  return (self->run_cancel != NULL && g_cancellable_is_cancelled (self->run_cancel))
         || (self->running != NULL && g_cancellable_is_cancelled (g_task_get_cancellable (self->running)));
}

/* ---- state ---- */

static void
set_online (SpSyncEngine *self,
            gboolean      online,
            const char   *error)
{
  if (self->online != online)
    {
      self->online = online;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
    }
  if (g_strcmp0 (self->last_error, error) != 0)
    {
      g_free (self->last_error);
      self->last_error = g_strdup (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTENTION]);
}

static void schedule (SpSyncEngine *self, guint delay_ms);

/* The next automatic run: soon after a failure (backoff), at the
 * interval after a success. */
static void
plan_next (SpSyncEngine *self,
           gboolean      failed)
{
  guint delay;

  if (!self->automatic)
    return;
  if (!failed)
    {
      self->failures = 0;
      /* What was queued during the run (the run may have read the outbox
       * before it) goes now, not at the next interval. */
      schedule (self, self->kicked ? 0 : self->interval_s * 1000);
      self->kicked = FALSE;
      return;
    }
  self->failures = MIN (self->failures + 1, 20);
  if (self->retry_after_s > 0)
    delay = self->retry_after_s * 1000;
  else
    {
      guint64 backoff = MIN ((guint64) self->base_ms << (self->failures - 1), self->cap_ms);

      /* Jitter of ±50 %: workstations that lost the link together must
       * not all come back at the same millisecond. */
      delay = (guint) (backoff / 2 + g_random_int_range (0, (gint32) MAX (backoff, 1)));
    }
  self->retry_after_s = 0;
  schedule (self, delay);
}

/* ---- probing while offline ---- */

#define PROBE_BASE_MS 500
#define PROBE_CAP_MS 3000
#define PROBE_TIMEOUT_MS 2000

static void schedule_probe (SpSyncEngine *self);

typedef struct {
  SpSyncEngine *self;
  GCancellable *cancellable;   /* which probe this is */
} Probe;

static void
probe_free (Probe *p)
{
  g_object_unref (p->self);
  g_object_unref (p->cancellable);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Probe, probe_free)

static void
on_probe_answer (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Probe) p = user_data;
  SpSyncEngine *self = p->self;
  gboolean up = sp_central_client_probe_finish (SP_CENTRAL_CLIENT (source), result, NULL);

  if (p->cancellable != self->probe_cancel)
    return;   /* stopped meanwhile */
  g_clear_object (&self->probe_cancel);
  if (!self->automatic || self->online)
    return;
  if (!up)
    {
      self->probe_failures = MIN (self->probe_failures + 1, 16);
      return schedule_probe (self);
    }
  /* Central answers: the header says so now, and the queue goes now. */
  self->probe_failures = 0;
  set_online (self, TRUE, NULL);
  if (self->running == NULL)
    schedule (self, 0);
  else
    self->kicked = TRUE;
}

static gboolean
on_probe_timeout (gpointer user_data)
{
  GCancellable *cancellable = user_data;

  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
on_probe_timer (gpointer user_data)
{
  SpSyncEngine *self = user_data;
  Probe *p;

  self->probe_timer = 0;
  if (self->online || !self->automatic)
    return G_SOURCE_REMOVE;
  self->probe_cancel = g_cancellable_new ();
  /* Bounded: a central that accepts and never answers is not up. */
  g_timeout_add_full (G_PRIORITY_DEFAULT, PROBE_TIMEOUT_MS, on_probe_timeout,
                      g_object_ref (self->probe_cancel), g_object_unref);
  p = g_new0 (Probe, 1);
  p->self = g_object_ref (self);
  p->cancellable = g_object_ref (self->probe_cancel);
  sp_central_client_probe_async (self->client, self->probe_cancel, on_probe_answer, p);
  return G_SOURCE_REMOVE;
}

/* 0.5 s, 1 s, 2 s, then every 3 s, each ±25 %: cheap (no token, no
 * database write), and a sede's workstations that lost central together
 * spread their probes out. */
static void
schedule_probe (SpSyncEngine *self)
{
  guint64 delay = MIN ((guint64) PROBE_BASE_MS << self->probe_failures, PROBE_CAP_MS);

  delay = delay * 3 / 4 + g_random_int_range (0, (gint32) (delay / 2) + 1);
  g_clear_handle_id (&self->probe_timer, g_source_remove);
  self->probe_timer = g_timeout_add ((guint) delay, on_probe_timer, self);
}

static void
start_probing (SpSyncEngine *self)
{
  if (!self->automatic || self->probe_timer != 0 || self->probe_cancel != NULL)
    return;
  self->probe_failures = 0;
  schedule_probe (self);
}

static void
stop_probing (SpSyncEngine *self)
{
  g_clear_handle_id (&self->probe_timer, g_source_remove);
  if (self->probe_cancel != NULL)
    g_cancellable_cancel (self->probe_cancel);
  g_clear_object (&self->probe_cancel);
}

static void
finish_run (SpSyncEngine *self,
            GError       *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->running);

  plan_next (self, error != NULL);

  if (error == NULL)
    {
      self->last_success = g_get_real_time () / 1000;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SUCCESS]);
      set_online (self, TRUE, NULL);
      g_task_return_boolean (task, TRUE);
    }
  else
    {
      set_online (self, error->domain != SP_SYNC_ERROR || error->code != SP_SYNC_ERROR_UNREACHABLE
                        ? self->online : FALSE, error->message);
      if (!self->online)
        start_probing (self);
      g_task_return_error (task, error);
    }
}

/* Server time minus ours, from the Date header of every answer. */
static void
measure_skew (SpSyncEngine *self,
              SoupMessage  *msg)
{
  const char *date = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Date");
  g_autoptr(GDateTime) server = date ? soup_date_time_new_from_http_string (date) : NULL;

  if (server == NULL)
    return;
  self->clock_skew_ms = g_date_time_to_unix (server) * 1000 - g_get_real_time () / 1000;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK_SKEW_MS]);
}

/* ---- HTTP ---- */

/* A wave: up to WINDOW outbox entries queued at once on up to
 * CONNECTIONS keep-alive connections, libsoup sending the next as soon as
 * a connection is free. Central batches the registrations that arrive
 * together into one commit (group commit), so a queue drains at central's
 * pace instead of one round trip each. Measured here for 10,000 queued
 * issuances: waves of 64 on 64 connections 4.9–5.3 s, 256 on 64
 * 3.1–3.9 s, 1024 on 64 3.5–4.4 s; 16 or 32 connections ~3.9 s. */
#define CONNECTIONS SP_CENTRAL_CLIENT_CONNECTIONS
#define WINDOW 256

typedef enum {
  OUTCOME_DONE,
  OUTCOME_PARKED,
  OUTCOME_RETRY,     /* stop the run, keep the entry */
  OUTCOME_RELOGIN,   /* 401: log in again, then resend */
} Outcome;

typedef Outcome (*Handler) (SpSyncEngine *self, guint status, GBytes *body, SpOutboxEntry *entry,
                            GError **error);

typedef struct {
  SpSyncEngine *self;
  Handler handler;
  SpOutboxEntry *entry;
} Call;

static void wave_answered (SpSyncEngine *self, Outcome outcome, GError *error);
static void record_wave (SpSyncEngine *self);

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Call *call = user_data;
  SpSyncEngine *self = call->self;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (stopped (self))
    {
      /* Stopped: its owner may close the store now, so nothing is
       * recorded; the entries stay queued for the next run. */
      if (call->entry == NULL)
        finish_run (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "stopped"));
      else
        wave_answered (self, OUTCOME_RETRY, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "stopped"));
    }
  else if (body == NULL)
    {
      GError *e = g_error_new (SP_SYNC_ERROR, SP_SYNC_ERROR_UNREACHABLE, "central unreachable: %s", error->message);

      if (call->entry == NULL)
        finish_run (self, e);   /* the feed */
      else
        wave_answered (self, OUTCOME_RETRY, e);
    }
  else
    {
      measure_skew (self, msg);
      {
        const char *retry = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
        guint64 seconds = 0;

        if (retry != NULL && g_ascii_string_to_unsigned (retry, 10, 0, 3600, &seconds, NULL))
          self->retry_after_s = (guint) seconds;
      }
      if (call->entry == NULL)
        call->handler (self, soup_message_get_status (msg), body, NULL, NULL);   /* the feed */
      else
        {
          GError *e = NULL;
          Outcome outcome = call->handler (self, soup_message_get_status (msg), body, call->entry, &e);

          wave_answered (self, outcome, e);
        }
    }
  sp_outbox_entry_free (call->entry);
  g_object_unref (self);
  g_free (call);
}

static void
send (SpSyncEngine  *self,
      SoupMessage   *msg,
      Handler        handler,
      SpOutboxEntry *entry)
{
  Call *call = g_new0 (Call, 1);

  call->self = g_object_ref (self);
  call->handler = handler;
  call->entry = entry;
  if (sp_central_client_get_token (self->client) != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", sp_central_client_get_token (self->client), NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  soup_session_send_and_read_async (sp_central_client_get_session (self->client), msg, G_PRIORITY_DEFAULT,
                                    self->run_cancel, on_sent, call);
  g_object_unref (msg);
}

static JsonObject *
parse_object (GBytes      *body,
              JsonParser **parser)
{
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  *parser = json_parser_new ();
  if (len == 0 || !json_parser_load_from_data (*parser, data, len, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (*parser)))
    return NULL;
  return json_node_get_object (json_parser_get_root (*parser));
}

static char *
problem_text (GBytes *body,
              guint   status)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *o = parse_object (body, &parser);
  const char *detail = o ? json_object_get_string_member_with_default (o, "detail", NULL) : NULL;
  const char *title = o ? json_object_get_string_member_with_default (o, "title", NULL) : NULL;

  return g_strdup_printf ("%u %s%s%s", status, title ? title : "refused", detail ? ": " : "",
                          detail ? detail : "");
}

/* ---- login ---- */

static void
on_logged_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SpSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpOperator) op = sp_central_client_login_finish (SP_CENTRAL_CLIENT (source), result, &error);

  if (op != NULL)
    return step (self);
  if (g_error_matches (error, SP_SYNC_ERROR, SP_SYNC_ERROR_REFUSED))
    error->code = SP_SYNC_ERROR_CREDENTIALS;
  finish_run (self, g_steal_pointer (&error));
}

/* The app logs in once through the client and gives the engine no
 * password: without a token the run ends and the operator logs in again. */
static void
login (SpSyncEngine *self)
{
  if (self->username == NULL || self->password == NULL)
    return finish_run (self, g_error_new (SP_SYNC_ERROR, SP_SYNC_ERROR_CREDENTIALS,
                                          "no session at central: log in again"));
  sp_central_client_login_async (self->client, self->username, self->password, self->workstation,
                                 self->run_cancel, on_logged_in, g_object_ref (self));
}

/* ---- pushing the outbox ---- */

/* A 409 is "the same request is being processed" (retry) only when its
 * problem type says so; another 409 ("conflict": a void of a revoked
 * issuance, a replaced scan) is final and would be retried for ever. */
static gboolean
in_flight (GBytes *body)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *o = parse_object (body, &parser);
  const char *type = o ? json_object_get_string_member_with_default (o, "type", NULL) : NULL;

  return type != NULL && g_str_has_suffix (type, "/in-flight");
}

/* What an answer means for the entry, whatever the entry (DESIGN §5). */
static gboolean
failure_outcome (SpSyncEngine  *self,
                 guint          status,
                 GBytes        *body,
                 SpOutboxEntry *entry,
                 Outcome       *outcome,
                 GError       **error)
{
  g_autoptr(GError) store_error = NULL;

  if (status == 401)
    *outcome = OUTCOME_RELOGIN;
  else if (status >= 500 || status == 408 || (status == 409 && in_flight (body)) || status == 425 || status == 429)
    {
      g_set_error (error, SP_SYNC_ERROR, SP_SYNC_ERROR_SERVER, "central answered %u: will retry", status);
      *outcome = OUTCOME_RETRY;
    }
  else if (status >= 400)
    {
      g_autofree char *problem = problem_text (body, status);

      /* Refused for good: park it; the rest of the queue goes on. */
      if (sp_store_outbox_park (self->store, entry, problem, &store_error))
        *outcome = OUTCOME_PARKED;
      else
        {
          g_set_error (error, SP_SYNC_ERROR, SP_SYNC_ERROR_SERVER, "store: %s", store_error->message);
          *outcome = OUTCOME_RETRY;
        }
    }
  else
    return FALSE;
  return TRUE;
}

/* Recorded now, written to the store with the rest of the wave in one
 * transaction: a crash before that only means central answers the replay
 * with what it stored. */
static Outcome
confirmed (SpSyncEngine  *self,
           SpOutboxEntry *entry,
           int            status,
           GError       **error)
{
  SpOutboxEntry *copy = g_new0 (SpOutboxEntry, 1);

  copy->seq = entry->seq;
  copy->kind = entry->kind;
  copy->target = g_strdup (entry->target);
  copy->body = g_strdup (entry->body);
  g_ptr_array_add (self->wave_done, copy);
  g_array_append_val (self->wave_status, status);
  return OUTCOME_DONE;
}

/* An issuance record from central, with this entry's id and a status,
 * under the expected HTTP status: only an answer that says what central
 * did counts as done. */
static Outcome
record_answer (SpSyncEngine  *self,
               guint          status,
               guint          expected,
               GBytes        *body,
               SpOutboxEntry *entry,
               GError       **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *o;
  SpIssuanceStatus state;
  Outcome outcome;

  if (failure_outcome (self, status, body, entry, &outcome, error))
    return outcome;
  o = parse_object (body, &parser);
  /* Central's word must be one of its four: pending is ours alone. */
  if (status != expected || o == NULL
      || !sp_issuance_status_from_string (json_object_get_string_member_with_default (o, "status", NULL), &state)
      || state == SP_ISSUANCE_STATUS_PENDING || state == SP_ISSUANCE_STATUS_NEEDS_ATTENTION
      || g_strcmp0 (json_object_get_string_member_with_default (o, "id", NULL), entry->target) != 0)
    {
      g_set_error (error, SP_SYNC_ERROR, SP_SYNC_ERROR_SERVER,
                   "central's answer to an outbox entry (%s) is malformed: will retry",
                   sp_outbox_kind_to_string (entry->kind));
      return OUTCOME_RETRY;
    }
  return confirmed (self, entry, state, error);
}

static Outcome
on_issuance (SpSyncEngine  *self,
             guint          status,
             GBytes        *body,
             SpOutboxEntry *entry,
             GError       **error)
{
  return record_answer (self, status, 201, body, entry, error);
}

static gboolean
attachment_confirmed (JsonObject *o,
                      const char *kind,
                      const char *sha)
{
  JsonNode *node = o ? json_object_get_member (o, "attachments") : NULL;
  JsonArray *list = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonNode *element = json_array_get_element (list, i);
      JsonObject *a = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;

      if (a && g_strcmp0 (json_object_get_string_member_with_default (a, "kind", NULL), kind) == 0
          && g_strcmp0 (json_object_get_string_member_with_default (a, "sha256", NULL), sha) == 0)
        return TRUE;
    }
  return FALSE;
}

static Outcome
on_attachment (SpSyncEngine  *self,
               guint          status,
               GBytes        *body,
               SpOutboxEntry *entry,
               GError       **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *sha = sp_store_scan_sha256 (self->store, entry->target, entry->body);
  Outcome outcome;

  if (failure_outcome (self, status, body, entry, &outcome, error))
    return outcome;
  /* The local copy goes only when central confirms our own digest. */
  if (!attachment_confirmed (parse_object (body, &parser), entry->body, sha))
    {
      g_set_error_literal (error, SP_SYNC_ERROR, SP_SYNC_ERROR_SERVER,
                           "central did not confirm the scan's SHA-256: will retry");
      return OUTCOME_RETRY;
    }
  return confirmed (self, entry, -1, error);
}

static void
push_issuance (SpSyncEngine  *self,
               SpOutboxEntry *entry)
{
  g_autofree char *url = g_strconcat (sp_central_client_get_base_url (self->client), "/v1/issuances", NULL);
  SoupMessage *msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (entry->body, strlen (entry->body));

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", entry->target);
  /* Safe to replay (that is what the key is for), so libsoup may send it
   * on an idle keep-alive connection: it opens a new connection for every
   * POST it does not know to be idempotent. */
  soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  send (self, msg, on_issuance, entry);
}

static Outcome
on_void (SpSyncEngine  *self,
         guint          status,
         GBytes        *body,
         SpOutboxEntry *entry,
         GError       **error)
{
  /* The issuance never reached central (its entry was dropped with the
   * void): there is nothing to void there. */
  if (status == 404)
    return confirmed (self, entry, -1, error);
  return record_answer (self, status, 200, body, entry, error);
}

/* A print that failed: central voids the PIN (DESIGN §2, print once). */
static void
push_void (SpSyncEngine  *self,
           SpOutboxEntry *entry)
{
  g_autofree char *url = g_strdup_printf ("%s/v1/issuances/%s/void", sp_central_client_get_base_url (self->client),
                                          entry->target);
  SoupMessage *msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (entry->body, strlen (entry->body));

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  send (self, msg, on_void, entry);
}

static char *
content_digest (GBytes *data)
{
  g_autofree char *hex = sp_sha256_hex (g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  g_autofree char *b64 = NULL;
  guchar raw[32];

  for (guint i = 0; i < 32; i++)
    raw[i] = g_ascii_xdigit_value (hex[2 * i]) * 16 + g_ascii_xdigit_value (hex[2 * i + 1]);
  b64 = g_base64_encode (raw, sizeof raw);
  return g_strdup_printf ("sha-256=:%s:", b64);
}

/* FALSE when the scan cannot be read: then it is parked, not sent. */
static gboolean
push_attachment (SpSyncEngine  *self,
                 SpOutboxEntry *entry)
{
  g_autofree char *url = g_strdup_printf ("%s/v1/issuances/%s/attachments/%s", sp_central_client_get_base_url (self->client),
                                          entry->target, entry->body);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *digest = NULL;
  SpAttachmentKind kind;
  SoupMessage *msg;

  if (!sp_attachment_kind_from_string (entry->body, &kind)
      || (pdf = sp_store_read_scan (self->store, entry->target, kind, &error)) == NULL)
    {
      g_autofree char *problem = g_strdup_printf ("the scan cannot be read: %s",
                                                  error ? error->message : entry->body);

      sp_store_outbox_park (self->store, entry, problem, NULL);
      sp_outbox_entry_free (entry);
      return FALSE;
    }
  digest = content_digest (pdf);
  msg = soup_message_new ("PUT", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Content-Digest", digest);
  soup_message_set_request_body_from_bytes (msg, "application/pdf", pdf);
  send (self, msg, on_attachment, entry);
  return TRUE;
}

/* ---- store writes off the main loop ---- */

typedef struct {
  SpSyncEngine *engine;     /* for the pending count only: alive until it drops to 0 */
  GWeakRef self;            /* for the answer */
  SpStore *store;
  GPtrArray *done;          /* a wave's confirmed entries, or NULL */
  GArray *statuses;
  JsonParser *parser;       /* a feed page: keeps items alive */
  JsonArray *items;
  char *next;
  gboolean more;
} Write;

static void
write_free (Write *w)
{
  g_weak_ref_clear (&w->self);
  g_clear_pointer (&w->done, g_ptr_array_unref);
  g_clear_pointer (&w->statuses, g_array_unref);
  g_clear_object (&w->parser);
  g_free (w->next);
  g_free (w);
}

static Write *
write_new (SpSyncEngine *self)
{
  Write *w = g_new0 (Write, 1);

  w->engine = self;
  g_weak_ref_init (&w->self, self);
  w->store = self->store;
  g_mutex_lock (&self->io_lock);
  self->io_pending++;
  g_mutex_unlock (&self->io_lock);
  return w;
}

/* One transaction, one fsync: on a worker thread, not the main loop. */
static void
write_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Write *w = task_data;
  GError *error = NULL;
  gboolean ok = w->done ? sp_store_outbox_done_batch (w->store, w->done, w->statuses, &error)
                        : sp_store_apply_changes (w->store, w->items, w->next, &error);

  g_mutex_lock (&w->engine->io_lock);
  w->engine->io_pending--;
  g_cond_broadcast (&w->engine->io_cond);
  g_mutex_unlock (&w->engine->io_lock);
  if (!ok)
    return g_task_return_error (task, error);
  g_task_return_boolean (task, TRUE);
}

static void
run_write (Write               *w,
           GAsyncReadyCallback  callback)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, NULL);

  g_task_set_task_data (task, w, (GDestroyNotify) write_free);
  g_task_run_in_thread (task, write_in_thread);
}

/* ---- pulling the change feed ---- */

#define PAGE 500

static void pull (SpSyncEngine *self);

static void
on_page_written (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Write *p = g_task_get_task_data (G_TASK (result));
  g_autoptr(SpSyncEngine) self = g_weak_ref_get (&p->self);
  g_autoptr(GError) error = NULL;

  if (self == NULL)
    return;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    return finish_run (self, g_error_new (SP_SYNC_ERROR, SP_SYNC_ERROR_SERVER, "store: %s", error->message));
  if (json_array_get_length (p->items) > 0)
    g_signal_emit (self, signals[SIGNAL_ISSUANCES_CHANGED], 0);
  if (p->more)
    return pull (self);
  finish_run (self, NULL);
}

/* The page and its cursor in one transaction, on a worker thread. */
static void
apply_page (SpSyncEngine *self,
            JsonParser   *parser,
            JsonArray    *items,
            const char   *next,
            gboolean      more)
{
  Write *p;

  if (stopped (self))
    return finish_run (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "stopped"));
  p = write_new (self);
  p->parser = g_object_ref (parser);
  p->items = items;
  p->next = g_strdup (next);
  p->more = more;
  run_write (p, on_page_written);
}

static void
on_changes (SpSyncEngine *self,
            guint         status,
            GBytes       *body)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *o = parse_object (body, &parser);
  JsonNode *items = o ? json_object_get_member (o, "items") : NULL;
  const char *next = o ? json_object_get_string_member_with_default (o, "next_cursor", NULL) : NULL;

  if (status == 410)
    {
      /* The cursor expired: read the whole feed again, keep the outbox.
       * Once per run: a central that refuses a fresh start too is broken. */
      if (self->resynced)
        return finish_run (self, g_error_new (SP_SYNC_ERROR, SP_SYNC_ERROR_SERVER,
                                              "the change feed refuses a full resynchronisation"));
      self->resynced = TRUE;
      if (!sp_store_reset_cursor (self->store, &error))
        return finish_run (self, g_error_new (SP_SYNC_ERROR, SP_SYNC_ERROR_SERVER, "store: %s", error->message));
      return pull (self);
    }
  if (status == 401 && !self->relogged)
    {
      self->relogged = TRUE;
      sp_central_client_logout (self->client);
      return step (self);
    }
  if (status != 200 || items == NULL || !JSON_NODE_HOLDS_ARRAY (items) || next == NULL)
    return finish_run (self, g_error_new (SP_SYNC_ERROR, SP_SYNC_ERROR_SERVER,
                                          "the change feed answered %u or a malformed page: will retry", status));
  {
    g_autofree char *cursor = sp_store_get_cursor (self->store);
    gboolean more = json_object_get_boolean_member_with_default (o, "has_more", FALSE);

    /* "More" from the same place again would loop for ever. */
    if (more && g_strcmp0 (cursor, next) == 0)
      return finish_run (self, g_error_new (SP_SYNC_ERROR, SP_SYNC_ERROR_SERVER,
                                            "the change feed does not advance: will retry"));
    apply_page (self, parser, json_node_get_array (items), next, more);
  }
}

static Outcome
on_changes_handler (SpSyncEngine  *self,
                    guint          status,
                    GBytes        *body,
                    SpOutboxEntry *entry,
                    GError       **error)
{
  on_changes (self, status, body);
  return OUTCOME_DONE;
}

static void
pull (SpSyncEngine *self)
{
  g_autofree char *cursor = sp_store_get_cursor (self->store);
  g_autofree char *escaped = g_uri_escape_string (cursor ? cursor : "", NULL, TRUE);
  g_autofree char *url = g_strdup_printf ("%s/v1/changes?limit=%d&cursor=%s", sp_central_client_get_base_url (self->client),
                                          PAGE, escaped);

  send (self, soup_message_new ("GET", url), on_changes_handler, NULL);
}

/* ---- waves ---- */

static void
wave_answered (SpSyncEngine *self,
               Outcome       outcome,
               GError       *error)
{
  if (outcome == OUTCOME_RETRY && self->wave_error == NULL)
    self->wave_error = error;
  else
    g_clear_error (&error);
  if (outcome == OUTCOME_RELOGIN)
    self->wave_relogin = TRUE;
  if (--self->wave_pending > 0)
    return;
  record_wave (self);
}

/* After the wave's record: stop on its first failure, log in again once
 * on a 401, or go on. */
static void
wave_decide (SpSyncEngine *self)
{
  if (self->wave_error != NULL)
    return finish_run (self, g_steal_pointer (&self->wave_error));
  if (self->wave_relogin)
    {
      self->wave_relogin = FALSE;
      if (self->relogged)
        return finish_run (self, g_error_new (SP_SYNC_ERROR, SP_SYNC_ERROR_SERVER,
                                              "central keeps refusing the session: will retry"));
      /* The token expired (8 h) or central restarted: log in again once. */
      self->relogged = TRUE;
      sp_central_client_logout (self->client);
    }
  step (self);
}

static void
on_wave_recorded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Write *b = g_task_get_task_data (G_TASK (result));
  g_autoptr(SpSyncEngine) self = g_weak_ref_get (&b->self);
  g_autoptr(GError) store_error = NULL;

  if (self == NULL)
    return;   /* its owner let it go: nothing more to do */

  if (!g_task_propagate_boolean (G_TASK (result), &store_error))
    {
      if (self->wave_error == NULL)
        self->wave_error = g_error_new (SP_SYNC_ERROR, SP_SYNC_ERROR_SERVER, "store: %s", store_error->message);
    }
  else if (b->done->len > 0)
    g_signal_emit (self, signals[SIGNAL_ISSUANCES_CHANGED], 0);
  wave_decide (self);
}

/* The whole wave is answered: record what central confirmed, then decide. */
static void
record_wave (SpSyncEngine *self)
{
  Write *b;

  if (stopped (self))
    {
      /* Central's answers are replayed for the same keys next time. */
      g_ptr_array_set_size (self->wave_done, 0);
      g_array_set_size (self->wave_status, 0);
    }
  if (self->wave_done->len == 0)
    return wave_decide (self);
  b = write_new (self);
  b->done = g_steal_pointer (&self->wave_done);
  b->statuses = g_steal_pointer (&self->wave_status);
  self->wave_done = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_outbox_entry_free);
  self->wave_status = g_array_new (FALSE, FALSE, sizeof (int));
  run_write (b, on_wave_recorded);
}

/* The next entries to send together: waiting entries in outbox order, an
 * attachment only when its issuance is not in the same wave (central
 * needs the issuance first). */
static GPtrArray *
next_wave (SpSyncEngine *self)
{
  g_autoptr(GPtrArray) candidates = sp_store_outbox_next_batch (self->store, WINDOW);
  g_autoptr(GHashTable) issuances = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *wave = g_ptr_array_new ();

  /* The hash table borrows targets from entries that stay alive in the
   * wave or in candidates until this function returns. */
  for (guint i = 0; i < candidates->len; i++)
    {
      SpOutboxEntry *entry = g_ptr_array_index (candidates, i);

      if (g_hash_table_contains (self->held, entry->target))
        continue;   /* the issuer is registering it on its own */
      if (entry->kind == SP_OUTBOX_KIND_ISSUANCE)
        g_hash_table_add (issuances, entry->target);
      else if (g_hash_table_contains (issuances, entry->target))
        continue;   /* next wave, once its issuance is in */
      g_ptr_array_add (wave, entry);
      candidates->pdata[i] = NULL;   /* the wave owns it now */
    }
  return wave;
}

static void
step (SpSyncEngine *self)
{
  g_autoptr(GPtrArray) wave = NULL;

  if (stopped (self))
    return finish_run (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "stopped"));
  if (!sp_central_client_is_logged_in (self->client))
    return login (self);
  /* An urgent registration is in flight: its commit and its request do
   * not queue behind a wave's answers, fsync and the feed. */
  if (self->paused > 0)
    {
      self->deferred = TRUE;
      return;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING]);
  wave = next_wave (self);
  if (wave->len == 0)
    return pull (self);
  self->wave_pending = wave->len;
  for (guint i = 0; i < wave->len; i++)
    {
      SpOutboxEntry *entry = g_ptr_array_index (wave, i);

      if (entry->kind == SP_OUTBOX_KIND_ISSUANCE)
        push_issuance (self, entry);
      else if (entry->kind == SP_OUTBOX_KIND_VOID)
        push_void (self, entry);
      else if (!push_attachment (self, entry))
        wave_answered (self, OUTCOME_PARKED, NULL);
    }
}

void
sp_sync_engine_sync_async (SpSyncEngine        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, sp_sync_engine_sync_async);
  if (self->running != NULL)
    {
      g_task_return_new_error (task, SP_SYNC_ERROR, SP_SYNC_ERROR_BUSY, "a synchronisation is running");
      return;
    }
  self->running = g_steal_pointer (&task);
  g_clear_object (&self->run_cancel);
  self->run_cancel = g_cancellable_new ();
  self->relogged = FALSE;
  self->resynced = FALSE;
  step (self);
}

gboolean
sp_sync_engine_sync_finish (SpSyncEngine *self,
                            GAsyncResult *result,
                            GError      **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- object ---- */

SpSyncEngine *
sp_sync_engine_new_for_client (SpStore         *store,
                               SpCentralClient *client)
{
  SpSyncEngine *self = g_object_new (SP_TYPE_SYNC_ENGINE, NULL);

  self->store = store;
  self->client = g_object_ref (client);
  /* A wave waits a minute at most; the issuer sets its own deadline. */
  sp_central_client_set_timeout (client, 60);
  return self;
}

SpSyncEngine *
sp_sync_engine_new (SpStore    *store,
                    const char *base_url)
{
  g_autoptr(SpCentralClient) client = sp_central_client_new (base_url);

  return sp_sync_engine_new_for_client (store, client);
}

SpCentralClient *
sp_sync_engine_get_client (SpSyncEngine *self)
{
  return self->client;
}

static void
wipe_password (SpSyncEngine *self)
{
  if (self->password != NULL)
    {
      sodium_memzero (self->password, strlen (self->password));
      sodium_free (self->password);
      self->password = NULL;
    }
}

void
sp_sync_engine_hold (SpSyncEngine *self,
                     const char   *issuance_id)
{
  g_hash_table_add (self->held, g_strdup (issuance_id));
}

void
sp_sync_engine_pause (SpSyncEngine *self)
{
  self->paused++;
}

void
sp_sync_engine_resume (SpSyncEngine *self)
{
  g_return_if_fail (self->paused > 0);
  if (--self->paused > 0 || !self->deferred)
    return;
  self->deferred = FALSE;
  step (self);
}

void
sp_sync_engine_release (SpSyncEngine *self,
                        const char   *issuance_id)
{
  if (g_hash_table_remove (self->held, issuance_id))
    sp_sync_engine_kick (self);
}

void
sp_sync_engine_set_credentials (SpSyncEngine *self,
                                const char   *username,
                                const char   *password,
                                const char   *workstation)
{
  g_free (self->username);
  self->username = g_strdup (username);
  wipe_password (self);
  if (password != NULL)
    {
      self->password = sodium_malloc (strlen (password) + 1);
      memcpy (self->password, password, strlen (password) + 1);
    }
  g_free (self->workstation);
  self->workstation = g_strdup (workstation);
  sp_central_client_logout (self->client);
}

void
sp_sync_engine_set_timeout (SpSyncEngine *self,
                            guint         seconds)
{
  sp_central_client_set_timeout (self->client, seconds);
}

static void
on_auto_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The state properties say how it went; the next run is planned. */
  sp_sync_engine_sync_finish (SP_SYNC_ENGINE (source), result, &error);
}

static gboolean
on_timer (gpointer user_data)
{
  SpSyncEngine *self = user_data;

  self->timer = 0;
  if (self->running == NULL)
    sp_sync_engine_sync_async (self, NULL, on_auto_done, NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule (SpSyncEngine *self,
          guint         delay_ms)
{
  g_clear_handle_id (&self->timer, g_source_remove);
  self->timer = g_timeout_add (delay_ms, on_timer, self);
}

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    gpointer         user_data)
{
  SpSyncEngine *self = user_data;

  /* Back on the network: try now rather than at the end of a backoff. */
  if (available)
    schedule (self, 0);
}

void
sp_sync_engine_start (SpSyncEngine *self,
                      guint         interval_s,
                      guint         base_ms,
                      guint         cap_ms)
{
  self->automatic = TRUE;
  self->interval_s = MAX (interval_s, 1);
  self->base_ms = MAX (base_ms, 1);
  self->cap_ms = MAX (cap_ms, base_ms);
  if (self->network_handler == 0)
    self->network_handler = g_signal_connect_object (g_network_monitor_get_default (), "network-changed",
                                                     G_CALLBACK (on_network_changed), self, 0);
  schedule (self, 0);
}

/* A write still going on a worker thread uses the store, which the
 * engine's owner may close once the engine is stopped: a commit's wait. */
static void
wait_writes (SpSyncEngine *self)
{
  g_mutex_lock (&self->io_lock);
  while (self->io_pending > 0)
    g_cond_wait (&self->io_cond, &self->io_lock);
  g_mutex_unlock (&self->io_lock);
}

void
sp_sync_engine_stop (SpSyncEngine *self)
{
  self->automatic = FALSE;
  self->kicked = FALSE;
  /* The run going ends without touching the store again. */
  if (self->running != NULL)
    g_cancellable_cancel (self->run_cancel);
  /* A run waiting for a pause has no callback to come: it ends here. */
  if (self->deferred)
    {
      self->deferred = FALSE;
      step (self);
    }
  wait_writes (self);
  g_clear_handle_id (&self->timer, g_source_remove);
  stop_probing (self);
  g_clear_signal_handler (&self->network_handler, g_network_monitor_get_default ());
}

void
sp_sync_engine_kick (SpSyncEngine *self)
{
  if (self->automatic && self->running == NULL)
    schedule (self, 0);
  else if (self->automatic)
    self->kicked = TRUE;
}

gboolean
sp_sync_engine_set_ca_file (SpSyncEngine *self,
                            const char   *path,
                            GError      **error)
{
  return sp_central_client_set_ca_file (self->client, path, error);
}

gboolean
sp_sync_engine_get_online (SpSyncEngine *self)
{
  return self->online;
}

const char *
sp_sync_engine_get_last_error (SpSyncEngine *self)
{
  return self->last_error;
}

GDateTime *
sp_sync_engine_corrected_now (SpSyncEngine *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_add (now, self->clock_skew_ms * 1000);
}

gint64
sp_sync_engine_get_clock_skew_ms (SpSyncEngine *self)
{
  return self->clock_skew_ms;
}

static void
sp_sync_engine_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SpSyncEngine *self = SP_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PROP_WAITING:
      g_value_set_int64 (value, sp_store_outbox_waiting (self->store));
      break;
    case PROP_ATTENTION:
      g_value_set_int64 (value, sp_store_outbox_attention (self->store));
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_LAST_SUCCESS:
      g_value_set_int64 (value, self->last_success);
      break;
    case PROP_CLOCK_SKEW_MS:
      g_value_set_int64 (value, self->clock_skew_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_sync_engine_finalize (GObject *object)
{
  SpSyncEngine *self = SP_SYNC_ENGINE (object);

  sp_sync_engine_stop (self);
  g_mutex_clear (&self->io_lock);
  g_cond_clear (&self->io_cond);
  g_clear_object (&self->client);
  g_clear_object (&self->run_cancel);
  g_free (self->username);
  wipe_password (self);
  g_free (self->workstation);
  g_clear_pointer (&self->held, g_hash_table_unref);
  g_free (self->last_error);
  g_clear_error (&self->wave_error);
  g_clear_pointer (&self->wave_done, g_ptr_array_unref);
  g_clear_pointer (&self->wave_status, g_array_unref);
  G_OBJECT_CLASS (sp_sync_engine_parent_class)->finalize (object);
}

static void
sp_sync_engine_class_init (SpSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = sp_sync_engine_get_property;
  object_class->finalize = sp_sync_engine_finalize;
  properties[PROP_ONLINE] = g_param_spec_boolean ("online", NULL, NULL, FALSE, ro);
  properties[PROP_WAITING] = g_param_spec_int64 ("waiting", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_ATTENTION] = g_param_spec_int64 ("attention", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  properties[PROP_LAST_SUCCESS] = g_param_spec_int64 ("last-success", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_CLOCK_SKEW_MS] = g_param_spec_int64 ("clock-skew-ms", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Central's answers changed issuances in the store (confirmed by a
   * wave, or told by the change feed): the screens read them again. */
  signals[SIGNAL_ISSUANCES_CHANGED] =
    g_signal_new ("issuances-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sp_sync_engine_init (SpSyncEngine *self)
{
  self->held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_mutex_init (&self->io_lock);
  g_cond_init (&self->io_cond);
  self->wave_done = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_outbox_entry_free);
  self->wave_status = g_array_new (FALSE, FALSE, sizeof (int));
}
