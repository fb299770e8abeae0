/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include "sp-central-db-channels.h"
#include "sp-central-db-private.h"
#include "sp-central-sealer.h"
#include "sp-secret.h"

#define REQUEST_COLUMNS "id, cf, channel, status, data, score, reasons, issuance_id, created_by," \
                        " created_at, decided_by, decided_at, decision_reason"

void
sp_central_pin_request_free (SpCentralPinRequest *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->cf);
  g_free (r->channel);
  g_free (r->status);
  g_free (r->data);
  g_free (r->reasons);
  g_free (r->issuance_id);
  g_free (r->created_by);
  g_free (r->decided_by);
  g_free (r->decision_reason);
  g_free (r);
}

static gpointer
request_row (SpSqlStmt *s)
{
  SpCentralPinRequest *r = g_new0 (SpCentralPinRequest, 1);

  r->id = sp_central_db_column_dup (s, 0);
  r->cf = sp_central_db_column_dup (s, 1);
  r->channel = sp_central_db_column_dup (s, 2);
  r->status = sp_central_db_column_dup (s, 3);
  r->data = sp_central_db_column_dup (s, 4);
  r->score = sp_sql_column_int64 (s, 5);
  r->reasons = sp_central_db_column_dup (s, 6);
  r->issuance_id = sp_central_db_column_dup (s, 7);
  r->created_by = sp_central_db_column_dup (s, 8);
  r->created_at = sp_sql_column_int64 (s, 9);
  r->decided_by = sp_central_db_column_dup (s, 10);
  r->decided_at = sp_sql_column_int64 (s, 11);
  r->decision_reason = sp_central_db_column_dup (s, 12);
  return r;
}

gboolean
sp_central_db_channel_kind (SpCentralDb *db,
                            gint64       operator_id,
                            char       **kind,
                            GError     **error)
{
  SpSqlStmt *s = sp_central_db_query (db, error, "SELECT kind FROM channel_principals WHERE operator_id = $1",
                                      "i", operator_id);
  gboolean found;

  *kind = NULL;
  if (s == NULL || !sp_central_db_first_row (db, s, &found, error))
    return FALSE;
  if (found)
    *kind = sp_central_db_column_dup (s, 0);
  sp_sql_reset (s);
  return TRUE;
}

gboolean
sp_central_db_add_channel_principal (SpCentralDb *db,
                                     const char  *username,
                                     const char  *kind,
                                     GError     **error)
{
  gint64 now = g_get_real_time () / 1000;
  gboolean ok = sp_central_db_write_begin (db, error);

  ok = ok && sp_central_db_run (db, error, "INSERT INTO channel_principals (operator_id, kind)"
                                           " SELECT id, $2 FROM operators WHERE username = $1",
                                "tt", username, kind)
          && sp_central_db_audit (db, "cli", "channel.principal", username, kind, now, error);
  return sp_central_db_write_end (db, ok, error);
}

/* The credential and its messages, inside the caller's transaction. */
static gboolean
write_delivery (SpCentralDb             *db,
                const SpCentralPinRequest *r,
                const char              *actor,
                const SpCentralDelivery *d,
                gint64                   now,
                GError                 **error)
{
  if (!sp_central_db_run (db, error, "INSERT INTO issuances (id, cf, sede, operator, workstation, issued_at,"
                                     " received_at, status, verifier, body, kind)"
                                     " VALUES ($1, $2, $3, $4, NULL, $5, $5, 'active', $6, $7, 'ordinario')",
                          "tttti" "tt", d->issuance_id, r->cf, r->channel, actor, now, d->verifier, r->data)
      || !sp_central_db_run (db, error, "UPDATE pin_requests SET status = 'delivered', issuance_id = $2"
                                        " WHERE id = $1", "tt", r->id, d->issuance_id))
    return FALSE;
  for (guint i = 0; i < d->n_items; i++)
    {
      const SpCentralOutboxItem *it = &d->items[i];
      g_autofree char *nonce = g_base64_encode (it->nonce, SP_CENTRAL_SEAL_NONCE);
      g_autofree char *sealed = g_base64_encode (it->sealed, it->sealed_len);

      if (!sp_central_db_run (db, error, "INSERT INTO outbox (request_id, cf, transport, recipient, half, nonce,"
                                         " sealed, status, next_at, created_at)"
                                         " VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $8)",
                              "tttti" "tt" "i", r->id, r->cf, it->transport, it->recipient, (gint64) it->half,
                              nonce, sealed, now))
        return FALSE;
    }
  if (d->letter_sealed != NULL)
    {
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (now / 1000);
      g_autofree char *day = g_date_time_format (at, "%Y-%m-%d");
      g_autofree char *id = sp_uuid_new ();

      if (!sp_central_db_run (db, error, "INSERT INTO letters (id, request_id, cf, day, sealed, sha256, created_at)"
                                         " VALUES ($1, $2, $3, $4, $5, $6, $7)", "tttttti",
                              id, r->id, r->cf, day, d->letter_sealed, d->letter_sha256, now))
        return FALSE;
    }
  if (d->simplified_verifier != NULL
      && (!sp_central_db_run (db, error, "INSERT INTO simplified_credentials (issuance_id, cf, verifier, created_at,"
                                         " status) VALUES ($1, $2, $3, $4, 'active')", "ttti",
                              d->issuance_id, r->cf, d->simplified_verifier, now)
          || !sp_central_db_audit (db, actor, "simplified.credential", r->cf, d->issuance_id, now, error)))
    return FALSE;
  return sp_central_db_audit (db, actor, "pin.deliver", r->cf, d->issuance_id, now, error);
}

gboolean
sp_central_db_pin_request_create (SpCentralDb               *db,
                                  const SpCentralPinRequest *r,
                                  const char *const         *contacts,
                                  const SpCentralDelivery   *delivery,
                                  gint64                     now,
                                  GError                   **error)
{
  /* The citizen's lock before the writers' lock, like every writer that
   * may add an issuance (README, "the locking order"). */
  gboolean ok = sp_central_db_write_begin_for (db, r->cf, error);

  ok = ok && sp_central_db_run (db, error, "INSERT INTO pin_requests (id, cf, channel, status, data, score,"
                                           " reasons, created_by, created_at)"
                                           " VALUES ($1, $2, $3, 'queued', $4, $5, $6, $7, $8)",
                                "tttti" "tti", r->id, r->cf, r->channel, r->data, r->score, r->reasons,
                                r->created_by, now)
          && sp_central_db_audit (db, r->created_by, "pin.request", r->cf, r->id, now, error);
  for (guint i = 0; ok && contacts && contacts[i] && contacts[i + 1]; i += 2)
    ok = sp_central_db_run (db, error, "INSERT INTO contacts (cf, kind, value, added_at) VALUES ($1, $2, $3, $4)"
                                       " ON CONFLICT DO NOTHING", "ttti", r->cf, contacts[i], contacts[i + 1], now);
  if (ok && delivery != NULL)
    ok = write_delivery (db, r, r->created_by, delivery, now, error);
  return sp_central_db_write_end (db, ok, error);
}

SpCentralPinRequest *
sp_central_db_pin_request_get (SpCentralDb *db,
                               const char  *id,
                               GError     **error)
{
  SpSqlStmt *s = sp_central_db_query (db, error, "SELECT " REQUEST_COLUMNS " FROM pin_requests WHERE id = $1",
                                      "t", id);
  SpCentralPinRequest *r = NULL;
  gboolean found;

  if (s == NULL || !sp_central_db_first_row (db, s, &found, error))
    return NULL;
  if (found)
    r = request_row (s);
  sp_sql_reset (s);
  if (r == NULL)
    g_set_error (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND, "no such request");
  return r;
}

gboolean
sp_central_db_pin_request_decide (SpCentralDb             *db,
                                  const char              *id,
                                  const char              *actor,
                                  const SpCentralDelivery *delivery,
                                  const char              *reason,
                                  gint64                   now,
                                  GError                 **error)
{
  g_autoptr(SpCentralPinRequest) r = sp_central_db_pin_request_get (db, id, error);
  gboolean ok;

  /* The citizen's lock first (README, "the locking order"), then read
   * again under the locks: two operators deciding at once see the second
   * one find it decided. */
  if (r == NULL || !sp_central_db_write_begin_for (db, r->cf, error))
    return FALSE;
  g_clear_pointer (&r, sp_central_pin_request_free);
  ok = (r = sp_central_db_pin_request_get (db, id, error)) != NULL;
  if (ok && !g_str_equal (r->status, "queued"))
    {
      g_set_error (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_EXISTS, "the request is %s", r->status);
      ok = FALSE;
    }
  ok = ok && sp_central_db_run (db, error, "UPDATE pin_requests SET decided_by = $2, decided_at = $3,"
                                           " decision_reason = $4, status = $5 WHERE id = $1",
                                "ttit" "t", id, actor, now, reason, delivery ? "queued" : "rejected")
          && sp_central_db_audit (db, actor, delivery ? "pin.validate" : "pin.reject", r->cf, id, now, error);
  if (ok && delivery != NULL)
    ok = write_delivery (db, r, actor, delivery, now, error);
  return sp_central_db_write_end (db, ok, error);
}

GPtrArray *
sp_central_db_pin_requests_list (SpCentralDb *db,
                                 const char  *status,
                                 GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_central_pin_request_free);
  gboolean undelivered = g_strcmp0 (status, "undelivered") == 0;
  SpSqlStmt *s = undelivered
    ? sp_central_db_query (db, error, "SELECT " REQUEST_COLUMNS " FROM pin_requests r"
                                      " WHERE flagged_at IS NOT NULL AND EXISTS (SELECT 1 FROM outbox o"
                                      " WHERE o.request_id = r.id AND o.half = 0 AND o.status <> 'sent')"
                                      " ORDER BY created_at, id LIMIT 500", "")
    : sp_central_db_query (db, error, "SELECT " REQUEST_COLUMNS " FROM pin_requests"
                                      " WHERE status = $1 ORDER BY created_at, id LIMIT 500",
                           "t", status ? status : "queued");

  if (!sp_central_db_collect (db, s, request_row, out, error))
    return NULL;
  return g_steal_pointer (&out);
}

gint64
sp_central_db_outbox_count (SpCentralDb *db,
                            const char  *request_id,
                            GError     **error)
{
  SpSqlStmt *s = sp_central_db_query (db, error, "SELECT COUNT(*) FROM outbox WHERE request_id = $1",
                                      "t", request_id);
  gboolean found;
  gint64 n = -1;

  if (s == NULL || !sp_central_db_first_row (db, s, &found, error))
    return -1;
  if (found)
    n = sp_sql_column_int64 (s, 0);
  sp_sql_reset (s);
  return n;
}

void
sp_central_outbox_message_free (SpCentralOutboxMessage *m)
{
  if (m == NULL)
    return;
  g_free (m->transport);
  g_free (m->recipient);
  g_clear_pointer (&m->nonce, g_bytes_unref);
  g_clear_pointer (&m->sealed, g_bytes_unref);
  g_free (m);
}

static GBytes *
column_bytes (SpSqlStmt *s,
              int        i)
{
  const char *text = sp_sql_column_text (s, i);
  gsize len = 0;
  guchar *data = text ? g_base64_decode (text, &len) : NULL;

  return g_bytes_new_take (data, len);
}

static gpointer
message_row (SpSqlStmt *s)
{
  SpCentralOutboxMessage *m = g_new0 (SpCentralOutboxMessage, 1);

  m->id = sp_sql_column_int64 (s, 0);
  m->transport = sp_central_db_column_dup (s, 1);
  m->recipient = sp_central_db_column_dup (s, 2);
  m->half = sp_sql_column_int64 (s, 3);
  m->nonce = column_bytes (s, 4);
  m->sealed = column_bytes (s, 5);
  m->attempts = sp_sql_column_int64 (s, 6);
  return m;
}

GPtrArray *
sp_central_db_outbox_due (SpCentralDb *db,
                          gint64       now,
                          guint        limit,
                          gboolean     sms,
                          gboolean     email,
                          GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_central_outbox_message_free);
  SpSqlStmt *s = sp_central_db_query (db, error, "SELECT id, transport, recipient, half, nonce, sealed, attempts"
                                                 " FROM outbox WHERE status = 'pending' AND next_at <= $1"
                                                 " AND ((transport = 'sms' AND $3 = 1) OR (transport = 'email' AND $4 = 1))"
                                                 " ORDER BY id LIMIT $2",
                                      "iiii", now, (gint64) limit, (gint64) sms, (gint64) email);

  if (!sp_central_db_collect (db, s, message_row, out, error))
    return NULL;
  return g_steal_pointer (&out);
}

gboolean
sp_central_db_pin_recover (SpCentralDb               *db,
                           const SpCentralPinRequest *r,
                           const SpCentralDelivery   *delivery,
                           gint64                     now,
                           GError                   **error)
{
  /* The citizen's lock first: this ends the citizen's active PIN
   * (README, "the locking order"). */
  gboolean ok = sp_central_db_write_begin_for (db, r->cf, error);

  ok = ok && sp_central_db_run (db, error, "UPDATE issuances SET status = 'superseded', ended_at = $2,"
                                           " reason = 'recovery' WHERE cf = $1 AND status = 'active'",
                                "ti", r->cf, now)
          && sp_central_db_run (db, error, "INSERT INTO pin_requests (id, cf, channel, status, data, score,"
                                           " reasons, created_by, created_at)"
                                           " VALUES ($1, $2, $3, 'queued', $4, 100, '[]', $5, $6)",
                                "tttt" "ti", r->id, r->cf, r->channel, r->data, r->created_by, now)
          && sp_central_db_audit (db, r->created_by, "pin.recover", r->cf, r->id, now, error)
          && write_delivery (db, r, r->created_by, delivery, now, error);
  return sp_central_db_write_end (db, ok, error);
}

static gpointer
contact_row (SpSqlStmt *s)
{
  return g_strdup_printf ("%s\t%s", sp_sql_column_text (s, 0), sp_sql_column_text (s, 1));
}

GPtrArray *
sp_central_db_contacts (SpCentralDb *db,
                        const char  *cf,
                        GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  SpSqlStmt *s = sp_central_db_query (db, error, "SELECT kind, value FROM contacts WHERE cf = $1"
                                                 " ORDER BY added_at, kind", "t", cf);

  if (!sp_central_db_collect (db, s, contact_row, rows, error))
    {
      g_ptr_array_unref (out);
      return NULL;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      g_auto(GStrv) kv = g_strsplit (g_ptr_array_index (rows, i), "\t", 2);

      g_ptr_array_add (out, g_strdup (kv[0]));
      g_ptr_array_add (out, g_strdup (kv[1] ? kv[1] : ""));
    }
  return out;
}

GPtrArray *
sp_central_db_outbox_take (SpCentralDb *db,
                           gint64       now,
                           gint64       lease_until,
                           guint        limit,
                           gboolean     sms,
                           gboolean     email,
                           GError     **error)
{
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_central_outbox_message_free);
  gboolean ok = sp_central_db_write_begin (db, error);

  ok = ok && (due = sp_central_db_outbox_due (db, now, limit, sms, email, error)) != NULL;
  for (guint i = 0; ok && i < due->len; i++)
    {
      SpCentralOutboxMessage *m = g_ptr_array_index (due, i);

      ok = sp_central_db_run (db, error, "UPDATE outbox SET next_at = $3 WHERE id = $1 AND status = 'pending'"
                                         " AND next_at <= $2", "iii", m->id, now, lease_until);
      if (ok && sp_sql_changes (db->sql) == 1)
        g_ptr_array_add (taken, g_ptr_array_steal_index (due, i--));
    }
  if (!sp_central_db_write_end (db, ok, error))
    return NULL;
  return g_steal_pointer (&taken);
}

gboolean
sp_central_db_outbox_settle (SpCentralDb                 *db,
                             const SpCentralOutboxResult *results,
                             guint                        n,
                             gint64                       now,
                             GError                     **error)
{
  gboolean ok = sp_central_db_write_begin (db, error);

  for (guint i = 0; ok && i < n; i++)
    ok = results[i].sent
         ? sp_central_db_run (db, error, "UPDATE outbox SET status = 'sent', sent_at = $2, attempts = attempts + 1,"
                                         " nonce = NULL, sealed = NULL WHERE id = $1", "ii", results[i].id, now)
         : sp_central_db_run (db, error, "UPDATE outbox SET attempts = attempts + 1, next_at = $2, status = $3"
                                         " WHERE id = $1", "iit", results[i].id, results[i].next_at,
                              results[i].give_up ? "failed" : "pending");
  return sp_central_db_write_end (db, ok, error);
}

void
sp_central_letter_row_free (SpCentralLetter *l)
{
  if (l == NULL)
    return;
  g_free (l->id);
  g_free (l->sha256);
  g_clear_pointer (&l->sealed, g_bytes_unref);
  g_free (l);
}

static gpointer
letter_row (SpSqlStmt *s)
{
  SpCentralLetter *l = g_new0 (SpCentralLetter, 1);
  gsize len = 0;
  guchar *data = g_base64_decode (sp_sql_column_text (s, 2), &len);

  l->id = sp_central_db_column_dup (s, 0);
  l->sha256 = sp_central_db_column_dup (s, 1);
  l->sealed = g_bytes_new_take (data, len);
  return l;
}

GPtrArray *
sp_central_db_letters_export (SpCentralDb *db,
                              const char  *day,
                              GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_central_letter_row_free);
  gint64 now = g_get_real_time () / 1000;
  gboolean ok = sp_central_db_write_begin (db, error);

  ok = ok && sp_central_db_collect (db, sp_central_db_query (db, error, "SELECT id, sha256, sealed FROM letters"
                                                                        " WHERE day = $1 AND exported_at IS NULL"
                                                                        " ORDER BY created_at, id", "t", day),
                                    letter_row, out, error)
          && sp_central_db_run (db, error, "UPDATE letters SET exported_at = $2 WHERE day = $1"
                                           " AND exported_at IS NULL", "ti", day, now)
          && sp_central_db_audit (db, "cli", "letters.export", day, NULL, now, error);
  if (!sp_central_db_write_end (db, ok, error))
    return NULL;
  return g_steal_pointer (&out);
}

static gpointer
id_row (SpSqlStmt *s)
{
  return sp_central_db_column_dup (s, 0);
}

gboolean
sp_central_db_flag_undelivered (SpCentralDb *db,
                                gint64       cutoff,
                                gint64       now,
                                guint       *n,
                                GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  gboolean ok;

  *n = 0;
  /* Read first without the write lock: nearly always there is none. */
  if (!sp_central_db_collect (db, sp_central_db_query (db, error,
                                                       "SELECT r.id FROM pin_requests r WHERE r.flagged_at IS NULL"
                                                       " AND r.status = 'delivered' AND EXISTS (SELECT 1 FROM outbox o"
                                                       " WHERE o.request_id = r.id AND o.half = 0"
                                                       " AND o.status <> 'sent' AND o.created_at <= $1)",
                                                       "i", cutoff),
                              id_row, ids, error))
    return FALSE;
  if (ids->len == 0)
    return TRUE;
  ok = sp_central_db_write_begin (db, error);
  for (guint i = 0; ok && i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);

      ok = sp_central_db_run (db, error, "UPDATE pin_requests SET flagged_at = $2 WHERE id = $1"
                                         " AND flagged_at IS NULL", "ti", id, now)
           && sp_central_db_audit (db, "outbox", "pin.undelivered", NULL, id, now, error);
    }
  if (!sp_central_db_write_end (db, ok, error))
    return FALSE;
  *n = ids->len;
  return TRUE;
}
