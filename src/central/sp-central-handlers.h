/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-central-routes.h"

G_BEGIN_DECLS

/* The handlers of the route table, one file per resource
 * (sp-central-h-*.c). Each follows the contract in sp-central-routes.h. */

/* sp-central-h-status.c */
SpCentralResponse *sp_central_h_status          (SpCentralRequest *req, SpCentralDb *db);
/* sp-central-h-sessions.c */
SpCentralResponse *sp_central_h_login           (SpCentralRequest *req, SpCentralDb *db);
SpCentralResponse *sp_central_h_logout          (SpCentralRequest *req, SpCentralDb *db);
/* sp-central-h-citizens.c */
SpCentralResponse *sp_central_h_citizen         (SpCentralRequest *req, SpCentralDb *db);
SpCentralResponse *sp_central_h_pin_unlock      (SpCentralRequest *req, SpCentralDb *db);
/* sp-central-h-citizen-search.c */
SpCentralResponse *sp_central_h_citizen_search  (SpCentralRequest *req, SpCentralDb *db);
/* sp-central-h-revocations.c */
SpCentralResponse *sp_central_h_revocation_request   (SpCentralRequest *req, SpCentralDb *db);
SpCentralResponse *sp_central_h_revocation_list      (SpCentralRequest *req, SpCentralDb *db);
SpCentralResponse *sp_central_h_revocation_approval  (SpCentralRequest *req, SpCentralDb *db);
SpCentralResponse *sp_central_h_revocation_rejection (SpCentralRequest *req, SpCentralDb *db);
/* sp-central-h-issuances.c */
void               sp_central_h_register_batch  (SpCentralRequest **reqs, guint n, SpCentralDb *db,
                                                 SpCentralResponse **responses);
SpCentralResponse *sp_central_h_register        (SpCentralRequest *req, SpCentralDb *db);
SpCentralResponse *sp_central_h_get_issuance    (SpCentralRequest *req, SpCentralDb *db);
SpCentralResponse *sp_central_h_void            (SpCentralRequest *req, SpCentralDb *db);
/* sp-central-h-attachments.c */
SpCentralResponse *sp_central_h_attachment      (SpCentralRequest *req, SpCentralDb *db);
/* sp-central-h-changes.c */
SpCentralResponse *sp_central_h_changes         (SpCentralRequest *req, SpCentralDb *db);
SpCentralResponse *sp_central_h_register_day    (SpCentralRequest *req, SpCentralDb *db);
/* sp-central-h-auth.c */
SpCentralResponse *sp_central_h_auth_pin        (SpCentralRequest *req, SpCentralDb *db);

/* sp-central-h-pin-requests.c (issue 16: online and Contact Center requests) */
SpCentralResponse *sp_central_h_pin_request            (SpCentralRequest *req, SpCentralDb *db);
SpCentralResponse *sp_central_h_pin_requests_list      (SpCentralRequest *req, SpCentralDb *db);
SpCentralResponse *sp_central_h_pin_request_validation (SpCentralRequest *req, SpCentralDb *db);
SpCentralResponse *sp_central_h_pin_request_rejection  (SpCentralRequest *req, SpCentralDb *db);
SpCentralResponse *sp_central_h_pin_recovery           (SpCentralRequest *req, SpCentralDb *db);

G_END_DECLS
