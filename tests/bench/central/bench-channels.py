#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 16's figures on SQLite, bounded to seconds: online PIN requests
per second at central with the outbox (each makes a PIN and its Argon2id
verifier at the policy's cost), and e-mails delivered per second by the
outbox to a local SMTP server (aiosmtpd). Prints "name: value unit"."""
import os
import socket
import subprocess
import sys
import threading
import time

from aiosmtpd.controller import Controller

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, '..', '..', 'central'))
import central as C  # noqa: E402

SECONDS = float(os.environ.get('SP_BENCH_SECONDS', '6')) * 2


class Mailbox:
    def __init__(self):
        self.times = []

    async def handle_DATA(self, server, session, envelope):
        self.times.append(time.monotonic())
        return '250 OK'


with socket.socket() as s:
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
mailbox = Mailbox()
smtp = Controller(mailbox, hostname='127.0.0.1', port=port)
smtp.start()
# First without a relay, so the e-mails queue up; then central restarts
# with the relay and the backlog's delivery is timed.
srv = C.Central(citizens=3000, env={
    'SP_CENTRAL_LIMITS': 'ip_burst=1000000,ip_rate=1000000,account_burst=1000000,account_rate=1000000,'
                         'hash_queue=64'})
try:
    subprocess.run([C.CENTRAL, 'operator', 'add', 'portal', '--name', 'Portale', '--role', 'portal', '--sede', 'WEB',
                    '--database', srv.database], input='a long password\n', text=True, check=True,
                   capture_output=True)
    token = srv.login('portal', 'a long password')
    rows = [r.split('|') for r in srv.sql("SELECT cf, surname, name, birth_date, street, postcode, city, province"
                                          " FROM citizens WHERE street IS NOT NULL").split('\n')]
    lock = threading.Lock()

    def phase(offset, seconds):
        """8 clients, each its own rows from offset; the statuses and the
        time taken, and the next unused row."""
        done, used = [], [offset]
        stop = time.monotonic() + seconds

        def client(k):
            i = offset + k
            while time.monotonic() < stop and i < len(rows):
                cf, surname, name, birth, st, pc, ct, pr = rows[i]
                r = srv.request('POST', '/v1/pin-requests', {
                    'cf': cf, 'surname': surname, 'name': name, 'birth_date': birth,
                    'residence': {'street': st, 'postcode': pc, 'city': ct, 'province': pr},
                    'contacts': {'email': 'c%d@example.it' % i}}, token=token)
                with lock:
                    done.append(r.status)
                    used.append(i)
                i += 8
        start = time.monotonic()
        threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return done, time.monotonic() - start, max(used) + 8

    done, elapsed, next_row = phase(0, SECONDS)
    delivered = done.count(201)
    print('online_pin_requests_per_second: %.1f req/s' % (len(done) / elapsed))
    print('online_pin_requests_delivered: %d of %d' % (delivered, len(done)))
    # Inside an emergency window each request also makes its first
    # half's verifier (msg. 1381/2020): two Argon2id instead of one.
    subprocess.run([C.CENTRAL, 'simplified', 'set', '--from', C.iso(-3600), '--until', C.iso(3600),
                    '--database', srv.database], check=True, capture_output=True)
    in_window, elapsed_w, _ = phase(next_row, SECONDS / 2)
    print('online_pin_requests_per_second_in_window: %.1f req/s' % (len(in_window) / elapsed_w))
    delivered += in_window.count(201)
    srv.stop()
    srv.env.update({'SP_CENTRAL_SMTP_URL': 'smtp://127.0.0.1:%d' % port, 'SP_CENTRAL_SMTP_TLS': 'try'})
    restart = time.monotonic()
    srv.start()
    end = time.monotonic() + 60
    while len(mailbox.times) < delivered and time.monotonic() < end:
        time.sleep(0.02)
    if mailbox.times:
        print('emails_delivered: %d of %d' % (len(mailbox.times), delivered))
        print('emails_per_second: %.1f emails/s (the backlog, from the restart to the last)'
              % (len(mailbox.times) / max(mailbox.times[-1] - restart, 1e-6)))
finally:
    srv.cleanup()
    smtp.stop()
