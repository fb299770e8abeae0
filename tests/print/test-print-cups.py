#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The print path against a real spooler, on the cups Debian 12 ships
today (2.4.2-3+deb12u10, no downgrade): a private cupsd with PDF queues
(file: devices), each document printed through the app's print path
(print-driver: SpPrintService, libcups's destination API, the job
followed in CUPS), with no dialog, the output read back with
poppler-utils. TAP on standard output."""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cupsd import Cupsd, have_cupsd, pdf_text  # noqa: E402

BUILD = os.environ.get('SP_BUILD_ROOT', '_build')
DRIVER = os.path.join(BUILD, 'tests', 'print', 'print-driver')
TOOL = os.path.join(BUILD, 'src', 'tool', 'sportello-tool')
# What a citizen reads is addressed with "Lei"; none of these may show.
NOT_FOR_CITIZENS = ('potete', 'Scegliete', 'scegliete', 'Digita', 'Sede di Sede', 'Nato/a', 'vostro', 'vostra',
                    'Andate', 'Inserite', 'Conservate', 'Tenetelo', 'chiamate', ' tu ', ' tuo ')
ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
MM = 72 / 25.4
# DL window on the A4 sheet (sp-envelope.h): x 20-110 mm; the address is
# kept where it shows whatever the play of the folded sheet: y 50-84 mm.
WINDOW = (20, 50, 110, 84)
MARGIN = 5  # mm of unprintable border assumed

results = []


def tap(ok, name, detail=''):
    results.append(ok)
    print(('ok' if ok else 'not ok') + ' %d - %s' % (len(results), name))
    if not ok and detail:
        for line in str(detail).splitlines():
            print('# ' + line)
    sys.stdout.flush()


def new_pin():
    return ''.join(secrets.choice(ALPHABET) for _ in range(16))


def halves(pin):
    return pin[:4] + ' ' + pin[4:8], pin[8:12] + ' ' + pin[12:]


def pdftext(path):
    return pdf_text(path, '-layout')


def words(path):
    """(word, x1, y1, x2, y2) in mm for every word, from pdftotext -bbox."""
    html = pdf_text(path, '-bbox')
    out = []
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html):
        x1, y1, x2, y2 = (float(v) / MM for v in m.groups()[:4])
        out.append((m.group(5), x1, y1, x2, y2))
    return out


class Run:
    def __init__(self, cups, env, log_path):
        self.cups = cups
        self.env = env
        self.log_path = log_path

    def driver(self, *args, stdin=None, background=False):
        argv = [DRIVER] + list(args)
        if background:
            return subprocess.Popen(argv, env=self.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=open(self.log_path, 'a'), text=True)
        p = subprocess.run(argv, env=self.env, input=stdin, capture_output=True, text=True, timeout=60)
        with open(self.log_path, 'a') as log:
            log.write(p.stderr)
        return p


def outcome(stdout):
    """(outcome, job id, message, SpPrintError code) of the driver's line."""
    m = re.search(r'outcome=(\w+) code=(\w+) job=(\d+) ms=\d+ message=(.*)', stdout)
    return (m.group(1), int(m.group(3)), m.group(4), m.group(2)) if m else (None, 0, stdout, None)


def spool_data_files(cups):
    spool = os.path.join(cups.root, 'spool')
    return sorted(f for f in os.listdir(spool) if f.startswith('d'))


def test_envelope(run, queue, out, pin):
    before = spool_data_files(run.cups)
    p = run.driver('--printer', queue, '--document', 'envelope', stdin=pin + '\n')
    result = outcome(p.stdout)
    tap(result[0] == 'printed', 'envelope printed', p.stdout + p.stderr)
    run.cups.wait_completed(queue)
    text = pdftext(out)
    h1, h2 = halves(pin)
    tap(h1 in text and h2 in text, 'envelope output has both PIN halves', text)
    tap('MATTEO MORETTI' in text and 'Via Roma 12' in text and '20121 Milano (MI)' in text,
        'envelope output has the address block', text)
    ws = words(out)
    outside = [w for w in ws if w[1] < MARGIN or w[2] < MARGIN or w[3] > 210 - MARGIN or w[4] > 297 - MARGIN]
    tap(ws and not outside, 'envelope text inside the printable area of A4', outside)
    address = [w for w in ws if w[0] in ('MATTEO', 'MORETTI', 'Via', 'Roma', '12', '20121', 'Milano', '(MI)')
               and w[2] < 99 and w[1] < 115]
    off = [w for w in address if not (WINDOW[0] <= w[1] and w[3] <= WINDOW[2] and WINDOW[1] <= w[2] and w[4] <= WINDOW[3])]
    tap(len(address) >= 8 and not off, 'address block inside the DL window (x 20-110, y 50-84 mm)', off or address)
    pin_words = [w for w in ws if w[0] in (h1.split()[0], h2.split()[0])]
    tap(pin_words and all(99 < w[2] and w[4] < 198 for w in pin_words),
        'PIN in the middle third, hidden by the fold', pin_words)
    tap(spool_data_files(run.cups) == before, 'envelope job files purged from the CUPS spool',
        spool_data_files(run.cups))


def test_reprintable(run, queue, out, pin, document, expect):
    p = run.driver('--printer', queue, '--document', document)
    tap(outcome(p.stdout)[0] == 'printed', document + ' printed', p.stdout + p.stderr)
    run.cups.wait_completed(queue)
    text = pdftext(out)
    h1, h2 = halves(pin)
    tap(expect in text, document + ' output has "%s"' % expect, text[:2000])
    tap(h1 not in text and h2 not in text and pin not in text and pin[:8] not in text,
        document + ' output does not contain the PIN')
    ws = words(out)
    outside = [w for w in ws if w[1] < MARGIN or w[2] < MARGIN or w[3] > 210 - MARGIN or w[4] > 297 - MARGIN]
    tap(ws and not outside, document + ' inside the printable area of A4', outside)


def test_cancelled(run, queue, out):
    mtime = os.path.getmtime(out) if os.path.exists(out) else None
    # Held by CUPS, then cancelled on the queue, as from the printer's panel.
    p = run.driver('--printer', queue, '--document', 'envelope', '--hold', background=True)
    p.stdin.write(new_pin() + '\n')
    p.stdin.close()
    for _ in range(100):
        jobs = run.cups.run('lpstat', '-o', queue)
        if jobs.strip():
            break
        subprocess.run(['sleep', '0.05'])
    run.cups.run('cancel', '-a', queue)
    stdout = p.stdout.read()
    p.wait(30)
    r = outcome(stdout)
    tap(r[0] == 'cancelled', 'job cancelled in CUPS -> CANCELLED', stdout)
    # Cancelled by the operator in the app.
    p = run.driver('--printer', queue, '--document', 'envelope', '--hold', '--cancel-after', '400',
                   stdin=new_pin() + '\n')
    r = outcome(p.stdout)
    tap(r[0] == 'cancelled', 'job cancelled by the operator -> CANCELLED', p.stdout + p.stderr)
    tap(not run.cups.run('lpstat', '-o', queue).strip(), 'no job left waiting on the queue')
    tap((os.path.getmtime(out) if os.path.exists(out) else None) == mtime, 'nothing came out of the printer')


def test_stopped(run, queue, out):
    mtime = os.path.getmtime(out)
    run.cups.run('cupsdisable', queue)
    p = run.driver('--printer', queue, '--document', 'envelope', '--twice', stdin=new_pin() + '\n')
    r = outcome(p.stdout)
    tap(r[0] == 'failed' and r[3] == 'PRINTER_STOPPED' and r[1] == 0 and 'Preferences' in r[2],
        'stopped queue: refused before any job exists, saying what to do', p.stdout + p.stderr)
    second = outcome(p.stdout.split('\n', 1)[1])
    tap(second[0] == 'failed' and second[3] == 'PRINT_ONCE', 'that envelope cannot be printed again', p.stdout)
    run.cups.run('cupsenable', queue)
    # Stopped while the job waits: the job is cancelled, not left to print
    # the envelope of a voided PIN later.
    p = run.driver('--printer', queue, '--document', 'envelope', '--hold', background=True)
    p.stdin.write(new_pin() + '\n')
    p.stdin.close()
    for _ in range(100):
        if run.cups.run('lpstat', '-o', queue).strip():
            break
        subprocess.run(['sleep', '0.05'])
    run.cups.run('cupsdisable', '-r', 'out of paper', queue)
    stdout = p.stdout.read()
    p.wait(30)
    r = outcome(stdout)
    tap(r[0] == 'failed' and r[3] == 'PRINTER_STOPPED' and r[1] > 0, 'queue stopped during the job -> FAILED', stdout)
    tap(not run.cups.run('lpstat', '-o', queue).strip(), 'the stopped job was cancelled')
    run.cups.run('cupsenable', queue)
    tap(os.path.getmtime(out) == mtime, 'nothing came out of the printer')


def test_timeout(run, queue, out):
    mtime = os.path.getmtime(out) if os.path.exists(out) else None
    # Held and never released: past the timeout the job is cancelled.
    p = run.driver('--printer', queue, '--document', 'envelope', '--hold', '--timeout', '2',
                   stdin=new_pin() + '\n')
    r = outcome(p.stdout)
    tap(r[0] == 'failed' and r[3] == 'TIMED_OUT', 'job not done within the timeout -> FAILED', p.stdout + p.stderr)
    tap(not run.cups.run('lpstat', '-o', queue).strip(), 'the late job was cancelled')
    tap((os.path.getmtime(out) if os.path.exists(out) else None) == mtime, 'nothing came out of the printer')


def test_unknown_printer(run):
    p = run.driver('--printer', 'NoSuchQueue', '--document', 'envelope', stdin=new_pin() + '\n')
    r = outcome(p.stdout)
    tap(r[0] == 'failed' and r[3] == 'NOT_FOUND' and 'NoSuchQueue' in r[2], 'an unknown printer -> NOT_FOUND, named',
        p.stdout + p.stderr)
    p = run.driver('--printer', '', '--document', 'receipt')
    r = outcome(p.stdout)
    tap(r[0] == 'failed' and r[3] == 'NOT_CONFIGURED' and 'Preferences' in r[2],
        'no printer chosen -> NOT_CONFIGURED, saying where to choose one', p.stdout + p.stderr)


def test_silent_spooler(run, root):
    """A spooler that takes the connection and never answers, and one that
    is not there: each request gives up within its bound, with a message."""
    path = os.path.join(root, 'silent.sock')
    silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    silent.bind(path)
    silent.listen(16)
    try:
        for args, what in ((['--printer', 'TestPDF', '--document', 'envelope'], 'print'), (['--list'], 'list')):
            env = dict(run.env, CUPS_SERVER=path)
            start = time.monotonic()
            try:
                p = subprocess.run([DRIVER, '--answer-timeout', '1'] + args, env=env, input=new_pin() + '\n',
                                   capture_output=True, text=True, timeout=60)
                took = time.monotonic() - start
                tap(p.returncode == 1 and 'code=UNREACHABLE' in p.stdout and 'CUPS' in p.stdout and took < 10,
                    'a spooler that never answers: %s gives up with a message (%.1f s)' % (what, took),
                    p.stdout + p.stderr)
            except subprocess.TimeoutExpired:
                tap(False, 'a spooler that never answers: %s gives up' % what, 'still waiting after 60 s')
    finally:
        silent.close()
    env = dict(run.env, CUPS_SERVER=os.path.join(root, 'no-cupsd.sock'))
    p = subprocess.run([DRIVER, '--printer', 'TestPDF', '--document', 'receipt'], env=env,
                       capture_output=True, text=True, timeout=60)
    tap(p.returncode == 1 and 'code=UNREACHABLE' in p.stdout, 'no print system at all -> UNREACHABLE', p.stdout)


def test_cupsd_stops_answering(run, queue, out):
    """cupsd freezes while the job waits (SIGSTOP): the follow-up gives up
    within its bound with a message, as the counter then voids the PIN."""
    mtime = os.path.getmtime(out)
    p = run.driver('--printer', queue, '--document', 'envelope', '--hold', '--answer-timeout', '1',
                   background=True)
    p.stdin.write(new_pin() + '\n')
    p.stdin.close()
    for _ in range(100):
        if run.cups.run('lpstat', '-o', queue).strip():
            break
        subprocess.run(['sleep', '0.05'])
    start = time.monotonic()
    os.kill(run.cups.proc.pid, signal.SIGSTOP)
    try:
        p.wait(60)
        stdout = p.stdout.read()
        took = time.monotonic() - start
        r = outcome(stdout)
        tap(r[0] == 'failed' and r[3] == 'UNREACHABLE' and took < 10,
            'cupsd stops answering during the job: FAILED within the bound (%.1f s)' % took, stdout)
    except subprocess.TimeoutExpired:
        p.kill()
        tap(False, 'cupsd stops answering during the job: gives up', 'still waiting after 60 s')
    finally:
        os.kill(run.cups.proc.pid, signal.SIGCONT)
    run.cups.run('cancel', '-a', queue)
    tap(os.path.getmtime(out) == mtime, 'nothing came out of the printer')


def search(root, needles):
    """Files under root holding any needle, raw or (PDF) as text."""
    found = []
    for dirpath, _, files in os.walk(root):
        for f in files:
            path = os.path.join(dirpath, f)
            if os.path.islink(path) or not os.path.isfile(path) or path.endswith('cups.sock'):
                continue
            try:
                with open(path, 'rb') as fh:
                    data = fh.read()
            except OSError:
                continue
            hit = any(n.encode() in data for n in needles)
            # The PDF queue's output starts with a PJL header.
            if not hit and b'%PDF' in data[:4096]:
                text = pdftext(path)
                hit = any(n in text for n in needles)
            if hit:
                found.append(os.path.relpath(path, root))
    return sorted(found)


def test_issuance_refused(run, root, cups):
    """The counter asks about the envelope printer first: on a stopped
    queue no PIN is generated at all, so none is spent."""
    cups.add_pdf_queue('Stopped')
    cups.run('cupsdisable', 'Stopped')
    store = os.path.join(root, 'data', 'refused')
    p = run.driver('--printer', 'Stopped', '--issuance', store)
    tap(p.returncode == 4 and 'refused code=PRINTER_STOPPED' in p.stdout and 'pin=' not in p.stdout,
        'issuance on a stopped queue: refused before a PIN exists', p.stdout + p.stderr)
    db = os.path.join(store, 'store.db')
    count = subprocess.run(['sqlite3', db, 'SELECT count(*) FROM issuances'], capture_output=True, text=True).stdout
    tap(count.strip() == '0', 'nothing was issued', count)
    cups.run('cupsenable', 'Stopped')


def test_issuance_voided(run, root, cups):
    """A whole issuance whose envelope does not print because the queue
    stops during the job: the PIN is voided in the store, with an outbox
    entry for central, and is nowhere on disk."""
    out = cups.add_pdf_queue('StopsLater')
    store = os.path.join(root, 'data', 'voided')
    p = run.driver('--printer', 'StopsLater', '--issuance', store, '--hold', background=True)
    for _ in range(200):
        if cups.run('lpstat', '-o', 'StopsLater').strip():
            break
        subprocess.run(['sleep', '0.05'])
    cups.run('cupsdisable', '-r', 'paper jam', 'StopsLater')
    stdout = p.stdout.read()
    p.wait(30)
    m = re.search(r'pin=(\w{16})', stdout)
    v = re.search(r'voided=([0-9a-f-]{36})', stdout)
    tap(p.returncode == 3 and m and v and 'code=PRINTER_STOPPED' in stdout,
        'printer stopped during the envelope: the PIN is voided', stdout)
    cups.run('cupsenable', 'StopsLater')
    if not (m and v):
        return
    db = os.path.join(store, 'store.db')
    status = subprocess.run(['sqlite3', db, "SELECT status, problem FROM issuances WHERE id = '%s'" % v.group(1)],
                            capture_output=True, text=True).stdout.strip()
    tap(status.startswith('voided|') and 'StopsLater' in status, 'the issuance is voided with the reason', status)
    queued = subprocess.run(['sqlite3', db, "SELECT kind, body FROM outbox WHERE target = '%s' ORDER BY seq"
                             % v.group(1)], capture_output=True, text=True).stdout.splitlines()
    # The issuance never reached central, so it is not sent any more (it
    # would supersede the citizen's real PIN until its void arrived); the
    # void still goes, for an issuance whose answer was lost.
    tap(len(queued) == 1 and queued[0].startswith('void|{"reason"'),
        'central is told: the unsent issuance is dropped, a "void" entry queued', queued)
    audit = subprocess.run(['sqlite3', db, "SELECT action FROM audit WHERE subject = '%s' ORDER BY id" % v.group(1)],
                           capture_output=True, text=True).stdout.split()
    tap(audit == ['issuance.commit', 'issuance.void'], 'the void is audited', audit)
    pin = m.group(1)
    h1, h2 = halves(pin)
    hits = search(root, [pin, h1, h2, pin[:8], pin[8:]])
    tap(os.path.getsize(out) == 0 and hits == [], 'the voided PIN is nowhere on disk', hits)


def test_issuance(run, root, cups):
    envelopes = cups.add_pdf_queue('Envelopes')
    receipts = cups.add_pdf_queue('Receipts')
    store = os.path.join(root, 'data', 'sportello-pin')
    p = run.driver('--printer', 'Envelopes', '--receipt-printer', 'Receipts', '--issuance', store)
    m = re.search(r'pin=(\w{16})', p.stdout)
    tap(p.returncode == 0 and m is not None and 'issue_to_completed_ms=' in p.stdout,
        'full issuance: printer checked, committed, envelope and receipt printed', p.stdout + p.stderr)
    if m is None:
        return
    pin = m.group(1)
    cups.wait_completed('Envelopes')
    cups.wait_completed('Receipts')
    h1, h2 = halves(pin)
    tap(h1 in pdftext(envelopes) and h2 not in pdftext(receipts), 'the envelope has the PIN, the receipt not')
    hits = search(root, [pin, h1, h2, pin[:8], pin[8:]])
    tap(hits == [os.path.relpath(envelopes, root)],
        'after the issuance the PIN is only in the CUPS output file', hits)


def italian(run):
    return dict(run.env, LANGUAGE='it', LC_ALL='C.UTF-8', SP_LOCALEDIR=os.path.join(BUILD, 'po'))


def test_italian_text(run, queue, out):
    """Each document as printed in Italy, read back with pdftotext."""
    env = italian(run)
    texts, raw = {}, {}
    for doc in ('envelope', 'receipt', 'mv35', 'register'):
        p = subprocess.run([DRIVER, '--printer', queue, '--document', doc], env=env, input=new_pin() + '\n',
                           capture_output=True, text=True, timeout=60)
        tap(outcome(p.stdout)[0] == 'printed', doc + ' printed in Italian, no dialog', p.stdout + p.stderr)
        texts[doc] = pdftext(out)
        raw[doc] = pdf_text(out)
    for doc in ('envelope', 'receipt', 'mv35'):
        bad = [w for w in NOT_FOR_CITIZENS if w in texts[doc]]
        tap(not bad, doc + ': addressed with "Lei", no "potete/Scegliete/Digita/Sede di Sede/Nato/a"', bad)
    for doc, text in texts.items():
        tap(not re.search(r'\(R\d+\)', text) and not re.search(r'Sede 0700[^,\n]*,\s*$', text, re.M),
            doc + ': no rule codes, no dangling comma after the sede', text[:3000])
    tap('Nato il' in texts['receipt'] and 'Nato il' in texts['mv35'], 'the sex is known: "Nato il"',
        texts['receipt'] + texts['mv35'])
    tap('rilasciata dal Comune di Milano' in re.sub(r'\s+', ' ', raw['receipt']),
        'receipt: "Carta d\'identità … rilasciata dal Comune di Milano"', texts['receipt'])
    today = time.strftime('%d/%m/%Y')
    tap(re.search(r'Luogo e data[^\n]*\n?.*' + re.escape(today), texts['mv35']) is not None,
        'MV35: "Luogo e data" carries the date', texts['mv35'])
    reg = texts['register']
    tap('Operatore' in reg and 'Operator-' not in reg and 'F.l.' not in reg,
        'register: whole column headings, none cut or cryptic', reg)


def test_tool(run, queue, out):
    p = subprocess.run([TOOL, 'print', 'list', '--json'], env=run.env, capture_output=True, text=True, timeout=60)
    tap(p.returncode == 0 and '"name" : "%s"' % queue in p.stdout and '"can_print" : true' in p.stdout,
        'sportello-tool print list --json', p.stdout + p.stderr)
    for page, expect in (('test-page', 'Printer test page'), ('calibration', 'Calibration')):
        mtime = os.path.getmtime(out)
        p = subprocess.run([TOOL, 'print', page, '--printer', queue, '--json'], env=run.env,
                           capture_output=True, text=True, timeout=60)
        tap(p.returncode == 0 and '"printed" : true' in p.stdout and os.path.getmtime(out) != mtime
            and expect in pdftext(out), 'sportello-tool print %s --printer %s' % (page, queue), p.stdout + p.stderr)
    p = subprocess.run([TOOL, 'print', 'test-page', '--printer', 'NoSuchQueue'], env=run.env,
                       capture_output=True, text=True, timeout=60)
    tap(p.returncode == 1 and 'NoSuchQueue' in p.stderr, 'sportello-tool print on an unknown printer: exit 1, why',
        p.stderr)


def main():
    if not have_cupsd():
        print('1..0 # SKIP needs root, cupsd, lpadmin and the Generic PDF PPD')
        return 0
    root = tempfile.mkdtemp(prefix='sp-print-')
    os.chmod(root, 0o755)   # the filters run as lp
    cups = Cupsd(os.path.join(root, 'cups'))
    env = dict(cups.env)
    for var, sub in (('HOME', 'home'), ('XDG_DATA_HOME', 'data'), ('XDG_CACHE_HOME', 'cache'),
                     ('XDG_CONFIG_HOME', 'config'), ('XDG_RUNTIME_DIR', 'runtime'), ('TMPDIR', 'tmp')):
        env[var] = os.path.join(root, sub)
        os.makedirs(env[var], mode=0o700, exist_ok=True)
    # Printing needs no display, and no GTK.
    env.pop('DISPLAY', None)
    env.pop('WAYLAND_DISPLAY', None)
    # The drivers' standard error is a log the PIN must not reach either.
    run = Run(cups, env, os.path.join(root, 'driver.log'))
    try:
        cups.start()
        out = cups.add_pdf_queue('TestPDF')
        pin = new_pin()
        test_envelope(run, 'TestPDF', out, pin)
        test_reprintable(run, 'TestPDF', out, pin, 'receipt', 'Receipt of the request')
        test_reprintable(run, 'TestPDF', out, pin, 'mv35', 'MV35')
        test_reprintable(run, 'TestPDF', out, pin, 'register', 'Day register of issuances')
        test_reprintable(run, 'TestPDF', out, pin, 'calibration', 'Calibration')
        test_reprintable(run, 'TestPDF', out, pin, 'test-page', 'Printer test page')
        test_italian_text(run, 'TestPDF', out)
        test_cancelled(run, 'TestPDF', out)
        test_stopped(run, 'TestPDF', out)
        test_timeout(run, 'TestPDF', out)
        test_unknown_printer(run)
        test_silent_spooler(run, root)
        test_cupsd_stops_answering(run, 'TestPDF', out)
        test_issuance_refused(run, root, cups)
        test_issuance_voided(run, root, cups)
        test_issuance(run, root, cups)
        test_tool(run, 'TestPDF', out)
    finally:
        cups.stop()
        if all(results):
            shutil.rmtree(root, ignore_errors=True)
        else:
            print('# kept ' + root)
    print('1..%d' % len(results))
    return 0 if all(results) else 1


if __name__ == '__main__':
    try:
        sys.exit(main())
    except Exception:
        import traceback
        print('Bail out! ' + ' | '.join(traceback.format_exc().splitlines()[-3:]))
        raise
