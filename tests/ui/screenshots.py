#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Regenerates data/screenshots/: the counter at each step of a request,
in light and dark, in Italian, against a local central, cupsd and the
SANE test backend. Run by hand: build-aux/dev screenshots."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from counter import Counter  # noqa: E402

OUT = os.path.join(os.environ['SP_SOURCE_ROOT'], 'data', 'screenshots')


def shot(c, name, scheme):
    time.sleep(0.8)
    wid = subprocess.run(['xdotool', 'search', '--onlyvisible', '--name', '^Sportello PIN$'],
                         capture_output=True, text=True).stdout.split()[0]
    subprocess.run(['import', '-window', wid, os.path.join(OUT, '%s-%s.png' % (name, scheme))], check=True)


def walk(c, scheme):
    env = {'ADW_DEBUG_COLOR_SCHEME': 'prefer-%s' % scheme, 'LANGUAGE': 'it',
           'SP_LOCALEDIR': os.path.join(os.environ['SP_BUILD_ROOT'], 'po')}
    cf = c.central.sql("SELECT cf FROM citizens WHERE source = 'demo' AND birth_date < '1990-01-01' "
                       "AND cf NOT IN (SELECT cf FROM issuances) ORDER BY cf LIMIT 1")
    c.start_app(env)
    shot(c, 'login', scheme)
    c.log_in()
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
    c.scan_all()
    shot(c, 'step5-scans', scheme)
    c.next()
    shot(c, 'step6-summary', scheme)
    c.stop_app()


def main():
    os.makedirs(OUT, exist_ok=True)
    c = Counter(citizens=20)
    try:
        for scheme in ('light', 'dark'):
            walk(c, scheme)
    finally:
        c.stop()


if __name__ == '__main__':
    main()
