#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Regenerates data/screenshots/: the counter at each step of a request,
in light, dark and light with text at 200 % ("large"), in Italian,
against a local central, cupsd and the SANE test backend. Run by hand:
build-aux/dev screenshots."""
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import counter  # noqa: E402
from counter import Counter  # noqa: E402
import polib  # noqa: E402
import pyatspi  # noqa: E402
import spui  # noqa: E402

# The helpers name widgets in English: look them up by their Italian text.
_IT = {e.msgid.replace('_', ''): e.msgstr.replace('_', '')
       for e in polib.pofile(os.path.join(os.environ['SP_SOURCE_ROOT'], 'po', 'it.po'))
       if e.msgstr and not e.msgid_plural}
_matches = counter.matches
counter.matches = lambda accessible, name: _matches(accessible, _IT.get(name, name))

OUT = os.path.join(os.environ['SP_SOURCE_ROOT'], 'data', 'screenshots')


def shot(c, name, scheme):
    time.sleep(0.8)
    wid = subprocess.run(['xdotool', 'search', '--onlyvisible', '--name', '^Sportello PIN$'],
                         capture_output=True, text=True).stdout.split()[0]
    subprocess.run(['import', '-window', wid, os.path.join(OUT, '%s-%s.png' % (name, scheme))], check=True)


def large_text_config():
    """An XDG_CONFIG_HOME whose GTK settings double GTK's default font
    (Sans 10): text at 200 %, as tests/ui/test-look.py checks it."""
    config = tempfile.mkdtemp(prefix='sp-shots-')
    os.makedirs(os.path.join(config, 'gtk-4.0'))
    with open(os.path.join(config, 'gtk-4.0', 'settings.ini'), 'w') as f:
        f.write('[Settings]\ngtk-font-name=Sans 20\n')
    return config


def walk(c, scheme):
    env = {'ADW_DEBUG_COLOR_SCHEME': 'prefer-%s' % ('light' if scheme == 'large' else scheme),
           'LANGUAGE': 'it', 'SP_LOCALEDIR': os.path.join(os.environ['SP_BUILD_ROOT'], 'po')}
    if scheme == 'large':
        env['XDG_CONFIG_HOME'] = large_text_config()
    cf = c.central.sql("SELECT cf FROM citizens WHERE source = 'demo' AND birth_date < '1990-01-01' "
                       "AND cf NOT IN (SELECT cf FROM issuances) ORDER BY cf LIMIT 1")
    if os.path.exists(os.path.join(c.store, 'store.db')):
        c.store_sql('DELETE FROM drafts')
    c.start_app(env)
    shot(c, 'login', scheme)
    c.log_in(discard_draft=False)
    shot(c, 'home', scheme)
    c.key('ctrl+n')
    c.type('Codice fiscale', cf)
    c.wait_text(lambda t: t.startswith('Non ha') or t.startswith('Ha '), 10)
    shot(c, 'step1-citizen', scheme)
    c.next()
    c.choose_role('Il cittadino di persona')
    shot(c, 'step2-applicant', scheme)
    c.next()
    shot(c, 'step3-personal', scheme)
    c.next()
    c.fill_document()
    shot(c, 'step4-document', scheme)
    c.next()
    while True:
        button = spui.find(c.app, pyatspi.ROLE_PUSH_BUTTON,
                           lambda n: n.startswith('Scansiona: ') and n.endswith(' Scansiona'), timeout=2)
        if button is None:
            break
        c.click(lambda n, b=button.name: n == b)
        c.click('Scan', timeout=20)
        c.wait_text(lambda t: 'acquisit' in t and '…' not in t, timeout=60)
        c.click('Use Scan')
        time.sleep(0.5)
    shot(c, 'step5-scans', scheme)
    c.next()
    shot(c, 'step6-summary', scheme)
    c.stop_app()


def main():
    os.makedirs(OUT, exist_ok=True)
    c = Counter(citizens=20)
    try:
        for scheme in ('light', 'dark', 'large'):
            walk(c, scheme)
    finally:
        c.stop()


if __name__ == '__main__':
    main()
