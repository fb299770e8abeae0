/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sp-applicant.h"
#include "sp-belfiore.h"
#include "sp-core-enums.h"
#include "sp-date.h"
#include "sp-document.h"
#include "sp-issuance.h"
#include "sp-request-field.h"

G_BEGIN_DECLS

/* The request being entered at the counter: the text of every field as
 * the operator typed it (so a draft keeps even what is not valid yet),
 * the applicant's role, the attestations and the scanned attachments.
 * Fields are named by SpRequestField; typed accessors read the role, the
 * document type, dates and attestations. Each step of the wizard asks it
 * what is wrong with its fields; the issuance is built from it at the
 * end. Domain only (no GTK), so the unit tests drive it. */

typedef enum {
  SP_REQUEST_STEP_CITIZEN,
  SP_REQUEST_STEP_APPLICANT,
  SP_REQUEST_STEP_PERSONAL,
  SP_REQUEST_STEP_DOCUMENT,
  SP_REQUEST_STEP_ATTACHMENTS,
  SP_REQUEST_STEP_SUMMARY,
  SP_REQUEST_STEP_ISSUE,
  SP_N_STEPS                  /*< skip >*/
} SpStep;

/* One thing wrong: the field it is about (SP_REQUEST_FIELD_NONE for a
 * missing attachment, which is then named) and why, in the operator's
 * words. */
typedef struct {
  SpRequestField field;
  SpAttachmentKind attachment;   /* SP_ATTACHMENT_N_KINDS unless a scan is missing */
  char *message;
} SpProblem;

void sp_problem_free (SpProblem *problem);

#define SP_TYPE_REQUEST (sp_request_get_type ())
G_DECLARE_FINAL_TYPE (SpRequest, sp_request, SP, REQUEST, GObject)

SpRequest  *sp_request_new               (void);
/* The field's text as typed, trimmed ("" when unset). */
const char *sp_request_get_text          (SpRequest      *self,
                                          SpRequestField  field);
void        sp_request_set_text          (SpRequest      *self,
                                          SpRequestField  field,
                                          const char     *text);
/* A date field read with sp_date_parse (SP_DATE_ANY): FALSE when it is
 * not a date (date cleared). */
gboolean    sp_request_get_date          (SpRequest      *self,
                                          SpRequestField  field,
                                          GDate          *date);
/* An attestation: ticked or not. */
gboolean    sp_request_get_flag          (SpRequest      *self,
                                          SpRequestField  field);
void        sp_request_set_flag          (SpRequest      *self,
                                          SpRequestField  field,
                                          gboolean        ticked);
/* Who is at the counter: FALSE while not chosen; get_role says SELF then. */
gboolean    sp_request_lookup_role       (SpRequest       *self,
                                          SpApplicantRole *role);
SpApplicantRole sp_request_get_role      (SpRequest       *self);
void        sp_request_set_role          (SpRequest       *self,
                                          SpApplicantRole  role);
/* The document shown: FALSE while not chosen; get says CIE then. */
gboolean    sp_request_lookup_document_type (SpRequest      *self,
                                             SpDocumentType *type);
SpDocumentType sp_request_get_document_type (SpRequest      *self);
void        sp_request_set_document_type (SpRequest      *self,
                                          SpDocumentType  type);
/* The wizard step the operator left the request at (a draft resumes there). */
SpStep      sp_request_get_wizard_step   (SpRequest      *self);
void        sp_request_set_wizard_step   (SpRequest      *self,
                                          SpStep          step);
gboolean    sp_request_is_empty          (SpRequest      *self);

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

/* Drafts: the fields as JSON {"citizen.cf": "…", …}, never a PIN, never
 * a scan. Loading ignores keys it does not know (a draft of a newer
 * version) and values that are not strings. */
char       *sp_request_to_draft          (SpRequest  *self);
gboolean    sp_request_load_draft        (SpRequest  *self,
                                          const char *json,
                                          GError    **error);

/* The issuance these fields describe (no verifier, id or time yet), and
 * one party's person. */
SpIssuance *sp_request_build_issuance    (SpRequest  *self);
SpPerson   *sp_request_build_person      (SpRequest  *self,
                                          SpParty     party);

/* Fills the fields of party the operator has not typed from a registry
 * record. */
void        sp_request_prefill_person    (SpRequest      *self,
                                          SpParty         party,
                                          const SpPerson *person);

/* The Belfiore entry of a code (its latest validity period), or NULL. */
const SpBelfioreEntry *sp_place_by_code (const char *code);

G_END_DECLS
