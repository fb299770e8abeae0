/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Token buckets by key (a client address, a username, a codice
 * fiscale), in this process's memory: each key may spend burst requests
 * at once and earns per_second back. Thread-safe. With N instances behind
 * a load balancer each keeps its own buckets (README, production). */
typedef struct _SpCentralLimiter SpCentralLimiter;

SpCentralLimiter *sp_central_limiter_new  (double            burst,
                                           double            per_second,
                                           guint             max_keys);
void              sp_central_limiter_free (SpCentralLimiter *limiter);
/* Spends one token of key. FALSE when there is none: then
 * *retry_after_s says when the next one comes (at least 1). */
gboolean          sp_central_limiter_take (SpCentralLimiter *limiter,
                                           const char       *key,
                                           guint            *retry_after_s);

G_END_DECLS
