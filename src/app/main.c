/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "sp-application.h"

/* A form at a counter draws well with cairo. Initialising OpenGL for
 * GTK's GL renderer costs ~60 MB of RSS for nothing here (under Xvfb, or
 * on a PC without a GPU driver, Mesa's llvmpipe loads LLVM): the cairo
 * renderer, and no GL at all, unless GSK_RENDERER asks for a GL one. */
static void
prefer_cairo (void)
{
  const char *renderer = g_getenv ("GSK_RENDERER");
  const char *debug = g_getenv ("GDK_DEBUG");
  g_autofree char *flags = NULL;

  if (renderer != NULL && *renderer != '\0' && g_ascii_strcasecmp (renderer, "cairo") != 0)
    return;
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  flags = debug && *debug ? g_strconcat (debug, ",gl-disable", NULL) : g_strdup ("gl-disable");
  g_setenv ("GDK_DEBUG", flags, TRUE);
}

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
  prefer_cairo ();
  setlocale (LC_ALL, "");
  /* SP_LOCALEDIR: the catalogue of a build tree (demo, screenshots). */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SP_LOCALEDIR") ? g_getenv ("SP_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Sportello PIN"));
  app = sp_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
