/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "sp-central-routes.h"

G_BEGIN_DECLS

/* What the citizen's pages share beyond the page itself: they act as
 * the citizen portal's account (SP_CENTRAL_PORTAL_ACCOUNT, "portal" by
 * default, made with `operator add --role portal`) and call the very API
 * handlers a portal would, so a page checks exactly what the API checks. */

/* The form of a POST (it passed the strict check at admission), or NULL
 * with *problem set: a 403 page when its CSRF token is not the one of
 * form for the browser's cookie. A token of ours that only expired gives
 * the fields with *expired set: the page shows the form again, with what
 * was typed, to be sent again (nothing is done with it). */
GHashTable        *sp_central_portal_form   (SpCentralRequest   *req,
                                             const char         *form,
                                             gboolean           *expired,
                                             SpCentralResponse **problem);
/* The message of *expired, for the error summary (no field). */
const char        *sp_central_portal_expired_message (void);
/* A form value with the spaces around it removed ("" when absent). */
const char        *sp_central_portal_value  (GHashTable         *fields,
                                             const char         *name);
/* Calls handler with body as the portal account would; returns the
 * API's answer (*object: its JSON object, or NULL), or NULL with
 * *problem set to a 503 page when the portal account is missing. */
SpCentralResponse *sp_central_portal_call   (SpCentralRequest   *req,
                                             SpCentralDb        *db,
                                             SpCentralHandler    handler,
                                             const char         *path,
                                             JsonNode           *body,
                                             JsonObject        **object,
                                             SpCentralResponse **problem);
/* The portal account's username (for audit rows), or NULL with *problem
 * set to a 503 page when there is none. */
char              *sp_central_portal_account (SpCentralRequest   *req,
                                              SpCentralDb        *db,
                                              SpCentralResponse **problem);
/* The "type" of a problem without its base ("has-pin"), or "". */
const char        *sp_central_portal_problem_type (JsonObject   *object);

G_END_DECLS
