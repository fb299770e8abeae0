/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The real sportello-central for a test or a benchmark: a seeded SQLite
 * database in dir, served on a free loopback port (read from its
 * "listening on" line). Central logs the database errors tests provoke
 * as warnings: G_DEBUG is not passed on, so they are not fatal there. */
typedef struct {
  char *db;
  char *url;
  GSubprocess *process;
} SpTestCentral;

SpTestCentral *sp_test_central_new   (const char    *dir,
                                      guint          citizens);
void           sp_test_central_start (SpTestCentral *central);
void           sp_test_central_stop  (SpTestCentral *central);
/* Stopped if it runs, then started again on the same address. */
void           sp_test_central_restart (SpTestCentral *central);
void           sp_test_central_free  (SpTestCentral *central);
/* The first column of the first row of query on central's database. */
char          *sp_test_central_sql   (SpTestCentral *central,
                                      const char    *query);

G_END_DECLS
