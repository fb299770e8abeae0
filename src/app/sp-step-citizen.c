/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-codice-fiscale.h"
#include "sp-step-citizen.h"
#include "sp-ui.h"

struct _SpStepCitizen
{
  SpStepView parent_instance;

  GtkLabel *identity;      /* the registry's person, to confirm at the counter */
  GtkLabel *status;        /* what the cache and central say */
  GtkSpinner *spinner;
  GCancellable *lookup;
  char *looked_up;         /* the code last asked about */
};

G_DEFINE_FINAL_TYPE (SpStepCitizen, sp_step_citizen, SP_TYPE_STEP_VIEW)

static void
set_status (SpStepCitizen *self,
            const char    *text)
{
  gtk_label_set_text (self->status, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status), text != NULL);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
}

static void
set_identity (SpStepCitizen  *self,
              const SpPerson *person)
{
  g_autofree char *text = person ? sp_ui_identity_text (person) : NULL;

  gtk_label_set_text (self->identity, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->identity), text != NULL);
}

static char *
credentials_text (JsonObject *citizen)
{
  JsonObject *cred = json_object_has_member (citizen, "credentials")
                     ? json_object_get_object_member (citizen, "credentials") : NULL;
  JsonNode *active = cred ? json_object_get_member (cred, "active_pin") : NULL;
  GString *s = g_string_new (NULL);

  if (active && JSON_NODE_HOLDS_OBJECT (active))
    {
      JsonObject *a = json_node_get_object (active);
      g_autoptr(GDateTime) at = sp_datetime_parse_iso (
        json_object_get_string_member_with_default (a, "issued_at", ""));
      g_autoptr(GDateTime) local = at ? g_date_time_to_local (at) : NULL;
      g_autofree char *when = local ? g_date_time_format (local, "%x %H:%M") : g_strdup ("?");

      g_string_append_printf (s, _("Has an active PIN dispositivo, issued on %s by sede %s: "
                                   "a new PIN will supersede it."),
                              when, json_object_get_string_member_with_default (a, "sede", "?"));
    }
  else
    g_string_append (s, _("Has no active PIN."));
  if (cred && json_object_get_boolean_member_with_default (cred, "locked", FALSE))
    g_string_append_printf (s, "\n%s", _("The PIN is locked after too many wrong attempts."));
  if (cred && json_object_has_member (cred, "pending_requests")
      && json_array_get_length (json_object_get_array_member (cred, "pending_requests")) > 0)
    g_string_append_printf (s, "\n%s", _("There are pending requests from other channels."));
  if (cred && json_object_has_member (cred, "simplified_to_regularize")
      && json_array_get_length (json_object_get_array_member (cred, "simplified_to_regularize")) > 0)
    g_string_append_printf (s, "\n%s", _("Has simplified credentials to regularize: "
                                         "this identity check regularizes them."));
  return g_string_free (s, FALSE);
}

static void
on_citizen (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SpStepCitizen) self = user_data;
  SpRequest *request = sp_step_view_get_request (SP_STEP_VIEW (self));
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCitizenLookup) found = sp_context_look_up_citizen_finish (SP_CONTEXT (source), result, &error);
  g_autofree char *text = NULL;

  if (found == NULL)
    return;   /* cancelled: another code was typed */
  /* Central's data when it answered (and now cached), else the cache's. */
  if (found->person)
    sp_request_prefill_person (request, SP_PARTY_CITIZEN, found->person);
  set_identity (self, found->person);
  if (found->record)
    text = credentials_text (found->record);
  else if (g_error_matches (found->central_error, SP_SYNC_ERROR, SP_SYNC_ERROR_NOT_FOUND))
    text = g_strdup (_("Not in the registry: type the personal data at the next steps."));
  else
    {
      /* The engine's words ("central unreachable: …") are for the debug
       * log; the operator reads what it means for the request. */
      g_debug ("lookup at central: %s", found->central_error->message);
      text = g_strdup (_("Central cannot be reached now: the data below come from this workstation's cache."));
    }
  set_status (self, text);
}

static void
look_up (SpStepCitizen *self,
         const char    *cf)
{
  if (g_strcmp0 (self->looked_up, cf) == 0)
    return;
  g_free (self->looked_up);
  self->looked_up = g_strdup (cf);
  g_cancellable_cancel (self->lookup);
  g_clear_object (&self->lookup);
  self->lookup = g_cancellable_new ();
  gtk_label_set_text (self->status, _("Asking central…"));
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_set_spinning (self->spinner, TRUE);
  sp_context_look_up_citizen_async (sp_step_view_get_context (SP_STEP_VIEW (self)), cf, self->lookup,
                                    on_citizen, g_object_ref (self));
}

static void
on_changed (SpStepCitizen  *self,
            SpRequestField  field,
            SpRequest      *request)
{
  g_autofree char *normalized = NULL;

  if (field != SP_REQUEST_FIELD_CITIZEN_CF)
    return;
  if (sp_cf_validate (sp_request_get_text (request, field), &normalized, NULL))
    look_up (self, normalized);
  else
    {
      set_status (self, NULL);
      set_identity (self, NULL);
    }
}

static void
sp_step_citizen_dispose (GObject *object)
{
  SpStepCitizen *self = SP_STEP_CITIZEN (object);

  g_cancellable_cancel (self->lookup);
  g_clear_object (&self->lookup);
  g_clear_pointer (&self->looked_up, g_free);
  G_OBJECT_CLASS (sp_step_citizen_parent_class)->dispose (object);
}

static void
sp_step_citizen_class_init (SpStepCitizenClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sp_step_citizen_dispose;
}

static void
sp_step_citizen_init (SpStepCitizen *self)
{
}

SpStepView *
sp_step_citizen_new (SpApplication *app,
                     SpContext     *context,
                     SpRequest     *request)
{
  SpStepCitizen *self = g_object_new (SP_TYPE_STEP_CITIZEN, "context", context, NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *status_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkGrid *grid = sp_step_view_new_grid ();
  GtkWidget *intro = gtk_label_new (_("Type the citizen's codice fiscale, or read it from the "
                                      "Tessera Sanitaria with the barcode reader."));
  SpField *cf;
  int row = 0;

  sp_step_view_setup (SP_STEP_VIEW (self), app, request, SP_REQUEST_STEP_CITIZEN, box);
  gtk_label_set_wrap (GTK_LABEL (intro), TRUE);
  gtk_label_set_xalign (GTK_LABEL (intro), 0.0);
  cf = sp_step_view_add_entry (SP_STEP_VIEW (self), SP_REQUEST_FIELD_CITIZEN_CF, grid, &row, _("_Codice fiscale"),
                               _("16 characters, or 11 digits for a provisional code"));
  gtk_entry_set_max_length (GTK_ENTRY (cf->widget), 16);
  gtk_entry_set_input_hints (GTK_ENTRY (cf->widget), GTK_INPUT_HINT_UPPERCASE_CHARS | GTK_INPUT_HINT_NO_SPELLCHECK);
  gtk_widget_add_css_class (cf->widget, "monospace");
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->status, TRUE);
  gtk_label_set_xalign (self->status, 0.0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->status), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Credential status"), -1);
  gtk_widget_set_visible (GTK_WIDGET (self->status), FALSE);
  self->identity = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->identity, TRUE);
  gtk_label_set_xalign (self->identity, 0.0);
  gtk_label_set_selectable (self->identity, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->identity), "title-4");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->identity), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("The citizen in the registry"), -1);
  gtk_widget_set_visible (GTK_WIDGET (self->identity), FALSE);
  gtk_box_append (GTK_BOX (status_box), GTK_WIDGET (self->spinner));
  gtk_box_append (GTK_BOX (status_box), GTK_WIDGET (self->status));
  gtk_box_append (GTK_BOX (box), intro);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (grid));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->identity));
  gtk_box_append (GTK_BOX (box), status_box);
  g_signal_connect_object (request, "changed", G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
  return SP_STEP_VIEW (self);
}
