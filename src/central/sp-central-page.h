/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "sp-central-request.h"
#include "sp-central-response.h"

G_BEGIN_DECLS

/* One server-rendered page of the citizen's pages (/cittadino/): the
 * frame (lang="it", one column, skip link, one stylesheet), the
 * accessible form controls and error summary, the security headers and
 * the CSRF cookie. Every text from outside goes through the escaping
 * functions; only literal markup goes in raw. */

typedef struct _SpCentralPage SpCentralPage;

/* One control of a form. Texts are N_() and translated when shown. */
typedef struct {
  const char *name;          /* the form field; the control's id is "f-" name */
  const char *label;
  const char *hint;          /* NULL: none */
  const char *type;          /* text, email, tel, password */
  const char *autocomplete;  /* NULL: off */
  gboolean required;
  guint maxlength;
  gboolean secret;           /* its value is never written back into a page */
} SpCentralField;

/* Field errors: name, message, name, message… in the order of the form;
 * the name "" for a message about the whole form. */
typedef GPtrArray SpCentralFieldErrors;

SpCentralFieldErrors *sp_central_field_errors_new (void);
void                  sp_central_field_errors_add (SpCentralFieldErrors *errors,
                                                   const char           *name,
                                                   const char           *message);
const char           *sp_central_field_errors_get (SpCentralFieldErrors *errors,
                                                   const char           *name);

/* Starts a page titled title (an N_() string) for req: the thread
 * speaks Italian from here on; the browser's CSRF cookie is kept, or a
 * new one made and set. */
SpCentralPage     *sp_central_page_new        (SpCentralRequest     *req,
                                               const char           *title);
/* The browser's CSRF cookie (valid, possibly new). */
const char        *sp_central_page_cookie     (SpCentralPage        *page);
void               sp_central_page_raw        (SpCentralPage        *page,
                                               const char           *markup);
/* printf with every argument escaped for HTML text and attributes. */
void               sp_central_page_add        (SpCentralPage        *page,
                                               const char           *format,
                                               ...) G_GNUC_PRINTF (2, 3);
/* The error summary at the top: it takes the focus on load and links
 * each message to its control. Nothing when there are no errors. */
void               sp_central_page_errors     (SpCentralPage        *page,
                                               SpCentralFieldErrors *errors);
void               sp_central_page_form_begin (SpCentralPage        *page,
                                               const char           *action,
                                               const char           *form);
void               sp_central_page_field      (SpCentralPage        *page,
                                               const SpCentralField *field,
                                               GHashTable           *values,
                                               SpCentralFieldErrors *errors);
void               sp_central_page_form_end   (SpCentralPage        *page,
                                               const char           *button);
SpCentralResponse *sp_central_page_finish     (SpCentralPage        *page,
                                               guint                 status);

/* A whole page with one form of n plain fields: title (N_()) as its h1,
 * intro (translated) under it, the summary of errors above both. */
SpCentralResponse *sp_central_page_simple_form (SpCentralRequest     *req,
                                                const char           *title,
                                                const char           *intro,
                                                const char           *action,
                                                const char           *form,
                                                const SpCentralField *fields,
                                                guint                 n,
                                                const char           *button,
                                                GHashTable           *values,
                                                SpCentralFieldErrors *errors);
/* A whole page with one message (403, 400, 413, 429, 503…); title and
 * text are N_() strings, translated here. */
SpCentralResponse *sp_central_page_message    (SpCentralRequest     *req,
                                               guint                 status,
                                               const char           *title,
                                               const char           *text);
/* Makes the calling thread translate into Italian (LC_MESSAGES of
 * it_IT.UTF-8), whatever the server's locale: the pages speak Italian. */
void               sp_central_page_italian    (void);

G_END_DECLS
