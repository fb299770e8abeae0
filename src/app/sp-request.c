/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-app"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "sp-applicant.h"
#include "sp-belfiore.h"
#include "sp-codice-fiscale.h"
#include "sp-document.h"
#include "sp-mrz.h"
#include "sp-request.h"

typedef struct {
  GBytes *pdf;
  guint pages;
} Attachment;

struct _SpRequest
{
  GObject parent_instance;

  GHashTable *fields;                         /* key → text */
  Attachment attachments[SP_ATTACHMENT_N_KINDS];
};

G_DEFINE_FINAL_TYPE (SpRequest, sp_request, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The operator's attestation of the in-person check (Reg. SPID art. 7 is
 * the model), and that the privacy notice was given (GDPR art. 13). */
static const char *const attestations[] = {
  "attest.original", "attest.intact", "attest.in_date", "attest.photo_signature",
  "attest.state_issued", "attest.matches_photo", "attest.privacy",
};

void
sp_problem_free (SpProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->key);
  g_free (problem->message);
  g_free (problem);
}

static void
add_problem (GPtrArray  *problems,
             const char *key,
             const char *message)
{
  SpProblem *p = g_new0 (SpProblem, 1);

  p->key = g_strdup (key);
  p->message = g_strdup (message);
  g_ptr_array_add (problems, p);
}

SpRequest *
sp_request_new (void)
{
  return g_object_new (SP_TYPE_REQUEST, NULL);
}

const char *
sp_request_get (SpRequest  *self,
                const char *key)
{
  const char *value = g_hash_table_lookup (self->fields, key);

  return value ? value : "";
}

void
sp_request_set (SpRequest  *self,
                const char *key,
                const char *value)
{
  g_autofree char *clean = g_strstrip (g_strdup (value ? value : ""));

  if (g_str_equal (clean, sp_request_get (self, key)))
    return;
  g_hash_table_replace (self->fields, g_strdup (key), g_steal_pointer (&clean));
  g_signal_emit (self, signals[CHANGED], 0, key);
}

gboolean
sp_request_is_empty (SpRequest *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->fields);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (*(const char *) value != '\0')
      return FALSE;
  return TRUE;
}

SpApplicantRole
sp_request_get_role (SpRequest *self)
{
  SpApplicantRole role = SP_ROLE_SELF;

  sp_applicant_role_from_string (sp_request_get (self, "role"), &role);
  return role;
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
  g_signal_emit (self, signals[CHANGED], 0, sp_attachment_kind_to_string (kind));
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

static SpDocumentType
document_type (SpRequest *self)
{
  SpDocumentType type = SP_DOCUMENT_CIE;

  sp_document_type_from_string (sp_request_get (self, "doc.type"), &type);
  return type;
}

GArray *
sp_request_required_attachments (SpRequest *self)
{
  return sp_applicant_required_attachments (sp_request_get_role (self),
                                            sp_document_type_has_back (document_type (self)));
}

const SpBelfioreEntry *
sp_place_by_code (const char *code)
{
  guint n = 0;
  const SpBelfioreEntry *e = code ? sp_belfiore_lookup (code, &n) : NULL;

  return e && n > 0 ? &e[n - 1] : NULL;
}

static const char *const person_fields[] = {
  "surname", "name", "sex", "birth_date", "birth_place",
};

void
sp_request_prefill_person (SpRequest      *self,
                           const char     *prefix,
                           const SpPerson *p)
{
  g_autofree char *birth = sp_format_date (&p->birth_date);
  char sex[2] = { p->sex, 0 };
  const char *values[] = { p->surname, p->name, sex, birth, p->birth_place };
  const char *contacts[][2] = {
    { "street", p->residence ? p->residence->street : NULL },
    { "postcode", p->residence ? p->residence->postcode : NULL },
    { "city", p->residence ? p->residence->city : NULL },
    { "province", p->residence ? p->residence->province : NULL },
    { "phone", p->phone },
    { "email", p->email },
  };

  for (guint i = 0; i < G_N_ELEMENTS (person_fields); i++)
    {
      g_autofree char *key = g_strconcat (prefix, ".", person_fields[i], NULL);

      if (*sp_request_get (self, key) == '\0' && values[i] && *values[i])
        sp_request_set (self, key, values[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (contacts); i++)
    {
      g_autofree char *key = g_strconcat (prefix, ".", contacts[i][0], NULL);

      if (*sp_request_get (self, key) == '\0' && contacts[i][1] && *contacts[i][1])
        sp_request_set (self, key, contacts[i][1]);
    }
}

/* ---- dates ---- */

gboolean
sp_parse_date (const char *text,
               GDate      *date)
{
  guint d, m, y;
  char end;

  g_date_clear (date, 1);
  if (text == NULL)
    return FALSE;
  if (sp_date_parse_iso (text, date))
    return TRUE;
  if (sscanf (text, "%u/%u/%u%c", &d, &m, &y, &end) != 3 || y < 1000 || y > 9999)
    return FALSE;
  if (!g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

char *
sp_format_date (const GDate *date)
{
  if (date == NULL || !g_date_valid (date))
    return g_strdup ("");
  return g_strdup_printf ("%02u/%02u/%04u", g_date_get_day (date), g_date_get_month (date),
                          g_date_get_year (date));
}

/* ---- checks, one function per step ---- */

static gboolean
required (SpRequest  *self,
          GPtrArray  *problems,
          const char *key,
          const char *message)
{
  if (*sp_request_get (self, key) != '\0')
    return TRUE;
  add_problem (problems, key, message);
  return FALSE;
}

static void
check_cf (SpRequest  *self,
          GPtrArray  *problems,
          const char *key)
{
  g_autoptr(GError) error = NULL;

  if (!required (self, problems, key, _("Type the codice fiscale.")))
    return;
  if (!sp_cf_validate (sp_request_get (self, key), NULL, &error))
    add_problem (problems, key, error->message);
}

static void
check_citizen (SpRequest *self,
               GPtrArray *problems)
{
  check_cf (self, problems, "citizen.cf");
}

/* The beneficiary's birth date: typed, or else read from the code. */
static gboolean
beneficiary_birth (SpRequest *self,
                   GDate     *date)
{
  if (sp_parse_date (sp_request_get (self, "citizen.birth_date"), date))
    return TRUE;
  {
    SpCfResult *r = sp_cf_check (sp_request_get (self, "citizen.cf"), NULL);
    gboolean ok = r->valid && g_date_valid (&r->birth_date);

    if (ok)
      *date = r->birth_date;
    sp_cf_result_free (r);
    return ok;
  }
}

static void
check_applicant (SpRequest   *self,
                 GPtrArray   *problems,
                 const GDate *today)
{
  g_autoptr(GError) error = NULL;
  SpApplicantRole role;
  GDate born;

  if (!required (self, problems, "role", _("Choose who is at the counter.")))
    return;
  if (!sp_applicant_role_from_string (sp_request_get (self, "role"), &role))
    {
      add_problem (problems, "role", _("Choose who is at the counter."));
      return;
    }
  if (!beneficiary_birth (self, &born))
    g_date_clear (&born, 1);
  if (!sp_applicant_check_role (role, g_date_valid (&born) ? &born : NULL, today, &error))
    add_problem (problems, "role", error->message);
}

static void
check_person (SpRequest   *self,
              GPtrArray   *problems,
              const char  *prefix,
              const GDate *today)
{
  g_autofree char *k_cf = g_strconcat (prefix, ".cf", NULL);
  g_autofree char *k_surname = g_strconcat (prefix, ".surname", NULL);
  g_autofree char *k_name = g_strconcat (prefix, ".name", NULL);
  g_autofree char *k_sex = g_strconcat (prefix, ".sex", NULL);
  g_autofree char *k_birth = g_strconcat (prefix, ".birth_date", NULL);
  g_autofree char *k_place = g_strconcat (prefix, ".birth_place", NULL);
  g_autofree char *k_email = g_strconcat (prefix, ".email", NULL);
  const char *sex = sp_request_get (self, k_sex);
  const char *place = sp_request_get (self, k_place);
  const char *email = sp_request_get (self, k_email);
  gboolean complete = TRUE;
  GDate born;

  check_cf (self, problems, k_cf);
  complete &= required (self, problems, k_surname, _("Type the surname."));
  complete &= required (self, problems, k_name, _("Type the name."));
  if (!g_str_equal (sex, "M") && !g_str_equal (sex, "F"))
    {
      add_problem (problems, k_sex, _("Choose the sex as on the codice fiscale."));
      complete = FALSE;
    }
  if (!sp_parse_date (sp_request_get (self, k_birth), &born))
    {
      add_problem (problems, k_birth, _("Type the birth date as DD/MM/YYYY."));
      complete = FALSE;
    }
  else if (g_date_compare (&born, today) > 0)
    {
      add_problem (problems, k_birth, _("The birth date is in the future."));
      complete = FALSE;
    }
  if (*place == '\0')
    {
      add_problem (problems, k_place, _("Choose the birth place from the list."));
      complete = FALSE;
    }
  else if (sp_place_by_code (place) == NULL)
    {
      add_problem (problems, k_place, _("Unknown birth place: choose it from the list."));
      complete = FALSE;
    }
  else if (g_date_valid (&born) && sp_belfiore_lookup_on_date (place, &born) == NULL)
    {
      add_problem (problems, k_place, _("This place did not exist on the birth date."));
      complete = FALSE;
    }
  if (*email != '\0' && (strchr (email, '@') == NULL || strchr (email, ' ') != NULL))
    add_problem (problems, k_email, _("The e-mail address is not valid."));
  if (complete && sp_cf_validate (sp_request_get (self, k_cf), NULL, NULL))
    {
      SpCfPersonData data = { sp_request_get (self, k_surname), sp_request_get (self, k_name),
                              sex[0], &born, place };
      SpCfResult *r = sp_cf_check (sp_request_get (self, k_cf), &data);

      /* The code must describe this person: one message per field. */
      for (guint i = 0; i < r->mismatches->len; i++)
        {
          SpCfMismatch *m = g_ptr_array_index (r->mismatches, i);
          g_autofree char *key = g_strconcat (prefix, ".", m->field, NULL);
          g_autofree char *msg = g_strdup_printf (_("Does not match the codice fiscale (which says %s)."),
                                                  m->found);

          add_problem (problems, key, msg);
        }
      sp_cf_result_free (r);
    }
}

static void
check_personal (SpRequest   *self,
                GPtrArray   *problems,
                const GDate *today)
{
  check_person (self, problems, "citizen", today);
  if (sp_applicant_role_needs_representative (sp_request_get_role (self)))
    {
      check_person (self, problems, "rep", today);
      if (g_str_equal (sp_request_get (self, "rep.cf"), sp_request_get (self, "citizen.cf")))
        add_problem (problems, "rep.cf", _("The representative cannot be the citizen."));
    }
}

static SpDocument *
build_document (SpRequest *self)
{
  SpDocument *doc = sp_document_new ();

  doc->type = document_type (self);
  doc->number = sp_document_normalize_number (sp_request_get (self, "doc.number"));
  doc->issuer = g_strdup (sp_request_get (self, "doc.issuer"));
  sp_parse_date (sp_request_get (self, "doc.issued_on"), &doc->issued_on);
  sp_parse_date (sp_request_get (self, "doc.expires_on"), &doc->expires_on);
  return doc;
}

/* The SpDocumentError codes name the field they are about. */
static const char *
document_key (GError *error)
{
  switch (error->code)
    {
    case SP_DOCUMENT_ERROR_NUMBER: return "doc.number";
    case SP_DOCUMENT_ERROR_ISSUER: return "doc.issuer";
    case SP_DOCUMENT_ERROR_ISSUED_IN_FUTURE: return "doc.issued_on";
    default: return "doc.expires_on";
    }
}

static void
check_mrz (SpRequest  *self,
           GPtrArray  *problems,
           SpDocument *doc)
{
  const char *text = sp_request_get (self, "doc.mrz");
  const char *who = sp_applicant_role_needs_representative (sp_request_get_role (self)) ? "rep" : "citizen";
  g_autoptr(GError) error = NULL;
  g_autoptr(SpMrz) mrz = NULL;
  g_autoptr(GPtrArray) mismatches = NULL;
  g_autoptr(SpPerson) person = NULL;

  if (*text == '\0')
    return;
  if ((mrz = sp_mrz_parse (text, &error)) == NULL)
    {
      add_problem (problems, "doc.mrz", error->message);
      return;
    }
  person = sp_request_build_person (self, who);
  mismatches = sp_mrz_cross_check (mrz, doc, person);
  for (guint i = 0; i < mismatches->len; i++)
    {
      SpCfMismatch *m = g_ptr_array_index (mismatches, i);
      g_autofree char *msg = g_strdup_printf (_("The MRZ says %s for %s, not %s."),
                                              m->found, m->field, m->expected);

      add_problem (problems, "doc.mrz", msg);
    }
}

static void
check_document (SpRequest   *self,
                GPtrArray   *problems,
                const GDate *today)
{
  g_autoptr(SpDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  GDate d;

  required (self, problems, "doc.type", _("Choose the type of document."));
  required (self, problems, "doc.number", _("Type the document number."));
  if (!sp_parse_date (sp_request_get (self, "doc.issued_on"), &d))
    add_problem (problems, "doc.issued_on", _("Type the issue date as DD/MM/YYYY."));
  if (!sp_parse_date (sp_request_get (self, "doc.expires_on"), &d))
    add_problem (problems, "doc.expires_on", _("Type the expiry date as DD/MM/YYYY."));
  if (problems->len > 0)
    return;
  doc = build_document (self);
  if (!sp_document_validate (doc, today, &error))
    add_problem (problems, document_key (error), error->message);
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

          add_problem (problems, sp_attachment_kind_to_string (kind), msg);
        }
    }
}

static void
check_summary (SpRequest *self,
               GPtrArray *problems)
{
  for (guint i = 0; i < G_N_ELEMENTS (attestations); i++)
    if (!g_str_equal (sp_request_get (self, attestations[i]), "1"))
      add_problem (problems, attestations[i], _("Confirm each check before issuing."));
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
  g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (self->fields), (GCompareFunc) strcmp);

  json_builder_begin_object (b);
  for (GList *k = keys; k != NULL; k = k->next)
    {
      json_builder_set_member_name (b, k->data);
      json_builder_add_string_value (b, g_hash_table_lookup (self->fields, k->data));
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

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        sp_request_set (self, m->data, json_node_get_string (node));
    }
  return TRUE;
}

/* ---- the issuance ---- */

static char *
nullable (SpRequest  *self,
          const char *prefix,
          const char *field)
{
  g_autofree char *key = g_strconcat (prefix, ".", field, NULL);
  const char *value = sp_request_get (self, key);

  return *value ? g_strdup (value) : NULL;
}

SpPerson *
sp_request_build_person (SpRequest  *self,
                         const char *prefix)
{
  SpPerson *p = sp_person_new ();
  g_autofree char *street = nullable (self, prefix, "street");
  g_autofree char *city = nullable (self, prefix, "city");
  g_autofree char *cf = nullable (self, prefix, "cf");
  g_autofree char *sex = nullable (self, prefix, "sex");
  g_autofree char *birth = nullable (self, prefix, "birth_date");

  p->cf = cf ? g_ascii_strup (cf, -1) : NULL;
  p->surname = nullable (self, prefix, "surname");
  p->name = nullable (self, prefix, "name");
  p->sex = sex ? sex[0] : 0;
  sp_parse_date (birth, &p->birth_date);
  p->birth_place = nullable (self, prefix, "birth_place");
  p->phone = nullable (self, prefix, "phone");
  p->email = nullable (self, prefix, "email");
  if (street != NULL && city != NULL)
    {
      p->residence = g_new0 (SpAddress, 1);
      p->residence->street = g_steal_pointer (&street);
      p->residence->city = g_steal_pointer (&city);
      p->residence->postcode = nullable (self, prefix, "postcode");
      p->residence->province = nullable (self, prefix, "province");
    }
  return p;
}

SpIssuance *
sp_request_build_issuance (SpRequest *self)
{
  SpIssuance *is = sp_issuance_new ();

  is->citizen = sp_request_build_person (self, "citizen");
  is->cf = g_strdup (is->citizen->cf);
  is->role = sp_request_get_role (self);
  if (sp_applicant_role_needs_representative (is->role))
    is->representative = sp_request_build_person (self, "rep");
  is->document = build_document (self);
  is->attested_in_person = sp_request_step_ok (self, SP_REQUEST_STEP_SUMMARY, NULL);
  return is;
}

static void
sp_request_finalize (GObject *object)
{
  SpRequest *self = SP_REQUEST (object);

  g_hash_table_unref (self->fields);
  for (guint i = 0; i < SP_ATTACHMENT_N_KINDS; i++)
    g_clear_pointer (&self->attachments[i].pdf, g_bytes_unref);
  G_OBJECT_CLASS (sp_request_parent_class)->finalize (object);
}

static void
sp_request_class_init (SpRequestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sp_request_finalize;
  /* A field or an attachment changed: (key). Drafts are saved on it. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
sp_request_init (SpRequest *self)
{
  self->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}
