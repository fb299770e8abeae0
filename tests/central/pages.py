# SPDX-License-Identifier: GPL-3.0-or-later
"""A citizen's browser without the browser, for the tests of central's
pages (/cittadino/): it keeps the CSRF cookie, reads a form's token and
posts forms, as a browser does."""
import html.parser
import http.client
import re
import subprocess
import urllib.parse

import central as C


def add_portal(srv, username='portal'):
    """The portal account the pages act as (central looks it up by name)."""
    subprocess.run([C.CENTRAL, 'operator', 'add', username, '--name', 'Portale', '--role', 'portal', '--sede', 'WEB',
                    '--database', srv.database], input='a long password\n', text=True, check=True,
                   capture_output=True)


def registry_rows(srv, n, where='street IS NOT NULL'):
    """n citizens of the demo registry with a residence, as dicts."""
    keys = ['cf', 'surname', 'name', 'birth_date', 'street', 'postcode', 'city', 'province']
    out = srv.sql('SELECT %s FROM citizens WHERE %s ORDER BY cf LIMIT %d' % (', '.join(keys), where, n))
    return [dict(zip(keys, line.split('|'))) for line in out.split('\n') if line]


def form_of(row, **contacts):
    """The request form's fields for a registry row (birth date typed the Italian way)."""
    y, m, d = row['birth_date'].split('-')
    fields = {k: row[k] for k in ('cf', 'surname', 'name', 'street', 'postcode', 'city', 'province')}
    fields['birth_date'] = '%s/%s/%s' % (d, m, y)
    fields.update({'mobile': '', 'email': '', 'pec': ''})
    fields.update(contacts)
    return fields


class Citizen:
    def __init__(self, srv):
        self.srv = srv
        self.cookie = None

    def get(self, path):
        r = self.srv.request('GET', path, headers=self._cookie_header())
        set_cookie = r.headers.get('Set-Cookie')
        if set_cookie:
            self.cookie = set_cookie.split(';')[0]
        return r

    def token(self, path):
        r = self.get(path)
        m = re.search(r'name="csrf" value="([^"]+)"', r.body.decode())
        return m.group(1) if m else None

    def post(self, path, fields, token=True, raw=None, content_type='application/x-www-form-urlencoded'):
        fields = dict(fields)
        if token is True:
            fields['csrf'] = self.token(path)
        elif token:
            fields['csrf'] = token
        body = raw if raw is not None else urllib.parse.urlencode(fields).encode()
        headers = dict(self._cookie_header(), **{'Content-Type': content_type})
        return self.srv.request('POST', path, raw=body, headers=headers)

    def post_no_follow(self, path, fields):
        """The POST's own answer (a 303 is not followed)."""
        body = urllib.parse.urlencode(dict(fields, csrf=self.token(path))).encode()
        conn = http.client.HTTPConnection('127.0.0.1', self.srv.port, timeout=30)
        try:
            conn.request('POST', path, body, dict(self._cookie_header(),
                                                  **{'Content-Type': 'application/x-www-form-urlencoded'}))
            r = conn.getresponse()
            return C.Response(r.status, dict(r.getheaders()), r.read())
        finally:
            conn.close()

    def _cookie_header(self):
        return {'Cookie': self.cookie} if self.cookie else {}


class Page(html.parser.HTMLParser):
    """The parts of a page the tests look at."""

    def __init__(self, text):
        super().__init__()
        self.inputs, self.labels, self.ids, self.text = [], {}, [], []
        self.lang = None
        self._label = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if 'id' in a:
            self.ids.append(a['id'])
        if tag == 'html':
            self.lang = a.get('lang')
        if tag == 'input':
            self.inputs.append(a)
        if tag == 'label':
            self._label = a.get('for')
            self.labels[self._label] = ''

    def handle_endtag(self, tag):
        if tag == 'label':
            self._label = None

    def handle_data(self, data):
        self.text.append(data)
        if self._label is not None:
            self.labels[self._label] += data

    def field(self, name):
        return next((i for i in self.inputs if i.get('name') == name), None)

    def error_of(self, name):
        """The error text tied to the control of name, or None."""
        i = self.field(name)
        if not i or i.get('aria-invalid') != 'true':
            return None
        return 'f-%s-error' % name if 'f-%s-error' % name in (i.get('aria-describedby') or '').split() else None


def counter_issue(srv, token, cf):
    """A counter issuance for cf (its initial 16-character PIN, returned)."""
    surname, name, sex, birth_date, birth_place = srv.sql(
        "SELECT surname, name, sex, birth_date, birth_place FROM citizens WHERE cf = '%s'" % cf).split('|')
    pin, verifier = C.new_pin()
    body = C.issuance(cf, C.person(cf=cf, surname=surname, name=name, sex=sex, birth_date=birth_date,
                                   birth_place=birth_place), verifier)
    r = srv.request('POST', '/v1/issuances', body, token=token, headers={'Idempotency-Key': body['id']})
    assert r.status == 201, r
    return pin
