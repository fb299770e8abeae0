#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The app icons are well-formed SVG: the scalable one square, the
symbolic one 16x16 and single-colour (as GTK recolours it) (TAP)."""
import os
import re
import sys
import xml.etree.ElementTree as ET

here = os.path.dirname(os.path.abspath(__file__))
checks = []
for name, size in (('io.github.sportellopin.SportelloPin.svg', None),
                   ('io.github.sportellopin.SportelloPin-symbolic.svg', 16)):
    path = os.path.join(here, name)
    try:
        root = ET.parse(path).getroot()
        ok = root.tag.endswith('svg')
        w, h = root.get('width'), root.get('height')
        ok = ok and w == h and (size is None or w == str(size))
        if size is not None:
            colours = set(re.findall(r'#[0-9a-fA-F]{6}', open(path).read()))
            ok = ok and len(colours) <= 1
        checks.append((name, ok))
    except ET.ParseError as e:
        checks.append((name + ': ' + str(e), False))
print('1..%d' % len(checks))
for i, (name, ok) in enumerate(checks, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
sys.exit(0 if all(ok for _, ok in checks) else 1)
