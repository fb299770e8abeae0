/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The search verb: citizens by surname, at central first, written back
 * to the cache; the cache when central fails or is slow (issue 15). */
#define G_LOG_DOMAIN "sp-context"

#include "config.h"

#include "sp-context-private.h"

void
sp_citizen_search_free (SpCitizenSearch *search)
{
  if (search == NULL)
    return;
  g_clear_pointer (&search->found, g_ptr_array_unref);
  g_clear_error (&search->central_error);
  g_free (search);
}

typedef struct {
  char *surname;
  char *name;
  guint limit;
  GCancellable *deadline;   /* cancelled by the caller or after the timeout */
  guint timeout_id;
  GCancellable *caller;     /* nullable */
  gulong cancelled_id;
  SpCitizenSearch *result;
} Search;

static void
search_free (Search *s)
{
  g_clear_handle_id (&s->timeout_id, g_source_remove);
  if (s->caller != NULL)
    g_cancellable_disconnect (s->caller, s->cancelled_id);
  g_clear_object (&s->caller);
  g_free (s->surname);
  g_free (s->name);
  g_clear_object (&s->deadline);
  sp_citizen_search_free (s->result);
  g_free (s);
}

static void
return_result (GTask *task)
{
  Search *s = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&s->result), (GDestroyNotify) sp_citizen_search_free);
}

static void
read_cache (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  SpContext *self = source;
  Search *s = task_data;
  g_autoptr(GPtrArray) persons = sp_store_search_citizens (self->store, s->surname, s->name, s->limit);

  s->result->from_cache = TRUE;
  for (guint i = 0; i < persons->len; i++)
    {
      SpCitizenLookup *one = g_new0 (SpCitizenLookup, 1);

      one->person = g_steal_pointer (&persons->pdata[i]);
      one->from_cache = TRUE;
      g_ptr_array_add (s->result->found, one);
    }
  return_result (task);
}

static void
write_back (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  SpContext *self = source;
  Search *s = task_data;
  g_autoptr(GPtrArray) persons = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  /* Kept: the same search works offline next time. A failure costs only that. */
  for (guint i = 0; i < s->result->found->len; i++)
    g_ptr_array_add (persons, ((SpCitizenLookup *) g_ptr_array_index (s->result->found, i))->person);
  if (persons->len > 0 && !sp_store_put_citizens (self->store, persons, &error))
    g_warning ("the citizens found could not be cached: %s", error->message);
  return_result (task);
}

/* Central's items as lookups; an item that is not a person is skipped
 * (central is trusted, but its answer is still parsed as input). */
static void
take_items (SpCitizenSearch *result,
            JsonObject      *answer)
{
  JsonNode *items = json_object_get_member (answer, "items");
  JsonArray *array = items && JSON_NODE_HOLDS_ARRAY (items) ? json_node_get_array (items) : NULL;

  result->more = json_object_get_boolean_member_with_default (answer, "more", FALSE);
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      SpPerson *person = JSON_NODE_HOLDS_OBJECT (node) ? sp_person_from_json (node, "citizen", NULL) : NULL;
      SpCitizenLookup *one;

      if (person == NULL)
        continue;
      one = g_new0 (SpCitizenLookup, 1);
      one->person = person;
      one->record = json_object_ref (json_node_get_object (node));
      g_ptr_array_add (result->found, one);
    }
}

static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SpContext *self = g_task_get_source_object (task);
  Search *s = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = sp_central_client_search_citizens_finish (SP_CENTRAL_CLIENT (source), result,
                                                                          &error);

  g_clear_handle_id (&s->timeout_id, g_source_remove);
  if (g_task_return_error_if_cancelled (task))
    return;
  if (answer != NULL)
    {
      take_items (s->result, answer);
      return sp_context_db_run (self, task, write_back);
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error (&s->result->central_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "central did not answer in time");
  else
    s->result->central_error = g_steal_pointer (&error);
  sp_context_db_run (self, task, read_cache);
}

static gboolean
on_deadline (gpointer user_data)
{
  Search *s = user_data;

  s->timeout_id = 0;
  g_cancellable_cancel (s->deadline);
  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled (GCancellable *cancellable,
                     GCancellable *deadline)
{
  g_cancellable_cancel (deadline);
}

void
sp_context_search_async (SpContext           *self,
                         const char          *surname,
                         const char          *name,
                         guint                limit,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Search *s;

  g_return_if_fail (SP_IS_CONTEXT (self));
  task = g_task_new (self, cancellable, callback, user_data);
  s = g_new0 (Search, 1);
  g_task_set_source_tag (task, sp_context_search_async);
  s->surname = g_strdup (surname);
  s->name = g_strdup (name);
  s->limit = CLAMP (limit, 1, 50);
  s->result = g_new0 (SpCitizenSearch, 1);
  s->result->found = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_citizen_lookup_free);
  g_task_set_task_data (task, s, (GDestroyNotify) search_free);
  if (!sp_central_client_is_logged_in (self->client))
    {
      /* Offline session: the cache alone, at once. */
      g_set_error (&s->result->central_error, SP_SYNC_ERROR, SP_SYNC_ERROR_CREDENTIALS, "not logged in to central");
      return sp_context_db_run (self, task, read_cache);
    }
  s->deadline = g_cancellable_new ();
  if (cancellable != NULL)
    s->caller = g_object_ref (cancellable);
  if (cancellable != NULL)
    s->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                             g_object_ref (s->deadline), g_object_unref);
  s->timeout_id = g_timeout_add (SP_CONTEXT_SEARCH_TIMEOUT_MS, on_deadline, s);
  sp_central_client_search_citizens_async (self->client, surname, name, s->limit, s->deadline, on_answer,
                                           g_steal_pointer (&task));
}

SpCitizenSearch *
sp_context_search_finish (SpContext     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
