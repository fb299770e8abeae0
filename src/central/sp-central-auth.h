/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-central-db.h"
#include "sp-central-response.h"

G_BEGIN_DECLS

/* The verbs behind POST /v1/auth/pin and POST /v1/auth/pin/change
 * (sp-central-h-auth.c) without the HTTP request, for central's own
 * citizen pages (issue 17): the same verification under the database
 * lockout (one Argon2id verification each: call them on a HASH-pool
 * worker), the same rules, audit rows and answers. The answer is what
 * the API sends: 200 with the scope (PinAuthResult), or a problem whose
 * status and type (data/openapi.yaml) say which rule refused; the pages
 * turn the type into their Italian message. Neither PIN is ever echoed.
 * The per-address and per-account rate limits are the transport's
 * (sp-central-admission.c): the pages' routes declare rate_key "cf"
 * like the API's. */

/* cf and pin as typed (any case, spaces allowed in the PIN); service
 * optional (checked in the simplified scope). */
SpCentralResponse *sp_central_auth_pin        (SpCentralDb *db, const char *cf, const char *pin,
                                               const char *service);
/* First access: pin the 16-character initial PIN, new_pin the personal
 * one; actor goes in the audit row (the portal's username). */
SpCentralResponse *sp_central_auth_pin_change (SpCentralDb *db, const char *actor, const char *cf,
                                               const char *pin, const char *new_pin);

G_END_DECLS
