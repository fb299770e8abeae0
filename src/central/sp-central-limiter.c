/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <math.h>

#include "sp-central-limiter.h"

typedef struct {
  double tokens;
  gint64 at;                 /* monotonic µs of the last update */
} Bucket;

struct _SpCentralLimiter {
  GMutex lock;
  GHashTable *buckets;       /* key → Bucket */
  double burst;
  double per_second;
  guint max_keys;
};

SpCentralLimiter *
sp_central_limiter_new (double burst,
                        double per_second,
                        guint  max_keys)
{
  SpCentralLimiter *limiter = g_new0 (SpCentralLimiter, 1);

  g_mutex_init (&limiter->lock);
  limiter->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  limiter->burst = MAX (burst, 1);
  limiter->per_second = per_second > 0 ? per_second : 1e-6;
  limiter->max_keys = MAX (max_keys, 16);
  return limiter;
}

void
sp_central_limiter_free (SpCentralLimiter *limiter)
{
  if (limiter == NULL)
    return;
  g_hash_table_unref (limiter->buckets);
  g_mutex_clear (&limiter->lock);
  g_free (limiter);
}

static void
refill (SpCentralLimiter *limiter,
        Bucket           *b,
        gint64            now)
{
  b->tokens = MIN (limiter->burst, b->tokens + (now - b->at) / 1e6 * limiter->per_second);
  b->at = now;
}

static gboolean
is_full (gpointer key,
         gpointer value,
         gpointer user_data)
{
  SpCentralLimiter *limiter = user_data;
  Bucket *b = value;

  refill (limiter, b, g_get_monotonic_time ());
  return b->tokens >= limiter->burst;
}

gboolean
sp_central_limiter_take (SpCentralLimiter *limiter,
                         const char       *key,
                         guint            *retry_after_s)
{
  gint64 now = g_get_monotonic_time ();
  gboolean ok;
  Bucket *b;

  g_mutex_lock (&limiter->lock);
  b = g_hash_table_lookup (limiter->buckets, key);
  if (b == NULL)
    {
      /* A full bucket is the same as none: forget those first, so many
       * keys (addresses, invented usernames) cannot grow the table. */
      if (g_hash_table_size (limiter->buckets) >= limiter->max_keys)
        g_hash_table_foreach_remove (limiter->buckets, is_full, limiter);
      b = g_new0 (Bucket, 1);
      b->tokens = limiter->burst;
      b->at = now;
      if (g_hash_table_size (limiter->buckets) < limiter->max_keys)
        g_hash_table_insert (limiter->buckets, g_strdup (key), b);
      else
        {
          /* Still full of keys in use: a flood from very many sources.
           * Refuse the newcomer rather than grow without bound. */
          g_free (b);
          g_mutex_unlock (&limiter->lock);
          *retry_after_s = 1;
          return FALSE;
        }
    }
  refill (limiter, b, now);
  ok = b->tokens >= 1;
  if (ok)
    b->tokens -= 1;
  else
    *retry_after_s = MAX (1, (guint) ceil ((1 - b->tokens) / limiter->per_second));
  g_mutex_unlock (&limiter->lock);
  return ok;
}
