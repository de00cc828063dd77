"""Import responses from a CSV or XLSX file: upload, map, check, then all or nothing (S16).

The file is untrusted: `surveys.imports` reads it with limits and never evaluates formulas.
The import runs as a background job (SECURITY.md R5). Rows are read as a stream twice: first
every row is checked (nothing is written if any row is bad, and every bad cell is reported),
then the rows are written in short transactions of BATCH rows as hidden 'importing' responses
and made visible together in one short last transaction; on failure they are deleted. So
either every response is stored or none is, and no write transaction holds the lock for long.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

import surveys
from engage.extensions import db
from engage.models import (
    FreeTextAnswer,
    Job,
    Response,
    ResponseImport,
    Survey,
    SurveyVersion,
    User,
)
from engage.models._types import utcnow
from engage.services import audit, jobs
from engage.services.references import new_reference
from engage.services.surveys import loaded_definition
from engage.services.transactions import changed_rows
from surveys import imports as im
from surveys.messages import N_

MAX_BYTES = 20 * 1024 * 1024
LIMITS = im.Limits(max_bytes=MAX_BYTES)
BATCH = 1000
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
JOB_KIND = "response_import"


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
    taken = db.session.scalar(select(ResponseImport.id).where(
        ResponseImport.survey_id == version.survey_id, ResponseImport.name == name))
    if taken is not None:
        raise ImportProblem(NAME_TAKEN, field="name")
    try:
        table = _table(content, filename)
        count = sum(1 for _ in table.rows)
    except im.FileProblem as problem:
        raise ImportProblem(problem.message, problem.params, field="upload") from problem
    if count == 0:
        raise ImportProblem(im.messages.FILE_NO_ROWS, field="upload")
    available = im.targets(loaded_definition(version))
    plan = im.ImportPlan(im.suggest_columns(table.headers, available))
    record = ResponseImport(
        name=name, survey_id=version.survey_id, survey_version_id=version.id,
        filename=filename[-200:], file_format=table.format, size_bytes=len(content),
        content=content, headers=table.headers, plan=plan.to_json(), row_count=count,
        created_by_id=actor.id if actor else None)
    db.session.add(record)
    db.session.flush()
    audit.record("responses.import_upload", actor=actor, object_type="response_import",
                 object_id=record.id, detail={"rows": count, "format": table.format,
                                              "bytes": len(content)})
    db.session.commit()
    return record


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


def _rows(record: ResponseImport) -> Iterator[tuple[int, list[str]]]:
    return _table(record.content, record.filename).rows


def _running(record: ResponseImport) -> bool:
    """True while the import's job is queued or running (a job that died lets it run again)."""
    if record.state != "importing":
        return False
    job = db.session.get(Job, record.job_id) if record.job_id else None
    return job is not None and not job.finished


def _editable(record: ResponseImport) -> None:
    if record.state == "imported":
        raise ImportProblem(ALREADY_IMPORTED)
    if _running(record):
        raise ImportProblem(IN_PROGRESS)


def save_columns(record: ResponseImport, actor: User | None,
                 columns: dict[int, str]) -> list[im.PlanProblem]:
    """Keep which column holds which question; return the problems instead if there are any."""
    _editable(record)
    available = im.targets(definition(record))
    old = plan_of(record)
    plan = im.ImportPlan(columns, {k: v for k, v in old.values.items() if k in columns.values()})
    problems = im.check_plan(available, record.headers, plan)
    if problems:
        return problems
    record.plan = plan.to_json()
    record.state = "uploaded"
    record.errors, record.error_count = [], 0  # the last report no longer applies
    audit.record("responses.import_map", actor=actor, object_type="response_import",
                 object_id=record.id, detail={"columns": len(columns)})
    db.session.commit()
    return []


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
    found = im.choice_values(_rows(record), plan, available)
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
    _editable(record)
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
    db.session.commit()


def _converter(record: ResponseImport) -> im.RowConverter:
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
    converter = _converter(record)
    titles = [survey.text(q.title, survey.language) for q, _ in converter.questions]
    shown: list[PreviewRow] = []
    for number, cells in _rows(record):
        result = converter.convert(number, cells)
        texts = [surveys.display_answer(survey, q.id, result.answers.get(q.id), survey.language)
                 if q.id in result.answers else "" for q, _ in converter.questions]
        shown.append(PreviewRow(number, texts, result.errors))
        if len(shown) >= rows:
            break
    return titles, shown


@dataclass(frozen=True)
class Outcome:
    """What an import attempt did: responses stored (0 if any row was bad) and errors found."""

    imported: int
    error_count: int
    errors: list[dict[str, Any]]


def _error_json(error: im.RowError) -> dict[str, Any]:
    return {"row": error.row, "column": error.column, "value": error.value,
            "message": error.message, "params": dict(error.params)}


def check_all(record: ResponseImport) -> tuple[int, list[dict[str, Any]]]:
    """Check every row; return how many errors there are and the first ones (for the report)."""
    converter = _converter(record)
    count = 0
    kept: list[dict[str, Any]] = []
    for result in im.convert_rows(converter, _rows(record)):
        for error in result.errors:
            count += 1
            if len(kept) < MAX_STORED_ERRORS:
                kept.append(_error_json(error))
    return count, kept


def _base(record: ResponseImport, survey: surveys.Survey, actor_id: int | None
          ) -> dict[str, Any]:
    now = utcnow()
    return {"survey_id": record.survey_id, "survey_version_id": record.survey_version_id,
            "status": "importing", "channel": "import", "language": survey.language,
            "current_page": "", "started_at": now, "updated_at": now, "submitted_at": now,
            "batch": record.name, "entered_by_id": actor_id, "proxy": False}


def _unfinished(record: ResponseImport) -> Any:
    """The WHERE clause of this import's rows that are not visible yet."""
    return (Response.survey_id == record.survey_id, Response.channel == "import",
            Response.batch == record.name, Response.status == "importing")


def _write_batch(record: ResponseImport, survey: surveys.Survey,
                 batch: list[dict[str, Any]]) -> None:
    """Insert one batch (responses hidden as 'importing', and their free text) and commit it.

    A reference that clashes with another response (about 1 in 600 imports of 50,000 rows)
    fails the unique constraint: only this batch is written again with new references.
    """
    table = Response.__table__
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    for attempt in range(3):
        try:
            ids = db.session.execute(statement, batch).scalars().all()
            texts = [{"response_id": rid, "survey_id": record.survey_id,
                      "survey_version_id": record.survey_version_id, "question_id": qid,
                      "text": text, "language": survey.language, "channel": "import",
                      "submitted_at": row["submitted_at"]}
                     for rid, row in zip(ids, batch, strict=True)
                     for qid, text in surveys.free_text_answers(survey, row["answers"])]
            if texts:
                db.session.execute(insert(FreeTextAnswer.__table__), texts)
            db.session.commit()
            return
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise
            for row in batch:
                row["reference"] = new_reference()


def remove_unfinished(record: ResponseImport) -> int:
    """Delete an unfinished import's hidden rows (their free text goes with them), in batches."""
    removed = 0
    while True:
        ids = list(db.session.scalars(select(Response.id).where(*_unfinished(record))
                                      .limit(BATCH)))
        if not ids:
            return removed
        db.session.execute(delete(FreeTextAnswer).where(FreeTextAnswer.response_id.in_(ids)))
        db.session.execute(delete(Response).where(Response.id.in_(ids)))
        db.session.commit()
        removed += len(ids)


def _write_all(record: ResponseImport, actor_id: int | None,
               progress: Progress | None = None) -> int:
    """Insert every row as a hidden ('importing') response, one short transaction per batch."""
    survey = definition(record)
    converter = _converter(record)
    base = _base(record, survey, actor_id)
    written = 0
    batch: list[dict[str, Any]] = []
    for result in im.convert_rows(converter, _rows(record)):
        if not result.ok:  # the file changed under us: refuse rather than half-import
            raise ImportProblem(im.messages.VALUE_NOT_MAPPED, {"value": str(result.row)})
        batch.append({**base, "answers": result.answers, "reference": new_reference()})
        if len(batch) >= BATCH:
            _write_batch(record, survey, batch)
            written += len(batch)
            batch = []
            if progress is not None:
                progress(written)
    if batch:
        _write_batch(record, survey, batch)
        written += len(batch)
    return written


Progress = Callable[[int], None]


def start_import(record: ResponseImport, actor: User | None) -> Job:
    """Queue the import as a background job (the file is checked and written there)."""
    _editable(record)
    job = jobs.enqueue(JOB_KIND, {"import_id": record.id}, actor, commit=False,
                       dispatch_now=False)
    record.state = "importing"
    record.job_id = job.id
    audit.record("responses.import_started", actor=actor, object_type="response_import",
                 object_id=record.id, detail={"rows": record.row_count})
    db.session.commit()
    jobs.dispatch(job.id)
    db.session.expire_all()  # a job run at once used a session of its own
    started = db.session.get(Job, job.id)
    assert started is not None
    return started


def run_import(record: ResponseImport, actor: User | None,
               progress: Callable[[int, str], None] | None = None) -> Outcome:
    """Check every row; if all are good store them all, else store none.

    The rows are written in short transactions as hidden 'importing' responses, then made
    visible together in one short last transaction; on any failure the hidden rows are deleted.
    No reader (exports, counts, analysis, weighting) sees a response that is not 'submitted'.
    """
    if record.state == "imported":
        raise ImportProblem(ALREADY_IMPORTED)
    record_id = record.id
    actor_id = actor.id if actor else None
    report = progress or (lambda _percent, _message: None)
    report(1, "Checking every row")
    count, errors = check_all(record)
    if count:
        record.state = "failed"
        record.error_count = count
        record.errors = errors
        audit.record("responses.import_failed", actor=actor, object_type="response_import",
                     object_id=record_id, detail={"errors": count})
        db.session.commit()
        return Outcome(0, count, errors)
    total = max(1, record.row_count)

    def written_so_far(n: int) -> None:
        report(10 + int(85 * n / total), f"Stored {n} of {total} rows")

    report(10, "Storing the rows")
    try:
        remove_unfinished(record)  # what an interrupted earlier attempt left behind
        written = _write_all(record, actor_id, written_so_far)
        report(96, "Making the responses visible")
        record = db.session.get(ResponseImport, record_id)  # type: ignore[assignment]
        shown = changed_rows(
            update(Response).where(*_unfinished(record))
            .values(status="submitted", submitted_at=utcnow()))
        if shown != written:  # someone else touched the rows: refuse rather than half-import
            raise RuntimeError(f"{shown} of {written} imported rows found")
        record.state = "imported"
        record.imported_count = written
        record.error_count = 0
        record.errors = []
        record.content = b""  # the file is not kept once its responses are stored
        record.imported_at = utcnow()
        audit.record("responses.import", actor=actor, object_type="response_import",
                     object_id=record_id, detail={"rows": written, "batch": record.name})
        db.session.commit()
        return Outcome(written, 0, [])
    except BaseException:
        db.session.rollback()
        record = db.session.get(ResponseImport, record_id)  # type: ignore[assignment]
        remove_unfinished(record)
        if record.state == "importing":
            record.state = "uploaded"
            db.session.commit()
        raise


@jobs.job_handler(JOB_KIND)
def import_job(ctx: jobs.JobContext) -> dict[str, Any]:
    """The background job: check then write an import; the result links back to its page."""
    record = db.session.get(ResponseImport, int(ctx.params["import_id"]))
    if record is None:
        raise jobs.JobFailed("The import no longer exists")
    actor = db.session.get(User, ctx.created_by_id) if ctx.created_by_id else None
    args = {"endpoint": "staff.import_check", "endpoint_args": {"import_id": record.id}}
    try:
        outcome = run_import(record, actor, ctx.progress)
    except ImportProblem as problem:
        raise jobs.JobFailed(problem.message % problem.params if problem.params
                             else problem.message) from problem
    return {**args, "imported": outcome.imported, "errors": outcome.error_count}


def discard_import(record: ResponseImport, actor: User | None) -> None:
    """Delete an import that has not been imported, with its file (and any hidden rows an
    interrupted attempt left behind)."""
    _editable(record)
    remove_unfinished(record)
    audit.record("responses.import_discard", actor=actor, object_type="response_import",
                 object_id=record.id)
    db.session.delete(record)
    db.session.commit()


def column_samples(record: ResponseImport, rows: int = 3) -> list[list[str]]:
    """For each column, its first few non-blank values (to help match it to a question)."""
    samples: list[list[str]] = [[] for _ in record.headers]
    for seen, (_number, cells) in enumerate(_rows(record)):
        for index, value in enumerate(cells):
            if value and len(samples[index]) < rows:
                samples[index].append(value[:60])
        if seen >= 50 or all(len(s) >= rows for s in samples):
            break
    return samples
