"""What is waiting for a member of staff: the counts on the staff home page (issue 17).

Each count is one small aggregate query; nothing here loads rows it does not show. The caller
(the staff home route) decides which counts a role may see; results counts also go through
the results policy, survey by survey.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select

from engage.extensions import db
from engage.models import (
    Job,
    MayorQuestion,
    PriorityBoard,
    Response,
    Survey,
    TaskGroup,
    TaskGroupMember,
    User,
)
from engage.models._types import utcnow
from engage.services.collect.published_surveys import open_surveys
from engage.services.platform import results_policy

OPEN_ASSIGNED = ("assigned", "drafted")
RECENT_DAYS = 7
MAX_LISTED = 5


@dataclass(frozen=True)
class MayorCounts:
    """The moderation queue's counts."""

    new: int
    answers_to_approve: int
    overdue: int


@dataclass(frozen=True)
class MineCounts:
    """Questions assigned to one member of staff that still need an answer."""

    assigned: int
    overdue: int


@dataclass(frozen=True)
class OpenSurvey:
    """A survey residents can answer now; its responses this week when the viewer may see
    results (else None)."""

    slug: str
    title: str
    this_week: int | None


@dataclass(frozen=True)
class OpenBoard:
    """A priority board open for scoring, and whether the viewer may score on it."""

    id: int
    title: str
    group: str
    member: bool


def mayor_counts(today: date | None = None) -> MayorCounts:
    """New questions, drafted answers waiting for approval, and overdue assignments."""
    today = today or date.today()
    rows = dict(db.session.execute(
        select(MayorQuestion.status, func.count(MayorQuestion.id))
        .where(MayorQuestion.status.in_(("received", "drafted")))
        .group_by(MayorQuestion.status)).all())
    overdue = db.session.scalar(select(func.count(MayorQuestion.id)).where(
        MayorQuestion.status.in_(OPEN_ASSIGNED), MayorQuestion.due_on < today)) or 0
    return MayorCounts(new=rows.get("received", 0), answers_to_approve=rows.get("drafted", 0),
                       overdue=overdue)


def mine_counts(user: User, today: date | None = None) -> MineCounts:
    """The user's assigned questions still to answer, and how many of them are overdue."""
    today = today or date.today()
    mine = (MayorQuestion.assigned_to_id == user.id, MayorQuestion.status.in_(OPEN_ASSIGNED))
    assigned = db.session.scalar(select(func.count(MayorQuestion.id)).where(*mine)) or 0
    overdue = db.session.scalar(select(func.count(MayorQuestion.id)).where(
        *mine, MayorQuestion.due_on < today)) or 0
    return MineCounts(assigned=assigned, overdue=overdue)


def running_jobs(user: User, kinds: Sequence[str]) -> list[Job]:
    """Jobs queued or running that the user started, or of a kind their role may watch."""
    whose = [Job.created_by_id == user.id]
    if kinds:
        whose.append(Job.kind.in_(list(kinds)))
    return list(db.session.scalars(
        select(Job).where(Job.status.in_(("queued", "running")), or_(*whose))
        .order_by(Job.id.desc()).limit(MAX_LISTED)))


def surveys_open(viewer: User, language: str) -> list[OpenSurvey]:
    """Surveys open now, with responses sent in the last 7 days where the viewer may see
    results (one grouped count for all of them)."""
    published = open_surveys()
    if not published:
        return []
    by_id = {s.id: s for s in db.session.scalars(
        select(Survey).where(Survey.id.in_([p.survey_id for p in published])))}
    allowed = {sid for sid, s in by_id.items() if results_policy.may_see_results(viewer, s)}
    counts: dict[int, int] = {}
    if allowed:
        since = utcnow() - timedelta(days=RECENT_DAYS)
        counts = dict(db.session.execute(
            select(Response.survey_id, func.count(Response.id))
            .where(Response.survey_id.in_(allowed), Response.status == "submitted",
                   Response.submitted_at >= since)
            .group_by(Response.survey_id)).all())
    found = []
    for p in published:
        if viewer.role == "partner_viewer" and p.survey_id not in allowed:
            continue
        title = p.definition.text(p.definition.title, language) or p.slug
        found.append(OpenSurvey(slug=p.slug, title=title,
                                this_week=counts.get(p.survey_id, 0)
                                if p.survey_id in allowed else None))
    return found


def boards_scoring(user: User) -> list[OpenBoard]:
    """Priority boards open for scoring, the user's own groups' first."""
    mine = set(db.session.scalars(select(TaskGroupMember.group_id).where(
        TaskGroupMember.user_id == user.id)))
    rows = db.session.execute(
        select(PriorityBoard.id, PriorityBoard.title, PriorityBoard.group_id, TaskGroup.name)
        .join(TaskGroup, TaskGroup.id == PriorityBoard.group_id)
        .where(PriorityBoard.state == "scoring").order_by(PriorityBoard.id.desc())).all()
    may_score = user.role != "partner_viewer"
    boards = [OpenBoard(id=bid, title=title, group=name, member=may_score and gid in mine)
              for bid, title, gid, name in rows]
    return sorted(boards, key=lambda b: not b.member)
