"""Import responses from a CSV or XLSX file: upload, map, check, then all or nothing (S16).

The file is untrusted: `surveys.imports` reads it with limits and never evaluates formulas.
This module keeps the uploaded file, the mapping of its columns and values to questions and
answers, the preview and the check of every row. Writing the responses (a background job, all
or nothing) is in `engage.services.collect.import_writing`.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

import surveys
from engage.extensions import db
from engage.models import Job, ResponseImport, Survey, SurveyVersion, User
from engage.services.collect.published_surveys import loaded_definition
from engage.services.platform import audit
from engage.services.platform.transactions import in_transaction
from surveys import imports as im
from surveys.answer_messages import N_

MAX_BYTES = 20 * 1024 * 1024
LIMITS = im.Limits(max_bytes=MAX_BYTES)
MAX_STORED_ERRORS = 1000
PREVIEW_ROWS = 10


class ImportProblem(ValueError):
    """Why a file or a step cannot go ahead: a message template (msgid) and its values."""

    def __init__(self, message: str, params: dict[str, str | int] | None = None,
                 field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.params = params or {}
        self.field = field


NAME_TAKEN = N_("An import with this name already exists for this survey: enter a different name")
NOT_PUBLISHED = N_("Select a published survey")
ALREADY_IMPORTED = N_("These responses have already been imported")
IN_PROGRESS = N_("This import is already running")


def published_surveys() -> list[tuple[str, str]]:
    """(slug, title) of every survey with a published version, newest first."""
    rows = db.session.execute(
        select(Survey.slug, SurveyVersion.title, SurveyVersion.number)
        .join(SurveyVersion, SurveyVersion.survey_id == Survey.id)
        .where(SurveyVersion.published_at.is_not(None))
        .order_by(Survey.created_at.desc(), SurveyVersion.number))
    latest: dict[str, str] = {}
    for slug, title, _number in rows:
        latest[slug] = title or slug
    return list(latest.items())


def _latest_version(slug: str) -> SurveyVersion:
    version: SurveyVersion | None = db.session.scalar(
        select(SurveyVersion).join(Survey, Survey.id == SurveyVersion.survey_id)
        .where(Survey.slug == slug, SurveyVersion.published_at.is_not(None))
        .order_by(SurveyVersion.number.desc()).limit(1))
    if version is None:
        raise ImportProblem(NOT_PUBLISHED, field="survey")
    return version


def _table(content: bytes, filename: str) -> im.Table:
    return im.read_table(io.BytesIO(content), filename, LIMITS)


def create_import(actor: User | None, slug: str, name: str, filename: str,
                  content: bytes) -> ResponseImport:
    """Check an uploaded file can be read (every row, within the limits) and keep it."""
    version = _latest_version(slug)
    name = " ".join(name.split())[:64]
    tidy = name

    def name_taken() -> bool:
        return db.session.scalar(select(ResponseImport.id).where(
            ResponseImport.survey_id == version.survey_id, ResponseImport.name == tidy)) \
            is not None

    if name_taken():
        raise ImportProblem(NAME_TAKEN, field="name")
    try:
        table = _table(content, filename)
        count = sum(1 for _ in table.rows)
    except im.FileProblem as problem:
        raise ImportProblem(problem.message, problem.params, field="upload") from problem
    if count == 0:
        raise ImportProblem(im.import_messages.FILE_NO_ROWS, field="upload")
    available = im.targets(loaded_definition(version))
    plan = im.ImportPlan(im.suggest_columns(table.headers, available))

    def work() -> ResponseImport:
        if name_taken():  # checked again in the transaction that saves it
            raise ImportProblem(NAME_TAKEN, field="name")
        record = ResponseImport(
            name=tidy, survey_id=version.survey_id, survey_version_id=version.id,
            filename=filename[-200:], file_format=table.format, size_bytes=len(content),
            content=content, headers=table.headers, plan=plan.to_json(), row_count=count,
            created_by_id=actor.id if actor else None)
        db.session.add(record)
        db.session.flush()
        audit.record("responses.import_upload", actor=actor, object_type="response_import",
                     object_id=record.id, detail={"rows": count, "format": table.format,
                                                  "bytes": len(content)})
        return record

    return in_transaction(work)


def get_import(import_id: int) -> ResponseImport | None:
    """An import, or None."""
    return db.session.get(ResponseImport, import_id)


def all_imports() -> list[tuple[ResponseImport, str]]:
    """Every import, newest first, with its survey's slug."""
    rows = db.session.execute(
        select(ResponseImport, Survey.slug).join(Survey, Survey.id == ResponseImport.survey_id)
        .order_by(ResponseImport.created_at.desc(), ResponseImport.id.desc()))
    return [(r, slug) for r, slug in rows]


def definition(record: ResponseImport) -> surveys.Survey:
    """The survey version the responses will belong to."""
    version = db.session.get(SurveyVersion, record.survey_version_id)
    assert version is not None
    return loaded_definition(version)


def plan_of(record: ResponseImport) -> im.ImportPlan:
    """The import's current mapping."""
    return im.ImportPlan.from_json(record.plan)


def file_rows(record: ResponseImport) -> Iterator[tuple[int, list[str]]]:
    return _table(record.content, record.filename).rows


def _running(record: ResponseImport) -> bool:
    """True while the import's job is queued or running (a job that died lets it run again)."""
    if record.state != "importing":
        return False
    job = db.session.get(Job, record.job_id) if record.job_id else None
    return job is not None and not job.finished


def check_editable(record: ResponseImport) -> None:
    if record.state == "imported":
        raise ImportProblem(ALREADY_IMPORTED)
    if _running(record):
        raise ImportProblem(IN_PROGRESS)


def save_columns(record: ResponseImport, actor: User | None,
                 columns: dict[int, str]) -> list[im.PlanProblem]:
    """Keep which column holds which question; return the problems instead if there are any."""

    def work() -> list[im.PlanProblem]:
        check_editable(record)
        available = im.targets(definition(record))
        old = plan_of(record)
        plan = im.ImportPlan(columns, {k: v for k, v in old.values.items()
                                       if k in columns.values()})
        problems = im.check_plan(available, record.headers, plan)
        if problems:
            return problems  # nothing changed
        record.plan = plan.to_json()
        record.state = "uploaded"
        record.errors, record.error_count = [], 0  # the last report no longer applies
        audit.record("responses.import_map", actor=actor, object_type="response_import",
                     object_id=record.id, detail={"columns": len(columns)})
        return []

    return in_transaction(work)


@dataclass(frozen=True)
class ValueChoice:
    """One distinct value found in a choice column, and the answer it is matched to."""

    key: str
    shown: str
    chosen: str | None


@dataclass(frozen=True)
class ColumnValues:
    """A choice column: its target, the answers it can take, and the values found in it."""

    column: str
    target: im.Target
    values: list[ValueChoice]


def value_choices(record: ResponseImport) -> list[ColumnValues]:
    """For each mapped choice column, its distinct values with their current or suggested answer."""
    survey = definition(record)
    available = im.targets(survey)
    known = {t.key: t for t in available}
    plan = plan_of(record)
    found = im.choice_values(file_rows(record), plan, available)
    columns = []
    for index, key in sorted(plan.columns.items()):
        if key not in found:
            continue
        target = known[key]
        saved = plan.values.get(key, {})
        values = [ValueChoice(k, shown, saved[k] if k in saved
                              else im.suggest_value(shown, target.options))
                  for k, shown in found[key].items()]
        columns.append(ColumnValues(record.headers[index], target, values))
    return columns


def save_values(record: ResponseImport, actor: User | None,
                values: dict[str, dict[str, str]]) -> None:
    """Keep what each value of each choice column means (an option id, or "" for blank)."""

    def work() -> None:
        check_editable(record)
        plan = plan_of(record)
        available = {t.key: t for t in im.targets(definition(record))}
        kept: dict[str, dict[str, str]] = {}
        for key, table in values.items():
            target = available.get(key)
            if target is None or key not in plan.columns.values():
                continue
            ids = {o.id for o in target.options}
            kept[key] = {k[:200]: v for k, v in table.items() if v == "" or v in ids}
        record.plan = im.ImportPlan(plan.columns, kept).to_json()
        record.state = "uploaded"
        record.errors, record.error_count = [], 0  # the last report no longer applies
        audit.record("responses.import_map", actor=actor, object_type="response_import",
                     object_id=record.id, detail={"value_columns": len(kept)})

    in_transaction(work)


def row_converter(record: ResponseImport) -> im.RowConverter:
    survey = definition(record)
    return im.RowConverter(survey, im.targets(survey), record.headers, plan_of(record))


@dataclass(frozen=True)
class PreviewRow:
    """A row as it will be stored: its answers shown as text, and its errors."""

    row: int
    cells: list[str]
    errors: list[im.RowError]


def preview(record: ResponseImport, rows: int = PREVIEW_ROWS) -> tuple[list[str], list[PreviewRow]]:
    """The mapped questions' titles, and the first rows as they will be stored."""
    survey = definition(record)
    converter = row_converter(record)
    titles = [survey.text(q.title, survey.language) for q, _ in converter.questions]
    shown: list[PreviewRow] = []
    for number, cells in file_rows(record):
        result = converter.convert(number, cells)
        texts = [surveys.display_answer(survey, q.id, result.answers.get(q.id), survey.language)
                 if q.id in result.answers else "" for q, _ in converter.questions]
        shown.append(PreviewRow(number, texts, result.errors))
        if len(shown) >= rows:
            break
    return titles, shown


def _error_json(error: im.RowError) -> dict[str, Any]:
    return {"row": error.row, "column": error.column, "value": error.value,
            "message": error.message, "params": dict(error.params)}


def check_all(record: ResponseImport) -> tuple[int, list[dict[str, Any]]]:
    """Check every row; return how many errors there are and the first ones (for the report)."""
    converter = row_converter(record)
    count = 0
    kept: list[dict[str, Any]] = []
    for result in im.convert_rows(converter, file_rows(record)):
        for error in result.errors:
            count += 1
            if len(kept) < MAX_STORED_ERRORS:
                kept.append(_error_json(error))
    return count, kept


def column_samples(record: ResponseImport, rows: int = 3) -> list[list[str]]:
    """For each column, its first few non-blank values (to help match it to a question)."""
    samples: list[list[str]] = [[] for _ in record.headers]
    for seen, (_number, cells) in enumerate(file_rows(record)):
        for index, value in enumerate(cells):
            if value and len(samples[index]) < rows:
                samples[index].append(value[:60])
        if seen >= 50 or all(len(s) >= rows for s in samples):
            break
    return samples
