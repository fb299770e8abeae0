# SPDX-License-Identifier: GPL-3.0-or-later
"""The counter under test: a real sportello-central (tests/central), a
private cupsd with a PDF queue (tests/print), the SANE test backend, and
the app in this X/D-Bus session, driven through AT-SPI like an operator
with a keyboard and a mouse would."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

import pyatspi
from gi.repository import GLib

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.environ.get('SP_SOURCE_ROOT', os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(SOURCE, 'tests', 'central'))
sys.path.insert(0, os.path.join(SOURCE, 'tests', 'print'))

import spui  # noqa: E402
from central import Central  # noqa: E402
from cupsd import Cupsd  # noqa: E402

SANE_CONF = """# the SANE test backend, as the scan tests use it
number_of_devices 1
mode Gray
depth 8
resolution 75.0
test-picture "Color pattern"
br_x 210.0
br_y 297.0
"""


def sane_dir(root):
    d = os.path.join(root, 'sane.d')
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'dll.conf'), 'w') as f:
        f.write('test\n')
    with open(os.path.join(d, 'test.conf'), 'w') as f:
        f.write(SANE_CONF)
    return d


# Focus changes as AT-SPI reports them (walking the tree after each Tab
# would take longer than the Tab).
_focused = []


def _on_focus(event):
    if event.detail1:
        _focused.append(event.source)


pyatspi.Registry.registerEventListener(_on_focus, 'object:state-changed:focused')


def pump_until(predicate, timeout):
    """Dispatches AT-SPI events until predicate() holds or timeout."""
    ctx = GLib.MainContext.default()
    end = time.time() + timeout
    while time.time() < end:
        while ctx.iteration(False):
            pass
        try:
            if predicate():
                return True
        except Exception:
            pass   # a widget gone while it is read: not yet
        time.sleep(0.05)
    return False


def norm(name):
    """An accessible name as GTK 4.8 gives it ("_Log In Log In" for a
    button with a mnemonic): the text once, without the underscore."""
    n = (name or '').replace('_', '')
    half = len(n) // 2
    if len(n) % 2 == 1 and n[:half] == n[half + 1:] and n[half] == ' ':
        return n[:half]
    return n


def matches(accessible_name, name):
    """GTK 4.8 names a widget with an explicit label "label + its text"."""
    n = (accessible_name or '').replace('_', '')
    return norm(accessible_name) == name or n.startswith(name + ' ')


class Counter:
    """Everything one UI test needs; stop() removes it all."""

    def __init__(self, citizens=20, offline=False):
        self.root = tempfile.mkdtemp(prefix='sp-counter-')
        os.chmod(self.root, 0o755)   # cupsd's filters run as lp
        self.central = Central(citizens=citizens)   # started
        if offline:
            self.central.stop()
        self.cups = Cupsd(os.path.join(self.root, 'cups'))
        self.cups.start()
        self.pdf = self.cups.add_pdf_queue('Sportello')
        self.store = os.path.join(self.root, 'store')
        self.env = {
            'SPORTELLO_CENTRAL_URL': self.central.url if not offline else 'http://127.0.0.1:9',
            'SPORTELLO_STORE_DIR': self.store,
            'SPORTELLO_PRINTER': 'Sportello',
            'CUPS_SERVER': self.cups.env['CUPS_SERVER'],
            'SANE_CONFIG_DIR': sane_dir(self.root),
            'SP_NO_SECRET_SERVICE': '1',
        }
        self.proc = None
        self.app = None
        self.home = None

    def start_app(self, extra_env=None):
        env = dict(self.env)
        # GTK warns when there is no colord or system bus, as in this
        # sandbox: not fatal here; the tests read the log for criticals.
        env['G_DEBUG'] = ''
        env.update(extra_env or {})
        self.proc, self.home = spui.start_app(env)
        self.app = spui.find_app(proc=self.proc)
        return self.app

    def stop_app(self):
        out = spui.stop(self.proc) if self.proc else ''
        self.proc = None
        return out

    def stop(self):
        self.stop_app()
        self.central.stop()
        self.central.cleanup()
        self.cups.stop()
        shutil.rmtree(self.root, ignore_errors=True)
        if self.home:
            shutil.rmtree(self.home, ignore_errors=True)

    # ---- what an operator does ----

    def find(self, role, name, timeout=10):
        pred = name if callable(name) else (lambda n: matches(n, name))
        return spui.find(self.app, role, pred, timeout)

    def type(self, name, text, timeout=10):
        entry = (self.find(pyatspi.ROLE_TEXT, name, timeout) or self.find(pyatspi.ROLE_PASSWORD_TEXT, name, 2)
                 or self.find(pyatspi.ROLE_ENTRY, name, 2))   # a search entry
        if entry is None:
            raise AssertionError('no field %r' % name)
        et = entry.queryEditableText()
        et.setTextContents(text)
        return entry

    def click(self, name, role=pyatspi.ROLE_PUSH_BUTTON, timeout=10):
        pred = name if callable(name) else (lambda n: matches(n, name))
        w = spui.find(self.app, role, pred, timeout)
        if w is None:
            raise AssertionError('no %s %r' % (role, name))
        try:
            action = w.queryAction()
            names = [action.getName(i) for i in range(action.nActions)]
        except NotImplementedError:
            names = []
        if 'click' in names:
            action.doAction(names.index('click'))
            time.sleep(0.3)   # the app handles it on its main loop
        else:
            self.mouse_click(w)   # GTK 4.8 gives check boxes no action
        return w

    def mouse_click(self, acc):
        """A real click in the middle of acc (the window sits at 0,0 under
        Xvfb without a window manager: window coordinates are the screen's)."""
        e = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        subprocess.run(['xdotool', 'mousemove', str(e.x + e.width // 2), str(e.y + e.height // 2),
                        'click', '1'], check=True)
        time.sleep(0.3)

    def key(self, *combos):
        """Real keystrokes through the X server, e.g. key('ctrl+n')."""
        subprocess.run(['xdotool', 'key', '--delay', '50'] + list(combos), check=True)
        time.sleep(0.3)

    def text_of(self, acc):
        t = acc.queryText()
        return t.getText(0, t.characterCount)

    def wait_text(self, predicate, timeout=20, role=pyatspi.ROLE_LABEL):
        """The first label whose text satisfies predicate (labels' names
        are unreliable in GTK 4.8: read their text)."""
        end = time.time() + timeout
        while time.time() < end:
            try:
                labels = spui.find_all(self.app, role)
            except TypeError:
                labels = []   # a widget went while the tree was walked: look again
            for label in labels:
                try:
                    text = self.text_of(label)
                except Exception:
                    continue
                if predicate(text):
                    return text
            time.sleep(0.2)
        return None

    def showing(self, role, name):
        w = self.find(role, name, timeout=1)
        return w is not None and w.getState().contains(pyatspi.STATE_SHOWING)

    def log_in(self, username='demo', password='demo', discard_draft=True):
        self.type('Username', username)
        self.type('Password', password)
        self.click('Log In')
        # Logged in when the header names the operator and the sede.
        if not self.wait_text(lambda t: ', sede ' in t, timeout=45):
            raise AssertionError('login did not complete')
        time.sleep(0.5)
        if discard_draft and self.wait_text(lambda t: 'A request was being entered' in t, 1):
            self.click('Discard')

    # ---- the request, step by step ----

    ATTESTATIONS = (
        'The identity document was shown in original', 'The document is intact and legible',
        'The document is in date', 'The document bears a photo and a signature',
        'The document was issued by a State administration', 'The person at the counter matches the photo',
        'The privacy notice (GDPR art. 13) was given; it is printed on the receipt',
    )

    def current_step(self):
        """The title of the step shown, from the step list's selection."""
        for row in spui.find_all(self.app, pyatspi.ROLE_LIST_ITEM):
            name = norm(row.name)
            if name[:1].isdigit() and '. ' in name and row.getState().contains(pyatspi.STATE_SELECTED):
                return name.split('. ', 1)[1]
        return None

    def wait_step(self, title, timeout=10):
        end = time.time() + timeout
        while time.time() < end:
            if self.current_step() == title:
                return True
            time.sleep(0.1)
        return False

    def next(self):
        self.click('Next')
        time.sleep(0.3)

    def start_request(self, cf):
        self.key('ctrl+n')
        self.type('Codice fiscale', cf)
        # The registry's answer prefills the data: wait for it.
        self.wait_text(lambda t: t.startswith('Has ') or t.startswith('Not in the registry'), timeout=10)
        self.next()

    def choose_role(self, label):
        self.click(label, role=pyatspi.ROLE_CHECK_BOX)

    def fill_document(self, number='CA12345AB', issuer='Comune di Roma', issued='01/02/2020',
                      expires='01/02/2031'):
        self.type('Number', number)
        self.type('Issued by', issuer)
        self.type('Issue date', issued)
        self.type('Expiry date', expires)

    def scan_all(self):
        """Scans every attachment the step lists, from the SANE test device."""
        done = 0
        while True:
            button = spui.find(self.app, pyatspi.ROLE_PUSH_BUTTON,
                               lambda n: n.startswith('Scan: ') and n.endswith(' Scan'), timeout=2)
            if button is None:
                return done
            self.click(lambda n, b=button.name: n == b)
            self.click('Scan', timeout=20)
            text = self.wait_text(lambda t: 'scanned.' in t or 'try again' in t, timeout=60)
            if text is None or 'try again' in text:
                raise AssertionError('scan failed: %r' % text)
            self.click('Use Scan')
            done += 1
            time.sleep(0.5)

    def attest_all(self):
        """Checks the attestations with Tab and Space, as an operator
        would: the summary's rows lie below the fold, where a click at a
        check box's last known place would miss it."""
        done = set()
        for _ in range(60):
            del _focused[:]
            self.key('Tab')
            if not pump_until(lambda: _focused, 3):
                break
            acc = _focused[-1]
            which = [a for a in self.ATTESTATIONS if matches(acc.name, a)]
            if acc.getRole() == pyatspi.ROLE_CHECK_BOX and which:
                if not acc.getState().contains(pyatspi.STATE_CHECKED):
                    subprocess.run(['xdotool', 'key', 'space'], check=True)
                    pump_until(lambda: acc.getState().contains(pyatspi.STATE_CHECKED), 3)
                done.add(which[0])
            if len(done) == len(self.ATTESTATIONS):
                return
        raise AssertionError('attestations not all reached by Tab: %r' % sorted(done))

    def issue(self, timeout=90):
        self.click('Issue PIN and Print Envelope')
        return self.wait_text(lambda t: 'envelope is printed' in t or 'did not print' in t
                              or 'not confirm' in t or 'No PIN was generated' in t, timeout=timeout)

    def hand_over(self):
        """The receipt (with the privacy notice) first, then the envelope."""
        self.click('Print Receipt')
        if not self.wait_text(lambda t: t == 'The receipt is printed.' or 'did not print' in t, timeout=60):
            raise AssertionError('the receipt did not print')
        self.click('Envelope Handed Over')

    def windows(self):
        """The app's top-level windows and dialogs by name: a print dialog
        would be one of them."""
        return [w.name for w in self.app if w.getRole() in (pyatspi.ROLE_FRAME, pyatspi.ROLE_DIALOG,
                                                           pyatspi.ROLE_WINDOW)]

    def store_sql(self, query):
        return subprocess.run(['sqlite3', os.path.join(self.store, 'store.db'), query],
                              capture_output=True, text=True, check=True).stdout.strip()
