/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The statuses the layers exchange. Each value's nick is the word the
 * databases and the API use ("needs_attention"), so the SQL CHECKs and
 * the JSON stay as they are; C code names the enum, never the word. */

/* An issuance: central's four, plus the workstation's two before central
 * decided (pending) or when central refused it for good (needs_attention). */
typedef enum {
  SP_ISSUANCE_STATUS_PENDING,          /*< nick=pending >*/
  SP_ISSUANCE_STATUS_ACTIVE,           /*< nick=active >*/
  SP_ISSUANCE_STATUS_SUPERSEDED,       /*< nick=superseded >*/
  SP_ISSUANCE_STATUS_VOIDED,           /*< nick=voided >*/
  SP_ISSUANCE_STATUS_REVOKED,          /*< nick=revoked >*/
  SP_ISSUANCE_STATUS_NEEDS_ATTENTION,  /*< nick=needs_attention >*/
} SpIssuanceStatus;

/* What a workstation's queue entry carries to central. */
typedef enum {
  SP_OUTBOX_KIND_ISSUANCE,             /*< nick=issuance >*/
  SP_OUTBOX_KIND_ATTACHMENT,           /*< nick=attachment >*/
  SP_OUTBOX_KIND_VOID,                 /*< nick=void >*/
} SpOutboxKind;

/* A revocation request at central (the two steps, four eyes). */
typedef enum {
  SP_REVOCATION_STATUS_PENDING,        /*< nick=pending >*/
  SP_REVOCATION_STATUS_APPROVED,       /*< nick=approved >*/
  SP_REVOCATION_STATUS_REJECTED,       /*< nick=rejected >*/
} SpRevocationStatus;

const char *sp_issuance_status_to_string   (SpIssuanceStatus    status);
gboolean    sp_issuance_status_from_string (const char         *text,
                                            SpIssuanceStatus   *status);
const char *sp_outbox_kind_to_string       (SpOutboxKind        kind);
gboolean    sp_outbox_kind_from_string     (const char         *text,
                                            SpOutboxKind       *kind);
const char *sp_revocation_status_to_string (SpRevocationStatus  status);
gboolean    sp_revocation_status_from_string (const char       *text,
                                              SpRevocationStatus *status);

/* The nick of value in an enum type (NULL when out of range), and back. */
const char *sp_enum_to_nick   (GType       type,
                               int         value);
gboolean    sp_enum_from_nick (GType       type,
                               const char *nick,
                               int        *value);

G_END_DECLS
