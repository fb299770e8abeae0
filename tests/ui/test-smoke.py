#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Smoke test: the app starts under Xvfb and shows its main window with
the home page's actions, reachable through AT-SPI."""
import sys
import time

import pyatspi

import spui

tap = spui.Tap()
t0 = time.time()
proc, home = spui.start_app()
app = spui.find_app(proc=proc)
tap.check('the app appears on the accessibility bus', app is not None)
if app is not None:
    frame = spui.find(app, pyatspi.ROLE_FRAME, lambda n: 'Sportello PIN' in n)
    tap.check('its main window is shown', frame is not None and
              frame.getState().contains(pyatspi.STATE_SHOWING), frame)
    for title in ('New PIN Request', 'Search Citizen', "Today's Register"):
        row = spui.find(app, pyatspi.ROLE_LIST_ITEM, lambda n, t=title: t in n, timeout=5) \
            or spui.find(app, pyatspi.ROLE_PUSH_BUTTON, lambda n, t=title: t in n, timeout=1)
        tap.check('home page offers "%s"' % title, row is not None)
    menu = spui.find(app, pyatspi.ROLE_TOGGLE_BUTTON, lambda n: n == 'Main menu', timeout=5) \
        or spui.find(app, pyatspi.ROLE_PUSH_BUTTON, lambda n: n == 'Main menu', timeout=1)
    tap.check('the header bar has the main menu, with an accessible name', menu is not None)
print('# window found after %.2f s' % (time.time() - t0))
out = spui.stop(proc)
tap.check('no critical warnings while running', 'CRITICAL' not in out, out)
sys.exit(tap.finish())
