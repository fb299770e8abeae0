#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""From "Rilascia" (Issue PIN and Print Envelope) to the envelope's job
completed at cupsd, on loopback: the envelope printer's state asked, a
fresh PIN, its Argon2id verifier, the issuance committed to the store, the
envelope drawn to PDF in memory, streamed to a private cupsd's PDF queue
and followed until CUPS says completed (print-driver --issuance, the
counter's own print path; central's answer is not part of it). Goal:
<= 2 s. Prints `name: value unit` lines."""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'print'))
from cupsd import Cupsd, have_cupsd  # noqa: E402

BUILD = os.environ.get('SP_BUILD_ROOT', '_build')
DRIVER = os.path.join(BUILD, 'tests', 'print', 'print-driver')
ROUNDS = int(os.environ.get('SP_BENCH_ROUNDS', '10'))


def main():
    if not have_cupsd():
        print('# skipped: needs root, cupsd and the Generic PDF PPD')
        return 0
    root = tempfile.mkdtemp(prefix='sp-bench-print-')
    os.chmod(root, 0o755)
    cups = Cupsd(os.path.join(root, 'cups'))
    env = dict(cups.env, HOME=root, XDG_DATA_HOME=os.path.join(root, 'data'))
    times, jobs = [], []
    try:
        cups.start()
        cups.add_pdf_queue('Envelopes')
        for i in range(ROUNDS):
            p = subprocess.run([DRIVER, '--printer', 'Envelopes', '--issuance', os.path.join(root, 'store')],
                               env=env, capture_output=True, text=True, timeout=60)
            issue = re.search(r'issue_to_completed_ms=([\d.]+)', p.stdout)
            job = re.search(r'outcome=printed code=NONE job=\d+ ms=(\d+)', p.stdout)
            if p.returncode != 0 or not issue or not job:
                print('# round %d failed: %s' % (i, p.stdout + p.stderr))
                return 1
            times.append(float(issue.group(1)))
            jobs.append(float(job.group(1)))
    finally:
        cups.stop()
        shutil.rmtree(root, ignore_errors=True)
    times.sort()
    print('issue-to-job-completed-median: %.0f ms' % statistics.median(times))
    print('issue-to-job-completed-max: %.0f ms' % times[-1])
    print('envelope-send-to-completed-median: %.0f ms' % statistics.median(jobs))
    print('issue-to-job-completed-rounds: %d' % len(times))
    return 0


if __name__ == '__main__':
    sys.exit(main())
