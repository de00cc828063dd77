"""Group sessions: record a session with a group and its notes as points, which become free text
for the theme analysis with the session's attributes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from engage.extensions import db
from engage.models import GROUP_TYPES, GroupSession, GroupSessionPoint, Survey, User
from engage.models._types import utcnow
from engage.services.collect.mayor.theme_texts import TextRow
from engage.services.platform import audit
from engage.services.platform.transactions import in_transaction

MAX_POINT_CHARS = 2000
SOURCE = "group_session"


class GroupSessionError(ValueError):
    """A session or point cannot be saved as given (the caller's form should have caught it)."""


@dataclass(frozen=True)
class SessionDetails:
    """What staff record about a session."""

    group_type: str
    held_on: date
    facilitator: str
    ward: str = ""
    group_name: str = ""
    survey_id: int | None = None


def _check(details: SessionDetails) -> None:
    if details.group_type not in GROUP_TYPES:
        raise GroupSessionError("group_type")
    if not details.facilitator.strip():
        raise GroupSessionError("facilitator")
    if details.survey_id is not None and db.session.get(Survey, details.survey_id) is None:
        raise GroupSessionError("survey")


def _apply(session: GroupSession, details: SessionDetails) -> None:
    session.group_type = details.group_type
    session.held_on = details.held_on
    session.facilitator = details.facilitator.strip()[:120]
    session.ward = details.ward.strip()[:80]
    session.group_name = details.group_name.strip()[:200]
    session.survey_id = details.survey_id


def create_session(actor: User | None, details: SessionDetails) -> GroupSession:
    """Record a new session."""
    _check(details)

    def work() -> GroupSession:
        session = GroupSession(created_by_id=actor.id if actor else None)
        _apply(session, details)
        db.session.add(session)
        db.session.flush()
        audit.record("group_session.create", actor=actor, object_type="group_session",
                     object_id=session.id, detail={"group_type": details.group_type})
        return session

    return in_transaction(work)


def update_session(session: GroupSession, actor: User | None, details: SessionDetails) -> None:
    """Change a session's details."""
    _check(details)

    def work() -> None:
        _apply(session, details)
        session.updated_at = utcnow()
        audit.record("group_session.update", actor=actor, object_type="group_session",
                     object_id=session.id)

    in_transaction(work)


def _text(text: str) -> str:
    cleaned = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()
    if not cleaned:
        raise GroupSessionError("text")
    if len(cleaned) > MAX_POINT_CHARS:
        raise GroupSessionError("too_long")
    return cleaned


def add_point(session: GroupSession, actor: User | None, text: str) -> GroupSessionPoint:
    """Add one point to the end of a session's notes."""
    cleaned = _text(text)

    def work() -> GroupSessionPoint:
        last = db.session.scalar(select(func.max(GroupSessionPoint.position)).where(
            GroupSessionPoint.session_id == session.id))
        point = GroupSessionPoint(session_id=session.id, position=(last or 0) + 1, text=cleaned)
        db.session.add(point)
        db.session.flush()
        audit.record("group_session.point_add", actor=actor, object_type="group_session_point",
                     object_id=point.id, detail={"session": session.id})
        return point

    return in_transaction(work)


def edit_point(point: GroupSessionPoint, actor: User | None, text: str) -> None:
    """Change the wording of a point."""
    cleaned = _text(text)

    def work() -> None:
        point.text = cleaned
        point.updated_at = utcnow()
        audit.record("group_session.point_edit", actor=actor, object_type="group_session_point",
                     object_id=point.id, detail={"session": point.session_id})

    in_transaction(work)


def remove_point(point: GroupSessionPoint, actor: User | None) -> None:
    """Remove a point from a session's notes."""
    def work() -> None:
        audit.record("group_session.point_remove", actor=actor,
                     object_type="group_session_point", object_id=point.id,
                     detail={"session": point.session_id})
        db.session.delete(point)

    in_transaction(work)


def get_session(session_id: int) -> GroupSession | None:
    """A session with its points, or None."""
    return db.session.scalar(select(GroupSession).options(selectinload(GroupSession.points))
                             .where(GroupSession.id == session_id))


def get_point(session: GroupSession, point_id: int) -> GroupSessionPoint | None:
    """One point of this session, or None."""
    return next((p for p in session.points if p.id == point_id), None)


def all_sessions() -> list[tuple[GroupSession, int]]:
    """Every session, latest first, with how many points it has."""
    counts = (select(GroupSessionPoint.session_id, func.count().label("n"))
              .group_by(GroupSessionPoint.session_id).subquery())
    rows = db.session.execute(
        select(GroupSession, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.session_id == GroupSession.id)
        .order_by(GroupSession.held_on.desc(), GroupSession.id.desc()))
    return [(s, int(n)) for s, n in rows]


@dataclass(frozen=True)
class GroupPointRow(TextRow):
    """A point as analysis text, with the session's attributes (group, ward, date, session)."""

    attributes: Mapping[str, str | int] = field(default_factory=dict)


def point_text_rows(since: date | None = None,
                    survey_id: int | None = None) -> Iterator[GroupPointRow]:
    """Every point of every session (held on or after `since`; of one survey) as analysis rows."""
    query = (select(GroupSessionPoint, GroupSession)
             .join(GroupSession, GroupSession.id == GroupSessionPoint.session_id))
    if since is not None:
        query = query.where(GroupSession.held_on >= since)
    if survey_id is not None:
        query = query.where(GroupSession.survey_id == survey_id)
    query = query.order_by(GroupSession.id, GroupSessionPoint.position, GroupSessionPoint.id)
    for point, session in db.session.execute(query.execution_options(yield_per=500)):
        yield GroupPointRow(
            source=SOURCE, id=f"GS{session.id}-{point.id}", text=point.text, language="en",
            channel=SOURCE, ward=session.ward,
            date=datetime.combine(session.held_on, time(), tzinfo=UTC),
            attributes={"group": session.group_type, "ward": session.ward,
                        "date": session.held_on.isoformat(), "session_id": session.id})
