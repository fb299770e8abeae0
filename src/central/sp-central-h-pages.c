/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The citizen's pages that only inform: the start page, what the PIN
 * opens (its scope), and the one stylesheet. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sp-central-db-credentials.h"
#include "sp-central-handler.h"
#include "sp-central-handlers.h"
#include "sp-central-page.h"

/* "/cittadino" as typed: the pages live under "/cittadino/". */
SpCentralResponse *
sp_central_h_page_redirect (SpCentralRequest *req,
                            SpCentralDb      *db)
{
  SpCentralResponse *resp = sp_central_response_new (308);

  sp_central_response_set_header (resp, "Location", "/cittadino/");
  return resp;
}

SpCentralResponse *
sp_central_h_page_home (SpCentralRequest *req,
                        SpCentralDb      *db)
{
  SpCentralPage *page = sp_central_page_new (req, N_("The INPS PIN"));

  sp_central_page_add (page, "<h1>%s</h1>\n<p>%s</p>\n<ul class=\"links\">\n"
                             "<li><a href=\"/cittadino/richiesta\">%s</a></li>\n"
                             "<li><a href=\"/cittadino/primo-accesso\">%s</a></li>\n"
                             "<li><a href=\"/cittadino/recupero\">%s</a></li>\n"
                             "<li><a href=\"/cittadino/ambito\">%s</a></li>\n</ul>\n",
                       _("The INPS PIN"),
                       _("The PIN is your personal code for the Institute's online services."),
                       _("Request the PIN online"), _("First access: choose your personal PIN"),
                       _("Recover a lost PIN"), _("What the PIN opens"));
  return sp_central_page_finish (page, 200);
}

/* The services of the emergency window by their names; an id this page
 * does not know is shown as it is (escaped). */
static const char *
service_name (const char *id)
{
  static const struct { const char *id, *name; } names[] = {
    { "indennita-professionisti-cococo", N_("Allowance for professionals and co.co.co. workers") },
    { "indennita-autonomi-ago", N_("Allowance for the self-employed (AGO)") },
    { "indennita-stagionali-turismo", N_("Allowance for seasonal tourism workers") },
    { "indennita-agricoli", N_("Allowance for farm workers") },
    { "indennita-spettacolo", N_("Allowance for entertainment workers") },
    { "bonus-baby-sitting", N_("Baby-sitting bonus") },
    { "libretto-famiglia", N_("Registration to the Libretto Famiglia") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (names[i].id, id))
      return _(names[i].name);
  return id;
}

/* A day of the window as the citizen reads it (Europe/Rome). */
static char *
rome_day (gint64 ms)
{
  g_autoptr(GTimeZone) rome = g_time_zone_new_identifier ("Europe/Rome");
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = utc && rome ? g_date_time_to_timezone (utc, rome) : NULL;

  return local ? g_date_time_format (local, "%d/%m/%Y") : g_strdup ("?");
}

static void
service_list (SpCentralPage *page,
              char         **ids)
{
  sp_central_page_raw (page, "<ul>\n");
  for (guint i = 0; ids && ids[i]; i++)
    sp_central_page_add (page, "<li>%s</li>\n", service_name (ids[i]));
  sp_central_page_raw (page, "</ul>\n");
}

/* What the emergency window configured at central allows today. */
static void
simplified_now (SpCentralPage *page,
                SpCentralDb   *db)
{
  g_autoptr(SpCentralSimplifiedMode) mode = sp_central_db_simplified_mode_get (db, NULL);
  g_autofree char *last = NULL;

  if (mode == NULL)
    return;
  /* ends_at is the first instant outside the window: its last day is before. */
  last = rome_day (mode->ends_at - 1);
  if (!sp_central_simplified_mode_open (mode, sp_central_now_ms ()))
    {
      g_autofree char *text = g_strdup_printf (_("No emergency window is open today: the last one ended on %s."),
                                               last);

      sp_central_page_add (page, "<p class=\"simplified-state\">%s</p>\n", text);
      return;
    }
  {
    g_autofree char *text = g_strdup_printf (_("An emergency window is open until %s. The first 8 characters"
                                               " alone give access to:"), last);

    sp_central_page_add (page, "<p class=\"simplified-state\">%s</p>\n", text);
    service_list (page, mode->services);
    if (mode->whole_pin && mode->whole_pin[0])
      {
        sp_central_page_add (page, "<p>%s</p>\n", _("These always need the whole PIN:"));
        service_list (page, mode->whole_pin);
      }
  }
}

SpCentralResponse *
sp_central_h_page_scope (SpCentralRequest *req,
                         SpCentralDb      *db)
{
  SpCentralPage *page = sp_central_page_new (req, N_("What the PIN opens"));

  sp_central_page_add (page, "<h1>%s</h1>\n"
                             "<h2>%s</h2>\n<p>%s</p>\n<ul>\n<li>%s</li>\n<li>%s</li>\n<li>%s</li>\n</ul>\n"
                             "<h2>%s</h2>\n<p>%s</p>\n<p>%s</p>\n",
                       _("What the PIN opens"),
                       _("The ordinary PIN: to consult"),
                       _("The PIN you ask for online or from the Contact Center lets you consult your own"
                         " position:"),
                       _("your contribution record (estratto conto contributivo);"),
                       _("the state of your applications and the payments you receive;"),
                       _("your certificates, such as the Certificazione Unica."),
                       _("The dispositivo PIN: to submit applications"),
                       _("To submit applications for benefits and change your data you need the dispositivo PIN."
                         " You get it at an INPS office, with an identity document: the operator hands it over in"
                         " a sealed envelope, or makes your ordinary PIN dispositivo without a new envelope."),
                       _("Either way, you first choose your personal PIN of 8 characters at first access."));
  sp_central_page_add (page, "<h2>%s</h2>\n<p>%s</p>\n", _("Simplified access in an emergency"),
                       _("During an emergency declared by the Institute, the first 8 characters alone may give"
                         " access to a short list of benefits, only until the date announced. Some services, such"
                         " as the Libretto Famiglia registration, always need the whole PIN."));
  simplified_now (page, db);
  sp_central_page_add (page, "<h2>%s</h2>\n<p>%s</p>\n",
                       _("Keep it safe"),
                       _("The PIN is personal: never give it to anyone. INPS never asks for it by phone, SMS or"
                         " e-mail. If you think someone knows it, recover it at once to get a new one."));
  return sp_central_page_finish (page, 200);
}

/* One column, large type, AgID's blue, a focus ring that is always
 * visible (WCAG 2.4.7), errors in red with a bar beside them. */
static const char stylesheet[] =
  "html{font-family:\"Titillium Web\",\"DejaVu Sans\",sans-serif;font-size:112.5%;line-height:1.5;color:#19191a;"
  "background:#fff}\n"
  "body{margin:0}\n"
  "main,.site-header p,.site-footer p{max-width:40rem;margin:0 auto;padding:0 1rem}\n"
  ".site-header{background:#0066cc;color:#fff;padding:.75rem 0}\n"
  ".site-header a{color:#fff;font-weight:700;text-decoration:none}\n"
  ".site-footer{margin-top:3rem;border-top:1px solid #c5c7c9;padding:1rem 0;font-size:.9rem}\n"
  ".skip-link{position:absolute;left:-999px}\n"
  ".skip-link:focus{left:1rem;top:1rem;background:#fff;color:#0066cc;padding:.5rem;z-index:1}\n"
  "a{color:#0066cc}\n"
  "a:focus,input:focus,button:focus,main:focus,.error-summary:focus{outline:3px solid #ff9900;outline-offset:2px}\n"
  "h1{font-size:2rem;line-height:1.2}\n"
  "fieldset{border:0;padding:0;margin:0 0 1.5rem}\n"
  "legend{font-size:1.3rem;font-weight:700;margin-bottom:.5rem}\n"
  ".field{margin-bottom:1.25rem}\n"
  "label{display:block;font-weight:700}\n"
  ".hint{color:#5c6f82;margin:.25rem 0}\n"
  "input{display:block;width:100%;max-width:30rem;box-sizing:border-box;font:inherit;padding:.4rem;"
  "border:2px solid #5c6f82;border-radius:0}\n"
  ".field-error{border-left:5px solid #d9364f;padding-left:.75rem}\n"
  ".field-error input{border-color:#d9364f}\n"
  ".error-message{color:#d9364f;font-weight:700;margin:.25rem 0}\n"
  ".error-summary{border:4px solid #d9364f;padding:1rem;margin:1rem 0}\n"
  ".error-summary a{color:#d9364f;font-weight:700}\n"
  ".outcome{border:4px solid #008758;padding:0 1rem;margin:1rem 0}\n"
  "button{font:inherit;font-weight:700;background:#0066cc;color:#fff;border:0;padding:.6rem 1.5rem;"
  "cursor:pointer}\n"
  "button:hover{background:#004d99}\n"
  ".visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}\n";

SpCentralResponse *
sp_central_h_page_stylesheet (SpCentralRequest *req,
                              SpCentralDb      *db)
{
  return sp_central_response_new_take (200, "text/css; charset=utf-8", g_strdup (stylesheet));
}
