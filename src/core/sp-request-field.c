/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-core"

#include "config.h"

#include "sp-core-enums.h"
#include "sp-request-field.h"
#include "sp-status.h"

/* The mapping below relies on the enum's layout: each person's fields in
 * SpPersonField's order, the representative right after the citizen. */
G_STATIC_ASSERT (SP_REQUEST_FIELD_CITIZEN_BIRTH_PLACE_NAME - SP_REQUEST_FIELD_CITIZEN_CF == SP_PERSON_N_FIELDS - 1);
G_STATIC_ASSERT (SP_REQUEST_FIELD_REP_CF == SP_REQUEST_FIELD_CITIZEN_CF + SP_PERSON_N_FIELDS);
G_STATIC_ASSERT (SP_REQUEST_FIELD_REP_BIRTH_PLACE_NAME - SP_REQUEST_FIELD_REP_CF == SP_PERSON_N_FIELDS - 1);

SpRequestField
sp_request_field_of (SpParty       party,
                     SpPersonField field)
{
  g_return_val_if_fail (field < SP_PERSON_N_FIELDS, SP_REQUEST_FIELD_NONE);
  return SP_REQUEST_FIELD_CITIZEN_CF + (party == SP_PARTY_REPRESENTATIVE ? SP_PERSON_N_FIELDS : 0) + field;
}

const char *
sp_request_field_to_key (SpRequestField field)
{
  return sp_enum_to_nick (SP_TYPE_REQUEST_FIELD, field);
}

gboolean
sp_request_field_from_key (const char     *key,
                           SpRequestField *field)
{
  int v;

  if (!sp_enum_from_nick (SP_TYPE_REQUEST_FIELD, key, &v) || v == SP_REQUEST_FIELD_NONE)
    return FALSE;
  *field = v;
  return TRUE;
}

gboolean
sp_request_field_is_attestation (SpRequestField field)
{
  return field >= SP_REQUEST_FIELD_FIRST_ATTESTATION && field <= SP_REQUEST_FIELD_LAST_ATTESTATION;
}
