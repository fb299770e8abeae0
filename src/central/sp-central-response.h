/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The one answer a handler returns: status, extra headers and a body.
 * The transport adds the headers every answer carries (nosniff,
 * no-store, Server). */
typedef struct {
  guint status;
  char *content_type;        /* NULL: no body */
  GBytes *body;
  GPtrArray *headers;        /* name, value, name, value… */
} SpCentralResponse;

/* An answer without a body (204, for example). */
SpCentralResponse *sp_central_response_new        (guint              status);
SpCentralResponse *sp_central_response_new_json   (guint              status,
                                                   JsonNode          *body);
/* Takes text (a JSON document already serialised). */
SpCentralResponse *sp_central_response_new_take   (guint              status,
                                                   const char        *content_type,
                                                   char              *text);
void               sp_central_response_set_header (SpCentralResponse *resp,
                                                   const char        *name,
                                                   const char        *value);
void               sp_central_response_free       (SpCentralResponse *resp);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCentralResponse, sp_central_response_free)

G_END_DECLS
