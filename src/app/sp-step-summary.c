/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-applicant.h"
#include "sp-belfiore.h"
#include "sp-document.h"
#include "sp-step-summary.h"

struct _SpStepSummary
{
  SpStepView parent_instance;

  GtkLabel *summary;
  GPtrArray *checks;    /* GtkCheckButton, its SpRequestField in "sp-field" */
};

G_DEFINE_FINAL_TYPE (SpStepSummary, sp_step_summary, SP_TYPE_STEP_VIEW)

static const struct {
  SpRequestField field;
  const char *label;
} attestations[] = {
  { SP_REQUEST_FIELD_ATTEST_ORIGINAL, N_("The identity document was shown in original") },
  { SP_REQUEST_FIELD_ATTEST_INTACT, N_("The document is intact and legible") },
  { SP_REQUEST_FIELD_ATTEST_IN_DATE, N_("The document is in date") },
  { SP_REQUEST_FIELD_ATTEST_PHOTO_SIGNATURE, N_("The document bears a photo and a signature") },
  { SP_REQUEST_FIELD_ATTEST_STATE_ISSUED, N_("The document was issued by a State administration") },
  { SP_REQUEST_FIELD_ATTEST_MATCHES_PHOTO, N_("The person at the counter matches the photo") },
  { SP_REQUEST_FIELD_ATTEST_PRIVACY, N_("The privacy notice (GDPR art. 13) was given; it is printed on the receipt") },
};

static const char *
field (SpRequest     *r,
       SpParty        party,
       SpPersonField  name)
{
  return sp_request_get_text (r, sp_request_field_of (party, name));
}

static void
append_person (GString   *s,
               SpRequest *r,
               SpParty    party)
{
  const SpBelfioreEntry *place = sp_place_by_code (field (r, party, SP_PERSON_FIELD_BIRTH_PLACE));

  g_string_append_printf (s, "%s %s, %s\n", field (r, party, SP_PERSON_FIELD_SURNAME),
                          field (r, party, SP_PERSON_FIELD_NAME), field (r, party, SP_PERSON_FIELD_CF));
  g_string_append_printf (s, _("Born %s in %s"), field (r, party, SP_PERSON_FIELD_BIRTH_DATE),
                          place ? place->name : "?");
  g_string_append_c (s, '\n');
  if (*field (r, party, SP_PERSON_FIELD_STREET))
    {
      g_string_append_printf (s, _("Resident in %s"), field (r, party, SP_PERSON_FIELD_STREET));
      g_string_append_printf (s, ", %s %s\n", field (r, party, SP_PERSON_FIELD_POSTCODE),
                              field (r, party, SP_PERSON_FIELD_CITY));
    }
}

static void
enter (SpStepView *view)
{
  SpStepSummary *self = SP_STEP_SUMMARY (view);
  SpRequest *r = sp_step_view_get_request (view);
  SpApplicantRole role = sp_request_get_role (r);
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GArray) kinds = sp_request_required_attachments (r);

  g_string_append_printf (s, "%s\n", _("PIN dispositivo for:"));
  append_person (s, r, SP_PARTY_CITIZEN);
  g_string_append_printf (s, "\n%s %s\n", _("Requested by:"), sp_applicant_role_label (role));
  if (sp_applicant_role_needs_representative (role))
    append_person (s, r, SP_PARTY_REPRESENTATIVE);
  g_string_append_printf (s, "\n%s %s %s, %s %s, %s %s\n", _("Document:"),
                          sp_document_type_label (sp_request_get_document_type (r)),
                          sp_request_get_text (r, SP_REQUEST_FIELD_DOC_NUMBER), _("issued by"),
                          sp_request_get_text (r, SP_REQUEST_FIELD_DOC_ISSUER), _("expires"),
                          sp_request_get_text (r, SP_REQUEST_FIELD_DOC_EXPIRES_ON));
  g_string_append_printf (s, "\n%s", _("Attachments:"));
  for (guint i = 0; i < kinds->len; i++)
    {
      guint pages = 0;
      SpAttachmentKind kind = g_array_index (kinds, guint, i);
      GBytes *pdf = sp_request_get_attachment (r, kind, &pages);

      g_string_append_printf (s, "\n • %s: ", sp_attachment_kind_label (kind));
      if (pdf)
        g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "%u page", "%u pages", pages), pages);
      else
        g_string_append (s, _("missing"));
    }
  gtk_label_set_text (self->summary, s->str);
}

static void
on_check (SpStepSummary  *self,
          GtkCheckButton *button)
{
  SpRequestField key = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "sp-field"));

  if (sp_step_view_is_loading (SP_STEP_VIEW (self)))
    return;
  sp_request_set_flag (sp_step_view_get_request (SP_STEP_VIEW (self)), key,
                       gtk_check_button_get_active (button));
  sp_step_view_refresh (SP_STEP_VIEW (self), FALSE);
}

static void
load (SpStepView *view)
{
  SpStepSummary *self = SP_STEP_SUMMARY (view);

  for (guint i = 0; i < self->checks->len; i++)
    {
      GtkCheckButton *b = g_ptr_array_index (self->checks, i);
      SpRequestField key = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (b), "sp-field"));

      gtk_check_button_set_active (b, sp_request_get_flag (sp_step_view_get_request (view), key));
    }
}

static void
sp_step_summary_finalize (GObject *object)
{
  g_ptr_array_unref (SP_STEP_SUMMARY (object)->checks);
  G_OBJECT_CLASS (sp_step_summary_parent_class)->finalize (object);
}

static void
sp_step_summary_class_init (SpStepSummaryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sp_step_summary_finalize;
  SP_STEP_VIEW_CLASS (klass)->enter = enter;
  SP_STEP_VIEW_CLASS (klass)->load = load;
}

static void
sp_step_summary_init (SpStepSummary *self)
{
  self->checks = g_ptr_array_new ();
}

SpStepView *
sp_step_summary_new (SpApplication *app,
                     SpContext     *context,
                     SpRequest     *request)
{
  SpStepSummary *self = g_object_new (SP_TYPE_STEP_SUMMARY, "context", context, NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  sp_step_view_setup (SP_STEP_VIEW (self), app, request, SP_REQUEST_STEP_SUMMARY, box);
  gtk_box_append (GTK_BOX (box), sp_ui_heading (_("Summary")));
  self->summary = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->summary, TRUE);
  gtk_label_set_xalign (self->summary, 0.0);
  gtk_label_set_selectable (self->summary, TRUE);
  gtk_widget_set_margin_start (GTK_WIDGET (self->summary), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->summary), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->summary), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->summary), 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->summary), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Summary of the request"), -1);
  gtk_widget_add_css_class (card, "card");
  gtk_box_append (GTK_BOX (card), GTK_WIDGET (self->summary));
  gtk_box_append (GTK_BOX (box), card);
  gtk_box_append (GTK_BOX (box), sp_ui_heading (_("I Attest That")));
  for (guint i = 0; i < G_N_ELEMENTS (attestations); i++)
    {
      GtkWidget *b = gtk_check_button_new_with_label (_(attestations[i].label));

      g_object_set_data (G_OBJECT (b), "sp-field", GUINT_TO_POINTER (attestations[i].field));
      g_ptr_array_add (self->checks, b);
      g_signal_connect_object (b, "toggled", G_CALLBACK (on_check), self, G_CONNECT_SWAPPED);
      gtk_box_append (GTK_BOX (box), b);
    }
  return SP_STEP_VIEW (self);
}
