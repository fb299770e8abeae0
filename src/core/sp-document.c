/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sp-document.h"

G_DEFINE_QUARK (sp-document-error-quark, sp_document_error)

typedef struct {
  const char *id;
  const char *label;
  gboolean has_back;
  /* Number format where the type has a national one; NULL: generic. */
  const char *pattern;
  const char *pattern_hint;
} DocumentTypeInfo;

/* Formats: CIE 3.0 "CA00000AA" (2 letters, 5 digits, 2 letters); paper
 * identity card and Italian passport "AA1234567"; the driving licence card
 * "AA1234567A". Other documents have no single national format, so they
 * get the generic check (5–12 letters and digits). */
static const DocumentTypeInfo types[SP_DOCUMENT_N_TYPES] = {
  [SP_DOCUMENT_CIE] = { "cie", N_("Electronic identity card (CIE)"), TRUE,
                        "^[A-Z]{2}[0-9]{5}[A-Z]{2}$", N_("2 letters, 5 digits, 2 letters (CA00000AA)") },
  [SP_DOCUMENT_CARTA_IDENTITA] = { "carta_identita", N_("Paper identity card"), TRUE,
                                   "^[A-Z]{2}[0-9]{7}$", N_("2 letters and 7 digits (AA1234567)") },
  [SP_DOCUMENT_PASSAPORTO] = { "passaporto", N_("Passport"), FALSE,
                               "^[A-Z0-9]{2}[0-9]{7}$", N_("2 letters or digits and 7 digits (YA1234567)") },
  [SP_DOCUMENT_PATENTE] = { "patente", N_("Driving licence"), TRUE,
                            "^[A-Z0-9]{2}[0-9]{7}[A-Z]$", N_("2 letters or digits, 7 digits, 1 letter (U11234567A)") },
  [SP_DOCUMENT_PATENTE_NAUTICA] = { "patente_nautica", N_("Nautical licence"), TRUE, NULL, NULL },
  [SP_DOCUMENT_LIBRETTO_PENSIONE] = { "libretto_pensione", N_("Pension book"), FALSE, NULL, NULL },
  [SP_DOCUMENT_PORTO_ARMI] = { "porto_armi", N_("Firearms licence"), FALSE, NULL, NULL },
  [SP_DOCUMENT_TESSERA_STATALE] = { "tessera_statale", N_("Other State-issued card with photo and stamp"), TRUE, NULL, NULL },
  [SP_DOCUMENT_PERMESSO_SOGGIORNO] = { "permesso_soggiorno", N_("Residence permit"), TRUE, NULL, NULL },
};

#define GENERIC_PATTERN "^[A-Z0-9]{5,12}$"

const char *
sp_document_type_to_string (SpDocumentType type)
{
  g_return_val_if_fail (type < SP_DOCUMENT_N_TYPES, NULL);
  return types[type].id;
}

gboolean
sp_document_type_from_string (const char     *text,
                              SpDocumentType *type)
{
  for (guint i = 0; i < SP_DOCUMENT_N_TYPES; i++)
    if (g_strcmp0 (text, types[i].id) == 0)
      {
        *type = i;
        return TRUE;
      }
  return FALSE;
}

const char *
sp_document_type_label (SpDocumentType type)
{
  g_return_val_if_fail (type < SP_DOCUMENT_N_TYPES, NULL);
  return _(types[type].label);
}

gboolean
sp_document_type_has_back (SpDocumentType type)
{
  g_return_val_if_fail (type < SP_DOCUMENT_N_TYPES, FALSE);
  return types[type].has_back;
}

SpDocument *
sp_document_new (void)
{
  SpDocument *document = g_new0 (SpDocument, 1);

  g_date_clear (&document->issued_on, 1);
  g_date_clear (&document->expires_on, 1);
  return document;
}

SpDocument *
sp_document_copy (const SpDocument *document)
{
  SpDocument *copy;

  g_return_val_if_fail (document != NULL, NULL);

  copy = g_new0 (SpDocument, 1);
  *copy = *document;
  copy->number = g_strdup (document->number);
  copy->issuer = g_strdup (document->issuer);
  return copy;
}

void
sp_document_free (SpDocument *document)
{
  if (document == NULL)
    return;
  g_free (document->number);
  g_free (document->issuer);
  g_free (document);
}

char *
sp_document_normalize_number (const char *number)
{
  GString *out = g_string_new (NULL);

  for (const char *p = number ? number : ""; *p != '\0'; p++)
    if (!g_ascii_isspace (*p) && *p != '-')
      g_string_append_c (out, g_ascii_toupper (*p));
  return g_string_free (out, FALSE);
}

static gboolean
validate_number (const SpDocument *document,
                 GError          **error)
{
  const DocumentTypeInfo *info = &types[document->type];
  g_autofree char *number = sp_document_normalize_number (document->number);

  if (*number == '\0')
    {
      g_set_error_literal (error, SP_DOCUMENT_ERROR, SP_DOCUMENT_ERROR_NUMBER,
                           _("The document number is missing."));
      return FALSE;
    }
  if (!g_regex_match_simple (info->pattern ? info->pattern : GENERIC_PATTERN,
                             number, 0, 0))
    {
      if (info->pattern_hint != NULL)
        g_set_error (error, SP_DOCUMENT_ERROR, SP_DOCUMENT_ERROR_NUMBER,
                     _("The number of a %s is %s."), _(info->label), _(info->pattern_hint));
      else
        g_set_error_literal (error, SP_DOCUMENT_ERROR, SP_DOCUMENT_ERROR_NUMBER,
                             _("The document number must be 5 to 12 letters and digits."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_dates (const SpDocument *document,
                const GDate      *today,
                GError          **error)
{
  if (!g_date_valid (&document->issued_on) || !g_date_valid (&document->expires_on))
    {
      g_set_error_literal (error, SP_DOCUMENT_ERROR, SP_DOCUMENT_ERROR_DATES,
                           _("Enter both the issue date and the expiry date."));
      return FALSE;
    }
  if (g_date_compare (&document->expires_on, &document->issued_on) <= 0)
    {
      g_set_error_literal (error, SP_DOCUMENT_ERROR, SP_DOCUMENT_ERROR_DATES,
                           _("The expiry date comes before the issue date."));
      return FALSE;
    }
  if (g_date_compare (&document->issued_on, today) > 0)
    {
      g_set_error_literal (error, SP_DOCUMENT_ERROR, SP_DOCUMENT_ERROR_ISSUED_IN_FUTURE,
                           _("The document is dated after today: check the issue date."));
      return FALSE;
    }
  /* A document is valid through its expiry day. */
  if (g_date_compare (&document->expires_on, today) < 0)
    {
      char when[32];

      g_snprintf (when, sizeof when, "%02u/%02u/%04u", g_date_get_day (&document->expires_on), g_date_get_month (&document->expires_on), g_date_get_year (&document->expires_on));
      g_set_error (error, SP_DOCUMENT_ERROR, SP_DOCUMENT_ERROR_EXPIRED,
                   _("The document expired on %s: ask for a valid one."), when);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text ? text : ""; *p; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

gboolean
sp_document_validate (const SpDocument *document,
                      const GDate      *today,
                      GError          **error)
{
  g_return_val_if_fail (document != NULL, FALSE);
  g_return_val_if_fail (document->type < SP_DOCUMENT_N_TYPES, FALSE);
  g_return_val_if_fail (today != NULL && g_date_valid (today), FALSE);

  if (!validate_number (document, error))
    return FALSE;
  if (is_blank (document->issuer))
    {
      g_set_error_literal (error, SP_DOCUMENT_ERROR, SP_DOCUMENT_ERROR_ISSUER,
                           _("Enter the authority that issued the document."));
      return FALSE;
    }
  return validate_dates (document, today, error);
}
