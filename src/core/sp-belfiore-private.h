/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-belfiore.h"

G_BEGIN_DECLS

/* The generated table (sp-belfiore-table.c). Entries sorted by code then
 * validity; sp_belfiore_by_name indexes them by folded name, and
 * sp_belfiore_folded_names[i] is the folded name of by_name[i]. */
extern const SpBelfioreEntry sp_belfiore_entries[];
extern const guint sp_belfiore_n_entries;
extern const guint16 sp_belfiore_by_name[];
extern const char *const sp_belfiore_folded_names[];

G_END_DECLS
