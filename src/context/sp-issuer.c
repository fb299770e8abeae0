/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-context"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-issuer.h"

G_DEFINE_QUARK (sp-issuer-error-quark, sp_issuer_error)

/* The request's scans, in the order the roles require them. */
static GPtrArray *
scans_of (SpRequest *request)
{
  g_autoptr(GArray) kinds = sp_request_required_attachments (request);
  GPtrArray *scans = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < kinds->len; i++)
    {
      SpStoreScan *scan = g_new0 (SpStoreScan, 1);

      scan->kind = g_array_index (kinds, guint, i);
      scan->pdf = sp_request_get_attachment (request, scan->kind, NULL);
      g_ptr_array_add (scans, scan);
    }
  return scans;
}

void
sp_issuer_issue_async (SpContext           *context,
                       SpRequest           *request,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(SpIssuance) issuance = NULL;
  g_autoptr(GPtrArray) scans = NULL;
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  for (SpStep step = SP_REQUEST_STEP_CITIZEN; step < SP_REQUEST_STEP_ISSUE; step++)
    if (!sp_request_step_ok (request, step, &today))
      {
        g_autoptr(GTask) task = g_task_new (context, cancellable, callback, user_data);

        g_task_return_new_error (task, SP_ISSUER_ERROR, SP_ISSUER_ERROR_INCOMPLETE,
                                 _("The request is not complete: go back to the marked step."));
        return;
      }
  issuance = sp_request_build_issuance (request);
  scans = scans_of (request);
  sp_context_issue_async (context, issuance, scans, cancellable, callback, user_data);
}

SpIssued *
sp_issuer_issue_finish (SpContext     *context,
                        GAsyncResult  *result,
                        GError       **error)
{
  return sp_context_issue_finish (context, result, error);
}
