#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Two sportello-central instances on one PostgreSQL, many clients
registering conflicting issuances for the same few citizens through
both, with replays: exactly one active PIN per citizen (the one with the
latest issue time), every replay answered identically, nothing lost (TAP)."""
import json
import os
import random
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'ui'))
import central as C  # noqa: E402
import pgcluster  # noqa: E402
from spui import Tap  # noqa: E402

tap = Tap()
cluster = pgcluster.Cluster()
url = cluster.new_database()
a = b = None
try:
    a = C.Central(citizens=10, database=url)
    # The second instance is itself two worker processes on one socket.
    b = C.Central(citizens=0, database=url, seed=False, workers=2)
    tap.check('two instances (one with two workers) serve one database', a.port != b.port)
    cfs = a.sql('SELECT cf FROM citizens ORDER BY cf LIMIT 4').split()
    people = {cf: json.loads(a.request('GET', '/v1/citizens/' + cf, token=a.login()).body) for cf in cfs}
    _, verifier = C.new_pin()
    tokens = {'a': a.login('demo'), 'b': b.login('demo')}
    sent = {}          # id → (cf, issued_at)
    answers = {}       # id → first answer body
    mismatched = []
    errors = []
    lock = threading.Lock()
    base = time.time() - 3600

    def client(n):
        rnd = random.Random(n)
        for i in range(25):
            cf = rnd.choice(cfs)
            p = {k: people[cf][k] for k in ('cf', 'surname', 'name', 'sex', 'birth_date', 'birth_place',
                                           'residence', 'phone', 'email')}
            # Issue times interleave across clients: the arrival order at
            # central is not the issue-time order.
            body = C.issuance(cf, p, verifier, issued_at=C.iso(base + rnd.uniform(0, 3000) - time.time()))
            raw = json.dumps(body).encode()
            for attempt in range(2):   # every registration is replayed once
                srv = (a, b)[(n + i + attempt) % 2]
                tok = tokens['a' if srv is a else 'b']
                r = srv.request('POST', '/v1/issuances', raw=raw, token=tok,
                                headers={'Idempotency-Key': body['id']})
                with lock:
                    if r.status != 201:
                        errors.append(r)
                    elif body['id'] in answers:
                        if answers[body['id']] != r.body:
                            mismatched.append((answers[body['id']], r.body))
                    else:
                        answers[body['id']] = r.body
                        sent[body['id']] = (cf, body['issued_at'])

    # A sede's workstation follows the feed WHILE both instances write: a
    # row that committed after the reader passed its seq would be lost to
    # it for good (the gap-free, commit-ordered guarantee under test).
    followed = []
    done = threading.Event()

    def follow():
        cursor = ''
        while True:
            last_round = done.is_set()
            page = a.request('GET', '/v1/changes?limit=20&cursor=' + cursor, token=tokens['a']).json()
            followed.extend(i['seq'] for i in page['items'])
            cursor = page['next_cursor']
            if last_round and not page['has_more']:
                return

    follower = threading.Thread(target=follow)
    follower.start()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    t0 = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    follower.join()
    elapsed = time.time() - t0
    print('# %d registrations and %d replays in %.1f s' % (len(sent), len(sent), elapsed))
    tap.check('every request answered 201', not errors, errors[:3])
    tap.check('every replay answered byte for byte like the first', not mismatched, mismatched[:2])
    tap.check('nothing lost, nothing doubled: one row per key',
              int(a.sql('SELECT COUNT(*) FROM issuances')) == len(sent), len(sent))
    for cf in cfs:
        mine = {i: t for i, (c, t) in sent.items() if c == cf}
        active = a.sql("SELECT id FROM issuances WHERE cf = '%s' AND status = 'active'" % cf).split()
        latest = max(mine, key=lambda i: mine[i]) if mine else None
        tap.check('%s: exactly one active PIN, the latest issued' % cf,
                  (not mine and not active) or (len(active) == 1 and active[0] == latest), (active, latest))
    seqs = [int(x) for x in a.sql("SELECT seq FROM changes WHERE sede = '0700' ORDER BY seq").split()]
    feed, cursor = [], ''
    while True:
        page = a.request('GET', '/v1/changes?limit=50&cursor=' + cursor, token=tokens['a']).json()
        feed += [i['seq'] for i in page['items']]
        cursor = page['next_cursor']
        if not page['has_more']:
            break
    tap.check('the change feed read page by page returns every row once, in order', feed == seqs,
              (len(feed), len(seqs)))
    tap.check('a reader that followed the feed during the load missed no row', followed == seqs,
              (len(followed), len(seqs), sorted(set(seqs) - set(followed))[:5]))
    if b is not None:
        rc = b.stop()
        tap.check('the instance with workers stops cleanly on SIGTERM', rc == 0, 'exit status %r' % rc)
finally:
    for srv in (a, b):
        if srv:
            srv.cleanup()
    cluster.stop()
sys.exit(tap.finish())
