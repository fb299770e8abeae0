/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-application.h"

G_BEGIN_DECLS

#define SP_TYPE_SYNC_INDICATOR (sp_sync_indicator_get_type ())
G_DECLARE_FINAL_TYPE (SpSyncIndicator, sp_sync_indicator, SP, SYNC_INDICATOR, AdwBin)

/* The header's sync state (online / offline / N waiting / needs
 * attention) from the engine's properties, with a popover that lists
 * what needs attention and why, and synchronises on demand. */
SpSyncIndicator *sp_sync_indicator_new     (SpContext     *context);
void             sp_sync_indicator_update  (SpSyncIndicator *self);

G_END_DECLS
