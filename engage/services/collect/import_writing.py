"""Write an import's responses: all or nothing, as a background job (S16).

The import runs as a background job (SECURITY.md R5). Rows are read as a stream twice: first
every row is checked (nothing is written if any row is bad, and every bad cell is reported),
then the rows are written in short transactions of BATCH rows as hidden 'importing' responses
and made visible together in one short last transaction; on failure they are deleted. So
either every response is stored or none is, and no write transaction holds the lock for long.
Uploading and mapping the file are in `engage.services.collect.imports`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update

import surveys
from engage.extensions import db
from engage.models import FreeTextAnswer, Job, Response, ResponseImport, User
from engage.models._types import utcnow
from engage.services.collect.imports import (
    ALREADY_IMPORTED,
    ImportProblem,
    check_all,
    check_editable,
    definition,
    file_rows,
    row_converter,
)
from engage.services.platform import audit, jobs
from engage.services.platform.references import new_reference, with_new_references
from engage.services.platform.transactions import changed_rows, in_transaction
from surveys import imports as im

JOB_KIND = "response_import"
BATCH = 1000


@dataclass(frozen=True)
class Outcome:
    """What an import attempt did: responses stored (0 if any row was bad) and errors found."""

    imported: int
    error_count: int
    errors: list[dict[str, Any]]


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
    def write() -> None:
        for row in batch:
            row["reference"] = new_reference()
        ids = db.session.execute(statement, batch).scalars().all()
        texts = [{"response_id": rid, "survey_id": record.survey_id,
                  "survey_version_id": record.survey_version_id, "question_id": qid,
                  "text": text, "language": survey.language, "channel": "import",
                  "submitted_at": row["submitted_at"]}
                 for rid, row in zip(ids, batch, strict=True)
                 for qid, text in surveys.free_text_answers(survey, row["answers"])]
        if texts:
            db.session.execute(insert(FreeTextAnswer.__table__), texts)

    # Each batch is its own retrying transaction: a lock is waited out, a reference clash
    # writes the batch again with new references.
    with_new_references(lambda: in_transaction(write), tries=3)

def remove_unfinished(record: ResponseImport) -> int:
    """Delete an unfinished import's hidden rows (their free text goes with them), in batches."""
    conditions = _unfinished(record)

    def one_batch() -> int:  # its own retrying transaction
        ids = list(db.session.scalars(select(Response.id).where(*conditions).limit(BATCH)))
        if ids:
            db.session.execute(delete(FreeTextAnswer).where(FreeTextAnswer.response_id.in_(ids)))
            db.session.execute(delete(Response).where(Response.id.in_(ids)))
        return len(ids)

    removed = 0
    while done := in_transaction(one_batch):
        removed += done
    return removed


Progress = Callable[[int], None]


def _write_all(record: ResponseImport, actor_id: int | None,
               progress: Progress | None = None) -> int:
    """Insert every row as a hidden ('importing') response, one short transaction per batch."""
    survey = definition(record)
    converter = row_converter(record)
    base = _base(record, survey, actor_id)
    written = 0
    batch: list[dict[str, Any]] = []
    for result in im.convert_rows(converter, file_rows(record)):
        if not result.ok:  # the file changed under us: refuse rather than half-import
            raise ImportProblem(im.import_messages.VALUE_NOT_MAPPED, {"value": str(result.row)})
        batch.append({**base, "answers": result.answers})
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


def start_import(record: ResponseImport, actor: User | None) -> Job:
    """Queue the import as a background job (the file is checked and written there)."""

    def work() -> Job:
        check_editable(record)
        job = jobs.enqueue(JOB_KIND, {"import_id": record.id}, actor, commit=False,
                           dispatch_now=False)
        record.state = "importing"
        record.job_id = job.id
        audit.record("responses.import_started", actor=actor, object_type="response_import",
                     object_id=record.id, detail={"rows": record.row_count})
        return job

    job = in_transaction(work)
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
        _refuse(record, actor, count, errors)
        return Outcome(0, count, errors)
    total = max(1, record.row_count)

    def written_so_far(n: int) -> None:
        report(10 + int(85 * n / total), f"Stored {n} of {total} rows")

    report(10, "Storing the rows")
    try:
        remove_unfinished(record)  # what an interrupted earlier attempt left behind
        written = _write_all(record, actor_id, written_so_far)
        report(96, "Making the responses visible")
        _show_all(record_id, written, actor)
        return Outcome(written, 0, [])
    except BaseException:
        _undo(record_id)
        raise


def _refuse(record: ResponseImport, actor: User | None, count: int,
            errors: list[dict[str, Any]]) -> None:
    """Mark the import failed with its problems (nothing is stored)."""

    def refuse() -> None:
        record.state = "failed"
        record.error_count = count
        record.errors = errors
        audit.record("responses.import_failed", actor=actor, object_type="response_import",
                     object_id=record.id, detail={"errors": count})

    in_transaction(refuse)


def _show_all(record_id: int, written: int, actor: User | None) -> None:
    """Make the written rows visible responses together: one short last transaction, retried
    as a whole."""

    def show() -> None:
        stored = db.session.get(ResponseImport, record_id)
        assert stored is not None
        shown = changed_rows(
            update(Response).where(*_unfinished(stored))
            .values(status="submitted", submitted_at=utcnow()))
        if shown != written:  # someone else touched the rows: refuse, not half-import
            raise RuntimeError(f"{shown} of {written} imported rows found")
        stored.state = "imported"
        stored.imported_count = written
        stored.error_count = 0
        stored.errors = []
        stored.content = b""  # the file is not kept once its responses are stored
        stored.imported_at = utcnow()
        audit.record("responses.import", actor=actor, object_type="response_import",
                     object_id=record_id, detail={"rows": written, "batch": stored.name})

    in_transaction(show)


def _undo(record_id: int) -> None:
    """After a failure: delete the hidden rows written so far and reopen the import."""
    db.session.rollback()
    record = db.session.get(ResponseImport, record_id)
    remove_unfinished(record)  # type: ignore[arg-type]

    def reopen() -> None:
        if record is not None and record.state == "importing":
            record.state = "uploaded"

    in_transaction(reopen)


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
    check_editable(record)
    remove_unfinished(record)

    def work() -> None:
        check_editable(record)
        audit.record("responses.import_discard", actor=actor, object_type="response_import",
                     object_id=record.id)
        db.session.delete(record)

    in_transaction(work)
