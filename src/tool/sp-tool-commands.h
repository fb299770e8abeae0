/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Exit codes shared by every command (DESIGN §7). */
enum {
  SP_TOOL_OK = 0,        /* success, or the thing checked is valid */
  SP_TOOL_INVALID = 1,   /* the thing checked is invalid */
  SP_TOOL_USAGE = 2,     /* bad arguments, unreadable input */
};

/* Each command gets argv from its own name on ("cf", "check", …). */
int sp_tool_cf_main  (int argc, char **argv);
int sp_tool_mrz_main (int argc, char **argv);
int sp_tool_db_main    (int argc, char **argv);
int sp_tool_audit_main (int argc, char **argv);
int sp_tool_sync_main  (int argc, char **argv);
int sp_tool_register_main (int argc, char **argv);
int sp_tool_print_main    (int argc, char **argv);

/* Prints node as indented JSON on standard output. */
void sp_tool_print_json (JsonNode *node);
/* Prints "usage: sportello-tool <usage>" and an error to stderr; returns SP_TOOL_USAGE. */
int  sp_tool_usage      (const char *usage,
                         const char *message);

G_END_DECLS
