/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "sp-central-db.h"
#include "sp-central-request.h"
#include "sp-central-response.h"

G_BEGIN_DECLS

/* What the handlers share. Checks return NULL when the request passes
 * and otherwise the problem to answer, so a handler ends in exactly one
 * response: `if ((problem = check (…))) return problem;`. */

#define SP_CENTRAL_SESSION_MS (8 * 3600 * G_GINT64_CONSTANT (1000))

gint64             sp_central_now_ms          (void);
/* The body as a JSON object, or NULL with *problem set. */
JsonObject        *sp_central_parse_body      (SpCentralRequest   *req,
                                               JsonParser        **parser_out,
                                               SpCentralResponse **problem);
/* A string member. NULL with *problem set when it is missing (and
 * required) or of another type; NULL with *problem NULL when an optional
 * member is absent or null. */
const char        *sp_central_string_member   (JsonObject         *object,
                                               const char         *name,
                                               gboolean            required,
                                               SpCentralResponse **problem);
/* Sets req->op from the Bearer token, or returns the 401. */
SpCentralResponse *sp_central_authenticate    (SpCentralRequest   *req,
                                               SpCentralDb        *db);
/* sha256 of the Bearer token, or NULL when there is none. */
char              *sp_central_token_hash      (SpCentralRequest   *req);
SpCentralResponse *sp_central_require_role    (SpCentralRequest   *req,
                                               const char         *role);
/* An operator sees and changes only his sede's records (admin: all). */
SpCentralResponse *sp_central_require_sede    (SpCentralRequest   *req,
                                               const char         *sede);
/* The sede whose records the operator may see: his own; NULL (all) for
 * an admin. Another sede's id then answers like an unknown one. */
const char        *sp_central_op_sede         (SpCentralRequest   *req);
SpCentralResponse *sp_central_validate_cf     (const char         *cf,
                                               char              **normalized);
/* The answer for a database error (409 busy, 404, else 500). */
SpCentralResponse *sp_central_db_problem      (const GError       *error);
/* No upper-case ASCII letter in text (canonical UUIDs, hex digests). */
gboolean           sp_central_is_lower        (const char         *text);
/* An Argon2id verifier of a random secret at the policy's cost: what an
 * unknown account is checked against, so it costs the time of a wrong
 * secret. Made once; call early so the first request does not pay. */
const char        *sp_central_dummy_verifier  (void);

/* A scan's upload (PUT …/{id}/attachments/{kind}, of an issuance or a
 * conversion, what names it in the 404): a UUID, a known kind, a PDF
 * body whose Content-Digest (RFC 9530 "sha-256=:BASE64:", or RFC 3230
 * Digest) is its SHA-256. NULL and *sha256 (lower-case hex), or the
 * problem to send. */
SpCentralResponse *sp_central_scan_check      (SpCentralRequest *req, const char *what, char **sha256);

G_END_DECLS
