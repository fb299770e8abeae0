/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Problem types (RFC 9457): stable URIs under this base, documented in
 * data/openapi.yaml. Answers never echo secrets. */
#define SP_PROBLEM_BASE "https://sportellopin.github.io/problems/"

void sp_central_reply_json    (SoupServerMessage *msg,
                               guint              status,
                               JsonNode          *body);
/* type is the last path segment: "invalid-body", "unauthorized", … */
void sp_central_reply_problem (SoupServerMessage *msg,
                               guint              status,
                               const char        *type,
                               const char        *title,
                               const char        *detail_format,
                               ...) G_GNUC_PRINTF (5, 6);
/* Same, with extra members (e.g. "field", "code") from a JSON object. */
void sp_central_reply_problem_with (SoupServerMessage *msg,
                                    guint              status,
                                    const char        *type,
                                    const char        *title,
                                    const char        *detail,
                                    JsonObject        *extra);

G_END_DECLS
