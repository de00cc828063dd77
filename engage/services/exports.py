"""Exports of survey responses: CSV in constant memory, with a codebook (S14, S15)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select

from engage.extensions import db
from engage.models import Response, Survey, SurveyVersion, User
from engage.services import audit
from engage.services.surveys import loaded_definition
from surveys import tabulate

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")
BOM = "\ufeff"
BATCH = 500


def safe_cell(value: object) -> str:
    """A cell as text that no spreadsheet will run as a formula (a leading quote defuses it)."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def _line(cells: list[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([safe_cell(c) for c in cells])
    return buffer.getvalue()


@dataclass(frozen=True)
class Export:
    """A prepared export: its file name, row count and a generator of CSV text chunks."""

    filename: str
    rows: int
    chunks: Iterator[str]


META = ["reference", "submitted_at", "survey_version", "channel", "language",
        "proxy", "batch", "sheet_number", "interviewer"]


def responses_csv(slug: str, actor: User, ip_address: str = "") -> Export:
    """All submitted responses of a survey as CSV (labels, one column per option); audited."""
    survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
    if survey is None or not survey.versions:
        raise LookupError(slug)
    latest = survey.versions[-1]
    definition = loaded_definition(latest)
    cols = tabulate.columns(definition)
    count = db.session.scalar(select(func.count(Response.id)).where(
        Response.survey_id == survey.id, Response.status == "submitted")) or 0
    audit.record("export.responses_csv", actor=actor, object_type="survey", object_id=survey.id,
                 ip_address=ip_address, detail={"rows": count, "slug": slug})
    db.session.commit()
    numbers = dict(db.session.execute(select(SurveyVersion.id, SurveyVersion.number).where(
        SurveyVersion.survey_id == survey.id)).all())

    def generate() -> Iterator[str]:
        yield BOM + _line([*META, *(c.header for c in cols)])
        table = Response.__table__
        query = (select(table.c.reference, table.c.submitted_at, table.c.survey_version_id,
                        table.c.channel, table.c.language, table.c.answers,
                        table.c.proxy, table.c.batch, table.c.sheet_number,
                        table.c.interviewer_id)
                 .where(table.c.survey_id == survey.id, table.c.status == "submitted")
                 .order_by(table.c.id)
                 .execution_options(yield_per=BATCH))
        buffer: list[str] = []
        for row in db.session.execute(query):
            submitted = row.submitted_at.isoformat(timespec="seconds") if row.submitted_at else ""
            buffer.append(_line([row.reference, submitted, numbers.get(row.survey_version_id),
                                 row.channel, row.language, "yes" if row.proxy else "no",
                                 row.batch or "", row.sheet_number or "",
                                 row.interviewer_id or "",
                                 *tabulate.row(definition, cols, row.answers or {})]))
            if len(buffer) >= BATCH:
                yield "".join(buffer)
                buffer = []
        if buffer:
            yield "".join(buffer)

    return Export(filename=f"{slug}-responses.csv", rows=count, chunks=generate())


def codebook_csv(slug: str, actor: User, ip_address: str = "") -> Export:
    """The codebook of a survey's export: one row per column, explaining it; audited."""
    survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
    if survey is None or not survey.versions:
        raise LookupError(slug)
    definition = loaded_definition(survey.versions[-1])
    book = tabulate.codebook(definition)
    fields = ["column", "key", "question_id", "wording", "type", "values", "asked_when",
              "routing_after_page"]
    meta = [
        {"column": "reference", "wording": "The response's reference (given to the resident)"},
        {"column": "submitted_at", "wording": "When the response was sent (UTC)"},
        {"column": "survey_version", "wording": "The survey version answered"},
        {"column": "channel", "wording": "online, face_to_face, phone, paper, import or "
                                         "group_session"},
        {"column": "language", "wording": "The language the survey was answered in"},
        {"column": "proxy", "wording": "yes when someone answered on the resident's behalf"},
        {"column": "batch", "wording": "The fieldwork batch (interviews, paper bundles)"},
        {"column": "sheet_number", "wording": "The paper sheet's number within its batch"},
        {"column": "interviewer", "wording": "The interviewer's staff account number "
                                             "(face to face and phone)"},
    ]
    audit.record("export.codebook_csv", actor=actor, object_type="survey", object_id=survey.id,
                 ip_address=ip_address, detail={"rows": len(book) + len(meta), "slug": slug})
    db.session.commit()

    def generate() -> Iterator[str]:
        yield BOM + _line(list(fields))
        for entry in [*meta, *book]:
            yield _line([entry.get(f, "") for f in fields])

    return Export(filename=f"{slug}-codebook.csv", rows=len(book) + len(meta),
                  chunks=generate())


@dataclass(frozen=True)
class SurveySummary:
    """A line of the staff survey list."""

    slug: str
    title: str
    versions: int
    submitted: int
    in_progress: int
    by_channel: dict[str, int]


def survey_summaries() -> list[SurveySummary]:
    """Every survey with its response counts, newest first."""
    found = []
    for survey in db.session.scalars(select(Survey).order_by(Survey.created_at.desc())):
        counts = db.session.execute(
            select(Response.status, Response.channel, func.count(Response.id))
            .where(Response.survey_id == survey.id)
            .group_by(Response.status, Response.channel)).all()
        by_channel: dict[str, int] = {}
        submitted = in_progress = 0
        for status, channel, n in counts:
            if status == "submitted":
                submitted += n
                by_channel[channel] = by_channel.get(channel, 0) + n
            else:
                in_progress += n
        latest = survey.versions[-1] if survey.versions else None
        found.append(SurveySummary(slug=survey.slug, title=latest.title if latest else survey.slug,
                                   versions=len(survey.versions), submitted=submitted,
                                   in_progress=in_progress, by_channel=by_channel))
    return found
