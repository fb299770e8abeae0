/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SANE worker thread: the only code that calls sane_*. It serves one
 * request at a time, checks between reads whether its job was cancelled,
 * and reports through events; it never touches the SpScanner object. */
#define G_LOG_DOMAIN "sp-scan"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <sane/sane.h>
#include <sane/saneopts.h>

#include "sp-scanner-private.h"

/* SANE's auth callback has no user data: the one shared state it answers
 * for (SANE is process-global, so is this). */
static SpScanShared *auth_shared;

/* A page longer than this many inches is a device gone wrong. */
#define MAX_PAGE_INCHES 40
/* Progress at most this often, in lines (the preview needs no more). */
#define PROGRESS_STEP_MIN 32

GError *
sp_scan_error_from_sane (int status)
{
  GError *error = NULL;
  SpScanError code;

  switch (status)
    {
    case SANE_STATUS_DEVICE_BUSY: code = SP_SCAN_ERROR_BUSY; break;
    case SANE_STATUS_JAMMED: code = SP_SCAN_ERROR_JAMMED; break;
    case SANE_STATUS_NO_DOCS: code = SP_SCAN_ERROR_NO_DOCS; break;
    case SANE_STATUS_COVER_OPEN: code = SP_SCAN_ERROR_COVER_OPEN; break;
    case SANE_STATUS_IO_ERROR: code = SP_SCAN_ERROR_IO; break;
    case SANE_STATUS_NO_MEM: code = SP_SCAN_ERROR_NO_MEM; break;
    case SANE_STATUS_ACCESS_DENIED: code = SP_SCAN_ERROR_ACCESS_DENIED; break;
    case SANE_STATUS_CANCELLED: code = SP_SCAN_ERROR_CANCELLED; break;
    case SANE_STATUS_EOF: code = SP_SCAN_ERROR_BAD_PAGE; break;
    default:
      sp_scan_set_error (&error, SP_SCAN_ERROR_FAILED, sane_strstatus ((SANE_Status) status));
      return error;
    }
  sp_scan_set_error (&error, code, NULL);
  return error;
}

void
sp_scan_worker_authorize (const char *resource,
                          char       *username,
                          char       *password)
{
  SpScanEvent *ev;
  SpScanPassword *answer;

  username[0] = password[0] = '\0';
  if (auth_shared == NULL)
    return;
  ev = sp_scan_event_new (SP_SCAN_EVENT_PASSWORD, 0);
  ev->resource = g_strdup (resource);
  sp_scan_shared_post (auth_shared, ev);
  /* The operator may take a while; five minutes, then the backend is
   * told "no password" and reports access denied. */
  answer = g_async_queue_timeout_pop (auth_shared->passwords, 5 * 60 * G_USEC_PER_SEC);
  if (answer == NULL)
    return;
  if (answer->username != NULL && answer->password != NULL)
    {
      g_strlcpy (username, answer->username, SP_SCAN_MAX_USERNAME);
      g_strlcpy (password, answer->password, SP_SCAN_MAX_PASSWORD);
    }
  sp_scan_password_free (answer);
}

static void
auth_callback (SANE_String_Const resource,
               SANE_Char         username[SANE_MAX_USERNAME_LEN],
               SANE_Char         password[SANE_MAX_PASSWORD_LEN])
{
  G_STATIC_ASSERT (SP_SCAN_MAX_USERNAME == SANE_MAX_USERNAME_LEN);
  G_STATIC_ASSERT (SP_SCAN_MAX_PASSWORD == SANE_MAX_PASSWORD_LEN);
  sp_scan_worker_authorize (resource, username, password);
}

/* ---- Devices ------------------------------------------------------------ */

static GPtrArray *
list_devices (void)
{
  const SANE_Device **list = NULL;
  GPtrArray *devices = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_scan_device_free);

  if (sane_get_devices (&list, SANE_FALSE) != SANE_STATUS_GOOD || list == NULL)
    return devices;
  for (guint i = 0; list[i] != NULL; i++)
    {
      SpScanDevice *device = g_new0 (SpScanDevice, 1);

      device->name = g_strdup (list[i]->name);
      device->vendor = g_strdup (list[i]->vendor);
      device->model = g_strdup (list[i]->model);
      device->type = g_strdup (list[i]->type);
      g_ptr_array_add (devices, device);
    }
  return devices;
}

static void
worker_refresh (SpScanShared *shared)
{
  SpScanEvent *ev = sp_scan_event_new (SP_SCAN_EVENT_DEVICES, 0);

  ev->devices = list_devices ();
  sp_scan_shared_post (shared, ev);
}

/* ---- Options ------------------------------------------------------------ */

static const SANE_Option_Descriptor *
find_option (SANE_Handle  h,
             const char  *name,
             SANE_Int    *index)
{
  for (SANE_Int i = 1;; i++)
    {
      const SANE_Option_Descriptor *d = sane_get_option_descriptor (h, i);

      if (d == NULL)
        return NULL;
      if (d->name != NULL && strcmp (d->name, name) == 0
          && SANE_OPTION_IS_ACTIVE (d->cap) && SANE_OPTION_IS_SETTABLE (d->cap))
        {
          *index = i;
          return d;
        }
    }
}

static gboolean
set_string (SANE_Handle h,
            const char *name,
            const char *value)
{
  SANE_Int index, info = 0;
  const SANE_Option_Descriptor *d = find_option (h, name, &index);
  g_autofree char *buffer = NULL;

  if (d == NULL || d->type != SANE_TYPE_STRING || d->size <= 0)
    return FALSE;
  buffer = g_malloc0 ((gsize) d->size);
  g_strlcpy (buffer, value, (gsize) d->size);
  return sane_control_option (h, index, SANE_ACTION_SET_VALUE, buffer, &info) == SANE_STATUS_GOOD;
}

/* A number into an INT, FIXED or BOOL option; the value the device kept. */
static gboolean
set_number (SANE_Handle h,
            const char *name,
            double      value,
            double     *actual)
{
  SANE_Int index, info = 0;
  const SANE_Option_Descriptor *d = find_option (h, name, &index);
  SANE_Word word;

  if (d == NULL || d->size != sizeof (SANE_Word))
    return FALSE;
  if (d->type == SANE_TYPE_FIXED)
    word = SANE_FIX (value);
  else if (d->type == SANE_TYPE_INT || d->type == SANE_TYPE_BOOL)
    word = (SANE_Word) lround (value);
  else
    return FALSE;
  if (sane_control_option (h, index, SANE_ACTION_SET_VALUE, &word, &info) != SANE_STATUS_GOOD)
    return FALSE;
  if (actual != NULL && sane_control_option (h, index, SANE_ACTION_GET_VALUE, &word, NULL) == SANE_STATUS_GOOD)
    *actual = d->type == SANE_TYPE_FIXED ? SANE_UNFIX (word) : word;
  return TRUE;
}

/* The first entry of a string option's list that contains one of the
 * words (case-folded), or NULL. Devices name their sources freely:
 * "Flatbed", "ADF Front", "ADF Duplex", "Automatic Document Feeder"… */
static const char *
pick_string (SANE_Handle        h,
             const char        *name,
             const char *const *words,
             const char        *unless)
{
  SANE_Int index;
  const SANE_Option_Descriptor *d = find_option (h, name, &index);

  if (d == NULL || d->constraint_type != SANE_CONSTRAINT_STRING_LIST)
    return NULL;
  for (guint w = 0; words[w] != NULL; w++)
    for (guint i = 0; d->constraint.string_list[i] != NULL; i++)
      {
        g_autofree char *folded = g_ascii_strdown (d->constraint.string_list[i], -1);

        if (strstr (folded, words[w]) != NULL && (unless == NULL || strstr (folded, unless) == NULL))
          return d->constraint.string_list[i];
      }
  return NULL;
}

static double
nearest_in (const SANE_Option_Descriptor *d,
            double                        want)
{
  double best = want;

#define VALUE(w) (d->type == SANE_TYPE_FIXED ? SANE_UNFIX (w) : (double) (w))
  if (d->constraint_type == SANE_CONSTRAINT_RANGE)
    {
      double lo = VALUE (d->constraint.range->min), hi = VALUE (d->constraint.range->max);
      double quant = VALUE (d->constraint.range->quant);

      best = CLAMP (want, lo, hi);
      if (quant > 0)
        best = MIN (hi, lo + round ((best - lo) / quant) * quant);
    }
  else if (d->constraint_type == SANE_CONSTRAINT_WORD_LIST)
    {
      double distance = G_MAXDOUBLE;

      for (SANE_Int i = 1; i <= d->constraint.word_list[0]; i++)
        if (fabs (VALUE (d->constraint.word_list[i]) - want) < distance)
          {
            distance = fabs (VALUE (d->constraint.word_list[i]) - want);
            best = VALUE (d->constraint.word_list[i]);
          }
    }
#undef VALUE
  return best;
}

static double
range_max (SANE_Handle h,
           const char *name)
{
  SANE_Int index;
  const SANE_Option_Descriptor *d = find_option (h, name, &index);

  if (d == NULL)
    return 0;
  return nearest_in (d, G_MAXINT / 2);
}

/* tl at the corner, br at width × height mm, within the glass. */
static void
set_area (SANE_Handle h,
          SpScanArea  area,
          double      dpi)
{
  double w_mm, h_mm;
  SANE_Int index;
  const SANE_Option_Descriptor *d;

  switch (area)
    {
    case SP_SCAN_AREA_ID1:
      /* A few mm more than the card, for the operator's aim. */
      w_mm = 90;
      h_mm = 58;
      break;
    case SP_SCAN_AREA_FULL:
      w_mm = h_mm = G_MAXINT / 2;
      break;
    case SP_SCAN_AREA_A4:
    default:
      w_mm = 210;
      h_mm = 297;
      break;
    }
  set_number (h, SANE_NAME_SCAN_TL_X, 0, NULL);
  set_number (h, SANE_NAME_SCAN_TL_Y, 0, NULL);
  d = find_option (h, SANE_NAME_SCAN_BR_X, &index);
  if (d != NULL && d->unit == SANE_UNIT_PIXEL)
    {
      w_mm = w_mm / 25.4 * dpi;
      h_mm = h_mm / 25.4 * dpi;
    }
  set_number (h, SANE_NAME_SCAN_BR_X, MIN (w_mm, range_max (h, SANE_NAME_SCAN_BR_X)), NULL);
  set_number (h, SANE_NAME_SCAN_BR_Y, MIN (h_mm, range_max (h, SANE_NAME_SCAN_BR_Y)), NULL);
}

/* "name=value": for the device's own options and the test backend. */
static void
set_extra (SANE_Handle h,
           const char *assignment)
{
  g_auto(GStrv) parts = g_strsplit (assignment, "=", 2);
  SANE_Int index;
  const SANE_Option_Descriptor *d;

  if (parts[0] == NULL || parts[1] == NULL)
    return;
  d = find_option (h, parts[0], &index);
  if (d == NULL)
    {
      g_debug ("scanner has no settable option %s", parts[0]);
      return;
    }
  if (d->type == SANE_TYPE_STRING)
    set_string (h, parts[0], parts[1]);
  else if (d->type == SANE_TYPE_BOOL)
    set_number (h, parts[0], g_ascii_strcasecmp (parts[1], "yes") == 0
                             || g_ascii_strcasecmp (parts[1], "true") == 0
                             || strcmp (parts[1], "1") == 0, NULL);
  else
    set_number (h, parts[0], g_ascii_strtod (parts[1], NULL), NULL);
}

/* Sets what the device offers closest to opts; returns the resolution. */
static guint
configure (SANE_Handle          h,
           const SpScanOptions *opts)
{
  static const char *const flatbed[] = { "flatbed", "normal", NULL };
  static const char *const feeder[] = { "adf", "feeder", "automatic", NULL };
  static const char *const duplex[] = { "duplex", NULL };
  static const char *const colour[] = { "color", "colour", NULL };
  static const char *const grey[] = { "gray", "grey", NULL };
  const char *value = NULL;
  SANE_Int index;
  const SANE_Option_Descriptor *d;
  double dpi = opts->dpi > 0 ? opts->dpi : 300, actual = dpi;

  if (opts->source == SP_SCAN_SOURCE_DUPLEX)
    value = pick_string (h, SANE_NAME_SCAN_SOURCE, duplex, NULL);
  if (value == NULL && opts->source != SP_SCAN_SOURCE_FLATBED)
    value = pick_string (h, SANE_NAME_SCAN_SOURCE, feeder, "duplex");
  if (value == NULL)
    value = pick_string (h, SANE_NAME_SCAN_SOURCE, flatbed, NULL);
  if (value != NULL)
    set_string (h, SANE_NAME_SCAN_SOURCE, value);

  value = pick_string (h, SANE_NAME_SCAN_MODE, opts->colour ? colour : grey, "lineart");
  if (value != NULL)
    set_string (h, SANE_NAME_SCAN_MODE, value);
  set_number (h, SANE_NAME_BIT_DEPTH, 8, NULL);

  d = find_option (h, SANE_NAME_SCAN_RESOLUTION, &index);
  if (d != NULL)
    set_number (h, SANE_NAME_SCAN_RESOLUTION, nearest_in (d, dpi), &actual);
  set_area (h, opts->area, actual);

  for (guint i = 0; opts->extra_options != NULL && opts->extra_options[i] != NULL; i++)
    set_extra (h, opts->extra_options[i]);
  return (guint) CLAMP (lround (actual), 1, 9600);
}

/* ---- Reading a page ----------------------------------------------------- */

/* One line of device data into row y of page, 8 bits per sample. */
static void
convert_line (const SANE_Parameters *p,
              const guint8          *line,
              SpScanPage            *page,
              guint                  y)
{
  guint8 *row = sp_scan_page_get_data (page) + sp_scan_page_get_stride (page) * y;
  guint samples = (guint) p->pixels_per_line * sp_scan_page_get_channels (page);

  if (p->depth == 8)
    memcpy (row, line, samples);
  else if (p->depth == 16)
    for (guint i = 0; i < samples; i++)
      {
        guint16 v;

        memcpy (&v, line + 2 * i, 2);   /* SANE's 16 bits: host order */
        row[i] = (guint8) (v >> 8);
      }
  else /* 1 bit: set means black */
    for (guint i = 0; i < samples; i++)
      row[i] = (line[i / 8] & (0x80 >> (i % 8))) ? 0 : 255;
}

typedef struct {
  SpScanShared *shared;
  guint job;
  guint index;
  SpScanPage *page;
  guint reported;          /* lines already sent for the preview */
  guint step;
} Progress;

static void
report_progress (Progress *pr,
                 guint     lines)
{
  SpScanEvent *ev;
  gsize stride = sp_scan_page_get_stride (pr->page);

  if (lines <= pr->reported)
    return;
  ev = sp_scan_event_new (SP_SCAN_EVENT_PROGRESS, pr->job);
  ev->page = pr->index;
  ev->first_line = pr->reported;
  ev->n_lines = lines - pr->reported;
  ev->rows = g_bytes_new (sp_scan_page_peek_data (pr->page) + stride * pr->reported,
                          stride * ev->n_lines);
  sp_scan_shared_post (pr->shared, ev);
  pr->reported = lines;
}

static gboolean
parameters_ok (const SANE_Parameters *p,
               guint                  dpi)
{
  guint channels = p->format == SANE_FRAME_RGB ? 3 : 1;
  guint64 needed = ((guint64) p->pixels_per_line * channels * (guint) p->depth + 7) / 8;

  if (p->format != SANE_FRAME_GRAY && p->format != SANE_FRAME_RGB)
    return FALSE;   /* three-pass scanners: not supported */
  if (p->depth != 1 && p->depth != 8 && p->depth != 16)
    return FALSE;
  if (p->depth == 1 && channels != 1)
    return FALSE;
  if (p->pixels_per_line <= 0 || (guint) p->pixels_per_line > MAX_PAGE_INCHES * dpi)
    return FALSE;
  if (p->bytes_per_line <= 0 || (guint64) p->bytes_per_line < needed)
    return FALSE;
  return p->lines != 0 && p->lines <= (SANE_Int) (MAX_PAGE_INCHES * dpi);
}

static SpScanPage *
read_page (SpScanShared *shared,
           SANE_Handle   h,
           guint         job,
           guint         index,
           guint         dpi,
           GError      **error)
{
  SANE_Parameters p;
  SANE_Status st;
  g_autoptr(SpScanPage) page = NULL;
  g_autofree guint8 *buffer = NULL;
  gsize bpl, capacity, filled = 0;
  guint line = 0, max_lines = MAX_PAGE_INCHES * dpi;
  Progress pr = { shared, job, index, NULL, 0, 0 };
  SpScanEvent *ev;

  if (sane_get_parameters (h, &p) != SANE_STATUS_GOOD || !parameters_ok (&p, dpi))
    {
      sp_scan_set_error (error, SP_SCAN_ERROR_BAD_PAGE, NULL);
      return NULL;
    }
  /* Unknown height (lines < 0): start with A4's and grow. */
  page = sp_scan_page_new ((guint) p.pixels_per_line,
                           p.lines > 0 ? (guint) p.lines : (guint) (11.7 * dpi),
                           dpi, p.format == SANE_FRAME_RGB);
  if (page == NULL)
    {
      sp_scan_set_error (error, SP_SCAN_ERROR_NO_MEM, NULL);
      return NULL;
    }
  ev = sp_scan_event_new (SP_SCAN_EVENT_PAGE_STARTED, job);
  ev->page = index;
  ev->width = (guint) p.pixels_per_line;
  ev->height = p.lines > 0 ? (guint) p.lines : 0;
  ev->dpi = dpi;
  ev->colour = p.format == SANE_FRAME_RGB;
  sp_scan_shared_post (shared, ev);

  pr.page = page;
  pr.step = MAX (PROGRESS_STEP_MIN, sp_scan_page_get_height (page) / 25);
  bpl = (gsize) p.bytes_per_line;
  capacity = MAX (bpl * 64, 256 * 1024);
  buffer = g_malloc (capacity);

  for (;;)
    {
      SANE_Int n = 0;
      gsize done = 0;

      if (sp_scan_shared_is_cancelled (shared, job))
        {
          sp_scan_set_error (error, SP_SCAN_ERROR_CANCELLED, NULL);
          return NULL;
        }
      st = sane_read (h, buffer + filled, (SANE_Int) MIN (capacity - filled, G_MAXINT32), &n);
      if (st == SANE_STATUS_EOF)
        break;
      if (st != SANE_STATUS_GOOD)
        {
          /* The device failed at once: its reader thread (if the backend
           * has one) may be just starting, inside malloc; give it time to
           * settle before sane_cancel cancels it (see below). */
          if (line == 0)
            g_usleep (50 * 1000);
          g_propagate_error (error, sp_scan_error_from_sane (st));
          return NULL;
        }
      if (n < 0 || (gsize) n > capacity - filled)
        {
          sp_scan_set_error (error, SP_SCAN_ERROR_BAD_PAGE, NULL);
          return NULL;
        }
      filled += (gsize) n;
      for (; filled - done >= bpl; done += bpl, line++)
        {
          if (line >= sp_scan_page_get_height (page))
            {
              /* More lines than announced, or than any page has. */
              if (p.lines > 0 || line >= max_lines)
                {
                  sp_scan_set_error (error, SP_SCAN_ERROR_BAD_PAGE, NULL);
                  return NULL;
                }
              if (!sp_scan_page_grow (page, MIN (max_lines, line * 2)))
                {
                  sp_scan_set_error (error, SP_SCAN_ERROR_NO_MEM, NULL);
                  return NULL;
                }
            }
          convert_line (&p, buffer + done, page, line);
        }
      memmove (buffer, buffer + done, filled - done);
      filled -= done;
      if (line - pr.reported >= pr.step)
        report_progress (&pr, line);
      /* The whole page is in. Many backends (the test one among them)
       * read the device on a thread and pthread_cancel it when sane_read
       * meets the end; caught while exiting, that thread can die holding
       * a malloc lock and hang the next scan. Let it finish first. */
      if (p.lines > 0 && line == (guint) p.lines)
        g_usleep (20 * 1000);
    }

  /* A page that stopped short is not a document to archive. */
  if (line == 0 || (p.lines > 0 && line < (guint) p.lines))
    {
      sp_scan_set_error (error, SP_SCAN_ERROR_BAD_PAGE, NULL);
      return NULL;
    }
  if (line < sp_scan_page_get_height (page))
    sp_scan_page_truncate (page, line);
  report_progress (&pr, line);
  return g_steal_pointer (&page);
}

/* ---- Jobs --------------------------------------------------------------- */

static char *
first_device (void)
{
  g_autoptr(GPtrArray) devices = list_devices ();

  if (devices->len == 0)
    return NULL;
  return g_strdup (((SpScanDevice *) g_ptr_array_index (devices, 0))->name);
}

static void
worker_scan (SpScanShared  *shared,
             SpScanRequest *req)
{
  g_autofree char *device = g_strdup (req->device);
  GError *error = NULL;
  SANE_Handle h = NULL;
  SANE_Status st;
  SpScanEvent *ev;
  guint dpi, max_pages;

  if (sp_scan_shared_is_cancelled (shared, req->job))
    return;   /* cancelled while queued: its job-done is already out */
  if (device == NULL)
    device = first_device ();
  if (device == NULL)
    {
      sp_scan_set_error (&error, SP_SCAN_ERROR_NO_DEVICE, NULL);
      goto done;
    }
  st = sane_open (device, &h);
  if (st == SANE_STATUS_INVAL && req->remembered)
    {
      /* The remembered scanner is gone: any scanner beats none. */
      g_free (device);
      device = first_device ();
      st = device != NULL ? sane_open (device, &h) : SANE_STATUS_INVAL;
    }
  if (st != SANE_STATUS_GOOD)
    {
      h = NULL;
      /* INVAL: no such device (unplugged since the list was made). */
      if (st == SANE_STATUS_INVAL)
        sp_scan_set_error (&error, SP_SCAN_ERROR_NO_DEVICE, NULL);
      else
        error = sp_scan_error_from_sane (st);
      goto done;
    }
  dpi = configure (h, &req->opts);
  max_pages = req->opts.max_pages;
  if (max_pages == 0)
    max_pages = req->opts.source == SP_SCAN_SOURCE_FLATBED ? 1 : 50;

  for (guint index = 0; index < max_pages; index++)
    {
      SpScanPage *page;

      if (sp_scan_shared_is_cancelled (shared, req->job))
        {
          sp_scan_set_error (&error, SP_SCAN_ERROR_CANCELLED, NULL);
          break;
        }
      st = sane_start (h);
      /* The feeder ran out after at least one page: the batch is done. */
      if (st == SANE_STATUS_NO_DOCS && index > 0)
        break;
      if (st != SANE_STATUS_GOOD)
        {
          error = sp_scan_error_from_sane (st);
          break;
        }
      page = read_page (shared, h, req->job, index, dpi, &error);
      if (page == NULL)
        break;
      ev = sp_scan_event_new (SP_SCAN_EVENT_PAGE_DONE, req->job);
      ev->page = index;
      ev->result = page;
      sp_scan_shared_post (shared, ev);
    }
  sane_cancel (h);

done:
  if (h != NULL)
    sane_close (h);
  ev = sp_scan_event_new (SP_SCAN_EVENT_JOB_DONE, req->job);
  ev->error = error;
  sp_scan_shared_post (shared, ev);
}

gpointer
sp_scan_worker_main (gpointer data)
{
  SpScanShared *shared = data;
  SANE_Int version = 0;
  gboolean running = TRUE;
  SANE_Status st;

  auth_shared = shared;
  st = sane_init (&version, auth_callback);
  if (st != SANE_STATUS_GOOD)
    g_warning ("sane_init: %s", sane_strstatus (st));

  while (running)
    {
      SpScanRequest *req = g_async_queue_pop (shared->requests);

      switch (req->kind)
        {
        case SP_SCAN_REQUEST_REFRESH:
          /* sane_exit + sane_init: some backends probe USB only there. */
          sane_exit ();
          sane_init (&version, auth_callback);
          worker_refresh (shared);
          break;
        case SP_SCAN_REQUEST_SCAN:
          worker_scan (shared, req);
          break;
        case SP_SCAN_REQUEST_QUIT:
        default:
          running = FALSE;
          break;
        }
      sp_scan_request_free (req);
    }
  sane_exit ();
  auth_shared = NULL;
  sp_scan_shared_unref (shared);
  return NULL;
}
