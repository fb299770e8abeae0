/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-context.h"

G_BEGIN_DECLS

/* The pages get the workstation context as their "context" construct
 * property (as gnome-calendar's pages get GcalContext). For a class with
 * no other property whose instance has a field `SpContext *context`
 * (released in dispose), this writes the property's accessors and
 * type_name##_install_context (klass), called from class_init. */
#define SP_CONTEXT_PROPERTY(TypeName, type_name, TYPE_CAST)                                     \
  static void                                                                                   \
  type_name##_set_property (GObject *object, guint prop_id, const GValue *value,               \
                            GParamSpec *pspec)                                                  \
  {                                                                                             \
    if (prop_id == 1)                                                                           \
      TYPE_CAST (object)->context = g_value_dup_object (value);                                 \
    else                                                                                        \
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);                               \
  }                                                                                             \
  static void                                                                                   \
  type_name##_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)  \
  {                                                                                             \
    if (prop_id == 1)                                                                           \
      g_value_set_object (value, TYPE_CAST (object)->context);                                  \
    else                                                                                        \
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);                               \
  }                                                                                             \
  static void                                                                                   \
  type_name##_install_context (TypeName##Class *klass)                                          \
  {                                                                                             \
    GObjectClass *object_class = G_OBJECT_CLASS (klass);                                        \
                                                                                                \
    object_class->set_property = type_name##_set_property;                                      \
    object_class->get_property = type_name##_get_property;                                      \
    g_object_class_install_property (object_class, 1, sp_context_property_spec ());             \
  }

/* "context": SpContext, construct-only. */
GParamSpec *sp_context_property_spec (void);

G_END_DECLS
