/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The outcome pages of the citizen's forms, behind a 303 from each POST
 * (post, redirect, get): a reload shows the outcome again instead of
 * sending the form twice (a second queued request, a second recovery).
 * The address names only the kind of outcome, never the citizen, a
 * contact or a PIN. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sp-central-handlers.h"
#include "sp-central-page.h"

typedef enum {
  SENT_BY_SMS,
  SENT_BY_EMAIL,
  WAITING,
  RECOVERED,
  PERSONAL,
} Outcome;

/* The values of ?esito=, in the order of Outcome. */
static const char *const names[] = { "inviata-sms", "inviata-email", "in-attesa", "nuovo-pin", "pin-personale" };

SpCentralResponse *
sp_central_page_outcome_redirect (const char *outcome)
{
  g_autofree char *location = g_strconcat ("/cittadino/esito?esito=", outcome, NULL);
  SpCentralResponse *resp = sp_central_response_new (303);

  sp_central_response_set_header (resp, "Location", location);
  return resp;
}

static void
request_sent (SpCentralPage *page,
              gboolean       by_sms)
{
  sp_central_page_add (page, "<div class=\"outcome\" role=\"status\"><h1>%s</h1></div>\n<p>%s</p>\n<p>%s</p>\n"
                             "<h2>%s</h2>\n<p>%s</p>\n",
                       _("Request sent"),
                       by_sms ? _("The first 8 characters of your PIN have been sent by SMS to the mobile number"
                                  " you gave.")
                              : _("The first 8 characters of your PIN have been sent by e-mail to the address you"
                                  " gave."),
                       _("The other 8 characters will reach you by letter at your residence."),
                       _("And then"),
                       _("When you have both parts, go to first access and choose your personal PIN of 8"
                         " characters. Never give the PIN to anyone: INPS never asks for it by phone or e-mail."));
}

static void
request_waiting (SpCentralPage *page)
{
  sp_central_page_add (page, "<div class=\"outcome\" role=\"status\"><h1>%s</h1></div>\n<p>%s</p>\n<p>%s</p>\n",
                       _("Request received"),
                       _("We could not confirm your data automatically against the Institute's archive."),
                       _("A Contact Center operator will contact you to check them. Once they are confirmed,"
                         " the PIN is sent to you as for any online request: the first part by SMS or e-mail,"
                         " the second by letter."));
}

static void
recovered (SpCentralPage *page)
{
  sp_central_page_add (page, "<div class=\"outcome\" role=\"status\"><h1>%s</h1></div>\n<p>%s</p>\n<p>%s</p>\n",
                       _("New PIN sent"),
                       _("The first 8 characters of your new PIN have been sent by SMS, the other 8 by e-mail or"
                         " PEC, to the contacts you registered. Your old PIN no longer works."),
                       _("When you have both parts, choose your personal PIN at first access."));
}

static void
personal (SpCentralPage *page)
{
  sp_central_page_add (page, "<div class=\"outcome\" role=\"status\"><h1>%s</h1></div>\n<p>%s</p>\n",
                       _("Personal PIN active"),
                       _("From now on you enter the Institute's online services with your codice fiscale and"
                         " your personal PIN of 8 characters. The initial PIN no longer works."));
}

SpCentralResponse *
sp_central_h_page_outcome (SpCentralRequest *req,
                           SpCentralDb      *db)
{
  static const char *const titles[] = { N_("Request sent"), N_("Request sent"), N_("Request received"),
                                        N_("New PIN sent"), N_("Personal PIN active") };
  const char *which = sp_central_request_query (req, "esito");
  SpCentralPage *page;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names) && g_strcmp0 (which, names[i]) != 0; i++)
    ;
  if (i == G_N_ELEMENTS (names))
    return sp_central_page_message (req, 404, N_("Page not found"),
                                    N_("There is no page at this address. Start again from the home page."));
  page = sp_central_page_new (req, titles[i]);
  switch ((Outcome) i)
    {
    case SENT_BY_SMS:
    case SENT_BY_EMAIL:
      request_sent (page, i == SENT_BY_SMS);
      break;
    case WAITING:
      request_waiting (page);
      break;
    case RECOVERED:
      recovered (page);
      break;
    case PERSONAL:
    default:
      personal (page);
      break;
    }
  sp_central_page_add (page, "<ul class=\"links\">\n<li><a href=\"/cittadino/primo-accesso\">%s</a></li>\n"
                             "<li><a href=\"/cittadino/ambito\">%s</a></li>\n</ul>\n",
                       _("First access: choose your personal PIN"), _("What the PIN opens"));
  return sp_central_page_finish (page, 200);
}
