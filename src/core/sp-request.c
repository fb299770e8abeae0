/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sp-applicant.h"
#include "sp-belfiore.h"
#include "sp-codice-fiscale.h"
#include "sp-document.h"
#include "sp-mrz.h"
#include "sp-request.h"
#include "sp-status.h"

typedef struct {
  GBytes *pdf;
  guint pages;
} Attachment;

struct _SpRequest
{
  GObject parent_instance;

  char *text[SP_REQUEST_N_FIELDS];            /* NULL: never set */
  Attachment attachments[SP_ATTACHMENT_N_KINDS];
};

G_DEFINE_FINAL_TYPE (SpRequest, sp_request, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

void
sp_problem_free (SpProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->message);
  g_free (problem);
}

static void
add_problem (GPtrArray      *problems,
             SpRequestField  field,
             const char     *message)
{
  SpProblem *p = g_new0 (SpProblem, 1);

  p->field = field;
  p->attachment = SP_ATTACHMENT_N_KINDS;
  p->message = g_strdup (message);
  g_ptr_array_add (problems, p);
}

SpRequest *
sp_request_new (void)
{
  return g_object_new (SP_TYPE_REQUEST, NULL);
}

const char *
sp_request_get_text (SpRequest      *self,
                     SpRequestField  field)
{
  g_return_val_if_fail (SP_IS_REQUEST (self), "");
  g_return_val_if_fail (field > SP_REQUEST_FIELD_NONE && field < SP_REQUEST_N_FIELDS, "");
  return self->text[field] ? self->text[field] : "";
}

void
sp_request_set_text (SpRequest      *self,
                     SpRequestField  field,
                     const char     *text)
{
  g_autofree char *clean = g_strstrip (g_strdup (text ? text : ""));

  g_return_if_fail (SP_IS_REQUEST (self));
  g_return_if_fail (field > SP_REQUEST_FIELD_NONE && field < SP_REQUEST_N_FIELDS);
  if (self->text[field] != NULL && g_str_equal (clean, self->text[field]))
    return;
  g_free (self->text[field]);
  self->text[field] = g_steal_pointer (&clean);
  g_signal_emit (self, signals[CHANGED], 0, field);
}

gboolean
sp_request_get_date (SpRequest      *self,
                     SpRequestField  field,
                     GDate          *date)
{
  return sp_date_parse (sp_request_get_text (self, field), SP_DATE_ANY, date);
}

/* Drafts have always kept a ticked attestation as "1". */
gboolean
sp_request_get_flag (SpRequest      *self,
                     SpRequestField  field)
{
  return g_str_equal (sp_request_get_text (self, field), "1");
}

void
sp_request_set_flag (SpRequest      *self,
                     SpRequestField  field,
                     gboolean        ticked)
{
  sp_request_set_text (self, field, ticked ? "1" : "");
}

gboolean
sp_request_lookup_role (SpRequest       *self,
                        SpApplicantRole *role)
{
  return sp_applicant_role_from_string (sp_request_get_text (self, SP_REQUEST_FIELD_ROLE), role);
}

SpApplicantRole
sp_request_get_role (SpRequest *self)
{
  SpApplicantRole role = SP_ROLE_SELF;

  sp_request_lookup_role (self, &role);
  return role;
}

void
sp_request_set_role (SpRequest       *self,
                     SpApplicantRole  role)
{
  sp_request_set_text (self, SP_REQUEST_FIELD_ROLE, sp_applicant_role_to_string (role));
}

gboolean
sp_request_lookup_document_type (SpRequest      *self,
                                 SpDocumentType *type)
{
  return sp_document_type_from_string (sp_request_get_text (self, SP_REQUEST_FIELD_DOC_TYPE), type);
}

SpDocumentType
sp_request_get_document_type (SpRequest *self)
{
  SpDocumentType type = SP_DOCUMENT_CIE;

  sp_request_lookup_document_type (self, &type);
  return type;
}

void
sp_request_set_document_type (SpRequest      *self,
                              SpDocumentType  type)
{
  sp_request_set_text (self, SP_REQUEST_FIELD_DOC_TYPE, sp_document_type_to_string (type));
}

/* Kept as the step's number, "" for the first: the drafts' form. */
SpStep
sp_request_get_wizard_step (SpRequest *self)
{
  guint64 step = 0;

  if (!g_ascii_string_to_unsigned (sp_request_get_text (self, SP_REQUEST_FIELD_WIZARD_STEP), 10,
                                   0, SP_REQUEST_STEP_ISSUE, &step, NULL))
    return SP_REQUEST_STEP_CITIZEN;
  return step;
}

void
sp_request_set_wizard_step (SpRequest *self,
                            SpStep     step)
{
  char number[16];

  g_snprintf (number, sizeof number, "%u", (guint) step);
  sp_request_set_text (self, SP_REQUEST_FIELD_WIZARD_STEP, step > SP_REQUEST_STEP_CITIZEN ? number : "");
}

gboolean
sp_request_is_empty (SpRequest *self)
{
  for (guint i = SP_REQUEST_FIELD_NONE + 1; i < SP_REQUEST_N_FIELDS; i++)
    if (self->text[i] != NULL && self->text[i][0] != '\0')
      return FALSE;
  return TRUE;
}

void
sp_request_set_attachment (SpRequest        *self,
                           SpAttachmentKind  kind,
                           GBytes           *pdf,
                           guint             pages)
{
  g_return_if_fail (kind < SP_ATTACHMENT_N_KINDS);
  g_clear_pointer (&self->attachments[kind].pdf, g_bytes_unref);
  self->attachments[kind].pdf = pdf ? g_bytes_ref (pdf) : NULL;
  self->attachments[kind].pages = pdf ? pages : 0;
  g_signal_emit (self, signals[CHANGED], 0, SP_REQUEST_FIELD_NONE);
}

GBytes *
sp_request_get_attachment (SpRequest        *self,
                           SpAttachmentKind  kind,
                           guint            *pages)
{
  g_return_val_if_fail (kind < SP_ATTACHMENT_N_KINDS, NULL);
  if (pages)
    *pages = self->attachments[kind].pages;
  return self->attachments[kind].pdf;
}

GArray *
sp_request_required_attachments (SpRequest *self)
{
  return sp_applicant_required_attachments (sp_request_get_role (self),
                                            sp_document_type_has_back (sp_request_get_document_type (self)));
}

const SpBelfioreEntry *
sp_place_by_code (const char *code)
{
  guint n = 0;
  const SpBelfioreEntry *e = code ? sp_belfiore_lookup (code, &n) : NULL;

  return e && n > 0 ? &e[n - 1] : NULL;
}

static const char *
person_text (SpRequest     *self,
             SpParty        party,
             SpPersonField  field)
{
  return sp_request_get_text (self, sp_request_field_of (party, field));
}

void
sp_request_prefill_person (SpRequest      *self,
                           SpParty         party,
                           const SpPerson *p)
{
  g_autofree char *birth = sp_date_to_display (&p->birth_date);
  char sex[2] = { p->sex, 0 };
  const char *values[SP_PERSON_N_FIELDS] = {
    [SP_PERSON_FIELD_SURNAME] = p->surname,
    [SP_PERSON_FIELD_NAME] = p->name,
    [SP_PERSON_FIELD_SEX] = sex,
    [SP_PERSON_FIELD_BIRTH_DATE] = birth,
    [SP_PERSON_FIELD_BIRTH_PLACE] = p->birth_place,
    [SP_PERSON_FIELD_STREET] = p->residence ? p->residence->street : NULL,
    [SP_PERSON_FIELD_POSTCODE] = p->residence ? p->residence->postcode : NULL,
    [SP_PERSON_FIELD_CITY] = p->residence ? p->residence->city : NULL,
    [SP_PERSON_FIELD_PROVINCE] = p->residence ? p->residence->province : NULL,
    [SP_PERSON_FIELD_PHONE] = p->phone,
    [SP_PERSON_FIELD_EMAIL] = p->email,
  };

  /* The code is what the operator typed to find the record: left as is. */
  for (SpPersonField f = SP_PERSON_FIELD_SURNAME; f < SP_PERSON_N_FIELDS; f++)
    if (*person_text (self, party, f) == '\0' && values[f] && *values[f])
      sp_request_set_text (self, sp_request_field_of (party, f), values[f]);
}

/* ---- checks, one function per step ---- */

static gboolean
required (SpRequest      *self,
          GPtrArray      *problems,
          SpRequestField  field,
          const char     *message)
{
  if (*sp_request_get_text (self, field) != '\0')
    return TRUE;
  add_problem (problems, field, message);
  return FALSE;
}

static void
check_cf (SpRequest      *self,
          GPtrArray      *problems,
          SpRequestField  field)
{
  g_autoptr(GError) error = NULL;

  if (!required (self, problems, field, _("Type the codice fiscale.")))
    return;
  if (!sp_cf_validate (sp_request_get_text (self, field), NULL, &error))
    add_problem (problems, field, error->message);
}

static void
check_citizen (SpRequest *self,
               GPtrArray *problems)
{
  check_cf (self, problems, SP_REQUEST_FIELD_CITIZEN_CF);
}

/* The beneficiary's birth date: typed, or else read from the code. */
static gboolean
beneficiary_birth (SpRequest *self,
                   GDate     *date)
{
  SpCfResult *r;
  gboolean ok;

  if (sp_request_get_date (self, SP_REQUEST_FIELD_CITIZEN_BIRTH_DATE, date))
    return TRUE;
  r = sp_cf_check (sp_request_get_text (self, SP_REQUEST_FIELD_CITIZEN_CF), NULL);
  ok = r->valid && g_date_valid (&r->birth_date);
  if (ok)
    *date = r->birth_date;
  sp_cf_result_free (r);
  return ok;
}

static void
check_applicant (SpRequest   *self,
                 GPtrArray   *problems,
                 const GDate *today)
{
  g_autoptr(GError) error = NULL;
  SpApplicantRole role;
  GDate born;

  if (!sp_request_lookup_role (self, &role))
    {
      add_problem (problems, SP_REQUEST_FIELD_ROLE, _("Choose who is at the counter."));
      return;
    }
  if (!beneficiary_birth (self, &born))
    g_date_clear (&born, 1);
  if (!sp_applicant_check_role (role, g_date_valid (&born) ? &born : NULL, today, &error))
    add_problem (problems, SP_REQUEST_FIELD_ROLE, error->message);
}

static gboolean
check_birth_place (SpRequest      *self,
                   GPtrArray      *problems,
                   SpRequestField  field,
                   const GDate    *born)
{
  const char *place = sp_request_get_text (self, field);
  const char *message = NULL;

  if (*place == '\0')
    message = _("Choose the birth place from the list.");
  else if (sp_place_by_code (place) == NULL)
    message = _("Unknown birth place: choose it from the list.");
  else if (g_date_valid (born) && sp_belfiore_lookup_on_date (place, born) == NULL)
    message = _("This place did not exist on the birth date.");
  if (message)
    add_problem (problems, field, message);
  return message == NULL;
}

static gboolean
check_birth_date (SpRequest      *self,
                  GPtrArray      *problems,
                  SpRequestField  field,
                  const GDate    *today,
                  GDate          *born)
{
  if (!sp_request_get_date (self, field, born))
    {
      add_problem (problems, field, _("Type the birth date as DD/MM/YYYY."));
      return FALSE;
    }
  if (g_date_compare (born, today) > 0)
    {
      add_problem (problems, field, _("The birth date is in the future."));
      return FALSE;
    }
  return TRUE;
}

/* The code must describe this person: one message per field. */
static void
check_cf_matches (SpRequest   *self,
                  GPtrArray   *problems,
                  SpParty      party,
                  const GDate *born)
{
  SpCfPersonData data = { person_text (self, party, SP_PERSON_FIELD_SURNAME),
                          person_text (self, party, SP_PERSON_FIELD_NAME),
                          person_text (self, party, SP_PERSON_FIELD_SEX)[0], born,
                          person_text (self, party, SP_PERSON_FIELD_BIRTH_PLACE) };
  SpCfResult *r = sp_cf_check (person_text (self, party, SP_PERSON_FIELD_CF), &data);

  for (guint i = 0; i < r->mismatches->len; i++)
    {
      SpCfMismatch *m = g_ptr_array_index (r->mismatches, i);
      g_autofree char *key = g_strconcat (sp_enum_to_nick (SP_TYPE_PARTY, party), ".", m->field, NULL);
      g_autofree char *msg = g_strdup_printf (_("Does not match the codice fiscale (which says %s)."),
                                              m->found);
      SpRequestField field = SP_REQUEST_FIELD_NONE;

      /* The codice fiscale names the field it disagrees with by its key. */
      sp_request_field_from_key (key, &field);
      add_problem (problems, field, msg);
    }
  sp_cf_result_free (r);
}

static void
check_person (SpRequest   *self,
              GPtrArray   *problems,
              SpParty      party,
              const GDate *today)
{
  const char *sex = person_text (self, party, SP_PERSON_FIELD_SEX);
  const char *email = person_text (self, party, SP_PERSON_FIELD_EMAIL);
  gboolean complete = TRUE;
  GDate born;

  check_cf (self, problems, sp_request_field_of (party, SP_PERSON_FIELD_CF));
  complete &= required (self, problems, sp_request_field_of (party, SP_PERSON_FIELD_SURNAME),
                        _("Type the surname."));
  complete &= required (self, problems, sp_request_field_of (party, SP_PERSON_FIELD_NAME),
                        _("Type the name."));
  if (!g_str_equal (sex, "M") && !g_str_equal (sex, "F"))
    {
      add_problem (problems, sp_request_field_of (party, SP_PERSON_FIELD_SEX),
                   _("Choose the sex as on the codice fiscale."));
      complete = FALSE;
    }
  complete &= check_birth_date (self, problems, sp_request_field_of (party, SP_PERSON_FIELD_BIRTH_DATE),
                                today, &born);
  complete &= check_birth_place (self, problems, sp_request_field_of (party, SP_PERSON_FIELD_BIRTH_PLACE),
                                 &born);
  if (*email != '\0' && (strchr (email, '@') == NULL || strchr (email, ' ') != NULL))
    add_problem (problems, sp_request_field_of (party, SP_PERSON_FIELD_EMAIL),
                 _("The e-mail address is not valid."));
  if (complete && sp_cf_validate (person_text (self, party, SP_PERSON_FIELD_CF), NULL, NULL))
    check_cf_matches (self, problems, party, &born);
}

static void
check_personal (SpRequest   *self,
                GPtrArray   *problems,
                const GDate *today)
{
  check_person (self, problems, SP_PARTY_CITIZEN, today);
  if (sp_applicant_role_needs_representative (sp_request_get_role (self)))
    {
      check_person (self, problems, SP_PARTY_REPRESENTATIVE, today);
      if (g_str_equal (sp_request_get_text (self, SP_REQUEST_FIELD_REP_CF),
                       sp_request_get_text (self, SP_REQUEST_FIELD_CITIZEN_CF)))
        add_problem (problems, SP_REQUEST_FIELD_REP_CF, _("The representative cannot be the citizen."));
    }
}

static SpDocument *
build_document (SpRequest *self)
{
  SpDocument *doc = sp_document_new ();

  doc->type = sp_request_get_document_type (self);
  doc->number = sp_document_normalize_number (sp_request_get_text (self, SP_REQUEST_FIELD_DOC_NUMBER));
  doc->issuer = g_strdup (sp_request_get_text (self, SP_REQUEST_FIELD_DOC_ISSUER));
  sp_request_get_date (self, SP_REQUEST_FIELD_DOC_ISSUED_ON, &doc->issued_on);
  sp_request_get_date (self, SP_REQUEST_FIELD_DOC_EXPIRES_ON, &doc->expires_on);
  return doc;
}

/* The SpDocumentError codes name the field they are about. */
static SpRequestField
document_field (GError *error)
{
  switch (error->code)
    {
    case SP_DOCUMENT_ERROR_NUMBER: return SP_REQUEST_FIELD_DOC_NUMBER;
    case SP_DOCUMENT_ERROR_ISSUER: return SP_REQUEST_FIELD_DOC_ISSUER;
    case SP_DOCUMENT_ERROR_ISSUED_IN_FUTURE: return SP_REQUEST_FIELD_DOC_ISSUED_ON;
    default: return SP_REQUEST_FIELD_DOC_EXPIRES_ON;
    }
}

static void
check_mrz (SpRequest  *self,
           GPtrArray  *problems,
           SpDocument *doc)
{
  const char *text = sp_request_get_text (self, SP_REQUEST_FIELD_DOC_MRZ);
  SpParty who = sp_applicant_role_needs_representative (sp_request_get_role (self))
                ? SP_PARTY_REPRESENTATIVE : SP_PARTY_CITIZEN;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpMrz) mrz = NULL;
  g_autoptr(GPtrArray) mismatches = NULL;
  g_autoptr(SpPerson) person = NULL;

  if (*text == '\0')
    return;
  if ((mrz = sp_mrz_parse (text, &error)) == NULL)
    {
      add_problem (problems, SP_REQUEST_FIELD_DOC_MRZ, error->message);
      return;
    }
  person = sp_request_build_person (self, who);
  mismatches = sp_mrz_cross_check (mrz, doc, person);
  for (guint i = 0; i < mismatches->len; i++)
    {
      SpCfMismatch *m = g_ptr_array_index (mismatches, i);
      g_autofree char *msg = g_strdup_printf (_("The MRZ says %s for %s, not %s."),
                                              m->found, m->field, m->expected);

      add_problem (problems, SP_REQUEST_FIELD_DOC_MRZ, msg);
    }
}

static void
check_document (SpRequest   *self,
                GPtrArray   *problems,
                const GDate *today)
{
  g_autoptr(SpDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  SpDocumentType type;
  GDate d;

  if (!sp_request_lookup_document_type (self, &type))
    add_problem (problems, SP_REQUEST_FIELD_DOC_TYPE, _("Choose the type of document."));
  required (self, problems, SP_REQUEST_FIELD_DOC_NUMBER, _("Type the document number."));
  if (!sp_request_get_date (self, SP_REQUEST_FIELD_DOC_ISSUED_ON, &d))
    add_problem (problems, SP_REQUEST_FIELD_DOC_ISSUED_ON, _("Type the issue date as DD/MM/YYYY."));
  if (!sp_request_get_date (self, SP_REQUEST_FIELD_DOC_EXPIRES_ON, &d))
    add_problem (problems, SP_REQUEST_FIELD_DOC_EXPIRES_ON, _("Type the expiry date as DD/MM/YYYY."));
  if (problems->len > 0)
    return;
  doc = build_document (self);
  if (!sp_document_validate (doc, today, &error))
    add_problem (problems, document_field (error), error->message);
  check_mrz (self, problems, doc);
}

static void
check_attachments (SpRequest *self,
                   GPtrArray *problems)
{
  g_autoptr(GArray) kinds = sp_request_required_attachments (self);

  for (guint i = 0; i < kinds->len; i++)
    {
      SpAttachmentKind kind = g_array_index (kinds, guint, i);

      if (self->attachments[kind].pdf == NULL)
        {
          g_autofree char *msg = g_strdup_printf (_("Missing: %s."), sp_attachment_kind_label (kind));

          add_problem (problems, SP_REQUEST_FIELD_NONE, msg);
          ((SpProblem *) g_ptr_array_index (problems, problems->len - 1))->attachment = kind;
        }
    }
}

static void
check_summary (SpRequest *self,
               GPtrArray *problems)
{
  for (SpRequestField f = SP_REQUEST_FIELD_FIRST_ATTESTATION; f <= SP_REQUEST_FIELD_LAST_ATTESTATION; f++)
    if (!sp_request_get_flag (self, f))
      add_problem (problems, f, _("Confirm each check before issuing."));
}

GPtrArray *
sp_request_check_step (SpRequest   *self,
                       SpStep       step,
                       const GDate *today)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_problem_free);

  switch (step)
    {
    case SP_REQUEST_STEP_CITIZEN: check_citizen (self, problems); break;
    case SP_REQUEST_STEP_APPLICANT: check_applicant (self, problems, today); break;
    case SP_REQUEST_STEP_PERSONAL: check_personal (self, problems, today); break;
    case SP_REQUEST_STEP_DOCUMENT: check_document (self, problems, today); break;
    case SP_REQUEST_STEP_ATTACHMENTS: check_attachments (self, problems); break;
    case SP_REQUEST_STEP_SUMMARY: check_summary (self, problems); break;
    case SP_REQUEST_STEP_ISSUE:
    case SP_N_STEPS:
    default: break;
    }
  return problems;
}

gboolean
sp_request_step_ok (SpRequest   *self,
                    SpStep       step,
                    const GDate *today)
{
  g_autoptr(GPtrArray) problems = sp_request_check_step (self, step, today);

  return problems->len == 0;
}

/* ---- drafts ---- */

char *
sp_request_to_draft (SpRequest *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  for (guint i = SP_REQUEST_FIELD_NONE + 1; i < SP_REQUEST_N_FIELDS; i++)
    if (self->text[i] != NULL)
      {
        json_builder_set_member_name (b, sp_request_field_to_key (i));
        json_builder_add_string_value (b, self->text[i]);
      }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

gboolean
sp_request_load_draft (SpRequest  *self,
                       const char *json,
                       GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;
  g_autoptr(GList) members = NULL;

  if (!json_parser_load_from_data (parser, json, -1, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a draft is a JSON object");
      return FALSE;
    }
  o = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (o);
  for (GList *m = members; m != NULL; m = m->next)
    {
      JsonNode *node = json_object_get_member (o, m->data);
      SpRequestField field;

      if (!sp_request_field_from_key (m->data, &field))
        g_debug ("draft: key %s is not a field of this version, ignored", (const char *) m->data);
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        sp_request_set_text (self, field, json_node_get_string (node));
    }
  return TRUE;
}

/* ---- the issuance ---- */

static char *
nullable (SpRequest     *self,
          SpParty        party,
          SpPersonField  field)
{
  const char *value = person_text (self, party, field);

  return *value ? g_strdup (value) : NULL;
}

SpPerson *
sp_request_build_person (SpRequest *self,
                         SpParty    party)
{
  SpPerson *p = sp_person_new ();
  g_autofree char *street = nullable (self, party, SP_PERSON_FIELD_STREET);
  g_autofree char *city = nullable (self, party, SP_PERSON_FIELD_CITY);
  g_autofree char *cf = nullable (self, party, SP_PERSON_FIELD_CF);
  const char *sex = person_text (self, party, SP_PERSON_FIELD_SEX);

  p->cf = cf ? g_ascii_strup (cf, -1) : NULL;
  p->surname = nullable (self, party, SP_PERSON_FIELD_SURNAME);
  p->name = nullable (self, party, SP_PERSON_FIELD_NAME);
  p->sex = sex[0];
  sp_request_get_date (self, sp_request_field_of (party, SP_PERSON_FIELD_BIRTH_DATE), &p->birth_date);
  p->birth_place = nullable (self, party, SP_PERSON_FIELD_BIRTH_PLACE);
  p->phone = nullable (self, party, SP_PERSON_FIELD_PHONE);
  p->email = nullable (self, party, SP_PERSON_FIELD_EMAIL);
  if (street != NULL && city != NULL)
    {
      p->residence = g_new0 (SpAddress, 1);
      p->residence->street = g_steal_pointer (&street);
      p->residence->city = g_steal_pointer (&city);
      p->residence->postcode = nullable (self, party, SP_PERSON_FIELD_POSTCODE);
      p->residence->province = nullable (self, party, SP_PERSON_FIELD_PROVINCE);
    }
  return p;
}

SpIssuance *
sp_request_build_issuance (SpRequest *self)
{
  SpIssuance *is = sp_issuance_new ();

  is->citizen = sp_request_build_person (self, SP_PARTY_CITIZEN);
  is->cf = g_strdup (is->citizen->cf);
  is->role = sp_request_get_role (self);
  if (sp_applicant_role_needs_representative (is->role))
    is->representative = sp_request_build_person (self, SP_PARTY_REPRESENTATIVE);
  is->document = build_document (self);
  is->attested_in_person = sp_request_step_ok (self, SP_REQUEST_STEP_SUMMARY, NULL);
  return is;
}

static void
sp_request_finalize (GObject *object)
{
  SpRequest *self = SP_REQUEST (object);

  for (guint i = 0; i < SP_REQUEST_N_FIELDS; i++)
    g_free (self->text[i]);
  for (guint i = 0; i < SP_ATTACHMENT_N_KINDS; i++)
    g_clear_pointer (&self->attachments[i].pdf, g_bytes_unref);
  G_OBJECT_CLASS (sp_request_parent_class)->finalize (object);
}

static void
sp_request_class_init (SpRequestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sp_request_finalize;
  /* A field changed (its SpRequestField), or an attachment (NONE).
   * Drafts are saved on it. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, SP_TYPE_REQUEST_FIELD);
}

static void
sp_request_init (SpRequest *self)
{
}
