/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-central-db.h"

G_BEGIN_DECLS

/* The repository of issue 16's channels: PIN requests made online or by
 * the Contact Center, the citizen's contacts, and the outbox of sealed
 * PIN halves. Every write is one transaction with its audit row. */

typedef struct {
  char *id, *cf, *channel, *status, *data, *reasons, *issuance_id;
  gint64 score;
  char *created_by;
  gint64 created_at;
  char *decided_by;
  gint64 decided_at;
  char *decision_reason;
} SpCentralPinRequest;

void sp_central_pin_request_free (SpCentralPinRequest *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCentralPinRequest, sp_central_pin_request_free)

/* One sealed PIN half for the outbox. */
typedef struct {
  const char *transport;        /* sms, email, letter */
  const char *recipient;        /* a number, an address, the postal address */
  guint half;                   /* 0: first 8 characters, 1: the other 8 */
  const guint8 *nonce;          /* SP_CENTRAL_SEAL_NONCE bytes */
  const guint8 *sealed;
  gsize sealed_len;
} SpCentralOutboxItem;

/* What a delivery writes: the credential (an ordinario issuance with
 * this verifier) and the two halves' messages. */
typedef struct {
  const char *issuance_id;
  const char *verifier;
  const SpCentralOutboxItem *items;
  guint n_items;
  /* The letter sealed for the provider (base64) and its SHA-256, or NULL
   * (then an items entry carries the letter half). */
  const char *letter_sealed;
  const char *letter_sha256;
  /* The first half's own verifier when the PIN is made inside the
   * emergency window: a simplified credential (msg. 1381/2020 §2), or NULL. */
  const char *simplified_verifier;
} SpCentralDelivery;

/* A letter ready for the provider: its file name and sealed bytes. */
typedef struct {
  char *id, *sha256;
  GBytes *sealed;
} SpCentralLetter;

void       sp_central_letter_row_free   (SpCentralLetter *l);
/* The day's letters not exported yet, each marked exported (one
 * transaction: a letter goes to one batch only). */
GPtrArray *sp_central_db_letters_export (SpCentralDb *db, const char *day, GError **error);

/* The channel of an operator row (contact_center, portal) or NULL. */
gboolean sp_central_db_channel_kind        (SpCentralDb *db, gint64 operator_id, char **kind, GError **error);
gboolean sp_central_db_add_channel_principal (SpCentralDb *db, const char *username, const char *kind,
                                             GError **error);
/* Records a request (status queued, or delivered with delivery), its
 * contacts (kind, value pairs, NULL-terminated). */
gboolean sp_central_db_pin_request_create  (SpCentralDb *db, const SpCentralPinRequest *r,
                                            const char *const *contacts,
                                            const SpCentralDelivery *delivery, gint64 now, GError **error);
/* Recovery: ends cf's active PIN and records the request with its new
 * delivery, in one transaction. */
gboolean sp_central_db_pin_recover         (SpCentralDb *db, const SpCentralPinRequest *r,
                                            const SpCentralDelivery *delivery, gint64 now, GError **error);
/* The contacts cf registered: kind, value, kind, value… */
GPtrArray *sp_central_db_contacts          (SpCentralDb *db, const char *cf, GError **error);
/* A queued request validated (delivery) or rejected (delivery NULL, reason). */
gboolean sp_central_db_pin_request_decide  (SpCentralDb *db, const char *id, const char *actor,
                                            const SpCentralDelivery *delivery, const char *reason,
                                            gint64 now, GError **error);
SpCentralPinRequest *sp_central_db_pin_request_get (SpCentralDb *db, const char *id, GError **error);
/* Flags the delivered requests whose first half is still not sent
 * after it was queued before cutoff; *n how many were flagged now. */
gboolean   sp_central_db_flag_undelivered  (SpCentralDb *db, gint64 cutoff, gint64 now, guint *n, GError **error);
/* Requests with status (NULL: queued; "undelivered": flagged and still
 * not sent), oldest first, at most 500. */
GPtrArray *sp_central_db_pin_requests_list (SpCentralDb *db, const char *status, GError **error);
/* Outbox rows of a request (for tests and the sender): transport, half, status. */
gint64     sp_central_db_outbox_count      (SpCentralDb *db, const char *request_id, GError **error);

G_END_DECLS

G_BEGIN_DECLS

/* A message due for sending (sms, email). */
typedef struct {
  gint64 id;
  char *transport, *recipient;
  guint half;
  GBytes *nonce, *sealed;
  gint64 attempts;
} SpCentralOutboxMessage;

void       sp_central_outbox_message_free (SpCentralOutboxMessage *m);
/* Pending SMS (when sms) and e-mails (when email) whose time has come,
 * oldest first: a transport without a configured sender is left alone. */
GPtrArray *sp_central_db_outbox_due   (SpCentralDb *db, gint64 now, guint limit, gboolean sms, gboolean email,
                                       GError **error);
/* The due messages (as _due), each claimed until lease_until in one
 * transaction: only those no other sender claimed first. */
GPtrArray *sp_central_db_outbox_take  (SpCentralDb *db, gint64 now, gint64 lease_until, guint limit,
                                       gboolean sms, gboolean email, GError **error);
typedef struct {
  gint64 id;
  gboolean sent;
  gint64 next_at;
  gboolean give_up;
} SpCentralOutboxResult;
/* The outcome of a batch, in one transaction: sent rows wiped, the
 * others put back for next_at (or failed). */
gboolean   sp_central_db_outbox_settle (SpCentralDb *db, const SpCentralOutboxResult *results, guint n,
                                        gint64 now, GError **error);
G_END_DECLS
