/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-central-workers.h"

G_BEGIN_DECLS

/* What a request must pass before a worker runs it: rate limits on the
 * routes that name an account (per client address from the head, per
 * account from the body), the strict JSON check of JSON bodies, and
 * room in the Argon2id queue. Each check answers NULL (go on) or the
 * problem to send; nothing has run when it refuses. */
typedef struct _SpCentralAdmission SpCentralAdmission;

SpCentralAdmission *sp_central_admission_new  (double ip_burst,
                                               double ip_per_second,
                                               double account_burst,
                                               double account_per_second,
                                               guint  hash_queue_max);
void                sp_central_admission_free (SpCentralAdmission *admission);
/* From the head: the client's bucket. */
SpCentralResponse  *sp_central_admission_head (SpCentralAdmission   *admission,
                                               const SpCentralRoute *route,
                                               SpCentralRequest     *req);
/* From the complete body; hashers is the pool the route would queue on
 * when it is the hashing pool (else NULL). */
SpCentralResponse  *sp_central_admission_body (SpCentralAdmission   *admission,
                                               const SpCentralRoute *route,
                                               SpCentralRequest     *req,
                                               SpCentralWorkers     *hashers);

G_END_DECLS
