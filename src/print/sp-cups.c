/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-print"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "sp-cups-private.h"

/* libcups's destination API, blocking, on the caller's (worker) thread.
 * Each SpCups is one connection to cupsd with a bounded wait for every
 * answer: a spooler that takes the connection and never answers ends in
 * UNREACHABLE, not in a thread stuck for ever. */

struct _SpCups
{
  http_t *http;
  guint answer_s;
  guint job_s;
  GCancellable *cancellable;
  gboolean timed_out;     /* an answer did not come within answer_s */
};

/* How often a job is asked about: soon at first (a PDF queue on loopback
 * completes in a few hundred ms), then less often. */
#define POLL_FIRST_US (20 * 1000)
#define POLL_MAX_US (250 * 1000)
#define WRITE_CHUNK (64 * 1024)

static const char *const printer_attrs[] = {
  "printer-info", "printer-location", "printer-state", "printer-state-reasons",
  "printer-is-accepting-jobs", "printer-uri-supported",
};

/* httpSetTimeout: 0 stops waiting for the answer. */
static int
give_up (http_t *http,
         void   *user_data)
{
  SpCups *cups = user_data;

  cups->timed_out = TRUE;
  return 0;
}

static void
set_unreachable (GError **error)
{
  g_set_error (error, SP_PRINT_ERROR, SP_PRINT_ERROR_UNREACHABLE,
               _("The printing system does not answer: check that the print service (CUPS) is running, "
                 "then try again"));
}

/* An IPP request that did not get a good answer, as an SpPrintError. */
static void
set_request_error (SpCups     *cups,
                   const char *what,
                   GError    **error)
{
  ipp_status_t status = cupsLastError ();

  g_debug ("%s: IPP status %s (%s), HTTP error %d, timed out %d", what, ippErrorString (status),
           cupsLastErrorString (), httpError (cups->http), cups->timed_out);
  if (cups->timed_out || status == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE
      || (status == IPP_STATUS_ERROR_INTERNAL && httpError (cups->http) != 0))
    set_unreachable (error);
  else
    g_set_error (error, SP_PRINT_ERROR, SP_PRINT_ERROR_FAILED, _("The print system refused %s: %s"), what,
                 cupsLastErrorString ());
}

SpCups *
sp_cups_open (guint         answer_s,
              guint         job_s,
              GCancellable *cancellable,
              GError      **error)
{
  SpCups *cups;
  http_t *http = httpConnect2 (cupsServer (), ippPort (), NULL, AF_UNSPEC, cupsEncryption (), 1,
                               (int) MAX (answer_s, 1) * 1000, NULL);

  if (http == NULL)
    {
      set_unreachable (error);
      return NULL;
    }
  cups = g_new0 (SpCups, 1);
  cups->http = http;
  cups->answer_s = MAX (answer_s, 1);
  cups->job_s = MAX (job_s, 1);
  cups->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  httpSetTimeout (http, cups->answer_s, give_up, cups);
  return cups;
}

void
sp_cups_close (SpCups *cups)
{
  if (cups == NULL)
    return;
  httpClose (cups->http);
  g_clear_object (&cups->cancellable);
  g_free (cups);
}

static void
replace_str (char       **field,
             const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static SpPrinterInfo *
info_from_dest (cups_dest_t *dest)
{
  SpPrinterInfo *info = sp_printer_info_new (dest->name);
  const char *v;

#define OPTION(name) cupsGetOption ((name), dest->num_options, dest->options)
  if ((v = OPTION ("printer-info")) != NULL && *v != '\0')
    replace_str (&info->description, v);
  if ((v = OPTION ("printer-location")) != NULL)
    replace_str (&info->location, v);
  if ((v = OPTION ("printer-state-reasons")) != NULL && *v != '\0')
    replace_str (&info->reasons, v);
  if ((v = OPTION ("printer-state")) != NULL)
    info->state = (SpPrinterState) CLAMP (atoi (v), SP_PRINTER_STATE_IDLE, SP_PRINTER_STATE_STOPPED);
  if ((v = OPTION ("printer-is-accepting-jobs")) != NULL)
    info->accepting = g_strcmp0 (v, "false") != 0;
#undef OPTION
  info->is_default = dest->is_default;
  return info;
}

GPtrArray *
sp_cups_list (SpCups  *cups,
              GError **error)
{
  cups_dest_t *dests = NULL;
  int n = cupsGetDests2 (cups->http, &dests);
  GPtrArray *list;

  /* No queue at all is an answer too (client-error-not-found). */
  if (n == 0 && cupsLastError () > IPP_STATUS_OK_EVENTS_COMPLETE
      && cupsLastError () != IPP_STATUS_ERROR_NOT_FOUND)
    {
      set_request_error (cups, _("the list of printers"), error);
      return NULL;
    }
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_printer_info_free);
  for (int i = 0; i < n; i++)
    if (dests[i].instance == NULL)
      g_ptr_array_add (list, info_from_dest (&dests[i]));
  cupsFreeDests (n, dests);
  return list;
}

/* ---- one printer ---- */

static void
set_not_configured (GError **error)
{
  g_set_error (error, SP_PRINT_ERROR, SP_PRINT_ERROR_NOT_CONFIGURED,
               _("No printer is chosen for this document: choose one in Preferences → Printers"));
}

static void
info_from_response (ipp_t         *response,
                    SpPrinterInfo *info)
{
  ipp_attribute_t *attr;
  const char *v;

  if ((attr = ippFindAttribute (response, "printer-info", IPP_TAG_TEXT)) != NULL
      && (v = ippGetString (attr, 0, NULL)) != NULL && *v != '\0')
    replace_str (&info->description, v);
  if ((attr = ippFindAttribute (response, "printer-location", IPP_TAG_TEXT)) != NULL
      && (v = ippGetString (attr, 0, NULL)) != NULL)
    replace_str (&info->location, v);
  if ((attr = ippFindAttribute (response, "printer-state", IPP_TAG_ENUM)) != NULL)
    info->state = (SpPrinterState) CLAMP (ippGetInteger (attr, 0), SP_PRINTER_STATE_IDLE, SP_PRINTER_STATE_STOPPED);
  if ((attr = ippFindAttribute (response, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN)) != NULL)
    info->accepting = ippGetBoolean (attr, 0);
  if ((attr = ippFindAttribute (response, "printer-state-reasons", IPP_TAG_KEYWORD)) != NULL)
    {
      GString *reasons = g_string_new (NULL);

      for (int i = 0; i < ippGetCount (attr); i++)
        g_string_append_printf (reasons, "%s%s", i ? "," : "", ippGetString (attr, i, NULL));
      g_free (info->reasons);
      info->reasons = g_string_free (reasons, FALSE);
    }
}

/* Get-Printer-Attributes on our own connection. Not cupsGetNamedDest:
 * when its request goes unanswered it asks again on libcups's default
 * connection, which waits a minute, not answer_s. uri (nullable out):
 * the queue's printer-uri-supported. */
static SpPrinterInfo *
query_printer (SpCups      *cups,
               const char  *name,
               char       **uri,
               GError     **error)
{
  g_autofree char *queue_uri = NULL;
  ipp_t *request, *response;
  ipp_attribute_t *attr;
  SpPrinterInfo *info;

  if (name == NULL || *name == '\0')
    {
      set_not_configured (error);
      return NULL;
    }
  queue_uri = g_strdup_printf ("ipp://localhost/printers/%s", name);
  request = ippNewRequest (IPP_OP_GET_PRINTER_ATTRIBUTES);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, queue_uri);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser ());
  ippAddStrings (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                 G_N_ELEMENTS (printer_attrs), NULL, printer_attrs);
  response = cupsDoRequest (cups->http, request, "/");
  if (cupsLastError () == IPP_STATUS_ERROR_NOT_FOUND)
    {
      ippDelete (response);
      g_set_error (error, SP_PRINT_ERROR, SP_PRINT_ERROR_NOT_FOUND,
                   _("There is no printer %s any more: choose another in Preferences → Printers"), name);
      return NULL;
    }
  if (response == NULL || cupsLastError () > IPP_STATUS_OK_EVENTS_COMPLETE)
    {
      ippDelete (response);
      set_request_error (cups, _("the printer's state"), error);
      return NULL;
    }
  info = sp_printer_info_new (name);
  info_from_response (response, info);
  if (uri != NULL)
    {
      attr = ippFindAttribute (response, "printer-uri-supported", IPP_TAG_URI);
      *uri = g_strdup (attr ? ippGetString (attr, 0, NULL) : queue_uri);
    }
  ippDelete (response);
  return info;
}

SpPrinterInfo *
sp_cups_get (SpCups     *cups,
             const char *name,
             GError    **error)
{
  return query_printer (cups, name, NULL, error);
}
/* ---- one job ---- */

static ipp_t *
new_job_request (ipp_op_t    op,
                 int         job_id)
{
  ipp_t *request = ippNewRequest (op);
  g_autofree char *uri = g_strdup_printf ("ipp://localhost/jobs/%d", job_id);

  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", NULL, uri);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser ());
  return request;
}

typedef struct {
  ipp_jstate_t state;
  gboolean printer_stopped;   /* job-state-reasons says the queue is stopped */
} JobState;

static gboolean
job_state (SpCups   *cups,
           int       job_id,
           JobState *js)
{
  static const char *const wanted[] = { "job-state", "job-state-reasons" };
  ipp_t *request = new_job_request (IPP_OP_GET_JOB_ATTRIBUTES, job_id);
  ipp_t *response;
  ipp_attribute_t *attr;
  gboolean ok = FALSE;

  ippAddStrings (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                 G_N_ELEMENTS (wanted), NULL, wanted);
  response = cupsDoRequest (cups->http, request, "/");
  if (response != NULL && (attr = ippFindAttribute (response, "job-state", IPP_TAG_ENUM)) != NULL)
    {
      js->state = (ipp_jstate_t) ippGetInteger (attr, 0);
      js->printer_stopped = FALSE;
      if ((attr = ippFindAttribute (response, "job-state-reasons", IPP_TAG_KEYWORD)) != NULL)
        for (int i = 0; i < ippGetCount (attr); i++)
          if (g_strcmp0 (ippGetString (attr, i, NULL), "printer-stopped") == 0)
            js->printer_stopped = TRUE;
      ok = TRUE;
    }
  ippDelete (response);
  return ok;
}

/* The printer's state during a job, when cupsd answers (the job's own
 * state says whether it still does). */
static void
printer_now (SpCups        *cups,
             const char    *name,
             SpPrinterInfo *info)
{
  g_autoptr(SpPrinterInfo) now = query_printer (cups, name, NULL, NULL);

  if (now == NULL)
    return;
  info->state = now->state;
  info->accepting = now->accepting;
  replace_str (&info->reasons, now->reasons);
  replace_str (&info->description, now->description);
}

/* FALSE when cupsd did not answer: asking again would only wait again. */
static gboolean
cancel_job (SpCups     *cups,
            const char *printer,
            int         job_id,
            gboolean    purge)
{
  gboolean was_timed_out = cups->timed_out;

  if (job_id <= 0)
    return TRUE;
  cups->timed_out = FALSE;
  if (!cupsCancelJob2 (cups->http, printer, job_id, purge)
      && cupsLastError () > IPP_STATUS_OK_EVENTS_COMPLETE
      && cupsLastError () != IPP_STATUS_ERROR_NOT_POSSIBLE)
    /* Expected when cupsd stopped answering: said in the job's error. */
    g_message ("cannot cancel job %d on %s: %s", job_id, printer, cupsLastErrorString ());
  if (cups->timed_out)
    return FALSE;
  cups->timed_out = was_timed_out;
  return TRUE;
}

/* Follows a sent job until CUPS says how it ended. A stopped queue, or a
 * printer that cannot print, does not end a job in CUPS: it would wait,
 * and print the envelope of a voided PIN later. So those end it here. */
static gboolean
follow (SpCups      *cups,
        cups_dest_t *dest,
        int          job_id,
        GError     **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) cups->job_s * G_USEC_PER_SEC;
  g_autoptr(SpPrinterInfo) info = sp_printer_info_new (dest->name);
  gulong pause = POLL_FIRST_US;
  JobState js = { IPP_JSTATE_PENDING, FALSE };

  for (;; g_usleep (pause), pause = MIN (pause * 3 / 2, POLL_MAX_US))
    {
      if (!job_state (cups, job_id, &js))
        {
          set_request_error (cups, _("the state of the job"), error);
          return FALSE;
        }
      switch (js.state)
        {
        case IPP_JSTATE_COMPLETED:
          return TRUE;
        case IPP_JSTATE_CANCELED:
          g_set_error (error, SP_PRINT_ERROR, SP_PRINT_ERROR_CANCELLED, _("The print job was cancelled"));
          return FALSE;
        case IPP_JSTATE_ABORTED:
          g_set_error (error, SP_PRINT_ERROR, SP_PRINT_ERROR_ABORTED, _("The printer gave up on the job"));
          return FALSE;
        default:
          break;
        }
      if (g_cancellable_is_cancelled (cups->cancellable))
        {
          g_set_error (error, SP_PRINT_ERROR, SP_PRINT_ERROR_CANCELLED, _("Printing was cancelled"));
          return FALSE;
        }
      printer_now (cups, dest->name, info);
      if (!sp_printer_info_check (info, error))
        return FALSE;
      if (js.state == IPP_JSTATE_STOPPED || js.printer_stopped)
        {
          info->state = SP_PRINTER_STATE_STOPPED;
          sp_printer_info_check (info, error);
          return FALSE;
        }
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, SP_PRINT_ERROR, SP_PRINT_ERROR_TIMED_OUT,
                       _("The printer did not finish the job within %u seconds"), cups->job_s);
          return FALSE;
        }
    }
}

static int
job_options_of (const char *const *extra,
                cups_option_t    **options)
{
  int n = 0;

  /* A4 as drawn, and one copy: an envelope is never printed twice. */
  n = cupsAddOption ("media", "iso_a4_210x297mm", n, options);
  n = cupsAddOption ("copies", "1", n, options);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (extra[i], "=", 2);

      if (kv[0] != NULL && kv[1] != NULL)
        n = cupsAddOption (kv[0], kv[1], n, options);
    }
  return n;
}

/* cupsd 2.4.2-3+deb12u10 (Debian 12's current security update) crashes
 * with SIGSEGV when it starts a job whose document-name has a space in it
 * (seen here with `lp` of a file named "a b" too): the document's name is
 * kept to letters, digits and ".-_". */
static char *
document_name (const char *title)
{
  char *name = g_strdup (title);

  for (char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
      *p = '-';
  return name;
}

/* Streams the spool as the job's one document, then wipes it. */
static gboolean
send_document (SpCups       *cups,
               cups_dest_t  *dest,
               cups_dinfo_t *dinfo,
               int           job_id,
               const char   *title,
               SpPrintSpool *spool,
               GError      **error)
{
  g_autofree char *docname = document_name (title);
  gboolean sent = TRUE;

  if (cupsStartDestDocument (cups->http, dest, dinfo, job_id, docname, CUPS_FORMAT_PDF, 0, NULL, 1)
      != HTTP_STATUS_CONTINUE)
    sent = FALSE;
  for (gsize off = 0; sent && off < spool->len; off += WRITE_CHUNK)
    sent = cupsWriteRequestData (cups->http, (const char *) spool->data + off,
                                 MIN (WRITE_CHUNK, spool->len - off)) == HTTP_STATUS_CONTINUE;
  sodium_memzero (spool->data, spool->allocated);
  spool->len = 0;
  /* Always finished: it reads cupsd's answer and closes the request. */
  if (cupsFinishDestDocument (cups->http, dest, dinfo) > IPP_STATUS_OK_EVENTS_COMPLETE)
    sent = FALSE;
  if (!sent)
    set_request_error (cups, _("the document"), error);
  return sent;
}

static gboolean
create_job (SpCups             *cups,
            cups_dest_t        *dest,
            cups_dinfo_t       *dinfo,
            const char         *title,
            const char *const  *job_options,
            int                *job_id,
            GError            **error)
{
  cups_option_t *options = NULL;
  int n = job_options_of (job_options, &options);
  ipp_status_t status = cupsCreateDestJob (cups->http, dest, dinfo, job_id, title, n, options);

  cupsFreeOptions (n, options);
  if (status <= IPP_STATUS_OK_EVENTS_COMPLETE && *job_id > 0)
    return TRUE;
  *job_id = 0;
  if (status == IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS)
    {
      g_autoptr(SpPrinterInfo) info = sp_printer_info_new (dest->name);

      info->accepting = FALSE;
      return sp_printer_info_check (info, error);
    }
  set_request_error (cups, _("the print job"), error);
  return FALSE;
}

gboolean
sp_cups_print (SpCups             *cups,
               const char         *printer,
               const char         *title,
               SpPrintSpool       *spool,
               gboolean            purge,
               const char *const  *job_options,
               int                *job_id,
               GError            **error)
{
  cups_dest_t *dest = NULL;
  cups_dinfo_t *dinfo = NULL;
  g_autoptr(SpPrinterInfo) info = NULL;
  g_autofree char *uri = NULL;
  gboolean ok = FALSE;

  *job_id = 0;
  /* Checked before any job exists: a stopped printer is said at once. */
  if ((info = query_printer (cups, printer, &uri, error)) == NULL || !sp_printer_info_check (info, error))
    goto out;
  cupsAddDest (printer, NULL, 0, &dest);
  dest->num_options = cupsAddOption ("printer-uri-supported", uri, dest->num_options, &dest->options);
  if ((dinfo = cupsCopyDestInfo (cups->http, dest)) == NULL)
    {
      set_request_error (cups, _("the printer's capabilities"), error);
      goto out;
    }
  if (!create_job (cups, dest, dinfo, title, job_options, job_id, error))
    goto out;
  if (!send_document (cups, dest, dinfo, *job_id, title, spool, error))
    {
      cancel_job (cups, printer, *job_id, purge);
      goto out;
    }
  ok = follow (cups, dest, *job_id, error);
  /* A job that did not print is cancelled, so that a voided PIN's
   * envelope never comes out later; the spooled envelope holds the PIN,
   * and CUPS keeps job files for a day by default (PreserveJobFiles):
   * ours go as soon as the job ends. */
  if ((ok || cancel_job (cups, printer, *job_id, FALSE)) && purge)
    cancel_job (cups, printer, *job_id, TRUE);

out:
  sodium_memzero (spool->data, spool->allocated);
  spool->len = 0;
  cupsFreeDestInfo (dinfo);
  if (dest != NULL)
    cupsFreeDests (1, dest);
  return ok;
}
