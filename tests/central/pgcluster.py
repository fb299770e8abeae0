# SPDX-License-Identifier: GPL-3.0-or-later
"""A throwaway PostgreSQL cluster in a temp dir on a free loopback port,
run as the postgres user when the tests run as root (HARNESS.md)."""
import os
import shutil
import socket
import subprocess
import tempfile

PG_BIN = '/usr/lib/postgresql/15/bin'


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix='sp-pg-')
        self.port = _free_port()
        self.run_as = ['runuser', '-u', 'postgres', '--'] if os.getuid() == 0 else []
        if self.run_as:
            shutil.chown(self.dir, 'postgres', 'postgres')
        data = os.path.join(self.dir, 'data')
        subprocess.run(self.run_as + [PG_BIN + '/initdb', '-D', data, '-U', 'postgres', '--auth=trust',
                                      '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'],
                       check=True, capture_output=True, timeout=120)
        subprocess.run(self.run_as + [PG_BIN + '/pg_ctl', '-D', data, '-l', os.path.join(self.dir, 'server.log'),
                                      '-w', '-t', '30', 'start', '-o',
                                      '-k %s -p %d -c listen_addresses=127.0.0.1 -c fsync=off '
                                      '-c synchronous_commit=off -c full_page_writes=off -c max_connections=50'
                                      % (self.dir, self.port)],
                       check=True, capture_output=True, timeout=60)
        self.count = 0

    def new_database(self):
        """An empty database; returns its connection URL."""
        self.count += 1
        name = 'central%d' % self.count
        subprocess.run(['psql', '-h', '127.0.0.1', '-p', str(self.port), '-U', 'postgres', '-qAt',
                        '-c', 'CREATE DATABASE %s' % name], check=True, capture_output=True, timeout=30)
        return 'postgresql://postgres@127.0.0.1:%d/%s' % (self.port, name)

    def restart(self):
        """Restarts the server (fast shutdown: open connections are cut),
        as a database failover or an upgrade would."""
        data = os.path.join(self.dir, 'data')
        subprocess.run(self.run_as + [PG_BIN + '/pg_ctl', '-D', data, '-l', os.path.join(self.dir, 'server.log'),
                                      '-m', 'fast', '-w', '-t', '60', 'restart'],
                       check=True, capture_output=True, timeout=90)

    def stop(self):
        subprocess.run(self.run_as + [PG_BIN + '/pg_ctl', '-D', os.path.join(self.dir, 'data'), '-m', 'immediate',
                                      'stop'], capture_output=True, timeout=60)
        shutil.rmtree(self.dir, ignore_errors=True)
