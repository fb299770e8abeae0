# SPDX-License-Identifier: GPL-3.0-or-later
"""A private, throwaway cupsd for the print tests: its own ServerRoot,
spool, cache and logs under one folder, listening on a Unix socket only,
with file: devices allowed so that a queue writes its output to a file.
Nothing under /etc/cups or the system spool is touched. Stopped by PID."""

import grp
import os
import shutil
import subprocess
import time

PDF_PPD = '/usr/share/ppd/cupsfilters/Generic-PDF_Printer-PDF.ppd'

FILES_CONF = """ServerRoot {d}/etc
RequestRoot {d}/spool
TempDir {d}/spool/tmp
CacheDir {d}/cache
StateDir {d}/state
ErrorLog {d}/log/error_log
AccessLog {d}/log/access_log
PageLog {d}/log/page_log
ServerBin /usr/lib/cups
DataDir /usr/share/cups
User lp
Group lp
SystemGroup root lpadmin
FileDevice Yes
Printcap {d}/printcap
"""

CUPSD_CONF = """LogLevel info
Listen {d}/cups.sock
Browsing No
WebInterface No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Location /admin>
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
"""


class Cupsd:
    def __init__(self, root):
        self.root = root
        self.proc = None
        self.env = dict(os.environ, CUPS_SERVER=os.path.join(root, 'cups.sock'))

    def start(self):
        d = self.root
        lp = grp.getgrnam('lp').gr_gid
        for sub in ('etc/ppd', 'etc/ssl', 'spool/tmp', 'cache', 'state/certs', 'log', 'out'):
            os.makedirs(os.path.join(d, sub), exist_ok=True)
        os.chmod(d, 0o755)
        os.chmod(os.path.join(d, 'etc'), 0o755)
        os.chmod(os.path.join(d, 'spool'), 0o710)
        os.chown(os.path.join(d, 'spool'), 0, lp)
        os.chown(os.path.join(d, 'cache'), 0, lp)
        os.chown(os.path.join(d, 'spool/tmp'), 0, lp)
        os.chmod(os.path.join(d, 'spool/tmp'), 0o1770)
        # Filters run as lp; the file: device is opened by cupsd.
        os.chmod(os.path.join(d, 'out'), 0o777)
        for name, text in (('cups-files.conf', FILES_CONF), ('cupsd.conf', CUPSD_CONF)):
            path = os.path.join(d, 'etc', name)
            with open(path, 'w') as f:
                f.write(text.format(d=d))
            os.chmod(path, 0o640)
        self.proc = subprocess.Popen(
            ['/usr/sbin/cupsd', '-f', '-c', os.path.join(d, 'etc/cupsd.conf'),
             '-s', os.path.join(d, 'etc/cups-files.conf')],
            stdout=open(os.path.join(d, 'log/stdout'), 'w'), stderr=subprocess.STDOUT)
        for _ in range(200):
            if subprocess.run(['lpstat', '-r'], env=self.env, capture_output=True).returncode == 0:
                return
            time.sleep(0.05)
        raise RuntimeError('cupsd did not start')

    def add_pdf_queue(self, name):
        out = os.path.join(self.root, 'out', name + '.pdf')
        # cups 2.4.2-3+deb12u10 opens a file: device O_WRONLY|O_EXCL without
        # O_CREAT (the fix for CVE-2025-58364 and friends): the file must exist.
        open(out, 'ab').close()
        # Right after start, cupsd may still refuse administration requests.
        for attempt in range(40):
            try:
                self.run('lpadmin', '-p', name, '-E', '-v', 'file://' + out, '-P', PDF_PPD)
                return out
            except subprocess.CalledProcessError:
                if attempt == 39:
                    raise
                time.sleep(0.05)

    def run(self, *argv):
        return subprocess.run(argv, env=self.env, capture_output=True, text=True, check=True).stdout

    def wait_completed(self, queue, timeout=10):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if not self.run('lpstat', '-o', queue).strip():
                return True
            time.sleep(0.05)
        return False

    def stop(self):
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


def job_pdf(path):
    """The last job's PDF in a queue's output file. deb12u10's cupsd opens
    a file: device without O_TRUNC, so a shorter job leaves the tail of the
    previous one behind it: the PDF ends at its first %%EOF."""
    with open(path, 'rb') as f:
        data = f.read()
    end = data.find(b'%%EOF')
    return data[:end + 5] + b'\n' if end >= 0 else data


def pdf_text(path, *options):
    """pdftotext of the last job in a queue's output file."""
    return subprocess.run(['pdftotext'] + list(options) + ['-', '-'], input=job_pdf(path),
                          capture_output=True).stdout.decode('utf-8', 'replace')


def have_cupsd():
    return os.path.exists('/usr/sbin/cupsd') and shutil.which('lpadmin') and os.path.exists(PDF_PPD) \
        and os.geteuid() == 0
