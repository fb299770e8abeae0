/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "sp-applicant.h"

static GDate today, adult, minor, turns_18_tomorrow;

static void
assert_kinds (GArray      *list,
              const guint *expected,
              guint        n)
{
  g_assert_cmpuint (list->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (g_array_index (list, guint, i), ==, expected[i]);
  g_array_unref (list);
}

static void
test_attachments_per_role (void)
{
  const guint self[] = { SP_ATTACHMENT_MV35, SP_ATTACHMENT_DOCUMENT_FRONT, SP_ATTACHMENT_DOCUMENT_BACK };
  const guint self_passport[] = { SP_ATTACHMENT_MV35, SP_ATTACHMENT_DOCUMENT_FRONT };
  const guint parent[] = { SP_ATTACHMENT_MV35, SP_ATTACHMENT_DOCUMENT_FRONT, SP_ATTACHMENT_DOCUMENT_BACK,
                           SP_ATTACHMENT_PARENTAL_SELF_CERTIFICATION };
  const guint tutore[] = { SP_ATTACHMENT_MV35, SP_ATTACHMENT_DOCUMENT_FRONT, SP_ATTACHMENT_DOCUMENT_BACK,
                           SP_ATTACHMENT_DECLARATION_ART46 };

  assert_kinds (sp_applicant_required_attachments (SP_ROLE_SELF, TRUE), self, 3);
  assert_kinds (sp_applicant_required_attachments (SP_ROLE_SELF, FALSE), self_passport, 2);
  assert_kinds (sp_applicant_required_attachments (SP_ROLE_PARENT, TRUE), parent, 4);
  assert_kinds (sp_applicant_required_attachments (SP_ROLE_TUTORE, TRUE), tutore, 4);
  assert_kinds (sp_applicant_required_attachments (SP_ROLE_CURATORE, TRUE), tutore, 4);
  assert_kinds (sp_applicant_required_attachments (SP_ROLE_AMMINISTRATORE_SOSTEGNO, TRUE), tutore, 4);
  assert_kinds (sp_applicant_required_attachments (SP_ROLE_DELEGATO, TRUE), NULL, 0);
}

static void
test_delegate_refused (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (sp_applicant_check_role (SP_ROLE_DELEGATO, &adult, &today, &error));
  g_assert_error (error, SP_APPLICANT_ERROR, SP_APPLICANT_ERROR_DELEGATE_REFUSED);
  /* R6: the refusal names the alternatives. */
  g_assert_nonnull (strstr (error->message, "803 164"));
  g_assert_nonnull (strstr (error->message, "06 164164"));
  g_assert_nonnull (strstr (error->message, "SPID"));
}

static void
test_minor_rules (void)
{
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;

  g_assert_true (sp_applicant_check_role (SP_ROLE_SELF, &adult, &today, NULL));
  g_assert_false (sp_applicant_check_role (SP_ROLE_SELF, &minor, &today, &e1));
  g_assert_error (e1, SP_APPLICANT_ERROR, SP_APPLICANT_ERROR_MINOR_ALONE);
  g_assert_true (sp_applicant_check_role (SP_ROLE_PARENT, &minor, &today, NULL));
  g_assert_false (sp_applicant_check_role (SP_ROLE_PARENT, &adult, &today, &e2));
  g_assert_error (e2, SP_APPLICANT_ERROR, SP_APPLICANT_ERROR_NOT_A_MINOR);
  g_assert_true (sp_applicant_check_role (SP_ROLE_TUTORE, &minor, &today, NULL));
  g_assert_true (sp_applicant_check_role (SP_ROLE_AMMINISTRATORE_SOSTEGNO, &adult, &today, NULL));
  /* 18 tomorrow: still a minor today. */
  g_assert_cmpuint (sp_age_on (&turns_18_tomorrow, &today), ==, 17);
  g_assert_true (sp_applicant_check_role (SP_ROLE_PARENT, &turns_18_tomorrow, &today, NULL));
}

static void
test_strings (void)
{
  SpApplicantRole role;
  SpAttachmentKind kind;

  for (guint i = 0; i < SP_ROLE_N_ROLES; i++)
    {
      g_assert_true (sp_applicant_role_from_string (sp_applicant_role_to_string (i), &role));
      g_assert_cmpuint (role, ==, i);
    }
  for (guint i = 0; i < SP_ATTACHMENT_N_KINDS; i++)
    {
      g_assert_true (sp_attachment_kind_from_string (sp_attachment_kind_to_string (i), &kind));
      g_assert_cmpuint (kind, ==, i);
    }
  g_assert_cmpstr (sp_applicant_role_to_string (SP_ROLE_AMMINISTRATORE_SOSTEGNO), ==, "amministratore_di_sostegno");
  g_assert_false (sp_applicant_role_from_string ("friend", &role));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_date_set_dmy (&today, 22, 11, 2026);
  g_date_set_dmy (&adult, 1, 1, 1980);
  g_date_set_dmy (&minor, 5, 6, 2015);
  g_date_set_dmy (&turns_18_tomorrow, 23, 11, 2008);
  g_test_add_func ("/applicant/attachments", test_attachments_per_role);
  g_test_add_func ("/applicant/delegate-refused", test_delegate_refused);
  g_test_add_func ("/applicant/minor-rules", test_minor_rules);
  g_test_add_func ("/applicant/strings", test_strings);
  return g_test_run ();
}
