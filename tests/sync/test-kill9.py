#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""kill -9 of a committing and syncing process at random points, for at
least 200 rounds (bounded to a minute): afterwards every issuance ever
committed locally reaches central exactly once, the outbox drains, and
the audit chain and the database check out (TAP)."""
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, '..', 'central'))
sys.path.insert(0, os.path.join(here, '..', 'ui'))
import central as C  # noqa: E402
from spui import Tap  # noqa: E402

BUILD = os.environ['SP_BUILD_ROOT']
DRIVER = os.path.join(BUILD, 'tests', 'sync', 'sync-driver')
TOOL = os.path.join(BUILD, 'src', 'tool', 'sportello-tool')
tap = Tap()
# Hundreds of workstation restarts in seconds, each logging in: far
# beyond a person's logins, so central's login rate limits are lifted.
srv = C.Central(citizens=0, env={'SP_CENTRAL_LIMITS': 'ip_burst=100000,ip_rate=100000,'
                                                      'account_burst=100000,account_rate=100000,hash_queue=1000'})
store = tempfile.mkdtemp(prefix='sp-kill9-')
try:
    _, verifier = C.new_pin()
    rounds, start = 0, time.time()
    rnd = random.Random(4590)
    while rounds < 200 or (rounds < 400 and time.time() - start < 20):
        if time.time() - start > 60:
            break
        p = subprocess.Popen([DRIVER, store, srv.url, verifier], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(0.005, 0.25))
        p.send_signal(signal.SIGKILL)
        p.wait()
        rounds += 1
    print('# %d rounds in %.1f s' % (rounds, time.time() - start))
    tap.check('at least 200 rounds of kill -9', rounds >= 200, rounds)
    r = subprocess.run([TOOL, 'sync', 'now', '--store', store, '--central', srv.url, '--user', 'demo'],
                       input='demo\n', capture_output=True, text=True, timeout=120)
    tap.check('afterwards the outbox drains', r.returncode == 0, r.stdout + r.stderr)
    local = set(subprocess.run(['sqlite3', os.path.join(store, 'store.db'), 'SELECT id FROM issuances'],
                               capture_output=True, text=True).stdout.split())
    remote = srv.sql('SELECT id FROM issuances').split()
    tap.check('issuances were committed', len(local) > 50, len(local))
    tap.check('every local issuance is at central', local == set(remote), (len(local), len(remote)))
    tap.check('and exactly once', len(remote) == len(set(remote)))
    scans = srv.sql('SELECT COUNT(*) FROM attachments')
    tap.check('every scan reached central once', int(scans) == len(local), (scans, len(local)))
    r = subprocess.run([TOOL, 'audit', 'verify', '--store', store], capture_output=True, text=True)
    tap.check('the audit chain verifies', r.returncode == 0, r.stdout + r.stderr)
    r = subprocess.run([TOOL, 'db', 'check', '--store', store], capture_output=True, text=True)
    tap.check('the database checks out', r.returncode == 0, r.stdout + r.stderr)
finally:
    srv.cleanup()
    subprocess.run(['rm', '-rf', store])
sys.exit(tap.finish())
