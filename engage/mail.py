"""Sending email: SMTP when MAIL_SERVER is set, otherwise a log-only backend.

Logs never carry a message body or an address (they hold personal data): only the subject line,
which callers keep to a reference.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from collections.abc import Mapping
from email.message import EmailMessage
from email.policy import SMTP

from flask import current_app

log = logging.getLogger(__name__)

# Messages the log-only backend "sent", for tests and demonstrations (subject lines only).
outbox: list[str] = []


def build_message(to: str, subject: str, body: str,
                  headers: Mapping[str, str] | None = None) -> EmailMessage:
    """One plain-text message from MAIL_FROM, with any extra headers."""
    # A List-Unsubscribe address is one long word: folding it would encode it, and mail
    # programs would not read it, so messages with extra headers allow RFC 5322's 998.
    message = EmailMessage(policy=SMTP.clone(max_line_length=998)) if headers else EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message


def send_mail(to: str, subject: str, body: str,
              headers: Mapping[str, str] | None = None) -> bool:
    """Send one plain-text message (with any extra headers, such as List-Unsubscribe); True
    when handed to SMTP or to the log-only backend."""
    cfg = current_app.config
    if not cfg.get("MAIL_SERVER"):
        log.info("mail (log only, no MAIL_SERVER): %s", subject)
        outbox.append(subject)
        return True
    message = build_message(to, subject, body, headers)
    try:
        with smtplib.SMTP(cfg["MAIL_SERVER"], cfg.get("MAIL_PORT", 25), timeout=10) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("mail not sent (%s): %s", type(exc).__name__, subject)
        return False
    log.info("mail sent: %s", subject)
    return True


class MailBatch:
    """Many messages over one SMTP connection (reopened if the server drops it), each with its
    own outcome: ``with MailBatch() as batch: state, detail = batch.send(...)``.

    States: ``sent`` (accepted), ``bounced`` (the server refused the recipient: the SMTP code
    and reply are the detail), ``failed`` (anything else). Without MAIL_SERVER, messages go to
    the log-only backend.
    """

    def __init__(self) -> None:
        cfg = current_app.config
        self.server = str(cfg.get("MAIL_SERVER") or "")
        self.port = int(cfg.get("MAIL_PORT", 25))
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> MailBatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        if self.smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.smtp.quit()
            self.smtp = None

    def _connection(self) -> smtplib.SMTP:
        if self.smtp is None:
            self.smtp = smtplib.SMTP(self.server, self.port, timeout=10)
        return self.smtp

    def send(self, to: str, subject: str, body: str,
             headers: Mapping[str, str] | None = None) -> tuple[str, str]:
        """Hand one message over; (state, detail)."""
        if not self.server:
            log.info("mail (log only, no MAIL_SERVER): %s", subject)
            outbox.append(subject)
            return "sent", ""
        message = build_message(to, subject, body, headers)
        for attempt in (1, 2):
            try:
                self._connection().send_message(message)
                return "sent", ""
            except smtplib.SMTPRecipientsRefused as exc:
                code, reply = next(iter(exc.recipients.values()))
                return "bounced", f"{code} {reply.decode('utf-8', 'replace')}"[:200]
            except smtplib.SMTPResponseException as exc:
                self.close()
                text = exc.smtp_error.decode("utf-8", "replace") \
                    if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
                return "failed", f"{exc.smtp_code} {text}"[:200]
            except (OSError, smtplib.SMTPException) as exc:
                self.close()  # a dropped connection is tried once more on a new one
                if attempt == 2:
                    log.warning("mail not sent (%s): %s", type(exc).__name__, subject)
                    return "failed", type(exc).__name__
        return "failed", ""
