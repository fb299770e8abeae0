/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <curl/curl.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#include "sp-central-db-channels.h"
#include "sp-central-outbox.h"
#include "sp-central-sealer.h"

#define BATCH 50
#define MAX_ATTEMPTS 20
#define MAX_BACKOFF_MS (5 * 60 * 1000)
#define IDLE_WAIT_US (300 * G_TIME_SPAN_MILLISECOND)
#define LEASE_MS (60 * 1000)

struct _SpCentralOutbox {
  SpCentralDb *db;
  CURL *curl;                    /* reused: keeps the relay's connection open */
  GThread *thread;
  GMutex lock;
  GCond wake;
  gboolean stop;
  char *smtp_url, *smtp_from, *sms_url, *sms_token;
  gboolean smtp_tls_required;
  gint64 retry_ms;
  gint64 undelivered_ms;         /* a first half not sent after this is flagged */
  gint64 next_flag_check;        /* monotonic µs */
};

/* The citizen-facing texts: Italian, "Lei" (DESIGN §2). %s: "prima" or
 * "seconda", then the half; the last line says where the other half goes. */
#define SMS_TEXT "INPS: la %s parte del Suo PIN e' %s. %s"
#define MAIL_SUBJECT "Il Suo PIN INPS: la %s parte"
#define MAIL_TEXT "Gentile utente,\r\n\r\nla %s parte del Suo PIN INPS e': %s\r\n\r\n%s\r\n" \
                  "Non comunichi il PIN a nessuno. Se non ha chiesto il PIN, chiami il Contact Center.\r\n"
#define OTHER_BY_LETTER "La seconda parte Le arrivera' per lettera all'indirizzo di residenza."
#define OTHER_BY_SMS "La prima parte Le e' stata inviata per SMS."

static const char *
which (guint half)
{
  return half == 0 ? "prima" : "seconda";
}

static const char *
other (guint half)
{
  return half == 0 ? OTHER_BY_LETTER : OTHER_BY_SMS;
}

typedef struct {
  const char *data;
  gsize len, pos;
} Upload;

static size_t
read_upload (char   *buffer,
             size_t  size,
             size_t  n,
             void   *user_data)
{
  Upload *u = user_data;
  gsize take = MIN (size * n, u->len - u->pos);

  memcpy (buffer, u->data + u->pos, take);
  u->pos += take;
  return take;
}

static size_t
discard (char *p, size_t size, size_t n, void *user_data)
{
  return size * n;
}

static gboolean
send_mail (SpCentralOutbox *o,
           const char      *to,
           const char      *half,
           guint            n)
{
  g_autofree char *body = g_strdup_printf (MAIL_TEXT, which (n), half, other (n));
  g_autofree char *subject = g_strdup_printf (MAIL_SUBJECT, which (n));
  g_autofree char *message = g_strdup_printf ("From: %s\r\nTo: <%s>\r\nSubject: %s\r\n"
                                              "Content-Type: text/plain; charset=UTF-8\r\n\r\n%s",
                                              o->smtp_from, to, subject, body);
  g_autofree char *rcpt_addr = g_strdup_printf ("<%s>", to);
  struct curl_slist *rcpt = curl_slist_append (NULL, rcpt_addr);
  Upload up = { message, strlen (message), 0 };
  CURL *curl = o->curl;
  CURLcode rc;

  curl_easy_reset (curl);
  curl_easy_setopt (curl, CURLOPT_URL, o->smtp_url);
  curl_easy_setopt (curl, CURLOPT_MAIL_FROM, o->smtp_from);
  curl_easy_setopt (curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt (curl, CURLOPT_USE_SSL, (long) (o->smtp_tls_required ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  curl_easy_setopt (curl, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt (curl, CURLOPT_READDATA, &up);
  curl_easy_setopt (curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  rc = curl_easy_perform (curl);
  curl_slist_free_all (rcpt);
  sodium_memzero (message, strlen (message));
  sodium_memzero (body, strlen (body));
  if (rc != CURLE_OK)
    g_message ("outbox: e-mail not sent (%s), will retry", curl_easy_strerror (rc));
  return rc == CURLE_OK;
}

static gboolean
send_sms (SpCentralOutbox *o,
          const char      *to,
          const char      *half,
          guint            n)
{
  g_autofree char *text = g_strdup_printf (SMS_TEXT, which (n), half, n == 0 ? other (0) : "");
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree char *auth = g_strdup_printf ("Authorization: Bearer %s", o->sms_token ? o->sms_token : "");
  struct curl_slist *headers = NULL;
  CURL *curl = o->curl;
  long status = 0;
  CURLcode rc;

  curl_easy_reset (curl);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "to");
  json_builder_add_string_value (b, to);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, text);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, FALSE);
  headers = curl_slist_append (headers, "Content-Type: application/json");
  headers = curl_slist_append (headers, auth);
  curl_easy_setopt (curl, CURLOPT_URL, o->sms_url);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_POSTFIELDS, json);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  rc = curl_easy_perform (curl);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all (headers);
  sodium_memzero (json, strlen (json));
  sodium_memzero (text, strlen (text));
  if (rc != CURLE_OK || status < 200 || status >= 300)
    g_message ("outbox: SMS not sent (%s, HTTP %ld), will retry", curl_easy_strerror (rc), status);
  return rc == CURLE_OK && status >= 200 && status < 300;
}

/* One message of a claimed batch: opened and sent; the outcome is
 * written with the batch's. */
static SpCentralOutboxResult
deliver (SpCentralOutbox        *o,
         SpCentralOutboxMessage *m,
         gint64                  now)
{
  gsize nonce_len, sealed_len;
  const guint8 *nonce = g_bytes_get_data (m->nonce, &nonce_len);
  const guint8 *sealed = g_bytes_get_data (m->sealed, &sealed_len);
  char *half = nonce_len == SP_CENTRAL_SEAL_NONCE ? sp_central_sealer_open (nonce, sealed, sealed_len) : NULL;
  gboolean is_sms = g_str_equal (m->transport, "sms");
  gboolean ready = is_sms ? o->sms_url != NULL : o->smtp_url != NULL;
  SpCentralOutboxResult result = { m->id, FALSE, 0, FALSE };

  if (half != NULL && ready)
    result.sent = is_sms ? send_sms (o, m->recipient, half, m->half) : send_mail (o, m->recipient, half, m->half);
  if (half != NULL)
    sodium_free (half);
  if (!result.sent)
    {
      result.next_at = now + MIN (o->retry_ms << MIN (m->attempts, 16), MAX_BACKOFF_MS);
      result.give_up = half == NULL || m->attempts + 1 >= MAX_ATTEMPTS;
    }
  return result;
}

/* A batch: claimed in one transaction (several processes or instances
 * may send; a sender that dies holding a claim lets it go after the
 * lease), sent, settled in one transaction. A crash between sending and
 * settling sends those again: at least once, never lost. */
static guint
send_batch (SpCentralOutbox *o)
{
  gint64 now = g_get_real_time () / 1000;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) taken = NULL;
  g_autofree SpCentralOutboxResult *results = NULL;
  guint n = 0;

  if (o->sms_url == NULL && o->smtp_url == NULL)
    return 0;
  taken = sp_central_db_outbox_take (o->db, now, now + LEASE_MS, BATCH, o->sms_url != NULL, o->smtp_url != NULL,
                                     &error);
  if (taken == NULL)
    {
      g_message ("outbox: %s (will retry)", error->message);
      return 0;
    }
  results = g_new0 (SpCentralOutboxResult, MAX (taken->len, 1));
  for (; n < taken->len && !g_atomic_int_get (&o->stop); n++)
    results[n] = deliver (o, g_ptr_array_index (taken, n), now);
  if (n > 0 && !sp_central_db_outbox_settle (o->db, results, n, g_get_real_time () / 1000, &error))
    g_message ("outbox: %s (will retry)", error->message);
  return taken->len;
}

/* Every second at most: the requests whose first half is overdue go to
 * the Contact Center's attention (GET /v1/pin-requests?status=undelivered). */
static void
flag_overdue (SpCentralOutbox *o)
{
  gint64 now = g_get_real_time () / 1000;
  g_autoptr(GError) error = NULL;
  guint n;

  if (g_get_monotonic_time () < o->next_flag_check)
    return;
  o->next_flag_check = g_get_monotonic_time () + G_TIME_SPAN_SECOND / 4;
  if (!sp_central_db_flag_undelivered (o->db, now - o->undelivered_ms, now, &n, &error))
    g_message ("outbox: %s (will retry)", error->message);
  else if (n > 0)
    g_message ("outbox: %u requests flagged: first half not delivered in time", n);
}

static gpointer
sender_main (gpointer data)
{
  SpCentralOutbox *o = data;

  g_mutex_lock (&o->lock);
  while (!o->stop)
    {
      guint n;

      g_mutex_unlock (&o->lock);
      flag_overdue (o);
      n = send_batch (o);
      g_mutex_lock (&o->lock);
      if (!o->stop && n < BATCH)
        g_cond_wait_until (&o->wake, &o->lock, g_get_monotonic_time () + IDLE_WAIT_US);
    }
  g_mutex_unlock (&o->lock);
  return NULL;
}

static char *
env (const char *name)
{
  const char *v = g_getenv (name);

  return v && *v ? g_strdup (v) : NULL;
}

SpCentralOutbox *
sp_central_outbox_start (const char *location,
                         GError    **error)
{
  static gsize curl_once;
  SpCentralOutbox *o;
  SpCentralDb *db;
  g_autofree char *retry = env ("SP_CENTRAL_OUTBOX_RETRY_MS");
  g_autofree char *tls = env ("SP_CENTRAL_SMTP_TLS");
  g_autofree char *undelivered = env ("SP_CENTRAL_UNDELIVERED_MS");

  if (g_once_init_enter (&curl_once))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&curl_once, 1);
    }
  if (!sp_central_sealer_init (error) || (db = sp_central_db_open (location, error)) == NULL)
    return NULL;
  o = g_new0 (SpCentralOutbox, 1);
  o->db = db;
  o->curl = curl_easy_init ();
  o->smtp_url = env ("SP_CENTRAL_SMTP_URL");
  o->smtp_from = env ("SP_CENTRAL_SMTP_FROM");
  if (o->smtp_from == NULL)
    o->smtp_from = g_strdup ("pin@inps.invalid");
  o->smtp_tls_required = tls == NULL || !g_str_equal (tls, "try");
  o->sms_url = env ("SP_CENTRAL_SMS_URL");
  o->sms_token = env ("SP_CENTRAL_SMS_TOKEN");
  o->retry_ms = retry ? MAX (g_ascii_strtoll (retry, NULL, 10), 10) : 5000;
  o->undelivered_ms = undelivered ? MAX (g_ascii_strtoll (undelivered, NULL, 10), 1) : 12 * 3600 * 1000;
  g_mutex_init (&o->lock);
  g_cond_init (&o->wake);
  o->thread = g_thread_new ("outbox", sender_main, o);
  return o;
}

void
sp_central_outbox_stop (SpCentralOutbox *o)
{
  if (o == NULL)
    return;
  g_mutex_lock (&o->lock);
  g_atomic_int_set (&o->stop, TRUE);
  g_cond_signal (&o->wake);
  g_mutex_unlock (&o->lock);
  g_thread_join (o->thread);
  sp_central_db_close (o->db);
  curl_easy_cleanup (o->curl);
  g_free (o->smtp_url);
  g_free (o->smtp_from);
  g_free (o->sms_url);
  if (o->sms_token)
    sodium_memzero (o->sms_token, strlen (o->sms_token));
  g_free (o->sms_token);
  g_mutex_clear (&o->lock);
  g_cond_clear (&o->wake);
  g_free (o);
}
