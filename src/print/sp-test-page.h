/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sp-print-document.h"

G_BEGIN_DECLS

/* A test page for a printer (Preferences → Printers, sportello-tool
 * print test-page): its name, the time, a frame 10 mm inside the sheet's
 * edges and a grey scale, so that IT staff see margins and toner at a
 * glance. Reprintable. */
SpPrintDocument *sp_test_page_document_new (const char *printer);

G_END_DECLS
