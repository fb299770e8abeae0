/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE             /* POLLRDHUP */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <poll.h>

#include "sp-central-handler.h"
#include "sp-central-problem.h"
#include "sp-central-workers.h"

/* At most this many registrations in one group commit: bounds the time
 * the writer holds the write lock. */
#define MAX_BATCH 256

typedef struct {
  SpCentralWorkers *workers;
  SpCentralDb *db;
  GThread *thread;
} Worker;

struct _SpCentralWorkers {
  GAsyncQueue *queue;    /* FIFO pools */
  GPtrArray *threads;    /* Worker */
  int load;              /* atomic: pushed, not yet done */
  /* Fair pools: a queue per client address, served in turn. */
  gboolean fair;
  GMutex lock;
  GCond wake;
  GHashTable *by_client; /* address → GQueue of jobs */
  GQueue turns;          /* addresses with jobs waiting, next first */
  guint stops;           /* stop requests not yet taken */
};

/* Pushed once per thread to stop it. */
static SpCentralJob stop_job;

static SpCentralResponse *
checked (SpCentralResponse *resp)
{
  /* The contract is one response; a handler that returns none is a bug,
   * answered as one rather than leaving the client waiting. */
  if (resp == NULL)
    {
      g_critical ("a handler returned no response");
      return sp_central_problem_new (500, "internal", "Internal error", NULL);
    }
  return resp;
}

void
sp_central_workers_run_one (SpCentralJob *job,
                            SpCentralDb  *db)
{
  SpCentralResponse *resp = NULL;

  /* A large upload was authenticated before its body was read. */
  if (job->route->auth && job->req->op == NULL)
    resp = sp_central_authenticate (job->req, db);
  if (job->auth_only)
    {
      job->response = resp;
      return;
    }
  if (resp == NULL)
    resp = job->route->handler (job->req, db);
  job->response = checked (resp);
}

/* Several jobs of one batch route: authenticated one by one, then
 * handled together. */
static void
run_batch (SpCentralJob **jobs,
           guint          n,
           SpCentralDb   *db)
{
  g_autofree SpCentralRequest **reqs = g_new0 (SpCentralRequest *, n);
  g_autofree SpCentralResponse **resps = g_new0 (SpCentralResponse *, n);
  g_autofree guint *which = g_new0 (guint, n);
  guint authed = 0;

  for (guint i = 0; i < n; i++)
    {
      jobs[i]->response = jobs[i]->route->auth && jobs[i]->req->op == NULL
                          ? sp_central_authenticate (jobs[i]->req, db) : NULL;
      if (jobs[i]->response == NULL)
        {
          reqs[authed] = jobs[i]->req;
          which[authed++] = i;
        }
    }
  if (authed > 0)
    jobs[0]->route->batch (reqs, authed, db, resps);
  for (guint a = 0; a < authed; a++)
    jobs[which[a]]->response = checked (resps[a]);
  for (guint i = 0; i < n; i++)
    jobs[i]->done (jobs[i]);
}

/* The client closed its end while the job waited: nobody will read the
 * answer. A half-close counts too; HTTP clients do not half-close. */
static gboolean
client_gone (const SpCentralJob *job)
{
  struct pollfd p = { .fd = job->client_fd, .events = POLLRDHUP };

  if (job->client_fd < 0)
    return FALSE;
  return poll (&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

/* After done, the job is not ours any more. */
static void
finish (SpCentralWorkers *workers,
        SpCentralJob     *job)
{
  job->done (job);
  g_atomic_int_add (&workers->load, -1);
}

static void
fair_push (SpCentralWorkers *workers,
           SpCentralJob     *job)
{
  const char *client = job == &stop_job ? NULL : job->req->client;
  GQueue *q;

  g_mutex_lock (&workers->lock);
  if (client == NULL)
    workers->stops++;
  else if ((q = g_hash_table_lookup (workers->by_client, client)) != NULL)
    g_queue_push_tail (q, job);
  else
    {
      char *key = g_strdup (client);

      q = g_queue_new ();
      g_queue_push_tail (q, job);
      g_hash_table_insert (workers->by_client, key, q);
      g_queue_push_tail (&workers->turns, key);
    }
  g_cond_signal (&workers->wake);
  g_mutex_unlock (&workers->lock);
}

/* The next client's oldest job; stops only once nothing waits. */
static SpCentralJob *
fair_pop (SpCentralWorkers *workers)
{
  SpCentralJob *job;
  GQueue *q;
  char *key;

  g_mutex_lock (&workers->lock);
  while (workers->turns.length == 0 && workers->stops == 0)
    g_cond_wait (&workers->wake, &workers->lock);
  if (workers->turns.length == 0)
    {
      workers->stops--;
      g_mutex_unlock (&workers->lock);
      return &stop_job;
    }
  key = g_queue_pop_head (&workers->turns);
  q = g_hash_table_lookup (workers->by_client, key);
  job = g_queue_pop_head (q);
  if (q->length > 0)
    g_queue_push_tail (&workers->turns, key);
  else
    g_hash_table_remove (workers->by_client, key);
  g_mutex_unlock (&workers->lock);
  return job;
}

static SpCentralJob *
pop (SpCentralWorkers *workers)
{
  return workers->fair ? fair_pop (workers) : g_async_queue_pop (workers->queue);
}

static gpointer
worker_main (gpointer data)
{
  Worker *w = data;
  GAsyncQueue *queue = w->workers->queue;
  SpCentralJob *held = NULL;
  SpCentralJob *batch[MAX_BATCH];

  for (;;)
    {
      SpCentralJob *job = held ? held : pop (w->workers);
      guint n = 0;

      held = NULL;
      if (job == &stop_job)
        break;
      if (w->workers->fair && client_gone (job))
        {
          job->response = sp_central_problem_new (400, "client-closed", "The client closed the connection", NULL);
          finish (w->workers, job);
          continue;
        }
      if (job->route->batch == NULL || job->auth_only)
        {
          sp_central_workers_run_one (job, w->db);
          finish (w->workers, job);
          continue;
        }
      /* Whatever of the same route queued up meanwhile goes in too
       * (batch routes run on the writer, a FIFO pool). */
      g_assert (!w->workers->fair);
      batch[n++] = job;
      while (n < MAX_BATCH && (held = g_async_queue_try_pop (queue)) != NULL
             && held != &stop_job && !held->auth_only && held->route->batch == job->route->batch)
        {
          batch[n++] = held;
          held = NULL;
        }
      run_batch (batch, n, w->db);
      for (guint i = 0; i < n; i++)
        g_atomic_int_add (&w->workers->load, -1);
    }
  return NULL;
}

SpCentralWorkers *
sp_central_workers_new (const char *name,
                        const char *location,
                        guint       n_threads,
                        gboolean    fair,
                        GError    **error)
{
  SpCentralWorkers *workers = g_new0 (SpCentralWorkers, 1);
  g_autoptr(GPtrArray) dbs = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_central_db_close);

  /* Every connection first, so a failure leaves no thread behind. */
  for (guint i = 0; i < MAX (n_threads, 1); i++)
    {
      SpCentralDb *db = sp_central_db_open (location, error);

      if (db == NULL)
        {
          g_free (workers);
          return NULL;
        }
      g_ptr_array_add (dbs, db);
    }
  workers->queue = g_async_queue_new ();
  workers->threads = g_ptr_array_new ();
  workers->fair = fair;
  g_mutex_init (&workers->lock);
  g_cond_init (&workers->wake);
  /* The keys are owned by turns or freed on removal. */
  workers->by_client = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_queue_free);
  for (guint i = 0; i < dbs->len; i++)
    {
      Worker *w = g_new0 (Worker, 1);
      g_autofree char *thread_name = g_strdup_printf ("%s-%u", name, i);

      w->workers = workers;
      w->db = g_steal_pointer (&dbs->pdata[i]);
      w->thread = g_thread_new (thread_name, worker_main, w);
      g_ptr_array_add (workers->threads, w);
    }
  return workers;
}

void
sp_central_workers_push (SpCentralWorkers *workers,
                         SpCentralJob     *job)
{
  g_atomic_int_inc (&workers->load);
  if (workers->fair)
    fair_push (workers, job);
  else
    g_async_queue_push (workers->queue, job);
}

guint
sp_central_workers_load (SpCentralWorkers *workers)
{
  return g_atomic_int_get (&workers->load);
}

guint
sp_central_workers_size (SpCentralWorkers *workers)
{
  return workers->threads->len;
}

void
sp_central_workers_free (SpCentralWorkers *workers)
{
  if (workers == NULL)
    return;
  for (guint i = 0; i < workers->threads->len; i++)
    if (workers->fair)
      fair_push (workers, &stop_job);
    else
      g_async_queue_push (workers->queue, &stop_job);
  for (guint i = 0; i < workers->threads->len; i++)
    {
      Worker *w = g_ptr_array_index (workers->threads, i);

      g_thread_join (w->thread);
      sp_central_db_close (w->db);
      g_free (w);
    }
  g_ptr_array_unref (workers->threads);
  g_async_queue_unref (workers->queue);
  g_queue_clear (&workers->turns);
  g_hash_table_unref (workers->by_client);
  g_mutex_clear (&workers->lock);
  g_cond_clear (&workers->wake);
  g_free (workers);
}
