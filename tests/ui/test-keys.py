#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The request wizard for a keyboard-only operator, by real keystrokes
only (no AT-SPI actions, no mouse): each step puts the focus where typing
belongs, so what is typed at once lands there; Enter goes on, Escape goes
back, and leaving with a request open (Escape at step 1, Alt+Home,
Ctrl+Q) asks first. The real app under Xvfb against a real central."""
import os
import subprocess
import sys
import time
import traceback
import unicodedata

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spui  # noqa: E402
from counter import Counter, matches  # noqa: E402
import central as C  # noqa: E402

tap = spui.Tap()


def type_keys(text):
    subprocess.run(['xdotool', 'type', '--delay', '40', text], check=True)


def wait_for(predicate, timeout):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if predicate():
                return True
        except Exception:
            pass   # a widget gone while the tree is walked: not yet
        time.sleep(0.2)
    return False


def has_label(c, predicate):
    try:
        return c.wait_text(predicate, 0.3) is not None
    except Exception:
        return False


def logged_in(c):
    return has_label(c, lambda t: ', sede ' in t)


def log_in_by_keys(c):
    type_keys('demo')
    c.key('Return')
    type_keys('demo')
    c.key('Return')
    if not wait_for(lambda: logged_in(c), 45):
        raise AssertionError('login did not complete')


def focused_name(c):
    """The name of what has the keyboard focus in the app (None if none)."""
    acc = pyatspi.findDescendant(c.app, lambda a: a.getState().contains(pyatspi.STATE_FOCUSED)
                                 and a.getRole() not in (pyatspi.ROLE_FRAME, pyatspi.ROLE_DIALOG))
    return acc.name if acc is not None else None


HOME_ACTIONS = ('New PIN Request', 'Search Citizen', "Today's Register")


def at_home(c):
    """One of the home page's actions has the focus (show_home puts it
    there; the search's own field is "Search citizen")."""
    return (focused_name(c) or '').replace('_', '').startswith(HOME_ACTIONS)


def checked(c, name):
    box = c.find(pyatspi.ROLE_CHECK_BOX, name, 5) or c.find(pyatspi.ROLE_RADIO_BUTTON, name, 2)
    return box is not None and box.getState().contains(pyatspi.STATE_CHECKED)


def field_text(c, name):
    entry = c.find(pyatspi.ROLE_TEXT, name, 5)
    return c.text_of(entry) if entry is not None else None


def dialog_showing(c, heading):
    return has_label(c, lambda t: t == heading)


def adult(c):
    """(cf, surname) of an adult with no issuance yet."""
    return c.central.sql("SELECT cf, surname FROM citizens WHERE source = 'demo' AND birth_date < '1990-01-01' "
                         "AND cf NOT IN (SELECT cf FROM issuances) ORDER BY cf LIMIT 1").strip().split('|')


def discard_offered_draft(c):
    """A request left by an earlier case is offered: discarded by keys."""
    if wait_for(lambda: has_label(c, lambda t: t.startswith('A request was being entered')), 5):
        c.key('alt+d')
        wait_for(lambda: not has_label(c, lambda t: t.startswith('A request was being entered')), 10)


def to_document_step(c, cf, surname):
    """Ctrl+N, the codice fiscale typed at once, Enter through steps 1-3."""
    c.key('ctrl+n')
    type_keys(cf)
    tap.check('the codice fiscale typed on arrival lands in its field',
              wait_for(lambda: field_text(c, 'Codice fiscale') == cf, 5), repr(field_text(c, 'Codice fiscale')))
    # The registry's answer prefills the personal data.
    c.wait_text(lambda t: t.startswith('Has ') or t.startswith('Not in the registry'), timeout=15)
    tap.check('step 1 shows the registry identity to confirm the person',
              c.wait_text(lambda t: t.startswith(surname + ' ') and ', born on ' in t, 5))
    c.key('Return')
    tap.check('Enter at step 1 goes to step 2', c.wait_step('Applicant'))
    # Space presses whatever has the focus: it must be the citizen in person.
    c.key('space')
    tap.check('step 2 starts on the citizen in person, not on "parent"',
              wait_for(lambda: checked(c, 'The citizen in person'), 5))
    c.key('Return')
    tap.check('Enter on the chosen role goes to step 3', c.wait_step('Personal Data'))
    c.key('Return')
    tap.check('Enter on the prefilled personal data goes to step 4', c.wait_step('Document'))


def case(fn):
    def run(c):
        try:
            fn(c)
        except Exception:
            trace = traceback.format_exc()
            tap.check(fn.__name__ + ' ran to the end', False, trace + c.stop_app()[-3000:])
        finally:
            c.stop_app()
    run.__name__ = fn.__name__
    return run


@case
def typed_on_arrival_lands_in_the_field(c):
    cf, surname = adult(c)
    c.start_app()
    log_in_by_keys(c)
    discard_offered_draft(c)
    to_document_step(c, cf, surname)
    # No wait for anything: the first keys after arrival must not be lost.
    type_keys('CA12345AB')
    c.key('Tab')
    type_keys('Comune di Roma')
    tap.check('at step 4 the number takes what is typed at once',
              wait_for(lambda: field_text(c, 'Number') == 'CA12345AB', 5), repr(field_text(c, 'Number')))
    tap.check('and Tab reaches the next field', field_text(c, 'Issued by') == 'Comune di Roma',
              repr(field_text(c, 'Issued by')))
    c.key('Return')
    tap.check('Enter on an incomplete step stays there', c.wait_step('Document', 2)
              and not c.wait_step('Scans', 1))
    type_keys('01/02/2020')
    tap.check('and the focus goes to the first field with a problem',
              wait_for(lambda: field_text(c, 'Issue date') == '01/02/2020', 5), repr(field_text(c, 'Issue date')))
    c.key('Escape')
    tap.check('Escape goes back a step', c.wait_step('Personal Data'))
    c.key('Escape', 'Escape')
    tap.check('Escape again, to step 1', c.wait_step('Citizen'))
    c.key('Escape')
    tap.check('Escape at step 1 asks before discarding',
              wait_for(lambda: dialog_showing(c, 'Discard the Request?'), 10))
    c.key('Escape')   # the dialog's Escape keeps the request
    tap.check('the dialog closed, the request kept',
              wait_for(lambda: not dialog_showing(c, 'Discard the Request?'), 10) and c.wait_step('Citizen', 2))
    c.key('BackSpace')
    tap.check('the focus comes back to the field after the dialog',
              wait_for(lambda: field_text(c, 'Codice fiscale') != cf, 5), repr(field_text(c, 'Codice fiscale')))
    # Back to the step list (before the step in the focus chain): arrows
    # move through it, but the highlight stays on the step shown.
    c.key('shift+Tab', 'Down', 'Down')
    tap.check('the step list highlights the step shown, not the one the arrows reached',
              not c.wait_step('Personal Data', 1) and c.current_step() == 'Citizen', c.current_step())


def missing_scans(c):
    return spui.find_all(c.app, pyatspi.ROLE_PUSH_BUTTON, lambda n: n.startswith('Scan: ') and n.endswith(' Scan'))


def scan_all_by_keys(c, escape_first=False):
    """Step 4 filled by keys, then every scan by Enter; False when a scan
    failed. escape_first: the dialog is opened and closed by Escape first,
    and the focus must come back to the scan's button."""
    for text in ('CA12345AB', 'Comune di Roma', '01/02/2020', '01/02/2031'):
        type_keys(text)
        c.key('Tab')
    c.key('shift+Tab', 'Return')   # Enter in the last field goes on
    tap.check('Enter in the document step goes to the scans', c.wait_step('Scans'))
    wanted = len(missing_scans(c))
    tap.check('an adult with a CIE needs three scans', wanted == 3, wanted)
    if escape_first:
        # Xvfb has no window manager to make the main window active again,
        # so AT-SPI reports no focus there: the effect of the next key tells.
        first = missing_scans(c)[0].name
        c.key('Return')
        c.wait_text(lambda t: t == 'Put the document on the scanner and press Scan.', 20)
        c.key('Escape')
        tap.check('the scan dialog closes by Escape', wait_for(lambda: len(list(c.app)) == 1, 10),
                  [w.name for w in c.app])
        c.key('Return')
        tap.check('... and the focus is back on its Scan button: Enter opens the same scan again',
                  wait_for(lambda: any(w.name and w.name in first for w in c.app if w.name != 'Sportello PIN'), 10),
                  (first, [w.name for w in c.app]))
        c.key('Escape')
        wait_for(lambda: len(list(c.app)) == 1, 10)
    for i in range(wanted):
        # The focus is on the first missing scan's button: Enter opens it.
        c.key('Return')
        if not c.wait_text(lambda t: t == 'Put the document on the scanner and press Scan.', 20):
            tap.check('scan %d: the dialog lists the device' % (i + 1), False)
            return False
        c.key('Return')   # the dialog's Scan has the focus
        text = c.wait_text(lambda t: 'scanned.' in t or 'try again' in t, 60)
        tap.check('scan %d by Enter' % (i + 1), text is not None and 'scanned.' in text, text)
        c.key('Return')   # Use Scan has the focus
        # The next key only once the dialog is gone and the row rebuilt:
        # on a busy machine a key sent earlier goes to the closing dialog.
        wait_for(lambda: len(list(c.app)) == 1 and len(missing_scans(c)) == wanted - i - 1, 15)
    return True


@case
def scans_by_keys_go_to_the_next_missing(c):
    cf, surname = adult(c)
    c.start_app()
    log_in_by_keys(c)
    discard_offered_draft(c)
    to_document_step(c, cf, surname)
    if not scan_all_by_keys(c):
        return
    # Had the focus gone back to the first row, a scan would be missing.
    tap.check('after each scan the focus went to the next missing one',
              wait_for(lambda: len(missing_scans(c)) == 0, 10), len(missing_scans(c)))
    c.key('alt+Right')
    tap.check('the scans done, Alt+Right goes to the summary', c.wait_step('Summary'))


@case
def leaving_with_a_request_open_asks(c):
    cf, _ = adult(c)
    c.start_app()
    log_in_by_keys(c)
    discard_offered_draft(c)   # the last case left its request
    c.key('ctrl+n')
    type_keys(cf)
    tap.check('a request is open', wait_for(lambda: field_text(c, 'Codice fiscale') == cf, 5))
    c.key('alt+Home')
    tap.check('Alt+Home asks first', wait_for(lambda: dialog_showing(c, 'Discard the Request?'), 10))
    c.key('Return')   # the default keeps the request
    tap.check('Enter keeps it', wait_for(lambda: not dialog_showing(c, 'Discard the Request?'), 10)
              and c.wait_step('Citizen', 2))
    c.key('ctrl+q')
    tap.check('Ctrl+Q asks first', wait_for(lambda: dialog_showing(c, 'Quit With a Request Open?'), 10))
    c.key('Escape')
    tap.check('Escape keeps the app running', wait_for(lambda: not dialog_showing(c, 'Quit With a Request Open?'), 10)
              and c.proc.poll() is None)
    c.key('alt+Home')
    wait_for(lambda: dialog_showing(c, 'Discard the Request?'), 10)
    c.key('alt+d')
    tap.check('Discard drops the draft', wait_for(lambda: c.store_sql('SELECT COUNT(*) FROM drafts') == '0', 10))
    tap.check('and goes home', wait_for(lambda: at_home(c), 10), focused_name(c))


@case
def search_page_goes_back_by_escape(c):
    c.start_app()
    log_in_by_keys(c)
    discard_offered_draft(c)
    c.key('ctrl+f')
    type_keys('Esposito')
    search = c.find(pyatspi.ROLE_ENTRY, 'Search citizen', 5) or c.find(pyatspi.ROLE_TEXT, 'Search citizen', 2)
    tap.check('Ctrl+F: what is typed lands in the search', search is not None and c.text_of(search) == 'Esposito',
              search and c.text_of(search))
    tap.check('the search is not home', not at_home(c), focused_name(c))
    c.key('Escape')
    tap.check('Escape in the search goes back home', wait_for(lambda: at_home(c), 10), focused_name(c))


def cf_with_check(code15):
    odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]
    total = sum(odd[int(ch) if ch.isdigit() else ord(ch) - 65] if i % 2 == 0 else
                (int(ch) if ch.isdigit() else ord(ch) - 65) for i, ch in enumerate(code15))
    return code15 + chr(65 + total % 26)


def add_espositos(c):
    """Two more Espositos in central's registry, so the demo always has some."""
    path = os.path.join(c.root, 'espositos.csv')
    with open(path, 'w') as f:
        f.write('cf,surname,name,sex,birth_date,birth_place,street,postcode,city,province\n')
        f.write('%s,Esposito,Ciro,M,1970-01-01,F839,,,,\n' % cf_with_check('SPSCRI70A01F839'))
        f.write('%s,Espòsito,Assunta,F,1975-04-01,F839,,,,\n' % cf_with_check('SPSSSN75D41F839'))
    subprocess.run([C.CENTRAL, 'import-registry', path, '--database', c.central.database], check=True,
                   capture_output=True)
    return int(c.central.sql("SELECT COUNT(*) FROM citizens WHERE surname_key = 'esposito'"))


def fold(text):
    return ''.join(ch for ch in unicodedata.normalize('NFD', text) if not unicodedata.combining(ch)).lower()


def result_rows(c, surname):
    """The titles of the search results: "Surname Name, male, born on …",
    the surname compared without accents."""
    rows = []
    for label in spui.find_all(c.app, pyatspi.ROLE_LABEL):
        try:
            text = c.text_of(label)
        except Exception:
            continue
        if fold(text).startswith(fold(surname) + ' ') and ', born on ' in text:
            rows.append(text)
    return rows


@case
def search_by_surname_lists_and_says_none(c):
    expected = min(add_espositos(c), 20)
    c.start_app()
    log_in_by_keys(c)
    discard_offered_draft(c)
    c.key('ctrl+f')
    type_keys('esposito')
    tap.check('"esposito" lists every Esposito of the registry, accents folded',
              wait_for(lambda: len(result_rows(c, 'Esposito')) == expected, 15),
              (expected, result_rows(c, 'Esposito')))
    rows = result_rows(c, 'Esposito')
    tap.check('... with the registry name and birth data', any(r.startswith('Espòsito Assunta, female, born on '
                                                                          '01/04/1975 in Napoli') for r in rows), rows)
    tap.check('... and the PIN state in words', has_label(c, lambda t: t.endswith(' · no active PIN')))
    c.key('Tab')
    c.key('Return')
    tap.check('Tab then Enter opens the first result',
              wait_for(lambda: has_label(c, lambda t: fold(t).startswith('esposito') and 'No active PIN.' in t), 10))
    c.key('shift+Tab')
    c.key('ctrl+a')
    type_keys('Qwertyuiop')
    tap.check('an unknown surname shows the empty state',
              wait_for(lambda: has_label(c, lambda t: t == 'No Citizen Found'), 15))
    tap.check('... and no result is left', result_rows(c, 'Esposito') == [])
    c.key('Escape')
    tap.check('Escape goes back home', wait_for(lambda: at_home(c), 10), focused_name(c))


@case
def quit_then_resume_with_the_scans(c):
    """Ctrl+Q with a request open asks, then really quits; the draft comes
    back at its step with its scans, sealed in the store meanwhile."""
    cf, surname = adult(c)
    c.start_app()
    log_in_by_keys(c)
    discard_offered_draft(c)
    to_document_step(c, cf, surname)
    if not scan_all_by_keys(c, escape_first=True):
        return
    tap.check('the scans are in the store with the draft',
              wait_for(lambda: c.store_sql('SELECT COUNT(*) FROM draft_scans') == '3', 10),
              c.store_sql('SELECT COUNT(*) FROM draft_scans'))
    tap.check('... sealed, never as a PDF', c.store_sql("SELECT COUNT(*) FROM draft_scans"
                                                        " WHERE substr(sealed, 1, 5) = CAST('%PDF-' AS BLOB)") == '0')
    c.key('ctrl+q')
    tap.check('Ctrl+Q with a request open asks', wait_for(lambda: dialog_showing(c, 'Quit With a Request Open?'), 10))
    c.key('alt+q')
    proc = c.proc
    tap.check('... and Alt+Q really quits', wait_for(lambda: proc.poll() is not None, 20), proc.poll())
    c.stop_app()
    c.start_app()
    log_in_by_keys(c)
    tap.check('the request is offered again',
              wait_for(lambda: has_label(c, lambda t: t.startswith('A request was being entered for ' + surname)), 10))
    c.key('Return')
    tap.check('it resumes at the step it was left at, the scans', c.wait_step('Scans'), c.current_step())
    tap.check('... with its scans listed, none missing',
              wait_for(lambda: len(missing_scans(c)) == 0 and
                       len(spui.find_all(c.app, pyatspi.ROLE_PUSH_BUTTON,
                                         lambda n: n.startswith('Scan: ') and 'Again' in n)) == 3, 10),
              [b.name for b in spui.find_all(c.app, pyatspi.ROLE_PUSH_BUTTON, lambda n: n.startswith('Scan: '))])
    c.key('alt+Right')
    tap.check('... so the summary is reachable at once', c.wait_step('Summary'))
    c.key('alt+Home')
    wait_for(lambda: dialog_showing(c, 'Discard the Request?'), 10)
    c.key('alt+d')
    tap.check('discarding the draft deletes its scans',
              wait_for(lambda: c.store_sql('SELECT COUNT(*) FROM draft_scans') == '0', 10))


def extents(acc):
    return acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)


@case
def focus_after_dialogs_and_the_refusal_wraps(c):
    cf, surname = adult(c)
    c.start_app()
    log_in_by_keys(c)
    discard_offered_draft(c)
    c.key('ctrl+n')
    type_keys(cf)
    wait_for(lambda: field_text(c, 'Codice fiscale') == cf, 5)
    c.key('ctrl+q')
    wait_for(lambda: dialog_showing(c, 'Quit With a Request Open?'), 10)
    c.key('Escape')
    c.key('BackSpace')
    tap.check('after the quit dialog the focus is back in the field it left',
              wait_for(lambda: field_text(c, 'Codice fiscale') == cf[:-1], 5), repr(field_text(c, 'Codice fiscale')))
    type_keys(cf[-1])
    c.wait_text(lambda t: t.startswith(surname + ' ') and ', born on ' in t, 15)
    c.key('Return')
    tap.check('step 2', c.wait_step('Applicant'))
    for _ in range(12):
        if focused_name(c) == 'Delegate':
            break
        c.key('Tab')
    c.key('space')
    paragraph = None
    end = time.time() + 10
    while paragraph is None and time.time() < end:
        for label in spui.find_all(c.app, pyatspi.ROLE_LABEL):
            try:
                if c.text_of(label).startswith("The PIN is the citizen's digital identity"):
                    paragraph = label
            except Exception:
                pass
        time.sleep(0.2)
    tap.check('Tab reaches Delegate and Space shows the refusal', paragraph is not None)
    if paragraph is None:
        return
    window = [w for w in c.app if (w.name or '').startswith('Sportello PIN')][0]
    box, win = extents(paragraph), extents(window)
    heading = [lb for lb in spui.find_all(c.app, pyatspi.ROLE_LABEL)
               if c.text_of(lb) == 'A PIN Cannot Be Issued to a Delegate']
    line = extents(heading[0]).height if heading else 20
    # One line of this text would be some 1,700 px wide: on two lines or
    # more, each inside the window, it is wrapped rather than cut.
    tap.check('the refusal paragraph wraps on several lines inside the window, not cut',
              box.width > 0 and box.x >= 0 and box.x + box.width <= win.width and box.height >= 1.5 * line,
              (box.x, box.y, box.width, box.height, win.width, line))
    tap.check('... and is said once', len([lb for lb in spui.find_all(c.app, pyatspi.ROLE_LABEL)
                                           if c.text_of(lb).startswith("The PIN is the citizen's")]) == 1)


@case
def a_draft_resumes_at_its_step(c):
    cf, surname = adult(c)
    c.start_app()
    log_in_by_keys(c)
    discard_offered_draft(c)
    to_document_step(c, cf, surname)
    before = c.store_sql('SELECT body FROM drafts')
    type_keys('CA12345AB')
    # Saved half a second after the last key: wait for the store to have it.
    tap.check('the draft is saved', wait_for(lambda: c.store_sql('SELECT body FROM drafts') not in ('', before), 10))
    c.stop_app()   # as a crash would: no chance to say goodbye
    c.start_app()
    log_in_by_keys(c)
    tap.check('the resume offer names its citizen',
              wait_for(lambda: has_label(c, lambda t: t.startswith('A request was being entered for ' + surname)), 10))
    c.key('Return')   # Resume is the default
    tap.check('it resumes at the step it was left at', c.wait_step('Document'))
    tap.check('with what was typed there', wait_for(lambda: field_text(c, 'Number') == 'CA12345AB', 5),
              repr(field_text(c, 'Number')))


def main():
    c = Counter(citizens=10)
    only = sys.argv[1:] or [n for n in os.environ.get('SP_UI_CASES', '').split(',') if n]
    try:
        for run in (typed_on_arrival_lands_in_the_field, scans_by_keys_go_to_the_next_missing,
                    leaving_with_a_request_open_asks,
                    search_page_goes_back_by_escape, search_by_surname_lists_and_says_none,
                    quit_then_resume_with_the_scans, focus_after_dialogs_and_the_refusal_wraps,
                    a_draft_resumes_at_its_step):
            if not only or run.__name__ in only:
                run(c)
    finally:
        c.stop()
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
