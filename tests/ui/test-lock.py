#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The session lock, driven by keys only: a lock hides every dialog and
refuses the app's actions, the password field takes what is typed next,
activity in a dialog counts, and logging out of a locked session drops the
dialogs of that session. The real app under Xvfb against a real central."""
import os
import subprocess
import sys
import time
import traceback

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spui  # noqa: E402
from counter import Counter  # noqa: E402

tap = spui.Tap()


def type_keys(text):
    subprocess.run(['xdotool', 'type', '--delay', '40', text], check=True)


def window_showing(c, title):
    """Whether a top-level window of the app with this title is on screen."""
    for i in range(c.app.childCount):
        try:
            w = c.app.getChildAtIndex(i)
            if w is not None and w.name == title and w.getState().contains(pyatspi.STATE_SHOWING):
                return True
        except Exception:
            continue
    return False


def wait_for(predicate, timeout):
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def has_label(c, predicate):
    """A label whose text fits. A widget destroyed while the tree is walked
    (the home list refilling) makes AT-SPI fail the walk: that is "not
    yet", and the callers wait for their condition again."""
    try:
        return c.wait_text(predicate, 0.3) is not None
    except Exception:
        return False


def locked(c):
    """GTK 4.8 never marks labels as showing: the login page's title says
    "Session Locked" from the lock until the unlock, which resets it."""
    return has_label(c, lambda t: t == 'Session Locked')


def logged_in(c):
    """The header names the operator (it says "Not logged in" otherwise)
    and the lock screen is not on screen."""
    return has_label(c, lambda t: ', sede ' in t) and not locked(c)


def log_in_by_keys(c, username='demo', password='demo'):
    """The login page focuses the username: type, Enter, type, Enter."""
    type_keys(username)
    c.key('Return')
    type_keys(password)
    c.key('Return')
    if not wait_for(lambda: logged_in(c), 45):
        raise AssertionError('login did not complete')


def open_preferences(c):
    c.key('ctrl+comma')
    return wait_for(lambda: window_showing(c, 'Preferences'), 10)


def case(fn):
    def run(c):
        try:
            fn(c)
        except Exception:
            trace = traceback.format_exc()
            # What the app printed says why it ended, when it did.
            tap.check(fn.__name__ + ' ran to the end', False, trace + c.stop_app()[-3000:])
        finally:
            c.stop_app()
    run.__name__ = fn.__name__
    return run


@case
def lock_hides_dialogs_and_refuses_actions(c):
    c.start_app()
    log_in_by_keys(c)
    tap.check('Ctrl+, opens Preferences', open_preferences(c))
    # Ctrl+L typed in the dialog, not in the main window.
    c.key('ctrl+l')
    tap.check('Ctrl+L in a dialog locks the session', wait_for(lambda: locked(c), 10))
    tap.check('the dialog is hidden while locked', wait_for(lambda: not window_showing(c, 'Preferences'), 10))
    tap.check('the lock screen offers Log Out', c.find(pyatspi.ROLE_PUSH_BUTTON, 'Log Out', 5) is not None)
    # Preferences must stay closed: if Ctrl+, opened it, the password
    # typed next would land in it and the session would stay locked.
    c.key('ctrl+comma')
    tap.check('Ctrl+, does not open Preferences while locked', not window_showing(c, 'Preferences'))
    type_keys('demo')
    c.key('Return')
    tap.check('the password typed after the lock lands in the password field',
              wait_for(lambda: logged_in(c), 30))
    tap.check('the dialog comes back after unlocking', wait_for(lambda: window_showing(c, 'Preferences'), 10))


@case
def activity_in_a_dialog_postpones_the_lock(c):
    c.start_app({'SP_LOCK_AFTER_SECONDS': '6'})
    log_in_by_keys(c)
    tap.check('Preferences open', open_preferences(c))
    # Twelve seconds of typing in the dialog, twice the idle time.
    end = time.time() + 12
    while time.time() < end:
        c.key('shift')
        time.sleep(0.7)
    tap.check('keys in a dialog count as activity', wait_for(lambda: logged_in(c), 2))
    tap.check('idle, the session locks by itself', wait_for(lambda: locked(c), 40))
    tap.check('and hides the dialog', wait_for(lambda: not window_showing(c, 'Preferences'), 10))
    type_keys('demo')
    c.key('Return')
    tap.check('the focus is in the password field after an idle lock', wait_for(lambda: logged_in(c), 30))


@case
def log_out_from_the_lock_drops_the_dialogs(c):
    c.start_app()
    log_in_by_keys(c)
    tap.check('Preferences open', open_preferences(c))
    c.key('ctrl+l')
    tap.check('locked', wait_for(lambda: locked(c), 10))
    c.key('alt+o')
    tap.check('Alt+O logs out of the locked session',
              wait_for(lambda: has_label(c, lambda t: t == 'Log In') and not locked(c), 10))
    log_in_by_keys(c)
    tap.check("the last operator's dialog does not come back", not window_showing(c, 'Preferences'))


def main():
    c = Counter(citizens=10)
    try:
        for run in (lock_hides_dialogs_and_refuses_actions, activity_in_a_dialog_postpones_the_lock,
                    log_out_from_the_lock_drops_the_dialogs):
            run(c)
    finally:
        c.stop()
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
