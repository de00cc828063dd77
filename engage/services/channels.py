"""Assisted channels on the one response model (issue 6): interviews, paper keying, second keying.

Interviews run the same runner (engage.services.responses saves and submits them); this module
starts them with the interview details, records paper sheets and their second keying in one
transaction each, counts interviewers' completes against their targets, and compares keyings.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

import surveys
from engage.extensions import db
from engage.models import FreeTextAnswer, InterviewerTarget, PaperRekey, Response, User
from engage.models._types import utcnow
from engage.services.audit import record
from engage.services.references import new_reference
from engage.services.responses import RESUME_DAYS, submit
from engage.services.surveys import PublishedSurvey
from engage.services.transactions import in_transaction

INTERVIEW_CHANNELS: tuple[str, ...] = ("face_to_face", "phone")
INTERVIEWER_ROLES: tuple[str, ...] = ("interviewer", "engagement_officer")
BATCH_MAX = 64
SHEET_MAX = 20
TARGET_MAX = 100_000
SAMPLE_SHARE = 0.1  # the share of sheets suggested for a second keying


class DuplicateSheet(ValueError):
    """A sheet with this number is already keyed in this batch."""


class SameKeyer(ValueError):
    """The second keying must be done by someone other than the first keyer."""


class AlreadyRekeyed(ValueError):
    """This sheet has had its second keying."""


class SheetNotFound(LookupError):
    """No paper sheet with this batch and number."""


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
    """The interviewer's own interview on this survey, or LookupError."""
    response = db.session.get(Response, response_id)
    if (response is None or response.survey_id != published.survey_id
            or response.channel not in INTERVIEW_CHANNELS
            or response.interviewer_id != interviewer.id):
        raise LookupError("no such interview")
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


# Paper keying -------------------------------------------------------------------------------


@dataclass
class SheetResult:
    """The whole sheet validated by the engine, page by page along its routing."""

    answers: dict[str, Any]
    errors: list[surveys.FieldError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def validate_sheet(definition: surveys.Survey, form: surveys.FormData,
                   language: str) -> SheetResult:
    """Validate every page a respondent with these answers would see, as the runner would.

    Pages are walked along the routing: each page is validated with the answers before it,
    exactly as the runner validates it, so skips and conditions apply as they do online.
    Answers written on questions the routing skips are dropped (the engine's prune).
    One difference from online, for paper only: any question may be left blank, even a
    required one ("not answered", stored as None), because a box left empty on a returned
    sheet cannot be sent back to the respondent. Everything written is still checked.
    """
    answers: dict[str, Any] = {}
    errors: list[surveys.FieldError] = []
    seen: set[str] = set()
    first = surveys.path(definition, answers)
    page_id: str | None = first[0] if first else None
    while page_id is not None and page_id not in seen:
        seen.add(page_id)
        result = surveys.validate_page(definition, page_id, form, language, answers,
                                       enforce_required=False)
        answers.update(result.answers)
        errors.extend(result.errors)
        page_id = surveys.next_page(definition, answers, page_id)
    final = surveys.prune(definition, answers)
    if not errors and not surveys.is_complete(definition, final):
        missing = surveys.first_unanswered_page(definition, final) or ""
        raise RuntimeError(f"walked the routing but page {missing} was not seen")
    return SheetResult(final, errors)


def sheet_taken(survey_id: int, batch: str, sheet_number: str) -> bool:
    return db.session.scalar(select(func.count(Response.id)).where(
        Response.survey_id == survey_id, Response.batch == batch,
        Response.sheet_number == sheet_number)) != 0


def record_paper(published: PublishedSurvey, answers: Mapping[str, Any], *, language: str,
                 batch: str, sheet_number: str, keyed_by: User, ip_address: str = "") -> str:
    """Store one keyed paper sheet as a submitted response with its free text; audited.

    All or nothing: the response, its free text and the audit row commit together. Raises
    DuplicateSheet when the batch already has this sheet number.
    """
    batch = clean_label(batch, BATCH_MAX)
    sheet_number = clean_label(sheet_number, SHEET_MAX)
    definition = published.definition
    if not batch or not sheet_number:
        raise ValueError("batch and sheet number are required")
    if sheet_taken(published.survey_id, batch, sheet_number):
        raise DuplicateSheet(sheet_number)
    for _attempt in range(3):
        def work() -> str:
            now = utcnow()
            reference = new_reference()
            response = Response(
                survey_id=published.survey_id, survey_version_id=published.version_id,
                status="submitted", channel="paper", language=language, answers=dict(answers),
                reference=reference, started_at=now, updated_at=now, submitted_at=now,
                batch=batch, sheet_number=sheet_number, entered_by_id=keyed_by.id)
            db.session.add(response)
            db.session.flush()
            texts = [{"response_id": response.id, "survey_id": published.survey_id,
                      "survey_version_id": published.version_id, "question_id": qid,
                      "text": text, "language": language, "channel": "paper",
                      "submitted_at": now}
                     for qid, text in surveys.free_text_answers(definition, answers)]
            if texts:
                db.session.execute(insert(FreeTextAnswer.__table__), texts)
            record("paper.keyed", actor=keyed_by, object_type="response", object_id=response.id,
                   ip_address=ip_address,
                   detail={"survey": published.slug, "batch": batch, "sheet": sheet_number,
                           "reference": reference})
            return reference

        try:
            return in_transaction(work)
        except IntegrityError as exc:
            db.session.rollback()
            if sheet_taken(published.survey_id, batch, sheet_number):  # a racing keyer won
                raise DuplicateSheet(sheet_number) from exc
            # otherwise a reference collision: try again with a new one
    raise RuntimeError("could not store the sheet")


def paper_sheet(published: PublishedSurvey, batch: str, sheet_number: str) -> Response:
    """The first keying of a sheet, or SheetNotFound."""
    found: Response | None = db.session.scalar(select(Response).where(
        Response.survey_id == published.survey_id, Response.channel == "paper",
        Response.batch == clean_label(batch, BATCH_MAX),
        Response.sheet_number == clean_label(sheet_number, SHEET_MAX)))
    if found is None:
        raise SheetNotFound(sheet_number)
    return found


def record_rekey(published: PublishedSurvey, first: Response, answers: Mapping[str, Any], *,
                 keyed_by: User, ip_address: str = "") -> int:
    """Store the second keying of a sheet (never counted as a response); audited."""
    if first.entered_by_id == keyed_by.id:
        raise SameKeyer(first.sheet_number)
    if db.session.scalar(select(PaperRekey.id).where(PaperRekey.response_id == first.id)):
        raise AlreadyRekeyed(first.sheet_number)

    def work() -> int:
        rekey = PaperRekey(response_id=first.id, answers=dict(answers), keyed_by_id=keyed_by.id,
                           keyed_at=utcnow())
        db.session.add(rekey)
        db.session.flush()
        differences = len(compare_keyings(published.definition, first.answers or {}, answers))
        record("paper.rekeyed", actor=keyed_by, object_type="response", object_id=first.id,
               ip_address=ip_address,
               detail={"survey": published.slug, "batch": first.batch or "",
                       "sheet": first.sheet_number or "", "disagreements": differences})
        return int(rekey.id)

    try:
        return in_transaction(work)
    except IntegrityError as exc:  # another person finished the second keying first
        db.session.rollback()
        raise AlreadyRekeyed(first.sheet_number) from exc


def compare_keyings(definition: surveys.Survey, first: Mapping[str, Any],
                    second: Mapping[str, Any]) -> list[str]:
    """Ids of the questions (in survey order) where the two keyings disagree."""
    return [q.id for q in definition.questions
            if _normal(first.get(q.id)) != _normal(second.get(q.id))]


def _normal(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items() if v not in (None, "")}
    return value


@dataclass(frozen=True)
class Disagreement:
    batch: str
    sheet_number: str
    question_id: str
    first: str
    second: str


@dataclass(frozen=True)
class RekeyReport:
    """Second keying against first: how many sheets, and disagreements per question."""

    sheets: int
    sheets_with_disagreements: int
    per_question: list[tuple[str, str, int]]  # (question id, title, disagreements)
    disagreements: list[Disagreement]


def rekey_report(published: PublishedSurvey, language: str) -> RekeyReport:
    """Every sheet keyed twice on this survey, compared question by question."""
    definition = published.definition
    rows = db.session.execute(
        select(Response.batch, Response.sheet_number, Response.answers, PaperRekey.answers)
        .join(PaperRekey, PaperRekey.response_id == Response.id)
        .where(Response.survey_id == published.survey_id)
        .order_by(Response.batch, Response.sheet_number)).all()
    counts: dict[str, int] = {}
    found: list[Disagreement] = []
    sheets_with = 0
    for batch, sheet, first, second in rows:
        differing = compare_keyings(definition, first or {}, second or {})
        sheets_with += bool(differing)
        for qid in differing:
            counts[qid] = counts.get(qid, 0) + 1
            found.append(Disagreement(
                batch or "", sheet or "", qid,
                surveys.display_answer(definition, qid, (first or {}).get(qid), language),
                surveys.display_answer(definition, qid, (second or {}).get(qid), language)))
    per_question = [(q.id, surveys.localise(q.title, language, definition.language),
                     counts[q.id]) for q in definition.questions if q.id in counts]
    return RekeyReport(len(rows), sheets_with, per_question, found)


def rekey_sample(published: PublishedSurvey, limit: int = 50) -> list[tuple[str, str]]:
    """About one sheet in ten of each batch not yet keyed twice, the same each time it is asked."""
    rows = db.session.execute(
        select(Response.batch, Response.sheet_number)
        .outerjoin(PaperRekey, PaperRekey.response_id == Response.id)
        .where(Response.survey_id == published.survey_id, Response.channel == "paper",
               PaperRekey.id.is_(None))
        .order_by(Response.batch, Response.id)).all()
    chosen = [(str(b or ""), str(s or "")) for b, s in rows
              if random.Random(f"{published.survey_id}:{b}:{s}").random() < SAMPLE_SHARE]
    return chosen[:limit]


def published_surveys() -> list[PublishedSurvey]:
    """Every survey with a published version, open or closed (paper arrives after closing)."""
    from engage.models import Survey
    from engage.services.surveys import SurveyNotFound, published_survey

    found = []
    for slug in db.session.scalars(select(Survey.slug).order_by(Survey.created_at.desc())):
        try:
            found.append(published_survey(slug))
        except SurveyNotFound:
            continue
    return found


def paper_response(published: PublishedSurvey, response_id: int) -> Response:
    """A keyed paper sheet of this survey by id, or SheetNotFound."""
    found = db.session.get(Response, response_id)
    if found is None or found.survey_id != published.survey_id or found.channel != "paper":
        raise SheetNotFound(str(response_id))
    return found


def is_rekeyed(response_id: int) -> bool:
    return db.session.scalar(select(PaperRekey.id).where(
        PaperRekey.response_id == response_id)) is not None
