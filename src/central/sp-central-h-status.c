/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GET /v1/status: the probe workstations use to decide they are online. */
#define G_LOG_DOMAIN "sp-central"

#include "config.h"

#include "sp-central-handlers.h"
#include "sp-issuance.h"

SpCentralResponse *
sp_central_h_status (SpCentralRequest *req,
                     SpCentralDb      *db)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *iso = sp_datetime_to_iso (now);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "ok");
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_set_member_name (b, "time");
  json_builder_add_string_value (b, iso);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return sp_central_response_new_json (200, root);
}
