/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-central-routes.h"

G_BEGIN_DECLS

/* A pool of worker threads, each with its own database connection,
 * running the handlers of the routes that name the pool. */

typedef struct _SpCentralJob SpCentralJob;
struct _SpCentralJob {
  const SpCentralRoute *route;
  SpCentralRequest *req;
  SpCentralResponse *response;         /* set by the worker before done */
  gboolean auth_only;                  /* only authenticate (response: NULL or the 401) */
  /* The client's socket, or -1: a fair pool skips the job of a client
   * that has hung up while it waited (its Argon2id would be wasted). */
  int client_fd;
  /* Called on the worker thread once response is set; after it the
   * worker does not touch the job again. */
  void (*done) (SpCentralJob *job);
};

typedef struct _SpCentralWorkers SpCentralWorkers;

/* n_threads threads, each opening location. Fails if a connection
 * cannot be opened. A fair pool takes its jobs round-robin by client
 * address, so one client's flood queues behind itself, not in front of
 * everyone else (the hashing pool). */
SpCentralWorkers *sp_central_workers_new  (const char       *name,
                                           const char       *location,
                                           guint             n_threads,
                                           gboolean          fair,
                                           GError          **error);
void              sp_central_workers_push (SpCentralWorkers *workers,
                                           SpCentralJob     *job);
/* Jobs pushed and not yet done (queued or running). */
guint             sp_central_workers_load (SpCentralWorkers *workers);
/* The number of threads. */
guint             sp_central_workers_size (SpCentralWorkers *workers);
/* Runs what is queued, stops the threads, closes the connections. */
void              sp_central_workers_free (SpCentralWorkers *workers);

/* Runs job on db as a worker does (authentication, then the handler):
 * for the fuzzer and tests, which call handlers without threads. */
void              sp_central_workers_run_one (SpCentralJob *job,
                                              SpCentralDb  *db);

G_END_DECLS
