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

  GtkWidget *content;     /* the template's page, given to sp_step_view_setup */
  GtkBox *details;        /* the request's groups, rebuilt on each arrival */
  GtkCheckButton *attest_original;
  GtkCheckButton *attest_intact;
  GtkCheckButton *attest_in_date;
  GtkCheckButton *attest_photo_signature;
  GtkCheckButton *attest_state_issued;
  GtkCheckButton *attest_matches_photo;
  GtkCheckButton *attest_privacy;
};

G_DEFINE_FINAL_TYPE (SpStepSummary, sp_step_summary, SP_TYPE_STEP_VIEW)

/* The attestation each check button of the template records. */
static const struct {
  SpRequestField field;
  gsize offset;
} attestations[] = {
  { SP_REQUEST_FIELD_ATTEST_ORIGINAL, G_STRUCT_OFFSET (SpStepSummary, attest_original) },
  { SP_REQUEST_FIELD_ATTEST_INTACT, G_STRUCT_OFFSET (SpStepSummary, attest_intact) },
  { SP_REQUEST_FIELD_ATTEST_IN_DATE, G_STRUCT_OFFSET (SpStepSummary, attest_in_date) },
  { SP_REQUEST_FIELD_ATTEST_PHOTO_SIGNATURE, G_STRUCT_OFFSET (SpStepSummary, attest_photo_signature) },
  { SP_REQUEST_FIELD_ATTEST_STATE_ISSUED, G_STRUCT_OFFSET (SpStepSummary, attest_state_issued) },
  { SP_REQUEST_FIELD_ATTEST_MATCHES_PHOTO, G_STRUCT_OFFSET (SpStepSummary, attest_matches_photo) },
  { SP_REQUEST_FIELD_ATTEST_PRIVACY, G_STRUCT_OFFSET (SpStepSummary, attest_privacy) },
};

static GtkCheckButton *
attest_button (SpStepSummary *self,
               guint          i)
{
  return G_STRUCT_MEMBER (GtkCheckButton *, self, attestations[i].offset);
}

static const char *
field (SpRequest     *r,
       SpParty        party,
       SpPersonField  name)
{
  return sp_request_get_text (r, sp_request_field_of (party, name));
}

/* A property row: what (dim, small) above its value, as GNOME's
 * property rows; a value left empty says so rather than showing blank. */
static void
add_property (AdwPreferencesGroup *group,
              const char          *title,
              const char          *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value && *value ? value : _("Not given"));
  gtk_widget_add_css_class (row, "property");
  gtk_widget_set_focusable (row, FALSE);
  adw_preferences_group_add (group, row);
}

static AdwPreferencesGroup *
add_group (SpStepSummary *self,
           const char    *title)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  gtk_box_append (self->details, group);
  return ADW_PREFERENCES_GROUP (group);
}

static void
add_person (SpStepSummary *self,
            const char    *title,
            SpRequest     *r,
            SpParty        party)
{
  AdwPreferencesGroup *group = add_group (self, title);
  const SpBelfioreEntry *place = sp_place_by_code (field (r, party, SP_PERSON_FIELD_BIRTH_PLACE));
  g_autofree char *name = g_strdup_printf ("%s %s", field (r, party, SP_PERSON_FIELD_SURNAME),
                                           field (r, party, SP_PERSON_FIELD_NAME));
  g_autofree char *born = g_strdup_printf (_("%s in %s"), field (r, party, SP_PERSON_FIELD_BIRTH_DATE),
                                           place ? place->name : "?");
  g_autofree char *residence = NULL;

  if (*field (r, party, SP_PERSON_FIELD_STREET))
    residence = g_strdup_printf ("%s, %s %s", field (r, party, SP_PERSON_FIELD_STREET),
                                 field (r, party, SP_PERSON_FIELD_POSTCODE), field (r, party, SP_PERSON_FIELD_CITY));
  add_property (group, _("Surname and name"), name);
  add_property (group, _("Codice fiscale"), field (r, party, SP_PERSON_FIELD_CF));
  add_property (group, _("Born"), born);
  if (residence)
    add_property (group, _("Residence"), residence);
}

static void
add_document (SpStepSummary *self,
              SpRequest     *r)
{
  AdwPreferencesGroup *group = add_group (self, _("Identity Document"));

  add_property (group, _("Type"), sp_document_type_label (sp_request_get_document_type (r)));
  add_property (group, _("Number"), sp_request_get_text (r, SP_REQUEST_FIELD_DOC_NUMBER));
  add_property (group, _("Issued by"), sp_request_get_text (r, SP_REQUEST_FIELD_DOC_ISSUER));
  add_property (group, _("Expires"), sp_request_get_text (r, SP_REQUEST_FIELD_DOC_EXPIRES_ON));
}

static void
add_attachments (SpStepSummary *self,
                 SpRequest     *r)
{
  AdwPreferencesGroup *group = add_group (self, _("Attachments"));
  g_autoptr(GArray) kinds = sp_request_required_attachments (r);

  for (guint i = 0; i < kinds->len; i++)
    {
      guint pages = 0;
      SpAttachmentKind kind = g_array_index (kinds, guint, i);
      g_autofree char *text = NULL;

      if (sp_request_get_attachment (r, kind, &pages))
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u page", "%u pages", pages), pages);
      add_property (group, sp_attachment_kind_label (kind), text ? text : _("missing"));
    }
}

static void
enter (SpStepView *view)
{
  SpStepSummary *self = SP_STEP_SUMMARY (view);
  SpRequest *r = sp_step_view_get_request (view);
  SpApplicantRole role = sp_request_get_role (r);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->details))) != NULL)
    gtk_box_remove (self->details, child);
  add_person (self, _("PIN Dispositivo For"), r, SP_PARTY_CITIZEN);
  add_property (add_group (self, _("Requested By")), _("Who is at the counter"), sp_applicant_role_label (role));
  if (sp_applicant_role_needs_representative (role))
    add_person (self, _("The Person at the Counter"), r, SP_PARTY_REPRESENTATIVE);
  add_document (self, r);
  add_attachments (self, r);
}

static void
on_check (SpStepSummary  *self,
          GtkCheckButton *button)
{
  if (sp_step_view_is_loading (SP_STEP_VIEW (self)))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (attestations); i++)
    if (attest_button (self, i) == button)
      sp_request_set_flag (sp_step_view_get_request (SP_STEP_VIEW (self)), attestations[i].field,
                           gtk_check_button_get_active (button));
  sp_step_view_refresh (SP_STEP_VIEW (self), FALSE);
}

static void
load (SpStepView *view)
{
  SpStepSummary *self = SP_STEP_SUMMARY (view);

  for (guint i = 0; i < G_N_ELEMENTS (attestations); i++)
    gtk_check_button_set_active (attest_button (self, i),
                                 sp_request_get_flag (sp_step_view_get_request (view), attestations[i].field));
}

static void
sp_step_summary_class_init (SpStepSummaryClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  SP_STEP_VIEW_CLASS (klass)->enter = enter;
  SP_STEP_VIEW_CLASS (klass)->load = load;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sportellopin/SportelloPin/sp-step-summary.ui");
  gtk_widget_class_bind_template_child (widget_class, SpStepSummary, content);
  gtk_widget_class_bind_template_child (widget_class, SpStepSummary, details);
  gtk_widget_class_bind_template_child (widget_class, SpStepSummary, attest_original);
  gtk_widget_class_bind_template_child (widget_class, SpStepSummary, attest_intact);
  gtk_widget_class_bind_template_child (widget_class, SpStepSummary, attest_in_date);
  gtk_widget_class_bind_template_child (widget_class, SpStepSummary, attest_photo_signature);
  gtk_widget_class_bind_template_child (widget_class, SpStepSummary, attest_state_issued);
  gtk_widget_class_bind_template_child (widget_class, SpStepSummary, attest_matches_photo);
  gtk_widget_class_bind_template_child (widget_class, SpStepSummary, attest_privacy);
  gtk_widget_class_bind_template_callback (widget_class, on_check);
}

static void
sp_step_summary_init (SpStepSummary *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SpStepView *
sp_step_summary_new (SpApplication *app,
                     SpContext     *context,
                     SpRequest     *request)
{
  SpStepSummary *self = g_object_new (SP_TYPE_STEP_SUMMARY, "context", context, NULL);

  sp_step_view_setup (SP_STEP_VIEW (self), app, request, SP_REQUEST_STEP_SUMMARY, self->content);
  return SP_STEP_VIEW (self);
}
