/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-context-property.h"
#include "sp-step-view.h"

typedef struct {
  SpApplication *app;
  SpContext *context;     /* construct property "context" */
  SpRequest *request;
  SpStep step;
  GHashTable *fields;     /* SpRequestField → SpField */
  GArray *order;          /* the fields (SpRequestField) in the order shown */
  GHashTable *touched;    /* fields the operator has edited */
  GHashTable *quiet;      /* fields whose problem the step explains itself */
  GtkLabel *note;         /* problems with no field of their own */
  gboolean loading;
  gboolean complete;
} SpStepViewPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (SpStepView, sp_step_view, ADW_TYPE_BIN)

enum { PROP_0, PROP_COMPLETE, PROP_CONTEXT, N_PROPS };
static GParamSpec *properties[N_PROPS];

SpApplication *
sp_step_view_get_app (SpStepView *self)
{
  SpStepViewPrivate *priv = sp_step_view_get_instance_private (self);

  return priv->app;
}

SpContext *
sp_step_view_get_context (SpStepView *self)
{
  SpStepViewPrivate *priv = sp_step_view_get_instance_private (self);

  return priv->context;
}

SpRequest *
sp_step_view_get_request (SpStepView *self)
{
  SpStepViewPrivate *priv = sp_step_view_get_instance_private (self);

  return priv->request;
}

SpStep
sp_step_view_get_step (SpStepView *self)
{
  SpStepViewPrivate *priv = sp_step_view_get_instance_private (self);

  return priv->step;
}

GtkLabel *
sp_step_view_get_note (SpStepView *self)
{
  SpStepViewPrivate *priv = sp_step_view_get_instance_private (self);

  return priv->note;
}

GtkGrid *
sp_step_view_new_grid (void)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  return GTK_GRID (grid);
}

static gboolean
today (GDate *date)
{
  g_date_clear (date, 1);
  g_date_set_time_t (date, time (NULL));
  return TRUE;
}

gboolean
sp_step_view_refresh (SpStepView *self,
                      gboolean    reveal_all)
{
  SpStepViewPrivate *priv = sp_step_view_get_instance_private (self);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GString) others = g_string_new (NULL);
  GDate day;
  gboolean complete;

  today (&day);
  problems = sp_request_check_step (priv->request, priv->step, &day);
  if (reveal_all)
    for (guint i = 0; i < priv->order->len; i++)
      g_hash_table_add (priv->touched, GUINT_TO_POINTER (g_array_index (priv->order, SpRequestField, i)));
  for (guint i = 0; i < priv->order->len; i++)
    {
      gpointer key = GUINT_TO_POINTER (g_array_index (priv->order, SpRequestField, i));
      SpField *field = g_hash_table_lookup (priv->fields, key);
      const char *message = NULL;

      for (guint j = 0; j < problems->len && message == NULL; j++)
        {
          SpProblem *p = g_ptr_array_index (problems, j);

          if (GUINT_TO_POINTER (p->field) == key)
            message = p->message;
        }
      sp_field_set_problem (field, g_hash_table_contains (priv->touched, key) ? message : NULL);
    }
  for (guint j = 0; j < problems->len; j++)
    {
      SpProblem *p = g_ptr_array_index (problems, j);
      gpointer key = GUINT_TO_POINTER (p->field);

      /* A missing scan (field NONE) is never touched: shown once Next was tried. */
      if (!g_hash_table_contains (priv->fields, key) && !g_hash_table_contains (priv->quiet, key)
          && (reveal_all || g_hash_table_contains (priv->touched, key)))
        g_string_append_printf (others, "%s%s", others->len ? "\n" : "", p->message);
    }
  sp_ui_show_message (priv->note, others->str);
  complete = problems->len == 0;
  if (complete != priv->complete)
    {
      priv->complete = complete;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
    }
  return complete;
}

void
sp_step_view_touch (SpStepView     *self,
                    SpRequestField  field)
{
  SpStepViewPrivate *priv = sp_step_view_get_instance_private (self);

  g_hash_table_add (priv->touched, GUINT_TO_POINTER (field));
}

gboolean
sp_step_view_is_loading (SpStepView *self)
{
  SpStepViewPrivate *priv = sp_step_view_get_instance_private (self);

  return priv->loading;
}

gboolean
sp_step_view_is_complete (SpStepView *self)
{
  SpStepViewPrivate *priv = sp_step_view_get_instance_private (self);

  return priv->complete;
}

static void
on_text_changed (SpStepView *self,
                 GObject    *widget)
{
  SpStepViewPrivate *priv = sp_step_view_get_instance_private (self);
  SpRequestField field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "sp-field"));
  g_autofree char *text = NULL;

  if (priv->loading)
    return;
  if (GTK_IS_TEXT_BUFFER (widget))
    {
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (widget), &start, &end);
      text = gtk_text_buffer_get_text (GTK_TEXT_BUFFER (widget), &start, &end, FALSE);
    }
  else
    text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (widget)));
  g_hash_table_add (priv->touched, GUINT_TO_POINTER (field));
  sp_request_set_text (priv->request, field, text);
  sp_step_view_refresh (self, FALSE);
}

SpField *
sp_step_view_add_field (SpStepView     *self,
                        SpRequestField  key,
                        GtkGrid        *grid,
                        int            *row,
                        const char     *mnemonic_label,
                        GtkWidget      *widget,
                        const char     *description)
{
  SpStepViewPrivate *priv = sp_step_view_get_instance_private (self);
  SpField *field = sp_field_new (grid, row, mnemonic_label, widget, description);

  g_return_val_if_fail (key > SP_REQUEST_FIELD_NONE && key < SP_REQUEST_N_FIELDS, field);
  /* Fields start at 1, so the data is never NULL. */
  g_object_set_data (G_OBJECT (widget), "sp-field", GUINT_TO_POINTER (key));
  g_hash_table_replace (priv->fields, GUINT_TO_POINTER (key), field);
  g_array_append_val (priv->order, key);
  if (g_object_get_data (G_OBJECT (widget), "sp-unbound"))
    ;   /* the subclass copies it into the request itself */
  else if (GTK_IS_EDITABLE (widget))
    g_signal_connect_object (widget, "changed", G_CALLBACK (on_text_changed), self, G_CONNECT_SWAPPED);
  else if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));

      g_object_set_data (G_OBJECT (buffer), "sp-field", GUINT_TO_POINTER (key));
      g_signal_connect_object (buffer, "changed", G_CALLBACK (on_text_changed), self, G_CONNECT_SWAPPED);
    }
  return field;
}

SpField *
sp_step_view_add_entry (SpStepView     *self,
                        SpRequestField  key,
                        GtkGrid        *grid,
                        int            *row,
                        const char     *mnemonic_label,
                        const char     *description)
{
  GtkWidget *entry = gtk_entry_new ();

  return sp_step_view_add_field (self, key, grid, row, mnemonic_label, entry, description);
}

SpField *
sp_step_view_get_field (SpStepView     *self,
                        SpRequestField  key)
{
  SpStepViewPrivate *priv = sp_step_view_get_instance_private (self);

  return g_hash_table_lookup (priv->fields, GUINT_TO_POINTER (key));
}

void
sp_step_view_load (SpStepView *self)
{
  SpStepViewPrivate *priv = sp_step_view_get_instance_private (self);

  priv->loading = TRUE;
  for (guint i = 0; i < priv->order->len; i++)
    {
      SpRequestField key = g_array_index (priv->order, SpRequestField, i);
      SpField *field = g_hash_table_lookup (priv->fields, GUINT_TO_POINTER (key));
      const char *value = sp_request_get_text (priv->request, key);

      if (g_object_get_data (G_OBJECT (field->widget), "sp-unbound"))
        ;
      else if (GTK_IS_EDITABLE (field->widget))
        gtk_editable_set_text (GTK_EDITABLE (field->widget), value);
      else if (GTK_IS_TEXT_VIEW (field->widget))
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (field->widget)), value, -1);
      if (*value != '\0')
        g_hash_table_add (priv->touched, GUINT_TO_POINTER (key));
    }
  if (SP_STEP_VIEW_GET_CLASS (self)->load)
    SP_STEP_VIEW_GET_CLASS (self)->load (self);
  priv->loading = FALSE;
  sp_step_view_refresh (self, FALSE);
}

void
sp_step_view_enter (SpStepView *self)
{
  if (SP_STEP_VIEW_GET_CLASS (self)->enter)
    SP_STEP_VIEW_GET_CLASS (self)->enter (self);
  sp_step_view_refresh (self, FALSE);
}

/* A text field nothing was typed in yet: where typing at once belongs. */
static gboolean
is_unanswered (GtkWidget *widget)
{
  return GTK_IS_EDITABLE (widget) && *gtk_editable_get_text (GTK_EDITABLE (widget)) == '\0';
}

static gboolean
focusable (SpField *field)
{
  return gtk_widget_is_visible (field->widget) && gtk_widget_get_sensitive (field->widget);
}

/* The plan: a problem shown first (Next was refused), else the first
 * unanswered text field (a drop-down with its default is answered: at
 * step 4 the document number takes what is typed), else the first. */
static SpField *
field_to_focus (SpStepView *self)
{
  SpStepViewPrivate *priv = sp_step_view_get_instance_private (self);
  SpField *first = NULL, *empty = NULL;

  for (guint i = 0; i < priv->order->len; i++)
    {
      SpField *field = g_hash_table_lookup (priv->fields,
                                            GUINT_TO_POINTER (g_array_index (priv->order, SpRequestField, i)));

      if (!focusable (field))
        continue;
      if (gtk_widget_get_visible (GTK_WIDGET (field->note)))
        return field;
      if (first == NULL)
        first = field;
      if (empty == NULL && is_unanswered (field->widget))
        empty = field;
    }
  return empty ? empty : first;
}

void
sp_step_view_focus_first (SpStepView *self)
{
  SpStepViewClass *klass = SP_STEP_VIEW_GET_CLASS (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  SpField *field;

  /* Visible from the start: the operator sees where the keys will go. */
  if (GTK_IS_WINDOW (root))
    gtk_window_set_focus_visible (GTK_WINDOW (root), TRUE);
  if (klass->focus != NULL && klass->focus (self))
    return;
  field = field_to_focus (self);
  if (field != NULL && gtk_widget_grab_focus (field->widget))
    return;
  gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
}

void
sp_step_view_set_quiet (SpStepView     *self,
                        SpRequestField  field,
                        gboolean        quiet)
{
  SpStepViewPrivate *priv = sp_step_view_get_instance_private (self);

  if (quiet)
    g_hash_table_add (priv->quiet, GUINT_TO_POINTER (field));
  else
    g_hash_table_remove (priv->quiet, GUINT_TO_POINTER (field));
}

void
sp_step_view_setup (SpStepView    *self,
                    SpApplication *app,
                    SpRequest     *request,
                    SpStep         step,
                    GtkWidget     *content)
{
  SpStepViewPrivate *priv = sp_step_view_get_instance_private (self);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  priv->app = app;
  priv->request = g_object_ref (request);
  priv->step = step;
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box), content);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (priv->note));
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 720);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_widget_set_vexpand (scrolled, TRUE);
  adw_bin_set_child (ADW_BIN (self), scrolled);
}

static void
sp_step_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_COMPLETE:
      g_value_set_boolean (value, sp_step_view_is_complete (SP_STEP_VIEW (object)));
      break;
    case PROP_CONTEXT:
      g_value_set_object (value, sp_step_view_get_context (SP_STEP_VIEW (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_step_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SpStepViewPrivate *priv = sp_step_view_get_instance_private (SP_STEP_VIEW (object));

  if (prop_id == PROP_CONTEXT)
    priv->context = g_value_dup_object (value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
sp_step_view_finalize (GObject *object)
{
  SpStepViewPrivate *priv = sp_step_view_get_instance_private (SP_STEP_VIEW (object));

  g_clear_object (&priv->request);
  g_clear_object (&priv->context);
  g_hash_table_unref (priv->fields);
  g_hash_table_unref (priv->touched);
  g_hash_table_unref (priv->quiet);
  g_array_unref (priv->order);
  G_OBJECT_CLASS (sp_step_view_parent_class)->finalize (object);
}

static void
sp_step_view_class_init (SpStepViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sp_step_view_finalize;
  object_class->get_property = sp_step_view_get_property;
  object_class->set_property = sp_step_view_set_property;
  properties[PROP_CONTEXT] = sp_context_property_spec ();
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sp_step_view_init (SpStepView *self)
{
  SpStepViewPrivate *priv = sp_step_view_get_instance_private (self);

  priv->fields = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) sp_field_free);
  priv->touched = g_hash_table_new (NULL, NULL);
  priv->quiet = g_hash_table_new (NULL, NULL);
  priv->order = g_array_new (FALSE, FALSE, sizeof (SpRequestField));
  priv->note = sp_ui_message_label ();
}
