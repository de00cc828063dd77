"""A real SMTP server for tests and the invitation benchmark: aiosmtpd on 127.0.0.1, keeping
the messages it accepts and refusing recipients at refused.example with a 550 (as a mail
server refuses an unknown mailbox)."""

from __future__ import annotations

import logging
import socket
from email import message_from_bytes
from email.message import Message
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller

REFUSED_DOMAIN = "@refused.example"
_SERVER_LOG = logging.getLogger("mail.log")


class _Handler:
    def __init__(self, keep: bool) -> None:
        self.keep = keep
        self.raw: list[bytes] = []
        self.count = 0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address.lower().endswith(REFUSED_DOMAIN):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        if self.keep:
            self.raw.append(bytes(envelope.content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpServer:
    """`with SmtpServer() as smtp:` then smtp.port, smtp.messages (parsed), smtp.count,
    smtp.clear(). Every test that sends mail sends it here, over real SMTP."""

    def __init__(self, keep: bool = True) -> None:
        self.handler = _Handler(keep)
        self.port = _free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[Message]:
        """The messages accepted so far."""
        return [message_from_bytes(raw) for raw in self.handler.raw]

    def clear(self) -> None:
        """Forget the messages accepted so far (a test that counts from here on)."""
        self.handler.raw.clear()
        self.handler.count = 0

    @property
    def count(self) -> int:
        """How many messages were accepted."""
        return self.handler.count

    def __enter__(self) -> SmtpServer:
        # aiosmtpd logs each conversation (addresses too) at DEBUG on "mail.log": that is the
        # mail server's log, not the app's, so it stays out of what tests read from the logs.
        self._log_level = _SERVER_LOG.level
        _SERVER_LOG.setLevel(logging.WARNING)
        self.controller.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.controller.stop()
        _SERVER_LOG.setLevel(self._log_level)
