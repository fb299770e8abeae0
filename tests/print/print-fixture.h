/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Demo data for the print tests and benchmarks: fictitious people. */
#pragma once

#include "sp-issuance.h"

static inline SpPerson *
fixture_person (const char *cf,
                const char *surname,
                const char *name,
                int         year)
{
  SpPerson *p = sp_person_new ();

  p->cf = g_strdup (cf);
  p->surname = g_strdup (surname);
  p->name = g_strdup (name);
  p->sex = 'M';
  g_date_set_dmy (&p->birth_date, 9, 4, year);
  p->birth_place = g_strdup ("F205");
  p->residence = g_new0 (SpAddress, 1);
  p->residence->street = g_strdup ("Via Roma 12");
  p->residence->postcode = g_strdup ("20121");
  p->residence->city = g_strdup ("Milano");
  p->residence->province = g_strdup ("MI");
  p->phone = g_strdup ("+39 02 0000000");
  return p;
}

/* representative: a minor's parent at the counter (R4). */
static inline SpIssuance *
fixture_issuance (gboolean representative,
                  gboolean offline)
{
  SpIssuance *is = sp_issuance_new ();

  is->issued_at = g_date_time_new_now_utc ();
  is->sede = g_strdup ("0700");
  is->operator_id = g_strdup ("mrossi");
  is->workstation = g_strdup ("ws-01");
  is->offline = offline;
  is->verifier = g_strdup ("$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA");
  if (representative)
    {
      is->citizen = fixture_person ("MRTLCU15D09F205X", "Moretti", "Luca", 2015);
      is->role = SP_ROLE_PARENT;
      is->representative = fixture_person ("MRTMTT85D09F205K", "Moretti", "Matteo", 1985);
    }
  else
    is->citizen = fixture_person ("MRTMTT25D09F205Z", "Moretti", "Matteo", 1925);
  is->cf = g_strdup (is->citizen->cf);
  is->document = sp_document_new ();
  is->document->type = SP_DOCUMENT_CIE;
  is->document->number = g_strdup ("CA12345AB");
  is->document->issuer = g_strdup ("Comune di Milano");
  g_date_set_dmy (&is->document->issued_on, 1, 2, 2020);
  g_date_set_dmy (&is->document->expires_on, 1, 2, 2030);
  g_ptr_array_add (is->attachments, sp_attachment_ref_new (SP_ATTACHMENT_MV35, "00", 10));
  g_ptr_array_add (is->attachments, sp_attachment_ref_new (SP_ATTACHMENT_DOCUMENT_FRONT, "00", 10));
  is->attested_in_person = TRUE;
  return is;
}
