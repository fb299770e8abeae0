/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-context.h"

G_BEGIN_DECLS

/* The context's state, shared by its files: sp-context.c (the object),
 * sp-context-session.c (login, lookups, revocation, audit) and
 * sp-context-issue.c (issue and void). */
struct _SpContext
{
  GObject parent_instance;

  SpStore *store;
  SpCentralClient *client;   /* the one client: one login, one token */
  SpSyncEngine *engine;      /* on that client */
  GThreadPool *db;           /* the database thread */
  char *central_url;
  char *pending_url;         /* applies at the next login */
  char *ca_file;
  char *workstation;

  SpOperator *op;            /* NULL until someone logs in */
  gboolean offline_session;
  gboolean central_reachable; /* offline session: central answered a probe */
  gboolean probing;
  guint probe_timer;          /* the next probe, every sync interval */

  gboolean allow_offline;
  guint issue_timeout_ms;
  guint offline_login_hours;
  guint sync_interval_s;
  char *sede_code;           /* nullable or "": any sede */

  /* A PIN and its verifier made ahead (sp_context_prepare_issue), so
   * "Rilascia" does not wait for Argon2id. The PIN is in sodium memory,
   * wiped by sp_context_discard_prepared (). */
  SpPin *ready_pin;
  char *ready_verifier;
  gboolean preparing;
  guint prepare_serial;      /* a result of an older serial is dropped */
  GTask *waiting_issue;      /* an issue waiting for the one being made */
};

/* Runs func for task on the database thread (the task is kept alive). */
void  sp_context_db_run      (SpContext       *self,
                              GTask           *task,
                              GTaskThreadFunc  func);
void  sp_context_set_session (SpContext        *self,
                              const SpOperator *op,
                              gboolean          offline);
/* sp-context-reauth.c: central answered (or not) in an offline session. */
void  sp_context_set_reachable (SpContext *self,
                                gboolean   reachable);
void  sp_context_probe_central (SpContext *self);

G_END_DECLS
