/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A strict, bounded, non-recursive check of a JSON text (RFC 8259)
 * before json-glib parses it: json-glib recurses (75 KB of "[" overflow
 * its stack), takes the last of duplicate keys, truncates strings at
 * \u0000 and accepts comments and single quotes. */

#define SP_CENTRAL_JSON_ERROR (sp_central_json_error_quark ())
GQuark sp_central_json_error_quark (void);

typedef enum {
  SP_CENTRAL_JSON_ERROR_SYNTAX,      /* not JSON (comments, quotes, trailing data…) */
  SP_CENTRAL_JSON_ERROR_LIMIT,       /* too deep, too many members, a string too long */
  SP_CENTRAL_JSON_ERROR_DUPLICATE,   /* a key twice in one object */
  SP_CENTRAL_JSON_ERROR_ENCODING,    /* not UTF-8, \u0000, a lone surrogate */
} SpCentralJsonError;

#define SP_CENTRAL_JSON_MAX_DEPTH 32
#define SP_CENTRAL_JSON_MAX_MEMBERS 128     /* per object */
#define SP_CENTRAL_JSON_MAX_ITEMS 1024      /* per array */
#define SP_CENTRAL_JSON_MAX_STRING 16384    /* bytes, decoded */

/* TRUE when data[0..len) is exactly one JSON object within the limits
 * above; otherwise FALSE with an error saying where and why. */
gboolean sp_central_json_check (const char *data,
                                gsize       len,
                                GError    **error);

G_END_DECLS
