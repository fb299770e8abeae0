#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Compiles data/belfiore.csv into C arrays (sp-belfiore-table.c).

Rows are sorted by code then validity, so a code's periods are adjacent and
found by binary search; a second array orders them by folded name for the
prefix search of the birth-place completion. Dates become GDate Julian day
numbers (day 1 is 0001-01-01, as Python's date.toordinal)."""
import csv
import datetime
import sys
import unicodedata


def fold(text):
    """Same folding as fold_name () in sp-belfiore.c: accents dropped,
    lower case, any other character a single space."""
    out = []
    for ch in unicodedata.normalize('NFD', text):
        if unicodedata.combining(ch):
            continue
        ch = ch.lower()
        if ('a' <= ch <= 'z') or ('0' <= ch <= '9'):
            out.append(ch)
        elif out and out[-1] != ' ':
            out.append(' ')
    return ''.join(out).strip()


def c_string(text):
    return '"' + text.replace('\\', '\\\\').replace('"', '\\"') + '"'


def julian(text):
    return datetime.date.fromisoformat(text).toordinal()


def main(src, dst):
    with open(src, newline='', encoding='utf-8') as f:
        rows = list(csv.DictReader(f))
    rows.sort(key=lambda r: (r['belfiore_code'], r['valid_from']))
    by_name = sorted(range(len(rows)), key=lambda i: (fold(rows[i]['name']), rows[i]['valid_from']))
    with open(dst, 'w', encoding='utf-8') as out:
        out.write('/* Generated from data/belfiore.csv by belfiore-gen.py: do not edit. */\n')
        out.write('#include "sp-belfiore-private.h"\n\n')
        out.write('const SpBelfioreEntry sp_belfiore_entries[] = {\n')
        for r in rows:
            out.write('  { %s, %s, %s, %s, %d, %d },\n' % (
                c_string(r['belfiore_code']), c_string(r['name']),
                c_string(r['province']), c_string(r['iso3166']),
                julian(r['valid_from']), julian(r['valid_to'])))
        out.write('};\n\nconst guint sp_belfiore_n_entries = %d;\n\n' % len(rows))
        out.write('const guint16 sp_belfiore_by_name[] = {\n')
        for i in range(0, len(by_name), 16):
            out.write('  ' + ', '.join(str(x) for x in by_name[i:i + 16]) + ',\n')
        out.write('};\n\nconst char *const sp_belfiore_folded_names[] = {\n')
        for i in by_name:
            out.write('  %s,\n' % c_string(fold(rows[i]['name'])))
        out.write('};\n')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
