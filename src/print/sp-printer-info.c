/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-print"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sp-print-document.h"
#include "sp-printer-info.h"

SpPrinterInfo *
sp_printer_info_new (const char *name)
{
  SpPrinterInfo *info = g_new0 (SpPrinterInfo, 1);

  info->name = g_strdup (name);
  info->description = g_strdup (name);
  info->location = g_strdup ("");
  info->reasons = g_strdup ("none");
  info->state = SP_PRINTER_STATE_IDLE;
  info->accepting = TRUE;
  return info;
}

SpPrinterInfo *
sp_printer_info_copy (const SpPrinterInfo *info)
{
  SpPrinterInfo *copy = g_new0 (SpPrinterInfo, 1);

  g_return_val_if_fail (info != NULL, NULL);

  *copy = *info;
  copy->name = g_strdup (info->name);
  copy->description = g_strdup (info->description);
  copy->location = g_strdup (info->location);
  copy->reasons = g_strdup (info->reasons);
  return copy;
}

void
sp_printer_info_free (SpPrinterInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->description);
  g_free (info->location);
  g_free (info->reasons);
  g_free (info);
}

gboolean
sp_printer_info_has_reason (const SpPrinterInfo *info,
                            const char          *reason)
{
  g_auto(GStrv) reasons = NULL;
  gsize len = strlen (reason);

  g_return_val_if_fail (info != NULL && reason != NULL, FALSE);

  reasons = g_strsplit (info->reasons ? info->reasons : "", ",", -1);
  for (guint i = 0; reasons[i] != NULL; i++)
    {
      const char *r = g_strstrip (reasons[i]);

      /* Whole: "media-low-warning" is media-low, not media. */
      if (strncmp (r, reason, len) == 0
          && (r[len] == '\0' || g_str_equal (r + len, "-error") || g_str_equal (r + len, "-warning")
              || g_str_equal (r + len, "-report")))
        return TRUE;
    }
  return FALSE;
}

/* The first reason that stops the paper, for the operator; NULL if none.
 * CUPS reports a paused queue as stopped with "paused". */
static const char *
blocking_reason (const SpPrinterInfo *info)
{
  if (sp_printer_info_has_reason (info, "media-empty") || sp_printer_info_has_reason (info, "media-needed"))
    return _("out of paper");
  if (sp_printer_info_has_reason (info, "media-jam"))
    return _("paper jammed");
  if (sp_printer_info_has_reason (info, "door-open") || sp_printer_info_has_reason (info, "cover-open"))
    return _("a cover is open");
  if (sp_printer_info_has_reason (info, "offline") || sp_printer_info_has_reason (info, "connecting-to-device"))
    return _("offline");
  if (sp_printer_info_has_reason (info, "paused"))
    return _("paused");
  if (info->state == SP_PRINTER_STATE_STOPPED)
    return _("stopped");
  if (!info->accepting)
    return _("not accepting jobs");
  if (info->reasons != NULL && strstr (info->reasons, "-error") != NULL)
    return _("it reports an error");
  return NULL;
}

gboolean
sp_printer_info_check (const SpPrinterInfo *info,
                       GError             **error)
{
  const char *why;

  g_return_val_if_fail (info != NULL, FALSE);

  if ((why = blocking_reason (info)) == NULL)
    return TRUE;
  /* What to do, not only what is wrong: the operator is not IT staff. */
  g_set_error (error, SP_PRINT_ERROR, SP_PRINT_ERROR_PRINTER_STOPPED,
               _("The printer %s cannot print now (%s): fix it and resume it, or choose another printer "
                 "in Preferences → Printers"), info->description, why);
  return FALSE;
}

char *
sp_printer_info_describe_state (const SpPrinterInfo *info)
{
  const char *why;

  g_return_val_if_fail (info != NULL, NULL);

  if ((why = blocking_reason (info)) != NULL)
    return g_strdup_printf (_("Cannot print: %s"), why);
  if (info->state == SP_PRINTER_STATE_PROCESSING)
    return g_strdup (_("Printing"));
  return g_strdup (_("Ready"));
}
