/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <json-glib/json-glib.h>

#include "sp-central-db-conversions.h"
#include "sp-central-db-private.h"

#define COLUMNS "id, cf, issuance_id, sede, operator, workstation, at, body"

void
sp_central_conversion_free (SpCentralConversion *c)
{
  if (c == NULL)
    return;
  g_free (c->id);
  g_free (c->cf);
  g_free (c->issuance_id);
  g_free (c->sede);
  g_free (c->operator);
  g_free (c->workstation);
  g_free (c->body);
  g_clear_pointer (&c->received, g_ptr_array_unref);
  g_free (c);
}

static gpointer
kind_row (SpSqlStmt *s)
{
  return sp_central_db_column_dup (s, 0);
}

static SpCentralConversion *
read_conversion (SpCentralDb *db,
                 const char  *sede,
                 const char  *id,
                 GError     **error)
{
  SpSqlStmt *s = sp_central_db_query (db, error, "SELECT " COLUMNS " FROM conversions WHERE id = $1", "t", id);
  g_autoptr(SpCentralConversion) c = NULL;
  gboolean found;

  if (s == NULL || !sp_central_db_first_row (db, s, &found, error))
    return NULL;
  if (found)
    {
      c = g_new0 (SpCentralConversion, 1);
      c->id = sp_central_db_column_dup (s, 0);
      c->cf = sp_central_db_column_dup (s, 1);
      c->issuance_id = sp_central_db_column_dup (s, 2);
      c->sede = sp_central_db_column_dup (s, 3);
      c->operator = sp_central_db_column_dup (s, 4);
      c->workstation = sp_central_db_column_dup (s, 5);
      c->at = sp_sql_column_int64 (s, 6);
      c->body = sp_central_db_column_dup (s, 7);
    }
  sp_sql_reset (s);
  /* Another sede's act answers like an unknown one. */
  if (c == NULL || (sede != NULL && g_strcmp0 (c->sede, sede) != 0))
    {
      g_set_error (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND, "no such conversion");
      return NULL;
    }
  c->received = g_ptr_array_new_with_free_func (g_free);
  if (!sp_central_db_collect (db, sp_central_db_query (db, error, "SELECT kind FROM conversion_attachments"
                                                                  " WHERE conversion_id = $1 ORDER BY kind",
                                                       "t", id),
                              kind_row, c->received, error))
    return NULL;
  return g_steal_pointer (&c);
}

SpCentralConversion *
sp_central_db_get_conversion (SpCentralDb *db,
                              const char  *sede,
                              const char  *id,
                              GError     **error)
{
  return read_conversion (db, sede, id, error);
}

/* The PIN to convert: cf's active one, this id, still ordinario. */
static gboolean
check_convertible (SpCentralDb               *db,
                   const SpCentralConversion *c,
                   GError                   **error)
{
  SpSqlStmt *s = sp_central_db_query (db, error, "SELECT kind FROM issuances WHERE id = $1 AND cf = $2"
                                                 " AND status = 'active'", "tt", c->issuance_id, c->cf);
  g_autofree char *kind = NULL;
  gboolean found;

  if (s == NULL || !sp_central_db_first_row (db, s, &found, error))
    return FALSE;
  kind = found ? sp_central_db_column_dup (s, 0) : NULL;
  sp_sql_reset (s);
  if (kind == NULL)
    {
      g_set_error_literal (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND,
                           "the citizen has no such active PIN");
      return FALSE;
    }
  if (!g_str_equal (kind, "ordinario"))
    {
      g_set_error (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_CONFLICT, "the PIN is %s already", kind);
      return FALSE;
    }
  return TRUE;
}

/* R12, as for a counter issuance. */
static gboolean
close_open_channels (SpCentralDb               *db,
                     const SpCentralConversion *c,
                     gint64                     now,
                     GError                   **error)
{
  gint64 n_requests, n_regularized;

  return sp_central_db_close_channels (db, c->cf, c->operator, c->id, now, &n_requests, &n_regularized, error)
      && sp_central_db_audit_closed_channels (db, c->cf, c->operator, c->id, n_requests, n_regularized, now, error);
}

SpCentralConversion *
sp_central_db_convert (SpCentralDb               *db,
                       const SpCentralConversion *c,
                       gint64                     now,
                       gboolean                  *replayed,
                       GError                   **error)
{
  g_autoptr(SpCentralConversion) old = NULL;
  g_autoptr(GError) local = NULL;
  gboolean ok;

  *replayed = FALSE;
  if (!sp_central_db_write_begin_for (db, c->cf, error))
    return NULL;
  /* The same act again (a retry after a lost answer) is a replay. */
  old = read_conversion (db, NULL, c->id, &local);
  if (old != NULL)
    {
      ok = g_str_equal (old->body, c->body) && g_str_equal (old->sede, c->sede);
      if (!ok)
        g_set_error_literal (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_CONFLICT,
                             "this act id was used for another conversion");
      *replayed = ok;
      sp_central_db_write_end (db, FALSE, NULL);
      return ok ? g_steal_pointer (&old) : NULL;
    }
  if (!g_error_matches (local, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      sp_central_db_write_end (db, FALSE, NULL);
      return NULL;
    }
  ok = check_convertible (db, c, error)
    && sp_central_db_run (db, error, "UPDATE issuances SET kind = 'dispositivo' WHERE id = $1", "t",
                          c->issuance_id)
    && sp_central_db_run (db, error, "INSERT INTO conversions (" COLUMNS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                          "tttttt" "it", c->id, c->cf, c->issuance_id, c->sede, c->operator, c->workstation, now,
                          c->body)
    && sp_central_db_audit (db, c->operator, "pin.convert", c->cf, c->issuance_id, now, error)
    && close_open_channels (db, c, now, error);
  if (!sp_central_db_write_end (db, ok, error))
    return NULL;
  return read_conversion (db, NULL, c->id, error);
}

/* Was this scan declared in the act (kind, sha256, size)? */
static gboolean
declared (const char *body,
          const char *kind,
          const char *sha256,
          gsize       size)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *root;
  JsonArray *list;

  if (!json_parser_load_from_data (parser, body, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
      || (root = json_node_get_object (json_parser_get_root (parser))) == NULL
      || !json_object_has_member (root, "attachments")
      || (list = json_object_get_array_member (root, "attachments")) == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *a = json_array_get_object_element (list, i);

      if (a != NULL && g_strcmp0 (json_object_get_string_member_with_default (a, "kind", NULL), kind) == 0)
        return g_strcmp0 (json_object_get_string_member_with_default (a, "sha256", NULL), sha256) == 0
            && json_object_get_int_member_with_default (a, "size", -1) == (gint64) size;
    }
  return FALSE;
}

static gboolean
stored_scan (SpCentralDb *db,
             const char  *id,
             const char  *kind,
             char       **sha256,
             GError     **error)
{
  SpSqlStmt *s = sp_central_db_query (db, error, "SELECT sha256 FROM conversion_attachments"
                                                 " WHERE conversion_id = $1 AND kind = $2", "tt", id, kind);
  gboolean found;

  *sha256 = NULL;
  if (s == NULL || !sp_central_db_first_row (db, s, &found, error))
    return FALSE;
  if (found)
    *sha256 = sp_central_db_column_dup (s, 0);
  sp_sql_reset (s);
  return TRUE;
}

SpCentralConversion *
sp_central_db_put_conversion_scan (SpCentralDb *db,
                                   const char  *sede,
                                   const char  *id,
                                   const char  *kind,
                                   const char  *sha256,
                                   GBytes      *data,
                                   const char  *actor,
                                   gint64       now,
                                   gboolean    *replayed,
                                   GError     **error)
{
  g_autoptr(SpCentralConversion) c = NULL;
  g_autofree char *have = NULL;
  gsize size;
  gconstpointer bytes = g_bytes_get_data (data, &size);
  gboolean ok;

  *replayed = FALSE;
  if (!sp_central_db_write_begin (db, error))
    return NULL;
  ok = (c = read_conversion (db, sede, id, error)) != NULL && stored_scan (db, id, kind, &have, error);
  if (ok && !declared (c->body, kind, sha256, size))
    {
      g_set_error_literal (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_MISMATCH,
                           "the act did not declare this scan with this SHA-256 and size");
      ok = FALSE;
    }
  if (ok && have != NULL && !(*replayed = g_str_equal (have, sha256)))
    {
      g_set_error_literal (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_CONFLICT,
                           "another scan of this kind is stored");
      ok = FALSE;
    }
  if (ok && !*replayed)
    ok = sp_central_db_run (db, error, "INSERT INTO conversion_attachments (conversion_id, kind, sha256, size,"
                                       " data, received_at) VALUES ($1, $2, $3, $4, $5, $6)", "tttibi",
                            id, kind, sha256, (gint64) size, bytes, size, now)
      && sp_central_db_audit (db, actor, "conversion.attachment", id, kind, now, error);
  if (!sp_central_db_write_end (db, ok, error))
    return NULL;
  return read_conversion (db, sede, id, error);
}
