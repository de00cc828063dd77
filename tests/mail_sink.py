"""A small SMTP server on 127.0.0.1 for tests: the service talks real SMTP to it (smtplib over a
socket), and the test reads the messages it received."""

from __future__ import annotations

import socketserver
from email import message_from_bytes
from email.message import Message

from tests.local_server import LocalServer


class _Handler(socketserver.StreamRequestHandler):
    def _say(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def _data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)

    def handle(self) -> None:
        self._say("220 sink ready")
        while line := self.rfile.readline():
            verb = line.decode("ascii", "replace").strip().split(" ", 1)[0].upper()
            if verb == "DATA":
                self._say("354 end with a dot")
                sink: MailSink = self.server.sink  # type: ignore[attr-defined]
                sink.messages.append(message_from_bytes(self._data()))
                self._say("250 queued")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            elif verb in ("EHLO", "HELO", "MAIL", "RCPT", "RSET", "NOOP"):
                self._say("250 ok")
            else:
                self._say("502 not implemented")


class MailSink(LocalServer):
    """Start with `with MailSink() as sink:`; sink.port to send to, sink.messages received."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.sink = self  # type: ignore[attr-defined]
        self.port = int(self.server.server_address[1])
        self.serve(self.server)

