/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
/* The workstation store: one-transaction commits, sealed scans, the
 * audit chain, the citizen cache, migrations, and no clear PIN on disk. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>

#include "sp-pin.h"
#include "sp-sealer.h"
#include "sp-secret.h"
#include "sp-store.h"
#include "../sp-test-status.h"


typedef struct {
  char *dir;
  SpStore *store;
} Fixture;

static void
setup (Fixture      *f,
       gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("sp-store-XXXXXX", NULL);
  f->store = sp_store_open (f->dir, &error);
  g_assert_no_error (error);
}

static void
teardown (Fixture      *f,
          gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  sp_store_close (f->store);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

static SpPerson *
person (const char *cf,
        const char *surname,
        const char *name)
{
  SpPerson *p = sp_person_new ();

  p->cf = g_strdup (cf);
  p->surname = g_strdup (surname);
  p->name = g_strdup (name);
  p->sex = 'M';
  g_date_set_dmy (&p->birth_date, 9, 4, 1925);
  p->birth_place = g_strdup ("F205");
  return p;
}

static SpIssuance *
issuance (const SpPin *pin)
{
  SpIssuance *is = sp_issuance_new ();

  is->cf = g_strdup ("MRTMTT25D09F205Z");
  is->issued_at = g_date_time_new_now_utc ();
  is->sede = g_strdup ("0700");
  is->operator_id = g_strdup ("demo");
  is->verifier = sp_pin_make_verifier (pin, NULL);
  is->citizen = person ("MRTMTT25D09F205Z", "Moretti", "Matteo");
  is->document = sp_document_new ();
  is->document->type = SP_DOCUMENT_CIE;
  is->document->number = g_strdup ("CA12345AB");
  is->document->issuer = g_strdup ("Comune di Milano");
  g_date_set_dmy (&is->document->issued_on, 1, 2, 2020);
  g_date_set_dmy (&is->document->expires_on, 1, 2, 2030);
  is->attested_in_person = TRUE;
  return is;
}

static GPtrArray *
scans (void)
{
  GPtrArray *list = g_ptr_array_new ();
  static SpStoreScan mv35 = { SP_ATTACHMENT_MV35, NULL };
  static SpStoreScan front = { SP_ATTACHMENT_DOCUMENT_FRONT, NULL };

  g_clear_pointer (&mv35.pdf, g_bytes_unref);
  g_clear_pointer (&front.pdf, g_bytes_unref);
  /* Recognisable clear text, to prove it is not on disk in clear. */
  mv35.pdf = g_bytes_new_static ("%PDF-1.4 MODULO-MV35-IN-CHIARO Moretti Matteo %%EOF", 51);
  front.pdf = g_bytes_new_static ("%PDF-1.4 CARTA-IDENTITA-IN-CHIARO CA12345AB %%EOF", 49);
  g_ptr_array_add (list, &mv35);
  g_ptr_array_add (list, &front);
  return list;
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return FALSE;
  return memmem (contents, len, needle, strlen (needle)) != NULL;
}

static void
test_commit_issuance (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr(SpPin) pin = sp_pin_generate ();
  g_autoptr(SpIssuance) is = issuance (pin);
  g_autoptr(GPtrArray) list = scans ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) back = NULL;
  g_autofree char *status = NULL;
  g_autofree char *db = g_build_filename (f->dir, "store.db", NULL);
  g_autofree char *wal = g_build_filename (f->dir, "store.db-wal", NULL);
  g_autofree char *key = g_build_filename (f->dir, "keys", "scans.key", NULL);
  GStatBuf st;

  g_assert_true (sp_store_commit_issuance (f->store, is, list, "demo", &error));
  g_assert_no_error (error);
  status = sp_test_status_word (f->store, is->id);
  g_assert_cmpstr (status, ==, "pending");
  /* One issuance and two scans waiting to be pushed, the issuance first. */
  g_assert_cmpint (sp_store_outbox_waiting (f->store), ==, 3);
  g_assert_cmpuint (is->attachments->len, ==, 2);
  back = sp_store_read_scan (f->store, is->id, SP_ATTACHMENT_MV35, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, g_ptr_array_index (list, 0) ? ((SpStoreScan *) list->pdata[0])->pdf : NULL));
  /* Sealed at rest, and never a clear PIN anywhere. */
  g_assert_false (file_contains (db, "MODULO-MV35-IN-CHIARO") || file_contains (wal, "MODULO-MV35-IN-CHIARO"));
  g_assert_false (file_contains (db, "CARTA-IDENTITA-IN-CHIARO") || file_contains (wal, "CARTA-IDENTITA-IN-CHIARO"));
  g_assert_false (file_contains (db, sp_pin_peek (pin)) || file_contains (wal, sp_pin_peek (pin))
                  || file_contains (key, sp_pin_peek (pin)));
  g_assert_true (file_contains (wal, is->id) || file_contains (db, is->id));
  g_assert_cmpint (g_stat (key, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_duplicate_rolls_back (Fixture      *f,
                           gconstpointer data)
{
  g_autoptr(SpPin) pin = sp_pin_generate ();
  g_autoptr(SpIssuance) is = issuance (pin);
  g_autoptr(GPtrArray) list = scans ();
  g_autoptr(GError) error = NULL;
  gint64 rows, broken;
  g_autofree char *why = NULL;

  g_assert_true (sp_store_commit_issuance (f->store, is, list, "demo", NULL));
  /* The same id again: nothing of the second attempt may remain. */
  g_assert_false (sp_store_commit_issuance (f->store, is, list, "demo", &error));
  g_assert_error (error, SP_STORE_ERROR, SP_STORE_ERROR_EXISTS);
  g_assert_cmpint (sp_store_outbox_waiting (f->store), ==, 3);
  g_assert_true (sp_store_audit_verify (f->store, &rows, &broken, &why));
  g_assert_cmpint (rows, ==, 1);
}

static void
tamper (Fixture    *f,
        const char *sql)
{
  g_autofree char *db = g_build_filename (f->dir, "store.db", NULL);
  sqlite3 *h;

  g_assert_cmpint (sqlite3_open (db, &h), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (h, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (h);
}

/* Runs sportello-tool on the fixture's store; returns its exit status. */
static int
tool (Fixture    *f,
      const char *command,
      const char *verb,
      char      **out)
{
  g_autofree char *exe = g_build_filename (g_getenv ("SP_BUILD_ROOT"), "src", "tool", "sportello-tool", NULL);
  const char *argv[] = { exe, command, verb, "--store", f->dir, "--json", NULL };
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               out, NULL, &status, NULL));
  return g_spawn_check_wait_status (status, NULL) ? 0 : WEXITSTATUS (status);
}

static void
test_audit_chain (Fixture      *f,
                  gconstpointer data)
{
  gint64 rows, broken;
  g_autofree char *why1 = NULL, *why2 = NULL, *why3 = NULL, *why0 = NULL;

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(SpPin) pin = sp_pin_generate ();
      g_autoptr(SpIssuance) is = issuance (pin);

      g_assert_true (sp_store_commit_issuance (f->store, is, NULL, "demo", NULL));
    }
  g_assert_true (sp_store_audit_verify (f->store, &rows, &broken, &why0));
  g_assert_cmpint (rows, ==, 4);

  {
    g_autofree char *out = NULL;
    g_assert_cmpint (tool (f, "audit", "verify", &out), ==, 0);
    g_assert_nonnull (strstr (out, "\"rows\" : 4"));
  }
  tamper (f, "UPDATE audit SET actor = 'mallory' WHERE id = 2");
  g_assert_false (sp_store_audit_verify (f->store, &rows, &broken, &why1));
  g_assert_cmpint (broken, ==, 2);
  g_assert_nonnull (strstr (why1, "edited"));
  {
    g_autofree char *out = NULL;
    /* sportello-tool says where, and exits 1. */
    g_assert_cmpint (tool (f, "audit", "verify", &out), ==, 1);
    g_assert_nonnull (strstr (out, "\"broken_row\" : 2"));
  }

  tamper (f, "UPDATE audit SET actor = 'demo' WHERE id = 2; DELETE FROM audit WHERE id = 3");
  g_assert_false (sp_store_audit_verify (f->store, &rows, &broken, &why2));
  g_assert_cmpint (broken, ==, 4);
  g_assert_nonnull (strstr (why2, "missing"));

  /* Reordering: two rows swap places. */
  tamper (f, "DELETE FROM audit;");
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SpPin) pin = sp_pin_generate ();
      g_autoptr(SpIssuance) is = issuance (pin);

      g_assert_true (sp_store_commit_issuance (f->store, is, NULL, "demo", NULL));
    }
  tamper (f, "UPDATE audit SET id = -id WHERE id IN (1, 2); UPDATE audit SET id = 2 WHERE id = -1;"
             " UPDATE audit SET id = 1 WHERE id = -2;");
  g_assert_false (sp_store_audit_verify (f->store, &rows, &broken, &why3));
  g_assert_cmpint (broken, ==, 1);
  g_assert_nonnull (strstr (why3, "reordered"));
}

static void
test_citizen_cache (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_person_free);
  g_autoptr(SpPerson) found = NULL;
  g_autoptr(GPtrArray) by_surname = NULL;
  g_autoptr(GPtrArray) by_name = NULL;
  g_autoptr(GPtrArray) accents = NULL;

  g_ptr_array_add (people, person ("MRTMTT25D09F205Z", "Moretti", "Matteo"));
  g_ptr_array_add (people, person ("DNGNCL80A01H501X", "D'Angelo", "Nicolò"));
  g_ptr_array_add (people, person ("RSSMRA80A01H501U", "Rossi", "Mario"));
  g_ptr_array_add (people, person ("RSSNNA80A41H501Y", "Rossini", "Anna"));
  g_assert_true (sp_store_put_citizens (f->store, people, NULL));
  found = sp_store_find_citizen (f->store, "RSSMRA80A01H501U");
  g_assert_nonnull (found);
  g_assert_cmpstr (found->name, ==, "Mario");
  g_assert_null (sp_store_find_citizen (f->store, "XXXXXX00X00X000X"));
  by_surname = sp_store_search_citizens (f->store, "ross", NULL, 50);
  g_assert_cmpuint (by_surname->len, ==, 2);
  by_name = sp_store_search_citizens (f->store, "Rossi", "Ma", 50);
  g_assert_cmpuint (by_name->len, ==, 1);
  g_assert_cmpstr (((SpPerson *) by_name->pdata[0])->cf, ==, "RSSMRA80A01H501U");
  accents = sp_store_search_citizens (f->store, "d angelo", "nicolo", 50);
  g_assert_cmpuint (accents->len, ==, 1);
}

static void
test_sealer_detects_tampering (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sp-seal-XXXXXX", NULL);
  g_autofree char *key = g_build_filename (dir, "k", "scans.key", NULL);
  g_autoptr(SpSealer) sealer = sp_sealer_new (key, NULL);
  g_autoptr(GBytes) clear = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) opened = NULL;
  g_autoptr(GBytes) cut = NULL;
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autofree guchar *big = g_malloc (200 * 1024);
  g_autofree guchar *altered = NULL;
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

  for (guint i = 0; i < 200 * 1024; i++)
    big[i] = i * 7;
  clear = g_bytes_new (big, 200 * 1024);   /* several chunks */
  sealed = sp_sealer_seal (sealer, clear);
  opened = sp_sealer_open (sealer, sealed, NULL);
  g_assert_true (g_bytes_equal (clear, opened));
  cut = g_bytes_new_from_bytes (sealed, 0, g_bytes_get_size (sealed) - 70 * 1024);
  g_assert_null (sp_sealer_open (sealer, cut, &e1));
  g_assert_error (e1, SP_SEALER_ERROR, SP_SEALER_ERROR_CORRUPT);
  altered = g_memdup2 (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed));
  altered[100] ^= 1;
  {
    g_autoptr(GBytes) bad = g_bytes_new (altered, g_bytes_get_size (sealed));
    g_assert_null (sp_sealer_open (sealer, bad, &e2));
    g_assert_error (e2, SP_SEALER_ERROR, SP_SEALER_ERROR_CORRUPT);
  }
  g_chmod (key, 0644);
  {
    g_autoptr(GError) e3 = NULL;
    g_autoptr(SpSealer) loose = sp_sealer_new (key, &e3);
    g_assert_null (loose);
    g_assert_error (e3, SP_SEALER_ERROR, SP_SEALER_ERROR_KEY);
  }
  g_assert_cmpint (system (cmd), ==, 0);
}

static void
test_reopen_keeps_data (Fixture      *f,
                        gconstpointer data)
{
  g_autoptr(SpPin) pin = sp_pin_generate ();
  g_autoptr(SpIssuance) is = issuance (pin);
  g_autoptr(GPtrArray) list = scans ();
  g_autoptr(GBytes) back = NULL;
  g_autofree char *report = NULL;

  g_assert_true (sp_store_commit_issuance (f->store, is, list, "demo", NULL));
  sp_store_close (f->store);
  f->store = sp_store_open (f->dir, NULL);
  g_assert_nonnull (f->store);
  back = sp_store_read_scan (f->store, is->id, SP_ATTACHMENT_DOCUMENT_FRONT, NULL);
  g_assert_nonnull (back);
  g_assert_true (sp_store_integrity_check (f->store, &report));
  g_assert_cmpstr (report, ==, "ok");
  {
    g_autofree char *out = NULL;
    g_assert_cmpint (tool (f, "db", "check", &out), ==, 0);
    g_assert_nonnull (strstr (out, "\"integrity_check\" : \"ok\""));
  }
}

static void
test_offline_login (Fixture      *f,
                    gconstpointer data)
{
  g_autofree char *name = NULL, *role = NULL, *sede = NULL;
  g_autofree char *db = g_build_filename (f->dir, "store.db", NULL);
  g_autofree char *n2 = NULL, *r2 = NULL, *s2 = NULL;

  g_assert_true (sp_store_remember_operator (f->store, "demo", "demo password", "Operatore Demo",
                                             "operator", "0700", NULL));
  g_assert_true (sp_store_offline_login (f->store, "demo", "demo password", 72 * 3600, &name, &role, &sede));
  g_assert_cmpstr (name, ==, "Operatore Demo");
  g_assert_cmpstr (sede, ==, "0700");
  g_assert_false (sp_store_offline_login (f->store, "demo", "wrong", 72 * 3600, &n2, &r2, &s2));
  g_assert_null (n2);
  g_assert_false (sp_store_offline_login (f->store, "nobody", "demo password", 72 * 3600, &n2, &r2, &s2));
  /* 73 hours since the last online login: too old. */
  tamper (f, "UPDATE operators SET last_online_login = last_online_login - 73 * 3600 * 1000");
  g_assert_false (sp_store_offline_login (f->store, "demo", "demo password", 72 * 3600, &n2, &r2, &s2));
  /* The password is kept only as a verifier. */
  {
    g_autofree char *contents = NULL;
    gsize len;
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);

    g_assert_true (g_file_get_contents (db, &contents, &len, NULL));
    g_assert_null (memmem (contents, len, "demo password", 13));
    g_clear_pointer (&contents, g_free);
    if (g_file_get_contents (wal, &contents, &len, NULL))
      g_assert_null (memmem (contents, len, "demo password", 13));
  }
}

/* A store made by an earlier version (schema 1) is migrated on open. */
/* The counter's own rows: drafts survive a reopen (a crash), the day's
 * list filters by operator, and a refusal is audited. */
static void
test_drafts_and_listing (Fixture      *f,
                         gconstpointer data)
{
  g_autoptr(SpPin) pin = sp_pin_generate ();
  g_autoptr(SpIssuance) is = issuance (pin);
  g_autoptr(GPtrArray) all = NULL, mine = NULL, others = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_hours (now, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *draft = NULL, *gone = NULL, *why = NULL;
  gint64 rows = 0, broken = -1;

  g_assert_true (sp_store_commit_issuance (f->store, is, NULL, "demo", &error));
  g_assert_no_error (error);
  all = sp_store_list_issuances (f->store, NULL, NULL, NULL, 10);
  mine = sp_store_list_issuances (f->store, NULL, later, "demo", 0);
  others = sp_store_list_issuances (f->store, NULL, NULL, "demo2", 0);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpuint (mine->len, ==, 1);
  g_assert_cmpuint (others->len, ==, 0);
  g_assert_cmpint (((SpStoreIssuanceRow *) all->pdata[0])->status, ==, SP_ISSUANCE_STATUS_PENDING);
  g_assert_cmpstr (((SpStoreIssuanceRow *) all->pdata[0])->issuance->id, ==, is->id);

  g_assert_true (sp_store_save_draft (f->store, "demo", "{\"cf\":\"RSSMRA\"}", &error));
  g_assert_true (sp_store_save_draft (f->store, "demo", "{\"cf\":\"RSSMRA80\"}", &error));
  sp_store_close (f->store);
  f->store = sp_store_open (f->dir, &error);
  g_assert_no_error (error);
  draft = sp_store_load_draft (f->store, "demo");
  g_assert_cmpstr (draft, ==, "{\"cf\":\"RSSMRA80\"}");
  g_assert_true (sp_store_delete_draft (f->store, "demo", &error));
  gone = sp_store_load_draft (f->store, "demo");
  g_assert_null (gone);

  g_assert_true (sp_store_record_event (f->store, "demo", "request.refused", "RSSMRA80A01H501U",
                                        "delegate", &error));
  g_assert_true (sp_store_audit_verify (f->store, &rows, &broken, &why));
  g_assert_cmpint (rows, ==, 2);
}

/* A store of each earlier schema version opens and reaches the latest:
 * the tables a later migration added are dropped to make the old shape. */
static void
test_migration_from_every_version (Fixture      *f,
                                   gconstpointer data)
{
  static const char *const downgrade[] = {
    "DROP TABLE draft_scans; DROP TABLE drafts; DROP TABLE operators; PRAGMA user_version = 1;",
    "DROP TABLE draft_scans; DROP TABLE drafts; PRAGMA user_version = 2;",
    "DROP TABLE draft_scans; PRAGMA user_version = 3;",
  };

  for (guint i = 0; i < G_N_ELEMENTS (downgrade); i++)
    {
      g_autofree char *name = NULL, *role = NULL, *sede = NULL, *draft = NULL;

      sp_store_close (f->store);
      tamper (f, downgrade[i]);
      f->store = sp_store_open (f->dir, NULL);
      g_assert_nonnull (f->store);
      g_assert_true (sp_store_remember_operator (f->store, "demo", "pw", "D", "operator", "0700", NULL));
      g_assert_true (sp_store_offline_login (f->store, "demo", "pw", 60, &name, &role, &sede));
      g_assert_true (sp_store_save_draft (f->store, "demo", "{}", NULL));
      draft = sp_store_load_draft (f->store, "demo");
      g_assert_cmpstr (draft, ==, "{}");
      g_assert_true (sp_store_save_draft_scan (f->store, "demo", SP_ATTACHMENT_MV35, NULL, 0, NULL));
    }
}

/* Issue 15: a draft keeps its scans, sealed like an issuance's; deleting
 * the draft deletes them. */
static void
test_draft_scans_sealed (Fixture      *f,
                         gconstpointer data)
{
  static const char clear[] = "%PDF-1.4 the front of CA12345AB, a draft's scan %%EOF";
  g_autoptr(GBytes) pdf = g_bytes_new_static (clear, sizeof clear - 1);
  g_autoptr(GBytes) other = g_bytes_new_static ("%PDF-1.4 again %%EOF", 20);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GPtrArray) replaced = NULL;
  g_autoptr(GPtrArray) theirs = NULL;
  g_autoptr(GPtrArray) gone = NULL;
  g_autofree char *db = g_build_filename (f->dir, "store.db", NULL);
  g_autofree char *wal = g_build_filename (f->dir, "store.db-wal", NULL);
  SpStoreDraftScan *scan;

  g_assert_true (sp_store_save_draft (f->store, "demo", "{}", &error));
  g_assert_true (sp_store_save_draft_scan (f->store, "demo", SP_ATTACHMENT_DOCUMENT_FRONT, pdf, 1, &error));
  g_assert_true (sp_store_save_draft_scan (f->store, "demo", SP_ATTACHMENT_MV35, other, 2, &error));
  g_assert_no_error (error);
  g_assert_false (file_contains (db, "CA12345AB"));
  g_assert_false (file_contains (wal, "CA12345AB"));
  sp_store_close (f->store);
  f->store = sp_store_open (f->dir, &error);
  g_assert_no_error (error);
  back = sp_store_load_draft_scans (f->store, "demo");
  g_assert_cmpuint (back->len, ==, 2);
  scan = g_ptr_array_index (back, 0);   /* by kind: document_front, then mv35 */
  g_assert_cmpint (scan->kind, ==, SP_ATTACHMENT_DOCUMENT_FRONT);
  g_assert_cmpuint (scan->pages, ==, 1);
  g_assert_true (g_bytes_equal (scan->pdf, pdf));
  theirs = sp_store_load_draft_scans (f->store, "demo2");
  g_assert_cmpuint (theirs->len, ==, 0);
  /* Removing one scan leaves the other. */
  g_assert_true (sp_store_save_draft_scan (f->store, "demo", SP_ATTACHMENT_DOCUMENT_FRONT, NULL, 0, &error));
  replaced = sp_store_load_draft_scans (f->store, "demo");
  g_assert_cmpuint (replaced->len, ==, 1);
  g_assert_cmpint (((SpStoreDraftScan *) g_ptr_array_index (replaced, 0))->kind, ==, SP_ATTACHMENT_MV35);
  g_assert_true (sp_store_delete_draft (f->store, "demo", &error));
  gone = sp_store_load_draft_scans (f->store, "demo");
  g_assert_cmpuint (gone->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/store/commit-issuance", Fixture, NULL, setup, test_commit_issuance, teardown);
  g_test_add ("/store/duplicate-rolls-back", Fixture, NULL, setup, test_duplicate_rolls_back, teardown);
  g_test_add ("/store/audit-chain", Fixture, NULL, setup, test_audit_chain, teardown);
  g_test_add ("/store/citizen-cache", Fixture, NULL, setup, test_citizen_cache, teardown);
  g_test_add ("/store/reopen-keeps-data", Fixture, NULL, setup, test_reopen_keeps_data, teardown);
  g_test_add_func ("/store/sealer-detects-tampering", test_sealer_detects_tampering);
  g_test_add ("/store/offline-login", Fixture, NULL, setup, test_offline_login, teardown);
  g_test_add ("/store/drafts-and-listing", Fixture, NULL, setup, test_drafts_and_listing, teardown);
  g_test_add ("/store/draft-scans-sealed", Fixture, NULL, setup, test_draft_scans_sealed, teardown);
  g_test_add ("/store/migration-from-every-version", Fixture, NULL, setup, test_migration_from_every_version, teardown);
  return g_test_run ();
}
