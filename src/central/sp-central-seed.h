/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-central-db.h"

G_BEGIN_DECLS

/* Fictitious citizens with valid codici fiscali (flagged fictitious), the
 * same ones for the same n on every run, and the demo operators:
 * demo/demo (operator, sede 0700), demo2/demo2 (operator, sede 0800),
 * super/super (supervisor, sede 0700), admin/admin (admin). */
gboolean sp_central_seed_demo     (SpCentralDb *db,
                                   guint        n_citizens,
                                   GError     **error);
/* Loads a registry extract: CSV with header
 * cf,surname,name,sex,birth_date,birth_place,street,postcode,city,province
 * Rows whose codice fiscale is invalid are skipped and counted. */
gboolean sp_central_import_registry (SpCentralDb *db,
                                     const char  *path,
                                     guint       *imported,
                                     guint       *skipped,
                                     GError     **error);

G_END_DECLS
