/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The letter with the second half of a PIN (R7): rendered at once into
 * an A4 PDF for a window envelope, written to the citizen ("Lei"), and
 * sealed for the print-and-mail provider with libsodium's sealed box to
 * the provider's public key, so the clear half is never at rest here.
 * The provider's key: SP_CENTRAL_LETTER_KEY (the public key file made by
 * `sportello-central letters keygen`). Without it the letter half waits
 * in the outbox sealed with central's own key. */

typedef struct {
  const char *name;           /* "Paola Esposito" */
  const char *street;         /* "Via Garibaldi 66" */
  const char *place;          /* "30100 Venezia (VE)" */
} SpCentralLetterAddress;

gboolean  sp_central_letter_available (void);
/* The sealed PDF (base64) and the SHA-256 of the sealed bytes (hex). */
gboolean  sp_central_letter_seal      (const SpCentralLetterAddress *to,
                                       const char                   *half,
                                       char                        **sealed_b64,
                                       char                        **sha256,
                                       GError                      **error);
/* dir/provider.pub and dir/provider.key (0600). */
gboolean  sp_central_letter_keygen    (const char                   *dir,
                                       GError                      **error);
/* The PDF of a sealed letter, with the provider's key pair files. */
GBytes   *sp_central_letter_open      (const char                   *key_dir,
                                       GBytes                       *sealed,
                                       GError                      **error);

G_END_DECLS
