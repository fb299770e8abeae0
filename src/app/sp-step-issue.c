/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-envelope.h"
#include "sp-issuer.h"
#include "sp-print-service.h"
#include "sp-print-settings.h"
#include "sp-receipt.h"
#include "sp-printer-pick.h"
#include "sp-step-issue.h"

struct _SpStepIssue
{
  SpStepView parent_instance;

  GtkWidget *content;       /* the template's page, given to sp_step_view_setup */
  GtkLabel *state;
  GtkLabel *offline_notice;
  GtkSpinner *spinner;
  GtkButton *issue;
  GtkButton *reissue;
  GtkButton *receipt;
  GtkButton *handed;
  GCancellable *cancellable;
  SpIssued *issued;         /* the PIN is wiped once the envelope is out */
  char *printer;            /* the envelope printer, checked before the PIN */
  gboolean busy;
};

G_DEFINE_FINAL_TYPE (SpStepIssue, sp_step_issue, SP_TYPE_STEP_VIEW)

enum { CLOSED, N_SIGNALS };
static guint signals[N_SIGNALS];

enum { PROP_0, PROP_BUSY, N_PROPS };
static GParamSpec *properties[N_PROPS];

typedef enum { STATE_READY, STATE_WORKING, STATE_PRINTED, STATE_FAILED } State;

static SpApplication *
app_of (SpStepIssue *self)
{
  return sp_step_view_get_app (SP_STEP_VIEW (self));
}

static SpContext *
context_of (SpStepIssue *self)
{
  return sp_step_view_get_context (SP_STEP_VIEW (self));
}

static void
set_busy (SpStepIssue *self,
          gboolean     busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

gboolean
sp_step_issue_get_busy (SpStepIssue *self)
{
  return self->busy;
}

static void
show_state (SpStepIssue *self,
            State        state,
            const char  *text)
{
  /* A print that ends after the page was closed still voids its PIN
   * (failed ()), but has no page left to show it on. */
  if (self->cancellable == NULL)
    return;
  gtk_label_set_text (self->state, text);
  gtk_spinner_set_spinning (self->spinner, state == STATE_WORKING);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), state == STATE_WORKING);
  gtk_widget_set_visible (GTK_WIDGET (self->issue), state == STATE_READY);
  gtk_widget_set_visible (GTK_WIDGET (self->reissue), state == STATE_FAILED);
  gtk_widget_set_visible (GTK_WIDGET (self->receipt), state == STATE_PRINTED);
  gtk_widget_set_visible (GTK_WIDGET (self->handed), state == STATE_PRINTED);
  /* The wizard cannot go back from here once a PIN exists. */
  set_busy (self, state != STATE_READY);
  if (state == STATE_READY)
    gtk_widget_grab_focus (GTK_WIDGET (self->issue));
  else if (state == STATE_FAILED)
    gtk_widget_grab_focus (GTK_WIDGET (self->reissue));
  else if (state == STATE_PRINTED)
    {
      /* The receipt carries the privacy notice the operator attested:
       * the envelope goes out only after it. */
      gtk_widget_set_sensitive (GTK_WIDGET (self->handed), FALSE);
      gtk_widget_grab_focus (GTK_WIDGET (self->receipt));
    }
  /* Screen readers hear what happened, not only see it. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->state), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

static char *
sede_name (SpStepIssue *self)
{
  const SpOperator *op = sp_context_get_operator (context_of (self));

  return g_strdup_printf (_("Sede %s"), op ? op->sede : "");
}

static void
envelope_options (SpStepIssue       *self,
                  const char        *printer,
                  SpEnvelopeOptions *options)
{
  GSettings *settings = sp_application_get_settings (app_of (self));

  memset (options, 0, sizeof *options);
  options->layout = sp_print_settings_get_layout (settings);
  sp_print_settings_get_offsets (settings, printer, &options->offset_x_mm, &options->offset_y_mm);
}

/* ---- the envelope ---- */

typedef struct {
  SpStepIssue *self;
  char *why;
} Failure;

static void
on_voided (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Failure *f = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (sp_context_void_finish (SP_CONTEXT (source), result, &error))
    text = g_strdup_printf (_("The envelope did not print: %s. That PIN has been voided and will never "
                              "work. Issue a new one."), f->why);
  else
    /* Not silently dropped: the operator learns that the PIN still stands. */
    text = g_strdup_printf (_("The envelope did not print: %s. %s"), f->why, error->message);
  show_state (f->self, STATE_FAILED, text);
  g_object_unref (f->self);
  g_free (f->why);
  g_free (f);
}

static void
failed (SpStepIssue *self,
        const char  *why)
{
  Failure *f = g_new0 (Failure, 1);

  f->self = g_object_ref (self);
  f->why = g_strdup (why);
  show_state (self, STATE_WORKING, _("Cancelling the PIN…"));
  sp_context_void_async (context_of (self), self->issued, why, NULL, on_voided, f);
}

/* What the screen says once the envelope is out: "active" only on
 * central's "active" for this very issuance. */
static void
show_printed (SpStepIssue *self)
{
  gboolean active = self->issued->state == SP_ISSUED_ACTIVE;

  gtk_widget_set_visible (GTK_WIDGET (self->offline_notice), !active);
  show_state (self, STATE_PRINTED,
              active
              ? _("The envelope is printed and the PIN is active. Print the receipt, seal the "
                  "envelope and hand it over.")
              : _("The envelope is printed with the offline notice: the PIN becomes active at the "
                  "next synchronisation. Print the receipt, seal the envelope and hand it over."));
}

/* Central confirmed it later (the queue's run or the change feed). */
static void
on_issuances_changed (SpStepIssue *self)
{
  if (self->issued == NULL || self->issued->state == SP_ISSUED_ACTIVE || self->issued->pin != NULL)
    return;   /* nothing shown yet, or already active */
  if (sp_context_issuance_state (context_of (self), self->issued->issuance->id) != SP_ISSUED_ACTIVE)
    return;
  self->issued->state = SP_ISSUED_ACTIVE;
  gtk_widget_set_visible (GTK_WIDGET (self->offline_notice), FALSE);
  show_state (self, STATE_PRINTED,
              _("The envelope is printed with the offline notice, and central has now activated the PIN. "
                "Print the receipt, seal the envelope and hand it over."));
}

static void
on_event_recorded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SpStepIssue) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sp_context_record_event_finish (SP_CONTEXT (source), result, &error) && self->cancellable != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The audit log could not be written: %s"), error->message);

      sp_ui_show_message (sp_step_view_get_note (SP_STEP_VIEW (self)), text);
    }
}

static void
on_envelope_printed (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(SpStepIssue) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sp_print_service_print_finish (SP_PRINT_SERVICE (source), result, NULL, &error))
    return failed (self, sp_printer_pick_reason (error));
  /* Printed once: the clear PIN exists nowhere any more. */
  g_clear_pointer (&self->issued->pin, sp_pin_free);
  sp_context_record_event_async (context_of (self), "envelope.printed", self->issued->issuance->id, NULL, NULL,
                                 on_event_recorded, g_object_ref (self));
  show_printed (self);
  sp_application_trim_memory (app_of (self));
}

/* Straight to the printer chosen in Preferences: no dialog. */
static void
print_envelope (SpStepIssue *self,
                const char  *printer)
{
  g_autoptr(SpPrintDocument) doc = NULL;
  g_autofree char *sede = sede_name (self);
  SpEnvelopeOptions options;

  envelope_options (self, printer, &options);
  options.sede_name = sede;
  options.sede_address = "";
  doc = sp_envelope_document_new (self->issued->issuance, self->issued->pin, &options);
  show_state (self, STATE_WORKING, _("Printing the envelope…"));
  /* The envelope is drawn before this returns, while the PIN is here. */
  sp_print_service_print_async (sp_application_get_print_service (app_of (self)), printer, doc, NULL,
                                self->cancellable, on_envelope_printed, g_object_ref (self));
}

static void
on_issued (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SpStepIssue) self = user_data;
  g_autoptr(GError) error = NULL;
  SpIssued *issued = sp_issuer_issue_finish (SP_CONTEXT (source), result, &error);

  if (issued == NULL)
    {
      g_free (self->printer);
      self->printer = NULL;
      show_state (self, self->issued ? STATE_FAILED : STATE_READY, error->message);
      return;
    }
  sp_issued_free (self->issued);
  self->issued = issued;
  gtk_widget_set_visible (GTK_WIDGET (self->offline_notice), issued->state != SP_ISSUED_ACTIVE);
  print_envelope (self, self->printer);
}

static void
generate (SpStepIssue *self)
{
  /* Whatever an earlier run said: this issuance's own request decides. */
  show_state (self, STATE_WORKING, _("Issuing the PIN and waiting for central…"));
  sp_issuer_issue_async (context_of (self), sp_step_view_get_request (SP_STEP_VIEW (self)),
                         self->cancellable, on_issued, g_object_ref (self));
}

/* The envelope printer is asked about first: a printer that is missing,
 * stopped, paused or out of paper is said before any PIN exists, so no
 * PIN is spent (voided) on a printer known not to print. */
static void
on_printer_checked (GtkWidget    *owner,
                    const char   *printer,
                    const GError *error)
{
  SpStepIssue *self = SP_STEP_ISSUE (owner);
  g_autofree char *text = NULL;

  if (printer == NULL)
    {
      text = g_strdup_printf (_("No PIN was generated. %s."), sp_printer_pick_reason (error));
      show_state (self, self->issued ? STATE_FAILED : STATE_READY, text);
      return;
    }
  g_free (self->printer);
  self->printer = g_strdup (printer);
  generate (self);
}

static void
issue (SpStepIssue *self)
{
  show_state (self, STATE_WORKING, _("Checking the envelope printer…"));
  sp_printer_pick (app_of (self), GTK_WIDGET (self), TRUE, self->cancellable, on_printer_checked);
}

/* ---- after the envelope ---- */

static void
on_receipt_printed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SpStepIssue) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean printed = sp_print_service_print_finish (SP_PRINT_SERVICE (source), result, NULL, &error);

  if (self->cancellable == NULL)   /* the page was closed meanwhile */
    return;
  if (!printed)
    {
      g_autofree char *text = g_strdup_printf (_("The receipt did not print (%s): you can print it again."),
                                               sp_printer_pick_reason (error));
      sp_ui_show_message (sp_step_view_get_note (SP_STEP_VIEW (self)), text);
      return;
    }
  sp_ui_show_confirmation (sp_step_view_get_note (SP_STEP_VIEW (self)), _("The receipt is printed."));
  gtk_widget_set_sensitive (GTK_WIDGET (self->handed), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->handed));
}

static void
print_receipt_on (GtkWidget    *owner,
                  const char   *printer,
                  const GError *error)
{
  SpStepIssue *self = SP_STEP_ISSUE (owner);
  const SpOperator *op = sp_context_get_operator (context_of (self));
  g_autofree char *sede = sede_name (self);
  g_autoptr(SpPrintDocument) doc = NULL;

  if (self->issued == NULL)
    return;
  if (printer == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The receipt did not print (%s): you can print it again."),
                                               sp_printer_pick_reason (error));
      sp_ui_show_message (sp_step_view_get_note (SP_STEP_VIEW (self)), text);
      return;
    }
  doc = sp_receipt_document_new (self->issued->issuance, sede, op ? op->name : "",
                                 SP_RECEIPT_COPY_CITIZEN | SP_RECEIPT_COPY_ARCHIVE);
  sp_print_service_print_async (sp_application_get_print_service (app_of (self)), printer, doc, NULL,
                                self->cancellable, on_receipt_printed, g_object_ref (self));
}

static void
print_receipt (SpStepIssue *self)
{
  sp_printer_pick (app_of (self), GTK_WIDGET (self), FALSE, self->cancellable, print_receipt_on);
}

static void
on_handed_over (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SpStepIssue) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sp_context_record_event_finish (SP_CONTEXT (source), result, &error))
    {
      /* The hand-over is on record or the case stays open: try again. */
      g_autofree char *text = g_strdup_printf (_("The hand-over could not be recorded: %s"), error->message);

      sp_ui_show_message (sp_step_view_get_note (SP_STEP_VIEW (self)), text);
      return;
    }
  g_clear_pointer (&self->issued, sp_issued_free);
  show_state (self, STATE_READY, "");
  g_signal_emit (self, signals[CLOSED], 0);
}

static void
handed_over (SpStepIssue *self)
{
  sp_context_record_event_async (context_of (self), "envelope.handed_over",
                                 self->issued ? self->issued->issuance->id : NULL, NULL, NULL,
                                 on_handed_over, g_object_ref (self));
}

static void
enter (SpStepView *view)
{
  SpStepIssue *self = SP_STEP_ISSUE (view);

  if (self->busy)
    return;
  /* The PIN and its verifier are made while the operator reads this:
   * "Rilascia" then waits only for the commit and central. */
  sp_context_prepare_issue (context_of (self));
  /* Said after this issuance's own request, not guessed from a flag. */
  gtk_widget_set_visible (GTK_WIDGET (self->offline_notice), FALSE);
  show_state (self, STATE_READY, _("Everything is ready. The PIN is generated now, and the envelope "
                                   "is printed once: there is no reprint."));
}

static void
sp_step_issue_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, SP_STEP_ISSUE (object)->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_step_issue_dispose (GObject *object)
{
  SpStepIssue *self = SP_STEP_ISSUE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* The request is gone: a PIN made ahead for it is wiped. */
  if (context_of (self) != NULL)
    sp_context_discard_prepared (context_of (self));
  g_clear_pointer (&self->issued, sp_issued_free);
  g_clear_pointer (&self->printer, g_free);
  G_OBJECT_CLASS (sp_step_issue_parent_class)->dispose (object);
}

static void
sp_step_issue_class_init (SpStepIssueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_step_issue_dispose;
  object_class->get_property = sp_step_issue_get_property;
  SP_STEP_VIEW_CLASS (klass)->enter = enter;
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sportellopin/SportelloPin/sp-step-issue.ui");
  gtk_widget_class_bind_template_child (widget_class, SpStepIssue, content);
  gtk_widget_class_bind_template_child (widget_class, SpStepIssue, offline_notice);
  gtk_widget_class_bind_template_child (widget_class, SpStepIssue, state);
  gtk_widget_class_bind_template_child (widget_class, SpStepIssue, spinner);
  gtk_widget_class_bind_template_child (widget_class, SpStepIssue, issue);
  gtk_widget_class_bind_template_child (widget_class, SpStepIssue, reissue);
  gtk_widget_class_bind_template_child (widget_class, SpStepIssue, receipt);
  gtk_widget_class_bind_template_child (widget_class, SpStepIssue, handed);
  gtk_widget_class_bind_template_callback (widget_class, issue);
  gtk_widget_class_bind_template_callback (widget_class, print_receipt);
  gtk_widget_class_bind_template_callback (widget_class, handed_over);
}

static void
sp_step_issue_init (SpStepIssue *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

SpStepView *
sp_step_issue_new (SpApplication *app,
                   SpContext     *context,
                   SpRequest     *request)
{
  SpStepIssue *self = g_object_new (SP_TYPE_STEP_ISSUE, "context", context, NULL);

  sp_step_view_setup (SP_STEP_VIEW (self), app, request, SP_REQUEST_STEP_ISSUE, self->content);
  if (context != NULL)
    g_signal_connect_object (context, "issuances-changed", G_CALLBACK (on_issuances_changed), self,
                             G_CONNECT_SWAPPED);
  show_state (self, STATE_READY, "");
  return SP_STEP_VIEW (self);
}
