/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-applicant.h"
#include "sp-step-applicant.h"

struct _SpStepApplicant
{
  SpStepView parent_instance;

  GtkCheckButton *roles[SP_ROLE_N_ROLES];
  GtkWidget *refusal;       /* shown for a delegate */
  gboolean loading;
};

G_DEFINE_FINAL_TYPE (SpStepApplicant, sp_step_applicant, SP_TYPE_STEP_VIEW)

enum { REFUSED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *
role_description (SpApplicantRole role)
{
  switch (role)
    {
    case SP_ROLE_SELF: return _("Identity checked on the citizen's own document");
    case SP_ROLE_PARENT: return _("For a minor: the form is signed by the parent, with a self-certification of parental responsibility");
    case SP_ROLE_TUTORE:
    case SP_ROLE_CURATORE:
    case SP_ROLE_AMMINISTRATORE_SOSTEGNO:
      return _("The legal representative signs the form and declares the role under art. 46 DPR 445/2000");
    case SP_ROLE_DELEGATO: return _("Someone sent by the citizen: a PIN cannot be issued");
    case SP_ROLE_N_ROLES:
    default: return "";
    }
}

/* The refusal panel says why, once: the step's note stays quiet. */
static void
show_refusal (SpStepApplicant *self,
              gboolean         shown)
{
  gtk_widget_set_visible (self->refusal, shown);
  sp_step_view_set_quiet (SP_STEP_VIEW (self), SP_REQUEST_FIELD_ROLE, shown);
}

static void
on_toggled (SpStepApplicant *self,
            GtkCheckButton  *button)
{
  SpRequest *request = sp_step_view_get_request (SP_STEP_VIEW (self));

  if (self->loading || !gtk_check_button_get_active (button))
    return;
  for (guint i = 0; i < SP_ROLE_N_ROLES; i++)
    if (self->roles[i] == button)
      {
        sp_request_set_role (request, i);
        sp_step_view_touch (SP_STEP_VIEW (self), SP_REQUEST_FIELD_ROLE);
        show_refusal (self, i == SP_ROLE_DELEGATO);
      }
  sp_step_view_refresh (SP_STEP_VIEW (self), FALSE);
}

static void
on_refusal_recorded (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(SpStepApplicant) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sp_context_record_event_finish (SP_CONTEXT (source), result, &error))
    {
      sp_ui_show_message (sp_step_view_get_note (SP_STEP_VIEW (self)), error->message);
      return;
    }
  g_signal_emit (self, signals[REFUSED], 0);
}

static void
record_refusal (SpStepApplicant *self)
{
  SpRequest *request = sp_step_view_get_request (SP_STEP_VIEW (self));

  /* R5: the refusal is on record (the rule exists because of mass
   * requests by delegates); the case closes only once it is. */
  sp_context_record_event_async (sp_step_view_get_context (SP_STEP_VIEW (self)), "request.refused",
                                 sp_request_get_text (request, SP_REQUEST_FIELD_CITIZEN_CF),
                                 sp_applicant_role_to_string (SP_ROLE_DELEGATO), NULL,
                                 on_refusal_recorded, g_object_ref (self));
}

static void
load (SpStepView *view)
{
  SpStepApplicant *self = SP_STEP_APPLICANT (view);
  SpRequest *request = sp_step_view_get_request (view);
  SpApplicantRole role;
  gboolean chosen = sp_request_lookup_role (request, &role);

  self->loading = TRUE;
  for (guint i = 0; i < SP_ROLE_N_ROLES; i++)
    gtk_check_button_set_active (self->roles[i], chosen && role == i);
  show_refusal (self, chosen && role == SP_ROLE_DELEGATO);
  self->loading = FALSE;
}

/* The choice made, else the citizen in person (the usual case, valid
 * for anyone): never a choice that is invalid for this citizen. */
static gboolean
focus (SpStepView *view)
{
  SpStepApplicant *self = SP_STEP_APPLICANT (view);

  for (guint i = 0; i < SP_ROLE_N_ROLES; i++)
    if (gtk_check_button_get_active (self->roles[i]))
      return gtk_widget_grab_focus (GTK_WIDGET (self->roles[i]));
  return gtk_widget_grab_focus (GTK_WIDGET (self->roles[SP_ROLE_SELF]));
}

static void
sp_step_applicant_class_init (SpStepApplicantClass *klass)
{
  SP_STEP_VIEW_CLASS (klass)->load = load;
  SP_STEP_VIEW_CLASS (klass)->focus = focus;
  signals[REFUSED] = g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sp_step_applicant_init (SpStepApplicant *self)
{
}

static GtkWidget *
refusal_panel (SpStepApplicant *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *title = sp_ui_heading (_("A PIN Cannot Be Issued to a Delegate"));
  GtkWidget *why = gtk_label_new (_("The PIN is the citizen's digital identity: INPS issues it only "
                                    "after checking the citizen's identity in person (message 4590 of "
                                    "16-11-2016). Tell the person at the counter how the citizen can "
                                    "get one:"));
  GtkWidget *alternatives = gtk_label_new (sp_applicant_alternatives_text ());
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Record Refusal and Close"));

  gtk_label_set_wrap (GTK_LABEL (why), TRUE);
  gtk_label_set_xalign (GTK_LABEL (why), 0.0);
  gtk_label_set_wrap (GTK_LABEL (alternatives), TRUE);
  gtk_label_set_xalign (GTK_LABEL (alternatives), 0.0);
  gtk_label_set_selectable (GTK_LABEL (alternatives), TRUE);
  gtk_widget_add_css_class (button, "destructive-action");
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Records that a delegate was refused and closes this request"), -1);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (record_refusal), self);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), why);
  gtk_box_append (GTK_BOX (box), alternatives);
  gtk_box_append (GTK_BOX (box), button);
  gtk_widget_add_css_class (box, "card");
  gtk_widget_set_margin_top (box, 12);
  for (GtkWidget *c = gtk_widget_get_first_child (box); c; c = gtk_widget_get_next_sibling (c))
    {
      gtk_widget_set_margin_start (c, 12);
      gtk_widget_set_margin_end (c, 12);
    }
  gtk_widget_set_margin_bottom (button, 12);
  gtk_widget_set_visible (box, FALSE);
  return box;
}

SpStepView *
sp_step_applicant_new (SpApplication *app,
                       SpContext     *context,
                       SpRequest     *request)
{
  SpStepApplicant *self = g_object_new (SP_TYPE_STEP_APPLICANT, "context", context, NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *group = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  sp_step_view_setup (SP_STEP_VIEW (self), app, request, SP_REQUEST_STEP_APPLICANT, box);
  gtk_box_append (GTK_BOX (box), sp_ui_heading (_("Who is at the counter?")));
  gtk_accessible_update_property (GTK_ACCESSIBLE (group), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Who is at the counter?"), -1);
  for (guint i = 0; i < SP_ROLE_N_ROLES; i++)
    {
      GtkWidget *button = gtk_check_button_new_with_label (sp_applicant_role_label (i));
      GtkWidget *desc = gtk_label_new (role_description (i));

      self->roles[i] = GTK_CHECK_BUTTON (button);
      if (i > 0)
        gtk_check_button_set_group (self->roles[i], self->roles[0]);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      role_description (i), -1);
      gtk_label_set_wrap (GTK_LABEL (desc), TRUE);
      gtk_label_set_xalign (GTK_LABEL (desc), 0.0);
      gtk_widget_set_margin_start (desc, 28);
      gtk_widget_add_css_class (desc, "dim-label");
      gtk_widget_add_css_class (desc, "caption");
      gtk_box_append (GTK_BOX (group), button);
      gtk_box_append (GTK_BOX (group), desc);
      g_signal_connect_object (button, "toggled", G_CALLBACK (on_toggled), self, G_CONNECT_SWAPPED);
    }
  gtk_box_append (GTK_BOX (box), group);
  self->refusal = refusal_panel (self);
  gtk_box_append (GTK_BOX (box), self->refusal);
  return SP_STEP_VIEW (self);
}
