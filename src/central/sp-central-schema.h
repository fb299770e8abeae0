/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Central's schema, written once for both backends (sp-central-schema.c). */
guint  sp_central_schema_n_migrations (void);
/* Migration i (0-based) in the dialect of SQLite or of PostgreSQL. */
char  *sp_central_schema_migration    (guint    i,
                                       gboolean postgres);

G_END_DECLS
