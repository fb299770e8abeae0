/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PIN verification lockout, counted in the database so that it holds
 * whatever the concurrency and however many central instances run.
 *
 * Before the Argon2id work a verification is reserved in a write
 * transaction; afterwards it is settled. At most SP_CENTRAL_PIN_ATTEMPTS
 * verifications may be reserved or failed since the last success or
 * lockout, so 60 parallel guesses run at most 5 verifications. Every
 * 5 consecutive failures lock for a back-off (15 min, doubling); at 100
 * consecutive failures (NIST SP 800-63B §5.2.2) the lock lasts until the
 * counter's in-person check (a new issuance, or an operator's unlock).
 * Failures are counted for any codice fiscale, known or not, so the
 * lockout does not tell whether a code has a PIN. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include "sp-central-db-private.h"
#include "sp-central-policy.h"

typedef struct {
  gint64 failures;       /* consecutive */
  gint64 lockouts;       /* caused by those failures */
  gint64 locked_until;
  gint64 reserved;       /* verifications running now */
} Attempts;

static gboolean
read_attempts (SpCentralDb *db,
               const char  *cf,
               gint64       now,
               Attempts    *a,
               GError     **error)
{
  SpSqlStmt *s = sp_central_db_query (db, error, "SELECT failures, lockouts, locked_until, reserved,"
                                                 " reserved_until FROM pin_attempts WHERE cf = $1",
                                      "t", cf);
  gboolean found;

  *a = (Attempts) { 0 };
  if (s == NULL || !sp_central_db_first_row (db, s, &found, error))
    return FALSE;
  if (found)
    {
      a->failures = sp_sql_column_int64 (s, 0);
      a->lockouts = sp_sql_column_int64 (s, 1);
      a->locked_until = sp_sql_column_int64 (s, 2);
      /* Reservations of a central that died before settling them expire. */
      a->reserved = sp_sql_column_int64 (s, 4) > now ? sp_sql_column_int64 (s, 3) : 0;
    }
  sp_sql_reset (s);
  return TRUE;
}

static gboolean
write_attempts (SpCentralDb    *db,
                const char     *cf,
                gint64          now,
                const Attempts *a,
                GError        **error)
{
  if (a->failures == 0 && a->reserved == 0)
    return sp_central_db_pin_clear (db, cf, error);
  return sp_central_db_run (db, error,
                            "INSERT INTO pin_attempts (cf, failures, lockouts, locked_until, reserved, reserved_until)"
                            " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (cf) DO UPDATE SET"
                            " failures = excluded.failures, lockouts = excluded.lockouts,"
                            " locked_until = excluded.locked_until, reserved = excluded.reserved,"
                            " reserved_until = excluded.reserved_until",
                            "tiiiii", cf, a->failures, a->lockouts, a->locked_until, a->reserved,
                            now + SP_CENTRAL_PIN_RESERVATION_MS);
}

/* 0 when a verification may start now, else when to try again (G_MAXINT64:
 * only the in-person check unlocks). */
static gint64
blocked_until (const Attempts *a,
               gint64          now)
{
  if (a->failures >= SP_CENTRAL_PIN_MAX_FAILURES)
    return G_MAXINT64;
  if (a->locked_until > now)
    return a->locked_until;
  /* The failures since the last lockout plus those still running. */
  if (a->failures - a->lockouts * SP_CENTRAL_PIN_ATTEMPTS + a->reserved >= SP_CENTRAL_PIN_ATTEMPTS)
    return now + 1000;
  return 0;
}

static gboolean
locked_error (gint64   until,
              gint64  *retry_at,
              GError **error)
{
  *retry_at = until == G_MAXINT64 ? 0 : until;
  g_set_error_literal (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_LOCKED,
                       until == G_MAXINT64 ? "locked until the citizen's identity is checked at a sede"
                                           : "too many wrong attempts: locked for now");
  return FALSE;
}

static gboolean
active_verifier (SpCentralDb *db,
                 const char  *cf,
                 char       **verifier,
                 GError     **error)
{
  SpSqlStmt *s = sp_central_db_query (db, error, "SELECT verifier FROM issuances"
                                                 " WHERE cf = $1 AND status = 'active'", "t", cf);
  gboolean found;

  if (s == NULL || !sp_central_db_first_row (db, s, &found, error))
    return FALSE;
  *verifier = found ? sp_central_db_column_dup (s, 0) : NULL;
  sp_sql_reset (s);
  return TRUE;
}

/* The reservation, then read (db, cf, data) in the same transaction. */
gboolean
sp_central_db_pin_reserve_with (SpCentralDb          *db,
                                const char           *cf,
                                gint64                now,
                                SpCentralPinReadFunc  read,
                                gpointer              data,
                                gint64               *retry_at,
                                GError              **error)
{
  Attempts a;
  gint64 until = 0;
  gboolean ok;

  *retry_at = 0;
  if (!sp_central_db_write_begin_for (db, cf, error))
    return FALSE;
  ok = read_attempts (db, cf, now, &a, error);
  if (ok && (until = blocked_until (&a, now)) != 0)
    ok = locked_error (until, retry_at, error);
  if (ok)
    {
      a.reserved++;
      ok = write_attempts (db, cf, now, &a, error) && read (db, cf, data, error);
    }
  return sp_central_db_write_end (db, ok, error);
}

static gboolean
read_verifier (SpCentralDb *db,
               const char  *cf,
               gpointer     data,
               GError     **error)
{
  return active_verifier (db, cf, data, error);
}

gboolean
sp_central_db_pin_reserve (SpCentralDb *db,
                           const char  *cf,
                           gint64       now,
                           char       **verifier,
                           gint64      *retry_at,
                           GError     **error)
{
  *verifier = NULL;
  if (!sp_central_db_pin_reserve_with (db, cf, now, read_verifier, verifier, retry_at, error))
    {
      g_clear_pointer (verifier, g_free);
      return FALSE;
    }
  return TRUE;
}

static gboolean
settle (SpCentralDb *db,
        const char  *cf,
        gboolean     success,
        gint64       now,
        GError     **error)
{
  Attempts a;
  const char *detail = NULL;
  g_autofree char *text = NULL;

  if (!read_attempts (db, cf, now, &a, error))
    return FALSE;
  a.reserved = MAX (a.reserved - 1, 0);
  if (success)
    a.failures = a.lockouts = a.locked_until = 0;
  else
    {
      a.failures++;
      if (a.failures >= SP_CENTRAL_PIN_MAX_FAILURES)
        detail = "locked until the in-person check";
      else if (a.failures - a.lockouts * SP_CENTRAL_PIN_ATTEMPTS >= SP_CENTRAL_PIN_ATTEMPTS)
        {
          a.lockouts++;
          a.locked_until = now + sp_central_policy_lockout_ms (a.lockouts);
          detail = text = g_strdup_printf ("lockout %" G_GINT64_FORMAT " for %" G_GINT64_FORMAT " min",
                                           a.lockouts, sp_central_policy_lockout_ms (a.lockouts) / 60000);
        }
    }
  return write_attempts (db, cf, now, &a, error)
      && sp_central_db_audit (db, "citizen", success ? "pin.ok" : "pin.fail", cf, detail, now, error);
}

gboolean
sp_central_db_pin_settle (SpCentralDb *db,
                          const char  *cf,
                          gboolean     success,
                          gint64       now,
                          GError     **error)
{
  gboolean ok;

  if (!sp_central_db_write_begin_for (db, cf, error))
    return FALSE;
  ok = settle (db, cf, success, now, error);
  return sp_central_db_write_end (db, ok, error);
}

gboolean
sp_central_db_pin_clear (SpCentralDb *db,
                         const char  *cf,
                         GError     **error)
{
  return sp_central_db_run (db, error, "DELETE FROM pin_attempts WHERE cf = $1", "t", cf);
}

gboolean
sp_central_pin_locked (gint64 failures,
                       gint64 locked_until,
                       gint64 now)
{
  return failures >= SP_CENTRAL_PIN_MAX_FAILURES || locked_until > now;
}

gboolean
sp_central_db_pin_locked (SpCentralDb *db,
                          const char  *cf,
                          gint64       now,
                          gboolean    *locked,
                          GError     **error)
{
  Attempts a;

  if (!read_attempts (db, cf, now, &a, error))
    return FALSE;
  *locked = sp_central_pin_locked (a.failures, a.locked_until, now);
  return TRUE;
}

gboolean
sp_central_db_pin_unlock (SpCentralDb *db,
                          const char  *cf,
                          const char  *actor,
                          gint64       now,
                          GError     **error)
{
  gboolean ok;

  if (!sp_central_db_write_begin_for (db, cf, error))
    return FALSE;
  ok = sp_central_db_pin_clear (db, cf, error)
    && sp_central_db_audit (db, actor, "pin.unlock", cf, "in-person check", now, error);
  return sp_central_db_write_end (db, ok, error);
}
