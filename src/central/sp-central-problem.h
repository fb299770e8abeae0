/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "sp-central-response.h"

G_BEGIN_DECLS

/* Problem types (RFC 9457): stable URIs under this base, documented in
 * data/openapi.yaml. Answers never echo secrets. */
#define SP_PROBLEM_BASE "https://sportellopin.github.io/problems/"

/* type is the last path segment: "invalid-body", "unauthorized", … */
SpCentralResponse *sp_central_problem_new      (guint       status,
                                                const char *type,
                                                const char *title,
                                                const char *detail_format,
                                                ...) G_GNUC_PRINTF (4, 5);
/* Same, with extra members (e.g. "field", "code") from a JSON object. */
SpCentralResponse *sp_central_problem_new_with (guint       status,
                                                const char *type,
                                                const char *title,
                                                const char *detail,
                                                JsonObject *extra);
/* The problem plus a "field" member naming the offending field. */
SpCentralResponse *sp_central_problem_field    (guint       status,
                                                const char *type,
                                                const char *title,
                                                const char *field,
                                                const char *detail);

G_END_DECLS
