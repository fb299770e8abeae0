/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-central-db.h"
#include "sp-central-request.h"
#include "sp-central-response.h"

G_BEGIN_DECLS

/* THE HANDLER CONTRACT. A handler is a synchronous function that runs on
 * a worker thread of the route's pool (never on an HTTP thread), with
 * that thread's own database connection, and returns exactly one
 * response. When the route needs authentication, req->op is the
 * operator; a handler never sees an unauthenticated request there. */
typedef SpCentralResponse *(*SpCentralHandler) (SpCentralRequest *req,
                                                SpCentralDb      *db);
/* A handler for several requests of one route at once, on the writer:
 * sets responses[i] for every reqs[i] (group commit, one fsync). */
typedef void (*SpCentralBatchHandler) (SpCentralRequest  **reqs,
                                       guint               n,
                                       SpCentralDb        *db,
                                       SpCentralResponse **responses);

typedef enum {
  SP_CENTRAL_POOL_READ,      /* several threads, reads only */
  SP_CENTRAL_POOL_WRITE,     /* the one writer thread */
  SP_CENTRAL_POOL_HASH,      /* Argon2id verifications, a thread per core */
  SP_CENTRAL_N_POOLS,
} SpCentralPool;

#define SP_CENTRAL_JSON_LIMIT (256 * 1024)
#define SP_CENTRAL_ATTACHMENT_LIMIT (20 * 1024 * 1024)

typedef struct {
  const char *method;
  const char *pattern;          /* "/v1/citizens/{cf}": {name} matches one non-empty segment */
  SpCentralPool pool;
  gboolean auth;                /* a Bearer token is required (checked before the body is read) */
  gsize body_limit;             /* bytes; 0: no body. Up to SP_CENTRAL_JSON_LIMIT the
                                 * body is JSON, checked strictly before the handler;
                                 * larger ones are authenticated before a byte is read */
  SpCentralHandler handler;
  SpCentralBatchHandler batch;  /* WRITE routes only, optional: preferred to handler */
  const char *rate_key;         /* rate-limited per client and per account: the JSON
                                 * member (or form field) that names the account */
  gboolean form;                /* a citizen's page: the body is a form
                                 * (application/x-www-form-urlencoded), checked strictly */
} SpCentralRoute;

/* A form body: small, one page's fields. */
#define SP_CENTRAL_FORM_LIMIT (8 * 1024)

/* Is the body of route JSON (as opposed to a form or a binary upload)? */
#define SP_CENTRAL_ROUTE_IS_JSON(route) ((route)->body_limit > 0 && (route)->body_limit <= SP_CENTRAL_JSON_LIMIT \
                                         && !(route)->form)

typedef enum {
  SP_CENTRAL_MATCH_FOUND,
  SP_CENTRAL_MATCH_NO_PATH,     /* 404 */
  SP_CENTRAL_MATCH_NO_METHOD,   /* 405, *allow lists the methods */
} SpCentralMatch;

/* Finds the route of method + path; on FOUND fills params (the {names}). */
SpCentralMatch sp_central_routes_match (const char            *method,
                                        const char            *path,
                                        const SpCentralRoute **route,
                                        GHashTable            *params,
                                        char                 **allow);
/* The table, for tests and documentation checks. */
const SpCentralRoute *sp_central_routes_get (guint *n);

G_END_DECLS
