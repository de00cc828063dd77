"""Ask the Mayor use cases: submission, moderation, answers, sessions, and public queries."""

from __future__ import annotations

from engage.models import MayorQuestion, User
from surveys.errors import DomainError


class MayorError(DomainError):
    """A refused use case, with a code the web layer turns into a message."""


MODERATOR = "moderator"  # admins hold every role (User.has_role)
ANSWERING_ROLES = ("moderator", "engagement_officer", "partner_viewer")
"""Roles a question may be assigned to, to draft its answer (admins hold every role)."""
ORIGINAL_TEXT_ROLES = ("moderator", "engagement_officer")
"""Roles that read a question as sent, with its personal details; the others (partner viewers)
read it redacted, as they read residents' words everywhere else."""


def sees_original(user: User | None) -> bool:
    """True when the user may read questions as sent (not redacted)."""
    return user is not None and bool(user.has_role(*ORIGINAL_TEXT_ROLES))


def require_moderator(actor: User | None) -> User:
    """The actor, if they may moderate; otherwise refuse."""
    if actor is None or not actor.has_role(MODERATOR):
        raise MayorError("not_moderator")
    return actor


def require_status(question: MayorQuestion, *allowed: str) -> None:
    """Refuse a transition from a state that does not allow it."""
    if question.status not in allowed:
        raise MayorError(f"illegal_from_{question.status}")


def root_of(question: MayorQuestion) -> MayorQuestion:
    """Follow a chain of duplicates to the original question (cycles cannot be stored)."""
    seen: set[int] = set()
    current = question
    while current.duplicate_of is not None and current.id not in seen:
        seen.add(current.id)
        current = current.duplicate_of
    return current
