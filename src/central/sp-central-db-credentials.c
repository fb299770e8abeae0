/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <json-glib/json-glib.h>

#include "sp-central-db-credentials.h"
#include "sp-central-db-private.h"

void
sp_central_simplified_mode_free (SpCentralSimplifiedMode *m)
{
  if (m == NULL)
    return;
  g_strfreev (m->services);
  g_strfreev (m->whole_pin);
  g_free (m->updated_by);
  g_free (m);
}

gboolean
sp_central_simplified_mode_open (const SpCentralSimplifiedMode *m,
                                 gint64                         now)
{
  return m != NULL && now >= m->starts_at && now < m->ends_at;
}

void
sp_central_credential_free (SpCentralCredential *c)
{
  if (c == NULL)
    return;
  g_free (c->issuance_id);
  g_free (c->kind);
  g_free (c->verifier);
  g_free (c->personal_verifier);
  g_free (c->simplified_verifier);
  sp_central_simplified_mode_free (c->mode);
  g_free (c);
}

/* A JSON array of strings, as stored, into a vector (empty if malformed:
 * the column is written only by mode_set and the seed). */
static char **
ids_from_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  JsonNode *root;

  if (text != NULL && json_parser_load_from_data (parser, text, -1, NULL)
      && (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *a = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          const char *id = json_node_get_string (json_array_get_element (a, i));

          if (id != NULL)
            g_ptr_array_add (ids, g_strdup (id));
        }
    }
  g_ptr_array_add (ids, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
}

static char *
ids_to_json (const char *const *ids)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; ids && ids[i]; i++)
    json_builder_add_string_value (b, ids[i]);
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

SpCentralSimplifiedMode *
sp_central_db_simplified_mode_get (SpCentralDb *db,
                                   GError     **error)
{
  SpSqlStmt *s = sp_central_db_query (db, error, "SELECT starts_at, ends_at, services, whole_pin, updated_at,"
                                                 " updated_by FROM simplified_mode WHERE id = 1", "");
  SpCentralSimplifiedMode *m;
  g_autofree char *services = NULL, *whole = NULL;
  gboolean found;

  if (s == NULL || !sp_central_db_first_row (db, s, &found, error))
    return NULL;
  if (!found)
    {
      sp_sql_reset (s);
      g_set_error (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_FAILED, "the simplified mode row is missing");
      return NULL;
    }
  m = g_new0 (SpCentralSimplifiedMode, 1);
  m->starts_at = sp_sql_column_int64 (s, 0);
  m->ends_at = sp_sql_column_int64 (s, 1);
  services = sp_central_db_column_dup (s, 2);
  whole = sp_central_db_column_dup (s, 3);
  m->updated_at = sp_sql_column_int64 (s, 4);
  m->updated_by = sp_central_db_column_dup (s, 5);
  sp_sql_reset (s);
  m->services = ids_from_json (services);
  m->whole_pin = ids_from_json (whole);
  return m;
}

gboolean
sp_central_db_simplified_mode_set (SpCentralDb       *db,
                                   gint64             starts_at,
                                   gint64             ends_at,
                                   const char *const *services,
                                   const char *const *whole_pin,
                                   const char        *actor,
                                   gint64             now,
                                   GError           **error)
{
  g_autofree char *s_json = ids_to_json (services);
  g_autofree char *w_json = ids_to_json (whole_pin);
  g_autofree char *detail = g_strdup_printf ("%" G_GINT64_FORMAT "..%" G_GINT64_FORMAT " %s whole PIN: %s",
                                             starts_at, ends_at, s_json, w_json);
  gboolean ok = sp_central_db_write_begin (db, error);

  ok = ok && sp_central_db_run (db, error, "UPDATE simplified_mode SET starts_at = $1, ends_at = $2,"
                                           " services = $3, whole_pin = $4, updated_at = $5, updated_by = $6"
                                           " WHERE id = 1", "iittit", starts_at, ends_at, s_json, w_json, now,
                                actor)
          && sp_central_db_audit (db, actor, "simplified.mode", NULL, detail, now, error);
  return sp_central_db_write_end (db, ok, error);
}

static gboolean
read_credential (SpCentralDb *db,
                 const char  *cf,
                 gpointer     data,
                 GError     **error)
{
  SpCentralCredential *c = data;
  SpSqlStmt *s = sp_central_db_query (db, error, "SELECT i.id, i.kind, i.verifier, i.personal_verifier,"
                                                 " (SELECT sc.verifier FROM simplified_credentials sc"
                                                 "  WHERE sc.issuance_id = i.id AND sc.status = 'active')"
                                                 " FROM issuances i WHERE i.cf = $1 AND i.status = 'active'",
                                      "t", cf);
  gboolean found;

  if (s == NULL || !sp_central_db_first_row (db, s, &found, error))
    return FALSE;
  if (found)
    {
      c->issuance_id = sp_central_db_column_dup (s, 0);
      c->kind = sp_central_db_column_dup (s, 1);
      c->personal_verifier = sp_central_db_column_dup (s, 3);
      /* The initial PIN ends when the personal one is chosen. */
      c->verifier = c->personal_verifier ? NULL : sp_central_db_column_dup (s, 2);
      c->simplified_verifier = c->personal_verifier ? NULL : sp_central_db_column_dup (s, 4);
    }
  sp_sql_reset (s);
  return (c->mode = sp_central_db_simplified_mode_get (db, error)) != NULL;
}

gboolean
sp_central_db_pin_reserve_credential (SpCentralDb          *db,
                                      const char           *cf,
                                      gint64                now,
                                      SpCentralCredential **credential,
                                      gint64               *retry_at,
                                      GError              **error)
{
  g_autoptr(SpCentralCredential) c = g_new0 (SpCentralCredential, 1);

  *credential = NULL;
  if (!sp_central_db_pin_reserve_with (db, cf, now, read_credential, c, retry_at, error))
    return FALSE;
  *credential = g_steal_pointer (&c);
  return TRUE;
}

gboolean
sp_central_db_pin_set_personal (SpCentralDb *db,
                                const char  *cf,
                                const char  *issuance_id,
                                const char  *verifier,
                                const char  *actor,
                                gint64       now,
                                GError     **error)
{
  gboolean ok = sp_central_db_write_begin_for (db, cf, error);

  /* Only while the same PIN is active with its initial verifier: a
   * counter issuance or another change in between wins. */
  ok = ok && sp_central_db_run (db, error, "UPDATE issuances SET personal_verifier = $1, personal_at = $2"
                                           " WHERE id = $3 AND cf = $4 AND status = 'active'"
                                           " AND personal_verifier IS NULL", "titt", verifier, now,
                                issuance_id, cf);
  if (ok && sp_sql_changes (db->sql) == 0)
    {
      g_set_error_literal (error, SP_CENTRAL_DB_ERROR, SP_CENTRAL_DB_ERROR_CONFLICT,
                           "the PIN changed meanwhile: it is no longer this initial PIN");
      ok = FALSE;
    }
  /* The first half was part of the initial PIN: it ends with it. */
  ok = ok && sp_central_db_run (db, error, "UPDATE simplified_credentials SET status = 'ended', closed_at = $1,"
                                           " closed_by = 'first-access' WHERE issuance_id = $2"
                                           " AND status = 'active'", "it", now, issuance_id)
          && sp_central_db_audit (db, actor, "pin.personal", cf, issuance_id, now, error);
  return sp_central_db_write_end (db, ok, error);
}

gboolean
sp_central_db_close_channels (SpCentralDb *db,
                              const char  *cf,
                              const char  *actor,
                              const char  *act,
                              gint64       now,
                              gint64      *n_requests,
                              gint64      *n_regularized,
                              GError     **error)
{
  g_autofree char *reason = g_strdup_printf ("superseded by %s", act);

  if (!sp_central_db_run (db, error, "UPDATE pin_requests SET status = 'superseded', decided_by = $1,"
                                     " decided_at = $2, decision_reason = $3 WHERE cf = $4 AND status = 'queued'",
                          "titt", actor, now, reason, cf))
    return FALSE;
  *n_requests = sp_sql_changes (db->sql);
  if (!sp_central_db_run (db, error, "UPDATE simplified_credentials SET status = 'regularized', closed_at = $1,"
                                     " closed_by = $2 WHERE cf = $3 AND status = 'active'", "itt", now, act, cf))
    return FALSE;
  *n_regularized = sp_sql_changes (db->sql);
  return TRUE;
}

gboolean
sp_central_db_audit_closed_channels (SpCentralDb *db,
                                     const char  *cf,
                                     const char  *actor,
                                     const char  *act,
                                     gint64       n_requests,
                                     gint64       n_regularized,
                                     gint64       now,
                                     GError     **error)
{
  g_autofree char *requests = g_strdup_printf ("%" G_GINT64_FORMAT " by %s", n_requests, act);
  g_autofree char *simplified = g_strdup_printf ("%" G_GINT64_FORMAT " by %s", n_regularized, act);

  return (n_requests == 0 || sp_central_db_audit (db, actor, "pin.request.superseded", cf, requests, now, error))
      && (n_regularized == 0 || sp_central_db_audit (db, actor, "simplified.regularized", cf, simplified, now, error));
}
