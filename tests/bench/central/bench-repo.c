/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Central's repository without HTTP: what the database layer costs per
 * operation on one backend (argv[1]: an SQLite path or postgresql://…,
 * argv[2]: the name printed before each figure). Prints "name: value
 * unit" lines. The HTTP figures are bench-central.sh's. */
#include <string.h>

#include "sp-central-db.h"
#include "sp-central-seed.h"
#include "sp-central-sql.h"
#include "sp-pin.h"
#include "sp-secret.h"

#define CITIZENS 2000
#define BATCH 32

static const char *name;

static GPtrArray *
load_cfs (const char *location)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *cfs = g_ptr_array_new_with_free_func (g_free);
  SpSql *sql = sp_sql_open (location, &error);
  SpSqlStmt *s;

  g_assert_no_error (error);
  s = sp_sql_stmt (sql, "SELECT cf FROM citizens ORDER BY cf", &error);
  g_assert_no_error (error);
  while (sp_sql_step (s, NULL) == SP_SQL_STEP_ROW)
    g_ptr_array_add (cfs, g_strdup (sp_sql_column_text (s, 0)));
  sp_sql_reset (s);
  sp_sql_close (sql);
  return cfs;
}

static SpIssuance *
issuance_for (const char *cf,
              const char *verifier)
{
  g_autofree char *id = sp_uuid_new ();
  g_autofree char *json = g_strdup_printf (
    "{\"id\":\"%s\",\"cf\":\"%s\",\"issued_at\":\"2026-01-01T10:00:00.000Z\",\"clock_skew_ms\":0,"
    "\"sede\":\"0700\",\"operator\":\"demo\",\"workstation\":\"bench\",\"kind\":\"dispositivo\","
    "\"offline\":false,\"verifier\":\"%s\",\"citizen\":{\"cf\":\"%s\",\"surname\":\"Rossi\","
    "\"name\":\"Mario\",\"sex\":\"M\",\"birth_date\":\"1980-01-01\",\"birth_place\":\"H501\","
    "\"residence\":null,\"phone\":null,\"email\":null},\"applicant\":{\"role\":\"self\",\"person\":null},"
    "\"document\":{\"type\":\"cie\",\"number\":\"CA12345AB\",\"issuer\":\"Comune di Roma\","
    "\"issued_on\":\"2020-01-01\",\"expires_on\":\"2030-01-01\"},\"attachments\":[],"
    "\"attested_in_person\":true}", id, cf, verifier, cf);
  g_autoptr(GError) error = NULL;
  SpIssuance *is = sp_issuance_from_string (json, -1, &error);

  g_assert_no_error (error);
  return is;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
report (const char *what,
        GArray     *latencies_ms,
        double      seconds,
        guint       operations)
{
  g_array_sort (latencies_ms, compare_doubles);
  g_print ("%s_%s_per_second: %.0f ops/s\n", name, what, operations / seconds);
  g_print ("%s_%s_p99: %.2f ms\n", name, what,
           g_array_index (latencies_ms, double, (guint) (latencies_ms->len * 0.99)));
}

static void
bench_registrations (SpCentralDb *db,
                     GPtrArray   *cfs,
                     const char  *verifier,
                     guint        batch,
                     guint        total,
                     const char  *what)
{
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 start = g_get_monotonic_time ();

  for (guint done = 0; done < total; done += batch)
    {
      SpCentralRegistration regs[BATCH] = { 0 };
      SpIssuance *issuances[BATCH];
      g_autoptr(GError) error = NULL;
      gint64 t0 = g_get_monotonic_time ();
      double ms;

      for (guint i = 0; i < batch; i++)
        {
          issuances[i] = issuance_for (g_ptr_array_index (cfs, (done + i) % cfs->len), verifier);
          g_free (issuances[i]->operator_id);
          issuances[i]->operator_id = g_strdup ("demo");
          regs[i] = (SpCentralRegistration) { issuances[i]->id, "fingerprint", issuances[i], g_get_real_time () / 1000 };
        }
      if (!sp_central_db_register_batch (db, regs, batch, g_get_real_time () / 1000, &error))
        g_error ("register: %s", error->message);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      for (guint i = 0; i < batch; i++)
        {
          g_assert_no_error (regs[i].error);
          g_free (regs[i].response);
          sp_issuance_free (issuances[i]);
          g_array_append_val (latencies, ms);
        }
    }
  report (what, latencies, (g_get_monotonic_time () - start) / 1e6, total);
}

static void
bench_lookups (SpCentralDb *db,
               GPtrArray   *cfs,
               guint        total)
{
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < total; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(SpCentralCitizen) c = sp_central_db_get_citizen (db, g_ptr_array_index (cfs, (i * 7919) % cfs->len),
                                                                 g_get_real_time () / 1000, &error);
      double ms = (g_get_monotonic_time () - t0) / 1000.0;

      g_assert_no_error (error);
      g_array_append_val (latencies, ms);
    }
  report ("citizen_lookup", latencies, (g_get_monotonic_time () - start) / 1e6, total);
}

/* The database half of one PIN verification (reserve before Argon2id,
 * settle after): its cost beside the verification itself. */
static void
bench_pin_bookkeeping (SpCentralDb *db,
                       GPtrArray   *cfs,
                       guint        total)
{
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 start = g_get_monotonic_time ();
  g_autoptr(SpPin) pin = sp_pin_generate ();
  g_autofree char *verifier = sp_pin_make_verifier (pin, NULL);
  gint64 t0;
  double argon_ms;

  for (guint i = 0; i < total; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *stored = NULL;
      gint64 retry_at;
      const char *cf = g_ptr_array_index (cfs, i % cfs->len);
      double ms;

      t0 = g_get_monotonic_time ();
      if (!sp_central_db_pin_reserve (db, cf, g_get_real_time () / 1000, &stored, &retry_at, &error)
          || !sp_central_db_pin_settle (db, cf, TRUE, g_get_real_time () / 1000, &error))
        g_error ("pin: %s", error->message);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      g_array_append_val (latencies, ms);
    }
  report ("pin_reserve_settle", latencies, (g_get_monotonic_time () - start) / 1e6, total);
  t0 = g_get_monotonic_time ();
  g_assert_true (sp_secret_verify (verifier, sp_pin_peek (pin), strlen (sp_pin_peek (pin))));
  argon_ms = (g_get_monotonic_time () - t0) / 1000.0;
  g_print ("%s_argon2id_verification: %.1f ms\n", name, argon_ms);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCentralDb) db = NULL;
  g_autoptr(GPtrArray) cfs = NULL;
  g_autoptr(SpPin) pin = sp_pin_generate ();
  g_autofree char *verifier = NULL;

  if (argc != 3)
    {
      g_printerr ("usage: bench-repo DATABASE NAME\n");
      return 2;
    }
  name = argv[2];
  db = sp_central_db_open (argv[1], &error);
  if (db == NULL || !sp_central_seed_demo (db, CITIZENS, &error))
    g_error ("%s", error->message);
  cfs = load_cfs (argv[1]);
  verifier = sp_pin_make_verifier (pin, NULL);
  bench_registrations (db, cfs, verifier, BATCH, 3200, "registration_batch32");
  bench_registrations (db, cfs, verifier, 1, 200, "registration_single");
  bench_lookups (db, cfs, 20000);
  bench_pin_bookkeeping (db, cfs, 500);
  return 0;
}
