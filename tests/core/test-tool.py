#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""sportello-tool cf check / mrz parse: JSON fields and exit codes (TAP)."""
import json
import os
import subprocess
import sys

TOOL = os.path.join(os.environ['SP_BUILD_ROOT'], 'src', 'tool', 'sportello-tool')
TD3 = ('P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n'
       'L898902C36UTO7408122F1204159ZE184226B<<<<<10\n')
results = []


def run(*args, stdin=None):
    p = subprocess.run([TOOL, *args], input=stdin, capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout, p.stderr


def check(name, condition, detail=''):
    results.append((name, bool(condition), detail))


rc, out, _ = run('cf', 'check', ' mrtmtt25d09f205z', '--surname', 'Moretti', '--name', 'Matteo',
                 '--sex', 'M', '--birth-date', '1925-04-09', '--birth-place', 'F205', '--json')
j = json.loads(out)
check('cf valid and consistent exits 0', rc == 0, out)
check('cf json fields', j['valid'] and not j['provisional'] and j['normalized'] == 'MRTMTT25D09F205Z'
      and j['omocodia_level'] == 0 and j['birth_date'] == '1925-04-09' and j['sex'] == 'M'
      and j['birth_place'] == {'code': 'F205', 'name': 'Milano', 'province': 'MI'}
      and j['errors'] == [] and j['mismatches'] == [], out)

rc, out, _ = run('cf', 'check', 'MRTMTT25D09F205Z', '--surname', 'Rossi', '--json')
j = json.loads(out)
check('cf mismatch exits 1', rc == 1)
check('cf mismatch listed', j['valid'] and j['mismatches'] == [{'field': 'surname', 'expected': 'RSS', 'found': 'MRT'}], out)

rc, out, _ = run('cf', 'check', 'MRTMTT25D09F205A', '--json')
j = json.loads(out)
check('cf bad check character exits 1 with its code', rc == 1 and not j['valid']
      and [e['code'] for e in j['errors']] == ['check_character'], out)

rc, out, _ = run('cf', 'check', 'SMTJHN85L14Z404', '--json')
check('cf short code: length error', rc == 1 and json.loads(out)['errors'][0]['code'] == 'length', out)

rc, out, _ = run('cf', 'check', '80078750587', '--json')
j = json.loads(out)
check('cf provisional', rc == 0 and j['provisional'] and j['birth_place'] is None, out)

rc, out, err = run('cf', 'check', 'MRTMTT25D09F205Z', '--sex', 'X')
check('cf usage error exits 2', rc == 2, err)
rc, out, err = run('cf', 'verify')
check('cf unknown subcommand exits 2', rc == 2, err)

rc, out, _ = run('cf', 'check', 'MRTMTT25D09F205Z')
check('cf human sentence', rc == 0 and 'MRTMTT25D09F205Z' in out and 'Milano' in out, out)

rc, out, _ = run('mrz', 'parse', '--json', stdin=TD3)
j = json.loads(out)
check('mrz TD3 valid exits 0', rc == 0 and j['valid'], out)
check('mrz TD3 fields', j['format'] == 'TD3' and j['document_number'] == 'L898902C3'
      and j['surname'] == 'ERIKSSON' and j['given_names'] == 'ANNA MARIA'
      and j['birth_date'] == '1974-08-12' and j['expiry_date'] == '2012-04-15'
      and j['sex'] == 'F' and j['nationality'] == 'UTO' and j['issuing_state'] == 'UTO'
      and j['document_code'] == 'P' and j['optional_data'] == 'ZE184226B'
      and set(j['checks']) == {'document_number', 'birth_date', 'expiry_date', 'personal_number', 'composite'}, out)

rc, out, _ = run('mrz', 'parse', '--json', stdin=TD3.replace('7408122F', '7408132F'))
j = json.loads(out)
check('mrz altered birth date exits 1', rc == 1 and not j['valid'] and not j['checks']['birth_date']
      and j['checks']['document_number'], out)

td1 = 'I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nDE<LUCA<<ANNA<MARIA<<<<<<<<<<<\n'
rc, out, _ = run('mrz', 'parse', '--json', stdin=td1)
j = json.loads(out)
check('mrz TD1 names: DE<LUCA becomes DE LUCA', j['format'] == 'TD1' and j['surname'] == 'DE LUCA'
      and 'personal_number' not in j['checks'], out)

rc, out, err = run('mrz', 'parse', stdin='not an mrz\n')
check('mrz unreadable exits 2', rc == 2 and 'MRZ' in err, err)

print('1..%d' % len(results))
for i, (name, ok, detail) in enumerate(results, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
    if not ok:
        for line in str(detail).splitlines()[:20]:
            print('#   ' + line)
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
