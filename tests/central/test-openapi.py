#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Real answers of every endpoint checked against data/openapi.yaml:
status, content type and body schema (JSON Schema 2020-12) (TAP)."""
import copy
import hashlib
import os
import re
import subprocess
import sys
import uuid

import jsonschema
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'ui'))
import central as C  # noqa: E402
from spui import Tap  # noqa: E402

SPEC = yaml.safe_load(open(os.path.join(os.environ['SP_SOURCE_ROOT'], 'data', 'openapi.yaml')))
tap = Tap()


def schema_of(path, method, status):
    op = SPEC['paths'][path][method]
    resp = op['responses'].get(str(status))
    if resp is None:
        return None, None
    if '$ref' in resp:
        resp = SPEC['components']['responses'][resp['$ref'].rsplit('/', 1)[1]]
    content = resp.get('content')
    if not content:
        return 'none', None
    media, body = next(iter(content.items()))
    return media, body['schema']


def validate(instance, schema):
    full = dict(schema)
    full['$defs'] = {}
    resolver = jsonschema.RefResolver.from_schema(SPEC)
    jsonschema.Draft202012Validator(schema, resolver=resolver,
                                    format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).validate(instance)


def conforms(name, r, path, method):
    expected = re.search(r'\b([1-5]\d\d)\b', name)
    if expected and int(expected.group(1)) != r.status:
        return tap.check(name, False, 'expected status %s, got %r' % (expected.group(1), r))
    media, schema = schema_of(path, method, r.status)
    if media is None:
        return tap.check(name, False, 'status %d not documented for %s %s: %r' % (r.status, method, path, r))
    if media == 'none':
        return tap.check(name, not r.body, r)
    ctype = r.headers.get('Content-Type', '').split(';')[0]
    try:
        validate(r.json(), schema)
        ok, detail = ctype == media, 'content type %s, spec %s' % (ctype, media)
    except jsonschema.ValidationError as e:
        ok, detail = False, '%s\n%r' % (e.message, r)
    return tap.check(name, ok and r.headers.get('Cache-Control') == 'no-store', detail)


# The per-address limit is raised: this test walks every route from one address, and the
# per-account limit it checks below stays at its default.
srv = C.Central(citizens=20, env={'SP_CENTRAL_LIMITS': 'ip_burst=100000,ip_rate=100000'})
try:
    routes_c = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'src', 'central',
                                 'sp-central-routes.c')).read()
    routes = set(re.findall(r'\{ "(?:GET|POST|PUT|DELETE)", +"(/v1/[^"]*)"', routes_c))
    tap.check('the spec is OpenAPI 3.1 and lists exactly the paths of the route table',
              SPEC['openapi'].startswith('3.1') and set(SPEC['paths']) == routes,
              set(SPEC['paths']) ^ routes)
    # Every example of the spec, request or answer, is valid against its
    # own schema: the examples are what integrators copy.
    bad_examples, n_examples = [], 0
    for path, ops in SPEC['paths'].items():
        for method, op in ops.items():
            bodies = [('request', op.get('requestBody', {}))] + list(op.get('responses', {}).items())
            for where, part in bodies:
                for media, content in (part.get('content') or {}).items():
                    if 'schema' not in content or media == 'application/pdf':
                        continue
                    examples = [('example', content['example'])] if 'example' in content else []
                    examples += [(k, v['value']) for k, v in (content.get('examples') or {}).items()]
                    for name, value in examples:
                        n_examples += 1
                        try:
                            validate(value, content['schema'])
                        except jsonschema.ValidationError as e:
                            bad_examples.append('%s %s %s %s: %s' % (method, path, where, name, e.message))
    tap.check('every example in the spec (%d) is valid against its schema' % n_examples,
              n_examples >= 30 and not bad_examples, bad_examples)
    example = SPEC['paths']['/v1/issuances']['post']['requestBody']['content']['application/json']['examples']['adult']['value']
    try:
        validate(example, SPEC['components']['schemas']['Issuance'])
        tap.check('the example issuance is valid against its schema', True)
    except jsonschema.ValidationError as e:
        tap.check('the example issuance is valid against its schema', False, e.message)

    conforms('GET /v1/status 200', srv.request('GET', '/v1/status'), '/v1/status', 'get')
    r = srv.request('POST', '/v1/sessions', {'username': 'demo', 'password': 'demo', 'workstation': 'w'})
    conforms('POST /v1/sessions 201', r, '/v1/sessions', 'post')
    token = r.json()['token']
    sup = srv.login('super')
    conforms('POST /v1/sessions 401', srv.request('POST', '/v1/sessions', {'username': 'demo', 'password': 'x'}),
             '/v1/sessions', 'post')
    conforms('POST /v1/sessions 400', srv.request('POST', '/v1/sessions', {'username': 1}), '/v1/sessions', 'post')
    cf = srv.sql('SELECT cf FROM citizens LIMIT 1')
    conforms('GET /v1/citizens/{cf} 200', srv.request('GET', '/v1/citizens/' + cf, token=token),
             '/v1/citizens/{cf}', 'get')
    conforms('GET /v1/citizens/{cf} 422', srv.request('GET', '/v1/citizens/XXXXXX00X00X000X', token=token),
             '/v1/citizens/{cf}', 'get')
    conforms('GET /v1/citizens/{cf} 401', srv.request('GET', '/v1/citizens/' + cf), '/v1/citizens/{cf}', 'get')
    search = SPEC['paths']['/v1/citizens']['get']
    try:
        validate(search['responses']['200']['content']['application/json']['examples']['esposito']['value'],
                 search['responses']['200']['content']['application/json']['schema'])
        tap.check('the example search answer is valid against its schema', True)
    except jsonschema.ValidationError as e:
        tap.check('the example search answer is valid against its schema', False, e.message)
    surname = srv.sql('SELECT surname FROM citizens LIMIT 1')
    r = srv.request('GET', '/v1/citizens?surname=%s&limit=50' % surname[:3], token=token)
    tap.check('GET /v1/citizens finds the registry surname', r.status == 200 and len(r.json()['items']) >= 1, r)
    conforms('GET /v1/citizens 200', r, '/v1/citizens', 'get')
    conforms('GET /v1/citizens 400', srv.request('GET', '/v1/citizens?surname=x', token=token),
             '/v1/citizens', 'get')
    conforms('GET /v1/citizens 401', srv.request('GET', '/v1/citizens?surname=rossi'), '/v1/citizens', 'get')

    body = copy.deepcopy(example)
    pdf = b'%PDF-1.4\n%%EOF\n'
    body['attachments'] = [{'kind': 'mv35', 'sha256': __import__('hashlib').sha256(pdf).hexdigest(), 'size': len(pdf)}]
    r = srv.request('POST', '/v1/issuances', body, token=token, headers={'Idempotency-Key': body['id']})
    conforms('POST /v1/issuances 201 (the spec example itself)', r, '/v1/issuances', 'post')
    conforms('POST /v1/issuances 400', srv.request('POST', '/v1/issuances', body, token=token),
             '/v1/issuances', 'post')
    changed = dict(body, workstation='x')
    conforms('POST /v1/issuances 422', srv.request('POST', '/v1/issuances', changed, token=token,
                                                   headers={'Idempotency-Key': body['id']}), '/v1/issuances', 'post')
    conforms('GET /v1/citizens/{cf} 200 with an active PIN',
             srv.request('GET', '/v1/citizens/' + body['cf'], token=token), '/v1/citizens/{cf}', 'get')
    r = srv.request('PUT', '/v1/issuances/%s/attachments/mv35' % body['id'], raw=pdf, token=token,
                    headers={'Content-Type': 'application/pdf', 'Content-Digest': C.content_digest(pdf)})
    conforms('PUT attachments 201', r, '/v1/issuances/{id}/attachments/{kind}', 'put')
    r = srv.request('PUT', '/v1/issuances/%s/attachments/mv35' % body['id'], raw=pdf, token=token,
                    headers={'Content-Type': 'application/pdf', 'Content-Digest': C.content_digest(b'x')})
    conforms('PUT attachments 400', r, '/v1/issuances/{id}/attachments/{kind}', 'put')
    r = srv.request('PUT', '/v1/issuances/%s/attachments/mv35' % body['id'], raw=pdf, token=token,
                    headers={'Content-Type': 'application/pdf', 'Content-Digest': C.content_digest(pdf)})
    conforms('PUT attachments 200 (the same scan again)', r, '/v1/issuances/{id}/attachments/{kind}', 'put')
    other = b'%PDF-1.4\n%other\n%%EOF\n'
    r = srv.request('PUT', '/v1/issuances/%s/attachments/mv35' % body['id'], raw=other, token=token,
                    headers={'Content-Type': 'application/pdf', 'Content-Digest': C.content_digest(other)})
    conforms('PUT attachments 422 (not the declared scan)', r, '/v1/issuances/{id}/attachments/{kind}', 'put')
    conforms('GET /v1/issuances/{id} 200', srv.request('GET', '/v1/issuances/' + body['id'], token=token),
             '/v1/issuances/{id}', 'get')
    conforms('GET /v1/issuances/{id} 404', srv.request('GET', '/v1/issuances/' + str(uuid.uuid4()), token=token),
             '/v1/issuances/{id}', 'get')
    conforms('GET /v1/changes 200', srv.request('GET', '/v1/changes?limit=10', token=token), '/v1/changes', 'get')
    conforms('GET /v1/changes 400', srv.request('GET', '/v1/changes?limit=x', token=token), '/v1/changes', 'get')
    conforms('POST /v1/auth/pin 401', srv.request('POST', '/v1/auth/pin', {'cf': body['cf'], 'pin': 'A' * 16},
                                                  token=token), '/v1/auth/pin', 'post')
    pin, verifier = C.new_pin()
    second = C.issuance(body['cf'], body['citizen'], verifier)
    srv.request('POST', '/v1/issuances', second, token=token, headers={'Idempotency-Key': second['id']})
    conforms('POST /v1/auth/pin 403 (change required)', srv.request('POST', '/v1/auth/pin',
                                                                     {'cf': body['cf'], 'pin': pin},
                                                                     token=token), '/v1/auth/pin', 'post')
    for _ in range(5):
        srv.request('POST', '/v1/auth/pin', {'cf': cf, 'pin': 'B' * 16}, token=token)
    conforms('POST /v1/auth/pin 423', srv.request('POST', '/v1/auth/pin', {'cf': cf, 'pin': 'B' * 16},
                                                  token=token), '/v1/auth/pin', 'post')
    conforms('GET /v1/register 200', srv.request('GET', '/v1/register?date=' + second['issued_at'][:10],
                                                 token=token), '/v1/register', 'get')
    conforms('GET /v1/register 400', srv.request('GET', '/v1/register', token=token), '/v1/register', 'get')
    conforms('POST void 200', srv.request('POST', '/v1/issuances/%s/void' % second['id'], {'reason': 'jam'},
                                          token=token), '/v1/issuances/{id}/void', 'post')
    conforms('POST void 409', srv.request('POST', '/v1/issuances/%s/void' % body['id'], {'reason': 'jam'},
                                          token=token), '/v1/issuances/{id}/void', 'post')
    third = C.issuance(body['cf'], body['citizen'], verifier)
    srv.request('POST', '/v1/issuances', third, token=token, headers={'Idempotency-Key': third['id']})
    path = '/v1/citizens/{cf}/revocation-requests'
    r = srv.request('POST', '/v1/citizens/%s/revocation-requests' % body['cf'], {'reason': 'lost'}, token=token)
    conforms('POST revocation-requests 201', r, path, 'post')
    rid = r.json()['id']
    conforms('POST revocation-requests 404', srv.request('POST', '/v1/citizens/%s/revocation-requests' % cf,
                                                         {'reason': 'x'}, token=token), path, 'post')
    conforms('GET revocation-requests 200', srv.request('GET', '/v1/revocation-requests?status=pending', token=sup),
             '/v1/revocation-requests', 'get')
    conforms('GET revocation-requests 403', srv.request('GET', '/v1/revocation-requests', token=token),
             '/v1/revocation-requests', 'get')
    approval = '/v1/revocation-requests/{id}/approval'
    conforms('POST approval 403', srv.request('POST', '/v1/revocation-requests/%s/approval' % rid, {}, token=token),
             approval, 'post')
    conforms('POST approval 200', srv.request('POST', '/v1/revocation-requests/%s/approval' % rid, {}, token=sup),
             approval, 'post')
    conforms('POST approval 409', srv.request('POST', '/v1/revocation-requests/%s/approval' % rid, {}, token=sup),
             approval, 'post')
    conforms('POST approval 404', srv.request('POST', '/v1/revocation-requests/%s/approval' % uuid.uuid4(), {},
                                              token=sup), approval, 'post')
    fourth = C.issuance(body['cf'], body['citizen'], verifier)
    srv.request('POST', '/v1/issuances', fourth, token=token, headers={'Idempotency-Key': fourth['id']})
    rid = srv.request('POST', '/v1/citizens/%s/revocation-requests' % body['cf'], {'reason': 'x'},
                      token=token).json()['id']
    conforms('POST rejection 200', srv.request('POST', '/v1/revocation-requests/%s/rejection' % rid,
                                               {'reason': 'not the citizen'}, token=sup),
             '/v1/revocation-requests/{id}/rejection', 'post')
    conforms('POST pin-unlock 204', srv.request('POST', '/v1/citizens/%s/pin-unlock' % cf,
                                                {'attested_in_person': True}, token=token),
             '/v1/citizens/{cf}/pin-unlock', 'post')
    conforms('DELETE /v1/sessions/current 204', srv.request('DELETE', '/v1/sessions/current', token=token),
             '/v1/sessions/current', 'delete')

    # ---- issue 16: PIN requests and recovery ----
    for user, role in (('portal', 'portal'), ('cc', 'contact_center')):
        subprocess.run([C.CENTRAL, 'operator', 'add', user, '--name', user, '--role', role, '--sede', 'WEB',
                        '--database', srv.database], input='a long password\n', text=True, check=True,
                       capture_output=True)
    portal = srv.login('portal', 'a long password')
    cc = srv.login('cc', 'a long password')
    row = srv.sql("SELECT cf, surname, name, birth_date, street, postcode, city, province FROM citizens"
                  " WHERE street IS NOT NULL AND cf NOT IN (SELECT cf FROM issuances) ORDER BY cf LIMIT 2").split('\n')
    people = [x.split('|') for x in row]

    def pin_request(p, street=None, contacts=None):
        return {'cf': p[0], 'surname': p[1], 'name': p[2], 'birth_date': p[3],
                'residence': {'street': street or p[4], 'postcode': p[5], 'city': p[6], 'province': p[7]},
                'contacts': contacts or {'mobile': '+39 333 1', 'email': 'a@example.it'}}
    conforms('POST /v1/pin-requests 201', srv.request('POST', '/v1/pin-requests', pin_request(people[0]),
                                                      token=portal), '/v1/pin-requests', 'post')
    r = srv.request('POST', '/v1/pin-requests', pin_request(people[1], street='Via Altra 1'), token=cc)
    conforms('POST /v1/pin-requests 202', r, '/v1/pin-requests', 'post')
    conforms('GET /v1/pin-requests 200', srv.request('GET', '/v1/pin-requests', token=cc), '/v1/pin-requests', 'get')
    conforms('POST /v1/pin-requests/{id}/rejection 200',
             srv.request('POST', '/v1/pin-requests/%s/rejection' % r.json()['id'], {'reason': 'no'}, token=cc),
             '/v1/pin-requests/{id}/rejection', 'post')
    conforms('POST /v1/pin-requests/{id}/validation 409',
             srv.request('POST', '/v1/pin-requests/%s/validation' % r.json()['id'], {}, token=cc),
             '/v1/pin-requests/{id}/validation', 'post')
    conforms('POST /v1/pin-recovery 201', srv.request('POST', '/v1/pin-recovery',
                                                      {'cf': people[0][0], 'contact': 'a@example.it'}, token=portal),
             '/v1/pin-recovery', 'post')
    # ---- conversion and the R12 lists ----
    token = srv.login()
    conv_pin = srv.sql("SELECT id FROM issuances WHERE cf = '%s' AND status = 'active'" % people[0][0])
    scan = b'%PDF-1.4\n%scan\n%%EOF\n'
    act = {'id': str(uuid.uuid4()), 'issuance_id': conv_pin, 'attested_in_person': True,
           'document': {'type': 'cie', 'number': 'CA12345AB'},
           'attachments': [{'kind': 'mv35', 'sha256': hashlib.sha256(scan).hexdigest(), 'size': len(scan)}]}
    example = SPEC['paths']['/v1/citizens/{cf}/conversion']['post']['requestBody']['content']['application/json']
    try:
        validate(example['examples']['in-person']['value'], SPEC['components']['schemas']['ConversionBody'])
        tap.check('the example conversion is valid against its schema', True)
    except jsonschema.ValidationError as e:
        tap.check('the example conversion is valid against its schema', False, e.message)
    conforms('POST conversion 422', srv.request('POST', '/v1/citizens/%s/conversion' % people[0][0],
                                                dict(act, attested_in_person=False), token=token),
             '/v1/citizens/{cf}/conversion', 'post')
    conforms('POST conversion 201', srv.request('POST', '/v1/citizens/%s/conversion' % people[0][0], act,
                                                token=token), '/v1/citizens/{cf}/conversion', 'post')
    conforms('POST conversion 200 (replay)', srv.request('POST', '/v1/citizens/%s/conversion' % people[0][0], act,
                                                         token=token), '/v1/citizens/{cf}/conversion', 'post')
    conforms('POST conversion 403', srv.request('POST', '/v1/citizens/%s/conversion' % people[0][0], act,
                                                token=cc), '/v1/citizens/{cf}/conversion', 'post')
    conforms('PUT conversion scan 201', srv.request('PUT', '/v1/conversions/%s/attachments/mv35' % act['id'],
                                                    raw=scan, token=token,
                                                    headers={'Content-Type': 'application/pdf',
                                                             'Content-Digest': C.content_digest(scan)}),
             '/v1/conversions/{id}/attachments/{kind}', 'put')
    conforms('PUT conversion scan 422', srv.request('PUT', '/v1/conversions/%s/attachments/document_back' % act['id'],
                                                    raw=scan, token=token,
                                                    headers={'Content-Type': 'application/pdf',
                                                             'Content-Digest': C.content_digest(scan)}),
             '/v1/conversions/{id}/attachments/{kind}', 'put')
    third = srv.sql("SELECT cf, surname, name, birth_date, street, postcode, city, province FROM citizens"
                    " WHERE street IS NOT NULL AND cf NOT IN (SELECT cf FROM issuances)"
                    " AND cf NOT IN (SELECT cf FROM pin_requests) ORDER BY cf LIMIT 1").split('|')
    srv.request('POST', '/v1/pin-requests', pin_request(third, street='Via Altra 1'), token=portal)
    r = srv.request('GET', '/v1/citizens/' + third[0], token=token)
    conforms('GET /v1/citizens/{cf} 200 with a pending request', r, '/v1/citizens/{cf}', 'get')
    tap.check('... listed', r.status == 200 and len(r.json()['credentials']['pending_requests']) == 1, r)

    # ---- first access ----
    fa_cf = srv.sql("SELECT cf FROM citizens WHERE cf NOT IN (SELECT cf FROM issuances) ORDER BY cf DESC LIMIT 1")
    fa_pin, fa_verifier = C.new_pin()
    fa = C.issuance(fa_cf, C.person(cf=fa_cf), fa_verifier)
    srv.request('POST', '/v1/issuances', fa, token=token, headers={'Idempotency-Key': fa['id']})
    conforms('POST /v1/auth/pin/change 422', srv.request('POST', '/v1/auth/pin/change',
                                                         {'cf': fa_cf, 'pin': fa_pin, 'new_pin': 'short'},
                                                         token=portal), '/v1/auth/pin/change', 'post')
    conforms('POST /v1/auth/pin/change 401', srv.request('POST', '/v1/auth/pin/change',
                                                         {'cf': fa_cf, 'pin': 'A' * 16, 'new_pin': 'Qz7kW3p9'},
                                                         token=portal), '/v1/auth/pin/change', 'post')
    conforms('POST /v1/auth/pin/change 403', srv.request('POST', '/v1/auth/pin/change',
                                                         {'cf': fa_cf, 'pin': fa_pin, 'new_pin': 'Qz7kW3p9'},
                                                         token=cc), '/v1/auth/pin/change', 'post')
    conforms('POST /v1/auth/pin/change 200', srv.request('POST', '/v1/auth/pin/change',
                                                         {'cf': fa_cf, 'pin': fa_pin, 'new_pin': 'Qz7kW3p9'},
                                                         token=portal), '/v1/auth/pin/change', 'post')
    conforms('POST /v1/auth/pin/change 409', srv.request('POST', '/v1/auth/pin/change',
                                                         {'cf': fa_cf, 'pin': 'Qz7kW3p9', 'new_pin': 'Qz7kW3p8'},
                                                         token=portal), '/v1/auth/pin/change', 'post')
    conforms('POST /v1/auth/pin 200 (personal PIN)', srv.request('POST', '/v1/auth/pin',
                                                                 {'cf': fa_cf, 'pin': 'Qz7kW3p9'}, token=portal),
             '/v1/auth/pin', 'post')
    example = SPEC['paths']['/v1/pin-requests']['post']['requestBody']['content']['application/json']
    try:
        validate(example['examples']['online']['value'], SPEC['components']['schemas']['PinRequestBody'])
        tap.check('the example PIN request is valid against its schema', True)
    except jsonschema.ValidationError as e:
        tap.check('the example PIN request is valid against its schema', False, e.message)

    # ---- the transport's answers (described in info.description) ----
    r = srv.request('DELETE', '/v1/status')
    try:
        validate(r.json(), SPEC['components']['schemas']['Problem'])
        valid = True
    except jsonschema.ValidationError:
        valid = False
    tap.check('a known path with another method: 405 problem with Allow, as described',
              r.status == 405 and valid and r.headers.get('Allow') == 'GET'
              and '405' in SPEC['info']['description'], r)
    conforms('POST /v1/sessions 413', srv.request('POST', '/v1/sessions', raw=b'{"a":"' + b'x' * 300000 + b'"}'),
             '/v1/sessions', 'post')
    conforms('POST /v1/auth/pin 400 (strict JSON)', srv.request('POST', '/v1/auth/pin', raw=b'{"cf":1,"cf":2}',
                                                                 token=sup), '/v1/auth/pin', 'post')
    statuses = [srv.request('POST', '/v1/sessions', {'username': 'guessed', 'password': 'x' * 8})
                for _ in range(12)]
    r = statuses[-1]
    conforms('POST /v1/sessions 429 (one account guessed too often)', r, '/v1/sessions', 'post')
    tap.check('... with Retry-After', r.status == 429 and int(r.headers.get('Retry-After', 0)) >= 1, r)
finally:
    srv.cleanup()
sys.exit(tap.finish())
