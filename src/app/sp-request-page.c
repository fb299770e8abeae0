/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-context-property.h"
#include "sp-request-page.h"
#include "sp-step-applicant.h"
#include "sp-step-attachments.h"
#include "sp-step-citizen.h"
#include "sp-step-document.h"
#include "sp-step-issue.h"
#include "sp-step-personal.h"
#include "sp-step-summary.h"

struct _SpRequestPage
{
  AdwBin parent_instance;

  SpApplication *app;
  SpContext *context;       /* construct property */
  SpRequest *request;
  GtkListBox *steps_list;
  GtkStack *stack;
  GtkButton *back;
  GtkButton *next;
  GtkButton *cancel;
  SpStepView *steps[SP_N_STEPS];
  SpStep current;
  guint save_source;
  gboolean active;
  gboolean drafting;        /* FALSE once the issuance is committed */
  GBytes *sealed[SP_ATTACHMENT_N_KINDS];   /* the scan of each kind last sealed with the draft */
};

G_DEFINE_FINAL_TYPE (SpRequestPage, sp_request_page, ADW_TYPE_BIN)

enum { CLOSED, REFUSED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *
step_title (SpStep step)
{
  switch (step)
    {
    case SP_REQUEST_STEP_CITIZEN: return _("Citizen");
    case SP_REQUEST_STEP_APPLICANT: return _("Applicant");
    case SP_REQUEST_STEP_PERSONAL: return _("Personal Data");
    case SP_REQUEST_STEP_DOCUMENT: return _("Document");
    case SP_REQUEST_STEP_ATTACHMENTS: return _("Scans");
    case SP_REQUEST_STEP_SUMMARY: return _("Summary");
    case SP_REQUEST_STEP_ISSUE: return _("Issue and Print");
    case SP_N_STEPS:
    default: return "";
    }
}

static const char *
actor (SpRequestPage *self)
{
  const SpOperator *op = sp_context_get_operator (self->context);

  return op ? op->id : NULL;
}

/* ---- drafts: saved half a second after the last change ---- */

static gboolean
save_draft (gpointer user_data)
{
  SpRequestPage *self = user_data;
  g_autofree char *json = NULL;

  self->save_source = 0;
  if (!self->active || !self->drafting || actor (self) == NULL)
    return G_SOURCE_REMOVE;
  json = sp_request_to_draft (self->request);
  /* On the database thread: the fsync is not the typing's business. */
  sp_context_save_draft (self->context, json);
  return G_SOURCE_REMOVE;
}

static void
on_request_changed (SpRequestPage *self)
{
  if (self->save_source == 0)
    self->save_source = g_timeout_add (500, save_draft, self);
}

static void
forget_sealed (SpRequestPage *self)
{
  for (guint k = 0; k < SP_ATTACHMENT_N_KINDS; k++)
    g_clear_pointer (&self->sealed[k], g_bytes_unref);
}

/* A scan made or replaced (the request names no field for it, so each
 * kind is compared with what was sealed last): sealed in the store with
 * the draft at once, not half a second later: it took a while to make. */
static void
on_attachment_changed (SpRequestPage  *self,
                       SpRequestField  field)
{
  if (field != SP_REQUEST_FIELD_NONE || !self->active || !self->drafting || actor (self) == NULL)
    return;
  for (SpAttachmentKind k = 0; k < SP_ATTACHMENT_N_KINDS; k++)
    {
      guint pages = 0;
      GBytes *pdf = sp_request_get_attachment (self->request, k, &pages);

      if (pdf == self->sealed[k])
        continue;
      sp_context_save_draft_scan (self->context, k, pdf, pages);
      g_clear_pointer (&self->sealed[k], g_bytes_unref);
      self->sealed[k] = pdf ? g_bytes_ref (pdf) : NULL;
    }
}

/* A resumed draft has its scans back, opened from their seal. */
static void
restore_scans (SpRequestPage *self)
{
  g_autoptr(GPtrArray) scans = sp_context_load_draft_scans (self->context);

  for (guint i = 0; i < scans->len; i++)
    {
      SpStoreDraftScan *scan = g_ptr_array_index (scans, i);

      sp_request_set_attachment (self->request, scan->kind, scan->pdf, scan->pages);
      g_clear_pointer (&self->sealed[scan->kind], g_bytes_unref);
      self->sealed[scan->kind] = g_bytes_ref (scan->pdf);
    }
}

static void update_buttons (SpRequestPage *self);

/* Once a PIN is issued the request is a committed issuance, not a
 * draft: nothing to resume after a crash (the envelope is never
 * reprinted). */
static void
on_issue_busy (SpRequestPage *self)
{
  if (sp_step_issue_get_busy (SP_STEP_ISSUE (self->steps[SP_REQUEST_STEP_ISSUE])) && self->drafting)
    {
      self->drafting = FALSE;
      g_clear_handle_id (&self->save_source, g_source_remove);
      if (actor (self))
        sp_context_delete_draft (self->context);
    }
  update_buttons (self);
}

static void
close_case (SpRequestPage *self)
{
  g_clear_handle_id (&self->save_source, g_source_remove);
  /* A PIN made ahead for this request is wiped with it. */
  sp_context_discard_prepared (self->context);
  if (actor (self))
    sp_context_delete_draft (self->context);
  self->active = FALSE;
  g_signal_emit (self, signals[CLOSED], 0);
}

/* ---- moving between steps ---- */

static gboolean
reachable (SpRequestPage *self,
           SpStep         step)
{
  for (SpStep s = SP_REQUEST_STEP_CITIZEN; s < step; s++)
    if (!sp_step_view_refresh (self->steps[s], FALSE))
      return FALSE;
  return TRUE;
}

static void
update_buttons (SpRequestPage *self)
{
  gboolean busy = sp_step_issue_get_busy (SP_STEP_ISSUE (self->steps[SP_REQUEST_STEP_ISSUE]));
  SpApplicantRole role;

  gtk_widget_set_sensitive (GTK_WIDGET (self->back), self->current > SP_REQUEST_STEP_CITIZEN && !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->next), self->current < SP_REQUEST_STEP_ISSUE);
  /* Next is not the way on for a delegate: the refusal is. */
  if (self->current == SP_REQUEST_STEP_APPLICANT && sp_request_lookup_role (self->request, &role)
      && role == SP_ROLE_DELEGATO)
    gtk_widget_remove_css_class (GTK_WIDGET (self->next), "suggested-action");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->next), "suggested-action");
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->steps_list), !busy);
  for (SpStep s = SP_REQUEST_STEP_CITIZEN; s < SP_N_STEPS; s++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->steps_list, s);
      GtkWidget *check = g_object_get_data (G_OBJECT (row), "sp-check");

      gtk_widget_set_visible (check, s < SP_REQUEST_STEP_ISSUE && sp_step_view_is_complete (self->steps[s]));
      if (s == self->current)
        gtk_list_box_select_row (self->steps_list, row);
    }
}

static void
show_step (SpRequestPage *self,
           SpStep         step)
{
  self->current = step;
  /* Kept in the draft: a resumed request opens where it was left (none
   * at step 1, so a request nothing was typed in stays empty). */
  if (self->drafting)
    sp_request_set_wizard_step (self->request, step);
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (self->steps[step]));
  sp_step_view_enter (self->steps[step]);
  update_buttons (self);
  sp_step_view_focus_first (self->steps[step]);
}

static void
go_next (SpRequestPage *self)
{
  if (self->current >= SP_REQUEST_STEP_ISSUE)
    return;
  if (!sp_step_view_refresh (self->steps[self->current], TRUE))
    {
      /* Say what is missing where it is, and go there. */
      sp_step_view_focus_first (self->steps[self->current]);
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  show_step (self, self->current + 1);
}

static void
go_back (SpRequestPage *self)
{
  if (self->current > SP_REQUEST_STEP_CITIZEN && gtk_widget_get_sensitive (GTK_WIDGET (self->back)))
    show_step (self, self->current - 1);
}

static void
on_step_row (SpRequestPage *self,
             GtkListBoxRow *row)
{
  SpStep step = gtk_list_box_row_get_index (row);

  if (step == self->current)
    return;
  if (step < self->current || reachable (self, step))
    show_step (self, step);
  else
    update_buttons (self);
}

/* Arrow keys in the step list move its selection, but only Enter goes
 * to a step: the highlight stays on the step shown. */
static void
on_step_selected (SpRequestPage *self,
                  GtkListBoxRow *row)
{
  GtkListBoxRow *shown = gtk_list_box_get_row_at_index (self->steps_list, self->current);

  if (row != shown && shown != NULL)
    gtk_list_box_select_row (self->steps_list, shown);
}

static void
cancel (SpRequestPage *self)
{
  close_case (self);
}

/* ---- leaving with a request open: asked, never silent ---- */

typedef struct {
  SpRequestPage *self;
  SpRequestPageDecided then;
  gpointer user_data;
} Asked;

static void
on_discard_response (AdwMessageDialog *dialog,
                     const char       *response,
                     Asked            *asked)
{
  if (g_str_equal (response, "discard") && asked->self->active)
    {
      close_case (asked->self);
      if (asked->then)
        asked->then (asked->user_data);
    }
  g_object_unref (asked->self);
  g_free (asked);
}

void
sp_request_page_ask_discard (SpRequestPage        *self,
                             SpRequestPageDecided  then,
                             gpointer              user_data)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;
  Asked *asked;

  if (!self->active || sp_step_issue_get_busy (SP_STEP_ISSUE (self->steps[SP_REQUEST_STEP_ISSUE])))
    {
      if (!self->active && then)
        then (user_data);
      return;
    }
  asked = g_new0 (Asked, 1);
  asked->self = g_object_ref (self);
  asked->then = then;
  asked->user_data = user_data;
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       _("Discard the Request?"),
                                                       _("What you typed for this request will be lost.")));
  adw_message_dialog_add_responses (dialog, "keep", _("_Keep Editing"), "discard", _("_Discard"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  /* Enter and Escape both keep the request: discarding takes a choice. */
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_signal_connect (dialog, "response", G_CALLBACK (on_discard_response), asked);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Escape is one step back; at the first step it would drop the request. */
static void
escape (SpRequestPage *self)
{
  if (!self->active)
    return;
  if (self->current == SP_REQUEST_STEP_CITIZEN)
    sp_request_page_ask_discard (self, NULL, NULL);
  else
    go_back (self);
}

/* Enter on a choice or a check box goes on like Enter in a field (Space
 * toggles them); on a button it presses the button, as everywhere. */
static gboolean
on_key_pressed (SpRequestPage         *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = GTK_IS_WINDOW (root) ? gtk_window_get_focus (GTK_WINDOW (root)) : NULL;

  if ((keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
      || (state & gtk_accelerator_get_default_mod_mask ()) != 0 || focus == NULL)
    return FALSE;
  if (!GTK_IS_CHECK_BUTTON (focus) && !GTK_IS_DROP_DOWN (gtk_widget_get_ancestor (focus, GTK_TYPE_DROP_DOWN)))
    return FALSE;
  go_next (self);
  return TRUE;
}

/* Enter in any field of a step goes on when the step is valid. */
static void
connect_activate (SpRequestPage *self,
                  GtkWidget     *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_ENTRY (c) || GTK_IS_PASSWORD_ENTRY (c))
        g_signal_connect_object (c, "activate", G_CALLBACK (go_next), self, G_CONNECT_SWAPPED);
      else
        connect_activate (self, c);
    }
}

/* ---- life of a request ---- */

static void
on_refused (SpRequestPage *self)
{
  close_case (self);
  g_signal_emit (self, signals[REFUSED], 0);
}

static void
build_steps (SpRequestPage *self)
{
  SpStepView *(*makers[SP_N_STEPS]) (SpApplication *, SpContext *, SpRequest *) = {
    sp_step_citizen_new, sp_step_applicant_new, sp_step_personal_new, sp_step_document_new,
    sp_step_attachments_new, sp_step_summary_new, sp_step_issue_new,
  };

  for (SpStep s = SP_REQUEST_STEP_CITIZEN; s < SP_N_STEPS; s++)
    {
      if (self->steps[s])
        gtk_stack_remove (self->stack, GTK_WIDGET (self->steps[s]));
      self->steps[s] = makers[s] (self->app, self->context, self->request);
      gtk_stack_add_named (self->stack, GTK_WIDGET (self->steps[s]), step_title (s));
      g_signal_connect_object (self->steps[s], "notify::complete", G_CALLBACK (update_buttons), self,
                               G_CONNECT_SWAPPED);
      connect_activate (self, GTK_WIDGET (self->steps[s]));
    }
  g_signal_connect_object (self->steps[SP_REQUEST_STEP_APPLICANT], "refused", G_CALLBACK (on_refused), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->steps[SP_REQUEST_STEP_ISSUE], "closed", G_CALLBACK (close_case), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->steps[SP_REQUEST_STEP_ISSUE], "notify::busy", G_CALLBACK (on_issue_busy), self,
                           G_CONNECT_SWAPPED);
}

/* SANE takes 1-6 s to find the scanners: asked now, on the scanner's
 * thread, while the operator types steps 1-4, the scan dialog opens
 * with the device listed (and a scanner plugged in since is found). */
static void
warm_scanners (SpRequestPage *self)
{
  SpScanner *scanner = self->app ? sp_application_get_scanner (self->app) : NULL;

  if (scanner != NULL && !sp_scanner_is_refreshing (scanner))
    sp_scanner_refresh_devices (scanner);
}

/* The step a draft was left at, or the last one before it that the data
 * (and the draft's scans) reach. */
static SpStep
resume_step (SpRequestPage *self)
{
  SpStep step = MIN (sp_request_get_wizard_step (self->request), SP_REQUEST_STEP_SUMMARY);

  while (step > SP_REQUEST_STEP_CITIZEN && !reachable (self, step))
    step--;
  return step;
}

void
sp_request_page_start (SpRequestPage *self,
                       const char    *draft)
{
  g_clear_handle_id (&self->save_source, g_source_remove);
  g_clear_object (&self->request);
  self->request = sp_request_new ();
  if (draft != NULL && !sp_request_load_draft (self->request, draft, NULL))
    g_warning ("a damaged draft was ignored");
  forget_sealed (self);
  if (draft != NULL)
    restore_scans (self);
  else
    sp_context_delete_draft (self->context);   /* a new request: no scans of an older one */
  g_signal_connect_object (self->request, "changed", G_CALLBACK (on_request_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->request, "changed", G_CALLBACK (on_attachment_changed), self, G_CONNECT_SWAPPED);
  build_steps (self);
  /* A role chosen changes the look of Next (not for a delegate). */
  g_signal_connect_object (self->request, "changed", G_CALLBACK (update_buttons), self, G_CONNECT_SWAPPED);
  for (SpStep s = SP_REQUEST_STEP_CITIZEN; s < SP_N_STEPS; s++)
    sp_step_view_load (self->steps[s]);
  self->active = TRUE;
  self->drafting = TRUE;
  warm_scanners (self);
  show_step (self, resume_step (self));
}

gboolean
sp_request_page_is_active (SpRequestPage *self)
{
  return self->active;
}

void
sp_request_page_focus (SpRequestPage *self)
{
  if (self->active)
    sp_step_view_focus_first (self->steps[self->current]);
}

static void
sp_request_page_dispose (GObject *object)
{
  SpRequestPage *self = SP_REQUEST_PAGE (object);

  if (self->save_source)
    save_draft (self);   /* closing the window mid-request keeps it */
  g_clear_object (&self->request);
  forget_sealed (self);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (sp_request_page_parent_class)->dispose (object);
}

SP_CONTEXT_PROPERTY (SpRequestPage, sp_request_page, SP_REQUEST_PAGE)

static void
sp_request_page_class_init (SpRequestPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_request_page_dispose;
  sp_request_page_install_context (klass);
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* After "closed": the delegate's refusal is on record. */
  signals[REFUSED] = g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_install_action (widget_class, "request.next", NULL,
                                   (GtkWidgetActionActivateFunc) go_next);
  gtk_widget_class_install_action (widget_class, "request.back", NULL,
                                   (GtkWidgetActionActivateFunc) go_back);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "request.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "request.back", NULL);
  gtk_widget_class_install_action (widget_class, "request.escape", NULL,
                                   (GtkWidgetActionActivateFunc) escape);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "request.escape", NULL);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sportellopin/SportelloPin/sp-request-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SpRequestPage, steps_list);
  gtk_widget_class_bind_template_child (widget_class, SpRequestPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SpRequestPage, back);
  gtk_widget_class_bind_template_child (widget_class, SpRequestPage, next);
  gtk_widget_class_bind_template_child (widget_class, SpRequestPage, cancel);
  gtk_widget_class_bind_template_callback (widget_class, on_key_pressed);
  gtk_widget_class_bind_template_callback (widget_class, on_step_row);
  gtk_widget_class_bind_template_callback (widget_class, on_step_selected);
  gtk_widget_class_bind_template_callback (widget_class, cancel);
  gtk_widget_class_bind_template_callback (widget_class, go_back);
  gtk_widget_class_bind_template_callback (widget_class, go_next);
}

static GtkWidget *
step_row (SpStep step)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_autofree char *text = g_strdup_printf ("%u. %s", step + 1, step_title (step));
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Complete"), -1);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), check);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  g_object_set_data (G_OBJECT (row), "sp-check", check);
  return row;
}

static void
sp_request_page_init (SpRequestPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  for (SpStep s = SP_REQUEST_STEP_CITIZEN; s < SP_N_STEPS; s++)
    gtk_list_box_append (self->steps_list, step_row (s));
}

SpRequestPage *
sp_request_page_new (SpApplication *app,
                     SpContext     *context)
{
  SpRequestPage *self = g_object_new (SP_TYPE_REQUEST_PAGE, "context", context, NULL);

  self->app = app;
  return self;
}
