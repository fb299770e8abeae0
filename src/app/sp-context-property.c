/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sp-context-property.h"

GParamSpec *
sp_context_property_spec (void)
{
  return g_param_spec_object ("context", NULL, NULL, SP_TYPE_CONTEXT,
                              G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
}
