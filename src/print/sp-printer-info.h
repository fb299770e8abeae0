/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The IPP printer-state values. */
typedef enum {
  SP_PRINTER_STATE_IDLE = 3,
  SP_PRINTER_STATE_PROCESSING = 4,
  SP_PRINTER_STATE_STOPPED = 5,
} SpPrinterState;

/* A CUPS queue as the print system last described it. */
typedef struct {
  char *name;           /* the CUPS queue name: what GSettings remembers */
  char *description;    /* printer-info, or the name when it has none */
  char *location;       /* printer-location, "" when unknown */
  SpPrinterState state;
  char *reasons;        /* printer-state-reasons, comma separated; "none" */
  gboolean accepting;   /* printer-is-accepting-jobs */
  gboolean is_default;
} SpPrinterInfo;

SpPrinterInfo *sp_printer_info_new   (const char          *name);
SpPrinterInfo *sp_printer_info_copy  (const SpPrinterInfo *info);
void           sp_printer_info_free  (SpPrinterInfo       *info);
/* Whether printer-state-reasons has reason, with or without its
 * -error/-warning/-report suffix. */
gboolean       sp_printer_info_has_reason (const SpPrinterInfo *info,
                                           const char          *reason);
/* FALSE, with SP_PRINT_ERROR_PRINTER_STOPPED and a message for the
 * operator that says what to do, when a job sent now would not print:
 * stopped or paused queue, not accepting jobs, out of paper, jammed,
 * offline, an error reported. */
gboolean       sp_printer_info_check (const SpPrinterInfo *info,
                                      GError             **error);
/* A short state for a list of printers: "Ready", "Printing",
 * "Stopped: out of paper"… (translated). */
char          *sp_printer_info_describe_state (const SpPrinterInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpPrinterInfo, sp_printer_info_free)

G_END_DECLS
