/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-applicant.h"
#include "sp-belfiore.h"
#include "sp-codice-fiscale.h"
#include "sp-step-personal.h"
#include "sp-text.h"

struct _SpStepPersonal
{
  SpStepView parent_instance;

  GCancellable *lookup;      /* the representative's registry record */
  char *looked_up;

  GtkWidget *rep_box;        /* the representative's section */
  GtkWidget *rep_heading;
};

G_DEFINE_FINAL_TYPE (SpStepPersonal, sp_step_personal, SP_TYPE_STEP_VIEW)

/* ---- birth place: a name typed, a Belfiore code kept ---- */

static char *
place_label (const SpBelfioreEntry *e)
{
  return *e->province ? g_strdup_printf ("%s (%s)", e->name, e->province) : g_strdup (e->name);
}

/* The code a typed place means: "Roma", "Roma (RM)" or "H501". */
static const char *
resolve_place (const char  *text,
               const GDate *born)
{
  g_autofree char *name = g_strstrip (g_strdup (text));
  g_autofree char *folded = NULL;
  g_autoptr(GPtrArray) found = NULL;
  char *paren;
  const char *code = NULL;

  if (strlen (name) == 4)
    {
      g_autofree char *up = g_ascii_strup (name, -1);
      const SpBelfioreEntry *e = sp_place_by_code (up);

      if (e != NULL)
        return e->code;
    }
  if ((paren = strrchr (name, '(')) != NULL)
    *paren = '\0';
  g_strstrip (name);
  if (*name == '\0')
    return NULL;
  folded = sp_text_fold (name);
  found = sp_belfiore_search_prefix (name, born, 50);
  for (guint i = 0; i < found->len && code == NULL; i++)
    {
      const SpBelfioreEntry *e = g_ptr_array_index (found, i);
      g_autofree char *f = sp_text_fold (e->name);

      if (g_str_equal (f, folded))
        code = e->code;
    }
  return code;
}

static void
fill_completion (GtkEntryCompletion *completion,
                 const char         *text)
{
  GtkListStore *store = GTK_LIST_STORE (gtk_entry_completion_get_model (completion));
  g_autoptr(GPtrArray) found = strlen (text) >= 2 ? sp_belfiore_search_prefix (text, NULL, 12) : NULL;

  gtk_list_store_clear (store);
  for (guint i = 0; found && i < found->len; i++)
    {
      g_autofree char *label = place_label (g_ptr_array_index (found, i));
      GtkTreeIter iter;

      gtk_list_store_append (store, &iter);
      gtk_list_store_set (store, &iter, 0, label, -1);
    }
}

static void
on_place_changed (SpStepPersonal *self,
                  GtkEditable    *entry)
{
  SpRequest *request = sp_step_view_get_request (SP_STEP_VIEW (self));
  SpParty party = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (entry), "sp-party"));
  SpRequestField key = sp_request_field_of (party, SP_PERSON_FIELD_BIRTH_PLACE);
  const char *text = gtk_editable_get_text (entry);
  const char *code;
  GDate born;

  if (sp_step_view_is_loading (SP_STEP_VIEW (self)))
    return;
  fill_completion (gtk_entry_get_completion (GTK_ENTRY (entry)), text);
  sp_request_get_date (request, sp_request_field_of (party, SP_PERSON_FIELD_BIRTH_DATE), &born);
  code = resolve_place (text, g_date_valid (&born) ? &born : NULL);
  if (code == NULL)
    code = resolve_place (text, NULL);   /* known, but not then: the check says so */
  sp_request_set_text (request, sp_request_field_of (party, SP_PERSON_FIELD_BIRTH_PLACE_NAME), text);
  /* Something typed that names no place is kept as such, to be refused. */
  sp_request_set_text (request, key, code ? code : (*text ? "?" : ""));
  sp_step_view_touch (SP_STEP_VIEW (self), key);
  sp_step_view_refresh (SP_STEP_VIEW (self), FALSE);
}

static GtkWidget *
place_entry (SpStepPersonal *self,
             SpParty         party)
{
  GtkWidget *entry = gtk_entry_new ();
  GtkEntryCompletion *completion = gtk_entry_completion_new ();
  g_autoptr(GtkListStore) store = gtk_list_store_new (1, G_TYPE_STRING);

  gtk_entry_completion_set_model (completion, GTK_TREE_MODEL (store));
  gtk_entry_completion_set_text_column (completion, 0);
  gtk_entry_completion_set_minimum_key_length (completion, 2);
  gtk_entry_completion_set_popup_completion (completion, TRUE);
  gtk_entry_set_completion (GTK_ENTRY (entry), completion);
  g_object_unref (completion);
  g_object_set_data (G_OBJECT (entry), "sp-unbound", GINT_TO_POINTER (1));
  g_object_set_data (G_OBJECT (entry), "sp-party", GUINT_TO_POINTER (party));
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_place_changed), self, G_CONNECT_SWAPPED);
  return entry;
}

/* ---- sex: a drop-down kept as "M" / "F" ---- */

static void
on_sex_selected (SpStepPersonal *self,
                 GParamSpec     *pspec,
                 GtkDropDown    *dropdown)
{
  SpRequest *request = sp_step_view_get_request (SP_STEP_VIEW (self));
  SpRequestField key = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dropdown), "sp-field"));
  static const char *const values[] = { "", "F", "M" };
  guint i = gtk_drop_down_get_selected (dropdown);

  if (sp_step_view_is_loading (SP_STEP_VIEW (self)))
    return;
  sp_request_set_text (request, key, i < G_N_ELEMENTS (values) ? values[i] : "");
  sp_step_view_touch (SP_STEP_VIEW (self), key);
  sp_step_view_refresh (SP_STEP_VIEW (self), FALSE);
}

static GtkWidget *
sex_dropdown (SpStepPersonal *self)
{
  const char *labels[] = { _("Not chosen"), _("Female (F)"), _("Male (M)"), NULL };
  GtkWidget *dropdown = gtk_drop_down_new_from_strings (labels);

  g_object_set_data (G_OBJECT (dropdown), "sp-unbound", GINT_TO_POINTER (1));
  g_signal_connect_object (dropdown, "notify::selected", G_CALLBACK (on_sex_selected), self, G_CONNECT_SWAPPED);
  return dropdown;
}

/* ---- the forms ---- */

static void
add_person (SpStepPersonal *self,
            GtkGrid        *grid,
            int            *row,
            SpParty         party,
            gboolean        with_cf)
{
  SpStepView *view = SP_STEP_VIEW (self);
  SpRequestField k_cf = sp_request_field_of (party, SP_PERSON_FIELD_CF);
  SpRequestField k_surname = sp_request_field_of (party, SP_PERSON_FIELD_SURNAME);
  SpRequestField k_name = sp_request_field_of (party, SP_PERSON_FIELD_NAME);
  SpRequestField k_sex = sp_request_field_of (party, SP_PERSON_FIELD_SEX);
  SpRequestField k_birth = sp_request_field_of (party, SP_PERSON_FIELD_BIRTH_DATE);
  SpRequestField k_place = sp_request_field_of (party, SP_PERSON_FIELD_BIRTH_PLACE);
  SpField *f;

  if (with_cf)
    {
      f = sp_step_view_add_entry (view, k_cf, grid, row, _("_Codice fiscale"), NULL);
      gtk_entry_set_max_length (GTK_ENTRY (f->widget), 16);
      gtk_widget_add_css_class (f->widget, "monospace");
    }
  sp_step_view_add_entry (view, k_surname, grid, row, _("_Surname"), NULL);
  sp_step_view_add_entry (view, k_name, grid, row, _("_Name"), NULL);
  sp_step_view_add_field (view, k_sex, grid, row, _("Se_x"), sex_dropdown (self), NULL);
  f = sp_step_view_add_entry (view, k_birth, grid, row, _("_Birth date"), _("Day/month/year, e.g. 09/04/1970"));
  gtk_entry_set_placeholder_text (GTK_ENTRY (f->widget), _("DD/MM/YYYY"));
  sp_step_view_add_field (view, k_place, grid, row, _("Birth _place"), place_entry (self, party),
                          _("Comune, or foreign state; type and choose from the list"));
}

static void
add_contacts (SpStepPersonal *self,
              GtkGrid        *grid,
              int            *row)
{
  SpStepView *view = SP_STEP_VIEW (self);
  SpField *f;

  sp_step_view_add_entry (view, SP_REQUEST_FIELD_CITIZEN_STREET, grid, row, _("_Street"), _("Residence: street and number"));
  sp_step_view_add_entry (view, SP_REQUEST_FIELD_CITIZEN_POSTCODE, grid, row, _("P_ostcode"), NULL);
  sp_step_view_add_entry (view, SP_REQUEST_FIELD_CITIZEN_CITY, grid, row, _("_Town"), _("Residence: comune"));
  sp_step_view_add_entry (view, SP_REQUEST_FIELD_CITIZEN_PROVINCE, grid, row, _("Pro_vince"), NULL);
  f = sp_step_view_add_entry (view, SP_REQUEST_FIELD_CITIZEN_PHONE, grid, row, _("P_hone"), _("Optional"));
  gtk_entry_set_input_purpose (GTK_ENTRY (f->widget), GTK_INPUT_PURPOSE_PHONE);
  f = sp_step_view_add_entry (view, SP_REQUEST_FIELD_CITIZEN_EMAIL, grid, row, _("_E-mail"), _("Optional"));
  gtk_entry_set_input_purpose (GTK_ENTRY (f->widget), GTK_INPUT_PURPOSE_EMAIL);
}

static void
load_party (SpStepView *view,
            SpParty     party)
{
  SpRequest *request = sp_step_view_get_request (view);
  SpRequestField k_sex = sp_request_field_of (party, SP_PERSON_FIELD_SEX);
  SpRequestField k_place = sp_request_field_of (party, SP_PERSON_FIELD_BIRTH_PLACE);
  const char *sex = sp_request_get_text (request, k_sex);
  const char *name = sp_request_get_text (request, sp_request_field_of (party, SP_PERSON_FIELD_BIRTH_PLACE_NAME));
  const char *code = sp_request_get_text (request, k_place);
  SpField *f = sp_step_view_get_field (view, k_sex);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (f->widget),
                              g_str_equal (sex, "F") ? 1 : g_str_equal (sex, "M") ? 2 : 0);
  f = sp_step_view_get_field (view, k_place);
  if (*name == '\0' && *code != '\0' && sp_place_by_code (code))
    {
      g_autofree char *label = place_label (sp_place_by_code (code));
      gtk_editable_set_text (GTK_EDITABLE (f->widget), label);
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (f->widget), name);
}

static void
load (SpStepView *view)
{
  load_party (view, SP_PARTY_CITIZEN);
  load_party (view, SP_PARTY_REPRESENTATIVE);
}

static void
enter (SpStepView *view)
{
  SpStepPersonal *self = SP_STEP_PERSONAL (view);
  gboolean rep = sp_applicant_role_needs_representative (sp_request_get_role (sp_step_view_get_request (view)));

  /* The registry may have prefilled the request since the last visit. */
  sp_step_view_load (view);
  gtk_widget_set_visible (self->rep_box, rep);
  gtk_widget_set_visible (self->rep_heading, rep);
}

/* ---- the representative's data, from the registry when it knows them ---- */

/* The same lookup as the citizen's: the cache, then central, whose
 * answer is written back to the cache. */
static void
on_rep_record (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SpStepPersonal) self = user_data;
  g_autoptr(SpCitizenLookup) found = sp_context_look_up_citizen_finish (SP_CONTEXT (source), result, NULL);

  if (found == NULL || found->person == NULL)
    return;   /* unknown or cancelled: the operator types the data */
  sp_request_prefill_person (sp_step_view_get_request (SP_STEP_VIEW (self)), SP_PARTY_REPRESENTATIVE, found->person);
  sp_step_view_load (SP_STEP_VIEW (self));
}

static void
on_request_changed (SpStepPersonal *self,
                    SpRequestField  field,
                    SpRequest      *request)
{
  g_autofree char *cf = NULL;

  if (field != SP_REQUEST_FIELD_REP_CF || !sp_cf_validate (sp_request_get_text (request, field), &cf, NULL)
      || g_strcmp0 (cf, self->looked_up) == 0)
    return;
  g_free (self->looked_up);
  self->looked_up = g_strdup (cf);
  g_cancellable_cancel (self->lookup);
  g_clear_object (&self->lookup);
  self->lookup = g_cancellable_new ();
  sp_context_look_up_citizen_async (sp_step_view_get_context (SP_STEP_VIEW (self)), cf, self->lookup,
                                    on_rep_record, g_object_ref (self));
}

static void
sp_step_personal_dispose (GObject *object)
{
  SpStepPersonal *self = SP_STEP_PERSONAL (object);

  g_cancellable_cancel (self->lookup);
  g_clear_object (&self->lookup);
  g_clear_pointer (&self->looked_up, g_free);
  G_OBJECT_CLASS (sp_step_personal_parent_class)->dispose (object);
}

static void
sp_step_personal_class_init (SpStepPersonalClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sp_step_personal_dispose;
  SP_STEP_VIEW_CLASS (klass)->load = load;
  SP_STEP_VIEW_CLASS (klass)->enter = enter;
}

static void
sp_step_personal_init (SpStepPersonal *self)
{
}

SpStepView *
sp_step_personal_new (SpApplication *app,
                      SpContext     *context,
                      SpRequest     *request)
{
  SpStepPersonal *self = g_object_new (SP_TYPE_STEP_PERSONAL, "context", context, NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkGrid *citizen = sp_step_view_new_grid ();
  GtkGrid *contacts = sp_step_view_new_grid ();
  GtkGrid *rep = sp_step_view_new_grid ();
  int row = 0;

  sp_step_view_setup (SP_STEP_VIEW (self), app, request, SP_REQUEST_STEP_PERSONAL, box);
  gtk_box_append (GTK_BOX (box), sp_ui_heading (_("The Citizen")));
  add_person (self, citizen, &row, SP_PARTY_CITIZEN, FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (citizen));
  gtk_box_append (GTK_BOX (box), sp_ui_heading (_("Residence and Contacts")));
  row = 0;
  add_contacts (self, contacts, &row);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (contacts));
  self->rep_heading = sp_ui_heading (_("The Person at the Counter (Representative)"));
  gtk_box_append (GTK_BOX (box), self->rep_heading);
  row = 0;
  add_person (self, rep, &row, SP_PARTY_REPRESENTATIVE, TRUE);
  self->rep_box = GTK_WIDGET (rep);
  gtk_box_append (GTK_BOX (box), self->rep_box);
  g_signal_connect_object (request, "changed", G_CALLBACK (on_request_changed), self, G_CONNECT_SWAPPED);
  return SP_STEP_VIEW (self);
}
