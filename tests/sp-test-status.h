/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-store.h"

/* An issuance's stored status in the database's own word ("active"),
 * NULL when there is none: what the tests compare with central's. */
static inline char *
sp_test_status_word (SpStore    *store,
                     const char *issuance_id)
{
  SpIssuanceStatus status;

  if (!sp_store_issuance_status (store, issuance_id, &status))
    return NULL;
  return g_strdup (sp_issuance_status_to_string (status));
}
