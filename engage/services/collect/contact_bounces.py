"""Late bounces (issue 19, collect): a message refused after it was handed over.

GOV.UK Notify reports them itself (``contact_sending.run_statuses``: ``permanent-failure`` is
``bounced``). A mail server reports them later by a bounce email (a delivery status
notification, RFC 3464); ``flask record-bounce`` takes the address, or the bounce email itself,
and records it here: the contact's delivery state becomes ``bounced`` with the server's reason,
the contact list page shows it, and no reminder goes to the address again. GOV.UK Notify's
delivery-status callback (``notify_callbacks``) records its permanent failures here too.
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from email.message import Message

from sqlalchemy import select, update

from engage.extensions import db
from engage.models import Survey, SurveyContact
from engage.services.collect import contacts
from engage.services.platform import audit
from engage.services.platform.transactions import in_transaction
from surveys.errors import NotFound

DETAIL_LENGTH = 200


@dataclass(frozen=True)
class Bounce:
    """One permanently refused recipient: the address and the server's reason."""

    address: str
    detail: str


def record(address: str, detail: str = "", slug: str | None = None,
           source: str = "system:bounces") -> int:
    """Mark the contacts with this email address or mobile number (on every survey's list,
    or one survey's) as bounced with the reason; how many. ValueError('address') if the text
    is neither, NotFound for an unknown survey. One audit row, without the address, by
    ``source`` (the command, or GOV.UK Notify's callback)."""
    key = contacts.address_key(address)
    if key is None:
        raise ValueError("address")
    email_address, mobile = key
    survey_id = None
    if slug is not None:
        survey_id = db.session.scalar(select(Survey.id).where(Survey.slug == slug))
        if survey_id is None:
            raise NotFound(slug)
    reason = " ".join((detail or "Bounced after sending").split())[:DETAIL_LENGTH]

    def work() -> int:
        match = (SurveyContact.email == email_address if email_address
                 else SurveyContact.mobile == mobile)
        query = select(SurveyContact.id).where(match)
        if survey_id is not None:
            query = query.where(SurveyContact.survey_id == survey_id)
        ids = list(db.session.scalars(query))
        if ids:
            db.session.execute(update(SurveyContact).where(SurveyContact.id.in_(ids))
                               .values(delivery="bounced", delivery_detail=reason))
        audit.record("contacts.bounce", actor_label=source,
                     object_type="survey" if survey_id else "survey_contacts",
                     object_id=survey_id or len(ids), detail={"contacts": len(ids)})
        return len(ids)

    return in_transaction(work)


def _field(block: Message, name: str) -> str:
    return " ".join(str(block.get(name, "")).split())


def read_dsn(data: bytes) -> list[Bounce]:
    """The permanently failed recipients of a bounce email (RFC 3464 delivery status
    notification): ``Action: failed`` with a 5.x.x status; delays and other mail give none."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    found: list[Bounce] = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        for block in blocks if isinstance(blocks, list) else []:
            if not isinstance(block, Message):
                continue
            recipient = _field(block, "Final-Recipient") or _field(block, "Original-Recipient")
            status = _field(block, "Status")
            if not recipient or _field(block, "Action").lower() != "failed" \
                    or not status.startswith("5"):
                continue
            address = recipient.split(";", 1)[-1].strip()
            reason = _field(block, "Diagnostic-Code").split(";", 1)[-1].strip() or status
            found.append(Bounce(address, reason))
    return found
