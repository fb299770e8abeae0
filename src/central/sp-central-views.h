/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "sp-central-rows.h"

G_BEGIN_DECLS

/* The JSON answers of central's API (data/openapi.yaml) made from the
 * repository's typed rows. Nothing here touches the database. */

JsonNode *sp_central_view_citizen             (const SpCentralCitizen *c);
/* The same document as text, written without json-glib: the lookup is
 * the most frequent answer. */
char     *sp_central_view_citizen_text        (const SpCentralCitizen *c);
JsonNode *sp_central_view_issuance            (const SpCentralIssuanceRow *row);
JsonNode *sp_central_view_revocation_request  (const SpCentralRevocationRequest *r);
/* { items: [...] } of SpCentralRevocationRequest */
JsonNode *sp_central_view_revocation_requests (GPtrArray *requests);
JsonNode *sp_central_view_changes             (const SpCentralChangesPage *page);
/* { date, sede, items } of SpCentralRegisterRow */
JsonNode *sp_central_view_register_day        (const char *date, const char *sede, GPtrArray *rows);
/* { id, name, role, sede } */
JsonNode *sp_central_view_operator            (const SpCentralOperator *op);

/* How a repository error (SP_CENTRAL_DB_ERROR) is answered: HTTP status,
 * the problem type's last path segment and title. Other domains: 500. */
typedef struct {
  guint status;
  const char *type;
  const char *title;
  gboolean retry_after;   /* send Retry-After (busy, unavailable) */
} SpCentralErrorAnswer;

SpCentralErrorAnswer sp_central_view_db_error (const GError *error);

G_END_DECLS
