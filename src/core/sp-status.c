/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-core"

#include "config.h"

#include "sp-core-enums.h"
#include "sp-status.h"

const char *
sp_enum_to_nick (GType type,
                 int   value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);

  /* The class of a static enum type is never freed: the nick stays valid. */
  g_type_class_unref (klass);
  return v ? v->value_nick : NULL;
}

gboolean
sp_enum_from_nick (GType       type,
                   const char *nick,
                   int        *value)
{
  GEnumClass *klass;
  GEnumValue *v;

  if (nick == NULL)
    return FALSE;
  klass = g_type_class_ref (type);
  v = g_enum_get_value_by_nick (klass, nick);
  if (v)
    *value = v->value;
  g_type_class_unref (klass);
  return v != NULL;
}

const char *
sp_issuance_status_to_string (SpIssuanceStatus status)
{
  return sp_enum_to_nick (SP_TYPE_ISSUANCE_STATUS, status);
}

gboolean
sp_issuance_status_from_string (const char       *text,
                                SpIssuanceStatus *status)
{
  int v;

  if (!sp_enum_from_nick (SP_TYPE_ISSUANCE_STATUS, text, &v))
    return FALSE;
  *status = v;
  return TRUE;
}

const char *
sp_outbox_kind_to_string (SpOutboxKind kind)
{
  return sp_enum_to_nick (SP_TYPE_OUTBOX_KIND, kind);
}

gboolean
sp_outbox_kind_from_string (const char   *text,
                            SpOutboxKind *kind)
{
  int v;

  if (!sp_enum_from_nick (SP_TYPE_OUTBOX_KIND, text, &v))
    return FALSE;
  *kind = v;
  return TRUE;
}

const char *
sp_revocation_status_to_string (SpRevocationStatus status)
{
  return sp_enum_to_nick (SP_TYPE_REVOCATION_STATUS, status);
}

gboolean
sp_revocation_status_from_string (const char         *text,
                                  SpRevocationStatus *status)
{
  int v;

  if (!sp_enum_from_nick (SP_TYPE_REVOCATION_STATUS, text, &v))
    return FALSE;
  *status = v;
  return TRUE;
}
