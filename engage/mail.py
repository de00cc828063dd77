"""Sending email: SMTP when MAIL_SERVER is set, otherwise a log-only backend.

Logs never carry a message body or an address (they hold personal data): only the subject line,
which callers keep to a reference.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping
from email.message import EmailMessage
from email.policy import SMTP

from flask import current_app

log = logging.getLogger(__name__)

# Messages the log-only backend "sent", for tests and demonstrations (subject lines only).
outbox: list[str] = []


def send_mail(to: str, subject: str, body: str,
              headers: Mapping[str, str] | None = None) -> bool:
    """Send one plain-text message (with any extra headers, such as List-Unsubscribe); True
    when handed to SMTP or to the log-only backend."""
    cfg = current_app.config
    if not cfg.get("MAIL_SERVER"):
        log.info("mail (log only, no MAIL_SERVER): %s", subject)
        outbox.append(subject)
        return True
    # A List-Unsubscribe address is one long word: folding it would encode it, and mail
    # programs would not read it, so messages with extra headers allow RFC 5322's 998.
    message = EmailMessage(policy=SMTP.clone(max_line_length=998)) if headers else EmailMessage()
    message["From"] = cfg["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    try:
        with smtplib.SMTP(cfg["MAIL_SERVER"], cfg.get("MAIL_PORT", 25), timeout=10) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("mail not sent (%s): %s", type(exc).__name__, subject)
        return False
    log.info("mail sent: %s", subject)
    return True
