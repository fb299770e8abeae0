/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-context"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "sp-context-private.h"

G_DEFINE_QUARK (sp-context-error-quark, sp_context_error)

G_DEFINE_FINAL_TYPE (SpContext, sp_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_OPERATOR,
  PROP_ONLINE,
  PROP_ALLOW_OFFLINE_ISSUANCE,
  PROP_ISSUE_TIMEOUT_MS,
  PROP_OFFLINE_LOGIN_HOURS,
  PROP_SYNC_INTERVAL_SECONDS,
  PROP_SEDE_CODE,
  PROP_CENTRAL_REACHABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ISSUANCES_CHANGED,
  SIGNAL_SYNC_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- the database thread ---- */

typedef struct {
  GTask *task;
  GTaskThreadFunc func;
} DbJob;

static void
db_worker (gpointer data,
           gpointer user_data)
{
  DbJob *job = data;

  job->func (job->task, g_task_get_source_object (job->task), g_task_get_task_data (job->task),
             g_task_get_cancellable (job->task));
  g_object_unref (job->task);
  g_free (job);
}

void
sp_context_db_run (SpContext       *self,
                   GTask           *task,
                   GTaskThreadFunc  func)
{
  DbJob *job = g_new0 (DbJob, 1);

  job->task = g_object_ref (task);
  job->func = func;
  g_thread_pool_push (self->db, job, NULL);
}

/* ---- secrets ---- */

char *
sp_context_secret_dup (const char *text)
{
  gsize len = strlen (text);
  char *copy = sodium_malloc (len + 1);

  memcpy (copy, text, len + 1);
  return copy;
}

void
sp_context_secret_free (char *secret)
{
  if (secret == NULL)
    return;
  sodium_memzero (secret, strlen (secret));
  sodium_free (secret);
}

/* ---- object ---- */

static void
on_engine_changed (SpContext *self)
{
  g_signal_emit (self, signals[SIGNAL_ISSUANCES_CHANGED], 0);
}

static void
on_engine_state (SpContext  *self,
                 GParamSpec *pspec)
{
  /* Not clock-skew-ms or last-success, told at every answer. */
  if (g_str_equal (pspec->name, "online"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
  if (g_str_equal (pspec->name, "online") || g_str_equal (pspec->name, "waiting")
      || g_str_equal (pspec->name, "attention") || g_str_equal (pspec->name, "last-error"))
    g_signal_emit (self, signals[SIGNAL_SYNC_CHANGED], 0);
}

static gboolean
make_backend (SpContext  *self,
              const char *url,
              GError    **error)
{
  g_autoptr(SpCentralClient) client = sp_central_client_new (url);

  if (self->central_url != url)
    {
      g_free (self->central_url);
      self->central_url = g_strdup (url);
    }
  if (self->ca_file != NULL && *self->ca_file != '\0'
      && !sp_central_client_set_ca_file (client, self->ca_file, error))
    return FALSE;
  if (self->engine != NULL)
    {
      sp_sync_engine_stop (self->engine);
      g_signal_handlers_disconnect_by_data (self->engine, self);
      g_clear_object (&self->engine);
    }
  g_set_object (&self->client, client);
  self->engine = sp_sync_engine_new_for_client (self->store, client);
  /* The lookups and waves; the issuance has its own deadline. */
  sp_central_client_set_timeout (client, 10);
  g_signal_connect_swapped (self->engine, "issuances-changed", G_CALLBACK (on_engine_changed), self);
  g_signal_connect_swapped (self->engine, "notify", G_CALLBACK (on_engine_state), self);
  return TRUE;
}

SpContext *
sp_context_new (const char  *store_dir,
                const char  *central_url,
                const char  *ca_file,
                const char  *workstation,
                GError     **error)
{
  g_autoptr(SpContext) self = g_object_new (SP_TYPE_CONTEXT, NULL);

  self->store = sp_store_open (store_dir, error);
  if (self->store == NULL)
    return NULL;
  self->ca_file = g_strdup (ca_file);
  self->workstation = g_strdup (workstation ? workstation : g_get_host_name ());
  if (!make_backend (self, central_url, error))
    return NULL;
  return g_steal_pointer (&self);
}

const SpOperator *
sp_context_get_operator (SpContext *self)
{
  return self->op;
}

gboolean
sp_context_get_offline_session (SpContext *self)
{
  return self->offline_session;
}

gboolean
sp_context_get_central_reachable (SpContext *self)
{
  return self->central_reachable;
}

void
sp_context_set_reachable (SpContext *self,
                          gboolean   reachable)
{
  if (self->central_reachable == reachable)
    return;
  self->central_reachable = reachable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CENTRAL_REACHABLE]);
  g_signal_emit (self, signals[SIGNAL_SYNC_CHANGED], 0);
}

gboolean
sp_context_get_online (SpContext *self)
{
  return sp_sync_engine_get_online (self->engine);
}

const char *
sp_context_get_workstation (SpContext *self)
{
  return self->workstation;
}

const char *
sp_context_get_central_url (SpContext *self)
{
  return self->central_url;
}

gboolean
sp_context_set_central_url (SpContext  *self,
                            const char *url)
{
  g_autoptr(GError) error = NULL;

  g_free (self->pending_url);
  self->pending_url = NULL;
  if (g_strcmp0 (url, self->central_url) == 0)
    return TRUE;
  if (self->op != NULL)
    {
      /* A session belongs to one central: the next login uses the new one. */
      self->pending_url = g_strdup (url);
      return FALSE;
    }
  if (!make_backend (self, url, &error))
    g_warning ("central %s cannot be used: %s", url, error->message);
  return TRUE;
}

gboolean
sp_context_set_ca_file (SpContext  *self,
                        const char *path)
{
  g_autofree char *url = g_strdup (self->pending_url ? self->pending_url : self->central_url);

  if (g_strcmp0 (path, self->ca_file) == 0)
    return TRUE;
  g_free (self->ca_file);
  self->ca_file = g_strdup (path);
  /* The client is made again with it, now or at the next login. */
  g_clear_pointer (&self->central_url, g_free);
  return sp_context_set_central_url (self, url);
}

SpStore *
sp_context_get_store (SpContext *self)
{
  return self->store;
}

SpSyncEngine *
sp_context_get_engine (SpContext *self)
{
  return self->engine;
}

void
sp_context_set_session (SpContext        *self,
                        const SpOperator *op,
                        gboolean          offline)
{
  sp_operator_free (self->op);
  self->op = sp_operator_copy (op);
  self->offline_session = offline;
  self->central_reachable = FALSE;
  sp_sync_engine_start (self->engine, self->sync_interval_s, 1000, 60000);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPERATOR]);
  sp_context_probe_central (self);
}

void
sp_context_log_out (SpContext *self)
{
  if (self->op == NULL)
    return;
  sp_context_discard_prepared (self);
  sp_sync_engine_stop (self->engine);
  sp_central_client_logout (self->client);
  g_clear_pointer (&self->op, sp_operator_free);
  self->offline_session = FALSE;
  g_clear_handle_id (&self->probe_timer, g_source_remove);
  sp_context_set_reachable (self, FALSE);
  if (self->pending_url != NULL)
    {
      g_autofree char *url = g_steal_pointer (&self->pending_url);

      sp_context_set_central_url (self, url);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPERATOR]);
}

static void
sp_context_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SpContext *self = SP_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_OPERATOR:
      g_value_set_string (value, self->op ? self->op->id : NULL);
      break;
    case PROP_ONLINE:
      g_value_set_boolean (value, self->engine && sp_sync_engine_get_online (self->engine));
      break;
    case PROP_ALLOW_OFFLINE_ISSUANCE:
      g_value_set_boolean (value, self->allow_offline);
      break;
    case PROP_ISSUE_TIMEOUT_MS:
      g_value_set_uint (value, self->issue_timeout_ms);
      break;
    case PROP_OFFLINE_LOGIN_HOURS:
      g_value_set_uint (value, self->offline_login_hours);
      break;
    case PROP_SYNC_INTERVAL_SECONDS:
      g_value_set_uint (value, self->sync_interval_s);
      break;
    case PROP_SEDE_CODE:
      g_value_set_string (value, self->sede_code);
      break;
    case PROP_CENTRAL_REACHABLE:
      g_value_set_boolean (value, self->central_reachable);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_context_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SpContext *self = SP_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_ALLOW_OFFLINE_ISSUANCE:
      self->allow_offline = g_value_get_boolean (value);
      break;
    case PROP_ISSUE_TIMEOUT_MS:
      self->issue_timeout_ms = g_value_get_uint (value);
      break;
    case PROP_OFFLINE_LOGIN_HOURS:
      self->offline_login_hours = g_value_get_uint (value);
      break;
    case PROP_SYNC_INTERVAL_SECONDS:
      self->sync_interval_s = g_value_get_uint (value);
      /* At once: the running engine takes the new interval. */
      if (self->op != NULL && self->engine != NULL)
        sp_sync_engine_start (self->engine, self->sync_interval_s, 1000, 60000);
      break;
    case PROP_SEDE_CODE:
      g_free (self->sede_code);
      self->sede_code = g_strdup (g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_object_notify_by_pspec (object, pspec);
}

static void
sp_context_dispose (GObject *object)
{
  SpContext *self = SP_CONTEXT (object);

  if (self->engine != NULL)
    {
      sp_sync_engine_stop (self->engine);
      g_signal_handlers_disconnect_by_data (self->engine, self);
    }
  g_clear_handle_id (&self->probe_timer, g_source_remove);
  G_OBJECT_CLASS (sp_context_parent_class)->dispose (object);
}

static void
sp_context_finalize (GObject *object)
{
  SpContext *self = SP_CONTEXT (object);

  /* Jobs hold the context: none is left when it finalizes. */
  g_thread_pool_free (self->db, FALSE, TRUE);
  g_clear_pointer (&self->ready_pin, sp_pin_free);
  g_free (self->ready_verifier);
  g_clear_object (&self->engine);
  g_clear_object (&self->client);
  g_clear_pointer (&self->store, sp_store_close);
  sp_operator_free (self->op);
  g_free (self->workstation);
  g_free (self->central_url);
  g_free (self->pending_url);
  g_free (self->ca_file);
  g_free (self->sede_code);
  G_OBJECT_CLASS (sp_context_parent_class)->finalize (object);
}

static void
sp_context_class_init (SpContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = sp_context_get_property;
  object_class->set_property = sp_context_set_property;
  object_class->dispose = sp_context_dispose;
  object_class->finalize = sp_context_finalize;

  /* The logged-in operator's id, NULL when nobody is. */
  properties[PROP_OPERATOR] = g_param_spec_string ("operator", NULL, NULL, NULL, ro);
  properties[PROP_ONLINE] = g_param_spec_boolean ("online", NULL, NULL, FALSE, ro);
  /* Bound to the GSettings keys of the same names by the app: a change
   * applies to the next issuance, login or run. */
  properties[PROP_ALLOW_OFFLINE_ISSUANCE] =
    g_param_spec_boolean ("allow-offline-issuance", NULL, NULL, TRUE, rw);
  properties[PROP_ISSUE_TIMEOUT_MS] =
    g_param_spec_uint ("issue-timeout-ms", NULL, NULL, 100, 600000, 10000, rw);
  properties[PROP_OFFLINE_LOGIN_HOURS] =
    g_param_spec_uint ("offline-login-hours", NULL, NULL, 0, 24 * 365, 72, rw);
  properties[PROP_SYNC_INTERVAL_SECONDS] =
    g_param_spec_uint ("sync-interval-seconds", NULL, NULL, 1, 86400, 30, rw);
  /* The workstation's sede; when set, only its operators log in here. */
  properties[PROP_SEDE_CODE] = g_param_spec_string ("sede-code", NULL, NULL, NULL, rw);
  /* Offline session only: central answers again (see reauthenticate). */
  properties[PROP_CENTRAL_REACHABLE] = g_param_spec_boolean ("central-reachable", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Some issuance's status changed in the store (central confirmed it,
   * or the change feed told): screens read theirs again. */
  signals[SIGNAL_ISSUANCES_CHANGED] =
    g_signal_new ("issuances-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The sync engine's state changed (online, waiting, attention, last
   * error): the header reads sp_context_get_engine () again. */
  signals[SIGNAL_SYNC_CHANGED] =
    g_signal_new ("sync-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sp_context_init (SpContext *self)
{
  /* One thread: SQLite has one writer, and every fsync commit happens
   * here instead of on the GTK main loop. */
  self->db = g_thread_pool_new (db_worker, self, 1, TRUE, NULL);
  self->allow_offline = TRUE;
  self->issue_timeout_ms = 10000;
  self->offline_login_hours = 72;
  self->sync_interval_s = 30;
}
