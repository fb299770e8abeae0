/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include "sp-central-session-cache.h"

/* Bounded: a flood of invented tokens never reaches the cache (only
 * sessions found in the database are put), and it is emptied when full. */
#define MAX_ENTRIES 10000

typedef struct {
  SpCentralOperator *op;
  gint64 until;
} Entry;

static GMutex lock;
static GHashTable *entries;      /* token hash → Entry */

static SpCentralOperator *
copy_operator (const SpCentralOperator *op)
{
  SpCentralOperator *copy = g_new0 (SpCentralOperator, 1);

  copy->id = op->id;
  copy->username = g_strdup (op->username);
  copy->name = g_strdup (op->name);
  copy->role = g_strdup (op->role);
  copy->sede = g_strdup (op->sede);
  copy->disabled = op->disabled;
  return copy;
}

static void
entry_free (Entry *e)
{
  sp_central_operator_free (e->op);
  g_free (e);
}

SpCentralOperator *
sp_central_session_cache_lookup (const char *token_hash,
                                 gint64      now_ms)
{
  SpCentralOperator *op = NULL;
  Entry *e;

  g_mutex_lock (&lock);
  if (entries != NULL && (e = g_hash_table_lookup (entries, token_hash)) != NULL)
    {
      if (now_ms < e->until)
        op = copy_operator (e->op);
      else
        g_hash_table_remove (entries, token_hash);
    }
  g_mutex_unlock (&lock);
  return op;
}

void
sp_central_session_cache_put (const char              *token_hash,
                              const SpCentralOperator *op,
                              gint64                   now_ms)
{
  Entry *e = g_new0 (Entry, 1);

  e->op = copy_operator (op);
  e->until = now_ms + SP_CENTRAL_SESSION_CACHE_MS;
  g_mutex_lock (&lock);
  if (entries == NULL)
    entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) entry_free);
  if (g_hash_table_size (entries) >= MAX_ENTRIES)
    g_hash_table_remove_all (entries);
  g_hash_table_replace (entries, g_strdup (token_hash), e);
  g_mutex_unlock (&lock);
}

void
sp_central_session_cache_forget (const char *token_hash)
{
  g_mutex_lock (&lock);
  if (entries != NULL && token_hash != NULL)
    g_hash_table_remove (entries, token_hash);
  g_mutex_unlock (&lock);
}
