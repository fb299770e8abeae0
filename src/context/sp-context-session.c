/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-context"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-context-private.h"

/* ---- log in ---- */

typedef struct {
  char *username;
  char *password;      /* locked memory, wiped as soon as the verifier is made */
  SpOperator *op;
  gboolean offline;
} Login;

static void
login_free (Login *l)
{
  g_free (l->username);
  sp_context_secret_free (l->password);
  sp_operator_free (l->op);
  g_free (l);
}

static void
wipe_password (Login *l)
{
  g_clear_pointer (&l->password, sp_context_secret_free);
}

/* Argon2id, 64 MiB: on the database thread, never on the GTK one. */
static void
remember_operator (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  SpContext *self = source;
  Login *l = task_data;
  g_autoptr(GError) error = NULL;

  /* Without it only the offline login is lost, not this session. */
  if (!sp_store_remember_operator (self->store, l->op->id, l->password, l->op->name, l->op->role,
                                   l->op->sede, &error))
    g_warning ("the offline login verifier could not be saved: %s", error->message);
  wipe_password (l);
  g_task_return_boolean (task, TRUE);
}

static void
offline_login (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SpContext *self = source;
  Login *l = task_data;
  g_autofree char *name = NULL;
  g_autofree char *role = NULL;
  g_autofree char *sede = NULL;
  gboolean ok = sp_store_offline_login (self->store, l->username, l->password,
                                        (gint64) self->offline_login_hours * 3600, &name, &role, &sede);

  wipe_password (l);
  if (!ok)
    return g_task_return_new_error (task, SP_CONTEXT_ERROR, SP_CONTEXT_ERROR_CREDENTIALS,
                                    _("Central cannot be reached, and this workstation cannot log you in "
                                      "offline: wrong password, or no online login in the last %u hours."),
                                    self->offline_login_hours);
  l->op = sp_operator_new (l->username, name, role, sede);
  l->offline = TRUE;
  g_task_return_boolean (task, TRUE);
}

static void
on_logged_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SpContext *self = g_task_get_source_object (task);
  Login *l = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  l->op = sp_central_client_login_finish (SP_CENTRAL_CLIENT (source), result, &error);
  if (l->op != NULL)
    return sp_context_db_run (self, task, remember_operator);
  if (g_error_matches (error, SP_SYNC_ERROR, SP_SYNC_ERROR_UNREACHABLE)
      || g_error_matches (error, SP_SYNC_ERROR, SP_SYNC_ERROR_SERVER))
    return sp_context_db_run (self, task, offline_login);
  wipe_password (l);
  if (g_error_matches (error, SP_SYNC_ERROR, SP_SYNC_ERROR_CREDENTIALS))
    return g_task_return_new_error (task, SP_CONTEXT_ERROR, SP_CONTEXT_ERROR_CREDENTIALS,
                                    _("Wrong username or password."));
  g_task_return_error (task, g_steal_pointer (&error));
}

void
sp_context_log_in_async (SpContext           *self,
                         const char          *username,
                         const char          *password,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Login *l = g_new0 (Login, 1);

  g_task_set_source_tag (task, sp_context_log_in_async);
  l->username = g_strdup (username);
  l->password = sp_context_secret_dup (password);
  g_task_set_task_data (task, l, (GDestroyNotify) login_free);
  if (self->op != NULL)
    sp_context_log_out (self);
  sp_central_client_login_async (self->client, username, password, self->workstation, cancellable,
                                 on_logged_in, task);
}

gboolean
sp_context_log_in_finish (SpContext     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  Login *l = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (self->sede_code != NULL && *self->sede_code != '\0' && g_strcmp0 (l->op->sede, self->sede_code) != 0)
    {
      sp_central_client_logout (self->client);
      g_set_error (error, SP_CONTEXT_ERROR, SP_CONTEXT_ERROR_WRONG_SEDE,
                   _("This workstation belongs to sede %s and you to sede %s: log in at a workstation "
                     "of your sede, or change the sede code in Preferences."), self->sede_code, l->op->sede);
      return FALSE;
    }
  sp_context_set_session (self, l->op, l->offline);
  return TRUE;
}

/* ---- citizens: the cache, then central, written back ---- */

void
sp_citizen_lookup_free (SpCitizenLookup *lookup)
{
  if (lookup == NULL)
    return;
  sp_person_free (lookup->person);
  g_clear_pointer (&lookup->record, json_object_unref);
  g_clear_error (&lookup->central_error);
  g_free (lookup);
}

typedef struct {
  char *cf;
  SpCitizenLookup *found;
} Lookup;

static void
lookup_free (Lookup *l)
{
  g_free (l->cf);
  sp_citizen_lookup_free (l->found);
  g_free (l);
}

static void
write_back (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  SpContext *self = source;
  Lookup *l = task_data;
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  /* Kept in the cache: the next lookup works offline too. A failure
   * costs only that. */
  g_ptr_array_add (one, l->found->person);
  if (!sp_store_put_citizens (self->store, one, &error))
    g_warning ("the citizen could not be cached: %s", error->message);
  g_task_return_pointer (task, g_steal_pointer (&l->found), (GDestroyNotify) sp_citizen_lookup_free);
}

static void
read_cache (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  SpContext *self = source;
  Lookup *l = task_data;

  l->found->person = sp_store_find_citizen (self->store, l->cf);
  l->found->from_cache = l->found->person != NULL;
  g_task_return_pointer (task, g_steal_pointer (&l->found), (GDestroyNotify) sp_citizen_lookup_free);
}

static void
on_record (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SpContext *self = g_task_get_source_object (task);
  Lookup *l = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  JsonObject *record = sp_central_client_get_citizen_finish (SP_CENTRAL_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_task_return_error (task, g_steal_pointer (&error));
  l->found = g_new0 (SpCitizenLookup, 1);
  if (record != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), record);

      l->found->record = record;
      l->found->person = sp_person_from_json (node, "citizen", NULL);
      if (l->found->person != NULL)
        return sp_context_db_run (self, task, write_back);
      return g_task_return_pointer (task, g_steal_pointer (&l->found), (GDestroyNotify) sp_citizen_lookup_free);
    }
  l->found->central_error = g_steal_pointer (&error);
  sp_context_db_run (self, task, read_cache);
}

void
sp_context_look_up_citizen_async (SpContext           *self,
                                  const char          *cf,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Lookup *l = g_new0 (Lookup, 1);

  g_task_set_source_tag (task, sp_context_look_up_citizen_async);
  l->cf = g_strdup (cf);
  g_task_set_task_data (task, l, (GDestroyNotify) lookup_free);
  sp_central_client_get_citizen_async (self->client, cf, cancellable, on_record, g_steal_pointer (&task));
}

SpCitizenLookup *
sp_context_look_up_citizen_finish (SpContext     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
history (GTask        *task,
         gpointer      source,
         gpointer      task_data,
         GCancellable *cancellable)
{
  SpContext *self = source;
  GError *error = NULL;
  GPtrArray *rows = sp_store_list_issuances_of_citizen (self->store, task_data, 0, &error);

  if (rows == NULL)
    return g_task_return_error (task, error);
  g_task_return_pointer (task, rows, (GDestroyNotify) g_ptr_array_unref);
}

void
sp_context_history_async (SpContext           *self,
                          const char          *cf,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_task_data (task, g_strdup (cf), g_free);
  sp_context_db_run (self, task, history);
}

GPtrArray *
sp_context_history_finish (SpContext     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- audit ---- */

typedef struct {
  char *actor;
  char *action;
  char *subject;
  char *detail;
} Event;

static void
event_free (Event *e)
{
  g_free (e->actor);
  g_free (e->action);
  g_free (e->subject);
  g_free (e->detail);
  g_free (e);
}

static void
record_event (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SpContext *self = source;
  Event *e = task_data;
  GError *error = NULL;

  if (!sp_store_record_event (self->store, e->actor, e->action, e->subject, e->detail, &error))
    return g_task_return_error (task, error);
  g_task_return_boolean (task, TRUE);
}

void
sp_context_record_event_async (SpContext           *self,
                               const char          *action,
                               const char          *subject,
                               const char          *detail,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Event *e = g_new0 (Event, 1);

  g_task_set_source_tag (task, sp_context_record_event_async);
  /* Who was at the counter when it happened, not when it is written. */
  e->actor = g_strdup (self->op ? self->op->id : "?");
  e->action = g_strdup (action);
  e->subject = g_strdup (subject);
  e->detail = g_strdup (detail);
  g_task_set_task_data (task, e, (GDestroyNotify) event_free);
  sp_context_db_run (self, task, record_event);
}

gboolean
sp_context_record_event_finish (SpContext     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- four eyes ---- */

static void
on_requested (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SpContext *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autofree char *id = sp_central_client_request_revocation_finish (SP_CENTRAL_CLIENT (source), result, &error);
  g_autoptr(GError) audit_error = NULL;

  if (id == NULL)
    return g_task_return_error (task, error);
  /* Central audits it too; the workstation's chain says who asked here. */
  if (!sp_store_record_event (self->store, self->op ? self->op->id : "?", "revocation.requested",
                              g_task_get_task_data (task), id, &audit_error))
    g_warning ("revocation request %s not audited locally: %s", id, audit_error->message);
  g_task_return_pointer (task, g_steal_pointer (&id), g_free);
}

void
sp_context_request_revocation_async (SpContext           *self,
                                     const char          *cf,
                                     const char          *reason,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, sp_context_request_revocation_async);
  g_task_set_task_data (task, g_strdup (cf), g_free);
  if (self->op == NULL)
    return g_task_return_new_error (task, SP_CONTEXT_ERROR, SP_CONTEXT_ERROR_NOT_LOGGED_IN,
                                    _("Nobody is logged in."));
  sp_central_client_request_revocation_async (self->client, cf, reason, cancellable, on_requested,
                                              g_steal_pointer (&task));
}

char *
sp_context_request_revocation_finish (SpContext     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct {
  char *cf;
  char *actor;     /* the operator who was at the counter: he may log out meanwhile */
  char *supervisor;
} Approve;

static void
approve_free (Approve *a)
{
  g_free (a->cf);
  g_free (a->actor);
  g_free (a->supervisor);
  g_free (a);
}

static void
on_approved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SpContext *self = g_task_get_source_object (task);
  Approve *a = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonObject) o = sp_central_client_approve_revocation_finish (SP_CENTRAL_CLIENT (source), result, &error);
  g_autoptr(GError) audit_error = NULL;

  if (o == NULL)
    return g_task_return_error (task, error);
  if (!sp_store_record_event (self->store, a->actor, "pin.revoked", a->cf, a->supervisor, &audit_error))
    g_warning ("revocation of %s not audited locally: %s", a->cf, audit_error->message);
  g_task_return_boolean (task, TRUE);
}

void
sp_context_approve_revocation_async (SpContext           *self,
                                     const char          *request_id,
                                     const char          *cf,
                                     const char          *supervisor,
                                     const char          *password,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Approve *a = g_new0 (Approve, 1);

  g_task_set_source_tag (task, sp_context_approve_revocation_async);
  a->cf = g_strdup (cf);
  a->actor = g_strdup (self->op ? self->op->id : "?");
  a->supervisor = g_strdup (supervisor);
  g_task_set_task_data (task, a, (GDestroyNotify) approve_free);
  sp_central_client_approve_revocation_async (self->client, request_id, supervisor, password, cancellable,
                                              on_approved, task);
}

gboolean
sp_context_approve_revocation_finish (SpContext     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- drafts ---- */

typedef struct {
  char *operator_id;
  char *json;          /* NULL: delete (unless it is a scan) */
  gboolean scan;       /* one of the draft's scans: kind, pdf (NULL: remove), pages */
  SpAttachmentKind kind;
  GBytes *pdf;
  guint pages;
} Draft;

static void
draft_free (Draft *d)
{
  g_free (d->operator_id);
  g_free (d->json);
  g_clear_pointer (&d->pdf, g_bytes_unref);
  g_free (d);
}

static void
write_draft (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SpContext *self = source;
  Draft *d = task_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = d->scan ? sp_store_save_draft_scan (self->store, d->operator_id, d->kind, d->pdf, d->pages, &error)
                : d->json ? sp_store_save_draft (self->store, d->operator_id, d->json, &error)
                : sp_store_delete_draft (self->store, d->operator_id, &error);

  if (!ok)
    g_message ("the draft of %s could not be written: %s", d->operator_id, error->message);
  g_task_return_boolean (task, ok);
}

/* In order on the one database thread: a scan saved before a delete
 * is deleted with the draft. */
static void
queue_draft (SpContext *self,
             Draft     *d)
{
  g_autoptr(GTask) task = NULL;

  if (self->op == NULL)
    return draft_free (d);
  task = g_task_new (self, NULL, NULL, NULL);
  d->operator_id = g_strdup (self->op->id);
  g_task_set_task_data (task, d, (GDestroyNotify) draft_free);
  sp_context_db_run (self, task, write_draft);
}

void
sp_context_save_draft (SpContext  *self,
                       const char *json)
{
  Draft *d = g_new0 (Draft, 1);

  d->json = g_strdup (json);
  queue_draft (self, d);
}

void
sp_context_delete_draft (SpContext *self)
{
  queue_draft (self, g_new0 (Draft, 1));
}

void
sp_context_save_draft_scan (SpContext        *self,
                            SpAttachmentKind  kind,
                            GBytes           *pdf,
                            guint             pages)
{
  Draft *d = g_new0 (Draft, 1);

  d->scan = TRUE;
  d->kind = kind;
  d->pdf = pdf ? g_bytes_ref (pdf) : NULL;
  d->pages = pages;
  queue_draft (self, d);
}

GPtrArray *
sp_context_load_draft_scans (SpContext *self)
{
  if (self->op == NULL)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) sp_store_draft_scan_free);
  return sp_store_load_draft_scans (self->store, self->op->id);
}

char *
sp_context_load_draft (SpContext *self)
{
  return self->op ? sp_store_load_draft (self->store, self->op->id) : NULL;
}
