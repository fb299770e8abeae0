/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The fields of a request at the counter. Each value's nick is its key in
 * a draft's JSON ("citizen.cf"), the form drafts have had from the start,
 * so a draft saved by an older version still loads. The enum is the only
 * way to name a field: a typo is a compile error, not an empty string.
 *
 * The two people (citizen, representative) have the same fields in the
 * same order, so sp_request_field_of () maps a party and a person field
 * to the request field. */
typedef enum {
  SP_REQUEST_FIELD_NONE,                      /*< nick=none >*/
  SP_REQUEST_FIELD_CITIZEN_CF,                /*< nick=citizen.cf >*/
  SP_REQUEST_FIELD_CITIZEN_SURNAME,           /*< nick=citizen.surname >*/
  SP_REQUEST_FIELD_CITIZEN_NAME,              /*< nick=citizen.name >*/
  SP_REQUEST_FIELD_CITIZEN_SEX,               /*< nick=citizen.sex >*/
  SP_REQUEST_FIELD_CITIZEN_BIRTH_DATE,        /*< nick=citizen.birth_date >*/
  SP_REQUEST_FIELD_CITIZEN_BIRTH_PLACE,       /*< nick=citizen.birth_place >*/
  SP_REQUEST_FIELD_CITIZEN_STREET,            /*< nick=citizen.street >*/
  SP_REQUEST_FIELD_CITIZEN_POSTCODE,          /*< nick=citizen.postcode >*/
  SP_REQUEST_FIELD_CITIZEN_CITY,              /*< nick=citizen.city >*/
  SP_REQUEST_FIELD_CITIZEN_PROVINCE,          /*< nick=citizen.province >*/
  SP_REQUEST_FIELD_CITIZEN_PHONE,             /*< nick=citizen.phone >*/
  SP_REQUEST_FIELD_CITIZEN_EMAIL,             /*< nick=citizen.email >*/
  SP_REQUEST_FIELD_CITIZEN_BIRTH_PLACE_NAME,  /*< nick=citizen.birth_place_name >*/
  SP_REQUEST_FIELD_REP_CF,                    /*< nick=rep.cf >*/
  SP_REQUEST_FIELD_REP_SURNAME,               /*< nick=rep.surname >*/
  SP_REQUEST_FIELD_REP_NAME,                  /*< nick=rep.name >*/
  SP_REQUEST_FIELD_REP_SEX,                   /*< nick=rep.sex >*/
  SP_REQUEST_FIELD_REP_BIRTH_DATE,            /*< nick=rep.birth_date >*/
  SP_REQUEST_FIELD_REP_BIRTH_PLACE,           /*< nick=rep.birth_place >*/
  SP_REQUEST_FIELD_REP_STREET,                /*< nick=rep.street >*/
  SP_REQUEST_FIELD_REP_POSTCODE,              /*< nick=rep.postcode >*/
  SP_REQUEST_FIELD_REP_CITY,                  /*< nick=rep.city >*/
  SP_REQUEST_FIELD_REP_PROVINCE,              /*< nick=rep.province >*/
  SP_REQUEST_FIELD_REP_PHONE,                 /*< nick=rep.phone >*/
  SP_REQUEST_FIELD_REP_EMAIL,                 /*< nick=rep.email >*/
  SP_REQUEST_FIELD_REP_BIRTH_PLACE_NAME,      /*< nick=rep.birth_place_name >*/
  SP_REQUEST_FIELD_ROLE,                      /*< nick=role >*/
  SP_REQUEST_FIELD_DOC_TYPE,                  /*< nick=doc.type >*/
  SP_REQUEST_FIELD_DOC_NUMBER,                /*< nick=doc.number >*/
  SP_REQUEST_FIELD_DOC_ISSUER,                /*< nick=doc.issuer >*/
  SP_REQUEST_FIELD_DOC_ISSUED_ON,             /*< nick=doc.issued_on >*/
  SP_REQUEST_FIELD_DOC_EXPIRES_ON,            /*< nick=doc.expires_on >*/
  SP_REQUEST_FIELD_DOC_MRZ,                   /*< nick=doc.mrz >*/
  /* The operator's attestation of the in-person check (Reg. SPID art. 7
   * is the model), and that the privacy notice was given (GDPR art. 13). */
  SP_REQUEST_FIELD_ATTEST_ORIGINAL,           /*< nick=attest.original >*/
  SP_REQUEST_FIELD_ATTEST_INTACT,             /*< nick=attest.intact >*/
  SP_REQUEST_FIELD_ATTEST_IN_DATE,            /*< nick=attest.in_date >*/
  SP_REQUEST_FIELD_ATTEST_PHOTO_SIGNATURE,    /*< nick=attest.photo_signature >*/
  SP_REQUEST_FIELD_ATTEST_STATE_ISSUED,       /*< nick=attest.state_issued >*/
  SP_REQUEST_FIELD_ATTEST_MATCHES_PHOTO,      /*< nick=attest.matches_photo >*/
  SP_REQUEST_FIELD_ATTEST_PRIVACY,            /*< nick=attest.privacy >*/
  /* Where the wizard was left (a step number), so a draft resumes there. */
  SP_REQUEST_FIELD_WIZARD_STEP,               /*< nick=wizard.step >*/
  SP_REQUEST_N_FIELDS                         /*< skip >*/
} SpRequestField;

#define SP_REQUEST_FIELD_FIRST_ATTESTATION SP_REQUEST_FIELD_ATTEST_ORIGINAL
#define SP_REQUEST_FIELD_LAST_ATTESTATION SP_REQUEST_FIELD_ATTEST_PRIVACY

/* The two people a request may describe. */
typedef enum {
  SP_PARTY_CITIZEN,          /*< nick=citizen >*/
  SP_PARTY_REPRESENTATIVE,   /*< nick=rep >*/
} SpParty;

/* A person's fields, in the order of the request's. */
typedef enum {
  SP_PERSON_FIELD_CF,
  SP_PERSON_FIELD_SURNAME,
  SP_PERSON_FIELD_NAME,
  SP_PERSON_FIELD_SEX,
  SP_PERSON_FIELD_BIRTH_DATE,
  SP_PERSON_FIELD_BIRTH_PLACE,
  SP_PERSON_FIELD_STREET,
  SP_PERSON_FIELD_POSTCODE,
  SP_PERSON_FIELD_CITY,
  SP_PERSON_FIELD_PROVINCE,
  SP_PERSON_FIELD_PHONE,
  SP_PERSON_FIELD_EMAIL,
  SP_PERSON_FIELD_BIRTH_PLACE_NAME,   /* the place as typed; birth_place is its code */
  SP_PERSON_N_FIELDS         /*< skip >*/
} SpPersonField;

SpRequestField sp_request_field_of       (SpParty         party,
                                          SpPersonField   field);
/* The draft key of a field ("citizen.cf"), and back (FALSE when unknown). */
const char    *sp_request_field_to_key   (SpRequestField  field);
gboolean       sp_request_field_from_key (const char     *key,
                                          SpRequestField *field);
gboolean       sp_request_field_is_attestation (SpRequestField field);

G_END_DECLS
