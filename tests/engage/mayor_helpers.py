"""Helpers shared by the Ask the Mayor tests."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import AuditEvent, MayorQuestion, User
from engage.services.collect.mayor import answers, moderation
from engage.services.collect.mayor.public import active_topics
from engage.services.collect.mayor.submission import QuestionInput, submit_question
from tests.pages import make_user


@pytest.fixture
def mayor_topics(app: Flask) -> None:
    """The default topics (PostgreSQL tests truncate what the migration seeded)."""
    from engage.services.collect.mayor.queue import ensure_default_topics

    ensure_default_topics()


QUESTION = "Why are the bins on Roman Road in Bow not collected on the right day?"


def ask(text: str = QUESTION, consent: bool = True, email: str = "",
        ward: str = "bow-east") -> MayorQuestion:
    """A resident's question, straight through the service."""
    topic = active_topics()[0]
    return submit_question(QuestionInput(text=text, topic_id=topic.id, ward=ward,
                                         consent_publish=consent, contact_email=email))


def audit_count(action: str | None = None) -> int:
    """How many audit rows there are (of one action)."""
    query = select(func.count()).select_from(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
    return db.session.scalar(query) or 0


def staff() -> tuple[User, User]:
    """A moderator and an engagement officer."""
    return (make_user("mod@example.org", role="moderator"),
            make_user("officer@example.org", role="engagement_officer"))


def answered(question: MayorQuestion, moderator: User, officer: User) -> MayorQuestion:
    """Take a question through approval, assignment, draft and approved answer."""
    from datetime import date, timedelta

    moderation.approve(question, moderator)
    moderation.assign(question, moderator, date.today() + timedelta(days=10), officer=officer)
    answers.draft_answer(question, officer, "The collection day moved to Tuesday.")
    answers.approve_answer(question, moderator)
    return question
