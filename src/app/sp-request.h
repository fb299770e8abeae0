/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sp-belfiore.h"
#include "sp-issuance.h"

G_BEGIN_DECLS

/* The request being entered at the counter: the text of every field as
 * the operator typed it (so a draft keeps even what is not valid yet),
 * the applicant's role, the attestations and the scanned attachments.
 * Each step of the wizard asks it what is wrong with its fields; the
 * issuance is built from it at the end. GTK-free, so tests can drive it.
 *
 * Field keys: citizen.cf, citizen.surname, citizen.name, citizen.sex,
 * citizen.birth_date, citizen.birth_place (Belfiore code),
 * citizen.street, citizen.postcode, citizen.city, citizen.province,
 * citizen.phone, citizen.email; rep.* the same for the representative;
 * doc.type, doc.number, doc.issuer, doc.issued_on, doc.expires_on,
 * doc.mrz; role; attest.* ("1" when ticked). Dates are DD/MM/YYYY or
 * YYYY-MM-DD. */

typedef enum {
  SP_REQUEST_STEP_CITIZEN,
  SP_REQUEST_STEP_APPLICANT,
  SP_REQUEST_STEP_PERSONAL,
  SP_REQUEST_STEP_DOCUMENT,
  SP_REQUEST_STEP_ATTACHMENTS,
  SP_REQUEST_STEP_SUMMARY,
  SP_REQUEST_STEP_ISSUE,
  SP_N_STEPS
} SpStep;

/* One thing wrong: the field it is about and why, in the operator's words. */
typedef struct {
  char *key;
  char *message;
} SpProblem;

void sp_problem_free (SpProblem *problem);

#define SP_TYPE_REQUEST (sp_request_get_type ())
G_DECLARE_FINAL_TYPE (SpRequest, sp_request, SP, REQUEST, GObject)

SpRequest  *sp_request_new               (void);
const char *sp_request_get               (SpRequest  *self,
                                          const char *key);   /* "" when unset */
void        sp_request_set               (SpRequest  *self,
                                          const char *key,
                                          const char *value);
gboolean    sp_request_is_empty          (SpRequest  *self);
SpApplicantRole sp_request_get_role      (SpRequest  *self);

/* The attachments: one PDF each (the archive the scan layer made). */
void        sp_request_set_attachment    (SpRequest        *self,
                                          SpAttachmentKind  kind,
                                          GBytes           *pdf,
                                          guint             pages);
GBytes     *sp_request_get_attachment    (SpRequest        *self,
                                          SpAttachmentKind  kind,
                                          guint            *pages);
/* What the role and document require, in scanning order (of guint). */
GArray     *sp_request_required_attachments (SpRequest *self);

/* The problems of one step's fields, today being the date of the check
 * (GPtrArray of SpProblem, empty when the step is complete). */
GPtrArray  *sp_request_check_step        (SpRequest   *self,
                                          SpStep       step,
                                          const GDate *today);
gboolean    sp_request_step_ok           (SpRequest   *self,
                                          SpStep       step,
                                          const GDate *today);

/* Drafts: the fields as JSON, never a PIN, never a scan. */
char       *sp_request_to_draft          (SpRequest  *self);
gboolean    sp_request_load_draft        (SpRequest  *self,
                                          const char *json,
                                          GError    **error);

/* The issuance these fields describe (no verifier, id or time yet), and
 * the scans for the store (of SpStoreScan-compatible {kind, GBytes}). */
SpIssuance *sp_request_build_issuance    (SpRequest  *self);
SpPerson   *sp_request_build_person      (SpRequest  *self,
                                          const char *prefix);

/* Fills the fields of prefix ("citizen", "rep") the operator has not
 * typed from a registry record. */
void        sp_request_prefill_person    (SpRequest      *self,
                                          const char     *prefix,
                                          const SpPerson *person);

/* The Belfiore entry of a code (its latest validity period), or NULL. */
const SpBelfioreEntry *sp_place_by_code (const char *code);

/* Dates as the operator types them. */
gboolean    sp_parse_date                (const char *text,
                                          GDate      *date);
char       *sp_format_date               (const GDate *date);

G_END_DECLS
