"""Assisted channels on the one response model (issue 6): interviews and interviewers' targets.

Interviews run the same runner (engage.services.collect.responses saves and submits them); this
module
starts them with the interview details, submits them audited, and counts interviewers' completes
against their targets. Paper keying and its second keying are in `engage.services.collect.paper`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from engage.extensions import db
from engage.models import InterviewerTarget, Response, User
from engage.models._types import utcnow
from engage.models.response import BATCH_MAX as BATCH_MAX  # the services API keeps its name
from engage.services.collect.published_surveys import PublishedSurvey
from engage.services.collect.responses import RESUME_DAYS, submit
from engage.services.platform.audit import record
from engage.services.platform.transactions import in_transaction
from surveys.errors import NotFound

INTERVIEW_CHANNELS: tuple[str, ...] = ("face_to_face", "phone")
INTERVIEWER_ROLES: tuple[str, ...] = ("interviewer", "engagement_officer")
TARGET_MAX = 100_000


def clean_label(value: str | None, limit: int) -> str:
    """A batch label or sheet number as stored: trimmed, inner spaces collapsed."""
    return " ".join((value or "").split())[:limit]


# Interviews ---------------------------------------------------------------------------------


def start_interview(published: PublishedSurvey, *, interviewer: User, language: str,
                    channel: str, proxy: bool, batch: str, ip_address: str = "") -> int:
    """Record consent and start an interview response; return its id (audited)."""
    if channel not in INTERVIEW_CHANNELS:
        raise ValueError(f"not an interview channel: {channel}")
    if language not in published.definition.languages:
        raise ValueError(f"not a language of this survey: {language}")

    def work() -> int:
        now = utcnow()
        response = Response(
            survey_id=published.survey_id, survey_version_id=published.version_id,
            channel=channel, language=language, answers={}, started_at=now, updated_at=now,
            expires_at=now + timedelta(days=RESUME_DAYS), interviewer_id=interviewer.id,
            entered_by_id=interviewer.id, proxy=proxy, batch=clean_label(batch, BATCH_MAX) or None,
            consent_recorded_at=now)
        db.session.add(response)
        db.session.flush()
        record("interview.started", actor=interviewer, object_type="response",
               object_id=response.id, ip_address=ip_address,
               detail={"survey": published.slug, "channel": channel, "language": language,
                       "proxy": proxy, "batch": response.batch or ""})
        return int(response.id)

    return in_transaction(work)


def record_refusal(published: PublishedSurvey, *, interviewer: User, channel: str,
                   ip_address: str = "") -> None:
    """No consent, no interview: only the fact is kept (for response rates), no answers."""
    def work() -> None:
        record("interview.consent_refused", actor=interviewer, object_type="survey",
               object_id=published.survey_id, ip_address=ip_address,
               detail={"survey": published.slug, "channel": channel})

    in_transaction(work)


def interview_for(response_id: int, published: PublishedSurvey, interviewer: User) -> Response:
    """The interviewer's own interview on this survey, or NotFound."""
    response = db.session.get(Response, response_id)
    if (response is None or response.survey_id != published.survey_id
            or response.channel not in INTERVIEW_CHANNELS
            or response.interviewer_id != interviewer.id):
        raise NotFound("no such interview")
    return response


def submit_interview(response_id: int, published: PublishedSurvey, interviewer: User,
                     ip_address: str = "") -> str:
    """Submit an interview through the runner's submit, audited in the same transaction."""
    def audit(reference: str) -> None:
        record("interview.submitted", actor=interviewer, object_type="response",
               object_id=response_id, ip_address=ip_address, detail={"reference": reference})

    return submit(response_id, published, also=audit)


@dataclass(frozen=True)
class Progress:
    """An interviewer's completes on one survey against their target (None: no target set)."""

    user_id: int
    name: str
    email: str
    completes: int
    target: int | None

    @property
    def percent(self) -> int | None:
        if not self.target:
            return None
        return min(100, round(100 * self.completes / self.target))


def _completes(survey_id: int) -> dict[int, int]:
    rows = db.session.execute(
        select(Response.interviewer_id, func.count(Response.id))
        .where(Response.survey_id == survey_id, Response.status == "submitted",
               Response.interviewer_id.is_not(None))
        .group_by(Response.interviewer_id)).all()
    return {int(uid or 0): int(n) for uid, n in rows}


def _targets(survey_id: int) -> dict[int, int]:
    rows = db.session.execute(select(InterviewerTarget.interviewer_id, InterviewerTarget.target)
                              .where(InterviewerTarget.survey_id == survey_id)).all()
    return {int(uid): int(t) for uid, t in rows}


def my_progress(user: User, surveys_open: list[PublishedSurvey]) -> list[tuple[PublishedSurvey,
                                                                                Progress]]:
    """The signed-in interviewer's completes and target on each open survey."""
    found = []
    for published in surveys_open:
        completes = _completes(published.survey_id).get(user.id, 0)
        target = _targets(published.survey_id).get(user.id)
        found.append((published, Progress(user.id, user.name, user.email, completes, target)))
    return found


def unfinished_interviews(user: User, published: PublishedSurvey) -> list[Response]:
    """The interviewer's interviews on a survey that were started but not sent, newest first."""
    return list(db.session.scalars(select(Response).where(
        Response.survey_id == published.survey_id, Response.interviewer_id == user.id,
        Response.status == "in_progress", Response.expires_at > utcnow(),
    ).order_by(Response.started_at.desc()).limit(20)))


def interviewers() -> list[User]:
    """Active interviewer accounts, by name."""
    return list(db.session.scalars(select(User).where(
        User.role == "interviewer", User.active.is_(True)).order_by(User.name, User.email)))


def team_progress(published: PublishedSurvey) -> list[Progress]:
    """Every interviewer (and anyone else who interviewed) on a survey: completes and target."""
    completes = _completes(published.survey_id)
    targets = _targets(published.survey_id)
    people = {u.id: u for u in interviewers()}
    others = set(completes) | set(targets)
    for user in db.session.scalars(select(User).where(User.id.in_(others - set(people)))):
        people[user.id] = user
    return [Progress(u.id, u.name, u.email, completes.get(u.id, 0), targets.get(u.id))
            for u in sorted(people.values(), key=lambda u: (u.name.lower(), u.email))]


def set_targets(published: PublishedSurvey, targets: Mapping[int, int | None], *, actor: User,
                ip_address: str = "") -> int:
    """Set (or clear, with None) interviewers' targets on a survey, all at once; audited."""
    allowed = {u.id for u in interviewers()}
    if set(targets) - allowed:
        raise ValueError("targets are only for interviewers")

    def work() -> int:
        existing = {t.interviewer_id: t for t in db.session.scalars(
            select(InterviewerTarget).where(InterviewerTarget.survey_id == published.survey_id))}
        changed: dict[str, int | None] = {}
        for user_id, target in targets.items():
            row = existing.get(user_id)
            if target is None:
                if row is not None:
                    db.session.delete(row)
                    changed[str(user_id)] = None
                continue
            if row is None:
                db.session.add(InterviewerTarget(survey_id=published.survey_id,
                                                 interviewer_id=user_id, target=target,
                                                 set_by_id=actor.id, updated_at=utcnow()))
                changed[str(user_id)] = target
            elif row.target != target:
                row.target, row.set_by_id, row.updated_at = target, actor.id, utcnow()
                changed[str(user_id)] = target
        if changed:
            record("interview.targets_set", actor=actor, object_type="survey",
                   object_id=published.survey_id, ip_address=ip_address,
                   detail={"survey": published.slug, "targets": changed})
        return len(changed)

    return in_transaction(work)
