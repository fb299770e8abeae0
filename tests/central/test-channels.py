#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 16's channels over HTTP against the real central: PIN requests
made online by the citizen portal and by the Contact Center, the address
validation and its queue, the sealed outbox, and no half of a PIN in
clear in the database or the log (TAP). Runs on SQLite and PostgreSQL."""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'ui'))
import central as C  # noqa: E402
from spui import Tap  # noqa: E402

tap = Tap()
check = tap.check
keydir = tempfile.mkdtemp(prefix='sp-key-')
# No transport configured: the first halves stay in the outbox, and after
# SP_CENTRAL_UNDELIVERED_MS (12 h in production) their requests are flagged.
srv = C.Central(citizens=30, env={'SP_CENTRAL_KEY_FILE': os.path.join(keydir, 'outbox.key'),
                                  'SP_CENTRAL_UNDELIVERED_MS': '1500'})


def add_principal(user, role):
    r = subprocess.run([C.CENTRAL, 'operator', 'add', user, '--name', user, '--role', role, '--sede', 'WEB',
                        '--database', srv.database], input='a long password\n', capture_output=True, text=True)
    return r.returncode == 0


try:
    check('operator add --role portal and --role contact_center', add_principal('portal', 'portal')
          and add_principal('cc', 'contact_center'))
    portal = srv.login('portal', 'a long password')
    cc = srv.login('cc', 'a long password')
    staff = srv.login()
    rows = [r.split('|') for r in srv.sql("SELECT cf, surname, name, birth_date, street, postcode, city, province"
                                          " FROM citizens WHERE street IS NOT NULL ORDER BY cf LIMIT 6").split('\n')]

    def body(row, street=None, cap=None, city=None, contacts=None):
        cf, surname, name, birth, st, pc, ct, pr = row
        return {'cf': cf, 'surname': surname.upper(), 'name': name, 'birth_date': birth,
                'residence': {'street': street or st, 'postcode': pc if cap is None else cap,
                              'city': city or ct, 'province': pr},
                'contacts': contacts or {'mobile': '+39 333 1234567', 'email': 'citizen@example.it'}}

    # ---- online, the address matches (abbreviated, upper case) ----
    row = rows[0]
    abbreviated = re.sub(r'^Via ', 'V. ', row[4]).upper()
    r = srv.request('POST', '/v1/pin-requests', body(row, street=abbreviated), token=portal)
    a = r.json() if r.body else {}
    check('online request with a matching residence: 201 delivered, ordinario, SMS + letter',
          r.status == 201 and a['status'] == 'delivered' and a['kind'] == 'ordinario' and a['channel'] == 'online'
          and a['delivery'] == {'first_half': 'sms', 'second_half': 'letter'} and a['score'] == 100, r)
    check('... the portal is not given the first half', 'first_half' not in a, a)
    delivered_id = a.get('id')
    check('... an ordinario credential is active at central',
          srv.sql("SELECT kind || '/' || status FROM issuances WHERE cf = '%s'" % row[0]) == 'ordinario/active')
    check('... two sealed messages in the outbox, pending',
          srv.sql("SELECT COUNT(*) FROM outbox WHERE request_id = '%s' AND status = 'pending'"
                  " AND sealed IS NOT NULL" % a['id']) == '2')
    check('... the contacts are recorded', srv.sql("SELECT COUNT(*) FROM contacts WHERE cf = '%s'" % row[0]) == '2')
    check('... audited', srv.sql("SELECT COUNT(*) FROM audit WHERE subject = '%s' AND action IN"
                                 " ('pin.request', 'pin.deliver')" % row[0]) == '2')
    c = srv.request('GET', '/v1/citizens/' + row[0], token=staff).json()
    check('... the counter sees the active PIN', c['credentials']['active_pin'] is not None, c)
    r = srv.request('POST', '/v1/pin-requests', body(row), token=portal)
    check('a second request for a citizen with a PIN: 409 has-pin', r.status == 409
          and r.json()['type'].endswith('/has-pin'), r)

    # ---- online, the address fails: queued for the Contact Center ----
    row = rows[1]
    wrong = re.sub(r'\d+', '999', row[4])
    r = srv.request('POST', '/v1/pin-requests', body(row, street=wrong), token=portal)
    q = r.json()
    check('a wrong house number: 202 queued, with the reason', r.status == 202 and q['status'] == 'queued'
          and 'house number differs' in q['reasons'] and q['score'] < 90, r)
    check('... no credential, nothing in the outbox',
          srv.sql("SELECT COUNT(*) FROM issuances WHERE cf = '%s'" % row[0]) == '0'
          and srv.sql("SELECT COUNT(*) FROM outbox WHERE request_id = '%s'" % q['id']) == '0')
    r = srv.request('GET', '/v1/pin-requests?status=queued', token=cc)
    check('the Contact Center lists the queue', r.status == 200
          and [x['id'] for x in r.json()['requests']] == [q['id']], r)
    check('... the portal may not', srv.request('GET', '/v1/pin-requests', token=portal).status == 403)
    check('... nor a counter operator', srv.request('GET', '/v1/pin-requests', token=staff).status == 403)
    r = srv.request('POST', '/v1/pin-requests/%s/validation' % q['id'], {}, token=cc)
    check('the Contact Center validates it: 200 delivered, the credential and its two messages',
          r.status == 200 and r.json()['status'] == 'delivered'
          and srv.sql("SELECT kind FROM issuances WHERE cf = '%s' AND status = 'active'" % row[0]) == 'ordinario'
          and srv.sql("SELECT COUNT(*) FROM outbox WHERE request_id = '%s'" % q['id']) == '2', r)
    r = srv.request('POST', '/v1/pin-requests/%s/validation' % q['id'], {}, token=cc)
    check('... validated again: 409', r.status == 409, r)

    row = rows[2]
    r = srv.request('POST', '/v1/pin-requests', body(row, city='Altrove'), token=portal)
    q = r.json()
    check('another comune: queued with "comune differs"', r.status == 202 and 'comune differs' in q['reasons'], r)
    r = srv.request('POST', '/v1/pin-requests/%s/rejection' % q['id'], {}, token=cc)
    check('a rejection needs a reason: 400', r.status == 400, r)
    r = srv.request('POST', '/v1/pin-requests/%s/rejection' % q['id'], {'reason': 'not reachable'}, token=cc)
    check('rejected with a reason: 200 rejected, no credential', r.status == 200 and r.json()['status'] == 'rejected'
          and srv.sql("SELECT COUNT(*) FROM issuances WHERE cf = '%s'" % row[0]) == '0', r)

    # ---- the Contact Center records a caller ----
    row = rows[3]
    r = srv.request('POST', '/v1/pin-requests', body(row, contacts={'email': 'c@example.it'}), token=cc)
    a = r.json()
    first = a.get('first_half', '')
    check('a Contact Center request: 201, the first half to read out, by e-mail too',
          r.status == 201 and a['channel'] == 'contact_center' and re.fullmatch(r'[A-Z2-9]{4} [A-Z2-9]{4}', first)
          and a['delivery']['first_half'] == 'email', r)
    raw = srv.raw_database_bytes()
    log = open(srv.log, 'rb').read()
    check('the first half is nowhere in clear: database, WAL, log',
          first and first.encode() not in raw and first.replace(' ', '').encode() not in raw
          and first.encode() not in log and first.replace(' ', '').encode() not in log
          and (not os.path.exists(srv.database + '-wal')
               or first.replace(' ', '').encode() not in open(srv.database + '-wal', 'rb').read()))

    # ---- refusals, and nothing runs after a 400 ----
    before = srv.sql('SELECT COUNT(*) FROM pin_requests')
    bad = body(rows[4])
    bad['residence']['street'] = 42
    r = srv.request('POST', '/v1/pin-requests', bad, token=portal)
    check('a wrongly typed field: 400 naming it, no request', r.status == 400 and r.json().get('field') == 'street'
          and srv.sql('SELECT COUNT(*) FROM pin_requests') == before, r)
    r = srv.request('POST', '/v1/pin-requests', body(rows[4], contacts={'fax': '1'}), token=portal)
    check('no contact: 400', r.status == 400, r)
    r = srv.request('POST', '/v1/pin-requests', body(rows[4]), token=staff)
    check('a counter operator may not: 403', r.status == 403, r)
    unknown = body(rows[4])
    unknown['cf'] = 'MRTMTT25D09F205Z'
    r = srv.request('POST', '/v1/pin-requests', unknown, token=portal)
    check('a codice fiscale not in the registry: 422', r.status == 422, r)
    # ---- the first half not delivered in time: flagged to the Contact Center ----
    import time
    end = time.monotonic() + 20
    flagged = []
    while time.monotonic() < end:
        flagged = [x['id'] for x in srv.request('GET', '/v1/pin-requests?status=undelivered', token=cc).json()
                   ['requests']]
        if delivered_id in flagged:
            break
        time.sleep(0.1)
    check('a first half not delivered in time flags its request to the Contact Center (audited)',
          delivered_id in flagged and srv.sql("SELECT COUNT(*) FROM audit WHERE action = 'pin.undelivered'"
                                              " AND detail = '%s'" % delivered_id) == '1', flagged)
    check('the outbox key file is private', oct(os.stat(os.path.join(keydir, 'outbox.key')).st_mode & 0o777)
          == '0o600')
finally:
    srv.cleanup()
    subprocess.run(['rm', '-rf', keydir])

sys.exit(tap.finish())
