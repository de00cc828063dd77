"""Residents (and staff on their behalf) put questions to the Mayor; residents check the status."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from engage.extensions import db
from engage.models import MayorQuestion, User
from engage.models.mayor import CHANNELS
from engage.services.collect.mayor import MayorError, root_of
from engage.services.platform import audit
from engage.services.platform.references import (
    NoFreeReference,
    new_reference,
    normalise_reference,
    with_new_references,
)
from engage.services.platform.transactions import in_transaction


@dataclass(frozen=True)
class QuestionInput:
    """What was asked, already validated by the form."""

    text: str
    topic_id: int | None
    ward: str = ""
    postcode: str = ""
    consent_publish: bool = False
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    language: str = "en"
    channel: str = "online"
    event: str = ""


def _insert(data: QuestionInput, entered_by: User | None) -> MayorQuestion:
    if data.channel not in CHANNELS:
        raise MayorError("unknown_channel")
    if not data.text.strip():
        raise MayorError("empty_question")

    def write() -> MayorQuestion:
        question = MayorQuestion(
            reference=new_reference(), text=data.text.strip(), topic_id=data.topic_id,
            ward=data.ward, postcode=data.postcode, consent_publish=data.consent_publish,
            contact_name=data.contact_name.strip(), contact_email=data.contact_email.strip(),
            contact_phone=data.contact_phone.strip(), language=data.language,
            channel=data.channel, event=data.event.strip(),
            entered_by_id=entered_by.id if entered_by else None, status="received",
        )
        db.session.add(question)
        db.session.flush()  # nothing else is pending: a collision rolls back only this
        return question

    try:
        return with_new_references(write)
    except NoFreeReference:  # pragma: no cover - 2**40 references
        raise MayorError("no_reference") from None


def submit_question(data: QuestionInput) -> MayorQuestion:
    """Store a resident's question online in a retrying transaction; return it with its reference.

    Raises DatabaseUnavailable when the database stays locked or down (the form comes back)."""
    return in_transaction(lambda: _insert(data, None))


def enter_question(data: QuestionInput, actor: User) -> MayorQuestion:
    """Staff enter a question on a resident's behalf (phone, event, paper); audited."""

    def work() -> MayorQuestion:
        question = _insert(data, actor)
        audit.record("mayor.question.enter", actor=actor, object_type="mayor_question",
                     object_id=question.id, detail={"channel": data.channel,
                                                    "reference": question.reference})
        return question

    return in_transaction(work)


RESIDENT_STATUS = {
    "received": "received",
    "approved": "under_review",
    "assigned": "under_review",
    "drafted": "under_review",
    "answered": "answered",
    "published": "published",
    "rejected": "not_taken_forward",
    "duplicate": "under_review",
}


@dataclass(frozen=True)
class StatusView:
    """What a resident may see about their question."""

    reference: str
    status: str
    asked_at: object
    reason: str = ""
    answer: str = ""
    followed_reference: str = ""
    published_id: int | None = None


def status_for(reference: str) -> StatusView | None:
    """The resident-facing status for a reference (a duplicate follows its original)."""
    tidy = normalise_reference(reference)
    if tidy is None:
        return None
    question = db.session.scalar(select(MayorQuestion).where(MayorQuestion.reference == tidy))
    if question is None:
        return None
    root = root_of(question)
    status = RESIDENT_STATUS[root.status]
    answer = root.answer_text if status in ("answered", "published") else ""
    return StatusView(
        reference=question.reference, status=status, asked_at=question.created_at,
        reason=root.reject_reason if status == "not_taken_forward" else "",
        answer=answer,
        followed_reference=root.reference if root is not question else "",
        published_id=root.id if status == "published" else None,
    )
