#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The citizen's pages at central (/cittadino/) over real HTTP (TAP):
security headers and the CSRF cookie, refusals of forged and malformed
forms (nothing recorded), escaping of what comes back, errors tied to
their fields, the online request and recovery through the real API
handlers, the same rate limits, and the Secure cookie over TLS."""
import base64
import hashlib
import hmac
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'ui'))
import central as C  # noqa: E402
import pages as P  # noqa: E402
from spui import Tap  # noqa: E402

tap = Tap()
check = tap.check
REQ = '/cittadino/richiesta'

# The per-address bucket is lifted (every post here comes from 127.0.0.1);
# the per-account one keeps the API's production setting.
srv = C.Central(citizens=30, env={'SP_LOCALEDIR': os.path.join(C.BUILD, 'po'), 'SP_CENTRAL_LIMITS': 'ip_burst=500'})
try:
    rows = P.registry_rows(srv, 5)
    citizen = P.Citizen(srv)

    # ---- before the portal account exists: a clear page, nothing done ----
    r = citizen.post(REQ, P.form_of(rows[0], email='a@example.it'))
    check('without the portal account the request page answers 503 in Italian',
          r.status == 503 and 'non è disponibile' in r.body.decode(), r)
    P.add_portal(srv)

    # ---- the form page ----
    c = P.Citizen(srv)
    r = c.get(REQ)
    h = r.headers
    page = P.Page(r.body.decode())
    check('the request page: 200, HTML, lang="it"', r.status == 200 and h['Content-Type'].startswith('text/html')
          and page.lang == 'it', r)
    check("... CSP default-src 'self', X-Frame-Options DENY, no-store, nosniff",
          "default-src 'self'" in h.get('Content-Security-Policy', '') and h.get('X-Frame-Options') == 'DENY'
          and h.get('Cache-Control') == 'no-store' and h.get('X-Content-Type-Options') == 'nosniff', h)
    cookie = h.get('Set-Cookie', '')
    check('... the CSRF cookie is HttpOnly, SameSite=Strict, not Secure over plain HTTP',
          cookie.startswith('sp_csrf=') and 'HttpOnly' in cookie and 'SameSite=Strict' in cookie
          and 'Secure' not in cookie, cookie)
    check('... every visible input has a label, ids are unique',
          all(i.get('type') == 'hidden' or page.labels.get(i.get('id'), '').strip() for i in page.inputs)
          and len(page.ids) == len(set(page.ids)), page.inputs)
    r2 = c.get(REQ)
    check('... a browser that has the cookie keeps it', 'Set-Cookie' not in r2.headers, r2.headers)
    check('the stylesheet is served as CSS', srv.request('GET', '/cittadino/stile.css').headers['Content-Type']
          .startswith('text/css'))
    r = srv.request('GET', '/cittadino/nessuna')
    check('an unknown page under /cittadino/ is a 404 page in Italian', r.status == 404
          and 'Pagina non trovata' in r.body.decode(), r)
    with socket.create_connection(('127.0.0.1', srv.port), timeout=10) as s:
        s.sendall(b'GET /cittadino HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
        answer = s.recv(400)
    check('"/cittadino" as typed leads to "/cittadino/"', answer.startswith(b'HTTP/1.1 308')
          and b'\r\nLocation: /cittadino/\r\n' in answer, answer)
    r = srv.request('PUT', '/cittadino/richiesta', raw=b'')
    check('a method the page does not take: 405 page with Allow', r.status == 405
          and 'text/html' in r.headers['Content-Type'] and r.headers.get('Allow') == 'GET, POST', r)
    r = srv.request('GET', '/cittadino/ambito')
    check('the scope page says what the ordinario and the dispositivo PIN open', r.status == 200
          and 'PIN ordinario' in r.body.decode() and 'PIN dispositivo' in r.body.decode(), r)

    text = r.body.decode()
    check('... and that no emergency window is open, the 2020 one ended on 31/07/2020',
          "si è chiuso il 31/07/2020" in text and 'Bonus baby-sitting' not in text, text)
    # From yesterday to the day after tomorrow (days in Europe/Rome): open now whatever the hour.
    since, until = (time.gmtime(time.time() + d * 86400) for d in (-1, 2))
    out = subprocess.run([C.CENTRAL, 'simplified', 'set', '--from', time.strftime('%Y-%m-%d', since),
                          '--until', time.strftime('%Y-%m-%d', until), '--database', srv.database],
                         capture_output=True, text=True)
    text = srv.request('GET', '/cittadino/ambito').body.decode()
    check('with a window open today the scope page lists its services and those needing the whole PIN',
          out.returncode == 0 and ('aperto un periodo di emergenza fino al %s' % time.strftime('%d/%m/%Y', until))
          in text
          and 'Bonus baby-sitting' in text and 'Registrazione al Libretto Famiglia' in text, (out.stderr, text))

    def requests_count():
        return int(srv.sql('SELECT COUNT(*) FROM pin_requests'))

    # ---- CSRF: forged posts are refused and record nothing ----
    before = requests_count()
    good = P.form_of(rows[0], email='a@example.it')
    nocookie = P.Citizen(srv)
    r = nocookie.post(REQ, good, token=c.token(REQ))
    check('a post without the cookie (another site) is refused: 403', r.status == 403
          and 'Il modulo non è stato accettato' in r.body.decode(), r)
    other = P.Citizen(srv)
    other.get(REQ)
    r = other.post(REQ, good, token=c.token(REQ))
    check("a token made for another browser's cookie is refused", r.status == 403, r)
    r = c.post(REQ, good, token=c.token('/cittadino/recupero'))
    check("the recovery form's token is refused on the request form", r.status == 403, r)
    t = c.token(REQ)
    r = c.post(REQ, good, token=t[:-3] + ('AAA' if not t.endswith('AAA') else 'BBB'))
    check('a tampered token is refused', r.status == 403, r)
    r = c.post(REQ, good, token=False)
    check('a post without a token is refused', r.status == 403, r)
    # A token of ours that only expired, made here as central makes it:
    # HMAC-SHA256, keyed with the BLAKE2b subkey "csrf" of the outbox key,
    # of cookie, form and time (checked first against a fresh token).
    subkey = hashlib.blake2b(b'csrf', key=open(srv.env['SP_CENTRAL_KEY_FILE'], 'rb').read(),
                             digest_size=32).digest()
    cookie_value = c.cookie.split('=', 1)[1]

    def token_at(made):
        mac = hmac.new(subkey, b'%s\0richiesta\0%d' % (cookie_value.encode(), made), 'sha256').digest()
        return '%d.%s' % (made, base64.urlsafe_b64encode(mac).decode().rstrip('='))

    fresh = c.token(REQ)
    check('(the test makes tokens as central does)', token_at(int(fresh.split('.')[0])) == fresh, fresh)
    old = token_at(int(time.time()) - 3 * 3600)
    r = c.post(REQ, good, token=old)
    text = r.body.decode()
    check('a token of ours that expired gives the form back, what was typed kept, nothing sent',
          r.status == 422 and 'aperta a lungo' in text and ('value="%s"' % good['street']) in text
          and 'id="error-summary"' in text, text[-2000:])
    check('... and none of them recorded a request', requests_count() == before)

    # ---- malformed bodies ----
    t = c.token(REQ)
    body = 'csrf=%s&cf=%s' % (t, rows[0]['cf'])
    r = c.post(REQ, {}, raw=('{"cf":"%s"}' % rows[0]['cf']).encode(), content_type='application/json')
    check('a JSON body on a form is refused: 415', r.status == 415 and 'text/html' in r.headers['Content-Type'], r)
    for name, raw in [('a field twice', body + '&cf=X'), ('a bad %-escape', body + '&name=%G1'),
                      ('a NUL byte', body + '&name=a%00b'), ('invalid UTF-8', body + '&name=%C3%28'),
                      ('a field without "="', body + '&name')]:
        r = c.post(REQ, {}, raw=raw.encode())
        check('%s: 400 page' % name, r.status == 400 and 'text/html' in r.headers['Content-Type'], r)
    r = c.post(REQ, {}, raw=('csrf=%s&surname=%s' % (t, 'a' * 9000)).encode())
    check('a body over 8 KiB: 413 page', r.status == 413 and 'troppo lungo' in r.body.decode(), r)
    with socket.create_connection(('127.0.0.1', srv.port), timeout=10) as s:
        s.sendall(b'POST /cittadino/richiesta HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded'
                  b'\r\nTransfer-Encoding: chunked\r\n\r\n')
        chunk = b'a' * 4096
        try:
            for _ in range(8):
                s.sendall(b'%x\r\n%s\r\n' % (len(chunk), chunk))
            s.sendall(b'0\r\n\r\n')
        except OSError:
            pass
        answer = s.recv(200)
    check('a chunked body over the limit: 413', answer.startswith(b'HTTP/1.1 413'), answer)
    check('... nothing recorded', requests_count() == before)

    # ---- errors tied to their fields; escaping ----
    r = c.post(REQ, {'cf': '', 'surname': '', 'name': '', 'birth_date': '', 'street': '', 'postcode': '',
                     'city': '', 'province': '', 'mobile': '', 'email': '', 'pec': ''})
    page = P.Page(r.body.decode())
    text = r.body.decode()
    missing = ['cf', 'surname', 'name', 'birth_date', 'street', 'city', 'mobile']
    check('an empty form: 422 with the summary first, focused on load', r.status == 422
          and 'id="error-summary"' in text and 'autofocus' in text.split('id="error-summary"')[1][:200]
          and text.index('error-summary') < text.index('<form'), r)
    check('... each missing field has its error tied with aria-describedby and aria-invalid',
          all(page.error_of(n) for n in missing) and all(page.error_of(n) is None
                                                          for n in ('postcode', 'province', 'email', 'pec')),
          [(n, page.field(n)) for n in missing])
    check('... the summary links each error to its field',
          all('<a href="#f-%s">' % n in text for n in missing), text)
    check('... the title says there is an error', '<title>Errore:' in text)
    evil = '"><script>alert(1)</script>'
    f = P.form_of(rows[1], email='a@example.it')
    f.update({'surname': evil, 'birth_date': '31/02/1980', 'postcode': '12'})
    r = c.post(REQ, f)
    text = r.body.decode()
    check('a <script> in a field comes back escaped, never as markup', r.status == 422 and '<script>' not in text
          and '&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;' in text, text[-3000:])
    check('... a wrong date and a short CAP are refused with their own message',
          'giorno/mese/anno' in text and 'Il CAP è di 5 cifre' in text, text)
    check('... what was typed is kept (nothing lost)', ('value="%s"' % rows[1]['street']) in text
          and 'value="a@example.it"' in text)

    f = P.form_of(rows[1], pec='p' * 200 + '@pec.example.it')
    r = c.post(REQ, f)
    check("a field only the API refuses (a PEC of 215 characters) is tied to its field too", r.status == 422
          and P.Page(r.body.decode()).error_of('pec') and 'Controlli questo campo' in r.body.decode(), r)

    # ---- the request through the API: delivered, queued, has-pin, not in the registry ----
    before = requests_count()
    r = c.post_no_follow(REQ, P.form_of(rows[0], email='paola@example.it'))
    check('a matching request answers 303 to its outcome (a reload sends nothing again)', r.status == 303
          and r.headers.get('Location') == '/cittadino/esito?esito=inviata-email', r)
    r = c.get(r.headers.get('Location', '/'))
    text = r.body.decode()
    check('... the outcome: "Richiesta inviata", the first half sent by e-mail', r.status == 200
          and 'Richiesta inviata' in text and 'per e-mail' in text, text[-2500:])
    check('... recorded as the online channel by the portal', srv.sql(
        "SELECT channel || ':' || status || ':' || created_by FROM pin_requests WHERE cf = '%s'" % rows[0]['cf'])
        == 'online:delivered:portal')
    check('... the page shows no PIN half and no contact', not re.search(r'\b[A-Z2-9]{4} ?[A-Z2-9]{4}\b',
                                                                         re.sub(r'<[^>]+>', ' ', text))
          and 'paola@example.it' not in text)
    r = c.post(REQ, P.form_of(rows[0], email='paola@example.it'))
    page = P.Page(r.body.decode())
    check('the same citizen again: the codice fiscale field says a PIN exists', r.status == 422
          and page.error_of('cf') and 'recupero' in r.body.decode(), r)
    f = P.form_of(rows[2], mobile='+39 333 1234567', email='m@example.it')
    f['street'] = 'Via Inesistente 999'
    r = c.post_no_follow(REQ, f)
    location = r.headers.get('Location')
    r = c.get(location or '/')
    check('an address the archive does not confirm: waiting for the Contact Center', location
          == '/cittadino/esito?esito=in-attesa' and 'Contact Center' in r.body.decode() and srv.sql(
              "SELECT status FROM pin_requests WHERE cf = '%s'" % rows[2]['cf']) == 'queued', r)
    f = P.form_of(rows[3], email='x@example.it')
    f['cf'] = 'MRTMTT25D09F205Z'
    r = c.post(REQ, f)
    check('a valid codice fiscale not in the registry: tied to the field', r.status == 422
          and P.Page(r.body.decode()).error_of('cf') and 'anagrafe' in r.body.decode(), r)
    check('... exactly the two accepted requests were recorded', requests_count() == before + 2)

    r = c.get('/cittadino/esito?esito=altro')
    check('an outcome page of no known kind is a 404 page', r.status == 404 and 'Pagina non trovata' in
          r.body.decode(), r)

    # ---- recovery ----
    rec = '/cittadino/recupero'
    P.Citizen(srv)
    r = c.post(REQ, P.form_of(rows[3], mobile='333 7654321', email='r@example.it'))
    check('a citizen with a mobile and an e-mail gets a PIN', r.status == 200 and 'Richiesta inviata' in
          r.body.decode() and 'per SMS' in r.body.decode(), r)
    old = srv.sql("SELECT id FROM issuances WHERE cf = '%s' AND status = 'active'" % rows[3]['cf'])
    r = c.post(rec, {'cf': rows[3]['cf'], 'contact': 'other@example.it'})
    check('recovery with a contact not registered: an error on the contact, nothing changed', r.status == 422
          and P.Page(r.body.decode()).error_of('contact') and srv.sql(
              "SELECT status FROM issuances WHERE id = '%s'" % old) == 'active', r)
    r = c.post(rec, {'cf': rows[0]['cf'], 'contact': 'paola@example.it'})
    check('recovery without two contacts says what is needed', r.status == 422
          and 'cellulare' in r.body.decode() and P.Page(r.body.decode()).error_of('contact'), r)
    r = c.post(rec, {'cf': rows[3]['cf'].lower(), 'contact': 'R@example.it'})
    check('recovery with a registered contact: the outcome page, the old PIN ends', r.status == 200
          and 'Nuovo PIN inviato' in r.body.decode() and srv.sql(
              "SELECT status FROM issuances WHERE id = '%s'" % old) == 'superseded', r)
    r = c.post(rec, {'cf': 'RSSMRA80A01H50', 'contact': ''})
    page = P.Page(r.body.decode())
    check('recovery: a bad codice fiscale and no contact, both tied', r.status == 422
          and page.error_of('cf') and page.error_of('contact'), r)

    # ---- first access: the initial PIN replaced by a personal one ----
    fa = '/cittadino/primo-accesso'
    row = rows[4]
    pin = P.counter_issue(srv, srv.login('demo'), row['cf'])
    r = c.get(fa)
    page = P.Page(r.body.decode())
    check('the first-access form asks for the PINs in password fields', r.status == 200
          and all(page.field(n).get('type') == 'password' for n in ('pin', 'new_pin', 'new_pin_again')), r)
    letters = re.sub(r'[^A-Z]', '', row['surname'].upper())
    name_pin = (letters + '23456789')[:8]

    def change(initial, new, again=None):
        return c.post(fa, {'cf': row['cf'], 'pin': initial, 'new_pin': new,
                           'new_pin_again': new if again is None else again})

    typed = []
    for label, args, field, words in [
            ('a wrong initial PIN', ('ABCDEFGHJKLMNPQR', 'K7M2P9X4'), 'pin', 'non sono corretti'),
            ('two different new PINs', (pin, 'K7M2P9X4', 'K7M2P9X5'), 'new_pin_again', 'non coincidono'),
            ('a new PIN of 7 characters', (pin, 'K7M2P9X'), 'new_pin', 'esattamente 8'),
            ('a new PIN with the surname', (pin, name_pin), 'new_pin', 'nome o cognome'),
            ('a new PIN from the codice fiscale', (pin, row['cf'][:8]), 'new_pin', 'codice fiscale')]:
        r = change(*args)
        text = r.body.decode()
        # The cf's first 8 are in the cf field, the surname in the registry: not secrets.
        secret = [v for v in args if len(v) >= 7 and v not in (row['cf'][:8], name_pin)]
        typed += secret
        check('first access, %s: tied to its field, with its reason' % label, r.status == 422
              and P.Page(text).error_of(field) and words in text, text[-2500:])
        check('... no PIN typed is written back', not any(v in text for v in secret))
    r = change(pin.lower(), 'k7m2p9x4')
    check('first access with the right initial PIN: "PIN personale attivo"', r.status == 200
          and 'PIN personale attivo' in r.body.decode() and 'k7m2p9x4' not in r.body.decode().lower(), r)
    portal = srv.login('portal', 'a long password')
    r = srv.request('POST', '/v1/auth/pin', {'cf': row['cf'], 'pin': 'K7M2P9X4'}, token=portal)
    check('... the personal PIN then authenticates at /v1/auth/pin', r.status == 200, r)
    r = change(pin, 'Q8W3E4R5')
    check('... and the initial PIN no longer changes anything', r.status == 422
          and P.Page(r.body.decode()).error_of('pin'), r)
    raw = srv.raw_database_bytes() + open(srv.log, 'rb').read()
    check('neither the initial nor the personal PIN is in the database or the log',
          all(v.encode() not in raw for v in [pin, 'K7M2P9X4', 'k7m2p9x4', 'Q8W3E4R5'] + typed))

    # ---- the same rate limits as the API: per codice fiscale ----
    flood = P.Citizen(srv)
    statuses = []
    for _ in range(14):
        f = P.form_of(rows[1], email='a@example.it')
        f['birth_date'] = 'x'      # refused by the page's checks: no Argon2id
        r = flood.post(REQ, f)
        statuses.append((r.status, r.headers.get('Retry-After')))
    limited = [s for s in statuses if s[0] == 429]
    check('a flood for one codice fiscale gets 429 pages with Retry-After', limited and all(s[1] for s in limited),
          statuses)
    check('the log names no PIN half', not re.search(r"[A-Z2-9]{4} [A-Z2-9]{4}", open(srv.log).read()))
finally:
    srv.cleanup()

# ---- over TLS the cookie is Secure ----
tmp = tempfile.mkdtemp(prefix='sp-tls-')
cert, key = os.path.join(tmp, 'c.pem'), os.path.join(tmp, 'k.pem')
subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
                '-days', '2', '-subj', '/CN=127.0.0.1'], check=True, capture_output=True)
srv = C.Central(citizens=0, args=['--tls-cert', cert, '--tls-key', key])
try:
    out = subprocess.run(['curl', '-sk', '-D', '-', '-o', '/dev/null', srv.url + REQ], capture_output=True,
                         text=True, timeout=30).stdout
    check('over TLS the CSRF cookie is also Secure', re.search(r'(?im)^set-cookie: sp_csrf=.*; Secure', out), out)
finally:
    srv.cleanup()
    subprocess.run(['rm', '-rf', tmp])

sys.exit(tap.finish())
