/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* CSRF protection of the citizen's pages. The browser holds a random
 * cookie (HttpOnly, SameSite=Strict, Secure over TLS); each form carries
 * a token made for that cookie and that form: an HMAC, with a key
 * derived from central's outbox key, of cookie, form and the time it was
 * made. Another site can neither read the cookie nor make the token;
 * a token expires after SP_CENTRAL_CSRF_TTL_S. */

#define SP_CENTRAL_CSRF_COOKIE "sp_csrf"
#define SP_CENTRAL_CSRF_TTL_S (2 * 3600)

/* A new random cookie value (43 characters, base64url). */
char     *sp_central_csrf_new_cookie (void);
/* Is value a cookie this module could have made? */
gboolean  sp_central_csrf_cookie_ok  (const char *value);
/* The token of form for cookie, made at now_s. */
char     *sp_central_csrf_token      (const char *cookie,
                                      const char *form,
                                      gint64      now_s);
typedef enum {
  SP_CENTRAL_CSRF_OK,
  SP_CENTRAL_CSRF_EXPIRED,     /* made by us for this cookie and form, but too old */
  SP_CENTRAL_CSRF_BAD,         /* not ours, another cookie's or another form's */
} SpCentralCsrfVerdict;

SpCentralCsrfVerdict sp_central_csrf_verify (const char *cookie,
                                             const char *form,
                                             const char *token,
                                             gint64      now_s);
/* Is token the one of form for cookie, and young enough? */
gboolean  sp_central_csrf_check      (const char *cookie,
                                      const char *form,
                                      const char *token,
                                      gint64      now_s);

G_END_DECLS
