/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "sp-central-db.h"

G_BEGIN_DECLS

/* One HTTP request as a handler sees it: complete, bounded, read-only.
 * The transport builds it on an HTTP thread and hands it to a worker
 * thread; the handler never touches the connection. */
typedef struct {
  char *method;
  char *path;                /* the decoded path, e.g. "/v1/citizens/RSSMRA80A01H501U" */
  GHashTable *params;        /* {name} of the route pattern → path segment */
  GHashTable *query;         /* query argument → value (decoded) */
  GHashTable *headers;       /* lower-case header name → value */
  GBytes *body;              /* the whole body, within the route's limit; empty if none */
  SpCentralOperator *op;     /* the authenticated operator when the route needs one */
  char *client;              /* the client's IP address, e.g. "127.0.0.1" */
  gboolean tls;              /* it came over HTTPS (cookies get Secure) */
} SpCentralRequest;

SpCentralRequest *sp_central_request_new    (const char       *method,
                                             const char       *path);
void              sp_central_request_free   (SpCentralRequest *req);
/* NULL when absent. Header names are case-insensitive. */
const char       *sp_central_request_param  (SpCentralRequest *req,
                                             const char       *name);
const char       *sp_central_request_query  (SpCentralRequest *req,
                                             const char       *name);
const char       *sp_central_request_header (SpCentralRequest *req,
                                             const char       *name);
void              sp_central_request_add_header (SpCentralRequest *req,
                                                 const char       *name,
                                                 const char       *value);
/* The body and its length (never NULL: "" when there is none). */
const char       *sp_central_request_body   (SpCentralRequest *req,
                                             gsize            *len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCentralRequest, sp_central_request_free)

G_END_DECLS
