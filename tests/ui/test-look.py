#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The counter on a small screen with large text: the window made
1024×700, text at 100 % and at 200 %, and at every step of a request each
control the Tab key reaches lies inside the window and inside the part of
its scrolled page that is on screen (nothing clipped, the primary button
reachable by Tab). The real app under Xvfb against a real central.

Text at 200 %: GNOME's "Large Text" raises Xft/DPI through its XSettings
daemon; under Xvfb there is none, and GTK 4.8 on X11 ignores gtk-xft-dpi
from settings.ini (the X backend's own value wins). What does work is the
font itself: settings.ini's gtk-font-name at twice GTK's default size
(Sans 10), which scales every label and every control drawn around text."""
import os
import subprocess
import sys
import tempfile
import traceback

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spui  # noqa: E402
from counter import Counter, _focused, matches, pump_until  # noqa: E402

tap = spui.Tap()
WIDTH, HEIGHT = 1024, 700
MAX_TABS = 60

def type_keys(text):
    subprocess.run(['xdotool', 'type', '--delay', '40', text], check=True)


def key(combo):
    subprocess.run(['xdotool', 'key', combo], check=True)


def frame(c):
    return spui.find(c.app, pyatspi.ROLE_FRAME, lambda n: n == 'Sportello PIN', 10)


def extents(acc):
    e = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    return e.x, e.y, e.width, e.height


def inside(inner, outer, slack=1):
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return x >= ox - slack and y >= oy - slack and x + w <= ox + ow + slack and y + h <= oy + oh + slack


def viewport_of(acc):
    """The extents of the nearest scrolled page around acc, else None."""
    p = acc.parent
    while p is not None and p.getRole() not in (pyatspi.ROLE_FRAME, pyatspi.ROLE_DIALOG):
        if p.getRole() == pyatspi.ROLE_SCROLL_PANE:
            return extents(p)
        p = p.parent
    return None


def resize(c):
    """The window made 1024×700 by the X server, as a small screen would;
    a window whose content needs more stays larger, which fails the check."""
    wid = subprocess.run(['xdotool', 'search', '--onlyvisible', '--name', '^Sportello PIN$'],
                         capture_output=True, text=True).stdout.split()[0]
    f = frame(c)
    # The X window is larger than the window drawn by its shadow (no
    # window manager here): the shadow would fall off a real screen.
    geometry = subprocess.run(['xdotool', 'getwindowgeometry', '--shell', wid],
                              capture_output=True, text=True).stdout
    g = dict(line.split('=', 1) for line in geometry.split())
    shadow_w, shadow_h = int(g['WIDTH']) - extents(f)[2], int(g['HEIGHT']) - extents(f)[3]
    subprocess.run(['xdotool', 'windowsize', wid, str(WIDTH + shadow_w), str(HEIGHT + shadow_h)], check=True)
    ok = pump_until(lambda: extents(f)[2:] == (WIDTH, HEIGHT), 10)
    return ok, extents(f)


def where_focus_goes(c):
    """Presses Tab until the focus comes back to where it started: the
    controls reached, each (name, role, extents, visible part)."""
    reached = []
    start = None
    for _ in range(MAX_TABS):
        del _focused[:]
        key('Tab')
        if not pump_until(lambda: _focused, 3):
            break   # the focus did not move: nothing else to reach
        acc = _focused[-1]
        ident = (acc.getRoleName(), acc.name)
        # A page scrolls the focused control into view: wait for it.
        view = viewport_of(acc)
        box = extents(acc)
        pump_until(lambda: view is None or inside(extents(acc), view), 1)
        box = extents(acc)
        if start is None:
            start = (ident, box)
        elif (ident, box) == start:
            break
        reached.append((acc.name or '', acc.getRoleName(), box, view))
    return reached


def check_step(c, step, window, primary):
    reached = where_focus_goes(c)
    outside = [r for r in reached if not inside(r[2], window)]
    clipped = [r for r in reached if r[3] is not None and not inside(r[2], r[3])]
    # GTK 4.8 names an unnamed widget by its class ("GtkToggleButton").
    unnamed = [r for r in reached if not r[0].strip() or r[0].startswith(('Gtk', 'Adw'))]
    tap.check('%s: Tab reaches its controls' % step, len(reached) >= 3, reached)
    tap.check('%s: every control reached is inside the window' % step, not outside, outside)
    tap.check('%s: every control reached is inside the visible part of its page' % step, not clipped, clipped)
    tap.check('%s: every control reached has an accessible name' % step, not unnamed, unnamed)
    hits = [r for r in reached if matches(r[0], primary)]
    tap.check('%s: Tab reaches "%s", inside the window' % (step, primary),
              hits and all(inside(r[2], window) for r in hits), reached)


def adult(c):
    return c.central.sql("SELECT cf, surname FROM citizens WHERE source = 'demo' AND birth_date < '1990-01-01' "
                         "AND cf NOT IN (SELECT cf FROM issuances) ORDER BY cf LIMIT 1").strip().split('|')


def walk(c, label, font):
    config = tempfile.mkdtemp(prefix='sp-look-')
    try:
        os.makedirs(os.path.join(config, 'gtk-4.0'))
        with open(os.path.join(config, 'gtk-4.0', 'settings.ini'), 'w') as f:
            f.write('[Settings]\ngtk-font-name=%s\n' % font)
        cf, _ = adult(c)
        c.start_app({'XDG_CONFIG_HOME': config})
        ok, box = resize(c)
        tap.check('%s: the window can be made %dx%d' % (label, WIDTH, HEIGHT), ok, box)
        window = (0, 0, box[2], box[3])
        # The login page focuses the username; both rows on screen.
        check_step(c, '%s, login' % label, window, 'Log In')
        c.log_in()
        check_step(c, '%s, home' % label, window, 'New PIN Request')
        c.key('ctrl+n')
        c.type('Codice fiscale', cf)
        tap.check('%s: step 1 shows the registry' % label,
                  c.wait_text(lambda t: t.startswith('Has ') or t.startswith('Not in the registry'), timeout=15))
        check_step(c, '%s, step 1' % label, window, 'Next')
        c.next()
        c.choose_role('The citizen in person')
        check_step(c, '%s, step 2' % label, window, 'Next')
        c.next()
        tap.check('%s: at step 3' % label, c.wait_step('Personal Data'))
        check_step(c, '%s, step 3' % label, window, 'Next')
        c.next()
        c.fill_document()
        check_step(c, '%s, step 4' % label, window, 'Next')
        c.next()
        tap.check('%s: at step 5' % label, c.wait_step('Scans'))
        c.scan_all()
        check_step(c, '%s, step 5' % label, window, 'Next')
        c.next()
        c.attest_all()   # by Tab and Space
        check_step(c, '%s, step 6' % label, window, 'Next')
        c.next()
        tap.check('%s: at step 7' % label, c.wait_step('Issue and Print'))
        check_step(c, '%s, step 7' % label, window, 'Issue PIN and Print Envelope')
    finally:
        subprocess.run(['rm', '-rf', config])


def case(label, font):
    def run(c):
        try:
            walk(c, label, font)
        except Exception:
            tap.check(label + ' ran to the end', False, traceback.format_exc() + c.stop_app()[-3000:])
        finally:
            c.stop_app()
            if os.path.exists(os.path.join(c.store, 'store.db')):
                c.store_sql('DELETE FROM drafts')
    run.__name__ = label
    return run


def main():
    c = Counter(citizens=10)
    only = [n for n in os.environ.get('SP_UI_CASES', '').split(',') if n]
    try:
        # GTK's default font is Sans 10: twice that is text at 200 %.
        for run in (case('text_100', 'Sans 10'), case('text_200', 'Sans 20')):
            if not only or run.__name__ in only:
                run(c)
    finally:
        c.stop()
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
