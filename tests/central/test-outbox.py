#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Central's outbox with real transports (TAP): a local SMTP server
(aiosmtpd) receives the first half of an online PIN by e-mail, a local
HTTP receiver the SMS gateway's JSON with its bearer token; with the SMTP
server down the outbox retries and, once it is back, delivers: nothing
lost; a delivered half is wiped from the database."""
import http.server
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

from aiosmtpd.controller import Controller

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'ui'))
import central as C  # noqa: E402
from spui import Tap  # noqa: E402

tap = Tap()
check = tap.check


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode('utf-8', 'replace')))
        return '250 OK'


sms = []


class Gateway(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers['Content-Length']))
        sms.append((self.headers.get('Authorization'), json.loads(body)))
        self.send_response(202)
        self.send_header('Content-Length', '0')
        self.end_headers()

    def log_message(self, *args):
        pass


def wait_for(condition, seconds=20):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


smtp_port = free_port()
mailbox = Mailbox()
smtp = Controller(mailbox, hostname='127.0.0.1', port=smtp_port)
smtp.start()
gateway = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Gateway)
threading.Thread(target=gateway.serve_forever, daemon=True).start()
keydir = tempfile.mkdtemp(prefix='sp-key-')
srv = C.Central(citizens=30, env={
    'SP_CENTRAL_KEY_FILE': os.path.join(keydir, 'outbox.key'),
    'SP_CENTRAL_SMTP_URL': 'smtp://127.0.0.1:%d' % smtp_port, 'SP_CENTRAL_SMTP_TLS': 'try',
    'SP_CENTRAL_SMTP_FROM': 'pin@inps.test',
    'SP_CENTRAL_SMS_URL': 'http://127.0.0.1:%d/sms' % gateway.server_address[1],
    'SP_CENTRAL_SMS_TOKEN': 'gateway-token', 'SP_CENTRAL_OUTBOX_RETRY_MS': '100'})
try:
    subprocess.run([C.CENTRAL, 'operator', 'add', 'portal', '--name', 'Portale', '--role', 'portal', '--sede', 'WEB',
                    '--database', srv.database], input='a long password\n', text=True, check=True,
                   capture_output=True)
    portal = srv.login('portal', 'a long password')
    rows = [r.split('|') for r in srv.sql("SELECT cf, surname, name, birth_date, street, postcode, city, province"
                                          " FROM citizens WHERE street IS NOT NULL ORDER BY cf LIMIT 4").split('\n')]

    def request(row, contacts):
        cf, surname, name, birth, st, pc, ct, pr = row
        return srv.request('POST', '/v1/pin-requests', {
            'cf': cf, 'surname': surname, 'name': name, 'birth_date': birth,
            'residence': {'street': st, 'postcode': pc, 'city': ct, 'province': pr}, 'contacts': contacts},
            token=portal)

    # ---- e-mail ----
    r = request(rows[0], {'email': 'paola@example.it'})
    check('an online request by e-mail is delivered', r.status == 201 and r.json()['delivery']['first_half'] == 'email',
          r)
    check('the SMTP server receives the first half', wait_for(lambda: len(mailbox.messages) == 1), mailbox.messages)
    rcpt, text = mailbox.messages[0] if mailbox.messages else ([], '')
    half = re.search(r"PIN INPS e': ([A-Z2-9]{4} [A-Z2-9]{4})", text)
    check('... addressed to the citizen, in Italian with "Lei"', rcpt == ['paola@example.it'] and half
          and 'Le arrivera' in text, text)
    req_id = r.json()['id']
    check('... the row is sent and its sealed half wiped', wait_for(lambda: srv.sql(
        "SELECT status || ':' || COALESCE(sealed, 'wiped') FROM outbox WHERE request_id = '%s' AND half = 0"
        % req_id) == 'sent:wiped'))
    raw = srv.raw_database_bytes()
    check('... the half is not in the database in clear', half and half.group(1).encode() not in raw
          and half.group(1).replace(' ', '').encode() not in raw)
    check('... the letter half waits, sealed', srv.sql(
        "SELECT status FROM outbox WHERE request_id = '%s' AND half = 1 AND sealed IS NOT NULL" % req_id)
        == 'pending')

    # ---- SMS through the gateway ----
    r = request(rows[1], {'mobile': '+39 333 7654321', 'email': 'x@example.it'})
    check('an online request with a mobile goes by SMS', r.status == 201 and r.json()['delivery']['first_half']
          == 'sms', r)
    check('the gateway receives JSON with the bearer token', wait_for(lambda: len(sms) == 1)
          and sms[0][0] == 'Bearer gateway-token' and sms[0][1]['to'] == '+39 333 7654321'
          and re.search(r'[A-Z2-9]{4} [A-Z2-9]{4}', sms[0][1]['text']), sms)

    # ---- recovery: cf + a registered contact → a new PIN over SMS and e-mail ----
    old_id = srv.sql("SELECT id FROM issuances WHERE cf = '%s' AND status = 'active'" % rows[1][0])
    r = srv.request('POST', '/v1/pin-recovery', {'cf': rows[1][0], 'contact': 'X@example.it'}, token=portal)
    check('recovery with a registered contact: 201, halves by SMS and e-mail', r.status == 201
          and r.json()['delivery'] == {'first_half': 'sms', 'second_half': 'email'}, r)
    check('... the old PIN ends, a new one is active', srv.sql(
        "SELECT status FROM issuances WHERE id = '%s'" % old_id) == 'superseded' and srv.sql(
        "SELECT COUNT(*) FROM issuances WHERE cf = '%s' AND status = 'active'" % rows[1][0]) == '1')
    check('... the SMS carries the first half, the e-mail the second',
          wait_for(lambda: len(sms) == 2 and len(mailbox.messages) == 2)
          and 'prima parte' in sms[1][1]['text'] and 'seconda parte' in mailbox.messages[1][1]
          and mailbox.messages[1][0] == ['x@example.it'], (sms, mailbox.messages[1:]))
    first = re.search(r"PIN e' ([A-Z2-9]{4} [A-Z2-9]{4})", sms[1][1]['text'] if len(sms) > 1 else '')
    second = re.search(r"PIN INPS e': ([A-Z2-9]{4} [A-Z2-9]{4})",
                       mailbox.messages[1][1] if len(mailbox.messages) > 1 else '')
    recovered = (first.group(1) + ' ' + second.group(1)) if first and second else 'A' * 16
    r = srv.request('POST', '/v1/auth/pin', {'cf': rows[1][0], 'pin': recovered}, token=portal)
    check('the recovered PIN (SMS half + e-mail half) is a new initial PIN: first access asks for the personal one',
          C.initial_pin_right(r), r)
    r = srv.request('POST', '/v1/auth/pin/change', {'cf': rows[1][0], 'pin': recovered, 'new_pin': 'Rk4m9Tz2'},
                    token=portal)
    check('... the personal PIN is chosen, and authenticates', r.status == 200 and srv.request(
        'POST', '/v1/auth/pin', {'cf': rows[1][0], 'pin': 'Rk4m9Tz2'}, token=portal).status == 200, r)
    check('... neither the recovered PIN nor the personal one is in the database or the log', not [
        x for x in (recovered, recovered.replace(' ', ''), 'RK4M9TZ2', 'Rk4m9Tz2')
        for blob in (srv.raw_database_bytes(), open(srv.log, 'rb').read()) if x.encode() in blob])
    r = srv.request('POST', '/v1/pin-recovery', {'cf': rows[1][0], 'contact': 'other@example.it'}, token=portal)
    r2 = srv.request('POST', '/v1/pin-recovery', {'cf': 'MRTMTT25D09F205Z', 'contact': 'x@example.it'},
                     token=portal)
    check('a contact not registered answers as an unknown codice fiscale', r.status == 404 and r2.status == 404
          and r.body == r2.body, (r, r2))
    r = srv.request('POST', '/v1/pin-recovery', {'cf': rows[0][0], 'contact': 'paola@example.it'}, token=portal)
    check('recovery needs a mobile and an e-mail: 422', r.status == 422, r)

    # ---- the SMTP server down: retries, then delivery ----
    smtp.stop()
    r = request(rows[2], {'pec': 'citizen@pec.example.it'})
    req_id = r.json()['id']
    attempts = lambda: int(srv.sql("SELECT attempts FROM outbox WHERE request_id = '%s' AND half = 0"  # noqa: E731
                                   % req_id) or 0)
    check('with the SMTP server down the outbox retries', r.status == 201 and wait_for(lambda: attempts() >= 2),
          attempts())
    check('... the message is still pending, sealed', srv.sql(
        "SELECT status FROM outbox WHERE request_id = '%s' AND half = 0 AND sealed IS NOT NULL" % req_id)
        == 'pending')
    smtp = Controller(mailbox, hostname='127.0.0.1', port=smtp_port)
    smtp.start()
    check('once it is back the message is delivered: nothing lost',
          wait_for(lambda: len(mailbox.messages) == 3, 30) and mailbox.messages[2][0] == ['citizen@pec.example.it']
          and srv.sql("SELECT status FROM outbox WHERE request_id = '%s' AND half = 0" % req_id) == 'sent',
          mailbox.messages)
    check('the log names no half', not re.search(r"[A-Z2-9]{4} [A-Z2-9]{4}", open(srv.log).read()))
finally:
    srv.cleanup()
    smtp.stop()
    gateway.shutdown()
    subprocess.run(['rm', '-rf', keydir])

sys.exit(tap.finish())
