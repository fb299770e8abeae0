/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sp-scan"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sp-scan-crop.h"
#include "sp-scan-error.h"

/* How far from the glass's white a pixel must be to belong to the card. */
#define FOREGROUND_DELTA 40

typedef struct {
  double x, y;
} Point;

typedef struct {
  guint x0, y0, x1, y1;   /* half-open, page pixels */
} Region;

/* The glass's brightness: the mean of the page's outer frame, which the
 * operator is told to leave free. */
static int
background_level (const SpScanPage *page)
{
  guint w = sp_scan_page_get_width (page), h = sp_scan_page_get_height (page);
  guint band = MAX (1, MIN (w, h) / 50);
  guint64 sum = 0, n = 0;

  for (guint y = 0; y < h; y += 2)
    for (guint x = 0; x < w; x += 2)
      if (y < band || y >= h - band || x < band || x >= w - band)
        {
          sum += sp_scan_page_get_grey (page, x, y);
          n++;
        }
  return n > 0 ? (int) (sum / n) : 255;
}

static inline gboolean
is_foreground (const SpScanPage *page,
               guint             x,
               guint             y,
               int               background)
{
  if (sp_scan_page_is_colour (page))
    {
      const guint8 *p = sp_scan_page_peek_data (page)
                        + ((gsize) y * sp_scan_page_get_width (page) + x) * 3;
      int hi = MAX (p[0], MAX (p[1], p[2])), lo = MIN (p[0], MIN (p[1], p[2]));

      /* Chroma too: a pale blue card is far from white only in colour. */
      if (hi - lo > FOREGROUND_DELTA)
        return TRUE;
    }
  return background - (int) sp_scan_page_get_grey (page, x, y) > FOREGROUND_DELTA;
}

/* The bounding region of the largest blob on a coarse grid of cells (closed
 * by one cell so the card's white areas do not split it), which ignores
 * dust and marks elsewhere on the glass. */
static gboolean
largest_blob (const SpScanPage *page,
              int               background,
              Region           *region)
{
  guint w = sp_scan_page_get_width (page), h = sp_scan_page_get_height (page);
  guint cell = MAX (1, sp_scan_page_get_dpi (page) / 50);
  guint gw = (w + cell - 1) / cell, gh = (h + cell - 1) / cell;
  g_autofree guint8 *grid = g_new0 (guint8, (gsize) gw * gh);
  g_autofree guint8 *closed = g_new0 (guint8, (gsize) gw * gh);
  g_autofree guint *queue = g_new (guint, (gsize) gw * gh);
  gsize best_size = 0;

  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      if (is_foreground (page, x, y, background))
        grid[(gsize) (y / cell) * gw + x / cell] = 1;
  for (guint gy = 0; gy < gh; gy++)
    for (guint gx = 0; gx < gw; gx++)
      for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++)
          {
            int nx = (int) gx + dx, ny = (int) gy + dy;

            if (nx >= 0 && ny >= 0 && nx < (int) gw && ny < (int) gh && grid[(gsize) ny * gw + nx])
              closed[(gsize) gy * gw + gx] = 1;
          }

  /* Breadth-first labelling; a visited cell is set to 2. */
  for (gsize start = 0; start < (gsize) gw * gh; start++)
    {
      gsize head = 0, tail = 0;
      guint x0 = G_MAXUINT, y0 = G_MAXUINT, x1 = 0, y1 = 0;

      if (closed[start] != 1)
        continue;
      closed[start] = 2;
      queue[tail++] = (guint) start;
      while (head < tail)
        {
          guint c = queue[head++], cx = c % gw, cy = c / gw;

          x0 = MIN (x0, cx); x1 = MAX (x1, cx);
          y0 = MIN (y0, cy); y1 = MAX (y1, cy);
          for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
              {
                int nx = (int) cx + dx, ny = (int) cy + dy;
                gsize n;

                if (nx < 0 || ny < 0 || nx >= (int) gw || ny >= (int) gh)
                  continue;
                n = (gsize) ny * gw + nx;
                if (closed[n] == 1)
                  {
                    closed[n] = 2;
                    queue[tail++] = (guint) n;
                  }
              }
        }
      if (tail > best_size)
        {
          best_size = tail;
          region->x0 = x0 * cell;
          region->y0 = y0 * cell;
          region->x1 = MIN (w, (x1 + 1) * cell);
          region->y1 = MIN (h, (y1 + 1) * cell);
        }
    }
  /* Fewer than ~1 cm²: a speck, not a card. */
  return best_size * cell * cell >= (gsize) sp_scan_page_get_dpi (page) * sp_scan_page_get_dpi (page) / 6;
}

/* The outermost foreground pixel edges of each row and column in region. */
static GArray *
edge_points (const SpScanPage *page,
             const Region     *r,
             int               background)
{
  GArray *points = g_array_new (FALSE, FALSE, sizeof (Point));

  for (guint y = r->y0; y < r->y1; y++)
    {
      guint x = r->x0, last = r->x1;

      while (x < r->x1 && !is_foreground (page, x, y, background))
        x++;
      if (x == r->x1)
        continue;
      while (last > x && !is_foreground (page, last - 1, y, background))
        last--;
      g_array_append_val (points, ((Point) { x, y + 0.5 }));
      g_array_append_val (points, ((Point) { last, y + 0.5 }));
    }
  for (guint x = r->x0; x < r->x1; x++)
    {
      guint y = r->y0, last = r->y1;

      while (y < r->y1 && !is_foreground (page, x, y, background))
        y++;
      if (y == r->y1)
        continue;
      while (last > y && !is_foreground (page, x, last - 1, background))
        last--;
      g_array_append_val (points, ((Point) { x + 0.5, y }));
      g_array_append_val (points, ((Point) { x + 0.5, last }));
    }
  return points;
}

static int
compare_points (gconstpointer a,
                gconstpointer b)
{
  const Point *p = a, *q = b;

  if (p->x != q->x)
    return p->x < q->x ? -1 : 1;
  return p->y < q->y ? -1 : p->y > q->y;
}

static double
cross (Point o, Point a, Point b)
{
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/* Andrew's monotone chain; returns the hull's vertex count in hull. */
static guint
convex_hull (GArray *points,
             Point  *hull)
{
  Point *p = (Point *) (gpointer) points->data;
  guint n = points->len, k = 0;

  qsort (p, n, sizeof (Point), compare_points);
  for (guint i = 0; i < n; i++)
    {
      while (k >= 2 && cross (hull[k - 2], hull[k - 1], p[i]) <= 0)
        k--;
      hull[k++] = p[i];
    }
  for (guint i = n - 1, t = k + 1; i-- > 0;)
    {
      while (k >= t && cross (hull[k - 2], hull[k - 1], p[i]) <= 0)
        k--;
      hull[k++] = p[i];
    }
  return k > 1 ? k - 1 : k;
}

/* The smallest rectangle around the hull has a side on one of its edges. */
static void
min_area_rect (const Point   *hull,
               guint          n,
               SpScanCardBox *box)
{
  double best = G_MAXDOUBLE;

  for (guint i = 0; i < n; i++)
    {
      Point a = hull[i], b = hull[(i + 1) % n];
      double len = hypot (b.x - a.x, b.y - a.y);
      double ux, uy, umin = G_MAXDOUBLE, umax = -G_MAXDOUBLE, vmin = G_MAXDOUBLE, vmax = -G_MAXDOUBLE;

      if (len < 1e-9)
        continue;
      ux = (b.x - a.x) / len;
      uy = (b.y - a.y) / len;
      for (guint j = 0; j < n; j++)
        {
          double u = hull[j].x * ux + hull[j].y * uy;
          double v = -hull[j].x * uy + hull[j].y * ux;

          umin = MIN (umin, u); umax = MAX (umax, u);
          vmin = MIN (vmin, v); vmax = MAX (vmax, v);
        }
      if ((umax - umin) * (vmax - vmin) < best)
        {
          double cu = (umin + umax) / 2, cv = (vmin + vmax) / 2;

          best = (umax - umin) * (vmax - vmin);
          box->cx = cu * ux - cv * uy;
          box->cy = cu * uy + cv * ux;
          box->width = umax - umin;
          box->height = vmax - vmin;
          box->angle = atan2 (uy, ux) * 180.0 / G_PI;
        }
    }

  /* Long side along x, and the smallest turn that gets it there. */
  if (box->height > box->width)
    {
      double t = box->width;

      box->width = box->height;
      box->height = t;
      box->angle += 90.0;
    }
  while (box->angle > 90.0)
    box->angle -= 180.0;
  while (box->angle <= -90.0)
    box->angle += 180.0;
}

gboolean
sp_scan_find_card (const SpScanPage *page,
                   SpScanCardBox    *box,
                   GError          **error)
{
  g_autoptr(GArray) points = NULL;
  g_autofree Point *hull = NULL;
  Region region = { 0 };
  int background;
  guint n, margin;

  g_return_val_if_fail (page != NULL && box != NULL, FALSE);

  background = background_level (page);
  if (!largest_blob (page, background, &region))
    {
      sp_scan_set_error (error, SP_SCAN_ERROR_NO_CARD, NULL);
      return FALSE;
    }
  margin = sp_scan_page_get_dpi (page) / 25;
  region.x0 = region.x0 > margin ? region.x0 - margin : 0;
  region.y0 = region.y0 > margin ? region.y0 - margin : 0;
  region.x1 = MIN (sp_scan_page_get_width (page), region.x1 + margin);
  region.y1 = MIN (sp_scan_page_get_height (page), region.y1 + margin);

  points = edge_points (page, &region, background);
  if (points->len < 3)
    {
      sp_scan_set_error (error, SP_SCAN_ERROR_NO_CARD, NULL);
      return FALSE;
    }
  hull = g_new (Point, 2 * points->len + 1);
  n = convex_hull (points, hull);
  if (n < 3)
    {
      sp_scan_set_error (error, SP_SCAN_ERROR_NO_CARD, NULL);
      return FALSE;
    }
  min_area_rect (hull, n, box);
  return TRUE;
}

static void
sample (const SpScanPage *page,
        double            x,
        double            y,
        guint8           *out)
{
  guint w = sp_scan_page_get_width (page), h = sp_scan_page_get_height (page);
  guint c = sp_scan_page_get_channels (page);
  const guint8 *data = sp_scan_page_peek_data (page);
  double fx, fy;
  int x0, y0;

  x -= 0.5;
  y -= 0.5;
  x0 = (int) floor (x);
  y0 = (int) floor (y);
  fx = x - x0;
  fy = y - y0;
  for (guint k = 0; k < c; k++)
    {
      double v = 0;

      /* Bilinear; outside the page is white glass. */
      for (int j = 0; j <= 1; j++)
        for (int i = 0; i <= 1; i++)
          {
            int sx = x0 + i, sy = y0 + j;
            double weight = (i ? fx : 1 - fx) * (j ? fy : 1 - fy);
            double value = 255;

            if (sx >= 0 && sy >= 0 && sx < (int) w && sy < (int) h)
              value = data[((gsize) sy * w + sx) * c + k];
            v += weight * value;
          }
      out[k] = (guint8) CLAMP (v + 0.5, 0, 255);
    }
}

SpScanPage *
sp_scan_crop_card (const SpScanPage *page,
                   GError          **error)
{
  SpScanCardBox box;
  SpScanPage *card;
  double id1_w, id1_h, aspect, s, c;
  guint ow, oh, dpi, channels;
  guint8 *out;

  g_return_val_if_fail (page != NULL, NULL);
  if (!sp_scan_find_card (page, &box, error))
    return NULL;

  dpi = sp_scan_page_get_dpi (page);
  id1_w = SP_ID1_WIDTH_MM / 25.4 * dpi;
  id1_h = SP_ID1_HEIGHT_MM / 25.4 * dpi;
  aspect = box.width / MAX (box.height, 1.0);
  /* Within 10 % of the ID-1 shape: the card, at its nominal size (the
   * measured box is a pixel or two larger for the edge's blur). */
  if (fabs (aspect / (id1_w / id1_h) - 1.0) < 0.10 && fabs (box.width / id1_w - 1.0) < 0.10)
    {
      ow = (guint) lround (id1_w);
      oh = (guint) lround (id1_h);
    }
  else
    {
      ow = (guint) MAX (1, lround (box.width));
      oh = (guint) MAX (1, lround (box.height));
    }
  card = sp_scan_page_new (ow, oh, dpi, sp_scan_page_is_colour (page));
  if (card == NULL)
    {
      sp_scan_set_error (error, SP_SCAN_ERROR_NO_MEM, NULL);
      return NULL;
    }
  s = sin (box.angle * G_PI / 180.0);
  c = cos (box.angle * G_PI / 180.0);
  channels = sp_scan_page_get_channels (page);
  out = sp_scan_page_get_data (card);
  for (guint y = 0; y < oh; y++)
    for (guint x = 0; x < ow; x++)
      {
        double dx = x + 0.5 - ow / 2.0, dy = y + 0.5 - oh / 2.0;

        sample (page, box.cx + dx * c - dy * s, box.cy + dx * s + dy * c,
                out + ((gsize) y * ow + x) * channels);
      }
  return card;
}
