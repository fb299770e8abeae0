/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "sp-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(SpApplication) app = NULL;

  /* Two malloc arenas, not eight per core: the worker threads (database,
   * Argon2id, SANE, CUPS) each kept a heap of their own, freed but held. */
#ifdef __GLIBC__
  mallopt (M_ARENA_MAX, 2);
#endif
  setlocale (LC_ALL, "");
  /* SP_LOCALEDIR: the catalogue of a build tree (demo, screenshots). */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SP_LOCALEDIR") ? g_getenv ("SP_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Sportello PIN"));
  app = sp_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
