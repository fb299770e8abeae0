#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The counter's measures (DESIGN §9), side by side with GNOME Text
Editor on this machine: cold start to the first mapped window, the
app's memory after a full issuance, and the time of a scripted full
issuance against a local central, cupsd and the SANE test backend.
Prints "name: value unit" lines; asserts nothing."""
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.environ['SP_SOURCE_ROOT'], 'tests', 'ui'))
import pyatspi  # noqa: E402
from counter import Counter  # noqa: E402

RUNS = int(os.environ.get('SP_BENCH_RUNS', '5'))


def first_frame(argv, env):
    """Seconds from exec to the process's window being mapped on the X server."""
    t0 = time.monotonic()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(['xdotool', 'search', '--sync', '--onlyvisible', '--pid', str(proc.pid)],
                   stdout=subprocess.DEVNULL, timeout=60)
    elapsed = time.monotonic() - t0
    proc.terminate()
    proc.wait(10)
    return elapsed


def cold_starts(c):
    env = dict(os.environ, **c.env)
    env.pop('NO_AT_BRIDGE', None)
    env.pop('G_DEBUG', None)   # GNOME Text Editor 43 logs criticals at start
    app = [os.path.join(os.environ['SP_BUILD_ROOT'], 'src', 'app', 'sportello-pin')]
    editor = ['gnome-text-editor', '--standalone', '--ignore-session'] if os.path.exists('/usr/bin/gnome-text-editor') else None
    ours = [first_frame(app, env) for _ in range(RUNS)]
    print('cold_start_sportello_pin: %.0f ms' % (statistics.median(ours) * 1000))
    if editor:
        # Its own schemas, not our build tree's.
        editor_env = {k: v for k, v in env.items() if k != 'GSETTINGS_SCHEMA_DIR'}
        theirs = [first_frame(editor, editor_env) for _ in range(RUNS)]
        print('cold_start_gnome_text_editor: %.0f ms' % (statistics.median(theirs) * 1000))
        print('cold_start_ratio: %.2f x' % (statistics.median(ours) / statistics.median(theirs)))


def rss_kib(pid):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


ISSUANCES = int(os.environ.get('SP_BENCH_ISSUANCES', '20'))


def issue_for(c, cf):
    t0 = time.monotonic()
    c.start_request(cf)
    c.choose_role('The citizen in person')
    c.next()
    c.next()
    c.fill_document()
    c.next()
    c.scan_all()
    c.next()
    c.attest_all()
    c.next()
    state = c.issue()
    elapsed = time.monotonic() - t0
    if not state or 'printed' not in state:
        print('# the issuance did not complete: %r' % state)
    c.click('Envelope Handed Over')
    return elapsed


def scripted_issuance(c):
    """One issuance timed, then the app's memory after it and after
    ISSUANCES in a row (it must stay flat: nothing kept per issuance)."""
    cfs = c.central.sql("SELECT cf FROM citizens WHERE source = 'demo' AND birth_date < '1990-01-01' "
                        "ORDER BY cf LIMIT %d" % ISSUANCES).split('\n')
    c.start_app()
    c.log_in()
    elapsed = issue_for(c, cfs[0])
    print('scripted_full_issuance: %.1f s' % elapsed)
    print('rss_after_issuance: %.1f MiB' % (rss_kib(c.proc.pid) / 1024.0))
    done = 1
    for cf in cfs[1:]:
        try:
            issue_for(c, cf)
        except Exception as e:   # the AT-SPI walk can trip on a tree that changes under it
            print('# issuance %d stopped: %s' % (done + 1, str(e).splitlines()[-1] if str(e) else type(e).__name__))
            break
        done += 1
        if done % 5 == 0:
            print('rss_after_%d_issuances: %.1f MiB' % (done, rss_kib(c.proc.pid) / 1024.0))
    if done % 5 != 0:
        print('rss_after_%d_issuances: %.1f MiB' % (done, rss_kib(c.proc.pid) / 1024.0))


def main():
    c = Counter(citizens=80)
    try:
        cold_starts(c)
        scripted_issuance(c)
    finally:
        c.stop()


if __name__ == '__main__':
    main()
