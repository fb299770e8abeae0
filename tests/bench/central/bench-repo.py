#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs bench-repo on a fresh SQLite file and on a throwaway PostgreSQL
cluster (SP_BENCH_POSTGRESQL=0 to skip it)."""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'central'))
bench = os.path.join(os.environ['SP_BUILD_ROOT'], 'tests', 'central', 'bench-repo')
work = tempfile.mkdtemp(prefix='sp-bench-repo-')
try:
    subprocess.run([bench, os.path.join(work, 'c.db'), 'repo_sqlite'], check=True, timeout=600)
    if os.environ.get('SP_BENCH_POSTGRESQL', '1') == '1':
        import pgcluster
        cluster = pgcluster.Cluster()
        try:
            subprocess.run([bench, cluster.new_database(), 'repo_postgresql'], check=True, timeout=600)
        finally:
            cluster.stop()
finally:
    shutil.rmtree(work, ignore_errors=True)
