#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The counter, end to end: the real app under Xvfb driven through AT-SPI
and real keystrokes, against a real sportello-central, a private cupsd
with a PDF queue and the SANE test backend. Each case asserts what the
operator sees and what central (and the workstation's store) recorded."""
import os
import re
import subprocess
import sys
import time
import traceback

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spui  # noqa: E402
from counter import Counter, norm  # noqa: E402
import cupsd  # noqa: E402  (tests/print, put on the path by counter)

tap = spui.Tap()


def citizen(c, where):
    """(cf, surname) of a demo citizen matching an SQL condition."""
    row = c.central.sql("SELECT cf, surname FROM citizens WHERE source = 'demo' AND %s "
                        "AND cf NOT IN (SELECT cf FROM issuances) ORDER BY cf LIMIT 1" % where)
    return row.split('|')


def pin_from_envelope(path):
    text = cupsd.pdf_text(path, '-layout')
    halves = re.findall(r'\b([A-HJKMNP-Z2-9]{4}) ([A-HJKMNP-Z2-9]{4})\b', text)
    return ''.join(a + b for a, b in halves[:2]) if len(halves) >= 2 else None


def files_containing(root, needle, skip=()):
    found = []
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            if p in skip or not os.path.isfile(p):
                continue
            try:
                with open(p, 'rb') as f:
                    if needle.encode() in f.read():
                        found.append(p)
            except OSError:
                pass
    return found


def central_status(c, cf):
    return c.central.sql("SELECT status FROM issuances WHERE cf = '%s' ORDER BY issued_at" % cf).split('\n')


def wait_central(c, cf, want, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        if central_status(c, cf) == want:
            return True
        time.sleep(0.5)
    return False


def case(fn):
    def run(c):
        try:
            fn(c)
        except Exception:
            tap.check(fn.__name__ + ' ran to the end', False, traceback.format_exc())
            subprocess.run(['import', '-window', 'root', '/tmp/sp-ui-%s.png' % fn.__name__])
        finally:
            log = c.stop_app()
            tap.check(fn.__name__ + ': no critical warnings', 'CRITICAL' not in log, log[-2000:])
    run.__name__ = fn.__name__
    return run


@case
def adult_in_person(c):
    cf, surname = citizen(c, "birth_date < '1990-01-01'")
    c.start_app()
    c.log_in()
    c.start_request(cf)
    tap.check('step 1 shows the credential status', c.wait_text(lambda t: t == 'Has no active PIN.', 2))
    c.choose_role('The citizen in person')
    c.next()
    tap.check('personal data prefilled from the registry',
              c.text_of(c.find(pyatspi.ROLE_TEXT, 'Surname')) == surname)
    c.next()
    c.fill_document()
    c.next()
    tap.check('the scans step lists MV35 and both sides of a CIE', c.scan_all() == 3)
    c.next()
    c.attest_all()
    c.next()
    state = c.issue()
    tap.check('online: printed after central activated the PIN', state and 'PIN is active' in state, state)
    tap.check('printed with no print dialog: one window', len(c.windows()) == 1, c.windows())
    tap.check('central has the issuance, active', central_status(c, cf) == ['active'], central_status(c, cf))
    pin = pin_from_envelope(c.pdf)
    tap.check('the envelope carries the PIN', pin is not None and len(pin) == 16)
    token = c.central.login('demo')
    r = c.central.request('POST', '/v1/auth/pin', {'cf': cf, 'pin': pin}, token=token)
    tap.check('the printed PIN authenticates at central as dispositivo',
              r.status == 200 and r.json().get('scope') == 'dispositivo', r)
    leaks = files_containing(c.root, pin, skip=(c.pdf,)) + files_containing(c.home, pin) + \
        files_containing(c.central.dir, pin)
    tap.check('the PIN is on disk only in the printed output', not leaks, leaks)
    handed = c.find(pyatspi.ROLE_PUSH_BUTTON, 'Envelope Handed Over', 5)
    tap.check('no hand-over before the receipt with the privacy notice is printed',
              handed is not None and not handed.getState().contains(pyatspi.STATE_SENSITIVE))
    c.hand_over()
    tap.check('handed over: back home, the issuance listed',
              c.wait_text(lambda t: t.startswith(surname + ' '), 10))
    tap.check('the hand-over is audited',
              c.store_sql("SELECT COUNT(*) FROM audit WHERE action = 'envelope.handed_over'") == '1')
    tap.check('no draft is left', c.store_sql('SELECT COUNT(*) FROM drafts') == '0')
    tap.check('nor in the app log', pin not in c.stop_app())


@case
def delegate_refused(c):
    cf, _ = citizen(c, "birth_date < '1990-01-01'")
    before = c.central.sql('SELECT COUNT(*) FROM issuances')
    c.start_app()
    c.log_in()
    c.start_request(cf)
    c.choose_role('Delegate')
    tap.check('the refusal explains and lists the other channels',
              c.wait_text(lambda t: '803 164' in t and 'SPID' in t, 5))
    said = [lb for lb in spui.find_all(c.app, pyatspi.ROLE_LABEL) if '803 164' in c.text_of(lb)]
    tap.check('and says it once (the note does not repeat it)', len(said) == 1, len(said))
    c.click('Record Refusal and Close')
    tap.check('a toast confirms the refusal is recorded',
              c.wait_text(lambda t: t == 'Refusal recorded; the request is closed', 10))
    tap.check('the refusal is recorded',
              c.store_sql("SELECT COUNT(*) FROM audit WHERE action = 'request.refused' AND subject = '%s'" % cf) == '1')
    tap.check('nothing issued', c.central.sql('SELECT COUNT(*) FROM issuances') == before)
    tap.check('back home', c.wait_text(lambda t: t == 'Last Issuances of This Workstation', 5))


@case
def expired_document_blocked(c):
    cf, _ = citizen(c, "birth_date < '1990-01-01'")
    c.start_app()
    c.log_in()
    c.start_request(cf)
    c.choose_role('The citizen in person')
    c.next(); c.next()
    c.fill_document(issued='01/02/2010', expires='01/02/2020')
    c.next()
    tap.check('an expired document keeps the request at step 4', c.current_step() == 'Document', c.current_step())
    tap.check('and says why', c.wait_text(lambda t: 'expired' in t.lower(), 5))
    field = c.find(pyatspi.ROLE_TEXT, 'Expiry date')
    tap.check('the field is marked invalid for screen readers',
              field.getState().contains(pyatspi.STATE_INVALID_ENTRY) or 'Error' in (field.description or ''),
              (field.description, field.getState().getStates()))
    c.click('Cancel Request')
    time.sleep(0.5)
    tap.check('cancelled: no draft left', c.store_sql('SELECT COUNT(*) FROM drafts') == '0')


@case
def missing_attachment_blocked(c):
    cf, _ = citizen(c, "birth_date < '1990-01-01'")
    c.start_app()
    c.log_in()
    c.start_request(cf)
    c.choose_role('The citizen in person')
    c.next(); c.next()
    c.fill_document()
    c.next()
    c.next()
    tap.check('no scans: the request stays at step 5', c.current_step() == 'Scans', c.current_step())
    tap.check('and names what is missing', c.wait_text(lambda t: t.startswith('Missing: MV35'), 5))
    c.click('Cancel Request')


@case
def crash_keeps_draft(c):
    cf, _ = citizen(c, "birth_date < '1990-01-01'")
    c.start_app()
    c.log_in()
    c.start_request(cf)
    c.choose_role('The citizen in person')
    time.sleep(1.5)   # the draft is saved half a second after the last change
    c.proc.kill()
    c.proc.wait()
    c.start_app()
    c.log_in(discard_draft=False)
    tap.check('after a crash the unfinished request is offered',
              c.wait_text(lambda t: 'A request was being entered' in t, 10))
    c.click('Resume')
    field = c.find(pyatspi.ROLE_TEXT, 'Codice fiscale')
    tap.check('and what was typed is back', field is not None and c.text_of(field) == cf)
    tap.check('the draft holds no PIN and no scan', 'verifier' not in c.store_sql('SELECT body FROM drafts'))
    c.click('Cancel Request')


def with_representative(c, role, beneficiary_where, attachments):
    cf, _ = citizen(c, beneficiary_where)
    rep_cf, rep_surname = c.central.sql(
        "SELECT cf, surname FROM citizens WHERE source = 'demo' AND birth_date < '1980-01-01' "
        "AND cf <> '%s' ORDER BY cf DESC LIMIT 1" % cf).split('|')
    c.start_app()
    c.log_in()
    c.start_request(cf)
    c.choose_role(role)
    c.next()
    c.wait_step('Personal Data')
    # Step 1's field comes first in the tree, the representative's last.
    rep = spui.find_all(c.app, pyatspi.ROLE_TEXT, lambda n: n.startswith('Codice fiscale'))[-1]
    rep.queryEditableText().setTextContents(rep_cf)
    end = time.time() + 10
    while time.time() < end and rep_surname not in [c.text_of(t) for t in spui.find_all(c.app, pyatspi.ROLE_TEXT)]:
        time.sleep(0.2)
    c.next()
    c.fill_document()
    c.next()
    n = c.scan_all()
    tap.check('%s: %d attachments required' % (role, attachments), n == attachments, n)
    c.next()
    c.attest_all()
    c.next()
    state = c.issue()
    tap.check('%s: issued and printed' % role, state and 'PIN is active' in state, state)
    body = c.central.sql("SELECT body FROM issuances WHERE cf = '%s'" % cf)
    tap.check('%s: central records the representative' % role, rep_cf in body and '"role"' in body, body[:300])


@case
def parent_for_minor(c):
    with_representative(c, 'Parent of a minor', "birth_date > '2010-01-01'", 4)


@case
def tutor(c):
    with_representative(c, 'Tutore', "birth_date < '1990-01-01'", 4)


@case
def offline_then_synced(c):
    cf, surname = citizen(c, "birth_date < '1990-01-01'")
    # Looked up once online: the registry record stays in the cache.
    c.start_app()
    c.log_in()
    c.start_request(cf)
    c.click('Cancel Request')
    c.stop_app()
    c.central.stop()
    c.start_app()
    c.log_in()
    tap.check('offline login with the verifier of the last online login',
              c.wait_text(lambda t: 'offline login' in t, 15))
    c.start_request(cf)
    c.choose_role('The citizen in person')
    c.next()
    tap.check('offline: personal data from the cache',
              c.text_of(c.find(pyatspi.ROLE_TEXT, 'Surname')) == surname)
    c.next()
    c.fill_document()
    c.next()
    c.scan_all()
    c.next()
    c.attest_all()
    c.next()
    state = c.issue()
    tap.check('offline: printed with the offline notice', state and 'offline notice' in state, state)
    tap.check('central has nothing yet', central_status(c, cf) == [''], central_status(c, cf))
    tap.check('offline: the record says offline', c.store_sql(
        "SELECT json_extract(body, '$.offline') FROM issuances WHERE cf = '%s'" % cf) == '1')
    c.central.start()
    # The password of an offline login is not kept: once central answers
    # (probed every sync interval, 30 s) the banner offers to log in again
    # where the operator is, and the queue drains on that session.
    again = c.find(pyatspi.ROLE_PUSH_BUTTON, 'Log In Again…', 75)
    tap.check('central back: the banner offers to log in again', again is not None)
    c.click('Log In Again…')
    c.type('Your password', 'wrong')
    c.click('Log In and Send')
    tap.check('a wrong password says so and keeps the offer',
              c.wait_text(lambda t: 'Wrong password.' in t, 15))
    c.click('Log In Again…')
    c.type('Your password', 'demo')
    c.click('Log In and Send')
    tap.check('central back: the issuance reaches it, active', wait_central(c, cf, ['active'], 60),
              central_status(c, cf))
    tap.check('the request stayed open where it was', c.current_step() == 'Issue and Print', c.current_step())
    gone, end = False, time.time() + 15
    while not gone and time.time() < end:
        gone = c.wait_text(lambda t: 'offline login' in t, 0.5) is None
    tap.check('the header no longer says offline login', gone)


@case
def lock_keeps_the_request(c):
    cf, _ = citizen(c, "birth_date < '1990-01-01'")
    c.start_app()
    c.log_in()
    c.start_request(cf)
    c.key('ctrl+l')
    tap.check('Ctrl+L locks the session', c.wait_text(lambda t: t == 'Session Locked', 5))
    tap.check('the lock is audited',
              c.store_sql("SELECT COUNT(*) FROM audit WHERE action = 'session.locked'") != '0')
    c.type('Password', 'wrong')
    c.click('Log In')
    tap.check('a wrong password does not unlock', c.wait_text(lambda t: t == 'Wrong username or password.', 15))
    c.type('Password', 'demo')
    c.click('Log In')
    c.wait_step('Applicant', 15)
    tap.check('unlocked: the request is where it was', c.current_step() == 'Applicant', c.current_step())
    c.click('Cancel Request')


@case
def search_and_revoke_four_eyes(c):
    import central as central_helpers
    cf, surname = citizen(c, "birth_date < '1990-01-01'")
    row = c.central.sql("SELECT name, sex, birth_date, birth_place FROM citizens WHERE cf = '%s'" % cf).split('|')
    pin, verifier = central_helpers.new_pin()
    body = central_helpers.issuance(cf, central_helpers.person(cf, surname, row[0], row[1], row[2], row[3]),
                                    verifier)
    token = c.central.login('demo')
    r = c.central.request('POST', '/v1/issuances', body, token=token, headers={'Idempotency-Key': body['id']})
    assert r.status == 201, r
    c.start_app()
    c.log_in()
    c.key('ctrl+f')
    c.type('Search citizen', cf)
    tap.check('search by codice fiscale shows the active PIN',
              c.wait_text(lambda t: 'Active PIN dispositivo issued by sede 0700' in t, 15))
    c.click('Revoke PIN…')
    c.type('Reason', 'lost envelope')
    c.type('Supervisor', 'demo')
    c.type("Supervisor's password", 'demo')
    c.click(lambda n: norm(n) == 'Revoke')
    tap.check('the operator cannot approve their own revocation',
              c.wait_text(lambda t: t.startswith('The revocation was refused'), 15))
    c.click('Revoke PIN…')
    c.type('Reason', 'lost envelope')
    c.type('Supervisor', 'super')
    c.type("Supervisor's password", 'super')
    c.click(lambda n: norm(n) == 'Revoke')
    tap.check('a supervisor approves: no active PIN any more',
              c.wait_text(lambda t: 'No active PIN.' in t, 15),
              [c.text_of(l) for l in spui.find_all(c.app, pyatspi.ROLE_LABEL) if len(c.text_of(l)) > 20])
    tap.check('central has it revoked', central_status(c, cf) == ['revoked'], central_status(c, cf))


@case
def print_failure_voids_and_reissues(c):
    cf, _ = citizen(c, "birth_date < '1990-01-01'")
    c.start_app()
    c.log_in()
    c.start_request(cf)
    c.choose_role('The citizen in person')
    c.next(); c.next()
    c.fill_document()
    c.next()
    c.scan_all()
    c.next()
    c.attest_all()
    c.next()
    # Stopped before: said before any PIN exists, with what to do.
    c.cups.run('cupsdisable', 'Sportello')
    state = c.issue()
    tap.check('a stopped printer is said before a PIN is generated',
              state and 'No PIN was generated' in state and 'Preferences' in state, state)
    issued = c.store_sql("SELECT COUNT(*) FROM issuances WHERE cf = '%s'" % cf)
    tap.check('no PIN spent on a printer known to be stopped', issued == '0', issued)
    c.cups.run('cupsenable', 'Sportello')
    # Stopped during the job (cupsd holds it meanwhile): voided, reissued.
    c.cups.run('lpadmin', '-p', 'Sportello', '-o', 'job-hold-until-default=indefinite')
    c.click('Issue PIN and Print Envelope')
    deadline = time.monotonic() + 60
    while not c.cups.run('lpstat', '-o', 'Sportello').strip() and time.monotonic() < deadline:
        time.sleep(0.1)
    c.cups.run('cupsdisable', 'Sportello')
    state = c.wait_text(lambda t: 'envelope is printed' in t or 'did not print' in t, 60)
    tap.check('a printer stopped during the envelope: it did not print, the PIN is voided',
              state and 'did not print' in state and 'voided' in state, state)
    voided = c.store_sql("SELECT COUNT(*) FROM issuances WHERE cf = '%s' AND status = 'voided'" % cf)
    tap.check('the store has it voided', voided == '1', voided)
    tap.check('the stopped job was cancelled, not left to print later',
              not c.cups.run('lpstat', '-o', 'Sportello').strip())
    c.cups.run('lpadmin', '-p', 'Sportello', '-o', 'job-hold-until-default=no-hold')
    c.cups.run('cupsenable', 'Sportello')
    c.click('Issue a New PIN')
    state = c.wait_text(lambda t: 'envelope is printed' in t or 'did not print' in t, 90)
    tap.check('one click issues and prints a new PIN', state and 'PIN is active' in state, state)
    tap.check('central: the first voided, the second active',
              wait_central(c, cf, ['voided', 'active']), central_status(c, cf))


@case
def printers_in_preferences(c):
    """Preferences → Printers: CUPS's queues with their state, the envelope
    printer chosen once, a test page printed on it with no dialog."""
    c.start_app()
    c.key('ctrl+comma')
    c.click('Printers', role=pyatspi.ROLE_PAGE_TAB)
    row = c.find(pyatspi.ROLE_COMBO_BOX, 'Envelope Printer')
    tap.check('the envelope printer row is there, with nothing chosen yet',
              row is not None and 'No printer chosen yet' in (row.description or ''), row and row.description)
    c.mouse_click(row)
    item = spui.find(c.app, pyatspi.ROLE_LABEL, lambda n: n.startswith('Sportello') and 'Ready' in n, 10)
    tap.check("CUPS's queue is listed with its state", item is not None)
    if item is None:
        return
    # The popover is a surface of its own (AT-SPI extents are relative to
    # it): chosen with the keyboard, as an operator would.
    c.key('Down', 'Return')
    deadline = time.monotonic() + 10
    while 'Ready' not in (row.description or '') and time.monotonic() < deadline:
        time.sleep(0.1)
    tap.check('chosen: the row says the printer is ready', 'Ready' in (row.description or ''), row.description)
    before = os.path.getmtime(c.pdf)
    c.click('Test Page on the Envelope Printer')
    deadline = time.monotonic() + 30
    while os.path.getmtime(c.pdf) == before and time.monotonic() < deadline:
        time.sleep(0.1)
    text = cupsd.pdf_text(c.pdf) if os.path.getmtime(c.pdf) != before else ''
    tap.check('the test page printed on it, with no dialog',
              'Printer test page' in text and 'Sportello' in text and len(c.windows()) == 2, (text[:300], c.windows()))
    c.key('Escape')


def main():
    c = Counter(citizens=60)
    try:
        only = os.environ.get('SP_UI_CASES', '').split(',')
        for run in (adult_in_person, delegate_refused, expired_document_blocked,
                    missing_attachment_blocked, crash_keeps_draft, parent_for_minor, tutor, print_failure_voids_and_reissues,
                    lock_keeps_the_request, search_and_revoke_four_eyes, offline_then_synced,
                    printers_in_preferences):
            if only == [''] or run.__name__ in only:
                run(c)
    finally:
        c.stop()
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
