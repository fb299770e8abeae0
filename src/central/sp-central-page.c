/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "sp-central-csrf.h"
#include "sp-central-form.h"
#include "sp-central-handler.h"
#include "sp-central-page.h"

struct _SpCentralPage {
  GString *html;
  char *title;
  char *cookie;
  gboolean new_cookie;
  gboolean tls;
};

/* The pages forbid everything but their own origin: no script, no
 * frame around them, no form sent elsewhere, no referrer leaving. */
#define CSP "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

void
sp_central_page_italian (void)
{
  static gsize once;
  static locale_t italian;

  if (g_once_init_enter (&once))
    {
      italian = newlocale (LC_MESSAGES_MASK | LC_CTYPE_MASK, "it_IT.UTF-8", (locale_t) 0);
      if (italian == (locale_t) 0)
        italian = newlocale (LC_MESSAGES_MASK | LC_CTYPE_MASK, "it_IT.utf8", (locale_t) 0);
      if (italian == (locale_t) 0)
        g_warning ("the it_IT.UTF-8 locale is not installed: the citizen's pages speak English");
      g_once_init_leave (&once, 1);
    }
  if (italian != (locale_t) 0)
    uselocale (italian);
}

SpCentralFieldErrors *
sp_central_field_errors_new (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

void
sp_central_field_errors_add (SpCentralFieldErrors *errors,
                             const char           *name,
                             const char           *message)
{
  /* One message per control: the first problem found is the one to fix. */
  if (sp_central_field_errors_get (errors, name) != NULL)
    return;
  g_ptr_array_add (errors, g_strdup (name));
  g_ptr_array_add (errors, g_strdup (message));
}

const char *
sp_central_field_errors_get (SpCentralFieldErrors *errors,
                             const char           *name)
{
  for (guint i = 0; errors && i + 1 < errors->len; i += 2)
    if (g_str_equal (g_ptr_array_index (errors, i), name))
      return g_ptr_array_index (errors, i + 1);
  return NULL;
}

SpCentralPage *
sp_central_page_new (SpCentralRequest *req,
                     const char       *title)
{
  SpCentralPage *page = g_new0 (SpCentralPage, 1);
  g_autofree char *cookie = sp_central_cookie_value (sp_central_request_header (req, "cookie"),
                                                     SP_CENTRAL_CSRF_COOKIE);

  sp_central_page_italian ();
  page->html = g_string_sized_new (8192);
  page->title = g_strdup (_(title));
  page->tls = req->tls;
  if (sp_central_csrf_cookie_ok (cookie))
    page->cookie = g_steal_pointer (&cookie);
  else
    {
      page->cookie = sp_central_csrf_new_cookie ();
      page->new_cookie = TRUE;
    }
  return page;
}

const char *
sp_central_page_cookie (SpCentralPage *page)
{
  return page->cookie;
}

void
sp_central_page_raw (SpCentralPage *page,
                     const char    *markup)
{
  g_string_append (page->html, markup);
}

void
sp_central_page_add (SpCentralPage *page,
                     const char    *format,
                     ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_markup_vprintf_escaped (format, args);
  va_end (args);
  g_string_append (page->html, text);
}

void
sp_central_page_errors (SpCentralPage        *page,
                        SpCentralFieldErrors *errors)
{
  guint n = errors ? errors->len / 2 : 0;
  g_autofree char *title = NULL;

  if (n == 0)
    return;
  /* The title says it first to a screen reader user, then the summary. */
  title = g_strdup_printf (_("Error: %s"), page->title);
  g_free (page->title);
  page->title = g_steal_pointer (&title);
  sp_central_page_raw (page, "<div class=\"error-summary\" id=\"error-summary\" role=\"alert\" tabindex=\"-1\""
                             " autofocus aria-labelledby=\"error-summary-title\">\n");
  sp_central_page_add (page, "<h2 id=\"error-summary-title\">%s</h2>\n<ul>\n",
                       g_dngettext (GETTEXT_PACKAGE, "There is a problem to correct",
                                    "There are problems to correct", n));
  for (guint i = 0; i + 1 < errors->len; i += 2)
    if (*(char *) g_ptr_array_index (errors, i) == '\0')
      /* About the whole form, not one field: nothing to link to. */
      sp_central_page_add (page, "<li>%s</li>\n", (char *) g_ptr_array_index (errors, i + 1));
    else
      sp_central_page_add (page, "<li><a href=\"#f-%s\">%s</a></li>\n", (char *) g_ptr_array_index (errors, i),
                           (char *) g_ptr_array_index (errors, i + 1));
  sp_central_page_raw (page, "</ul>\n</div>\n");
}

void
sp_central_page_form_begin (SpCentralPage *page,
                            const char    *action,
                            const char    *form)
{
  g_autofree char *token = sp_central_csrf_token (page->cookie, form, sp_central_now_ms () / 1000);

  /* novalidate: the server's messages, tied to their fields, are the
   * ones the citizen reads, not the browser's bubbles. */
  sp_central_page_add (page, "<form method=\"post\" action=\"%s\" novalidate>\n"
                             "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n", action, token);
}

void
sp_central_page_field (SpCentralPage        *page,
                       const SpCentralField *field,
                       GHashTable           *values,
                       SpCentralFieldErrors *errors)
{
  const char *error = sp_central_field_errors_get (errors, field->name);
  const char *value = field->secret || values == NULL ? NULL : g_hash_table_lookup (values, field->name);
  g_autoptr(GString) described = g_string_new (NULL);

  sp_central_page_add (page, "<div class=\"field%s\">\n<label for=\"f-%s\">%s%s</label>\n",
                       error ? " field-error" : "", field->name, _(field->label),
                       field->required ? "" : _(" (optional)"));
  if (field->hint)
    {
      sp_central_page_add (page, "<p class=\"hint\" id=\"f-%s-hint\">%s</p>\n", field->name, _(field->hint));
      g_string_append_printf (described, "f-%s-hint", field->name);
    }
  if (error)
    {
      sp_central_page_add (page, "<p class=\"error-message\" id=\"f-%s-error\"><span class=\"visually-hidden\">%s"
                                 "</span> %s</p>\n", field->name, _("Error:"), error);
      g_string_append_printf (described, "%sf-%s-error", described->len ? " " : "", field->name);
    }
  sp_central_page_add (page, "<input id=\"f-%s\" name=\"%s\" type=\"%s\" value=\"%s\" maxlength=\"%u\""
                             " autocomplete=\"%s\" spellcheck=\"false\"",
                       field->name, field->name, field->type, value ? value : "", field->maxlength,
                       field->autocomplete ? field->autocomplete : "off");
  if (described->len)
    sp_central_page_add (page, " aria-describedby=\"%s\"", described->str);
  if (field->required)
    sp_central_page_raw (page, " aria-required=\"true\"");
  if (error)
    sp_central_page_raw (page, " aria-invalid=\"true\"");
  sp_central_page_raw (page, ">\n</div>\n");
}

void
sp_central_page_form_end (SpCentralPage *page,
                          const char    *button)
{
  sp_central_page_add (page, "<button type=\"submit\">%s</button>\n</form>\n", button);
}

SpCentralResponse *
sp_central_page_finish (SpCentralPage *page,
                        guint          status)
{
  g_autoptr(GString) out = g_string_sized_new (page->html->len + 2048);
  SpCentralResponse *resp;
  g_autofree char *head = g_markup_printf_escaped (
    "<!DOCTYPE html>\n<html lang=\"it\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>%s – %s</title>\n<link rel=\"stylesheet\" href=\"/cittadino/stile.css\">\n</head>\n<body>\n"
    "<a class=\"skip-link\" href=\"#main\">%s</a>\n"
    "<header class=\"site-header\"><p class=\"site-name\"><a href=\"/cittadino/\">%s</a></p></header>\n"
    "<main id=\"main\" tabindex=\"-1\">\n",
    page->title, _("INPS PIN"), _("Skip to the content"), _("INPS · The PIN for online services"));
  g_autofree char *foot = g_markup_printf_escaped (
    "</main>\n<footer class=\"site-footer\"><p>%s</p></footer>\n</body>\n</html>\n",
    _("Istituto Nazionale della Previdenza Sociale. For help call the Contact Center: 803 164 from a landline,"
      " 06 164 164 from a mobile."));

  g_string_append (out, head);
  g_string_append_len (out, page->html->str, page->html->len);
  g_string_append (out, foot);
  resp = sp_central_response_new_take (status, "text/html; charset=utf-8", g_string_free (g_steal_pointer (&out), FALSE));
  sp_central_response_set_header (resp, "Content-Security-Policy", CSP);
  sp_central_response_set_header (resp, "X-Frame-Options", "DENY");
  sp_central_response_set_header (resp, "Referrer-Policy", "no-referrer");
  if (page->new_cookie)
    {
      g_autofree char *cookie = g_strdup_printf ("%s=%s; Path=/cittadino/; HttpOnly; SameSite=Strict%s",
                                                 SP_CENTRAL_CSRF_COOKIE, page->cookie,
                                                 page->tls ? "; Secure" : "");

      sp_central_response_set_header (resp, "Set-Cookie", cookie);
    }
  g_string_free (page->html, TRUE);
  g_free (page->title);
  g_free (page->cookie);
  g_free (page);
  return resp;
}

SpCentralResponse *
sp_central_page_simple_form (SpCentralRequest     *req,
                             const char           *title,
                             const char           *intro,
                             const char           *action,
                             const char           *form,
                             const SpCentralField *fields,
                             guint                 n,
                             const char           *button,
                             GHashTable           *values,
                             SpCentralFieldErrors *errors)
{
  SpCentralPage *page = sp_central_page_new (req, title);

  sp_central_page_errors (page, errors);
  sp_central_page_add (page, "<h1>%s</h1>\n<p>%s</p>\n", _(title), intro);
  sp_central_page_form_begin (page, action, form);
  for (guint i = 0; i < n; i++)
    sp_central_page_field (page, &fields[i], values, errors);
  sp_central_page_form_end (page, button);
  return sp_central_page_finish (page, errors && errors->len ? 422 : 200);
}

SpCentralResponse *
sp_central_page_message (SpCentralRequest *req,
                         guint             status,
                         const char       *title,
                         const char       *text)
{
  SpCentralPage *page;

  sp_central_page_italian ();
  page = sp_central_page_new (req, title);
  sp_central_page_add (page, "<h1>%s</h1>\n<p>%s</p>\n<p><a href=\"/cittadino/\">%s</a></p>\n", _(title), _(text),
                       _("Back to the start"));
  return sp_central_page_finish (page, status);
}
