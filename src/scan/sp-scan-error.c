/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-scan"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-scan-error.h"

G_DEFINE_QUARK (sp-scan-error-quark, sp_scan_error)

static const char *
message_for (SpScanError code)
{
  switch (code)
    {
    case SP_SCAN_ERROR_NO_DEVICE:
      return _("No scanner found. Check that it is switched on and connected, then search again.");
    case SP_SCAN_ERROR_BUSY:
      return _("The scanner is busy. Wait for it to finish or close other scanning programs, then try again.");
    case SP_SCAN_ERROR_JAMMED:
      return _("Paper jam in the document feeder. Remove the jammed sheet and try again.");
    case SP_SCAN_ERROR_NO_DOCS:
      return _("The document feeder is empty. Load the pages and try again.");
    case SP_SCAN_ERROR_COVER_OPEN:
      return _("The scanner cover is open. Close it and try again.");
    case SP_SCAN_ERROR_IO:
      return _("The scanner stopped responding. Check its cable and power, then try again.");
    case SP_SCAN_ERROR_NO_MEM:
      return _("Not enough memory to scan. Lower the resolution or close other programs, then try again.");
    case SP_SCAN_ERROR_ACCESS_DENIED:
      return _("Access to the scanner was denied. Check the user name and password, then try again.");
    case SP_SCAN_ERROR_CANCELLED:
      return _("Scan cancelled.");
    case SP_SCAN_ERROR_BAD_PAGE:
      return _("The scanner sent an incomplete or malformed page. Scan it again.");
    case SP_SCAN_ERROR_UNSUPPORTED_FILE:
      return _("This file is not a PDF, JPEG, PNG or TIFF image. Choose another file.");
    case SP_SCAN_ERROR_TOO_LARGE:
      return _("The file or its pages are too large. Scan the document instead, or choose a smaller file.");
    case SP_SCAN_ERROR_TOO_MANY_PAGES:
      return _("The file has too many pages. Choose a file with only the pages of this attachment.");
    case SP_SCAN_ERROR_ENCRYPTED:
      return _("The PDF is protected by a password. Choose an unprotected copy or scan the paper document.");
    case SP_SCAN_ERROR_DAMAGED:
      return _("The file is damaged and cannot be read. Choose another file or scan the paper document.");
    case SP_SCAN_ERROR_NO_PAGES:
      return _("The file has no pages. Choose another file.");
    case SP_SCAN_ERROR_NO_CARD:
      return _("No card found on the scanner glass. Place the card on the glass and scan again.");
    case SP_SCAN_ERROR_NOT_RESPONDING:
      return _("The scanner does not respond. Check it and try again; if it still does not respond, restart the application.");
    case SP_SCAN_ERROR_FAILED:
    default:
      return _("The scanner reported an error. Try again.");
    }
}

void
sp_scan_set_error (GError     **error,
                   SpScanError  code,
                   const char  *detail)
{
  if (detail != NULL && *detail != '\0')
    g_set_error (error, SP_SCAN_ERROR, code, "%s (%s)", message_for (code), detail);
  else
    g_set_error_literal (error, SP_SCAN_ERROR, code, message_for (code));
}
