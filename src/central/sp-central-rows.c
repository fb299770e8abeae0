/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The typed rows of central's repository: their statuses and their memory. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include <string.h>

#include "sp-central-rows.h"
#include "sp-issuance.h"

static const char *const issuance_statuses[] = { "active", "superseded", "voided", "revoked" };
static const char *const revocation_statuses[] = { "pending", "approved", "rejected" };
static const char *const roles[] = { "operator", "supervisor", "admin" };

static gboolean
index_of (const char *const *names,
          guint              n,
          const char        *text,
          int               *out)
{
  for (guint i = 0; text != NULL && i < n; i++)
    if (g_str_equal (names[i], text))
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
sp_central_issuance_status_to_string (SpCentralIssuanceStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (issuance_statuses), NULL);
  return issuance_statuses[status];
}

gboolean
sp_central_issuance_status_from_string (const char              *text,
                                        SpCentralIssuanceStatus *status)
{
  int i;

  if (!index_of (issuance_statuses, G_N_ELEMENTS (issuance_statuses), text, &i))
    return FALSE;
  *status = i;
  return TRUE;
}

const char *
sp_central_revocation_status_to_string (SpCentralRevocationStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (revocation_statuses), NULL);
  return revocation_statuses[status];
}

gboolean
sp_central_revocation_status_from_string (const char                *text,
                                          SpCentralRevocationStatus *status)
{
  int i;

  if (!index_of (revocation_statuses, G_N_ELEMENTS (revocation_statuses), text, &i))
    return FALSE;
  *status = i;
  return TRUE;
}

gboolean
sp_central_role_from_string (const char    *text,
                             SpCentralRole *role)
{
  int i;

  if (!index_of (roles, G_N_ELEMENTS (roles), text, &i))
    return FALSE;
  *role = i;
  return TRUE;
}

void
sp_central_operator_free (SpCentralOperator *op)
{
  if (op == NULL)
    return;
  g_free (op->username);
  g_free (op->name);
  g_free (op->role);
  g_free (op->sede);
  if (op->verifier)
    memset (op->verifier, 0, strlen (op->verifier));
  g_free (op->verifier);
  g_free (op);
}

void
sp_central_citizen_free (SpCentralCitizen *c)
{
  if (c == NULL)
    return;
  g_free (c->cf);
  g_free (c->surname);
  g_free (c->name);
  g_free (c->sex);
  g_free (c->birth_date);
  g_free (c->birth_place);
  g_free (c->street);
  g_free (c->postcode);
  g_free (c->city);
  g_free (c->province);
  g_free (c->phone);
  g_free (c->email);
  g_free (c->source);
  g_free (c->active_issuance_id);
  g_free (c->active_sede);
  g_free (c->active_kind);
  g_clear_pointer (&c->pending, g_ptr_array_unref);
  g_clear_pointer (&c->simplified, g_ptr_array_unref);
  g_free (c);
}

void
sp_central_pending_request_free (SpCentralPendingRequest *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->channel);
  g_free (r);
}

void
sp_central_simplified_row_free (SpCentralSimplifiedRow *r)
{
  if (r == NULL)
    return;
  g_free (r->issuance_id);
  g_free (r);
}

static void
attachment_row_free (SpCentralAttachmentRow *a)
{
  g_free (a->kind);
  g_free (a->sha256);
  g_free (a);
}

void
sp_central_issuance_row_free (SpCentralIssuanceRow *row)
{
  if (row == NULL)
    return;
  g_free (row->id);
  g_free (row->cf);
  g_free (row->sede);
  g_free (row->operator);
  g_free (row->workstation);
  g_free (row->reason);
  g_clear_pointer (&row->attachments, g_ptr_array_unref);
  g_clear_pointer (&row->attachments_missing, g_ptr_array_unref);
  g_free (row);
}

GPtrArray *
sp_central_attachment_rows_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) attachment_row_free);
}

void
sp_central_revocation_request_free (SpCentralRevocationRequest *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->cf);
  g_free (r->sede);
  g_free (r->reason);
  g_free (r->requested_by);
  g_free (r->decided_by);
  g_free (r->decision_reason);
  g_clear_pointer (&r->revoked, g_ptr_array_unref);
  g_free (r);
}

static void
change_free (SpCentralChange *c)
{
  g_free (c->payload);
  g_free (c);
}

GPtrArray *
sp_central_changes_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
}

void
sp_central_changes_page_free (SpCentralChangesPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page);
}

void
sp_central_register_row_free (SpCentralRegisterRow *row)
{
  if (row == NULL)
    return;
  g_free (row->id);
  g_free (row->cf);
  g_free (row->surname);
  g_free (row->name);
  g_free (row->operator);
  g_free (row->workstation);
  g_free (row);
}

char *
sp_central_ms_to_iso (gint64 ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) exact = g_date_time_add (dt, (ms % 1000) * 1000);

  return sp_datetime_to_iso (exact);
}
