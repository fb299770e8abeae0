#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end (TAP): an online PIN request → the first half captured by a
real SMTP server, the letter with the second half exported sealed to the
provider's key and opened on the provider's side → the whole PIN
authenticates; neither half is in central's database, WAL or log."""
import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

from aiosmtpd.controller import Controller

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'ui'))
import central as C  # noqa: E402
from spui import Tap  # noqa: E402

tap = Tap()
check = tap.check


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content.decode('utf-8', 'replace'))
        return '250 OK'


def run(*args):
    return subprocess.run([C.CENTRAL, *args], capture_output=True, text=True)


with socket.socket() as s:
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
mailbox = Mailbox()
smtp = Controller(mailbox, hostname='127.0.0.1', port=port)
smtp.start()
work = tempfile.mkdtemp(prefix='sp-letters-')
keys = os.path.join(work, 'provider')
r = run('letters', 'keygen', '--output', keys)
check('letters keygen makes the provider key pair, the secret 0600', r.returncode == 0
      and oct(os.stat(os.path.join(keys, 'provider.key')).st_mode & 0o777) == '0o600', r.stderr)
srv = C.Central(citizens=20, env={'SP_CENTRAL_LETTER_KEY': os.path.join(keys, 'provider.pub'),
                                  'SP_CENTRAL_SMTP_URL': 'smtp://127.0.0.1:%d' % port, 'SP_CENTRAL_SMTP_TLS': 'try'})
try:
    subprocess.run([C.CENTRAL, 'operator', 'add', 'portal', '--name', 'Portale', '--role', 'portal', '--sede', 'WEB',
                    '--database', srv.database], input='a long password\n', text=True, check=True,
                   capture_output=True)
    portal = srv.login('portal', 'a long password')
    cf, surname, name, birth, st, pc, ct, pr = srv.sql(
        "SELECT cf, surname, name, birth_date, street, postcode, city, province FROM citizens"
        " WHERE street IS NOT NULL ORDER BY cf LIMIT 1").split('|')
    r = srv.request('POST', '/v1/pin-requests', {
        'cf': cf, 'surname': surname, 'name': name, 'birth_date': birth,
        'residence': {'street': st, 'postcode': pc, 'city': ct, 'province': pr},
        'contacts': {'email': 'citizen@example.it'}}, token=portal)
    req = r.json()
    check('online request delivered: e-mail + letter', r.status == 201
          and req['delivery'] == {'first_half': 'email', 'second_half': 'letter'}, r)
    check('the letter is sealed for the provider, not left in the outbox', srv.sql(
        "SELECT COUNT(*) FROM letters WHERE request_id = '%s'" % req['id']) == '1' and srv.sql(
        "SELECT COUNT(*) FROM outbox WHERE request_id = '%s' AND transport = 'letter'" % req['id']) == '0')
    end = time.monotonic() + 20
    while not mailbox.messages and time.monotonic() < end:
        time.sleep(0.05)
    first = re.search(r"PIN INPS e': ([A-Z2-9]{4} [A-Z2-9]{4})", mailbox.messages[0] if mailbox.messages else '')
    check('the first half arrives by e-mail', first is not None, mailbox.messages)

    out = os.path.join(work, 'batch')
    day = time.strftime('%Y-%m-%d', time.gmtime())
    r = run('letters', 'export', '--date', day, '--output', out, '--database', srv.database)
    manifest = json.load(open(os.path.join(out, 'manifest.json'))) if r.returncode == 0 else {}
    files = manifest.get('letters', [])
    check('letters export writes the day\'s sealed batch and a manifest with count and SHA-256',
          r.returncode == 0 and manifest.get('count') == 1 and len(files) == 1
          and hashlib.sha256(open(os.path.join(out, files[0]['file']), 'rb').read()).hexdigest()
          == files[0]['sha256'], (r.stderr, manifest))
    r2 = run('letters', 'export', '--date', day, '--output', os.path.join(work, 'again'), '--database', srv.database)
    check('... marked exported: a second export has none', r2.returncode == 0
          and json.load(open(os.path.join(work, 'again', 'manifest.json')))['count'] == 0, r2.stderr)
    pdf = os.path.join(work, 'letter.pdf')
    r = run('letters', 'open', '--key', keys, '--output', pdf, os.path.join(out, files[0]['file'])) if files else None
    text = subprocess.run(['pdftotext', pdf, '-'], capture_output=True, text=True).stdout if r and \
        r.returncode == 0 else ''
    second = re.search(r'\b([A-Z2-9]{4} [A-Z2-9]{4})\b', text.split('questa:')[-1])
    check('letters open gives the provider the PDF: addressed, "Lei", with the second half',
          second is not None and name in text and 'Le inviamo' in text and ct in text, text[:400])
    if first and second:
        pin = first.group(1) + ' ' + second.group(1)
        r = srv.request('POST', '/v1/auth/pin', {'cf': cf, 'pin': pin}, token=portal)
        check('the whole PIN (e-mail half + letter half) is right: first access asks for the personal PIN',
              C.initial_pin_right(r), r)
        r = srv.request('POST', '/v1/auth/pin/change', {'cf': cf, 'pin': pin, 'new_pin': 'Qz7kW3p9'}, token=portal)
        check('first access: the personal PIN is set, scope ordinario', r.status == 200
              and r.json()['scope'] == 'ordinario', r)
        r = srv.request('POST', '/v1/auth/pin', {'cf': cf, 'pin': 'qz7KW3P9'}, token=portal)
        check('the personal 8-character PIN authenticates (any case); ordinario opens consultation',
              r.status == 200 and r.json() == {'scope': 'ordinario', 'services': ['consultation']}, r)
        r = srv.request('POST', '/v1/auth/pin', {'cf': cf, 'pin': pin}, token=portal)
        check('the initial PIN has ended', r.status == 401, r)
        raw = srv.raw_database_bytes()
        wal = open(srv.database + '-wal', 'rb').read() if os.path.exists(srv.database + '-wal') else b''
        log = open(srv.log, 'rb').read()
        check('neither half nor the personal PIN is in the database, the WAL or the log in clear',
              all(h.encode() not in blob and h.replace(' ', '').encode() not in blob
                  for h in (first.group(1), second.group(1), 'QZ7KW3P9', 'Qz7kW3p9') for blob in (raw, wal, log)))
    else:
        check('the whole PIN (e-mail half + letter half) authenticates', False, 'halves missing')
        check('neither half is in the database, the WAL or the log in clear', False, 'halves missing')
    r = run('letters', 'open', '--key', os.path.join(work, 'nokeys'), '--output', pdf + '2',
            os.path.join(out, files[0]['file'])) if files else None
    check('without the provider key the letter does not open', r is not None and r.returncode != 0)
finally:
    srv.cleanup()
    smtp.stop()
    subprocess.run(['rm', '-rf', work])

sys.exit(tap.finish())
