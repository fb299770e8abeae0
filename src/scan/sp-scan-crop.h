/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "sp-scan-page.h"

G_BEGIN_DECLS

/* ID-1 (ISO/IEC 7810): identity cards, health cards, driving licences. */
#define SP_ID1_WIDTH_MM  85.6
#define SP_ID1_HEIGHT_MM 53.98

/* Where a card lies on the glass, in page pixels: the centre, the sides
 * (width the longer) and the angle in degrees of its long side against the
 * page's x axis (positive turns clockwise on screen, y pointing down). */
typedef struct {
  double cx, cy;
  double width, height;
  double angle;
} SpScanCardBox;

/* Finds the card on a flatbed page (white glass around a smaller card):
 * the largest non-white region, its edge points, their convex hull and the
 * hull's minimum-area rectangle. FALSE with SP_SCAN_ERROR_NO_CARD if none. */
gboolean    sp_scan_find_card (const SpScanPage *page,
                               SpScanCardBox    *box,
                               GError          **error);
/* The card cut out of page, turned straight, long side horizontal. When the
 * box has roughly the ID-1 shape the result is exactly ID-1 at the page's
 * resolution, so an operator gets the card, not a white A4 page. */
SpScanPage *sp_scan_crop_card (const SpScanPage *page,
                               GError          **error);

G_END_DECLS
