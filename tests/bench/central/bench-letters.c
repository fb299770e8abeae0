/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Letters rendered (A4 PDF, cairo + Pango) and sealed to the provider's
 * public key per second, on one thread, for SP_BENCH_SECONDS (default 3).
 * Prints "letters_per_second: N letters/s". */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "sp-central-letter.h"

int
main (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sp-bench-letters-XXXXXX", NULL);
  g_autofree char *keys = g_build_filename (dir, "provider", NULL);
  g_autofree char *pub = g_build_filename (keys, "provider.pub", NULL);
  const char *s = g_getenv ("SP_BENCH_SECONDS");
  double seconds = s ? g_ascii_strtod (s, NULL) / 2 : 3;
  SpCentralLetterAddress to = { "Paola Esposito", "Via Garibaldi 66", "30100 Venezia (VE)" };
  g_autoptr(GError) error = NULL;
  gint64 start, end;
  guint n = 0;
  gsize bytes = 0;

  if (!sp_central_letter_keygen (keys, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_setenv ("SP_CENTRAL_LETTER_KEY", pub, TRUE);
  start = g_get_monotonic_time ();
  end = start + (gint64) (MAX (seconds, 1) * G_TIME_SPAN_SECOND);
  while (g_get_monotonic_time () < end)
    {
      g_autofree char *sealed = NULL;
      g_autofree char *sha = NULL;

      if (!sp_central_letter_seal (&to, "ABCD EFGH", &sealed, &sha, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      bytes += strlen (sealed);
      n++;
    }
  printf ("letters_per_second: %.0f letters/s\n", n / ((g_get_monotonic_time () - start) / 1e6));
  printf ("letter_sealed_size: %.1f KiB\n", bytes / (double) MAX (n, 1) / 1024 * 3 / 4);
  g_unlink (pub);
  {
    g_autofree char *key = g_build_filename (keys, "provider.key", NULL);
    g_unlink (key);
  }
  g_rmdir (keys);
  g_rmdir (dir);
  return 0;
}
