/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The day register from the workstation store: the day's query, voiding an
 * issuance (status, outbox, audit in one go), and `sportello-tool register`
 * writing the PDF, read back with poppler. */
#include "config.h"

#include <glib/gstdio.h>
#include <poppler.h>
#include <string.h>

#include "print-fixture.h"
#include "sp-store.h"
#include "../sp-test-status.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)


typedef struct {
  char *dir;
  SpStore *store;
  char *ids[4];
} Fixture;

static SpIssuance *
issued_at (int         day_offset,
           int         hour,
           const char *operator_id)
{
  SpIssuance *is = fixture_issuance (FALSE, FALSE);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = g_date_time_add_days (now, day_offset);

  g_date_time_unref (is->issued_at);
  is->issued_at = g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                                         g_date_time_get_day_of_month (day), hour, 30, 0);
  g_free (is->operator_id);
  is->operator_id = g_strdup (operator_id);
  return is;
}

static void
setup (Fixture      *f,
       gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const struct { int day, hour; const char *op; } rows[] = {
    { 0, 9, "mrossi" }, { 0, 11, "gverdi" }, { 0, 16, "mrossi" }, { -1, 12, "mrossi" },
  };

  f->dir = g_dir_make_tmp ("sp-register-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = sp_store_open (f->dir, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(SpIssuance) is = issued_at (rows[i].day, rows[i].hour, rows[i].op);
      g_autoptr(GPtrArray) scans = g_ptr_array_new ();

      g_assert_true (sp_store_commit_issuance (f->store, is, scans, rows[i].op, &error));
      g_assert_no_error (error);
      f->ids[i] = g_strdup (is->id);
    }
}

static void
teardown (Fixture      *f,
          gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  sp_store_close (f->store);
  g_assert_cmpint (system (cmd), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (f->ids); i++)
    g_free (f->ids[i]);
  g_free (f->dir);
}

static void
test_list (Fixture      *f,
           gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  GDate today;

  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  all = sp_store_list_issuances_on (f->store, &today, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 3);
  /* In order of issue time, yesterday's left out. */
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (((SpIssuance *) g_ptr_array_index (all, i))->id, ==, f->ids[i]);
  mine = sp_store_list_issuances_on (f->store, &today, "mrossi", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mine->len, ==, 2);
  g_assert_cmpstr (((SpIssuance *) g_ptr_array_index (mine, 1))->id, ==, f->ids[2]);
}

static void
test_void (Fixture      *f,
           gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  g_autofree char *status = NULL;
  gboolean found = FALSE;
  gint64 rows = 0, broken = 0;
  g_autofree char *why = NULL;

  g_assert_true (sp_store_void_issuance (f->store, f->ids[1], "print cancelled", "gverdi", &error));
  g_assert_no_error (error);
  status = sp_test_status_word (f->store, f->ids[1]);
  g_assert_cmpstr (status, ==, "voided");
  batch = sp_store_outbox_next_batch (f->store, 100);
  for (guint i = 0; i < batch->len; i++)
    {
      SpOutboxEntry *e = g_ptr_array_index (batch, i);

      if (e->kind == SP_OUTBOX_KIND_VOID)
        {
          g_assert_cmpstr (e->target, ==, f->ids[1]);
          g_assert_cmpstr (e->body, ==, "{\"reason\":\"print cancelled\"}");
          found = TRUE;
        }
    }
  g_assert_true (found);
  g_assert_true (sp_store_audit_verify (f->store, &rows, &broken, &why));
  g_assert_cmpint (rows, ==, 5);
  /* Once only: a voided issuance cannot be voided again. */
  g_assert_false (sp_store_void_issuance (f->store, f->ids[1], "again", "gverdi", &error));
  g_assert_error (error, SP_STORE_ERROR, SP_STORE_ERROR_NOT_FOUND);
}

static char *
pdf_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(PopplerDocument) doc = poppler_document_new_from_file (uri, NULL, &error);
  GString *text = g_string_new (NULL);

  g_assert_no_error (error);
  for (int i = 0; i < poppler_document_get_n_pages (doc); i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (doc, i);
      g_autofree char *t = poppler_page_get_text (page);

      g_string_append (text, t);
    }
  return g_string_free (text, FALSE);
}

/* The register prints an issuance number on three lines of its column:
 * its first two groups, then its last group, are found whole. */
static gboolean
has_number (const char *text,
            const char *number)
{
  g_autofree char *head = g_strndup (number, 14);

  return strstr (text, head) != NULL && strstr (text, number + 24) != NULL;
}

static void
test_tool (Fixture      *f,
           gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *tool = g_build_filename (g_getenv ("SP_BUILD_ROOT"), "src", "tool", "sportello-tool", NULL);
  g_autofree char *out = g_build_filename (f->dir, "register.pdf", NULL);
  g_autofree char *out_op = g_build_filename (f->dir, "register-gverdi.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *text_op = NULL;
  g_autofree char *stdout_text = NULL;
  char *upper[4] = { NULL };
  int status;

  g_assert_true (sp_store_void_issuance (f->store, f->ids[1], "out of paper", "gverdi", &error));
  {
    const char *argv[] = { tool, "register", "--date", date, "--output", out, "--store", f->dir,
                           "--sede-name", "Milano Nord", "--json", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &stdout_text, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (stdout_text, "\"issuances\" : 3"));
  }
  {
    const char *argv[] = { tool, "register", "--date", date, "--operator", "gverdi", "--output", out_op,
                           "--store", f->dir, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                                 NULL, NULL, &status, &error));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  text = pdf_text (out);
  text_op = pdf_text (out_op);
  for (guint i = 0; i < 4; i++)
    upper[i] = g_ascii_strup (f->ids[i], -1);
  g_assert_true (has_number (text, upper[0]));
  g_assert_true (has_number (text, upper[1]));
  g_assert_true (has_number (text, upper[2]));
  g_assert_false (has_number (text, upper[3]));      /* yesterday */
  g_assert_nonnull (strstr (text, "voided"));
  g_assert_nonnull (strstr (text, "Milano Nord"));
  g_assert_nonnull (strstr (text, "Issuances: 3 — voided: 1"));
  g_assert_true (has_number (text_op, upper[1]));
  g_assert_false (has_number (text_op, upper[0]));
  g_assert_nonnull (strstr (text_op, "Operator: gverdi"));
  for (guint i = 0; i < 4; i++)
    g_free (upper[i]);
  {
    /* Usage errors exit 2; a folder without a store, 1. */
    const char *bad[] = { tool, "register", "--date", "22-11-2026", "--output", out, NULL };
    const char *none[] = { tool, "register", "--date", date, "--output", out, "--store", "/nonexistent", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) bad, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL));
    g_assert_cmpint (WEXITSTATUS (status), ==, 2);
    g_assert_true (g_spawn_sync (NULL, (char **) none, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL));
    g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/register/store/list", Fixture, NULL, setup, test_list, teardown);
  g_test_add ("/register/store/void", Fixture, NULL, setup, test_void, teardown);
  g_test_add ("/register/tool", Fixture, NULL, setup, test_tool, teardown);
  return g_test_run ();
}
