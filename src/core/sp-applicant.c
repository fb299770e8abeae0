/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sp-applicant.h"

G_DEFINE_QUARK (sp-applicant-error-quark, sp_applicant_error)

#define ADULT_AGE 18

static const struct {
  const char *id;
  const char *label;
} roles[SP_ROLE_N_ROLES] = {
  [SP_ROLE_SELF] = { "self", N_("The citizen in person") },
  [SP_ROLE_PARENT] = { "parent", N_("Parent of a minor") },
  [SP_ROLE_TUTORE] = { "tutore", N_("Tutore") },
  [SP_ROLE_CURATORE] = { "curatore", N_("Curatore") },
  [SP_ROLE_AMMINISTRATORE_SOSTEGNO] = { "amministratore_di_sostegno", N_("Amministratore di sostegno") },
  [SP_ROLE_DELEGATO] = { "delegato", N_("Delegate") },
};

static const struct {
  const char *id;
  const char *label;
} kinds[SP_ATTACHMENT_N_KINDS] = {
  [SP_ATTACHMENT_MV35] = { "mv35", N_("MV35 request form, signed") },
  [SP_ATTACHMENT_DOCUMENT_FRONT] = { "document_front", N_("Identity document, front") },
  [SP_ATTACHMENT_DOCUMENT_BACK] = { "document_back", N_("Identity document, back") },
  [SP_ATTACHMENT_DECLARATION_ART46] = { "declaration_art46", N_("Declaration of the role (art. 46 DPR 445/2000)") },
  [SP_ATTACHMENT_PARENTAL_SELF_CERTIFICATION] = { "parental_self_certification", N_("Self-certification of parental responsibility") },
};

const char *
sp_applicant_role_to_string (SpApplicantRole role)
{
  g_return_val_if_fail (role < SP_ROLE_N_ROLES, NULL);
  return roles[role].id;
}

gboolean
sp_applicant_role_from_string (const char      *text,
                               SpApplicantRole *role)
{
  for (guint i = 0; i < SP_ROLE_N_ROLES; i++)
    if (g_strcmp0 (text, roles[i].id) == 0)
      {
        *role = i;
        return TRUE;
      }
  return FALSE;
}

const char *
sp_applicant_role_label (SpApplicantRole role)
{
  g_return_val_if_fail (role < SP_ROLE_N_ROLES, NULL);
  return _(roles[role].label);
}

const char *
sp_attachment_kind_to_string (SpAttachmentKind kind)
{
  g_return_val_if_fail (kind < SP_ATTACHMENT_N_KINDS, NULL);
  return kinds[kind].id;
}

gboolean
sp_attachment_kind_from_string (const char       *text,
                                SpAttachmentKind *kind)
{
  for (guint i = 0; i < SP_ATTACHMENT_N_KINDS; i++)
    if (g_strcmp0 (text, kinds[i].id) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

const char *
sp_attachment_kind_label (SpAttachmentKind kind)
{
  g_return_val_if_fail (kind < SP_ATTACHMENT_N_KINDS, NULL);
  return _(kinds[kind].label);
}

guint
sp_age_on (const GDate *birth_date,
           const GDate *today)
{
  guint age;

  g_return_val_if_fail (g_date_valid (birth_date) && g_date_valid (today), 0);

  if (g_date_compare (birth_date, today) > 0)
    return 0;
  age = g_date_get_year (today) - g_date_get_year (birth_date);
  /* Not yet had this year's birthday (someone born on 29 February
   * has it on 1 March in other years). */
  if (g_date_get_month (today) < g_date_get_month (birth_date)
      || (g_date_get_month (today) == g_date_get_month (birth_date)
          && g_date_get_day (today) < g_date_get_day (birth_date)))
    age--;
  return age;
}

const char *
sp_applicant_alternatives_text (void)
{
  return _("The PIN can also be requested online on the INPS portal, by calling "
           "the Contact Center (803 164 free from landlines, 06 164164 from mobiles), "
           "or replaced by a SPID digital identity from any accredited provider.");
}

gboolean
sp_applicant_check_role (SpApplicantRole role,
                         const GDate    *beneficiary_birth_date,
                         const GDate    *today,
                         GError        **error)
{
  gboolean minor;

  g_return_val_if_fail (role < SP_ROLE_N_ROLES, FALSE);
  g_return_val_if_fail (today != NULL && g_date_valid (today), FALSE);

  if (role == SP_ROLE_DELEGATO)
    {
      /* R5: the PIN is the person's digital identity. */
      g_set_error (error, SP_APPLICANT_ERROR, SP_APPLICANT_ERROR_DELEGATE_REFUSED,
                   "%s %s",
                   _("A PIN cannot be issued to a delegate: it is the citizen's digital "
                     "identity and is given only after checking the citizen's identity in person."),
                   sp_applicant_alternatives_text ());
      return FALSE;
    }
  if (beneficiary_birth_date == NULL || !g_date_valid (beneficiary_birth_date))
    return TRUE;   /* nothing to check yet: the data step asks for it */

  minor = sp_age_on (beneficiary_birth_date, today) < ADULT_AGE;
  if (role == SP_ROLE_SELF && minor)
    {
      g_set_error_literal (error, SP_APPLICANT_ERROR, SP_APPLICANT_ERROR_MINOR_ALONE,
                           _("The citizen is under 18: a parent or the tutore must make the request."));
      return FALSE;
    }
  if (role == SP_ROLE_PARENT && !minor)
    {
      g_set_error_literal (error, SP_APPLICANT_ERROR, SP_APPLICANT_ERROR_NOT_A_MINOR,
                           _("The citizen is 18 or older: a parent can request only for a minor."));
      return FALSE;
    }
  return TRUE;
}

GArray *
sp_applicant_required_attachments (SpApplicantRole role,
                                   gboolean        document_has_back)
{
  GArray *list = g_array_new (FALSE, FALSE, sizeof (guint));
  guint kind;

  g_return_val_if_fail (role < SP_ROLE_N_ROLES, list);

  if (role == SP_ROLE_DELEGATO)
    return list;

  kind = SP_ATTACHMENT_MV35;
  g_array_append_val (list, kind);
  kind = SP_ATTACHMENT_DOCUMENT_FRONT;
  g_array_append_val (list, kind);
  if (document_has_back)
    {
      kind = SP_ATTACHMENT_DOCUMENT_BACK;
      g_array_append_val (list, kind);
    }
  switch (role)
    {
    case SP_ROLE_PARENT:
      kind = SP_ATTACHMENT_PARENTAL_SELF_CERTIFICATION;
      g_array_append_val (list, kind);
      break;
    case SP_ROLE_TUTORE:
    case SP_ROLE_CURATORE:
    case SP_ROLE_AMMINISTRATORE_SOSTEGNO:
      kind = SP_ATTACHMENT_DECLARATION_ART46;
      g_array_append_val (list, kind);
      break;
    case SP_ROLE_SELF:
    case SP_ROLE_DELEGATO:
    case SP_ROLE_N_ROLES:
    default:
      break;
    }
  return list;
}

gboolean
sp_applicant_role_needs_representative (SpApplicantRole role)
{
  return role != SP_ROLE_SELF && role != SP_ROLE_DELEGATO;
}
