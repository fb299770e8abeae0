/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "sp-applicant.h"
#include "sp-date.h"
#include "sp-document.h"

G_BEGIN_DECLS

/* Parsing bounds: no string field of an issuance is longer (bytes), and
 * a workstation clock is never this far (ms) from central's. */
#define SP_ISSUANCE_MAX_STRING 256
#define SP_ISSUANCE_MAX_SKEW_MS (7 * 24 * 3600 * G_GINT64_CONSTANT (1000))


/* The issuance record: what the workstation commits, the outbox pushes and
 * central stores. Its JSON form is the body of POST /v1/issuances
 * (data/openapi.yaml, schema Issuance):
 *
 * { "id": "uuid", "cf": "RSSMRA80A01H501U", "issued_at": "RFC 3339",
 *   "clock_skew_ms": 0, "sede": "0700", "operator": "mrossi",
 *   "workstation": "ws-01", "kind": "dispositivo", "offline": false,
 *   "verifier": "$argon2id$v=19$…",
 *   "citizen": Person, "applicant": { "role": "self", "person": Person|null },
 *   "document": { "type": "cie", "number": "CA00000AA", "issuer": "…",
 *                 "issued_on": "YYYY-MM-DD", "expires_on": "YYYY-MM-DD" },
 *   "attachments": [ { "kind": "mv35", "sha256": "hex", "size": 123 } ],
 *   "attested_in_person": true }
 *
 * Person: { "cf", "surname", "name", "sex": "M"|"F", "birth_date",
 *           "birth_place": "Belfiore code", "residence": Address|null,
 *           "phone": str|null, "email": str|null }
 * Address: { "street", "postcode", "city", "province" }
 *
 * The document is the one shown by whoever stands at the counter (the
 * representative for R3/R4). Never a PIN in here: only its verifier. */

typedef struct {
  char *street;
  char *postcode;
  char *city;
  char *province;
} SpAddress;

typedef struct {
  char *cf;
  char *surname;
  char *name;
  char sex;              /* 'M' or 'F' */
  GDate birth_date;
  char *birth_place;     /* Belfiore code */
  SpAddress *residence;  /* nullable */
  char *phone;           /* nullable */
  char *email;           /* nullable */
} SpPerson;

typedef struct {
  SpAttachmentKind kind;
  char *sha256;          /* lowercase hex of the archived PDF */
  gint64 size;
} SpAttachmentRef;

typedef struct {
  char *id;              /* UUID made on the workstation */
  char *cf;              /* the beneficiary's codice fiscale */
  GDateTime *issued_at;  /* workstation clock corrected by clock_skew_ms */
  gint64 clock_skew_ms;  /* server minus workstation, measured at last sync */
  char *sede;
  char *operator_id;     /* JSON "operator" */
  char *workstation;
  char *kind;            /* "dispositivo" */
  gboolean offline;      /* issued without central's answer */
  char *verifier;        /* Argon2id PHC string */
  SpPerson *citizen;
  SpApplicantRole role;
  SpPerson *representative; /* NULL when role is self */
  SpDocument *document;
  GPtrArray *attachments;   /* of SpAttachmentRef */
  gboolean attested_in_person;
} SpIssuance;

#define SP_ISSUANCE_ERROR (sp_issuance_error_quark ())
typedef enum {
  SP_ISSUANCE_ERROR_MISSING_FIELD,   /* message names the field, e.g. "document.number" */
  SP_ISSUANCE_ERROR_WRONG_TYPE,      /* message names the field */
  SP_ISSUANCE_ERROR_INVALID_VALUE,   /* message names the field */
} SpIssuanceError;
GQuark sp_issuance_error_quark (void);

SpAddress  *sp_address_copy      (const SpAddress *address);
void        sp_address_free      (SpAddress *address);
SpPerson   *sp_person_new        (void);
SpPerson   *sp_person_copy       (const SpPerson *person);
void        sp_person_free       (SpPerson *person);
JsonNode   *sp_person_to_json    (const SpPerson *person);
SpPerson   *sp_person_from_json  (JsonNode *node, const char *field, GError **error);

SpAttachmentRef *sp_attachment_ref_new  (SpAttachmentKind kind, const char *sha256, gint64 size);
void             sp_attachment_ref_free (SpAttachmentRef *ref);

SpIssuance *sp_issuance_new       (void);   /* fresh UUID, kind "dispositivo" */
SpIssuance *sp_issuance_copy      (const SpIssuance *issuance);
void        sp_issuance_free      (SpIssuance *issuance);
JsonNode   *sp_issuance_to_json   (const SpIssuance *issuance);
/* Strict on types, ignores unknown members; the GError names the field
 * (SP_ISSUANCE_ERROR_*) so central can answer 400 with it. */
SpIssuance *sp_issuance_from_json (JsonNode *node, GError **error);
char       *sp_issuance_to_string (const SpIssuance *issuance);   /* compact JSON */
SpIssuance *sp_issuance_from_string (const char *json, gssize length, GError **error);

/* Adds member name to b: the string, or null when value is NULL. */
void        sp_json_add_string    (JsonBuilder *b, const char *name, const char *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpPerson, sp_person_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpIssuance, sp_issuance_free)

G_END_DECLS
