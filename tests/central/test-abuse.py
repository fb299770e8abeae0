#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The business-rule abuse paths of issue 12, each sent as an attacker
sends it to the real central on loopback, asserting the effect (TAP).
Runs on SQLite, and on PostgreSQL with SP_TEST_POSTGRESQL=1 (which adds
a cluster restart under load)."""
import concurrent.futures
import hashlib
import os
import subprocess
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'ui'))
import central as C  # noqa: E402
from spui import Tap  # noqa: E402

tap = Tap()
check = tap.check
# The per-instance rate limits (429) are tested with the transport; here
# they are lifted so that what is tested is the database's own counting,
# which is what holds with N instances behind a load balancer.
os.environ['SP_CENTRAL_LIMITS'] = ('ip_burst=100000,ip_rate=100000,account_burst=100000,'
                                   'account_rate=100000,hash_queue=1000')
srv = C.Central(citizens=30)
postgres = srv.database.startswith('postgresql://')


def citizens(n):
    return srv.sql('SELECT cf FROM citizens ORDER BY cf LIMIT %d' % n).split()


def person_of(cf):
    row = srv.sql("SELECT surname, name, sex, birth_date, birth_place FROM citizens WHERE cf = '%s'" % cf)
    surname, name, sex, birth_date, birth_place = row.split('|')
    return C.person(cf=cf, surname=surname, name=name, sex=sex, birth_date=birth_date, birth_place=birth_place)


def issue(token, cf, verifier=None, **extra):
    pin = None
    if verifier is None:
        pin, verifier = C.new_pin()
    body = C.issuance(cf, person_of(cf), verifier)
    body.update(extra)
    r = srv.request('POST', '/v1/issuances', body, token=token, headers={'Idempotency-Key': body['id']})
    assert r.status == 201, r
    return body, pin


def pin_auth(token, cf, pin):
    return srv.request('POST', '/v1/auth/pin', {'cf': cf, 'pin': pin}, token=token)


def audit_count(action, subject):
    return int(srv.sql("SELECT COUNT(*) FROM audit WHERE action = '%s' AND subject = '%s'" % (action, subject)))


def add_operator(username, role, sede):
    subprocess.run([C.CENTRAL, 'operator', 'add', username, '--name', username, '--role', role, '--sede', sede,
                    '--database', srv.database], input=username * 2 + '\n', text=True, check=True,
                   capture_output=True, timeout=60)


try:
    demo = srv.login('demo')
    demo2 = srv.login('demo2')
    sup = srv.login('super')
    add_operator('super2', 'supervisor', '0700')
    add_operator('super8', 'supervisor', '0800')
    sup2 = srv.login('super2', 'super2' * 2)
    sup8 = srv.login('super8', 'super8' * 2)
    cfs = citizens(12)

    # ---- PIN lockout: counted atomically in the database ----
    cf = cfs[0]
    body, pin = issue(demo, cf)
    with concurrent.futures.ThreadPoolExecutor(max_workers=60) as pool:
        answers = list(pool.map(lambda i: pin_auth(demo, cf, 'ABCDEFGHJKMNPQRS'), range(60)))
    verified = audit_count('pin.fail', cf) + audit_count('pin.ok', cf)
    statuses = sorted(a.status for a in answers)
    check('60 parallel wrong guesses: at most 5 verifications run', verified <= 5 and
          statuses.count(401) == verified and statuses.count(423) == 60 - verified, (verified, statuses))
    r = pin_auth(demo, cf, pin)
    check('then the right PIN answers 423, not 403 change-required, with Retry-After', r.status == 423 and
          900 - 5 <= int(r.headers.get('Retry-After', 0)) <= 900, (r, r.headers))
    check('the citizen record shows the lock', srv.request('GET', '/v1/citizens/' + cf, token=demo)
          .json()['credentials']['locked'] is True)
    # Fifteen minutes pass (the lock's end moved to the past, as the clock would).
    srv.sql("UPDATE pin_attempts SET locked_until = 1 WHERE cf = '%s'" % cf)
    r = pin_auth(demo, cf, pin)
    check('after the back-off the right PIN works again: never locked forever', C.initial_pin_right(r), r)
    for _ in range(5):
        pin_auth(demo, cf, 'ABCDEFGHJKMNPQRS')
    row = srv.sql("SELECT lockouts, locked_until FROM pin_attempts WHERE cf = '%s'" % cf).split('|')
    check('a success resets the count; 5 new failures lock for 15 minutes',
          row[0] == '1' and abs(int(row[1]) / 1000 - time.time() - 900) < 60, row)
    srv.sql("UPDATE pin_attempts SET locked_until = 1 WHERE cf = '%s'" % cf)
    for _ in range(5):
        pin_auth(demo, cf, 'ABCDEFGHJKMNPQRS')
    row = srv.sql("SELECT lockouts, locked_until FROM pin_attempts WHERE cf = '%s'" % cf).split('|')
    check('the next lockout lasts twice as long (30 minutes)',
          row[0] == '2' and abs(int(row[1]) / 1000 - time.time() - 1800) < 60, row)
    # 99 consecutive failures, then the hundredth (NIST SP 800-63B 5.2.2).
    srv.sql("UPDATE pin_attempts SET failures = 99, lockouts = 19, locked_until = 1 WHERE cf = '%s'" % cf)
    pin_auth(demo, cf, 'ABCDEFGHJKMNPQRS')
    srv.sql("UPDATE pin_attempts SET locked_until = 1 WHERE cf = '%s'" % cf)
    r = pin_auth(demo, cf, pin)
    check('after 100 consecutive failures only the in-person check unlocks', r.status == 423, r)
    r = srv.request('POST', '/v1/citizens/%s/pin-unlock' % cf, {'attested_in_person': False}, token=demo)
    check('an unlock without the in-person attestation: 422', r.status == 422, r)
    r = srv.request('POST', '/v1/citizens/%s/pin-unlock' % cf, {'attested_in_person': True}, token=demo)
    check('the operator unlocks after the in-person check (audited)', r.status == 204 and
          C.initial_pin_right(pin_auth(demo, cf, pin)) and audit_count('pin.unlock', cf) == 1, r)
    check('unknown codes are counted and locked alike (no oracle)',
          [pin_auth(demo, 'RSSMRA80A01H501U', 'ABCDEFGHJKMNPQRS').status for _ in range(6)] == [401] * 5 + [423])

    # ---- four eyes in two steps, with real identities ----
    cf = cfs[1]
    body, pin = issue(demo, cf)
    r = srv.request('POST', '/v1/citizens/%s/revocation' % cf,
                    {'reason': 'lost', 'requested_by': 'demo'}, token=sup)
    check('the old single call with a made-up requested_by is gone', r.status == 404, r)
    own = srv.request('POST', '/v1/citizens/%s/revocation-requests' % cf, {'reason': 'lost'}, token=sup).json()
    r = srv.request('POST', '/v1/revocation-requests/%s/approval' % own['id'], {}, token=sup)
    check('a lone supervisor cannot approve her own request: 403 four-eyes', r.status == 403 and
          r.json()['type'].endswith('/four-eyes'), r)
    r8 = srv.request('POST', '/v1/revocation-requests/%s/approval' % own['id'], {}, token=sup8)
    unknown = srv.request('POST', '/v1/revocation-requests/%s/approval' % uuid.uuid4(), {}, token=sup8)
    check("another sede's supervisor gets 404, exactly like an unknown id", r8.status == 404 and
          r8.body == unknown.body, (r8, unknown))
    r = srv.request('POST', '/v1/revocation-requests/%s/approval' % own['id'].upper(), {}, token=sup)
    check('nor through an upper-case copy of the id', r.status == 403, r)
    check('after the lone supervisor\'s calls the PIN is still valid', C.initial_pin_right(pin_auth(demo, cf, pin)))
    listed = srv.request('GET', '/v1/revocation-requests?status=pending', token=sup2).json()['items']
    check("the sede's supervisors list its pending requests, not other sedi's",
          [i['id'] for i in listed] == [own['id']] and
          srv.request('GET', '/v1/revocation-requests', token=sup8).json()['items'] == [], listed)
    r = srv.request('POST', '/v1/revocation-requests/%s/approval' % own['id'], {}, token=sup2)
    check('a second supervisor of the sede approves: the PIN is revoked', r.status == 200 and
          r.json()['approved_by'] == 'super2' and r.json()['revoked'] == [body['id']] and
          pin_auth(demo, cf, pin).status == 401, r)
    r = srv.request('POST', '/v1/revocation-requests/%s/rejection' % own['id'], {'reason': 'x'}, token=sup2)
    check('a decided request cannot be decided again: 409', r.status == 409, r)
    check('both steps are audited with their real actors',
          srv.sql("SELECT actor FROM audit WHERE action IN ('revocation.request', 'revocation.approve')"
                  " AND detail = '%s' ORDER BY id" % own['id']).split() == ['super', 'super2'])
    r = srv.request('POST', '/v1/citizens/%s/revocation-requests' % cf, {'reason': 'again'}, token=demo)
    check('no active PIN to revoke any more: 404 no-active-pin', r.status == 404 and
          r.json()['type'].endswith('/no-active-pin'), r)
    cf = cfs[2]
    body, pin = issue(demo, cf)
    req = srv.request('POST', '/v1/citizens/%s/revocation-requests' % cf, {'reason': 'x'}, token=demo).json()
    r = srv.request('POST', '/v1/revocation-requests/%s/rejection' % req['id'], {'reason': 'not him'}, token=sup)
    check('a rejected request revokes nothing', r.status == 200 and r.json()['status'] == 'rejected' and
          C.initial_pin_right(pin_auth(demo, cf, pin)), r)

    # ---- void only from active ----
    revoked_id = srv.sql("SELECT id FROM issuances WHERE status = 'revoked' LIMIT 1")
    r = srv.request('POST', '/v1/issuances/%s/void' % revoked_id, {'reason': 'jam'}, token=demo)
    check('void of a revoked issuance: 409, and it stays revoked', r.status == 409 and
          srv.sql("SELECT status FROM issuances WHERE id = '%s'" % revoked_id) == 'revoked', r)

    # ---- attachments: as declared, never replaced ----
    cf = cfs[3]
    pdf = b'%PDF-1.5\n%scan\n' + os.urandom(64).hex().encode() + b'\n%%EOF\n'
    sha = hashlib.sha256(pdf).hexdigest()
    body, _ = issue(demo, cf, attachments=[{'kind': 'mv35', 'sha256': sha, 'size': len(pdf)}])
    path = '/v1/issuances/%s/attachments/' % body['id']

    def put(kind, data):
        return srv.request('PUT', path + kind, raw=data, token=demo,
                           headers={'Content-Type': 'application/pdf', 'Content-Digest': C.content_digest(data)})

    other = b'%PDF-1.5\n%another scan\n%%EOF\n'
    r = put('mv35', other)
    check('a scan that is not the declared one (sha256, size): 422 and nothing stored', r.status == 422 and
          srv.sql("SELECT COUNT(*) FROM attachments WHERE issuance_id = '%s'" % body['id']) == '0', r)
    r = put('document_front', pdf)
    check('a kind the issuance did not declare: 422', r.status == 422, r)
    r = put('mv35', pdf)
    check('the declared scan: 201', r.status == 201, r)
    r = put('mv35', pdf)
    check('the same bytes again: 200, an idempotent replay', r.status == 200, r)
    check('the stored scan is audited once, the replay not', audit_count('attachment.put', body['id']) == 1)
    srv.sql("UPDATE issuances SET body = REPLACE(body, '%s', '%s') WHERE id = '%s'"
            % (sha, hashlib.sha256(other).hexdigest(), body['id']))
    srv.sql("UPDATE issuances SET body = REPLACE(body, '\"size\":%d', '\"size\":%d') WHERE id = '%s'"
            % (len(pdf), len(other), body['id']))
    r = put('mv35', other)
    check('a stored scan is never replaced: 409, the first one kept', r.status == 409 and
          srv.sql("SELECT sha256 FROM attachments WHERE issuance_id = '%s'" % body['id']) == sha, r)

    # ---- idempotency keys: canonical and scoped ----
    cf = cfs[4]
    _, verifier = C.new_pin()
    body = C.issuance(cf, person_of(cf), verifier)
    r1 = srv.request('POST', '/v1/issuances', body, token=demo, headers={'Idempotency-Key': body['id']})
    up = dict(body, id=body['id'].upper())
    r2 = srv.request('POST', '/v1/issuances', body, token=demo, headers={'Idempotency-Key': body['id'].upper()})
    r3 = srv.request('POST', '/v1/issuances', up, token=demo, headers={'Idempotency-Key': up['id']})
    rows = srv.sql("SELECT COUNT(*) FROM issuances WHERE LOWER(id) = '%s'" % body['id'])
    check('an upper-case key is not a second row (refused, or replayed)',
          rows == '1' and (r2.status == 400 or (r2.status == 201 and r2.body == r1.body))
          and r3.status in (201, 400, 422), (rows, r2, r3))
    _, v2 = C.new_pin()
    theirs = C.issuance(cf, person_of(cf), v2, sede='0800')
    theirs['id'] = body['id']
    r = srv.request('POST', '/v1/issuances', theirs, token=demo2, headers={'Idempotency-Key': body['id']})
    check("another sede's use of a key gets neither a replay of its answer nor a row", r.status == 422 and
          b'seq' not in r.body and srv.sql("SELECT sede FROM issuances WHERE id = '%s'" % body['id']) == '0700', r)

    # ---- another sede's id answers exactly like an unknown one ----
    ghost = str(uuid.uuid4())
    for method, suffix, payload in (('GET', '', None), ('POST', '/void', {'reason': 'x'})):
        mine = srv.request(method, '/v1/issuances/%s%s' % (body['id'], suffix), payload, token=demo2)
        none = srv.request(method, '/v1/issuances/%s%s' % (ghost, suffix), payload, token=demo2)
        check("%s %s of another sede's issuance: 404 identical to an unknown id" % (method, suffix or '/'),
              mine.status == 404 and mine.body == none.body, (mine, none))
    mine = srv.request('PUT', '/v1/issuances/%s/attachments/mv35' % body['id'], raw=pdf, token=demo2,
                       headers={'Content-Digest': C.content_digest(pdf)})
    none = srv.request('PUT', '/v1/issuances/%s/attachments/mv35' % ghost, raw=pdf, token=demo2,
                       headers={'Content-Digest': C.content_digest(pdf)})
    check("an attachment to another sede's issuance: 404 identical to an unknown id",
          mine.status == 404 and mine.body == none.body, (mine, none))

    # ---- the change feed follows the citizens the sede served ----
    cf = cfs[5]
    issue(demo, cf)
    feed = srv.request('GET', '/v1/changes?limit=1000', token=demo2).json()['items']
    check('a sede that never served a citizen gets nothing of him', all(i['cf'] != cf for i in feed), feed)
    issue(demo2, cf, sede='0800')
    feed7 = srv.request('GET', '/v1/changes?limit=1000', token=demo).json()['items']
    check('a sede that served him learns of the newer issuance elsewhere',
          any(i['cf'] == cf and i['sede'] == '0800' for i in feed7), feed7)

    # ---- the verifier's Argon2id cost is central's ----
    cf = cfs[6]
    for m, t in ((262144, 10), (8, 1), (65536, 2)):
        _, verifier = C.new_pin()
        weird = verifier.replace('m=65536,t=3,p=1', 'm=%d,t=%d,p=1' % (m, t))
        body = C.issuance(cf, person_of(cf), weird)
        r = srv.request('POST', '/v1/issuances', body, token=demo, headers={'Idempotency-Key': body['id']})
        check('a verifier at m=%d,t=%d: 422 and no row' % (m, t), r.status == 422 and
              srv.sql("SELECT COUNT(*) FROM issuances WHERE id = '%s'" % body['id']) == '0', r)

    # ---- every write is audited, in its own transaction ----
    cf = cfs[7]
    body, _ = issue(demo, cf)
    check('the registration wrote its audit row', audit_count('issuance.register', body['id']) == 1)
    voided, _ = issue(demo, cfs[11])
    r = srv.request('POST', '/v1/issuances/%s/void' % voided['id'], {'reason': 'jam'}, token=demo)
    check('the void wrote its audit row, by the operator who voided', r.status == 200 and
          srv.sql("SELECT actor FROM audit WHERE action = 'issuance.void' AND subject = '%s'" % voided['id'])
          == 'demo', r)
    if postgres:
        srv.sql("CREATE FUNCTION sp_test_refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'forced'; END $$"
                " LANGUAGE plpgsql; CREATE TRIGGER sp_test_audit BEFORE INSERT ON audit"
                " FOR EACH ROW EXECUTE FUNCTION sp_test_refuse()")
    else:
        srv.sql("CREATE TRIGGER sp_test_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'forced'); END")
    r = srv.request('POST', '/v1/issuances/%s/void' % body['id'], {'reason': 'jam'}, token=demo)
    check('a failed audit row aborts the void it audits (500, still active)', r.status == 500 and
          srv.sql("SELECT status FROM issuances WHERE id = '%s'" % body['id']) == 'active', r)
    _, verifier = C.new_pin()
    lost = C.issuance(cfs[8], person_of(cfs[8]), verifier)
    r = srv.request('POST', '/v1/issuances', lost, token=demo, headers={'Idempotency-Key': lost['id']})
    check('a failed audit row aborts the registration: no row, no key, no change', r.status == 500 and
          srv.sql("SELECT COUNT(*) FROM issuances WHERE id = '%s'" % lost['id']) == '0' and
          srv.sql("SELECT COUNT(*) FROM idempotency WHERE key = '%s'" % lost['id']) == '0', r)
    srv.sql('DROP TRIGGER sp_test_audit' + (' ON audit' if postgres else ''))
    r = srv.request('POST', '/v1/issuances', lost, token=demo, headers={'Idempotency-Key': lost['id']})
    check('the same registration once the audit works: 201', r.status == 201, r)

    # ---- the audit chain is whole (group commits, savepoints, failures) ----
    _, good_v = C.new_pin()
    burst_who = person_of(cfs[11])

    def burst(i):
        v = good_v if i % 4 else good_v.replace('t=3', 't=2')   # every 4th refused inside its batch
        b = C.issuance(cfs[11], burst_who, v)
        return srv.request('POST', '/v1/issuances', b, token=demo, headers={'Idempotency-Key': b['id']}).status

    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        burst_statuses = sorted(pool.map(burst, range(32)))
    check('a burst of registrations, some refused inside their group commit',
          burst_statuses == [201] * 24 + [422] * 8, burst_statuses)
    sep = '~|~'
    rows = srv.sql("SELECT prev_hash || '%s' || at || '%s' || actor || '%s' || action || '%s' ||"
                   " COALESCE(subject, '') || '%s' || COALESCE(detail, '') || '%s' || hash FROM audit ORDER BY id"
                   % ((sep,) * 6)).split('\n')
    prev, broken = '', []
    for row in rows:
        p_hash, at, actor, action, subject, detail, h = row.split(sep)
        line = '|'.join((p_hash, at, actor, action, subject, detail))
        if p_hash != prev or hashlib.sha256(line.encode()).hexdigest() != h:
            broken.append(row)
        prev = h
    check('central\'s audit chain verifies row by row (%d rows)' % len(rows), len(rows) >= 40 and not broken,
          broken[:3])

    # ---- retention of failure counts ----
    srv.sql("INSERT INTO pin_attempts (cf, failures, lockouts, locked_until, reserved, reserved_until)"
            " VALUES ('OLDGUESS', 3, 0, 0, 0, 1), ('OLDLOCKED', 100, 20, 0, 0, 1)")
    subprocess.run([C.CENTRAL, 'purge', '--apply', '--database', srv.database], check=True,
                   capture_output=True, timeout=60)
    check("purge forgets year-old failure counts but not a lock awaiting the in-person check",
          srv.sql("SELECT cf FROM pin_attempts WHERE cf LIKE 'OLD%' ORDER BY cf") == 'OLDLOCKED')

    # ---- PostgreSQL restarted under load ----
    if postgres:
        stop = threading.Event()
        outcomes = []
        who = person_of(cfs[9])
        _, v = C.new_pin()

        def load():
            while not stop.is_set():
                b = C.issuance(cfs[9], who, v)
                started = time.monotonic()
                r = srv.request('POST', '/v1/issuances', b, token=demo, headers={'Idempotency-Key': b['id']})
                g = srv.request('GET', '/v1/citizens/' + cfs[10], token=demo)
                outcomes.append((b['id'], r.status, r.headers.get('Retry-After'), g.status, started))

        threads = [threading.Thread(target=load) for _ in range(4)]
        for t in threads:
            t.start()
        while len(outcomes) < 20:
            time.sleep(0.05)
        srv.cluster.restart()
        back = time.monotonic()

        def recovered():
            """Requests started after the first success that started after
            the restart: by then every connection has been reset."""
            firsts = [o[4] for o in list(outcomes) if o[4] > back and o[1] == 201]
            return [o for o in list(outcomes) if firsts and o[4] > min(firsts)]

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(recovered()) < 30:
            time.sleep(0.05)
        stop.set()
        for t in threads:
            t.join()
        bad = [o for o in outcomes if o[1] not in (201, 503) or o[3] not in (200, 503)
               or (o[1] == 503 and o[2] is None)]
        check('during the restart answers are 201/200 or 503 with Retry-After, nothing else', not bad, bad)
        after = recovered()
        check('after the restart central serves again without being restarted itself',
              srv.proc.poll() is None and len(after) >= 30 and all(o[1] == 201 and o[3] == 200 for o in after),
              after)
        acked = [o[0] for o in outcomes if o[1] == 201]
        stored = set(srv.sql("SELECT id FROM issuances WHERE cf = '%s'" % cfs[9]).split())
        check('every registration answered 201 is stored', set(acked) <= stored, len(set(acked) - stored))
        check('the reconnection is logged', 'reconnected to PostgreSQL' in open(srv.log).read())

    # ---- several instances migrating one new database at once ----
    if postgres:
        fresh = srv.cluster.new_database()
        procs = [subprocess.Popen([C.CENTRAL, 'serve', '--listen', '127.0.0.1:0', '--database', fresh],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
        firsts = [p.stdout.readline() for p in procs]
        for p in procs:
            p.terminate()
        errors = [p.communicate(timeout=30)[1] for p in procs]
        versions = subprocess.run(['psql', fresh, '-qAt', '-c', 'SELECT version FROM sp_schema ORDER BY version'],
                                  capture_output=True, text=True, check=True).stdout.split()
        check('three instances started together on a new database all serve, migrated once',
              all(f.startswith('listening on ') for f in firsts)
              and versions == [str(v + 1) for v in range(len(versions))] and len(versions) >= 2,
              (firsts, versions, errors))
finally:
    srv.cleanup()

sys.exit(tap.finish())
