/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-citizen-page.h"
#include "sp-codice-fiscale.h"
#include "sp-context-property.h"
#include "sp-register.h"
#include "sp-ui.h"

#include <string.h>

struct _SpCitizenPage
{
  AdwBin parent_instance;

  SpContext *context;        /* construct property */
  GtkSearchEntry *entry;
  GtkListBox *results;
  AdwStatusPage *empty;      /* "no citizen found" */
  GtkLabel *source_note;     /* the results came from the cache */
  GtkLabel *details;
  GtkButton *revoke;
  char *cf;                  /* the citizen shown */
  char *record_text;         /* central's record, or why it is missing */
  char *history_text;        /* this workstation's issuances */
  char *request_id;          /* a revocation request of cf still to approve */
  GCancellable *cancellable;
  GCancellable *searching;
};

/* Results listed at once: a screenful; more asks for a longer prefix. */
#define SEARCH_LIMIT 20

G_DEFINE_FINAL_TYPE (SpCitizenPage, sp_citizen_page, ADW_TYPE_BIN)

enum { CLOSED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The page's text: central's record (or why it is missing), then this
 * workstation's history, filled in as the answers come. */
static void
show_details (SpCitizenPage *self)
{
  g_autofree char *text = g_strdup_printf ("%s%s", self->record_text ? self->record_text : _("Asking central…"),
                                           self->history_text ? self->history_text : "");

  gtk_label_set_text (self->details, text);
}

static void
on_history (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SpCitizenPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = sp_context_history_finish (SP_CONTEXT (source), result, &error);
  g_autoptr(GString) s = g_string_new (NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_string_append_printf (s, "\n\n%s", _("On this workstation:"));
  if (rows == NULL)
    g_string_append_printf (s, "\n • %s", error->message);
  for (guint i = 0; rows && i < rows->len; i++)
    {
      SpStoreIssuanceRow *r = g_ptr_array_index (rows, i);
      g_autoptr(GDateTime) local = g_date_time_to_local (r->issuance->issued_at);
      g_autofree char *when = g_date_time_format (local, "%x %H:%M");

      g_string_append_printf (s, "\n • %s, %s (%s)", when, sp_register_status_label (r->status),
                              r->issuance->operator_id);
    }
  if (rows && rows->len == 0)
    g_string_append_printf (s, "\n • %s", _("no issuances"));
  g_free (self->history_text);
  self->history_text = g_string_free (g_steal_pointer (&s), FALSE);
  show_details (self);
}

static void
on_citizen (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SpCitizenPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCitizenLookup) found = sp_context_look_up_citizen_finish (SP_CONTEXT (source), result, &error);
  g_autoptr(GString) s = g_string_new (NULL);
  JsonObject *o = found ? found->record : NULL;
  JsonObject *cred = NULL;
  JsonNode *active = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (o == NULL)
    g_string_append_printf (s, "%s\n%s", self->cf, error ? error->message : found->central_error->message);
  else
    {
      cred = json_object_get_object_member (o, "credentials");
      active = cred ? json_object_get_member (cred, "active_pin") : NULL;
      g_string_append_printf (s, "%s %s · %s\n", json_object_get_string_member_with_default (o, "surname", ""),
                              json_object_get_string_member_with_default (o, "name", ""), self->cf);
      if (active && JSON_NODE_HOLDS_OBJECT (active))
        g_string_append_printf (s, _("Active PIN dispositivo issued by sede %s."),
                                json_object_get_string_member_with_default (json_node_get_object (active), "sede", "?"));
      else
        g_string_append (s, _("No active PIN."));
      if (cred && json_object_get_boolean_member_with_default (cred, "locked", FALSE))
        g_string_append_printf (s, " %s", _("Locked after wrong attempts."));
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->revoke), active && JSON_NODE_HOLDS_OBJECT (active));
  g_free (self->record_text);
  self->record_text = g_string_free (g_steal_pointer (&s), FALSE);
  show_details (self);
}

static void
show_citizen (SpCitizenPage *self,
              const char    *cf)
{
  char *copy = g_strdup (cf);   /* cf may be self->cf itself */

  if (g_strcmp0 (cf, self->cf) != 0)
    g_clear_pointer (&self->request_id, g_free);   /* another citizen's */
  g_free (self->cf);
  self->cf = copy;
  g_clear_pointer (&self->record_text, g_free);
  g_clear_pointer (&self->history_text, g_free);
  show_details (self);
  gtk_widget_set_visible (GTK_WIDGET (self->revoke), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->revoke), FALSE);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  sp_context_look_up_citizen_async (self->context, self->cf, self->cancellable, on_citizen, g_object_ref (self));
  sp_context_history_async (self->context, self->cf, self->cancellable, on_history, g_object_ref (self));
}

static void
on_result (SpCitizenPage *self,
           GtkListBoxRow *row)
{
  show_citizen (self, g_object_get_data (G_OBJECT (row), "sp-cf"));
}

/* "SPSGPP80A01F839B · PIN active": the code and, when central answered,
 * the credential's state. */
static char *
result_subtitle (const SpCitizenLookup *one)
{
  JsonObject *cred = one->record && json_object_has_member (one->record, "credentials")
                     ? json_object_get_object_member (one->record, "credentials") : NULL;
  JsonNode *active = cred ? json_object_get_member (cred, "active_pin") : NULL;
  const char *state;

  if (cred == NULL)
    state = _("PIN status not known offline");
  else if (json_object_get_boolean_member_with_default (cred, "locked", FALSE))
    state = _("PIN locked after wrong attempts");
  else if (active && JSON_NODE_HOLDS_OBJECT (active))
    state = _("PIN active");
  else
    state = _("no active PIN");
  return g_strdup_printf ("%s · %s", one->person->cf, state);
}

static void
clear_results (SpCitizenPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results))) != NULL)
    gtk_list_box_remove (self->results, child);
  gtk_widget_set_visible (GTK_WIDGET (self->results), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->empty), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->source_note), FALSE);
}

static void
on_found (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SpCitizenPage) self = user_data;
  g_autoptr(SpCitizenSearch) search = sp_context_search_finish (SP_CONTEXT (source), result, NULL);

  if (search == NULL)
    return;   /* cancelled by the next keystroke */
  clear_results (self);
  for (guint i = 0; i < search->found->len; i++)
    {
      SpCitizenLookup *one = g_ptr_array_index (search->found, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = sp_ui_identity_text (one->person);
      g_autofree char *subtitle = result_subtitle (one);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "sp-cf", g_strdup (one->person->cf), g_free);
      gtk_list_box_append (self->results, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->results), search->found->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->empty), search->found->len == 0);
  if (search->from_cache)
    gtk_label_set_text (self->source_note, _("Central did not answer: these are the citizens this workstation "
                                             "has met. Others may exist."));
  else if (search->more)
    gtk_label_set_text (self->source_note, _("More citizens match: add the name to narrow the search."));
  gtk_widget_set_visible (GTK_WIDGET (self->source_note), search->from_cache || search->more);
}

static void
on_search (SpCitizenPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autofree char *cf = NULL;
  g_auto(GStrv) words = NULL;

  g_cancellable_cancel (self->searching);
  g_clear_object (&self->searching);
  clear_results (self);
  if (sp_cf_validate (text, &cf, NULL))
    {
      show_citizen (self, cf);
      return;
    }
  words = g_strsplit (g_strstrip (g_strdup (text)), " ", 2);
  if (words[0] == NULL || strlen (words[0]) < 2)
    return;
  self->searching = g_cancellable_new ();
  sp_context_search_async (self->context, words[0], words[1], SEARCH_LIMIT, self->searching, on_found, g_object_ref (self));
}

/* ---- revocation, four eyes ---- */

typedef struct {
  SpCitizenPage *self;
  GtkEntry *reason;
  GtkEntry *supervisor_entry;
  GtkPasswordEntry *password_entry;
  char *supervisor;
  char *password;       /* locked memory, wiped */
} Revoke;

static void
revoke_free (Revoke *r)
{
  g_object_unref (r->self);
  g_free (r->supervisor);
  sp_context_secret_free (r->password);
  g_free (r);
}

static void
revocation_failed (SpCitizenPage *self,
                   const GError  *error)
{
  g_autofree char *text = g_strdup_printf (_("The revocation was refused: %s"), error->message);

  gtk_label_set_text (self->details, text);
}

static void
on_approved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SpCitizenPage) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The supervisor's session is closed by now, whatever the answer. */
  if (!sp_context_approve_revocation_finish (SP_CONTEXT (source), result, &error))
    return revocation_failed (self, error);
  g_clear_pointer (&self->request_id, g_free);
  show_citizen (self, self->cf);
}

static void
on_requested (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Revoke *r = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = sp_context_request_revocation_finish (SP_CONTEXT (source), result, &error);

  if (id == NULL)
    revocation_failed (r->self, error);
  else
    {
      /* Filed: a refused approval is tried again on the same request. */
      g_free (r->self->request_id);
      r->self->request_id = g_strdup (id);
    }
  if (id != NULL)
    sp_context_approve_revocation_async (r->self->context, id, r->self->cf, r->supervisor, r->password,
                                         NULL, on_approved, g_object_ref (r->self));
  revoke_free (r);
}

/* Four eyes in two steps: the operator files the request with his own
 * session, then the supervisor's credentials approve it by its id. */
static void
on_revoke_response (AdwMessageDialog *dialog,
                    const char       *response,
                    Revoke           *r)
{
  if (!g_str_equal (response, "revoke"))
    return revoke_free (r);
  r->supervisor = g_strdup (gtk_editable_get_text (GTK_EDITABLE (r->supervisor_entry)));
  r->password = sp_context_secret_dup (gtk_editable_get_text (GTK_EDITABLE (r->password_entry)));
  gtk_editable_set_text (GTK_EDITABLE (r->password_entry), "");
  if (r->self->request_id != NULL)
    {
      sp_context_approve_revocation_async (r->self->context, r->self->request_id, r->self->cf, r->supervisor,
                                           r->password, NULL, on_approved, g_object_ref (r->self));
      return revoke_free (r);
    }
  sp_context_request_revocation_async (r->self->context, r->self->cf,
                                       gtk_editable_get_text (GTK_EDITABLE (r->reason)), NULL, on_requested, r);
}

static void
ask_revocation (SpCitizenPage *self)
{
  Revoke *r = g_new0 (Revoke, 1);
  GtkGrid *grid = GTK_GRID (gtk_grid_new ());
  AdwMessageDialog *dialog;
  g_autofree char *body = g_strdup_printf (_("The active PIN of %s stops working at once. A supervisor "
                                             "other than you approves with their own password."), self->cf);

  gtk_grid_set_row_spacing (grid, 6);
  gtk_grid_set_column_spacing (grid, 12);
  r->self = g_object_ref (self);
  r->reason = sp_ui_grid_entry (grid, 0, _("_Reason"), NULL);
  r->supervisor_entry = sp_ui_grid_entry (grid, 1, _("_Supervisor"), _("The approving supervisor's username"));
  r->password_entry = GTK_PASSWORD_ENTRY (gtk_password_entry_new ());
  sp_ui_grid_attach (grid, 2, _("Supervisor's _password"), GTK_WIDGET (r->password_entry), NULL);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                       _("Revoke the PIN?"), body));
  adw_message_dialog_set_extra_child (dialog, GTK_WIDGET (grid));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "revoke", _("_Revoke"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "revoke", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_revoke_response), r);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
sp_citizen_page_focus (SpCitizenPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static void
sp_citizen_page_dispose (GObject *object)
{
  SpCitizenPage *self = SP_CITIZEN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->searching);
  g_clear_object (&self->searching);
  g_clear_pointer (&self->cf, g_free);
  g_clear_pointer (&self->record_text, g_free);
  g_clear_pointer (&self->history_text, g_free);
  g_clear_pointer (&self->request_id, g_free);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (sp_citizen_page_parent_class)->dispose (object);
}

SP_CONTEXT_PROPERTY (SpCitizenPage, sp_citizen_page, SP_CITIZEN_PAGE)

static void
sp_citizen_page_class_init (SpCitizenPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sp_citizen_page_dispose;
  sp_citizen_page_install_context (klass);
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
go_home (SpCitizenPage *self)
{
  g_signal_emit (self, signals[CLOSED], 0);
}

static void
sp_citizen_page_init (SpCitizenPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  /* A back button, as GNOME pages have; Escape in the search does the same. */
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");

  self->entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (self->entry, "placeholder-text", _("Codice fiscale, or surname and name"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Search citizen"), -1);
  self->results = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_add_css_class (GTK_WIDGET (self->results), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->results), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Citizens found"), -1);
  gtk_widget_set_visible (GTK_WIDGET (self->results), FALSE);
  self->empty = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->empty, "system-search-symbolic");
  adw_status_page_set_title (self->empty, _("No Citizen Found"));
  adw_status_page_set_description (self->empty, _("Check the spelling of the surname, or search by codice "
                                                  "fiscale."));
  gtk_widget_add_css_class (GTK_WIDGET (self->empty), "compact");
  gtk_widget_set_visible (GTK_WIDGET (self->empty), FALSE);
  self->source_note = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->source_note, TRUE);
  gtk_label_set_xalign (self->source_note, 0.0);
  gtk_widget_add_css_class (GTK_WIDGET (self->source_note), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->source_note), FALSE);
  self->details = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->details, TRUE);
  gtk_label_set_xalign (self->details, 0.0);
  gtk_label_set_selectable (self->details, TRUE);
  self->revoke = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Revoke PIN…")));
  gtk_widget_add_css_class (GTK_WIDGET (self->revoke), "destructive-action");
  gtk_widget_set_halign (GTK_WIDGET (self->revoke), GTK_ALIGN_START);
  gtk_widget_set_visible (GTK_WIDGET (self->revoke), FALSE);
  gtk_widget_set_halign (back, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (back, _("Back (Escape)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (back), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Back"), -1);
  gtk_widget_add_css_class (back, "flat");
  gtk_box_append (GTK_BOX (box), back);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->entry));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->source_note));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->results));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->empty));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->details));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->revoke));
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  adw_bin_set_child (ADW_BIN (self), scrolled);
  g_signal_connect_swapped (self->entry, "search-changed", G_CALLBACK (on_search), self);
  g_signal_connect_swapped (self->results, "row-activated", G_CALLBACK (on_result), self);
  g_signal_connect_swapped (self->revoke, "clicked", G_CALLBACK (ask_revocation), self);
  g_signal_connect_swapped (back, "clicked", G_CALLBACK (go_home), self);
  g_signal_connect_swapped (self->entry, "stop-search", G_CALLBACK (go_home), self);
}

SpCitizenPage *
sp_citizen_page_new (SpContext *context)
{
  return g_object_new (SP_TYPE_CITIZEN_PAGE, "context", context, NULL);
}
