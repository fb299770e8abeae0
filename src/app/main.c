/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "sp-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(SpApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* SP_LOCALEDIR: the catalogue of a build tree (demo, screenshots). */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SP_LOCALEDIR") ? g_getenv ("SP_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Sportello PIN"));
  app = sp_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
