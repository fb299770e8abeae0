/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-central-db.h"

G_BEGIN_DECLS

/* sportello-central simplified show | set: the emergency window and its
 * services (msg. 1381/2020 §2), kept in central's database.
 *   simplified show
 *   simplified set [--from T] [--until T] [--service ID]… [--whole-pin ID]…
 * T is a day (YYYY-MM-DD, Europe/Rome; --until includes the whole day) or
 * an RFC 3339 time; what is not given stays as it is. Audited. */
typedef struct {
  const char *from, *until;
  char **services, **whole_pin;
} SpCentralSimplifiedArgs;

int sp_central_admin_simplified (SpCentralDb *db, const char *verb, const SpCentralSimplifiedArgs *args);

G_END_DECLS
