/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sp-issuance.h"

G_BEGIN_DECLS

/* Small pieces every page uses: labelled fields in a grid whose problem
 * is shown under them and announced through the accessibility tree
 * (invalid state + description), not only coloured. */

typedef struct {
  GtkWidget *widget;
  GtkLabel *note;
  char *description;   /* the accessible description when all is well */
} SpField;

void      sp_field_free        (SpField    *field);
/* Adds "label: widget" at *row and the note under it; advances *row. */
SpField  *sp_field_new         (GtkGrid    *grid,
                                int        *row,
                                const char *mnemonic_label,
                                GtkWidget  *widget,
                                const char *description);
void      sp_field_set_problem (SpField    *field,
                                const char *message);

GtkEntry *sp_ui_grid_entry     (GtkGrid    *grid,
                                int         row,
                                const char *mnemonic_label,
                                const char *description);
void      sp_ui_grid_attach    (GtkGrid    *grid,
                                int         row,
                                const char *mnemonic_label,
                                GtkWidget  *widget,
                                const char *description);
GtkLabel *sp_ui_message_label  (void);
void      sp_ui_show_message   (GtkLabel   *label,
                                const char *message);
/* A confirmation in a message label: shown without the error style. */
void      sp_ui_show_confirmation (GtkLabel   *label,
                                   const char *message);
/* A heading label for a section of a page. */
GtkWidget *sp_ui_heading       (const char *text);
/* "ROSSI MARIO, male, born on 01/02/1960 in Roma (RM)": the registry's
 * person as the operator compares it with the one at the counter. */
char     *sp_ui_identity_text  (const SpPerson *person);
/* Label text without its mnemonic underscore, for accessible names. */
char     *sp_ui_strip_mnemonic (const char *text);

G_END_DECLS
