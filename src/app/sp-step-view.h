/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-application.h"
#include "sp-request.h"
#include "sp-ui.h"

G_BEGIN_DECLS

/* One step of the request wizard: a form over the request's fields. The
 * base class keeps the fields (key → SpField), copies what is typed into
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
/* A field bound to key: entries and text views copy their text there. */
SpField    *sp_step_view_add_field     (SpStepView *self,
                                        const char *key,
                                        GtkGrid    *grid,
                                        int        *row,
                                        const char *mnemonic_label,
                                        GtkWidget  *widget,
                                        const char *description);
SpField    *sp_step_view_add_entry     (SpStepView *self,
                                        const char *key,
                                        GtkGrid    *grid,
                                        int        *row,
                                        const char *mnemonic_label,
                                        const char *description);
SpField    *sp_step_view_get_field     (SpStepView *self,
                                        const char *key);
/* Shows the request's problems for this step; TRUE when there are none.
 * reveal_all: also for fields not touched yet (Next was pressed). */
gboolean    sp_step_view_refresh       (SpStepView *self,
                                        gboolean    reveal_all);
gboolean    sp_step_view_is_complete   (SpStepView *self);
/* For fields the subclass binds itself (widget data "sp-unbound"). */
void        sp_step_view_touch         (SpStepView *self,
                                        const char *key);
gboolean    sp_step_view_is_loading    (SpStepView *self);
void        sp_step_view_load          (SpStepView *self);
void        sp_step_view_enter         (SpStepView *self);
/* Puts the keyboard focus in the first field, or the first with a problem. */
void        sp_step_view_focus_first   (SpStepView *self);
/* For a step with its own summary line of problems (attachments, checks). */
GtkLabel   *sp_step_view_get_note      (SpStepView *self);

G_END_DECLS
