/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-application.h"

G_BEGIN_DECLS

/* Today's register of this workstation (DESIGN §1, the supervisor reads
 * it): printed on the sede's printer or saved as a PDF. */
void sp_register_export_today (GtkWindow       *parent,
                               SpApplication   *app,
                               SpContext       *context,
                               AdwToastOverlay *toasts);

/* The register document of a day, from the store (NULL operator: all). */
GPtrArray *sp_register_entries_of_day (SpStore     *store,
                                       const GDate *day,
                                       const char  *operator_id);

G_END_DECLS
