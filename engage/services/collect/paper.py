"""Paper keying on the one response model (issue 6): sheets keyed, second keying, comparison.

Each keyed sheet is validated along its routing as the runner would, then stored as a submitted
response with its free text in one transaction; a second keying by someone else is stored apart
(never counted as a response) and compared with the first. Interviews are in
`engage.services.collect.channels`.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

import surveys
from engage.extensions import db
from engage.models import FreeTextAnswer, PaperRekey, Response, User
from engage.models._types import utcnow
from engage.models.response import SHEET_MAX as SHEET_MAX  # the services API keeps its name
from engage.services.collect.channels import BATCH_MAX, clean_label
from engage.services.collect.published_surveys import PublishedSurvey
from engage.services.platform.audit import record
from engage.services.platform.references import new_reference, with_new_references
from engage.services.platform.transactions import in_transaction
from surveys.errors import NotFound

SAMPLE_SHARE = 0.1  # the share of sheets suggested for a second keying


class DuplicateSheet(ValueError):
    """A sheet with this number is already keyed in this batch."""


class SameKeyer(ValueError):
    """The second keying must be done by someone other than the first keyer."""


class AlreadyRekeyed(ValueError):
    """This sheet has had its second keying."""


class SheetNotFound(NotFound):
    """No paper sheet with this batch and number."""


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

    def clash(exc: IntegrityError) -> None:
        if sheet_taken(published.survey_id, batch, sheet_number):  # a racing keyer won
            raise DuplicateSheet(sheet_number) from exc
        # otherwise a reference collision: try again with a new one

    return with_new_references(lambda: in_transaction(work), tries=3, clash=clash)


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
    from engage.services.collect.published_surveys import SurveyNotFound, published_survey

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
