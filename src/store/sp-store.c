/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-store"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "sp-sealer.h"
#include "sp-secret.h"
#include "sp-store.h"
#include "sp-text.h"

G_DEFINE_QUARK (sp-store-error-quark, sp_store_error)

struct _SpStore
{
  sqlite3 *db;
  char *path;
  SpSealer *sealer;
  GHashTable *statements;   /* SQL text → an idle prepared statement for it */
  /* The connection is opened NOMUTEX and used from the main loop and from
   * the app's database thread: one statement, or one transaction from
   * its BEGIN to its end, holds this lock (recursive: statements nest
   * inside transactions). */
  GRecMutex lock;
  gboolean in_transaction;
};

/* Versioned migrations: migrations[i] takes the schema from version i to
 * i + 1 (PRAGMA user_version). Never edit one that has shipped: add. */
static const char *const migrations[] = {
  /* 1 */
  "CREATE TABLE citizens (cf TEXT PRIMARY KEY, surname TEXT NOT NULL, name TEXT NOT NULL,"
  "  sex TEXT NOT NULL, birth_date TEXT NOT NULL, birth_place TEXT NOT NULL, person TEXT NOT NULL,"
  "  search TEXT NOT NULL, updated_at INTEGER NOT NULL);"
  "CREATE INDEX citizens_search ON citizens (search);"
  "CREATE TABLE issuances (id TEXT PRIMARY KEY, cf TEXT NOT NULL, status TEXT NOT NULL"
  "  CHECK (status IN ('pending','active','superseded','voided','revoked','needs_attention')),"
  "  issued_at TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL, problem TEXT);"
  "CREATE INDEX issuances_cf ON issuances (cf);"
  "CREATE TABLE scans (issuance_id TEXT NOT NULL REFERENCES issuances(id), kind TEXT NOT NULL,"
  "  sha256 TEXT NOT NULL, size INTEGER NOT NULL, sealed BLOB, confirmed_at INTEGER,"
  "  PRIMARY KEY (issuance_id, kind));"
  "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, target TEXT NOT NULL,"
  "  body TEXT, state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting','attention')),"
  "  attempts INTEGER NOT NULL DEFAULT 0, problem TEXT, created_at INTEGER NOT NULL);"
  "CREATE TABLE audit (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL,"
  "  action TEXT NOT NULL, subject TEXT, detail TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
  "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT);",
  /* 2: offline login */
  "CREATE TABLE operators (username TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL,"
  "  sede TEXT NOT NULL, verifier TEXT NOT NULL, last_online_login INTEGER NOT NULL);",
  /* 3: the counter's drafts (never a PIN) */
  "CREATE TABLE drafts (operator TEXT PRIMARY KEY, body TEXT NOT NULL, updated_at INTEGER NOT NULL);",
  /* 4: a draft's scans, sealed as an issuance's are (issue 15) */
  "CREATE TABLE draft_scans (operator TEXT NOT NULL, kind TEXT NOT NULL, pages INTEGER NOT NULL,"
  "  sealed BLOB NOT NULL, PRIMARY KEY (operator, kind));",
};

static gboolean
sql_fail (SpStore *store,
          GError **error)
{
  int rc = sqlite3_errcode (store->db);

  g_set_error (error, SP_STORE_ERROR,
               rc == SQLITE_CONSTRAINT ? SP_STORE_ERROR_EXISTS : SP_STORE_ERROR_FAILED,
               "store: %s", sqlite3_errmsg (store->db));
  return FALSE;
}

static gboolean
exec (SpStore    *store,
      const char *sql,
      GError    **error)
{
  gboolean ok;

  g_rec_mutex_lock (&store->lock);
  ok = sqlite3_exec (store->db, sql, NULL, NULL, NULL) == SQLITE_OK || sql_fail (store, error);
  if (!ok && g_str_equal (sql, "COMMIT"))
    sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);   /* never leave it open, locked */
  if (ok && g_str_has_prefix (sql, "BEGIN"))
    {
      /* The transaction keeps this level of the lock until it ends. */
      store->in_transaction = TRUE;
      return TRUE;
    }
  if (store->in_transaction && sqlite3_get_autocommit (store->db))
    {
      store->in_transaction = FALSE;
      g_rec_mutex_unlock (&store->lock);
    }
  g_rec_mutex_unlock (&store->lock);
  return ok;
}

/* A statement for sql, ready to bind; give it back with release(). Each
 * SQL text is compiled once per connection and then reused: parsing was a
 * tenth of the sync engine's time while draining the outbox. A statement
 * is taken out of the cache while in use, so a nested use of the same SQL
 * gets its own. NULL (with a critical) on bad SQL. */
static sqlite3_stmt *
prepare (SpStore    *store,
         const char *sql)
{
  sqlite3_stmt *s = NULL;
  char *key = NULL;

  g_rec_mutex_lock (&store->lock);   /* until release () */
  if (g_hash_table_steal_extended (store->statements, sql, (gpointer *) &key, (gpointer *) &s))
    {
      g_free (key);
      return s;
    }
  if (sqlite3_prepare_v3 (store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
    g_critical ("bad SQL %s: %s", sql, sqlite3_errmsg (store->db));
  return s;
}

/* Back to the cache, reset and unbound, unless an idle one for the same
 * SQL is already there. */
static void
release (SpStore      *store,
         sqlite3_stmt *s)
{
  if (s != NULL && g_hash_table_contains (store->statements, sqlite3_sql (s)))
    sqlite3_finalize (s);
  else if (s != NULL)
    {
      sqlite3_reset (s);
      sqlite3_clear_bindings (s);
      g_hash_table_insert (store->statements, g_strdup (sqlite3_sql (s)), s);
    }
  g_rec_mutex_unlock (&store->lock);
}

static void
bind_text (sqlite3_stmt *s,
           int           i,
           const char   *text)
{
  if (text)
    sqlite3_bind_text (s, i, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (s, i);
}

static gboolean
run (SpStore      *store,
     sqlite3_stmt *s,
     GError      **error)
{
  int rc = sqlite3_step (s);
  gboolean ok = rc == SQLITE_DONE || rc == SQLITE_ROW || sql_fail (store, error);

  release (store, s);
  return ok;
}

/* The first column of the first row of sql (with one text argument, or
 * none when arg is NULL), or NULL. */
static char *
query_text (SpStore    *store,
            const char *sql,
            const char *arg)
{
  sqlite3_stmt *s = prepare (store, sql);
  char *value = NULL;

  if (arg != NULL)
    bind_text (s, 1, arg);
  if (sqlite3_step (s) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (s, 0));
  release (store, s);
  return value;
}

static gint64
query_int64 (SpStore    *store,
             const char *sql)
{
  g_autofree char *text = query_text (store, sql, NULL);

  return text ? g_ascii_strtoll (text, NULL, 10) : 0;
}

static gboolean
commit_or_rollback (SpStore  *store,
                    gboolean  ok,
                    GError  **error)
{
  if (ok)
    return exec (store, "COMMIT", error);
  exec (store, "ROLLBACK", NULL);
  return FALSE;
}

static gboolean
migrate (SpStore *store,
         GError **error)
{
  sqlite3_stmt *s = prepare (store, "PRAGMA user_version");
  int version = 0;

  if (sqlite3_step (s) == SQLITE_ROW)
    version = sqlite3_column_int (s, 0);
  release (store, s);
  for (guint i = version; i < G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %u", i + 1);

      if (!exec (store, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!commit_or_rollback (store, exec (store, migrations[i], error) && exec (store, bump, error), error))
        return FALSE;
    }
  return TRUE;
}

char *
sp_store_default_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "sportello-pin", NULL);
}

SpStore *
sp_store_open (const char *dir,
               GError    **error)
{
  g_autoptr(SpStore) store = g_new0 (SpStore, 1);
  g_autofree char *key = g_build_filename (dir, "keys", "scans.key", NULL);

  g_rec_mutex_init (&store->lock);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, SP_STORE_ERROR, SP_STORE_ERROR_FAILED, "cannot create %s", dir);
      return NULL;
    }
  store->path = g_build_filename (dir, "store.db", NULL);
  store->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) sqlite3_finalize);
  if (sqlite3_open_v2 (store->path, &store->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                       | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      sql_fail (store, error);
      return NULL;
    }
  sqlite3_busy_timeout (store->db, 5000);
  /* An issuance is a legal act: every commit reaches the disk. */
  if (!exec (store, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                    "PRAGMA foreign_keys = ON; PRAGMA cache_size = -32768;", error)
      || !migrate (store, error))
    return NULL;
  store->sealer = sp_sealer_new (key, error);
  if (store->sealer == NULL)
    return NULL;
  return g_steal_pointer (&store);
}

void
sp_store_close (SpStore *store)
{
  if (store == NULL)
    return;
  g_clear_pointer (&store->statements, g_hash_table_destroy);   /* before the connection */
  if (store->db)
    sqlite3_close (store->db);
  sp_sealer_free (store->sealer);
  g_free (store->path);
  g_rec_mutex_clear (&store->lock);
  g_free (store);
}

gboolean
sp_store_key_in_keyring (SpStore *store)
{
  return sp_sealer_get_key_source (store->sealer) == SP_SEALER_KEY_SECRET_SERVICE;
}

const char *
sp_store_get_path (SpStore *store)
{
  return store->path;
}

/* ---- audit: append-only, each row carries the hash of the previous ---- */

static char *
audit_hash (const char *prev,
            gint64      at,
            const char *actor,
            const char *action,
            const char *subject,
            const char *detail)
{
  g_autofree char *line = g_strdup_printf ("%s|%" G_GINT64_FORMAT "|%s|%s|%s|%s", prev, at, actor,
                                           action, subject ? subject : "", detail ? detail : "");

  return sp_sha256_hex (line, strlen (line));
}

/* In the caller's transaction, so the record and what it records commit together. */
static gboolean
audit (SpStore    *store,
       const char *actor,
       const char *action,
       const char *subject,
       const char *detail,
       GError    **error)
{
  sqlite3_stmt *s = prepare (store, "SELECT hash FROM audit ORDER BY id DESC LIMIT 1");
  g_autofree char *prev = NULL;
  g_autofree char *hash = NULL;
  gint64 now = g_get_real_time () / 1000;

  prev = g_strdup (sqlite3_step (s) == SQLITE_ROW ? (const char *) sqlite3_column_text (s, 0) : "");
  release (store, s);
  hash = audit_hash (prev, now, actor, action, subject, detail);
  s = prepare (store, "INSERT INTO audit (at, actor, action, subject, detail, prev_hash, hash)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?)");
  sqlite3_bind_int64 (s, 1, now);
  bind_text (s, 2, actor);
  bind_text (s, 3, action);
  bind_text (s, 4, subject);
  bind_text (s, 5, detail);
  bind_text (s, 6, prev);
  bind_text (s, 7, hash);
  return run (store, s, error);
}

gboolean
sp_store_audit_verify (SpStore *store,
                       gint64  *rows,
                       gint64  *broken_row,
                       char   **why)
{
  sqlite3_stmt *s = prepare (store, "SELECT id, at, actor, action, subject, detail, prev_hash, hash"
                                    " FROM audit ORDER BY id");
  g_autofree char *expected_prev = g_strdup ("");
  gint64 expected_id = 0;
  gboolean ok = TRUE;

  *rows = 0;
  *broken_row = 0;
  *why = NULL;
  while (ok && sqlite3_step (s) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (s, 0);
      const char *prev = (const char *) sqlite3_column_text (s, 6);
      const char *hash = (const char *) sqlite3_column_text (s, 7);
      g_autofree char *recomputed = audit_hash (prev, sqlite3_column_int64 (s, 1),
                                                (const char *) sqlite3_column_text (s, 2),
                                                (const char *) sqlite3_column_text (s, 3),
                                                (const char *) sqlite3_column_text (s, 4),
                                                (const char *) sqlite3_column_text (s, 5));

      (*rows)++;
      if (expected_id != 0 && id != expected_id)
        *why = g_strdup_printf ("row %" G_GINT64_FORMAT " is missing (deleted)", expected_id);
      else if (g_strcmp0 (prev, expected_prev) != 0)
        *why = g_strdup ("its link to the previous row is wrong (deleted or reordered rows)");
      else if (g_strcmp0 (hash, recomputed) != 0)
        *why = g_strdup ("its content does not match its hash (edited)");
      if (*why != NULL)
        {
          *broken_row = id;
          ok = FALSE;
        }
      g_free (expected_prev);
      expected_prev = g_strdup (hash);
      expected_id = id + 1;
    }
  release (store, s);
  return ok;
}

gboolean
sp_store_integrity_check (SpStore *store,
                          char   **report)
{
  sqlite3_stmt *s = prepare (store, "PRAGMA integrity_check");
  GString *out = g_string_new (NULL);

  while (sqlite3_step (s) == SQLITE_ROW)
    g_string_append_printf (out, "%s%s", out->len ? "\n" : "", sqlite3_column_text (s, 0));
  release (store, s);
  *report = g_string_free (out, FALSE);
  return g_str_equal (*report, "ok");
}

/* ---- citizen cache ---- */

static char *
search_key (const char *surname,
            const char *name)
{
  g_autofree char *s = sp_text_fold (surname);
  g_autofree char *n = sp_text_fold (name);

  /* "|" sorts after every folded character: surname "rossi" does not run
   * into "rossini" when a name prefix follows. */
  return g_strconcat (s, "|", n, NULL);
}

gboolean
sp_store_put_citizens (SpStore   *store,
                       GPtrArray *persons,
                       GError   **error)
{
  sqlite3_stmt *s;
  gboolean ok = TRUE;
  gint64 now = g_get_real_time () / 1000;

  if (!exec (store, "BEGIN IMMEDIATE", error))
    return FALSE;
  s = prepare (store, "INSERT INTO citizens (cf, surname, name, sex, birth_date, birth_place, person,"
                      " search, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cf) DO UPDATE SET"
                      " surname = excluded.surname, name = excluded.name, sex = excluded.sex,"
                      " birth_date = excluded.birth_date, birth_place = excluded.birth_place,"
                      " person = excluded.person, search = excluded.search, updated_at = excluded.updated_at");
  for (guint i = 0; ok && i < persons->len; i++)
    {
      const SpPerson *p = g_ptr_array_index (persons, i);
      g_autoptr(JsonNode) node = sp_person_to_json (p);
      g_autofree char *json = json_to_string (node, FALSE);
      g_autofree char *date = sp_date_to_iso (&p->birth_date);
      g_autofree char *search = search_key (p->surname, p->name);
      char sex[2] = { p->sex, 0 };

      sqlite3_reset (s);
      bind_text (s, 1, p->cf);
      bind_text (s, 2, p->surname);
      bind_text (s, 3, p->name);
      bind_text (s, 4, sex);
      bind_text (s, 5, date);
      bind_text (s, 6, p->birth_place);
      bind_text (s, 7, json);
      bind_text (s, 8, search);
      sqlite3_bind_int64 (s, 9, now);
      ok = sqlite3_step (s) == SQLITE_DONE || sql_fail (store, error);
    }
  release (store, s);
  return commit_or_rollback (store, ok, error);
}

static SpPerson *
person_from_json_text (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (!json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;
  return sp_person_from_json (json_parser_get_root (parser), "person", NULL);
}

SpPerson *
sp_store_find_citizen (SpStore    *store,
                       const char *cf)
{
  sqlite3_stmt *s = prepare (store, "SELECT person FROM citizens WHERE cf = ?");
  SpPerson *person = NULL;

  bind_text (s, 1, cf);
  if (sqlite3_step (s) == SQLITE_ROW)
    person = person_from_json_text ((const char *) sqlite3_column_text (s, 0));
  release (store, s);
  return person;
}

GPtrArray *
sp_store_search_citizens (SpStore    *store,
                          const char *surname_prefix,
                          const char *name_prefix,
                          guint       limit)
{
  g_autofree char *surname = sp_text_fold (surname_prefix);
  g_autofree char *name = sp_text_fold (name_prefix);
  g_autofree char *low = NULL;
  g_autofree char *high = NULL;
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_person_free);
  sqlite3_stmt *s;

  if (*surname == '\0')
    return result;
  /* A range on the index: [prefix, prefix + 0x7f), the folded keys being
   * plain ASCII below 0x7f. */
  low = name_prefix && *name ? g_strconcat (surname, "|", name, NULL) : g_strdup (surname);
  high = g_strconcat (low, "\x7f", NULL);
  s = prepare (store, "SELECT person FROM citizens WHERE search >= ? AND search < ? ORDER BY search LIMIT ?");
  bind_text (s, 1, low);
  bind_text (s, 2, high);
  sqlite3_bind_int (s, 3, limit);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      SpPerson *p = person_from_json_text ((const char *) sqlite3_column_text (s, 0));

      if (p != NULL)
        g_ptr_array_add (result, p);
    }
  release (store, s);
  return result;
}

/* ---- issuances, scans, outbox ---- */

static gboolean
insert_scan (SpStore           *store,
             const char        *issuance_id,
             const SpStoreScan *scan,
             const char        *sha,
             GError           **error)
{
  g_autoptr(GBytes) sealed = sp_sealer_seal (store->sealer, scan->pdf);
  const char *kind = sp_attachment_kind_to_string (scan->kind);
  sqlite3_stmt *s;

  s = prepare (store, "INSERT INTO scans (issuance_id, kind, sha256, size, sealed) VALUES (?, ?, ?, ?, ?)");
  bind_text (s, 1, issuance_id);
  bind_text (s, 2, kind);
  bind_text (s, 3, sha);
  sqlite3_bind_int64 (s, 4, g_bytes_get_size (scan->pdf));
  sqlite3_bind_blob64 (s, 5, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), SQLITE_TRANSIENT);
  if (!run (store, s, error))
    return FALSE;
  s = prepare (store, "INSERT INTO outbox (kind, target, body, created_at) VALUES ('attachment', ?, ?, ?)");
  bind_text (s, 1, issuance_id);
  bind_text (s, 2, kind);
  sqlite3_bind_int64 (s, 3, g_get_real_time () / 1000);
  return run (store, s, error);
}

static gboolean
insert_issuance (SpStore    *store,
                 SpIssuance *issuance,
                 gint64      now,
                 GError    **error)
{
  g_autofree char *body = sp_issuance_to_string (issuance);
  g_autofree char *issued_at = sp_datetime_to_iso (issuance->issued_at);
  sqlite3_stmt *s;

  s = prepare (store, "INSERT INTO issuances (id, cf, status, issued_at, body, created_at)"
                      " VALUES (?, ?, 'pending', ?, ?, ?)");
  bind_text (s, 1, issuance->id);
  bind_text (s, 2, issuance->cf);
  bind_text (s, 3, issued_at);
  bind_text (s, 4, body);
  sqlite3_bind_int64 (s, 5, now);
  if (!run (store, s, error))
    return FALSE;
  /* The outbox is drained by seq: the issuance before its scans, since
   * central needs it first. The body is fixed now, digests included. */
  s = prepare (store, "INSERT INTO outbox (kind, target, body, created_at) VALUES ('issuance', ?, ?, ?)");
  bind_text (s, 1, issuance->id);
  bind_text (s, 2, body);
  sqlite3_bind_int64 (s, 3, now);
  return run (store, s, error);
}

gboolean
sp_store_commit_issuance (SpStore    *store,
                          SpIssuance *issuance,
                          GPtrArray  *scans,
                          const char *actor,
                          GError    **error)
{
  g_autoptr(GPtrArray) digests = g_ptr_array_new_with_free_func (g_free);
  gboolean ok;
  gint64 now = g_get_real_time () / 1000;

  g_return_val_if_fail (issuance->verifier != NULL, FALSE);

  /* The issuance records what was archived, so central can check it. */
  g_ptr_array_set_size (issuance->attachments, 0);
  for (guint i = 0; scans && i < scans->len; i++)
    {
      const SpStoreScan *scan = g_ptr_array_index (scans, i);
      gsize size;
      gconstpointer data = g_bytes_get_data (scan->pdf, &size);
      char *sha = sp_sha256_hex (data, size);

      g_ptr_array_add (digests, sha);
      g_ptr_array_add (issuance->attachments, sp_attachment_ref_new (scan->kind, sha, size));
    }
  if (!exec (store, "BEGIN IMMEDIATE", error))
    return FALSE;
  ok = insert_issuance (store, issuance, now, error);
  for (guint i = 0; ok && scans && i < scans->len; i++)
    ok = insert_scan (store, issuance->id, g_ptr_array_index (scans, i), g_ptr_array_index (digests, i), error);
  if (ok)
    ok = audit (store, actor, "issuance.commit", issuance->id, issuance->cf, error);
  return commit_or_rollback (store, ok, error);
}

GBytes *
sp_store_read_scan (SpStore         *store,
                    const char      *issuance_id,
                    SpAttachmentKind kind,
                    GError         **error)
{
  sqlite3_stmt *s = prepare (store, "SELECT sealed FROM scans WHERE issuance_id = ? AND kind = ? AND sealed IS NOT NULL");
  g_autoptr(GBytes) sealed = NULL;

  bind_text (s, 1, issuance_id);
  bind_text (s, 2, sp_attachment_kind_to_string (kind));
  if (sqlite3_step (s) == SQLITE_ROW)
    sealed = g_bytes_new (sqlite3_column_blob (s, 0), sqlite3_column_bytes (s, 0));
  release (store, s);
  if (sealed == NULL)
    {
      g_set_error (error, SP_STORE_ERROR, SP_STORE_ERROR_NOT_FOUND, "no stored scan %s of %s",
                   sp_attachment_kind_to_string (kind), issuance_id);
      return NULL;
    }
  return sp_sealer_open (store->sealer, sealed, error);
}

gboolean
sp_store_issuance_status (SpStore          *store,
                          const char       *issuance_id,
                          SpIssuanceStatus *status)
{
  g_autofree char *word = query_text (store, "SELECT status FROM issuances WHERE id = ?", issuance_id);

  /* The table's CHECK allows only the enum's words. */
  return sp_issuance_status_from_string (word, status);
}

/* A status column read back (the CHECK keeps it one of the enum's). */
static SpIssuanceStatus
status_column (sqlite3_stmt *s,
               int           column)
{
  SpIssuanceStatus status = SP_ISSUANCE_STATUS_NEEDS_ATTENTION;

  sp_issuance_status_from_string ((const char *) sqlite3_column_text (s, column), &status);
  return status;
}

/* ---- what the counter records besides issuances ---- */

gboolean
sp_store_record_event (SpStore    *store,
                       const char *actor,
                       const char *action,
                       const char *subject,
                       const char *detail,
                       GError    **error)
{
  gboolean ok;

  if (!exec (store, "BEGIN IMMEDIATE", error))
    return FALSE;
  ok = audit (store, actor, action, subject, detail, error);
  return commit_or_rollback (store, ok, error);
}

void
sp_store_issuance_row_free (SpStoreIssuanceRow *row)
{
  if (row == NULL)
    return;
  sp_issuance_free (row->issuance);
  g_free (row->problem);
  g_free (row);
}

GPtrArray *
sp_store_list_issuances (SpStore    *store,
                         GDateTime  *since,
                         GDateTime  *until,
                         const char *operator_id,
                         guint       limit)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_store_issuance_row_free);
  sqlite3_stmt *s = prepare (store, "SELECT body, status, problem FROM issuances"
                                    " WHERE created_at >= ? AND created_at < ?"
                                    " ORDER BY created_at DESC, rowid DESC LIMIT ?");

  sqlite3_bind_int64 (s, 1, since ? g_date_time_to_unix (since) * 1000 : 0);
  sqlite3_bind_int64 (s, 2, until ? g_date_time_to_unix (until) * 1000 : G_MAXINT64);
  sqlite3_bind_int (s, 3, limit ? (int) limit : -1);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      SpIssuance *issuance = sp_issuance_from_string ((const char *) sqlite3_column_text (s, 0), -1, NULL);
      SpStoreIssuanceRow *row;

      if (issuance == NULL)
        continue;   /* written by us, so only a damaged row; integrity_check says more */
      if (operator_id != NULL && g_strcmp0 (issuance->operator_id, operator_id) != 0)
        {
          sp_issuance_free (issuance);
          continue;
        }
      row = g_new0 (SpStoreIssuanceRow, 1);
      row->issuance = issuance;
      row->status = status_column (s, 1);
      row->problem = g_strdup ((const char *) sqlite3_column_text (s, 2));
      g_ptr_array_add (rows, row);
    }
  release (store, s);
  return rows;
}

gboolean
sp_store_save_draft (SpStore    *store,
                     const char *operator_id,
                     const char *body,
                     GError    **error)
{
  sqlite3_stmt *s = prepare (store, "INSERT OR REPLACE INTO drafts (operator, body, updated_at) VALUES (?, ?, ?)");

  bind_text (s, 1, operator_id);
  bind_text (s, 2, body);
  sqlite3_bind_int64 (s, 3, g_get_real_time () / 1000);
  return run (store, s, error);
}

char *
sp_store_load_draft (SpStore    *store,
                     const char *operator_id)
{
  return query_text (store, "SELECT body FROM drafts WHERE operator = ?", operator_id);
}

/* The draft and its scans go together: no sealed scan outlives the
 * request it belonged to. */
gboolean
sp_store_delete_draft (SpStore    *store,
                       const char *operator_id,
                       GError    **error)
{
  sqlite3_stmt *s;
  gboolean ok;

  if (!exec (store, "BEGIN IMMEDIATE", error))
    return FALSE;
  s = prepare (store, "DELETE FROM draft_scans WHERE operator = ?");
  bind_text (s, 1, operator_id);
  ok = run (store, s, error);
  if (ok)
    {
      s = prepare (store, "DELETE FROM drafts WHERE operator = ?");
      bind_text (s, 1, operator_id);
      ok = run (store, s, error);
    }
  return commit_or_rollback (store, ok, error);
}

gboolean
sp_store_save_draft_scan (SpStore         *store,
                          const char      *operator_id,
                          SpAttachmentKind kind,
                          GBytes          *pdf,
                          guint            pages,
                          GError         **error)
{
  g_autoptr(GBytes) sealed = pdf ? sp_sealer_seal (store->sealer, pdf) : NULL;
  sqlite3_stmt *s;

  if (sealed == NULL)
    {
      s = prepare (store, "DELETE FROM draft_scans WHERE operator = ? AND kind = ?");
      bind_text (s, 1, operator_id);
      bind_text (s, 2, sp_attachment_kind_to_string (kind));
      return run (store, s, error);
    }
  s = prepare (store, "INSERT OR REPLACE INTO draft_scans (operator, kind, pages, sealed) VALUES (?, ?, ?, ?)");
  bind_text (s, 1, operator_id);
  bind_text (s, 2, sp_attachment_kind_to_string (kind));
  sqlite3_bind_int64 (s, 3, pages);
  sqlite3_bind_blob64 (s, 4, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), SQLITE_TRANSIENT);
  return run (store, s, error);
}

void
sp_store_draft_scan_free (SpStoreDraftScan *scan)
{
  if (scan == NULL)
    return;
  g_clear_pointer (&scan->pdf, g_bytes_unref);
  g_free (scan);
}

/* A scan that does not open (altered, another key) is left out with a
 * warning: the operator scans it again, nothing else is lost. */
GPtrArray *
sp_store_load_draft_scans (SpStore    *store,
                           const char *operator_id)
{
  GPtrArray *scans = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_store_draft_scan_free);
  sqlite3_stmt *s = prepare (store, "SELECT kind, pages, sealed FROM draft_scans WHERE operator = ? ORDER BY kind");

  bind_text (s, 1, operator_id);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      g_autoptr(GBytes) sealed = g_bytes_new (sqlite3_column_blob (s, 2), sqlite3_column_bytes (s, 2));
      g_autoptr(GError) error = NULL;
      SpStoreDraftScan scan = { 0 };

      if (!sp_attachment_kind_from_string ((const char *) sqlite3_column_text (s, 0), &scan.kind))
        continue;
      scan.pages = (guint) sqlite3_column_int64 (s, 1);
      scan.pdf = sp_sealer_open (store->sealer, sealed, &error);
      if (scan.pdf == NULL)
        {
          g_warning ("a scan of the draft does not open: %s", error->message);
          continue;
        }
      g_ptr_array_add (scans, g_memdup2 (&scan, sizeof scan));
    }
  release (store, s);
  return scans;
}

gint64
sp_store_outbox_waiting (SpStore *store)
{
  return query_int64 (store, "SELECT COUNT(*) FROM outbox WHERE state = 'waiting'");
}

/* ---- outbox draining ---- */

void
sp_outbox_entry_free (SpOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->target);
  g_free (entry->body);
  g_free (entry);
}

/* A row of (seq, kind, target, body-or-problem). */
static SpOutboxEntry *
entry_from_row (sqlite3_stmt *s)
{
  SpOutboxEntry *entry = g_new0 (SpOutboxEntry, 1);

  entry->seq = sqlite3_column_int64 (s, 0);
  /* The store writes only the enum's words. Anything else is damage: as
   * an attachment it names no scan kind, and the engine parks it. */
  if (!sp_outbox_kind_from_string ((const char *) sqlite3_column_text (s, 1), &entry->kind))
    entry->kind = SP_OUTBOX_KIND_ATTACHMENT;
  entry->target = g_strdup ((const char *) sqlite3_column_text (s, 2));
  entry->body = g_strdup ((const char *) sqlite3_column_text (s, 3));
  return entry;
}

static GPtrArray *
entries_of (SpStore      *store,
            sqlite3_stmt *s)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_outbox_entry_free);

  while (sqlite3_step (s) == SQLITE_ROW)
    g_ptr_array_add (list, entry_from_row (s));
  release (store, s);
  return list;
}

GPtrArray *
sp_store_outbox_next_batch (SpStore *store,
                            guint    limit)
{
  sqlite3_stmt *s = prepare (store, "SELECT seq, kind, target, body FROM outbox"
                                    " WHERE state = 'waiting' ORDER BY seq LIMIT ?");

  sqlite3_bind_int (s, 1, limit);
  return entries_of (store, s);
}

char *
sp_store_scan_sha256 (SpStore    *store,
                      const char *issuance_id,
                      const char *kind)
{
  sqlite3_stmt *s = prepare (store, "SELECT sha256 FROM scans WHERE issuance_id = ? AND kind = ?");
  char *sha = NULL;

  bind_text (s, 1, issuance_id);
  bind_text (s, 2, kind);
  if (sqlite3_step (s) == SQLITE_ROW)
    sha = g_strdup ((const char *) sqlite3_column_text (s, 0));
  release (store, s);
  return sha;
}

static gboolean
delete_entry (SpStore *store,
              gint64   seq,
              GError **error)
{
  sqlite3_stmt *s = prepare (store, "DELETE FROM outbox WHERE seq = ?");

  sqlite3_bind_int64 (s, 1, seq);
  return run (store, s, error);
}

static gboolean
mark_done (SpStore             *store,
           const SpOutboxEntry *entry,
           int                  status,
           GError             **error)
{
  const char *word = status >= 0 ? sp_issuance_status_to_string (status) : NULL;
  sqlite3_stmt *s;

  if (!delete_entry (store, entry->seq, error))
    return FALSE;
  if ((entry->kind == SP_OUTBOX_KIND_ISSUANCE || entry->kind == SP_OUTBOX_KIND_VOID) && word != NULL)
    {
      s = prepare (store, "UPDATE issuances SET status = ?, problem = NULL WHERE id = ?");
      bind_text (s, 1, word);
      bind_text (s, 2, entry->target);
      return run (store, s, error) && audit (store, "sync", "issuance.synced", entry->target, word, error);
    }
  if (entry->kind == SP_OUTBOX_KIND_ATTACHMENT)
    {
      /* Central holds it, with the digest we computed: the local copy of
       * an identity document goes. */
      s = prepare (store, "UPDATE scans SET sealed = NULL, confirmed_at = ? WHERE issuance_id = ? AND kind = ?");
      sqlite3_bind_int64 (s, 1, g_get_real_time () / 1000);
      bind_text (s, 2, entry->target);
      bind_text (s, 3, entry->body);
      return run (store, s, error) && audit (store, "sync", "scan.purged", entry->target, entry->body, error);
    }
  return TRUE;
}

gboolean
sp_store_outbox_done_batch (SpStore   *store,
                            GPtrArray *entries,
                            GArray    *statuses,
                            GError   **error)
{
  gboolean ok = TRUE;

  if (entries->len == 0)
    return TRUE;
  if (!exec (store, "BEGIN IMMEDIATE", error))
    return FALSE;
  for (guint i = 0; ok && i < entries->len; i++)
    ok = mark_done (store, g_ptr_array_index (entries, i), g_array_index (statuses, int, i), error);
  return commit_or_rollback (store, ok, error);
}

gboolean
sp_store_outbox_park (SpStore             *store,
                      const SpOutboxEntry *entry,
                      const char          *problem,
                      GError             **error)
{
  sqlite3_stmt *s;
  gboolean ok;

  if (!exec (store, "BEGIN IMMEDIATE", error))
    return FALSE;
  s = prepare (store, "UPDATE outbox SET state = 'attention', problem = ?, attempts = attempts + 1 WHERE seq = ?");
  bind_text (s, 1, problem);
  sqlite3_bind_int64 (s, 2, entry->seq);
  ok = run (store, s, error);
  if (ok && entry->kind == SP_OUTBOX_KIND_ISSUANCE)
    {
      s = prepare (store, "UPDATE issuances SET status = 'needs_attention', problem = ? WHERE id = ?");
      bind_text (s, 1, problem);
      bind_text (s, 2, entry->target);
      ok = run (store, s, error);
    }
  if (ok)
    ok = audit (store, "sync", "outbox.parked", entry->target, problem, error);
  return commit_or_rollback (store, ok, error);
}

GPtrArray *
sp_store_outbox_problems (SpStore *store)
{
  sqlite3_stmt *s = prepare (store, "SELECT seq, kind, target, problem FROM outbox"
                                    " WHERE state = 'attention' ORDER BY seq");

  return entries_of (store, s);
}

gint64
sp_store_outbox_attention (SpStore *store)
{
  return query_int64 (store, "SELECT COUNT(*) FROM outbox WHERE state = 'attention'");
}

/* ---- change feed ---- */

char *
sp_store_get_cursor (SpStore *store)
{
  return query_text (store, "SELECT value FROM sync_state WHERE key = 'cursor'", NULL);
}

static gboolean
save_cursor (SpStore    *store,
             const char *cursor,
             GError    **error)
{
  sqlite3_stmt *s = prepare (store, "INSERT INTO sync_state (key, value) VALUES ('cursor', ?)"
                                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value");

  bind_text (s, 1, cursor);
  return run (store, s, error);
}

static gboolean
apply_change (SpStore    *store,
              JsonObject *item,
              GError    **error)
{
  const char *id = json_object_get_string_member_with_default (item, "id", NULL);
  const char *status = json_object_get_string_member_with_default (item, "status", NULL);
  const char *by = json_object_get_string_member_with_default (item, "superseded_by", NULL);
  g_autofree char *note = by ? g_strdup_printf ("superseded by issuance %s", by) : NULL;
  sqlite3_stmt *s;

  if (id == NULL || status == NULL)
    return TRUE;   /* a kind of change this version does not know */
  /* Only issuances this workstation made and central has acknowledged:
   * a row still pending, or with a void still to send, waits for its
   * own answer. */
  s = prepare (store, "UPDATE issuances SET status = ?1, problem = COALESCE(?2, problem)"
                      " WHERE id = ?3 AND status NOT IN ('pending', 'needs_attention')"
                      " AND status IN ('active', 'superseded', 'voided', 'revoked')"
                      " AND (status <> ?1 OR (?2 IS NOT NULL AND problem IS NOT ?2))"   /* news only */
                      " AND id NOT IN (SELECT target FROM outbox)");
  bind_text (s, 1, status);
  bind_text (s, 2, note);
  bind_text (s, 3, id);
  return run (store, s, error);
}

gboolean
sp_store_apply_changes (SpStore    *store,
                        JsonArray  *items,
                        const char *next_cursor,
                        GError    **error)
{
  gboolean ok = TRUE;

  if (!exec (store, "BEGIN IMMEDIATE", error))
    return FALSE;
  for (guint i = 0; ok && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        ok = apply_change (store, json_node_get_object (node), error);
    }
  ok = ok && save_cursor (store, next_cursor, error);
  return commit_or_rollback (store, ok, error);
}

gboolean
sp_store_reset_cursor (SpStore *store,
                       GError **error)
{
  sqlite3_stmt *s = prepare (store, "DELETE FROM sync_state WHERE key = 'cursor'");

  return run (store, s, error);
}

/* ---- offline login ---- */

gboolean
sp_store_remember_operator (SpStore    *store,
                            const char *username,
                            const char *password,
                            const char *name,
                            const char *role,
                            const char *sede,
                            GError    **error)
{
  g_autofree char *verifier = sp_secret_hash (password, strlen (password), error);
  sqlite3_stmt *s;
  gboolean ok;

  if (verifier == NULL || !exec (store, "BEGIN IMMEDIATE", error))
    return FALSE;
  s = prepare (store, "INSERT INTO operators (username, name, role, sede, verifier, last_online_login)"
                      " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO UPDATE SET name = excluded.name,"
                      " role = excluded.role, sede = excluded.sede, verifier = excluded.verifier,"
                      " last_online_login = excluded.last_online_login");
  bind_text (s, 1, username);
  bind_text (s, 2, name);
  bind_text (s, 3, role);
  bind_text (s, 4, sede);
  bind_text (s, 5, verifier);
  sqlite3_bind_int64 (s, 6, g_get_real_time () / 1000);
  ok = run (store, s, error) && audit (store, username, "login.online", username, NULL, error);
  return commit_or_rollback (store, ok, error);
}

gboolean
sp_store_offline_login (SpStore    *store,
                        const char *username,
                        const char *password,
                        gint64      max_age_s,
                        char      **name,
                        char      **role,
                        char      **sede)
{
  sqlite3_stmt *s = prepare (store, "SELECT verifier, last_online_login, name, role, sede FROM operators"
                                    " WHERE username = ?");
  g_autofree char *verifier = NULL;
  gint64 last = 0;
  gboolean ok;

  bind_text (s, 1, username);
  if (sqlite3_step (s) == SQLITE_ROW)
    {
      verifier = g_strdup ((const char *) sqlite3_column_text (s, 0));
      last = sqlite3_column_int64 (s, 1);
      *name = g_strdup ((const char *) sqlite3_column_text (s, 2));
      *role = g_strdup ((const char *) sqlite3_column_text (s, 3));
      *sede = g_strdup ((const char *) sqlite3_column_text (s, 4));
    }
  release (store, s);
  /* Verify even when too old, so a wrong password and an expired one
   * cost the same; the age decides after. */
  ok = verifier != NULL && sp_secret_verify (verifier, password, strlen (password))
       && g_get_real_time () / 1000 - last <= max_age_s * 1000;
  if (!ok)
    {
      g_clear_pointer (name, g_free);
      g_clear_pointer (role, g_free);
      g_clear_pointer (sede, g_free);
    }
  else
    {
      exec (store, "BEGIN IMMEDIATE", NULL);
      commit_or_rollback (store, audit (store, username, "login.offline", username, NULL, NULL), NULL);
    }
  return ok;
}

/* ---- the day register and voided envelopes (print layer) ---- */

/* "YYYY-MM-DDT…Z" of local midnight starting date plus days. */
static char *
local_midnight_utc (const GDate *date,
                    int          days)
{
  g_autoptr(GDateTime) local = g_date_time_new_local (g_date_get_year (date), g_date_get_month (date),
                                                      g_date_get_day (date), 0, 0, 0);
  g_autoptr(GDateTime) shifted = g_date_time_add_days (local, days);

  return sp_datetime_to_iso (shifted);
}

GPtrArray *
sp_store_list_issuances_on (SpStore     *store,
                            const GDate *date,
                            const char  *operator_id,
                            GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_issuance_free);
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  sqlite3_stmt *s;
  int rc;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  /* The sede's day, in local time; issued_at is stored in UTC in one
   * fixed format, so the strings compare as the instants do. */
  from = local_midnight_utc (date, 0);
  to = local_midnight_utc (date, 1);
  s = prepare (store, "SELECT body FROM issuances WHERE issued_at >= ? AND issued_at < ?"
                      " AND (?3 IS NULL OR json_extract (body, '$.operator') = ?3) ORDER BY issued_at");
  bind_text (s, 1, from);
  bind_text (s, 2, to);
  bind_text (s, 3, operator_id);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;
      SpIssuance *is = sp_issuance_from_string ((const char *) sqlite3_column_text (s, 0), -1, &local_error);

      if (is == NULL)
        g_warning ("unreadable issuance in the store: %s", local_error->message);
      else
        g_ptr_array_add (list, is);
    }
  release (store, s);
  if (rc != SQLITE_DONE)
    {
      sql_fail (store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

gboolean
sp_store_void_issuance (SpStore    *store,
                        const char *issuance_id,
                        const char *reason,
                        const char *actor,
                        GError    **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;
  sqlite3_stmt *s;
  gboolean ok;

  g_return_val_if_fail (issuance_id != NULL && reason != NULL, FALSE);

  json_builder_begin_object (b);
  sp_json_add_string (b, "reason", reason);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  body = json_to_string (node, FALSE);

  if (!exec (store, "BEGIN IMMEDIATE", error))
    return FALSE;
  s = prepare (store, "UPDATE issuances SET status = 'voided', problem = ? WHERE id = ?"
                      " AND status IN ('pending', 'active', 'needs_attention')");
  bind_text (s, 1, reason);
  bind_text (s, 2, issuance_id);
  ok = run (store, s, error);
  if (ok && sqlite3_changes (store->db) != 1)
    {
      g_set_error (error, SP_STORE_ERROR, SP_STORE_ERROR_NOT_FOUND,
                   "no issuance %s that can be voided", issuance_id);
      ok = FALSE;
    }
  if (ok)
    {
      /* An issuance central has not confirmed is not sent any more: sent
       * now, it would supersede the citizen's real PIN until its void
       * arrived (and for good if the void never did). */
      g_autofree char *unsent = query_text (store, "SELECT seq FROM outbox WHERE target = ? AND kind = 'issuance'",
                                            issuance_id);

      if (unsent != NULL)
        {
          s = prepare (store, "DELETE FROM outbox WHERE target = ? AND kind IN ('issuance', 'attachment')");
          bind_text (s, 1, issuance_id);
          ok = run (store, s, error);
        }
    }
  if (ok)
    {
      /* The void still goes: the issuance may have reached central with
       * its answer lost (POST /v1/issuances/{id}/void; 404 means it never
       * did). */
      s = prepare (store, "INSERT INTO outbox (kind, target, body, created_at) VALUES ('void', ?, ?, ?)");
      bind_text (s, 1, issuance_id);
      bind_text (s, 2, body);
      sqlite3_bind_int64 (s, 3, g_get_real_time () / 1000);
      ok = run (store, s, error);
    }
  ok = ok && audit (store, actor, "issuance.void", issuance_id, reason, error);
  return commit_or_rollback (store, ok, error);
}

GPtrArray *
sp_store_list_issuances_of_citizen (SpStore    *store,
                                    const char *cf,
                                    guint       limit,
                                    GError    **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_store_issuance_row_free);
  sqlite3_stmt *s = prepare (store, "SELECT body, status, problem FROM issuances WHERE cf = ?"
                                    " ORDER BY created_at DESC, rowid DESC LIMIT ?");
  int rc;

  bind_text (s, 1, cf);
  sqlite3_bind_int (s, 2, limit ? (int) limit : -1);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      SpIssuance *issuance = sp_issuance_from_string ((const char *) sqlite3_column_text (s, 0), -1, NULL);
      SpStoreIssuanceRow *row;

      if (issuance == NULL)
        continue;   /* only a damaged row; integrity_check says more */
      row = g_new0 (SpStoreIssuanceRow, 1);
      row->issuance = issuance;
      row->status = status_column (s, 1);
      row->problem = g_strdup ((const char *) sqlite3_column_text (s, 2));
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    sql_fail (store, error);
  release (store, s);
  return rc == SQLITE_DONE ? g_steal_pointer (&rows) : NULL;
}

/* Rewrites the stored record, and its queued body when asked. */
static gboolean
rewrite_issuance (SpStore    *store,
                  SpIssuance *is,
                  gboolean    queued_too,
                  GError    **error)
{
  g_autofree char *body = sp_issuance_to_string (is);
  sqlite3_stmt *s = prepare (store, "UPDATE issuances SET body = ? WHERE id = ?");

  bind_text (s, 1, body);
  bind_text (s, 2, is->id);
  if (!run (store, s, error))
    return FALSE;
  if (!queued_too)
    return TRUE;
  s = prepare (store, "UPDATE outbox SET body = ? WHERE target = ? AND kind = 'issuance'");
  bind_text (s, 1, body);
  bind_text (s, 2, is->id);
  return run (store, s, error);
}

gboolean
sp_store_mark_issuance_offline (SpStore    *store,
                                const char *issuance_id,
                                gboolean    queued_too,
                                GError    **error)
{
  g_autofree char *body = NULL;
  g_autoptr(SpIssuance) is = NULL;
  gboolean ok;

  if (!exec (store, "BEGIN IMMEDIATE", error))
    return FALSE;
  body = query_text (store, "SELECT body FROM issuances WHERE id = ?", issuance_id);
  is = body ? sp_issuance_from_string (body, -1, error) : NULL;
  if (body == NULL)
    g_set_error (error, SP_STORE_ERROR, SP_STORE_ERROR_NOT_FOUND, "no issuance %s", issuance_id);
  ok = is != NULL;
  if (ok)
    {
      is->offline = TRUE;
      ok = rewrite_issuance (store, is, queued_too, error)
           && audit (store, is->operator_id ? is->operator_id : "?", "issuance.offline", is->id, NULL, error);
    }
  return commit_or_rollback (store, ok, error);
}

gboolean
sp_store_confirm_issuance (SpStore          *store,
                           const char       *issuance_id,
                           SpIssuanceStatus  status,
                           GError          **error)
{
  const char *word = sp_issuance_status_to_string (status);
  sqlite3_stmt *s;
  gboolean ok;

  if (!exec (store, "BEGIN IMMEDIATE", error))
    return FALSE;
  s = prepare (store, "DELETE FROM outbox WHERE target = ? AND kind = 'issuance'");
  bind_text (s, 1, issuance_id);
  ok = run (store, s, error);
  if (ok)
    {
      s = prepare (store, "UPDATE issuances SET status = ?, problem = NULL WHERE id = ? AND status = 'pending'");
      bind_text (s, 1, word);
      bind_text (s, 2, issuance_id);
      ok = run (store, s, error);
    }
  ok = ok && audit (store, "sync", "issuance.synced", issuance_id, word, error);
  return commit_or_rollback (store, ok, error);
}
