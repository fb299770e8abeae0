/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Central's SQL driver and repository on SQLite: placeholders, bind slot
 * checks, errors instead of aborts, several connections on one file from
 * several threads, and the one schema source. (PostgreSQL runs the same
 * queries in the python suites with SP_TEST_POSTGRESQL=1.) */
#include <glib/gstdio.h>

#include "sp-central-db.h"
#include "sp-central-schema.h"
#include "sp-central-sql.h"
#include "sp-central-views.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
setup (Fixture      *f,
       gconstpointer data)
{
  f->dir = g_dir_make_tmp ("sp-test-sql-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "t.db", NULL);
}

static void
teardown (Fixture      *f,
          gconstpointer data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  g_unlink (wal);
  g_unlink (shm);
  g_unlink (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static SpSql *
open_sql (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  SpSql *sql = sp_sql_open (f->path, &error);

  g_assert_no_error (error);
  g_assert_true (sp_sql_exec (sql, "CREATE TABLE IF NOT EXISTS t (a INTEGER, b TEXT)", &error));
  return sql;
}

static void
test_placeholders (Fixture      *f,
                   gconstpointer data)
{
  SpSql *sql = open_sql (f);
  g_autoptr(GError) error = NULL;
  SpSqlStmt *s;

  /* Bound by number, not by position: $2 first in the text is slot 2. */
  s = sp_sql_stmt (sql, "SELECT $2 || '-' || $1 || '-' || $2", &error);
  g_assert_no_error (error);
  sp_sql_bind_text (s, 1, "one");
  sp_sql_bind_text (s, 2, "two");
  g_assert_cmpint (sp_sql_step (s, &error), ==, SP_SQL_STEP_ROW);
  g_assert_cmpstr (sp_sql_column_text (s, 0), ==, "two-one-two");
  sp_sql_reset (s);
  /* A quote or "?" inside a string literal is data, not a placeholder. */
  s = sp_sql_stmt (sql, "SELECT 'it''s ?1 $1', $1", &error);
  g_assert_no_error (error);
  sp_sql_bind_int64 (s, 1, 7);
  g_assert_cmpint (sp_sql_step (s, &error), ==, SP_SQL_STEP_ROW);
  g_assert_cmpstr (sp_sql_column_text (s, 0), ==, "it's ?1 $1");
  g_assert_cmpint (sp_sql_column_int64 (s, 1), ==, 7);
  sp_sql_reset (s);
  sp_sql_close (sql);
}

static void
test_bad_statements (Fixture      *f,
                     gconstpointer data)
{
  SpSql *sql = open_sql (f);
  GError *error = NULL;
  SpSqlStmt *s;

  /* Errors, never an abort. */
  g_assert_null (sp_sql_stmt (sql, "SELEC nothing", &error));
  g_assert_error (error, SP_SQL_ERROR, SP_SQL_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_null (sp_sql_stmt (sql, "SELECT ?", &error));
  g_assert_error (error, SP_SQL_ERROR, SP_SQL_ERROR_MISUSE);
  g_clear_error (&error);
  g_assert_null (sp_sql_stmt (sql, "SELECT $2", &error));
  g_assert_error (error, SP_SQL_ERROR, SP_SQL_ERROR_MISUSE);
  g_clear_error (&error);
  g_assert_null (sp_sql_stmt (sql, "SELECT :name", &error));
  g_assert_error (error, SP_SQL_ERROR, SP_SQL_ERROR_MISUSE);
  g_clear_error (&error);
  g_assert_null (sp_sql_stmt (sql, "SELECT 1; SELECT 2", &error));
  g_assert_error (error, SP_SQL_ERROR, SP_SQL_ERROR_MISUSE);
  g_clear_error (&error);

  /* A slot out of range, or one left unbound, fails the step. */
  s = sp_sql_stmt (sql, "INSERT INTO t (a, b) VALUES ($1, $2)", &error);
  g_assert_no_error (error);
  sp_sql_bind_int64 (s, 1, 1);
  sp_sql_bind_text (s, 3, "x");
  g_assert_cmpint (sp_sql_step (s, &error), ==, SP_SQL_STEP_ERROR);
  g_assert_error (error, SP_SQL_ERROR, SP_SQL_ERROR_MISUSE);
  g_clear_error (&error);
  sp_sql_reset (s);
  sp_sql_bind_int64 (s, 1, 1);
  g_assert_false (sp_sql_run (s, &error));
  g_assert_error (error, SP_SQL_ERROR, SP_SQL_ERROR_MISUSE);
  g_clear_error (&error);
  /* Nothing was written by either. */
  s = sp_sql_stmt (sql, "SELECT COUNT(*) FROM t", &error);
  g_assert_cmpint (sp_sql_step (s, &error), ==, SP_SQL_STEP_ROW);
  g_assert_cmpint (sp_sql_column_int64 (s, 0), ==, 0);
  sp_sql_reset (s);
  sp_sql_close (sql);
}

typedef struct {
  const char *path;
  int failures;
} Writer;

#define WRITES 150

static gpointer
write_many (gpointer data)
{
  Writer *w = data;
  g_autoptr(GError) error = NULL;
  SpSql *sql = sp_sql_open (w->path, &error);

  g_assert_no_error (error);
  for (int i = 0; i < WRITES; i++)
    {
      SpSqlStmt *s;
      gboolean ok = sp_sql_begin_write (sql, &error);

      /* Read-modify-write: lost updates would show in the total. */
      ok = ok && (s = sp_sql_stmt (sql, "UPDATE t SET a = a + 1 WHERE b = $1", &error)) != NULL;
      if (ok)
        {
          sp_sql_bind_text (s, 1, "counter");
          ok = sp_sql_run (s, &error);
        }
      if (ok)
        ok = sp_sql_commit (sql, &error);
      else
        sp_sql_rollback (sql);
      if (!ok)
        {
          w->failures++;
          g_clear_error (&error);
        }
    }
  sp_sql_close (sql);
  return NULL;
}

static void
test_connections_on_threads (Fixture      *f,
                             gconstpointer data)
{
  SpSql *sql = open_sql (f);
  g_autoptr(GError) error = NULL;
  Writer writers[4];
  GThread *threads[4];
  SpSqlStmt *s;

  g_assert_true (sp_sql_exec (sql, "INSERT INTO t VALUES (0, 'counter')", &error));
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      writers[i] = (Writer) { f->path, 0 };
      threads[i] = g_thread_new ("writer", write_many, &writers[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpint (writers[i].failures, ==, 0);
    }
  s = sp_sql_stmt (sql, "SELECT a FROM t WHERE b = 'counter'", &error);
  g_assert_cmpint (sp_sql_step (s, &error), ==, SP_SQL_STEP_ROW);
  g_assert_cmpint (sp_sql_column_int64 (s, 0), ==, WRITES * G_N_ELEMENTS (threads));
  sp_sql_reset (s);
  sp_sql_close (sql);
}

static void
test_schema (Fixture      *f,
             gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCentralDb) db = NULL;

  /* One source, both dialects fully expanded. */
  for (guint i = 0; i < sp_central_schema_n_migrations (); i++)
    for (int pg = 0; pg <= 1; pg++)
      {
        g_autofree char *sql = sp_central_schema_migration (i, pg);

        g_assert_null (strchr (sql, '@'));
        gboolean pg_types = strstr (sql, "BYTEA") != NULL || strstr (sql, "BIGSERIAL") != NULL;

        /* SQLite never sees PostgreSQL's types; the first migration
         * (and later ones that add such tables) expands them for it. */
        g_assert_true (pg || !pg_types);
        g_assert_true (!pg || i != 0 || pg_types);
      }
  /* Opening twice migrates once. */
  db = sp_central_db_open (f->path, &error);
  g_assert_no_error (error);
  g_clear_pointer (&db, sp_central_db_close);
  db = sp_central_db_open (f->path, &error);
  g_assert_no_error (error);
}

/* Issue 15: a registry of before migration 5 gets its search keys when
 * central opens it, and the search by surname finds its rows folded. */
static void
test_search_keys_of_older_rows (Fixture      *f,
                                gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCentralDb) db = sp_central_db_open (f->path, &error);
  g_autoptr(SpPerson) p = sp_person_new ();
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) none = NULL;
  SpSql *sql;

  g_assert_no_error (error);
  p->cf = g_strdup ("CNTNCL80A01H501W");
  p->surname = g_strdup ("Cantù");
  p->name = g_strdup ("Nicolò");
  p->sex = 'M';
  g_date_set_dmy (&p->birth_date, 1, 1, 1980);
  p->birth_place = g_strdup ("H501");
  g_assert_true (sp_central_db_put_citizen (db, p, TRUE, "demo", &error));
  g_clear_pointer (&db, sp_central_db_close);
  /* Back to the shape of version 4. */
  sql = sp_sql_open (f->path, &error);
  g_assert_true (sp_sql_exec (sql, "DROP INDEX citizens_surname_key;"
                                   "ALTER TABLE citizens DROP COLUMN surname_key;"
                                   "ALTER TABLE citizens DROP COLUMN name_key;"
                                   "DELETE FROM sp_schema WHERE version = 5", &error));
  sp_sql_close (sql);
  db = sp_central_db_open (f->path, &error);
  g_assert_no_error (error);
  found = sp_central_db_search_citizens (db, "CANTU", "nico", NULL, 10, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((SpCentralCitizen *) g_ptr_array_index (found, 0))->surname, ==, "Cantù");
  none = sp_central_db_search_citizens (db, "cantu", NULL, "1980-01-02", 10, 0, &error);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_repository_errors (Fixture      *f,
                        gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCentralDb) db = sp_central_db_open (f->path, &error);
  g_autoptr(SpCentralOperator) op = NULL;
  SpSql *sql;

  g_assert_no_error (error);
  /* Not found is NOT_FOUND ... */
  g_assert_null (sp_central_db_find_operator (db, "nobody", &error));
  g_assert_error (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* ... and a database that fails is not "not found": here the table
   * disappears under the repository (another connection drops it). */
  sql = sp_sql_open (f->path, &error);
  g_assert_true (sp_sql_exec (sql, "PRAGMA foreign_keys = OFF; DROP TABLE sessions; DROP TABLE operators", &error));
  sp_sql_close (sql);
  op = sp_central_db_find_operator (db, "demo", &error);
  g_assert_null (op);
  g_assert_error (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_null (sp_central_db_session_operator (db, "x", 0, &error));
  g_assert_error (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_FAILED);
}

typedef struct {
  const char *path;
  guint reserved;
  guint locked;
} Guesser;

static gpointer
guess_many (gpointer data)
{
  Guesser *g = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCentralDb) db = sp_central_db_open (g->path, &error);

  g_assert_no_error (error);
  for (int i = 0; i < 10; i++)
    {
      g_autofree char *verifier = NULL;
      gint64 retry_at;

      if (sp_central_db_pin_reserve (db, "RSSMRA80A01H501U", g_get_real_time () / 1000, &verifier,
                                     &retry_at, &error))
        g->reserved++;   /* never settled: as if every verification were still running */
      else
        {
          g_assert_error (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_LOCKED);
          g_clear_error (&error);
          g->locked++;
        }
    }
  return NULL;
}

/* Eight connections (as eight workers, or instances) guessing at once:
 * the reservation is atomic, so five and only five get through. */
static void
test_pin_reservation (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCentralDb) db = sp_central_db_open (f->path, &error);
  Guesser guessers[8];
  GThread *threads[8];
  guint reserved = 0, locked = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      guessers[i] = (Guesser) { f->path, 0, 0 };
      threads[i] = g_thread_new ("guesser", guess_many, &guessers[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_thread_join (threads[i]);
      reserved += guessers[i].reserved;
      locked += guessers[i].locked;
    }
  g_assert_cmpuint (reserved, ==, 5);
  g_assert_cmpuint (locked, ==, 75);
}

/* The citizen view written by hand says exactly what json-glib would. */
static void
test_citizen_text (void)
{
  SpCentralCitizen c = {
    .cf = "RSSMRA80A01H501U", .surname = "D'Amico \"detto\" \\ O\xc3\xb9", .name = "Ma\nrio\x01",
    .sex = "M", .birth_date = "1980-01-01", .birth_place = "H501", .street = "Via \t Roma",
    .postcode = "00100", .city = "Roma", .province = "RM", .phone = NULL, .email = "a@b.it",
    .fictitious = TRUE, .source = "demo", .active_issuance_id = "3f1c2a9e-4b7d-4c1e-9a2b-7d8e9f0a1b2c",
    .active_issued_at = 1767261600123, .active_sede = "0700", .locked = TRUE,
  };
  g_autofree char *text = sp_central_view_citizen_text (&c);
  g_autoptr(JsonNode) expected = sp_central_view_citizen (&c);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  g_assert_true (json_node_equal (json_parser_get_root (parser), expected));
  c.street = NULL;
  c.active_issuance_id = NULL;
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&expected, json_node_unref);
  text = sp_central_view_citizen_text (&c);
  expected = sp_central_view_citizen (&c);
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_true (json_node_equal (json_parser_get_root (parser), expected));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sql/placeholders", Fixture, NULL, setup, test_placeholders, teardown);
  g_test_add ("/sql/bad-statements", Fixture, NULL, setup, test_bad_statements, teardown);
  g_test_add ("/sql/connections-on-threads", Fixture, NULL, setup, test_connections_on_threads, teardown);
  g_test_add ("/sql/schema", Fixture, NULL, setup, test_schema, teardown);
  g_test_add ("/sql/search-keys-of-older-rows", Fixture, NULL, setup, test_search_keys_of_older_rows, teardown);
  g_test_add ("/sql/repository-errors", Fixture, NULL, setup, test_repository_errors, teardown);
  g_test_add_func ("/views/citizen-text", test_citizen_text);
  g_test_add ("/sql/pin-reservation", Fixture, NULL, setup, test_pin_reservation, teardown);
  return g_test_run ();
}
