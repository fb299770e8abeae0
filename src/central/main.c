/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sportello-central: the reference central server and its admin commands.
 *
 *   sportello-central [serve] [--listen 127.0.0.1:8443] [--database PATH]
 *                     [--tls-cert F --tls-key F]
 *   sportello-central operator add USER --name N --role R --sede CODE  (password on stdin;
 *                     R: operator, supervisor, admin, contact_center, portal)
 *   sportello-central operator list | operator disable USER
 *   sportello-central seed-demo [--citizens N]
 *   sportello-central import-registry FILE.csv
 *   sportello-central purge --dry-run|--apply [--retention-years 20]
 *   sportello-central letters keygen|export|open (see cmd_letters)
 *   sportello-central simplified show|set [--from T] [--until T] [--service ID]… [--whole-pin ID]…
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sp-central-admin-simplified.h"
#include "sp-central-db.h"
#include "sp-central-db-channels.h"
#include "sp-central-letter.h"
#include "sp-central-seed.h"
#include "sp-central-server.h"
#include "sp-secret.h"

static char *opt_database;
static char *opt_listen;
static char *opt_tls_cert;
static char *opt_tls_key;
static int opt_workers = 1;
static int opt_citizens = 1000;
static char *opt_name;
static char *opt_role;
static char *opt_sede;
static gboolean opt_dry_run;
static gboolean opt_apply;
static int opt_retention_years = 20;
static char *opt_output;
static char *opt_date;
static char *opt_key;
static char *opt_from;
static char *opt_until;
static char **opt_services;
static char **opt_whole_pin;

static const GOptionEntry entries[] = {
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, &opt_database, "SQLite file (default: in the user data dir)", "PATH" },
  { "listen", 'l', 0, G_OPTION_ARG_STRING, &opt_listen, "Address to listen on (default 127.0.0.1:8443; port 0: any)", "HOST:PORT" },
  { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &opt_tls_cert, "TLS certificate (PEM)", "FILE" },
  { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &opt_tls_key, "TLS private key (PEM)", "FILE" },
  { "workers", 0, 0, G_OPTION_ARG_INT, &opt_workers, "Serving processes (PostgreSQL only; 1 on SQLite)", "N" },
  { "citizens", 0, 0, G_OPTION_ARG_INT, &opt_citizens, "seed-demo: fictitious citizens to add", "N" },
  { "name", 0, 0, G_OPTION_ARG_STRING, &opt_name, "operator add: full name", "NAME" },
  { "role", 0, 0, G_OPTION_ARG_STRING, &opt_role, "operator add: operator, supervisor or admin", "ROLE" },
  { "sede", 0, 0, G_OPTION_ARG_STRING, &opt_sede, "operator add: sede code", "CODE" },
  { "dry-run", 0, 0, G_OPTION_ARG_NONE, &opt_dry_run, "purge: only count", NULL },
  { "apply", 0, 0, G_OPTION_ARG_NONE, &opt_apply, "purge: delete", NULL },
  { "retention-years", 0, 0, G_OPTION_ARG_INT, &opt_retention_years, "purge: years kept after a PIN ends", "N" },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output, "letters: the folder (keygen, export) or file (open)", "PATH" },
  { "date", 0, 0, G_OPTION_ARG_STRING, &opt_date, "letters export: the day, YYYY-MM-DD (UTC)", "DAY" },
  { "key", 0, 0, G_OPTION_ARG_FILENAME, &opt_key, "letters open: the folder of the provider's key pair", "DIR" },
  { "from", 0, 0, G_OPTION_ARG_STRING, &opt_from, "simplified set: the window's start (YYYY-MM-DD or RFC 3339)", "T" },
  { "until", 0, 0, G_OPTION_ARG_STRING, &opt_until, "simplified set: the window's end (the day included)", "T" },
  { "service", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_services, "simplified set: a service of the window (repeat)", "ID" },
  { "whole-pin", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_whole_pin, "simplified set: an act that needs the whole PIN (repeat)", "ID" },
  { NULL }
};

static int
usage (const char *message)
{
  g_printerr ("sportello-central: %s\n"
              "usage: sportello-central [serve|operator add|operator list|operator disable|"
              "seed-demo|import-registry|purge|letters|simplified] [OPTIONS]\n", message);
  return 2;
}

static const char *
database_location (void)
{
  static char *fallback;

  if (opt_database != NULL)
    return opt_database;
  if (fallback == NULL)
    {
      g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "sportello-central", NULL);

      g_mkdir_with_parents (dir, 0700);
      fallback = g_build_filename (dir, "central.db", NULL);
    }
  return fallback;
}

static SpCentralDb *
open_db (void)
{
  g_autoptr(GError) error = NULL;
  SpCentralDb *db = sp_central_db_open (database_location (), &error);

  if (db == NULL)
    g_printerr ("sportello-central: %s\n", error->message);
  return db;
}

static gboolean
on_sigterm (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/* One serving process: its HTTP threads and its worker threads, each
 * worker with its own database connection. The main loop only waits for
 * a signal. */
static int
serve_on (GSocket *socket,
          gboolean print_url)
{
  g_autoptr(SpCentralServer) server = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;

  /* The cores are shared by the workers' hashing threads. */
  server = sp_central_server_new (database_location (), MAX (1, g_get_num_processors () / opt_workers), &error);
  if (server == NULL || !sp_central_server_listen (server, socket, opt_tls_cert, opt_tls_key, &error))
    {
      g_printerr ("sportello-central: %s\n", error->message);
      return 1;
    }
  if (print_url)
    {
      g_autofree char *url = sp_central_server_get_url (server);

      /* Tests and scripts read the port from this first line. */
      printf ("listening on %s\n", url);
      fflush (stdout);
    }
  g_unix_signal_add (SIGTERM, on_sigterm, loop);
  g_unix_signal_add (SIGINT, on_sigterm, loop);
  g_main_loop_run (loop);
  /* Graceful stop: no new connections, in-flight requests answered. */
  sp_central_server_shutdown (server);
  return 0;
}

static char *
socket_url (GSocket *socket)
{
  g_autoptr(GSocketAddress) address = g_socket_get_local_address (socket, NULL);
  g_autofree char *host = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));

  return g_strdup_printf ("%s://%s:%u", opt_tls_cert ? "https" : "http", host,
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
}

/* Several processes accepting on one socket, each with its own database
 * connection: how central uses more than one core on PostgreSQL. */
static int
serve_workers (GSocket *socket)
{
  g_autofree GPid *children = g_new0 (GPid, opt_workers);
  g_autofree char *url = socket_url (socket);
  int status = 0;

  for (int i = 0; i < opt_workers; i++)
    {
      GPid pid = fork ();

      if (pid == 0)
        _exit (serve_on (socket, FALSE));
      children[i] = pid;
    }
  printf ("listening on %s\n", url);
  fflush (stdout);
  {
    g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

    g_unix_signal_add (SIGTERM, on_sigterm, loop);
    g_unix_signal_add (SIGINT, on_sigterm, loop);
    g_main_loop_run (loop);
  }
  for (int i = 0; i < opt_workers; i++)
    kill (children[i], SIGTERM);
  for (int i = 0; i < opt_workers; i++)
    {
      int child_status = 0;

      waitpid (children[i], &child_status, 0);
      if (!WIFEXITED (child_status) || WEXITSTATUS (child_status) != 0)
        status = 1;
    }
  return status;
}

/* Every connection is a descriptor: the usual soft limit of 1,024 would
 * cap central near a thousand clients. Raise it towards the hard limit
 * (bounded: the kernel's per-process tables cost memory). */
static void
raise_descriptor_limit (void)
{
  struct rlimit rl;

  if (getrlimit (RLIMIT_NOFILE, &rl) != 0)
    return;
  if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > 65536)
    rl.rlim_cur = MAX (rl.rlim_cur, 65536);
  else
    rl.rlim_cur = rl.rlim_max;
  setrlimit (RLIMIT_NOFILE, &rl);
}

static int
cmd_serve (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;

  if (opt_workers < 1 || opt_workers > 64)
    return usage ("--workers takes 1 to 64");
  if (opt_workers > 1 && (opt_database == NULL || !g_str_has_prefix (opt_database, "postgres")))
    return usage ("several workers need PostgreSQL: SQLite has one writer, run one process on it");
  if ((opt_tls_cert == NULL) != (opt_tls_key == NULL))
    return usage ("--tls-cert and --tls-key go together");
  raise_descriptor_limit ();
  socket = sp_central_listen_socket (opt_listen ? opt_listen : "127.0.0.1:8443", &error);
  if (socket == NULL)
    {
      g_printerr ("sportello-central: %s\n", error->message);
      return 1;
    }
  if (opt_workers == 1)
    return serve_on (socket, TRUE);
  return serve_workers (socket);
}

static char *
read_password (void)
{
  char buffer[1024];

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    return NULL;
  buffer[strcspn (buffer, "\r\n")] = '\0';
  return g_strdup (buffer);
}

static int
cmd_operator (int argc, char **argv)
{
  g_autoptr(SpCentralDb) db = NULL;
  g_autoptr(GError) error = NULL;

  if (argc < 3)
    return usage ("operator add|list|disable");
  if ((db = open_db ()) == NULL)
    return 1;
  if (g_str_equal (argv[2], "add"))
    {
      g_autofree char *password = NULL;
      g_autofree char *verifier = NULL;
      /* The Contact Center's operators and the citizen portal's client
       * are operator rows with a channel (issue 16). */
      const char *channel = NULL;

      if (argc != 4 || !opt_name || !opt_role || !opt_sede)
        return usage ("operator add USER --name N --role operator|supervisor|admin|contact_center|portal"
                      " --sede CODE");
      const char *role = opt_role;

      if (g_str_equal (opt_role, "contact_center") || g_str_equal (opt_role, "portal"))
        {
          channel = opt_role;
          role = "operator";
        }
      if (!g_str_equal (role, "operator") && !g_str_equal (role, "supervisor") && !g_str_equal (role, "admin"))
        return usage ("--role is operator, supervisor, admin, contact_center or portal");
      password = read_password ();
      if (password == NULL || strlen (password) < 8)
        return usage ("the password (on standard input) needs at least 8 characters");
      verifier = sp_secret_hash (password, strlen (password), &error);
      if (verifier == NULL || !sp_central_db_add_operator (db, argv[3], opt_name, role, opt_sede, verifier, &error)
          || (channel != NULL && !sp_central_db_add_channel_principal (db, argv[3], channel, &error)))
        {
          g_printerr ("sportello-central: %s\n", error->message);
          return 1;
        }
      return 0;
    }
  if (g_str_equal (argv[2], "list"))
    {
      g_autoptr(GPtrArray) ops = sp_central_db_list_operators (db, &error);

      if (ops == NULL)
        {
          g_printerr ("sportello-central: %s\n", error->message);
          return 1;
        }
      for (guint i = 0; i < ops->len; i++)
        {
          SpCentralOperator *op = g_ptr_array_index (ops, i);
          printf ("%s\t%s\t%s\t%s%s\n", op->username, op->role, op->sede, op->name,
                  op->disabled ? "\t(disabled)" : "");
        }
      return 0;
    }
  if (g_str_equal (argv[2], "disable") && argc == 4)
    {
      if (!sp_central_db_disable_operator (db, argv[3], &error))
        {
          g_printerr ("sportello-central: %s\n", error->message);
          return 1;
        }
      return 0;
    }
  return usage ("operator add|list|disable");
}

static int
cmd_seed (void)
{
  g_autoptr(SpCentralDb) db = open_db ();
  g_autoptr(GError) error = NULL;

  if (db == NULL)
    return 1;
  if (!sp_central_seed_demo (db, MAX (opt_citizens, 0), &error))
    {
      g_printerr ("sportello-central: %s\n", error->message);
      return 1;
    }
  return 0;
}

static int
cmd_import (int argc, char **argv)
{
  g_autoptr(SpCentralDb) db = NULL;
  g_autoptr(GError) error = NULL;
  guint imported, skipped;

  if (argc != 3)
    return usage ("import-registry FILE.csv");
  if ((db = open_db ()) == NULL)
    return 1;
  if (!sp_central_import_registry (db, argv[2], &imported, &skipped, &error))
    {
      g_printerr ("sportello-central: %s\n", error->message);
      return 1;
    }
  printf ("imported %u, skipped %u (invalid codice fiscale or fields)\n", imported, skipped);
  return 0;
}

static int
cmd_purge (void)
{
  g_autoptr(SpCentralDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) cutoff = g_date_time_add_years (now, -opt_retention_years);
  gint64 n;

  if (opt_dry_run == opt_apply)
    return usage ("purge needs --dry-run or --apply");
  if ((db = open_db ()) == NULL)
    return 1;
  n = sp_central_db_purge (db, g_date_time_to_unix (cutoff) * 1000, opt_dry_run, &error);
  if (n < 0)
    {
      g_printerr ("sportello-central: %s\n", error->message);
      return 1;
    }
  printf ("%s %" G_GINT64_FORMAT " issuances ended before %d years ago\n",
          opt_dry_run ? "would purge" : "purged", n, opt_retention_years);
  return 0;
}

/* The letters for the print-and-mail provider (issue 16):
 *   letters keygen --output DIR          the provider's key pair (provider.pub, provider.key 0600)
 *   letters export --date D --output DIR the day's sealed letters + manifest.json (count, SHA-256)
 *   letters open --key DIR --output F.pdf SEALED   the provider's side */
static int
letters_export (void)
{
  g_autoptr(SpCentralDb) db = open_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) letters = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *manifest = NULL;
  g_autofree char *manifest_path = NULL;
  GDate day;

  if (opt_date == NULL || !sp_date_parse_iso (opt_date, &day) || opt_output == NULL)
    return usage ("letters export --date YYYY-MM-DD --output DIR");
  if (db == NULL || (letters = sp_central_db_letters_export (db, opt_date, &error)) == NULL)
    {
      if (error)
        g_printerr ("sportello-central: %s\n", error->message);
      return 1;
    }
  g_mkdir_with_parents (opt_output, 0700);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "date");
  json_builder_add_string_value (b, opt_date);
  json_builder_set_member_name (b, "count");
  json_builder_add_int_value (b, letters->len);
  json_builder_set_member_name (b, "letters");
  json_builder_begin_array (b);
  for (guint i = 0; i < letters->len; i++)
    {
      SpCentralLetter *l = g_ptr_array_index (letters, i);
      g_autofree char *name = g_strconcat (l->id, ".sealed", NULL);
      g_autofree char *path = g_build_filename (opt_output, name, NULL);
      gsize len;
      const char *data = g_bytes_get_data (l->sealed, &len);

      if (!g_file_set_contents (path, data, len, &error))
        {
          g_printerr ("sportello-central: %s\n", error->message);
          return 1;
        }
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, name);
      json_builder_set_member_name (b, "sha256");
      json_builder_add_string_value (b, l->sha256);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  manifest = json_to_string (root, TRUE);
  manifest_path = g_build_filename (opt_output, "manifest.json", NULL);
  if (!g_file_set_contents (manifest_path, manifest, -1, &error))
    {
      g_printerr ("sportello-central: %s\n", error->message);
      return 1;
    }
  printf ("exported %u letters of %s\n", letters->len, opt_date);
  return 0;
}

static int
cmd_letters (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  if (argc >= 3 && g_str_equal (argv[2], "keygen") && opt_output)
    {
      if (!sp_central_letter_keygen (opt_output, &error))
        {
          g_printerr ("sportello-central: %s\n", error->message);
          return 1;
        }
      return 0;
    }
  if (argc >= 3 && g_str_equal (argv[2], "export"))
    return letters_export ();
  if (argc == 4 && g_str_equal (argv[2], "open") && opt_key && opt_output)
    {
      g_autofree char *data = NULL;
      gsize len;
      g_autoptr(GBytes) sealed = NULL;
      g_autoptr(GBytes) pdf = NULL;

      if (!g_file_get_contents (argv[3], &data, &len, &error))
        {
          g_printerr ("sportello-central: %s\n", error->message);
          return 1;
        }
      sealed = g_bytes_new_take (g_steal_pointer (&data), len);
      if ((pdf = sp_central_letter_open (opt_key, sealed, &error)) == NULL
          || !g_file_set_contents (opt_output, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error))
        {
          g_printerr ("sportello-central: %s\n", error->message);
          return 1;
        }
      return 0;
    }
  return usage ("letters keygen --output DIR | letters export --date D --output DIR"
                " | letters open --key DIR --output FILE SEALED");
}

static int
cmd_simplified (int argc, char **argv)
{
  g_autoptr(SpCentralDb) db = open_db ();
  SpCentralSimplifiedArgs args = { opt_from, opt_until, opt_services, opt_whole_pin };

  if (db == NULL)
    return 1;
  return sp_central_admin_simplified (db, argc >= 3 ? argv[2] : NULL, &args);
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("[COMMAND]");
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  /* The citizen's pages speak Italian through the catalogue;
   * SP_LOCALEDIR: the catalogue of a build tree (tests). */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SP_LOCALEDIR") ? g_getenv ("SP_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  /* LANGUAGE would win over the Italian the page threads choose; the
   * only translated output of central is the citizen's pages. Unset
   * before any thread starts. */
  g_unsetenv ("LANGUAGE");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage (error->message);
  if (!sp_secret_init ())
    return usage ("libsodium could not be initialised");
  if (argc < 2 || g_str_equal (argv[1], "serve"))
    return cmd_serve ();
  if (g_str_equal (argv[1], "operator"))
    return cmd_operator (argc, argv);
  if (g_str_equal (argv[1], "seed-demo"))
    return cmd_seed ();
  if (g_str_equal (argv[1], "import-registry"))
    return cmd_import (argc, argv);
  if (g_str_equal (argv[1], "purge"))
    return cmd_purge ();
  if (g_str_equal (argv[1], "letters"))
    return cmd_letters (argc, argv);
  if (g_str_equal (argv[1], "simplified"))
    return cmd_simplified (argc, argv);
  return usage ("unknown command");
}
