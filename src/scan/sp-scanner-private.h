/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-scanner.h"

G_BEGIN_DECLS

/* What passes between SpScanner (main thread) and its SANE worker
 * (sp-scanner-sane.c). Requests go in through one queue, events come out
 * through another and are drained on the main context in order. */

typedef enum {
  SP_SCAN_REQUEST_REFRESH,
  SP_SCAN_REQUEST_SCAN,
  SP_SCAN_REQUEST_QUIT,
} SpScanRequestKind;

typedef struct {
  SpScanRequestKind kind;
  guint job;
  char *device;              /* NULL: the first device found */
  gboolean remembered;       /* device is the remembered default: if it is
                              * gone, the first device found instead */
  SpScanOptions opts;        /* extra_options owned */
} SpScanRequest;

typedef enum {
  SP_SCAN_EVENT_DEVICES,
  SP_SCAN_EVENT_PAGE_STARTED,
  SP_SCAN_EVENT_PROGRESS,
  SP_SCAN_EVENT_PAGE_DONE,
  SP_SCAN_EVENT_JOB_DONE,
  SP_SCAN_EVENT_CANCELLED,   /* posted by sp_scanner_cancel itself */
  SP_SCAN_EVENT_PASSWORD,
} SpScanEventKind;

typedef struct {
  SpScanEventKind kind;
  guint job;
  guint page;
  guint width, height, dpi;
  gboolean colour;
  guint first_line, n_lines; /* PROGRESS: rows[first_line, +n_lines) */
  GBytes *rows;
  SpScanPage *result;
  GError *error;
  GPtrArray *devices;        /* of SpScanDevice */
  char *resource;
} SpScanEvent;

typedef struct {
  char *username;
  char *password;            /* wiped when freed */
} SpScanPassword;

typedef struct {
  gatomicrefcount ref;
  GMainContext *context;
  GAsyncQueue *requests;     /* of SpScanRequest */
  GAsyncQueue *events;       /* of SpScanEvent */
  GAsyncQueue *passwords;    /* of SpScanPassword */
  GMutex lock;
  GHashTable *cancelled;     /* job ids, under lock */
  SpScanner *scanner;        /* main thread only; NULL once disposed */
} SpScanShared;

SpScanShared *sp_scan_shared_ref      (SpScanShared *shared);
void          sp_scan_shared_unref    (SpScanShared *shared);
gboolean      sp_scan_shared_is_cancelled (SpScanShared *shared,
                                           guint         job);
/* From the worker: queue ev and wake the main context to drain. */
void          sp_scan_shared_post     (SpScanShared *shared,
                                       SpScanEvent  *ev);

SpScanEvent  *sp_scan_event_new       (SpScanEventKind kind,
                                       guint           job);
void          sp_scan_event_free      (SpScanEvent    *ev);
void          sp_scan_request_free    (SpScanRequest  *req);
void          sp_scan_password_free   (SpScanPassword *answer);
void          sp_scan_device_free     (SpScanDevice   *device);

/* The worker thread's body (sp-scanner-sane.c): sane_init, serve
 * requests until QUIT, sane_exit. Takes a reference to shared. */
gpointer      sp_scan_worker_main     (gpointer        shared);

/* SANE's auth callback: asks the main thread (password func) and waits
 * for sp_scanner_answer_password. Buffers of SANE's sizes; exposed so the
 * tests can drive it (the test backend never asks for a password). */
#define SP_SCAN_MAX_USERNAME 128
#define SP_SCAN_MAX_PASSWORD 128
void          sp_scan_worker_authorize (const char *resource,
                                        char       *username,
                                        char       *password);

/* The SANE status as an SP_SCAN_ERROR; exposed for the tests. */
GError       *sp_scan_error_from_sane (int             status);

G_END_DECLS
