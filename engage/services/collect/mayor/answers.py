"""Answers: the assigned officer drafts; a moderator approves (resident emailed) and publishes."""

from __future__ import annotations

import logging

from engage.links import public_url
from engage.mail import send_mail
from engage.models import MayorQuestion, User
from engage.models._types import utcnow
from engage.services.collect.mayor import MayorError, require_moderator, require_status, search
from engage.services.platform import audit, settings
from engage.services.platform.transactions import in_transaction

log = logging.getLogger(__name__)


def _audit(action: str, actor: User, question: MayorQuestion) -> None:
    audit.record(f"mayor.answer.{action}", actor=actor, object_type="mayor_question",
                 object_id=question.id, detail={"reference": question.reference})


def may_draft(question: MayorQuestion, actor: User | None) -> bool:
    """True when the actor is the assigned officer or a moderator."""
    if actor is None:
        return False
    return actor.has_role("moderator") or (question.assigned_to_id == actor.id)


def draft_answer(question: MayorQuestion, actor: User | None, text: str) -> None:
    """The assigned officer (or a moderator) writes or rewrites the draft answer."""
    wording = text.strip()

    def work() -> None:
        if actor is None or not may_draft(question, actor):
            raise MayorError("not_assigned")
        require_status(question, "assigned", "drafted")
        if not wording:
            raise MayorError("empty_answer")
        question.answer_text = wording
        question.answered_by_id = actor.id
        question.status = "drafted"
        _audit("draft", actor, question)

    in_transaction(work)


def approving_own_draft(question: MayorQuestion, actor: User | None) -> bool:
    """True when separation of duties stops this actor approving the draft (they wrote it)."""
    return (actor is not None and question.answered_by_id == actor.id
            and settings.flag(settings.SEPARATE_MAYOR_DUTIES))


def approve_answer(question: MayorQuestion, actor: User | None) -> bool:
    """A moderator approves the draft; the resident is emailed if they left an address."""
    actor = require_moderator(actor)

    def work() -> None:
        require_status(question, "drafted")
        if approving_own_draft(question, actor):
            raise MayorError("own_draft")
        question.status = "answered"
        question.answered_at = utcnow()
        _audit("approve", actor, question)

    in_transaction(work)
    return notify_resident(question)


def publish(question: MayorQuestion, actor: User | None) -> None:
    """Put an answered question on the public page; only with the resident's consent."""
    actor = require_moderator(actor)

    def work() -> None:
        if question.status == "rejected":
            raise MayorError("illegal_from_rejected")
        require_status(question, "answered")
        if not question.consent_publish:
            raise MayorError("no_consent")
        question.status = "published"
        question.published_at = utcnow()
        search.reindex(question)
        _audit("publish", actor, question)

    in_transaction(work)


def notify_resident(question: MayorQuestion) -> bool:
    """Email the resident that their question has an answer (never logs the address)."""
    if not question.contact_email:
        return False
    subject = f"Your question to the Mayor ({question.reference}) has an answer"
    status_page = public_url("mayor.status")
    body = (f"Your question (reference {question.reference}) has been answered.\n\n"
            f"{question.answer_text}\n\n"
            f"You can also check the status of your question at {status_page}\n")
    return send_mail(question.contact_email, subject, body)


def require_answerable(question: MayorQuestion) -> None:
    """Refuse answers to questions that were rejected or are duplicates."""
    if question.status in ("rejected", "duplicate", "received", "published"):
        raise MayorError(f"illegal_from_{question.status}")
