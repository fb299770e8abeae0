/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The outbox's sender: a thread with its own database connection that
 * sends the pending SMS and e-mails (the first halves of PINs) and wipes
 * each sealed half once its transport took it. Failures are retried with
 * doubling back-off (capped at 5 min) and given up after 20 attempts.
 * Configured from the environment:
 *   SP_CENTRAL_SMTP_URL   smtp://relay.example:587 (STARTTLS required,
 *                         SP_CENTRAL_SMTP_TLS=try for a relay without it)
 *   SP_CENTRAL_SMTP_FROM  the sender address
 *   SP_CENTRAL_SMS_URL    the gateway: POST {"to","text"} as JSON with
 *   SP_CENTRAL_SMS_TOKEN  "Authorization: Bearer TOKEN"
 *   SP_CENTRAL_OUTBOX_RETRY_MS  the first back-off (default 5000)
 *   SP_CENTRAL_UNDELIVERED_MS   a first half still not sent after this
 *                         (default 12 h) flags its request to the Contact
 *                         Center (msg. 1381/2020 §2)
 * Without a transport configured, its messages wait. */
typedef struct _SpCentralOutbox SpCentralOutbox;

SpCentralOutbox *sp_central_outbox_start (const char      *location,
                                          GError         **error);
void             sp_central_outbox_stop  (SpCentralOutbox *outbox);

G_END_DECLS
