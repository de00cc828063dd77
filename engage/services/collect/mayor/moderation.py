"""Moderation: approve, reject, edit the public wording, redact, mark duplicates, assign."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from engage.extensions import db
from engage.models import MayorQuestion, User
from engage.models.mayor import REJECT_REASONS
from engage.services.collect.mayor import (
    ANSWERING_ROLES,
    MayorError,
    require_moderator,
    require_status,
    root_of,
    search,
)
from engage.services.collect.mayor.redaction import redact
from engage.services.platform import audit
from engage.services.platform.transactions import in_transaction

OPEN = ("received", "approved", "assigned", "drafted")


def _audit(action: str, actor: User, question: MayorQuestion, **detail: object) -> None:
    audit.record(f"mayor.question.{action}", actor=actor, object_type="mayor_question",
                 object_id=question.id, detail={"reference": question.reference, **detail})


def approve(question: MayorQuestion, actor: User | None) -> None:
    """Accept a new question for an answer."""
    actor = require_moderator(actor)

    def work() -> None:
        require_status(question, "received")
        question.status = "approved"
        _audit("approve", actor, question)

    in_transaction(work)


def reject(question: MayorQuestion, actor: User | None, reason: str, note: str = "") -> None:
    """Do not take a question forward, with a reason from the list and optional free text."""
    actor = require_moderator(actor)

    def work() -> None:
        require_status(question, *OPEN)
        if reason not in REJECT_REASONS:
            raise MayorError("unknown_reason")
        question.status = "rejected"
        question.reject_reason = reason
        question.reject_note = note.strip()
        _audit("reject", actor, question, reason=reason)

    in_transaction(work)


def edit_wording(question: MayorQuestion, actor: User | None, wording: str) -> None:
    """Set the public wording; the resident's original text is kept unchanged."""
    actor = require_moderator(actor)
    wording = wording.strip()

    def work() -> None:
        require_status(question, *OPEN, "answered", "published")
        if not wording:
            raise MayorError("empty_wording")
        question.public_text = "" if wording == question.text else wording
        search.reindex(question)
        _audit("edit_wording", actor, question)

    in_transaction(work)


def apply_redaction(question: MayorQuestion, actor: User | None) -> int:
    """Replace the suggested personal data in the public wording; returns how many were found."""
    actor = require_moderator(actor)

    def work() -> int:
        require_status(question, *OPEN, "answered", "published")
        before = question.shown_text
        after = redact(before)
        if after == before:
            raise MayorError("nothing_to_redact")
        question.public_text = after
        search.reindex(question)
        count = after.count(" removed]")
        _audit("redact", actor, question, count=count)
        return count

    return in_transaction(work)


def mark_duplicate(question: MayorQuestion, actor: User | None, original_reference: str) -> None:
    """Mark a question as a duplicate: it and anything following it then follow the original."""
    from engage.services.platform.references import normalise_reference

    actor = require_moderator(actor)

    def work() -> None:
        require_status(question, *OPEN)
        tidy = normalise_reference(original_reference)
        original = tidy and db.session.scalar(
            select(MayorQuestion).where(MayorQuestion.reference == tidy))
        if not original:
            raise MayorError("original_not_found")
        root = root_of(original)
        if root.id == question.id:
            raise MayorError("duplicate_of_itself")
        if root.status == "rejected":
            raise MayorError("original_rejected")
        question.status = "duplicate"
        question.duplicate_of_id = root.id
        # Keep chains one step long: whatever followed this question now follows the root.
        db.session.execute(update(MayorQuestion)
                           .where(MayorQuestion.duplicate_of_id == question.id)
                           .values(duplicate_of_id=root.id))
        _audit("duplicate", actor, question, original=root.reference)

    in_transaction(work)


def assign(question: MayorQuestion, actor: User | None, due_on: date,
           officer: User | None = None, organisation: str = "") -> None:
    """Route an approved question to an officer or a partner organisation with a due date."""
    actor = require_moderator(actor)
    organisation = organisation.strip()

    def work() -> None:
        require_status(question, "approved", "assigned", "drafted")
        if due_on < date.today():
            raise MayorError("due_in_past")
        if officer is None and not organisation:
            raise MayorError("no_assignee")
        if officer is not None and not officer.active:
            raise MayorError("officer_inactive")
        if officer is not None and not officer.has_role(*ANSWERING_ROLES):
            raise MayorError("officer_cannot_answer")
        question.assigned_to_id = officer.id if officer else None
        question.assigned_org = organisation or (officer.organisation if officer else "")
        question.due_on = due_on
        if question.status == "approved":
            question.status = "assigned"
        _audit("assign", actor, question, officer=officer.id if officer else None,
               organisation=question.assigned_org, due_on=due_on.isoformat())

    in_transaction(work)
