# SPDX-License-Identifier: GPL-3.0-or-later
"""Starts the real sportello-central on loopback for the tests and talks
to it over HTTP. Used by the central and sync tests."""
import base64
import hashlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid

BUILD = os.environ['SP_BUILD_ROOT']
CENTRAL = os.path.join(BUILD, 'src', 'central', 'sportello-central')
MAKE_VERIFIER = os.path.join(BUILD, 'tests', 'central', 'make-verifier')


class Central:
    """A sportello-central process with its own database in a temp dir."""

    def __init__(self, citizens=50, database=None, seed=True, workers=1, env=None, preexec_fn=None,
                 args=()):
        self.workers = workers
        # env: extra variables (SP_CENTRAL_LIMITS shortens timeouts and
        # changes limits); preexec_fn runs in the child (resource limits).
        self.env = dict(os.environ, **(env or {}))
        self.dir = tempfile.mkdtemp(prefix='sp-central-')
        # The outbox key of this central only, not the user's.
        self.env.setdefault('SP_CENTRAL_KEY_FILE', os.path.join(self.dir, 'outbox.key'))
        self.preexec_fn = preexec_fn
        self.args = list(args)
        self.cluster = None
        if database is None and os.environ.get('SP_TEST_POSTGRESQL') == '1':
            # The same tests on PostgreSQL: a cluster of their own.
            import pgcluster
            self.cluster = pgcluster.Cluster()
            database = self.cluster.new_database()
        self.database = database or os.path.join(self.dir, 'central.db')
        self.log = os.path.join(self.dir, 'central.log')
        if seed:
            subprocess.run([CENTRAL, 'seed-demo', '--citizens', str(citizens), '--database', self.database],
                           check=True, timeout=120)
        self.proc = None
        self.port = 0
        self.start()

    def start(self):
        listen = '127.0.0.1:%d' % self.port
        self.proc = subprocess.Popen([CENTRAL, 'serve', '--listen', listen, '--database', self.database,
                                      '--workers', str(self.workers)] + self.args,
                                     stdout=subprocess.PIPE, stderr=open(self.log, 'a'), text=True,
                                     env=self.env, preexec_fn=self.preexec_fn)
        line = self.proc.stdout.readline()
        if not line.startswith('listening on '):
            raise RuntimeError('central did not start: %r\n%s' % (line, open(self.log).read()))
        self.url = line.split()[-1]
        self.port = int(self.url.rsplit(':', 1)[1])

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def cleanup(self):
        self.stop()
        if self.cluster:
            self.cluster.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def sql(self, query):
        if self.database.startswith('postgresql://'):
            cmd = ['psql', self.database, '-qAt', '-c', query]
        else:
            cmd = ['sqlite3', self.database, query]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        return out.stdout.strip()

    def raw_database_bytes(self):
        """Everything the database holds, as bytes, to search for secrets."""
        if self.database.startswith('postgresql://'):
            return subprocess.run(['pg_dump', self.database], capture_output=True, check=True).stdout
        return open(self.database, 'rb').read()

    # ---- HTTP ----

    def rss_kib(self):
        """The server's resident memory (KiB)."""
        for line in open('/proc/%d/status' % self.proc.pid):
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
        return 0

    def request(self, method, path, body=None, token=None, headers=None, raw=None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None and 'Content-Type' not in (headers or {}):
            req.add_header('Content-Type', 'application/json')
        if token:
            req.add_header('Authorization', 'Bearer ' + token)
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return Response(r.status, dict(r.headers), r.read())
        except urllib.error.HTTPError as e:
            return Response(e.code, dict(e.headers), e.read())

    def login(self, username='demo', password=None):
        r = self.request('POST', '/v1/sessions', {'username': username, 'password': password or username,
                                                  'workstation': 'test'})
        assert r.status == 201, r
        return r.json()['token']


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return '<%d %s>' % (self.status, self.body[:300])


def iso(offset_s=0.0):
    """An RFC 3339 UTC time with milliseconds, offset_s from now."""
    t = time.time() + offset_s
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(t)) + '.%03dZ' % (int(t * 1000) % 1000)


def initial_pin_right(r):
    """The answer of /v1/auth/pin to a right 16-character initial PIN: first
    access asks for the personal PIN (msg. 3695/2013) and grants nothing."""
    return r.status == 403 and r.json().get('type', '').endswith('/pin-change-required') and 'scope' not in r.json()


def new_pin():
    out = subprocess.run([MAKE_VERIFIER], capture_output=True, text=True, check=True).stdout.split()
    return out[0], out[1]


def issuance(cf, person, verifier, issued_at=None, role='self', sede='0700'):
    """A complete issuance body for cf, as the workstation sends it."""
    return {
        'id': str(uuid.uuid4()),
        'cf': cf,
        'issued_at': issued_at or iso(),
        'clock_skew_ms': 0,
        'sede': sede,
        'operator': 'demo',
        'workstation': 'test',
        'kind': 'dispositivo',
        'offline': False,
        'verifier': verifier,
        'citizen': person,
        'applicant': {'role': role, 'person': None},
        'document': {'type': 'cie', 'number': 'CA12345AB', 'issuer': 'Comune di Roma',
                     'issued_on': '2020-01-10', 'expires_on': '2030-01-10'},
        'attachments': [],
        'attested_in_person': True,
    }


def person(cf='MRTMTT25D09F205Z', surname='Moretti', name='Matteo', sex='M',
           birth_date='1925-04-09', birth_place='F205'):
    return {'cf': cf, 'surname': surname, 'name': name, 'sex': sex, 'birth_date': birth_date,
            'birth_place': birth_place, 'residence': {'street': 'Via Roma 1', 'postcode': '20100',
                                                      'city': 'Milano', 'province': 'MI'},
            'phone': None, 'email': None}


def content_digest(data):
    return 'sha-256=:%s:' % base64.b64encode(hashlib.sha256(data).digest()).decode()
