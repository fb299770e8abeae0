/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "sp-scan-error.h"
#include "sp-scan-page.h"

G_BEGIN_DECLS

typedef enum {
  SP_SCAN_SOURCE_FLATBED,
  SP_SCAN_SOURCE_ADF,
  SP_SCAN_SOURCE_DUPLEX,     /* ADF, front then back of each sheet */
} SpScanSource;

typedef enum {
  SP_SCAN_AREA_A4,           /* 210 × 297 mm, or what the device reaches */
  SP_SCAN_AREA_ID1,          /* an ID-1 card against the glass's corner */
  SP_SCAN_AREA_FULL,         /* the whole glass: for sp_scan_crop_card */
} SpScanArea;

typedef struct {
  SpScanSource source;
  gboolean colour;           /* colour for identity documents, grey for forms */
  guint dpi;                 /* 0: 300; the nearest the device offers is used */
  SpScanArea area;
  guint max_pages;           /* 0: 1 on the flatbed, 50 from the feeder */
  /* NULL-terminated "option=value" for device-specific settings (and the
   * SANE test backend's simulated faults); unknown options are ignored. */
  char **extra_options;
} SpScanOptions;

/* Fills opts with the defaults (flatbed, grey, 300 dpi, A4). */
void sp_scan_options_init (SpScanOptions *opts);

typedef struct {
  char *name;                /* what sp_scanner_start wants, e.g. "test:0" */
  char *vendor;
  char *model;
  char *type;
} SpScanDevice;

/* A SANE backend needs a user name and password for resource: the UI asks
 * the operator and answers with sp_scanner_answer_password (or with NULL
 * to refuse); the scan waits until then. */
typedef struct _SpScanner SpScanner;
typedef void (*SpScannerPasswordFunc) (SpScanner  *scanner,
                                       const char *resource,
                                       gpointer    user_data);

#define SP_TYPE_SCANNER (sp_scanner_get_type ())
G_DECLARE_FINAL_TYPE (SpScanner, sp_scanner, SP, SCANNER, GObject)

/* Owns SANE: its worker thread makes every sane_* call, from sane_init to
 * sane_exit in dispose. Signals are emitted on the main context of the
 * thread that created it. SANE is process-global: one scanner at a time.
 *
 * Signals:
 *   devices-changed ()
 *   page-started (guint job, guint page, guint width, guint height)
 *        height 0 when the device does not know it in advance
 *   page-progress (guint job, guint page, guint lines_done)
 *        sp_scanner_get_preview () then holds the lines so far
 *   page-done (guint job, guint page, SpScanPage *page)
 *   job-done (guint job, GError *error)   error NULL on success; a
 *        cancelled job ends with SP_SCAN_ERROR_CANCELLED, at once, and
 *        nothing more of it is ever emitted.
 */
SpScanner   *sp_scanner_new                 (void);
/* Asks SANE for the devices again (hot-plugged ones included);
 * devices-changed follows. */
void         sp_scanner_refresh_devices     (SpScanner   *self);
/* of SpScanDevice; empty until the first devices-changed. */
GPtrArray   *sp_scanner_get_devices         (SpScanner   *self);
gboolean     sp_scanner_is_refreshing       (SpScanner   *self);

/* device_name NULL: the remembered default, else the first device found. */
guint        sp_scanner_start               (SpScanner           *self,
                                             const char          *device_name,
                                             const SpScanOptions *opts);
void         sp_scanner_cancel              (SpScanner   *self,
                                             guint        job);
/* The page being scanned, filled up to the last page-progress (NULL
 * between pages). For the preview only: the pixels are the main thread's
 * copy, never shared with the worker. */
SpScanPage  *sp_scanner_get_preview         (SpScanner   *self);

/* A job that gets nothing from the device (no page, no lines) for this
 * long ends with SP_SCAN_ERROR_NOT_RESPONDING, so a hung device cannot
 * leave the operator waiting; the prompt for a password does not count.
 * Default 90 s (lamps warm up, feeders pick slowly); 0 turns it off. */
void         sp_scanner_set_stall_timeout   (SpScanner   *self,
                                             guint        msec);

void         sp_scanner_set_password_func   (SpScanner            *self,
                                             SpScannerPasswordFunc func,
                                             gpointer              user_data,
                                             GDestroyNotify        destroy);
void         sp_scanner_answer_password     (SpScanner   *self,
                                             const char  *username,
                                             const char  *password);

/* The workstation's remembered scanner, in
 * $XDG_CONFIG_HOME/sportello-pin/scanner.ini (no scan data there). */
char        *sp_scanner_get_default_device  (void);
gboolean     sp_scanner_set_default_device  (const char  *name,
                                             GError     **error);

G_END_DECLS
