/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-application.h"
#include "sp-request.h"
#include "sp-ui.h"

G_BEGIN_DECLS

/* One step of the request wizard: a form over the request's fields. The
 * base class keeps the fields (SpRequestField → SpField), copies what is typed into
 * the request, and shows each field's problem as it is typed (once the
 * field was touched, or all of them after Next was tried). */

#define SP_TYPE_STEP_VIEW (sp_step_view_get_type ())
G_DECLARE_DERIVABLE_TYPE (SpStepView, sp_step_view, SP, STEP_VIEW, AdwBin)

struct _SpStepViewClass
{
  AdwBinClass parent_class;

  /* Fill the widgets from the request (a draft, or Back). */
  void (*load)  (SpStepView *self);
  /* The step became visible. */
  void (*enter) (SpStepView *self);
  /* Optional: where the keyboard goes on arrival, for a step whose
   * controls are not fields (choices, scans); FALSE falls back to the
   * fields' plan. */
  gboolean (*focus) (SpStepView *self);
};

void        sp_step_view_setup         (SpStepView    *self,
                                        SpApplication *app,
                                        SpRequest     *request,
                                        SpStep         step,
                                        GtkWidget     *content);
SpApplication *sp_step_view_get_app    (SpStepView *self);
/* The workstation context, the step's construct property "context". */
SpContext  *sp_step_view_get_context   (SpStepView *self);
SpRequest  *sp_step_view_get_request   (SpStepView *self);
SpStep      sp_step_view_get_step      (SpStepView *self);
GtkGrid    *sp_step_view_new_grid      (void);
/* A field bound to a request field: entries and text views copy their
 * text there. */
SpField    *sp_step_view_add_field     (SpStepView     *self,
                                        SpRequestField  field,
                                        GtkGrid        *grid,
                                        int            *row,
                                        const char     *mnemonic_label,
                                        GtkWidget      *widget,
                                        const char     *description);
SpField    *sp_step_view_add_entry     (SpStepView     *self,
                                        SpRequestField  field,
                                        GtkGrid        *grid,
                                        int            *row,
                                        const char     *mnemonic_label,
                                        const char     *description);
SpField    *sp_step_view_get_field     (SpStepView     *self,
                                        SpRequestField  field);
/* Shows the request's problems for this step; TRUE when there are none.
 * reveal_all: also for fields not touched yet (Next was pressed). */
gboolean    sp_step_view_refresh       (SpStepView *self,
                                        gboolean    reveal_all);
gboolean    sp_step_view_is_complete   (SpStepView *self);
/* For fields the subclass binds itself (widget data "sp-unbound"). */
void        sp_step_view_touch         (SpStepView     *self,
                                        SpRequestField  field);
gboolean    sp_step_view_is_loading    (SpStepView *self);
/* The step explains field's problem on its own (the delegate's refusal
 * panel): the note does not repeat it. */
void        sp_step_view_set_quiet     (SpStepView     *self,
                                        SpRequestField  field,
                                        gboolean        quiet);
void        sp_step_view_load          (SpStepView *self);
void        sp_step_view_enter         (SpStepView *self);
/* Puts the keyboard focus, visibly, where typing should go: the first
 * field with a problem shown, else the first empty one, else the first. */
void        sp_step_view_focus_first   (SpStepView *self);
/* For a step with its own summary line of problems (attachments, checks). */
GtkLabel   *sp_step_view_get_note      (SpStepView *self);

G_END_DECLS
