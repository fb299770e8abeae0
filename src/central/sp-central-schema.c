/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Central's schema, one source for SQLite and PostgreSQL. The SQL is the
 * common subset of both; the things they spell differently are
 * written as markers and expanded per dialect:
 *   @ID@   a generated 64-bit key    INTEGER PRIMARY KEY | BIGSERIAL PRIMARY KEY
 *   @SEQ@  a key never reused        INTEGER PRIMARY KEY AUTOINCREMENT | BIGSERIAL PRIMARY KEY
 *   @BLOB@ bytes                     BLOB | BYTEA
 *   @BYTES@ text compared bytewise   (SQLite's default) | COLLATE "C"
 * (BIGINT is an INTEGER-affinity type for SQLite, so it is written as it is.)
 * A migration is applied once, in order, and recorded in sp_schema. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include "sp-central-schema.h"

static const char *const migrations[] = {
  /* 1: the first release */
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "CREATE TABLE operators (id @ID@, username TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('operator','supervisor','admin')),"
  "  sede TEXT NOT NULL, verifier TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, operator_id BIGINT NOT NULL REFERENCES operators(id),"
  "  workstation TEXT, expires_at BIGINT NOT NULL);"
  "CREATE TABLE citizens (cf TEXT PRIMARY KEY, surname TEXT NOT NULL, name TEXT NOT NULL,"
  "  sex TEXT NOT NULL, birth_date TEXT NOT NULL, birth_place TEXT NOT NULL,"
  "  street TEXT, postcode TEXT, city TEXT, province TEXT, phone TEXT, email TEXT,"
  "  fictitious INTEGER NOT NULL DEFAULT 0, source TEXT NOT NULL);"
  "CREATE INDEX citizens_surname ON citizens (surname, name);"
  "CREATE TABLE issuances (id TEXT PRIMARY KEY, cf TEXT NOT NULL, sede TEXT NOT NULL,"
  "  operator TEXT NOT NULL, workstation TEXT, issued_at BIGINT NOT NULL, received_at BIGINT NOT NULL,"
  "  status TEXT NOT NULL CHECK (status IN ('active','superseded','voided','revoked')),"
  "  verifier TEXT NOT NULL, body TEXT NOT NULL, ended_at BIGINT, reason TEXT);"
  /* One active PIN per codice fiscale, enforced by the database. */
  "CREATE UNIQUE INDEX issuances_one_active ON issuances (cf) WHERE status = 'active';"
  "CREATE INDEX issuances_sede_day ON issuances (sede, issued_at);"
  "CREATE INDEX issuances_cf ON issuances (cf);"
  "CREATE TABLE idempotency (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL,"
  "  status INTEGER NOT NULL, response TEXT NOT NULL, created_at BIGINT NOT NULL);"
  "CREATE TABLE attachments (issuance_id TEXT NOT NULL REFERENCES issuances(id) ON DELETE CASCADE,"
  "  kind TEXT NOT NULL, sha256 TEXT NOT NULL, size BIGINT NOT NULL, data @BLOB@ NOT NULL,"
  "  received_at BIGINT NOT NULL, PRIMARY KEY (issuance_id, kind));"
  "CREATE TABLE revocations (id @ID@, cf TEXT NOT NULL, at BIGINT NOT NULL,"
  "  reason TEXT NOT NULL, requested_by TEXT, approved_by TEXT NOT NULL);"
  "CREATE INDEX revocations_cf ON revocations (cf, at);"
  "CREATE TABLE changes (seq @SEQ@, sede TEXT NOT NULL,"
  "  cf TEXT NOT NULL, payload TEXT NOT NULL, at BIGINT NOT NULL);"
  "CREATE INDEX changes_sede ON changes (sede, seq);"
  "CREATE TABLE audit (id @ID@, at BIGINT NOT NULL, actor TEXT NOT NULL,"
  "  action TEXT NOT NULL, subject TEXT, detail TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
  "CREATE TABLE pin_attempts (cf TEXT PRIMARY KEY, failures INTEGER NOT NULL);"
  "INSERT INTO meta VALUES ('changes_floor', '0');",

  /* 2: the abuse paths of issue 12.
   * PIN lockout with back-off: the consecutive failures, how many lockouts
   * they caused, until when the current one lasts, and the verifications
   * reserved but not settled yet (with an expiry, so a crash between
   * reserve and settle cannot lock a citizen out). Old rows: each 5
   * failures counted as one lockout already served. */
  "ALTER TABLE pin_attempts ADD COLUMN lockouts INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE pin_attempts ADD COLUMN locked_until BIGINT NOT NULL DEFAULT 0;"
  "ALTER TABLE pin_attempts ADD COLUMN reserved INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE pin_attempts ADD COLUMN reserved_until BIGINT NOT NULL DEFAULT 0;"
  "UPDATE pin_attempts SET lockouts = failures / 5;"
  /* Idempotency keys belong to the sede and operator that used them. */
  "ALTER TABLE idempotency ADD COLUMN sede TEXT;"
  "ALTER TABLE idempotency ADD COLUMN operator TEXT;"
  "UPDATE idempotency SET sede = (SELECT i.sede FROM issuances i WHERE i.id = idempotency.key),"
  "  operator = (SELECT i.operator FROM issuances i WHERE i.id = idempotency.key);"
  /* Four eyes in two steps, between two real operators. */
  "CREATE TABLE revocation_requests (id TEXT PRIMARY KEY, cf TEXT NOT NULL, sede TEXT NOT NULL,"
  "  reason TEXT NOT NULL,"
  "  status TEXT NOT NULL CHECK (status IN ('pending','approved','rejected')),"
  "  requested_by BIGINT NOT NULL REFERENCES operators(id), requested_at BIGINT NOT NULL,"
  "  decided_by BIGINT REFERENCES operators(id), decided_at BIGINT, decision_reason TEXT,"
  "  revoked TEXT,"
  "  CHECK (decided_by IS NULL OR decided_by <> requested_by));"
  "CREATE INDEX revocation_requests_sede ON revocation_requests (sede, status, requested_at);",

  /* 3: the other channels of issue 16 (R7, R8; msg. 4590/2016 §2–3).
   * The credential's kind; the principals of the Contact Center and of
   * the citizen portal (an operator row each, its channel here); PIN
   * requests with the address match's score and reasons; the contacts a
   * citizen registered; the outbox of messages, each half of a PIN
   * sealed (never in clear, base64 of the secretbox and its nonce) until
   * it is handed over, then wiped. */
  "ALTER TABLE issuances ADD COLUMN kind TEXT NOT NULL DEFAULT 'dispositivo';"
  "CREATE TABLE channel_principals (operator_id BIGINT PRIMARY KEY REFERENCES operators(id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('contact_center','portal')));"
  "CREATE TABLE pin_requests (id TEXT PRIMARY KEY, cf TEXT NOT NULL,"
  "  channel TEXT NOT NULL CHECK (channel IN ('online','contact_center')),"
  "  status TEXT NOT NULL CHECK (status IN ('queued','delivered','rejected')),"
  "  data TEXT NOT NULL, score INTEGER NOT NULL, reasons TEXT NOT NULL, issuance_id TEXT,"
  "  created_by TEXT NOT NULL, created_at BIGINT NOT NULL,"
  "  decided_by TEXT, decided_at BIGINT, decision_reason TEXT);"
  "CREATE INDEX pin_requests_status ON pin_requests (status, created_at);"
  "CREATE INDEX pin_requests_cf ON pin_requests (cf);"
  "CREATE TABLE contacts (cf TEXT NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('mobile','email','pec')), value TEXT NOT NULL,"
  "  added_at BIGINT NOT NULL, PRIMARY KEY (cf, kind, value));"
  "CREATE TABLE outbox (id @SEQ@, request_id TEXT, cf TEXT NOT NULL,"
  "  transport TEXT NOT NULL CHECK (transport IN ('sms','email','letter')), recipient TEXT NOT NULL,"
  "  half INTEGER NOT NULL CHECK (half IN (0, 1)), nonce TEXT, sealed TEXT,"
  "  status TEXT NOT NULL CHECK (status IN ('pending','sent','failed')),"
  "  attempts INTEGER NOT NULL DEFAULT 0, next_at BIGINT NOT NULL, created_at BIGINT NOT NULL,"
  "  sent_at BIGINT);"
  "CREATE INDEX outbox_pending ON outbox (status, next_at);",

  /* 4: letters for the print-and-mail provider, sealed to its public key
   * (base64), by day of creation (UTC, YYYY-MM-DD) for the export; the
   * flag of a first half not delivered in time. */
  "CREATE TABLE letters (id TEXT PRIMARY KEY, request_id TEXT NOT NULL, cf TEXT NOT NULL,"
  "  day TEXT NOT NULL, sealed TEXT NOT NULL, sha256 TEXT NOT NULL, created_at BIGINT NOT NULL,"
  "  exported_at BIGINT);"
  "CREATE INDEX letters_day ON letters (day, exported_at);"
  /* A request whose first half was not delivered in time (12 h) is
   * flagged to the Contact Center (msg. 1381/2020 §2). */
  "ALTER TABLE pin_requests ADD COLUMN flagged_at BIGINT;",

  /* 5: search by surname (issue 15). The folded surname and name
   * (sp_text_fold: accents dropped, lower case), so that a prefix is a
   * range on one index; compared byte by byte on both databases, so the
   * range holds exactly the keys with that prefix. Central fills the keys
   * of rows older than this migration (sp-central-db.c). */
  "ALTER TABLE citizens ADD COLUMN surname_key TEXT @BYTES@;"
  "ALTER TABLE citizens ADD COLUMN name_key TEXT @BYTES@;"
  "CREATE INDEX citizens_surname_key ON citizens (surname_key, name_key, cf);",
};

guint
sp_central_schema_n_migrations (void)
{
  return G_N_ELEMENTS (migrations);
}

static void
replace_all (GString    *sql,
             const char *marker,
             const char *with)
{
  g_string_replace (sql, marker, with, 0);
}

char *
sp_central_schema_migration (guint    i,
                             gboolean postgres)
{
  GString *sql;

  g_return_val_if_fail (i < G_N_ELEMENTS (migrations), NULL);

  sql = g_string_new (migrations[i]);
  replace_all (sql, "@ID@", postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY");
  replace_all (sql, "@SEQ@", postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
  replace_all (sql, "@BLOB@", postgres ? "BYTEA" : "BLOB");
  replace_all (sql, "@BYTES@", postgres ? "COLLATE \"C\"" : "");
  return g_string_free (sql, FALSE);
}
