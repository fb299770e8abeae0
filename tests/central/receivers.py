# SPDX-License-Identifier: GPL-3.0-or-later
"""The real receivers of central's outbox in tests: a local SMTP server
(aiosmtpd) and an HTTP SMS gateway, each keeping what it received, and
a wait for a condition (never a fixed sleep)."""
import http.server
import json
import socket
import threading
import time

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_for(condition, seconds=20):
    """condition's first true value within seconds, else its last value."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    return condition()


class Mailbox:
    """aiosmtpd handler: messages as (recipients, text)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode('utf-8', 'replace')))
        return '250 OK'


class Smtp:
    """A local SMTP server on a free port; .mailbox.messages, .port, .stop()."""

    def __init__(self):
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller = Controller(self.mailbox, hostname='127.0.0.1', port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()


class SmsGateway:
    """The SMS gateway's JSON POST: .received as (Authorization, body); .url."""

    def __init__(self):
        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers['Content-Length']))
                received.append((self.headers.get('Authorization'), json.loads(body)))
                self.send_response(202)
                self.send_header('Content-Length', '0')
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.url = 'http://127.0.0.1:%d/sms' % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
