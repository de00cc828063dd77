"""Public "Ask the Mayor" sessions: create, pick questions, record the answers, publish."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from engage.extensions import db
from engage.models import MayorQuestion, MayorSession, User
from engage.models._types import utcnow
from engage.services.collect.mayor import MayorError, require_moderator, search
from engage.services.collect.mayor.answers import require_answerable
from engage.services.platform import audit
from engage.services.platform.transactions import in_transaction

PICKABLE = ("approved", "assigned", "drafted")


def _audit(action: str, actor: User, session: MayorSession, **detail: object) -> None:
    audit.record(f"mayor.session.{action}", actor=actor, object_type="mayor_session",
                 object_id=session.id, detail=dict(detail))


def create_session(actor: User | None, title: str, starts_at: datetime, place: str) -> MayorSession:
    """Plan a session."""
    actor = require_moderator(actor)

    def work() -> MayorSession:
        if not title.strip() or not place.strip():
            raise MayorError("session_incomplete")
        session = MayorSession(title=title.strip(), starts_at=starts_at, place=place.strip())
        db.session.add(session)
        db.session.flush()
        _audit("create", actor, session)
        return session

    return in_transaction(work)


def candidates(session: MayorSession, limit: int = 50) -> list[MayorQuestion]:
    """Questions that could be put at a session, most supported first (consent needed)."""
    return list(db.session.scalars(
        select(MayorQuestion)
        .where(MayorQuestion.status.in_(PICKABLE), MayorQuestion.consent_publish.is_(True),
               MayorQuestion.session_id.is_(None))
        .order_by(MayorQuestion.support_count.desc(), MayorQuestion.created_at)
        .limit(limit)))


def pick_questions(session: MayorSession, actor: User | None, question_ids: list[int]) -> int:
    """Put questions on a session's agenda; returns how many were added."""
    actor = require_moderator(actor)

    def work() -> int:
        if session.state != "planned":
            raise MayorError("session_published")
        if not question_ids:
            raise MayorError("none_picked")
        questions = list(db.session.scalars(
            select(MayorQuestion).where(MayorQuestion.id.in_(question_ids))))
        for question in questions:
            if question.status not in PICKABLE or not question.consent_publish:
                raise MayorError(f"illegal_from_{question.status}")
            question.session_id = session.id
        _audit("pick", actor, session, questions=[q.reference for q in questions])
        return len(questions)

    return in_transaction(work)


def record_answer(session: MayorSession, question: MayorQuestion, actor: User | None,
                  text: str) -> None:
    """Record the answer the Mayor gave on the night."""
    actor = require_moderator(actor)

    def work() -> None:
        if question.session_id != session.id:
            raise MayorError("not_in_session")
        require_answerable(question)
        if not text.strip():
            raise MayorError("empty_answer")
        question.answer_text = text.strip()
        question.answered_by_id = actor.id
        question.answered_at = utcnow()
        question.status = "answered"
        audit.record("mayor.session.answer", actor=actor, object_type="mayor_question",
                     object_id=question.id, detail={"session": session.id,
                                                    "reference": question.reference})

    in_transaction(work)


def publish_session(session: MayorSession, actor: User | None) -> int:
    """Publish the session page once it has happened, with its answered questions."""
    actor = require_moderator(actor)

    def work() -> int:
        if session.state == "published":
            raise MayorError("session_published")
        now = utcnow()
        if session.starts_at > now:
            raise MayorError("session_not_happened")
        answered = list(db.session.scalars(select(MayorQuestion).where(
            MayorQuestion.session_id == session.id, MayorQuestion.status == "answered",
            MayorQuestion.consent_publish.is_(True))))
        for question in answered:
            question.status = "published"
            question.published_at = now
            search.reindex(question)
        session.state = "published"
        session.published_at = now
        _audit("publish", actor, session, published=len(answered))
        return len(answered)

    return in_transaction(work)


def upcoming_sessions() -> list[MayorSession]:
    """Planned sessions still to come, soonest first."""
    return list(db.session.scalars(select(MayorSession).where(
        MayorSession.state == "planned", MayorSession.starts_at >= utcnow())
        .order_by(MayorSession.starts_at)))


def past_sessions() -> list[MayorSession]:
    """Published sessions, latest first."""
    return list(db.session.scalars(select(MayorSession).where(MayorSession.state == "published")
                                   .order_by(MayorSession.starts_at.desc())))


def published_summaries(session_ids: list[int], top: int = 5
                        ) -> dict[int, tuple[int, list[MayorQuestion]]]:
    """For each session: how many of its questions are published, and the most supported few."""
    if not session_ids:
        return {}
    published = (MayorQuestion.status == "published")
    counts = {sid: int(n) for sid, n in db.session.execute(
        select(MayorQuestion.session_id, func.count())
        .where(MayorQuestion.session_id.in_(session_ids), published)
        .group_by(MayorQuestion.session_id))}
    return {sid: (counts.get(sid, 0), list(db.session.scalars(
        select(MayorQuestion).where(MayorQuestion.session_id == sid, published)
        .order_by(MayorQuestion.support_count.desc(), MayorQuestion.id).limit(top))))
        for sid in session_ids}


def all_sessions() -> list[tuple[MayorSession, int]]:
    """Every session with its number of questions, latest first (staff list)."""
    counts = (select(MayorQuestion.session_id, func.count().label("n"))
              .group_by(MayorQuestion.session_id).subquery())
    rows = db.session.execute(
        select(MayorSession, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.session_id == MayorSession.id)
        .order_by(MayorSession.starts_at.desc()))
    return [(s, int(n)) for s, n in rows]


def get_session(session_id: int) -> MayorSession | None:
    """One session by id."""
    return db.session.get(MayorSession, session_id)
