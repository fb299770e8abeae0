/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Who stands at the counter (R3–R5). The string forms are the API's. */
typedef enum {
  SP_ROLE_SELF,                    /* "self" */
  SP_ROLE_PARENT,                  /* "parent": for a minor (R4) */
  SP_ROLE_TUTORE,                  /* "tutore" (R3) */
  SP_ROLE_CURATORE,                /* "curatore" (R3) */
  SP_ROLE_AMMINISTRATORE_SOSTEGNO, /* "amministratore_di_sostegno" (R3) */
  SP_ROLE_DELEGATO,                /* "delegato": always refused (R5) */
  SP_ROLE_N_ROLES
} SpApplicantRole;

/* The scans archived with an issuance (R1, R3, R4). */
typedef enum {
  SP_ATTACHMENT_MV35,              /* "mv35": the signed request form */
  SP_ATTACHMENT_DOCUMENT_FRONT,    /* "document_front" */
  SP_ATTACHMENT_DOCUMENT_BACK,     /* "document_back" */
  SP_ATTACHMENT_DECLARATION_ART46, /* "declaration_art46": DPR 445/2000 art. 46 */
  SP_ATTACHMENT_PARENTAL_SELF_CERTIFICATION, /* "parental_self_certification" */
  SP_ATTACHMENT_N_KINDS
} SpAttachmentKind;

const char *sp_applicant_role_to_string    (SpApplicantRole  role);
gboolean    sp_applicant_role_from_string  (const char      *text,
                                            SpApplicantRole *role);
const char *sp_applicant_role_label        (SpApplicantRole  role);   /* translated */
const char *sp_attachment_kind_to_string   (SpAttachmentKind kind);
gboolean    sp_attachment_kind_from_string (const char       *text,
                                            SpAttachmentKind *kind);
const char *sp_attachment_kind_label       (SpAttachmentKind kind);  /* translated */


#define SP_APPLICANT_ERROR (sp_applicant_error_quark ())
typedef enum {
  SP_APPLICANT_ERROR_DELEGATE_REFUSED,   /* R5: message explains and lists R6's channels */
  SP_APPLICANT_ERROR_MINOR_ALONE,        /* beneficiary under 18 asking for himself */
  SP_APPLICANT_ERROR_NOT_A_MINOR,        /* "parent" for a beneficiary of 18 or more */
  SP_APPLICANT_ERROR_REPRESENTATIVE_MISSING, /* role needs the representative's data */
} SpApplicantError;
GQuark sp_applicant_error_quark (void);

/* Whether role may request for a beneficiary born on birth_date, on today. */
gboolean sp_applicant_check_role (SpApplicantRole role,
                                  const GDate    *beneficiary_birth_date,
                                  const GDate    *today,
                                  GError        **error);
/* The attachments the role requires, in the order the operator scans them,
 * for the document type shown by whoever is at the counter: an array of
 * SpAttachmentKind (guint). Empty for SP_ROLE_DELEGATO. */
GArray  *sp_applicant_required_attachments (SpApplicantRole role,
                                            gboolean        document_has_back);
/* Whole years between birth_date and today. */
guint    sp_age_on (const GDate *birth_date,
                    const GDate *today);
/* TRUE when the person at the counter is not the citizen (R3, R4). */
gboolean sp_applicant_role_needs_representative (SpApplicantRole role);
/* R6, translated: where to send whoever cannot be served at the counter. */
const char *sp_applicant_alternatives_text (void);

G_END_DECLS
