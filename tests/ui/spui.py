# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the UI tests: start sportello-pin in this X/D-Bus session
(the caller runs under Xvfb and `dbus-run-session`, see run-ui-test.sh)
and find its widgets through AT-SPI (pyatspi), as HARNESS.md describes."""
import os
import subprocess
import tempfile
import time

import pyatspi
from gi.repository import GLib

BUILD = os.environ['SP_BUILD_ROOT']
APP = os.path.join(BUILD, 'src', 'app', 'sportello-pin')


class Tap:
    """Minimal TAP producer: every check is printed, failures explained."""

    def __init__(self):
        self.results = []

    def check(self, name, condition, detail=''):
        self.results.append((name, bool(condition), detail))
        return bool(condition)

    def finish(self):
        print('1..%d' % len(self.results))
        for i, (name, ok, detail) in enumerate(self.results, 1):
            print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
            if not ok and detail:
                for line in str(detail).splitlines()[-20:]:
                    print('#   ' + line)
        return 0 if all(ok for _, ok, _ in self.results) else 1


def _registry_ready(timeout=10):
    """Wait until the AT-SPI registry answers: an app started before the
    accessibility bus is up never registers on it (GTK 4.8)."""
    end = time.time() + timeout
    while time.time() < end:
        try:
            pyatspi.Registry.getDesktop(0).childCount
            return True
        except Exception:
            time.sleep(0.1)
    return False


def start_app(extra_env=None):
    """Starts the app with private XDG folders; returns (process, home)."""
    _registry_ready()
    home = tempfile.mkdtemp(prefix='sp-ui-')
    env = dict(os.environ)
    env.pop('NO_AT_BRIDGE', None)
    env.update({
        'XDG_DATA_HOME': os.path.join(home, 'data'),
        'XDG_CONFIG_HOME': os.path.join(home, 'config'),
        'XDG_CACHE_HOME': os.path.join(home, 'cache'),
        'GSK_RENDERER': 'cairo',
        'GSETTINGS_BACKEND': 'memory',
        # run-ui-test.sh keeps fatal-warnings for the app, not the driver.
        'G_DEBUG': os.environ.get('SP_APP_G_DEBUG', os.environ.get('G_DEBUG', '')),
    })
    env.update(extra_env or {})
    proc = subprocess.Popen([APP], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc, home


def find_app(names=('Sportello PIN', 'sportello-pin'), timeout=30, proc=None):
    end = time.time() + timeout
    while time.time() < end:
        if proc is not None and proc.poll() is not None:
            return None   # the app exited: no use waiting
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            a = desktop.getChildAtIndex(i)
            if a is None or a.name not in names:
                continue
            # The app of this process: the one a previous case stopped may
            # still be listed until the registry notices it has gone.
            try:
                if proc is not None and a.get_process_id() != proc.pid:
                    continue
            except Exception:
                continue
            return a
        time.sleep(0.1)
    return None


# A walk of the accessibility tree can meet a node the app removed a
# moment ago (pyatspi then iterates None, or the D-Bus call fails): on a
# busy machine that is a normal race, not an answer. The walk is retried.
WALK_ERRORS = (TypeError, AttributeError, RuntimeError, GLib.GError)


def find(root, role, pred=lambda name: True, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        try:
            found = pyatspi.findDescendant(root, lambda a: a.getRole() == role and pred(a.name or ''))
        except WALK_ERRORS:
            found = None
        if found is not None:
            return found
        time.sleep(0.1)
    return None


def find_all(root, role, pred=lambda name: True, attempts=5):
    for _ in range(attempts):
        try:
            return pyatspi.findAllDescendants(root, lambda a: a.getRole() == role and pred(a.name or ''))
        except WALK_ERRORS:
            time.sleep(0.1)
    return []


def stop(proc):
    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out
