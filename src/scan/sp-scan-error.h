/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One domain for the whole scan layer: acquisition, import, archive, crop.
 * Every message is translated and tells the operator what to do next. */
#define SP_SCAN_ERROR (sp_scan_error_quark ())
typedef enum {
  SP_SCAN_ERROR_FAILED,          /* anything else the device reports */
  SP_SCAN_ERROR_NO_DEVICE,       /* no scanner, or the named one is gone */
  SP_SCAN_ERROR_BUSY,
  SP_SCAN_ERROR_JAMMED,
  SP_SCAN_ERROR_NO_DOCS,         /* feeder empty */
  SP_SCAN_ERROR_COVER_OPEN,
  SP_SCAN_ERROR_IO,              /* unplugged, cable, power */
  SP_SCAN_ERROR_NO_MEM,
  SP_SCAN_ERROR_ACCESS_DENIED,
  SP_SCAN_ERROR_CANCELLED,
  SP_SCAN_ERROR_BAD_PAGE,        /* short, oversized or malformed page */
  /* import */
  SP_SCAN_ERROR_UNSUPPORTED_FILE,
  SP_SCAN_ERROR_TOO_LARGE,
  SP_SCAN_ERROR_TOO_MANY_PAGES,
  SP_SCAN_ERROR_ENCRYPTED,
  SP_SCAN_ERROR_DAMAGED,
  SP_SCAN_ERROR_NO_PAGES,
  /* crop */
  SP_SCAN_ERROR_NO_CARD,
  /* nothing from the device for the stall timeout (sp_scanner) */
  SP_SCAN_ERROR_NOT_RESPONDING,
} SpScanError;
GQuark sp_scan_error_quark (void);

/* Sets error with the operator-facing message for code; detail (may be NULL)
 * is appended for the cases where the device's own words help. */
void sp_scan_set_error (GError     **error,
                        SpScanError  code,
                        const char  *detail);

G_END_DECLS
