#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""sportello-central's admin commands and serving options: operator
add/list/disable, import-registry, purge, TLS (TAP)."""
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'ui'))
import central as C  # noqa: E402
from spui import Tap  # noqa: E402

tap = Tap()
work = tempfile.mkdtemp(prefix='sp-cli-')
db = os.path.join(work, 'c.db')


def central(*args, stdin=None):
    return subprocess.run([C.CENTRAL, *args, '--database', db], input=stdin, capture_output=True,
                          text=True, timeout=60)


try:
    r = central('operator', 'add', 'mbianchi', '--name', 'Maria Bianchi', '--role', 'supervisor',
                '--sede', '1300', stdin='una password lunga\n')
    tap.check('operator add takes the password from standard input', r.returncode == 0, r.stderr)
    r = central('operator', 'add', 'short', '--name', 'S', '--role', 'operator', '--sede', '1300', stdin='abc\n')
    tap.check('a short password is refused (exit 2)', r.returncode == 2, r.stderr)
    r = central('operator', 'add', 'x', '--name', 'X', '--role', 'king', '--sede', '1', stdin='abcdefghij\n')
    tap.check('an unknown role is refused (exit 2)', r.returncode == 2, r.stderr)
    r = central('operator', 'add', 'mbianchi', '--name', 'Again', '--role', 'operator', '--sede', '1300',
                stdin='una password lunga\n')
    tap.check('a duplicate username fails (exit 1)', r.returncode == 1, r.stderr)
    r = central('operator', 'list')
    tap.check('operator list shows role and sede, never the verifier',
              'mbianchi\tsupervisor\t1300\tMaria Bianchi' in r.stdout and 'argon2' not in r.stdout, r.stdout)

    srv = C.Central(citizens=0, database=db, seed=False)
    try:
        r = srv.request('POST', '/v1/sessions', {'username': 'mbianchi', 'password': 'una password lunga'})
        tap.check('the new operator logs in', r.status == 201 and r.json()['operator']['sede'] == '1300', r)
        token = r.json()['token']
        r = central('operator', 'disable', 'mbianchi')
        tap.check('operator disable', r.returncode == 0, r.stderr)
        r1 = srv.request('GET', '/v1/changes', token=token)
        r2 = srv.request('POST', '/v1/sessions', {'username': 'mbianchi', 'password': 'una password lunga'})
        tap.check("a disabled operator's session ends and he cannot log in", r1.status == 401 and r2.status == 401,
                  (r1, r2))
        tap.check('operator disable of an unknown user fails', central('operator', 'disable', 'ghost').returncode == 1)

        csv = os.path.join(work, 'registry.csv')
        with open(csv, 'w') as f:
            f.write('cf,surname,name,sex,birth_date,birth_place,street,postcode,city,province\n')
            f.write('MRTMTT25D09F205Z,Moretti,Matteo,M,1925-04-09,F205,Via Roma 1,20100,Milano,MI\n')
            f.write('MRTMTT25D09F205A,Bad,Code,M,1925-04-09,F205,,,,\n')
            f.write('80078750587,Istituto,Previdenza,M,1933-01-01,H501,,,,\n')
        r = central('import-registry', csv)
        tap.check('import-registry loads valid rows and counts the others',
                  r.returncode == 0 and 'imported 2, skipped 1' in r.stdout, r.stdout + r.stderr)
        tap.check('imported citizens come from the registry',
                  srv.sql("SELECT source FROM citizens WHERE cf = 'MRTMTT25D09F205Z'") == 'registry')
    finally:
        srv.stop()

    # purge: an issuance ended 21 years ago goes, a recent one stays.
    now = int(time.time() * 1000)
    old = now - 21 * 366 * 86400 * 1000
    # Named: later migrations add columns (issue 16: kind).
    COLUMNS = ('(id, cf, sede, operator, workstation, issued_at, received_at, status, verifier, body,'
               ' ended_at, reason)')
    subprocess.run(['sqlite3', db,
                    ("INSERT INTO issuances " + COLUMNS + " VALUES ('11111111-1111-4111-8111-111111111111',"
                     "'MRTMTT25D09F205Z','1300','x',NULL,%d,%d,'superseded','v','{}',%d,NULL);"
                     "INSERT INTO issuances " + COLUMNS + " VALUES ('22222222-2222-4222-8222-222222222222',"
                     "'MRTMTT25D09F205Z','1300','x',NULL,%d,%d,'voided','v','{}',%d,'jam');")
                    % (old, old, old, now, now, now)], check=True)
    subprocess.run(['sqlite3', db,
                    "INSERT INTO changes (sede, cf, payload, at) VALUES ('1300', 'X', '{}', %d), ('1300', 'X', '{}', %d),"
                    " ('1300', 'X', '{\"type\":\"issuance\"}', %d)" % (old, old, now)], check=True)
    r = central('purge', '--dry-run')
    tap.check('purge --dry-run counts without deleting', r.returncode == 0 and 'would purge 1 ' in r.stdout and
              subprocess.run(['sqlite3', db, 'SELECT COUNT(*) FROM issuances'], capture_output=True,
                             text=True).stdout.strip() == '2', r.stdout)
    r = central('purge', '--apply')
    left = subprocess.run(['sqlite3', db, 'SELECT id FROM issuances'], capture_output=True, text=True).stdout.split()
    tap.check('purge --apply deletes what ended before the retention period, audited',
              r.returncode == 0 and left == ['22222222-2222-4222-8222-222222222222'] and
              subprocess.run(['sqlite3', db, "SELECT COUNT(*) FROM audit WHERE action = 'purge'"],
                             capture_output=True, text=True).stdout.strip() == '1', (r.stdout, left))
    tap.check('purge needs --dry-run or --apply', central('purge').returncode == 2)
    central('operator', 'add', 'lverdi', '--name', 'Luca Verdi', '--role', 'operator', '--sede', '1300',
            stdin='un altra password\n')
    srv = C.Central(citizens=0, database=db, seed=False)
    try:
        tok = srv.login('lverdi', 'un altra password')
        first = srv.request('GET', '/v1/changes?cursor=1', token=tok)
        floor = srv.request('GET', '/v1/changes?cursor=2', token=tok)
        tap.check('a cursor older than the purged rows: 410, resynchronise',
                  first.status == 410 and first.json()['type'].endswith('/cursor-expired'), first)
        tap.check('a cursor at the purge floor still works', floor.status == 200 and len(floor.json()['items']) == 1,
                  floor)
    finally:
        srv.stop()

    # TLS with a self-signed certificate.
    cert, key = os.path.join(work, 'cert.pem'), os.path.join(work, 'key.pem')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
                    '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
                   check=True, capture_output=True)
    proc = subprocess.Popen([C.CENTRAL, 'serve', '--listen', '127.0.0.1:0', '--database', db,
                             '--tls-cert', cert, '--tls-key', key], stdout=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().split()[-1]
        tap.check('with a certificate it listens on https', url.startswith('https://'), url)
        ctx = ssl.create_default_context(cafile=cert)
        with urllib.request.urlopen(url + '/v1/status', context=ctx, timeout=10) as resp:
            tap.check('a client that trusts the sede CA gets an answer', resp.status == 200)
        try:
            urllib.request.urlopen(url + '/v1/status', timeout=10)
            refused = False
        except Exception:
            refused = True
        tap.check('a client that does not trust it refuses the connection', refused)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    r = subprocess.run([C.CENTRAL, 'serve', '--database', db, '--tls-cert', cert], capture_output=True, text=True)
    tap.check('--tls-cert without --tls-key is a usage error', r.returncode == 2, r.stderr)
finally:
    shutil.rmtree(work, ignore_errors=True)
sys.exit(tap.finish())
