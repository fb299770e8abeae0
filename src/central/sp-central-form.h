/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A strict reader of the citizen's pages' form bodies
 * (application/x-www-form-urlencoded) and of the Cookie header. A real
 * browser never sends what it refuses, so a refusal is an attack or a
 * broken client: nothing of such a body reaches a handler. */

#define SP_CENTRAL_FORM_MAX_FIELDS 32
#define SP_CENTRAL_FORM_MAX_VALUE 512       /* bytes, decoded */

/* The fields of body[0..len), name → value, or NULL with a message in
 * *error: a pair without "=", a bad %-escape, a name twice, a name not
 * [a-z0-9_], a value that is not UTF-8 or holds control characters
 * (tab, CR and LF excepted), too many fields or too long a value. */
GHashTable *sp_central_form_parse   (const char *body,
                                     gsize       len,
                                     GError    **error);
/* The value of the cookie name in a Cookie header, or NULL. */
char       *sp_central_cookie_value (const char *header,
                                     const char *name);

G_END_DECLS
