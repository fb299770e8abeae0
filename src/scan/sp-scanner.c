/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main-thread side of the scanner: job ids, the queues to and from the
 * SANE worker (sp-scanner-sane.c), the preview copy, the signals. */
#define G_LOG_DOMAIN "sp-scan"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "sp-scanner-private.h"

typedef enum {
  JOB_RUNNING = 1,
  JOB_CANCELLED,      /* its CANCELLED job-done is queued; drop the rest */
} JobState;

struct _SpScanner
{
  GObject parent_instance;

  SpScanShared *shared;
  GThread *thread;
  GHashTable *jobs;             /* job id → JobState */
  guint last_job;
  GPtrArray *devices;
  guint refreshing;
  SpScanPage *preview;
  guint preview_job;

  guint stall_msec;
  gint64 last_activity;         /* monotonic µs of the last worker event */
  guint waiting_password;
  GSource *watchdog;

  SpScannerPasswordFunc password_func;
  gpointer password_data;
  GDestroyNotify password_destroy;
};

G_DEFINE_FINAL_TYPE (SpScanner, sp_scanner, G_TYPE_OBJECT)

enum {
  DEVICES_CHANGED,
  PAGE_STARTED,
  PAGE_PROGRESS,
  PAGE_DONE,
  JOB_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];
/* SANE is process-global: one SpScanner at a time. */
static SpScanner *the_scanner;

/* ---- Shared state and messages ------------------------------------------ */

SpScanShared *
sp_scan_shared_ref (SpScanShared *shared)
{
  g_atomic_ref_count_inc (&shared->ref);
  return shared;
}

void
sp_scan_shared_unref (SpScanShared *shared)
{
  if (!g_atomic_ref_count_dec (&shared->ref))
    return;
  g_async_queue_unref (shared->requests);
  g_async_queue_unref (shared->events);
  g_async_queue_unref (shared->passwords);
  g_hash_table_unref (shared->cancelled);
  g_mutex_clear (&shared->lock);
  g_main_context_unref (shared->context);
  g_free (shared);
}

gboolean
sp_scan_shared_is_cancelled (SpScanShared *shared,
                             guint         job)
{
  gboolean cancelled;

  g_mutex_lock (&shared->lock);
  cancelled = g_hash_table_contains (shared->cancelled, GUINT_TO_POINTER (job));
  g_mutex_unlock (&shared->lock);
  return cancelled;
}

SpScanEvent *
sp_scan_event_new (SpScanEventKind kind,
                   guint           job)
{
  SpScanEvent *ev = g_new0 (SpScanEvent, 1);

  ev->kind = kind;
  ev->job = job;
  return ev;
}

void
sp_scan_event_free (SpScanEvent *ev)
{
  g_clear_pointer (&ev->rows, g_bytes_unref);
  g_clear_pointer (&ev->result, sp_scan_page_unref);
  g_clear_error (&ev->error);
  g_clear_pointer (&ev->devices, g_ptr_array_unref);
  g_free (ev->resource);
  g_free (ev);
}

void
sp_scan_request_free (SpScanRequest *req)
{
  g_free (req->device);
  g_strfreev (req->opts.extra_options);
  g_free (req);
}

void
sp_scan_password_free (SpScanPassword *answer)
{
  if (answer->password != NULL)
    memset (answer->password, 0, strlen (answer->password));
  g_free (answer->password);
  g_free (answer->username);
  g_free (answer);
}

void
sp_scan_device_free (SpScanDevice *device)
{
  g_free (device->name);
  g_free (device->vendor);
  g_free (device->model);
  g_free (device->type);
  g_free (device);
}

static void handle_event (SpScanner   *self,
                          SpScanEvent *ev);
static void watchdog_update (SpScanner *self);

/* Drains every queued event, in order; extra wake-ups find it empty. */
static gboolean
drain_events (gpointer data)
{
  SpScanShared *shared = data;
  SpScanEvent *ev;

  while ((ev = g_async_queue_try_pop (shared->events)) != NULL)
    {
      if (shared->scanner != NULL)
        handle_event (shared->scanner, ev);
      sp_scan_event_free (ev);
    }
  return G_SOURCE_REMOVE;
}

void
sp_scan_shared_post (SpScanShared *shared,
                     SpScanEvent  *ev)
{
  GSource *source;

  g_async_queue_push (shared->events, ev);
  /* An idle source, not g_main_context_invoke: invoke runs the function
   * right here when no thread holds the context at that moment, which
   * would emit the signals on the worker thread. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, drain_events, sp_scan_shared_ref (shared),
                         (GDestroyNotify) sp_scan_shared_unref);
  g_source_set_static_name (source, "[sp-scan] events");
  g_source_attach (source, shared->context);
  g_source_unref (source);
}

static SpScanRequest *
new_request (SpScanner        *self,
              SpScanRequestKind kind,
              guint             job,
              const char       *device,
              const SpScanOptions *opts)
{
  SpScanRequest *req = g_new0 (SpScanRequest, 1);

  req->kind = kind;
  req->job = job;
  req->device = g_strdup (device);
  if (opts != NULL)
    {
      req->opts = *opts;
      req->opts.extra_options = g_strdupv (opts->extra_options);
    }
  return req;
}

/* ---- Events on the main thread ------------------------------------------ */

static void
on_progress (SpScanner   *self,
             SpScanEvent *ev)
{
  gsize size, stride;
  const guint8 *rows;

  if (self->preview == NULL || self->preview_job != ev->job)
    return;
  stride = sp_scan_page_get_stride (self->preview);
  rows = g_bytes_get_data (ev->rows, &size);
  if (size != stride * ev->n_lines)
    return;
  if (ev->first_line + ev->n_lines > sp_scan_page_get_height (self->preview)
      && !sp_scan_page_grow (self->preview, (ev->first_line + ev->n_lines) * 2))
    return;
  memcpy (sp_scan_page_get_data (self->preview) + stride * ev->first_line, rows, size);
  g_signal_emit (self, signals[PAGE_PROGRESS], 0, ev->job, ev->page, ev->first_line + ev->n_lines);
}

static void
handle_event (SpScanner   *self,
              SpScanEvent *ev)
{
  JobState state = GPOINTER_TO_UINT (g_hash_table_lookup (self->jobs, GUINT_TO_POINTER (ev->job)));

  if (ev->kind != SP_SCAN_EVENT_CANCELLED)
    self->last_activity = g_get_monotonic_time ();
  switch (ev->kind)
    {
    case SP_SCAN_EVENT_DEVICES:
      g_clear_pointer (&self->devices, g_ptr_array_unref);
      self->devices = g_steal_pointer (&ev->devices);
      if (self->refreshing > 0)
        self->refreshing--;
      g_signal_emit (self, signals[DEVICES_CHANGED], 0);
      return;
    case SP_SCAN_EVENT_PASSWORD:
      self->waiting_password++;
      if (self->password_func != NULL)
        self->password_func (self, ev->resource, self->password_data);
      else
        sp_scanner_answer_password (self, NULL, NULL);
      return;
    case SP_SCAN_EVENT_CANCELLED:
      g_hash_table_remove (self->jobs, GUINT_TO_POINTER (ev->job));
      watchdog_update (self);
      g_signal_emit (self, signals[JOB_DONE], 0, ev->job, ev->error);
      return;
    default:
      break;
    }

  /* Anything else of a job that is not running any more is stale. */
  if (state != JOB_RUNNING)
    return;
  switch (ev->kind)
    {
    case SP_SCAN_EVENT_PAGE_STARTED:
      g_clear_pointer (&self->preview, sp_scan_page_unref);
      self->preview = sp_scan_page_new (ev->width, ev->height > 0 ? ev->height : ev->dpi * 11,
                                        ev->dpi, ev->colour);
      self->preview_job = ev->job;
      g_signal_emit (self, signals[PAGE_STARTED], 0, ev->job, ev->page, ev->width, ev->height);
      break;
    case SP_SCAN_EVENT_PROGRESS:
      on_progress (self, ev);
      break;
    case SP_SCAN_EVENT_PAGE_DONE:
      g_clear_pointer (&self->preview, sp_scan_page_unref);
      g_signal_emit (self, signals[PAGE_DONE], 0, ev->job, ev->page, ev->result);
      break;
    case SP_SCAN_EVENT_JOB_DONE:
      g_clear_pointer (&self->preview, sp_scan_page_unref);
      g_hash_table_remove (self->jobs, GUINT_TO_POINTER (ev->job));
      watchdog_update (self);
      g_signal_emit (self, signals[JOB_DONE], 0, ev->job, ev->error);
      break;
    default:
      break;
    }
}

/* ---- Object ------------------------------------------------------------- */

static void
sp_scanner_dispose (GObject *object)
{
  SpScanner *self = SP_SCANNER (object);

  if (self->thread != NULL)
    {
      GHashTableIter iter;
      gpointer job;

      /* Stop the running job at its next read, refuse a pending password
       * prompt, then let the worker sane_exit and end. */
      g_mutex_lock (&self->shared->lock);
      g_hash_table_iter_init (&iter, self->jobs);
      while (g_hash_table_iter_next (&iter, &job, NULL))
        g_hash_table_add (self->shared->cancelled, job);
      g_mutex_unlock (&self->shared->lock);
      g_async_queue_push (self->shared->passwords, g_new0 (SpScanPassword, 1));
      g_async_queue_push (self->shared->requests,
                          new_request (self, SP_SCAN_REQUEST_QUIT, 0, NULL, NULL));
      g_thread_join (g_steal_pointer (&self->thread));
      self->shared->scanner = NULL;
      g_clear_pointer (&self->shared, sp_scan_shared_unref);
    }
  if (self->watchdog != NULL)
    {
      g_source_destroy (self->watchdog);
      g_clear_pointer (&self->watchdog, g_source_unref);
    }
  if (the_scanner == self)
    the_scanner = NULL;
  g_clear_pointer (&self->preview, sp_scan_page_unref);
  g_clear_pointer (&self->devices, g_ptr_array_unref);
  if (self->password_destroy != NULL)
    g_clear_pointer (&self->password_data, self->password_destroy);
  self->password_func = NULL;

  G_OBJECT_CLASS (sp_scanner_parent_class)->dispose (object);
}

static void
sp_scanner_finalize (GObject *object)
{
  SpScanner *self = SP_SCANNER (object);

  g_hash_table_unref (self->jobs);
  G_OBJECT_CLASS (sp_scanner_parent_class)->finalize (object);
}

static void
sp_scanner_class_init (SpScannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sp_scanner_dispose;
  object_class->finalize = sp_scanner_finalize;

  signals[DEVICES_CHANGED] =
    g_signal_new ("devices-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[PAGE_STARTED] =
    g_signal_new ("page-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT);
  signals[PAGE_PROGRESS] =
    g_signal_new ("page-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT);
  signals[PAGE_DONE] =
    g_signal_new ("page-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_UINT, G_TYPE_UINT, SP_TYPE_SCAN_PAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[JOB_DONE] =
    g_signal_new ("job-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_UINT, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
sp_scanner_init (SpScanner *self)
{
  self->jobs = g_hash_table_new (NULL, NULL);
  self->stall_msec = 90 * 1000;
  self->devices = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_scan_device_free);
}

SpScanner *
sp_scanner_new (void)
{
  SpScanner *self;
  SpScanShared *shared;

  g_return_val_if_fail (the_scanner == NULL, NULL);

#ifdef __GLIBC__
  /* Many SANE backends read the device on a thread that sane_read or
   * sane_cancel stops with an asynchronous pthread_cancel. glibc's dynamic
   * threshold soon serves their page-sized buffers from an arena, whose
   * lock a thread cancelled inside free() never releases, and the next
   * scan hangs (seen with the test backend, ~1 run in 10). A fixed
   * threshold keeps large blocks in mmap, freed without that lock. */
  mallopt (M_MMAP_THRESHOLD, 128 * 1024);
#endif

  self = g_object_new (SP_TYPE_SCANNER, NULL);
  shared = g_new0 (SpScanShared, 1);
  g_atomic_ref_count_init (&shared->ref);
  shared->context = g_main_context_ref_thread_default ();
  shared->requests = g_async_queue_new ();
  shared->events = g_async_queue_new ();
  shared->passwords = g_async_queue_new_full ((GDestroyNotify) sp_scan_password_free);
  g_mutex_init (&shared->lock);
  shared->cancelled = g_hash_table_new (NULL, NULL);
  shared->scanner = self;
  self->shared = shared;
  self->thread = g_thread_new ("sp-scan-sane", sp_scan_worker_main, sp_scan_shared_ref (shared));
  the_scanner = self;
  return self;
}

void
sp_scan_options_init (SpScanOptions *opts)
{
  g_return_if_fail (opts != NULL);
  memset (opts, 0, sizeof *opts);
  opts->source = SP_SCAN_SOURCE_FLATBED;
  opts->dpi = 300;
  opts->area = SP_SCAN_AREA_A4;
}

void
sp_scanner_refresh_devices (SpScanner *self)
{
  g_return_if_fail (SP_IS_SCANNER (self));
  self->refreshing++;
  g_async_queue_push (self->shared->requests,
                      new_request (self, SP_SCAN_REQUEST_REFRESH, 0, NULL, NULL));
}

GPtrArray *
sp_scanner_get_devices (SpScanner *self)
{
  g_return_val_if_fail (SP_IS_SCANNER (self), NULL);
  return self->devices;
}

gboolean
sp_scanner_is_refreshing (SpScanner *self)
{
  g_return_val_if_fail (SP_IS_SCANNER (self), FALSE);
  return self->refreshing > 0;
}

guint
sp_scanner_start (SpScanner           *self,
                  const char          *device_name,
                  const SpScanOptions *opts)
{
  SpScanOptions defaults;
  SpScanRequest *req;
  guint job;

  g_return_val_if_fail (SP_IS_SCANNER (self), 0);
  if (opts == NULL)
    {
      sp_scan_options_init (&defaults);
      opts = &defaults;
    }
  job = ++self->last_job;
  g_hash_table_insert (self->jobs, GUINT_TO_POINTER (job), GUINT_TO_POINTER (JOB_RUNNING));
  if (device_name != NULL)
    req = new_request (self, SP_SCAN_REQUEST_SCAN, job, device_name, opts);
  else
    {
      /* No choice made: the workstation's remembered scanner, if any. */
      g_autofree char *remembered = sp_scanner_get_default_device ();

      req = new_request (self, SP_SCAN_REQUEST_SCAN, job, remembered, opts);
      req->remembered = remembered != NULL;
    }
  g_async_queue_push (self->shared->requests, req);
  self->last_activity = g_get_monotonic_time ();
  watchdog_update (self);
  return job;
}

/* Marks job cancelled for the worker, drops what it still sends, and
 * queues job-done with code: from the main loop, not from inside this
 * call, and without waiting for the device. */
static void
end_job (SpScanner   *self,
         guint        job,
         SpScanError  code)
{
  SpScanEvent *ev;

  g_hash_table_insert (self->jobs, GUINT_TO_POINTER (job), GUINT_TO_POINTER (JOB_CANCELLED));
  g_mutex_lock (&self->shared->lock);
  g_hash_table_add (self->shared->cancelled, GUINT_TO_POINTER (job));
  g_mutex_unlock (&self->shared->lock);
  if (self->preview_job == job)
    g_clear_pointer (&self->preview, sp_scan_page_unref);
  ev = sp_scan_event_new (SP_SCAN_EVENT_CANCELLED, job);
  sp_scan_set_error (&ev->error, code, NULL);
  sp_scan_shared_post (self->shared, ev);
}

void
sp_scanner_cancel (SpScanner *self,
                   guint      job)
{
  g_return_if_fail (SP_IS_SCANNER (self));
  if (GPOINTER_TO_UINT (g_hash_table_lookup (self->jobs, GUINT_TO_POINTER (job))) != JOB_RUNNING)
    return;
  end_job (self, job, SP_SCAN_ERROR_CANCELLED);
}

/* ---- The stall watchdog ------------------------------------------------- */

static gboolean
watchdog_tick (gpointer data)
{
  SpScanner *self = data;
  g_autoptr(GArray) stalled = NULL;
  GHashTableIter iter;
  gpointer job, state;

  if (self->stall_msec == 0 || self->waiting_password > 0
      || g_get_monotonic_time () - self->last_activity < (gint64) self->stall_msec * 1000)
    return G_SOURCE_CONTINUE;
  /* Every running job: the ones queued behind a hung one would wait
   * forever too. */
  stalled = g_array_new (FALSE, FALSE, sizeof (guint));
  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, &job, &state))
    if (GPOINTER_TO_UINT (state) == JOB_RUNNING)
      {
        guint id = GPOINTER_TO_UINT (job);

        g_array_append_val (stalled, id);
      }
  for (guint i = 0; i < stalled->len; i++)
    end_job (self, g_array_index (stalled, guint, i), SP_SCAN_ERROR_NOT_RESPONDING);
  self->last_activity = g_get_monotonic_time ();
  return G_SOURCE_CONTINUE;
}

/* The watchdog runs while a job is running, and only then. */
static void
watchdog_update (SpScanner *self)
{
  gboolean running = FALSE;
  GHashTableIter iter;
  gpointer state;

  g_hash_table_iter_init (&iter, self->jobs);
  while (!running && g_hash_table_iter_next (&iter, NULL, &state))
    running = GPOINTER_TO_UINT (state) == JOB_RUNNING;
  if (running && self->watchdog == NULL && self->stall_msec > 0)
    {
      self->watchdog = g_timeout_source_new (CLAMP (self->stall_msec / 4, 10, 1000));
      g_source_set_callback (self->watchdog, watchdog_tick, self, NULL);
      g_source_set_static_name (self->watchdog, "[sp-scan] watchdog");
      g_source_attach (self->watchdog, self->shared->context);
    }
  else if (!running && self->watchdog != NULL)
    {
      g_source_destroy (self->watchdog);
      g_clear_pointer (&self->watchdog, g_source_unref);
    }
}

void
sp_scanner_set_stall_timeout (SpScanner *self,
                              guint      msec)
{
  g_return_if_fail (SP_IS_SCANNER (self));
  self->stall_msec = msec;
  if (self->watchdog != NULL)
    {
      g_source_destroy (self->watchdog);
      g_clear_pointer (&self->watchdog, g_source_unref);
    }
  watchdog_update (self);
}

SpScanPage *
sp_scanner_get_preview (SpScanner *self)
{
  g_return_val_if_fail (SP_IS_SCANNER (self), NULL);
  return self->preview;
}

void
sp_scanner_set_password_func (SpScanner            *self,
                              SpScannerPasswordFunc func,
                              gpointer              user_data,
                              GDestroyNotify        destroy)
{
  g_return_if_fail (SP_IS_SCANNER (self));
  if (self->password_destroy != NULL)
    self->password_destroy (self->password_data);
  self->password_func = func;
  self->password_data = user_data;
  self->password_destroy = destroy;
}

void
sp_scanner_answer_password (SpScanner  *self,
                            const char *username,
                            const char *password)
{
  SpScanPassword *answer;

  g_return_if_fail (SP_IS_SCANNER (self));
  if (self->waiting_password > 0)
    self->waiting_password--;
  self->last_activity = g_get_monotonic_time ();
  answer = g_new0 (SpScanPassword, 1);
  answer->username = g_strdup (username);
  answer->password = g_strdup (password);
  g_async_queue_push (self->shared->passwords, answer);
}

/* ---- The remembered device ---------------------------------------------- */

static char *
config_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "sportello-pin", "scanner.ini", NULL);
}

char *
sp_scanner_get_default_device (void)
{
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autofree char *path = config_path ();

  if (!g_key_file_load_from_file (keys, path, G_KEY_FILE_NONE, NULL))
    return NULL;
  return g_key_file_get_string (keys, "scanner", "device", NULL);
}

gboolean
sp_scanner_set_default_device (const char *name,
                               GError    **error)
{
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autofree char *path = config_path ();
  g_autofree char *dir = g_path_get_dirname (path);

  g_return_val_if_fail (name != NULL, FALSE);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot create the folder %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  g_key_file_load_from_file (keys, path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  g_key_file_set_string (keys, "scanner", "device", name);
  return g_key_file_save_to_file (keys, path, error);
}
