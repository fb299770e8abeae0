/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-print"

#include "config.h"

#include "sp-print-settings.h"

SpEnvelopeLayout
sp_print_settings_get_layout (GSettings *settings)
{
  g_autofree char *layout = g_settings_get_string (settings, "envelope-layout");

  return g_strcmp0 (layout, "mailer") == 0 ? SP_ENVELOPE_LAYOUT_MAILER : SP_ENVELOPE_LAYOUT_A4_DL;
}

void
sp_print_settings_get_offsets (GSettings  *settings,
                               const char *printer,
                               double     *x_mm,
                               double     *y_mm)
{
  g_autoptr(GVariant) offsets = g_settings_get_value (settings, "envelope-offsets");

  *x_mm = *y_mm = 0;
  if (printer != NULL)
    g_variant_lookup (offsets, printer, "(dd)", x_mm, y_mm);
}

void
sp_print_settings_set_offsets (GSettings  *settings,
                               const char *printer,
                               double      x_mm,
                               double      y_mm)
{
  g_autoptr(GVariant) old = g_settings_get_value (settings, "envelope-offsets");
  GVariantBuilder b;
  GVariantIter iter;
  const char *name;
  double x, y;

  g_return_if_fail (printer != NULL);

  g_variant_builder_init (&b, G_VARIANT_TYPE ("a{s(dd)}"));
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&s(dd)}", &name, &x, &y))
    if (!g_str_equal (name, printer))
      g_variant_builder_add (&b, "{s(dd)}", name, x, y);
  g_variant_builder_add (&b, "{s(dd)}", printer, x_mm, y_mm);
  g_settings_set_value (settings, "envelope-offsets", g_variant_builder_end (&b));
}

static void
on_timeout_changed (GSettings      *settings,
                    const char     *key,
                    SpPrintService *service)
{
  /* cupsd gets 5 s per answer (libcups asks twice: ~10 s), a job the
   * sede's print-timeout-seconds; a job already sent keeps its own. */
  sp_print_service_set_timeouts (service, 5, g_settings_get_uint (settings, "print-timeout-seconds"));
}

void
sp_print_settings_bind_service (GSettings      *settings,
                                SpPrintService *service)
{
  on_timeout_changed (settings, "print-timeout-seconds", service);
  g_signal_connect_object (settings, "changed::print-timeout-seconds", G_CALLBACK (on_timeout_changed),
                           service, 0);
}
