/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sp-central-client.h"
#include "sp-store.h"

G_BEGIN_DECLS

/* Signal "issuances-changed": the store's issuances took central's word.
 *
 * Drains the store's outbox to central, in order (DESIGN §5): each
 * issuance POSTed with its UUID as Idempotency-Key, then its scans PUT
 * with their SHA-256 in Content-Digest. Logs in (again on a 401) with the
 * operator's credentials. A definitive refusal (4xx other than 401, 408,
 * 409, 425, 429) parks the entry as needing attention and the queue goes
 * on; anything else (no answer, 5xx, an answer that does not parse) stops
 * the run with nothing marked synced that central did not confirm. The
 * state is exposed as properties for the UI: online, waiting, attention,
 * last-error, last-success, clock-skew-ms. */

#define SP_SYNC_ERROR (sp_sync_error_quark ())
typedef enum {
  SP_SYNC_ERROR_UNREACHABLE,   /* no answer, timeout, TLS failure */
  SP_SYNC_ERROR_SERVER,        /* 5xx, 408/409/425/429, or a malformed answer: retry later */
  SP_SYNC_ERROR_CREDENTIALS,   /* login refused */
  SP_SYNC_ERROR_BUSY,          /* a run is already going */
  SP_SYNC_ERROR_NOT_FOUND,     /* central does not know it */
  SP_SYNC_ERROR_REFUSED,       /* central refused the request (4xx): the message says why */
} SpSyncError;
GQuark sp_sync_error_quark (void);

#define SP_TYPE_SYNC_ENGINE (sp_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (SpSyncEngine, sp_sync_engine, SP, SYNC_ENGINE, GObject)

/* store must outlive the engine. new () makes its own client, for
 * sportello-tool; the app gives its one client, already logged in, and
 * never a password: on a 401 the run ends with SP_SYNC_ERROR_CREDENTIALS. */
SpSyncEngine *sp_sync_engine_new             (SpStore      *store,
                                              const char   *base_url);
SpSyncEngine *sp_sync_engine_new_for_client  (SpStore         *store,
                                              SpCentralClient *client);
SpCentralClient *sp_sync_engine_get_client   (SpSyncEngine *self);
/* The issuer registers this issuance itself, ahead of the queue: the
 * engine leaves it (and its scans) alone until released, then kicks. */
void          sp_sync_engine_hold            (SpSyncEngine *self,
                                              const char   *issuance_id);
void          sp_sync_engine_release         (SpSyncEngine *self,
                                              const char   *issuance_id);
/* While an issuance is registered on its own the engine starts no new
 * wave nor feed page (the one in flight ends): paused and resumed in
 * pairs, counted. */
void          sp_sync_engine_pause           (SpSyncEngine *self);
void          sp_sync_engine_resume          (SpSyncEngine *self);
void          sp_sync_engine_set_credentials (SpSyncEngine *self,
                                              const char   *username,
                                              const char   *password,
                                              const char   *workstation);
void          sp_sync_engine_set_timeout     (SpSyncEngine *self,
                                              guint         seconds);
/* Trust central's certificate only through this CA file (the sede's),
 * instead of the system's authorities. Without it, a self-signed
 * central is refused: TLS fails closed. */
gboolean      sp_sync_engine_set_ca_file     (SpSyncEngine *self,
                                              const char   *path,
                                              GError      **error);
void          sp_sync_engine_sync_async      (SpSyncEngine        *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean      sp_sync_engine_sync_finish     (SpSyncEngine        *self,
                                              GAsyncResult        *result,
                                              GError             **error);
/* Keeps the store in sync by itself: a run now, then every interval
 * seconds, when the network comes back (GNetworkMonitor) and after
 * sp_sync_engine_kick (); a failed run is retried after a capped
 * exponential backoff with jitter (base_ms, doubling up to cap_ms), or
 * after central's Retry-After when it sent one. */
void          sp_sync_engine_start           (SpSyncEngine *self,
                                              guint         interval_s,
                                              guint         base_ms,
                                              guint         cap_ms);
/* Stops the timer and the run going (which records nothing more); returns
 * once no store write of the engine is in progress, so the store may be
 * closed after it. */
void          sp_sync_engine_stop            (SpSyncEngine *self);
/* Something new is in the outbox: synchronise soon. */
void          sp_sync_engine_kick            (SpSyncEngine *self);
gboolean      sp_sync_engine_get_online      (SpSyncEngine *self);
const char   *sp_sync_engine_get_last_error  (SpSyncEngine *self);
gint64        sp_sync_engine_get_clock_skew_ms (SpSyncEngine *self);
/* Now by central's clock, as far as the last exchange told: the issue
 * time to give a new issuance (with the skew recorded beside it). */
GDateTime    *sp_sync_engine_corrected_now   (SpSyncEngine *self);

G_END_DECLS
