"""File import routes and service: the journey, all or nothing, the row-by-row report, roles."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import AuditEvent, FreeTextAnswer, Response, ResponseImport
from engage.services.collect import import_writing as writing
from engage.services.collect import imports as service
from engage.services.collect.published_surveys import publish_definition
from tests.imports_data import BAD_CSV, DEFINITION, GOOD_CSV, SLUG
from tests.locks import locked_once
from tests.pages import check_page, csrf_token, error_summary, make_user, sign_in

NEW = "/staff/imports/new"


@pytest.fixture
def officer(app: Flask, client: FlaskClient) -> Any:
    publish_definition(DEFINITION, lawful_basis="Public task", privacy_notice="1 year")
    user = make_user()
    sign_in(client, "officer@example.org")
    return user


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _upload(client: FlaskClient, data: bytes | str, filename: str = "export.csv",
            name: str = "Library March 2026") -> Any:
    body = data.encode("utf-8") if isinstance(data, str) else data
    return client.post(NEW, data={"survey": SLUG, "name": name,
                                  "upload": (io.BytesIO(body), filename),
                                  "csrf_token": csrf_token(client, NEW)},
                       content_type="multipart/form-data")


def _only_import() -> ResponseImport:
    return db.session.scalars(select(ResponseImport)).one()


def test_the_whole_journey(client: FlaskClient, officer: Any) -> None:
    assert "No imports yet." in check_page(client.get("/staff/imports")).get_text()
    soup = check_page(client.get(NEW))
    assert [o["value"] for o in soup.select('select[name="survey"] option')] == ["", SLUG]
    response = _upload(client, GOOD_CSV)
    assert response.status_code == 303
    record = _only_import()
    assert (record.row_count, record.file_format, record.state) == (2, "csv", "uploaded")
    columns = f"/staff/imports/{record.id}/columns"
    assert response.headers["Location"].endswith(columns)

    soup = check_page(client.get(columns))
    assert soup.select_one("#column-0 option[selected]")["value"] == "q-use"
    form = {f"column-{i}": s.select_one("option[selected]")["value"]
            for i, s in enumerate(soup.select("select"))}
    form["csrf_token"] = csrf_token(client, columns)
    response = client.post(columns, data=form)
    assert response.status_code == 303
    answers = f"/staff/imports/{record.id}/answers"
    assert response.headers["Location"].endswith(answers)

    soup = check_page(client.get(answers))
    labels = [label.get_text() for label in soup.select("label")]
    assert "‘Books’ means" in labels and "‘Bow East’ means" in labels
    form = {s["name"]: s.select_one("option[selected]")["value"] for s in soup.select("select")}
    form["csrf_token"] = csrf_token(client, answers)
    assert client.post(answers, data=form).status_code == 303

    check = f"/staff/imports/{record.id}"
    soup = check_page(client.get(check))
    text = soup.get_text()
    assert "Books\nComputers" in text or "Books" in text
    assert "'=1+1" in text and "<script>alert(1)</script>" in text
    assert soup.find("script", string="alert(1)") is None  # inert text, never markup
    assert _count(Response) == 0  # nothing stored before the import button

    response = client.post(f"{check}/run", data={"csrf_token": csrf_token(client, check)})
    assert response.status_code == 303
    assert response.headers["Location"] == check  # the job ran at once (sync mode)
    soup = check_page(client.get(check))
    assert "2 responses imported" in soup.get_text() and "Responses imported" in soup.get_text()
    db.session.expire_all()
    job_page = f"/staff/jobs/{_only_import().job_id}"  # it ran as a background job
    soup = check_page(client.get(job_page))
    assert "The import has finished" in soup.get_text()
    assert soup.select_one("#job-next-link")["href"] == check  # done: back to the import
    stored = db.session.scalars(select(Response).order_by(Response.id)).all()
    assert [(r.channel, r.status, r.batch, r.entered_by_id) for r in stored] == [
        ("import", "submitted", "Library March 2026", officer.id)] * 2
    assert all(r.reference for r in stored) and stored[0].reference != stored[1].reference
    assert stored[0].answers["services"] == ["books", "computers"]
    texts = db.session.scalars(select(FreeTextAnswer.text).order_by(FreeTextAnswer.id)).all()
    assert texts == ["More seats", "'=1+1", "<script>alert(1)</script>"]
    db.session.expire_all()
    record = _only_import()
    assert (record.state, record.imported_count, record.content) == ("imported", 2, b"")
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "responses.import")) == 1
    # once imported, it cannot be imported again
    client.post(f"{check}/run", data={"csrf_token": csrf_token(client, check)})
    assert _count(Response) == 2
    assert client.get(columns).status_code == 303
    soup = check_page(client.get("/staff/imports"))
    assert "Imported" in soup.get_text()


def test_a_malformed_file_changes_nothing_and_reports_every_bad_row(
        client: FlaskClient, officer: Any) -> None:
    _upload(client, BAD_CSV)
    record = _only_import()
    check = f"/staff/imports/{record.id}"
    before = {m.__tablename__: _count(m) for m in (Response, FreeTextAnswer)}
    response = client.post(f"{check}/run", data={"csrf_token": csrf_token(client, check)})
    assert response.status_code == 303
    assert {m.__tablename__: _count(m) for m in (Response, FreeTextAnswer)} == before
    soup = check_page(client.get(check))
    assert "Nothing was imported" in soup.get_text()
    report = soup.find(id="report").find_next("table")
    rows = [[td.get_text(strip=True) for td in tr.select("td")]
            for tr in report.select("tbody tr")]
    assert rows == [
        ["3", "Do you use the library?", "Perhaps",
         "‘Perhaps’ is not matched to an answer: match it on the answers page"],
        ["4", "Visits last year", "lots", "Enter a number, like 12"],
        ["4", "Last visit", "31/02/2026", "Enter a real date"],
        ["5", "Visits last year", "400", "Enter a number between 0 and 365"],
        ["5", "Last visit", "someday", "Enter a real date, like 27/03/2026 or 2026-03-27"],
        ["5", "Where do you live?", "Nowhere",
         "‘Nowhere’ is not matched to an answer: match it on the answers page"],
    ]
    db.session.expire_all()
    assert (_only_import().state, _only_import().error_count) == ("failed", 6)
    # matching the answers again clears the old report until the next attempt
    answers = f"/staff/imports/{record.id}/answers"
    client.post(answers, data={"csrf_token": csrf_token(client, answers)})
    assert check_page(client.get(check)).find(id="report") is None


def test_matching_answers_fixes_rows(client: FlaskClient, officer: Any) -> None:
    _upload(client, "Do you use the library?\nYes\nSometimes\n")
    record = _only_import()
    answers = f"/staff/imports/{record.id}/answers"
    soup = check_page(client.get(answers))
    assert soup.select_one("#value-0-1 option[selected]")["value"] == "?"  # Sometimes: unmatched
    client.post(answers, data={"value-0-0": "yes", "value-0-1": "yes",
                               "csrf_token": csrf_token(client, answers)})
    check = f"/staff/imports/{record.id}"
    client.post(f"{check}/run", data={"csrf_token": csrf_token(client, check)})
    assert sorted(r.answers["use"] for r in db.session.scalars(select(Response))) == ["yes",
                                                                                      "yes"]


def test_upload_errors(client: FlaskClient, officer: Any) -> None:
    soup = check_page(client.post(NEW, data={"csrf_token": csrf_token(client, NEW)}))
    assert error_summary(soup) == ["Select the survey the responses answer",
                                   "Enter a name for this batch of responses",
                                   "Select a CSV or Excel file"]
    cases = [
        (b"", "f.csv", "The selected file is empty"),
        (b"MZ\x90\x00", "f.exe", "The selected file must be a CSV or an Excel (.xlsx) file"),
        (b"a,b\n", "f.csv", "The selected file has no rows of answers under its first row"),
        (b"PK\x03\x04junk", "f.xlsx",
         "The selected file could not be read. Save it as CSV or .xlsx and try again"),
    ]
    for data, filename, message in cases:
        soup = check_page(_upload(client, data, filename))
        assert error_summary(soup) == [message], filename
        assert soup.find("input", attrs={"name": "name"})["value"] == "Library March 2026"
    _upload(client, GOOD_CSV)
    soup = check_page(_upload(client, GOOD_CSV))
    assert error_summary(soup) == [service.NAME_TAKEN]
    assert _count(ResponseImport) == 1


def test_upload_larger_than_the_site_limit_is_allowed(client: FlaskClient, officer: Any) -> None:
    rows = "".join(f"Yes,{i % 300}\n" for i in range(20_000))  # about 160 KB
    response = _upload(client, "Do you use the library?,Visits last year\n" + rows)
    assert response.status_code == 303
    assert _only_import().row_count == 20_000


def test_column_mapping_problems(client: FlaskClient, officer: Any) -> None:
    _upload(client, GOOD_CSV)
    record = _only_import()
    columns = f"/staff/imports/{record.id}/columns"
    soup = check_page(client.post(columns, data={"csrf_token": csrf_token(client, columns)}))
    assert error_summary(soup) == ["Select a question for at least one column"]
    soup = check_page(client.post(columns, data={
        "column-0": "q-use", "column-1": "q-use", "csrf_token": csrf_token(client, columns)}))
    assert error_summary(soup) == [
        "Select each question for one column only: ‘Do you use the library?’ is selected more "
        "than once"]
    assert soup.select_one("#column-1 option[selected]")["value"] == "q-use"  # kept as chosen


def test_discard(client: FlaskClient, officer: Any) -> None:
    _upload(client, GOOD_CSV)
    record = _only_import()
    check = f"/staff/imports/{record.id}"
    response = client.post(f"{check}/discard", data={"csrf_token": csrf_token(client, check)})
    assert response.status_code == 303
    assert _count(ResponseImport) == 0
    assert client.get(check).status_code == 404


@pytest.mark.parametrize("role", ["analyst", "moderator", "partner_viewer", "group_member"])
def test_other_roles_are_refused(client: FlaskClient, app: Flask, role: str) -> None:
    make_user(role=role)
    sign_in(client, "officer@example.org")
    for path in ("/staff/imports", NEW, "/staff/imports/1", "/staff/imports/1/columns",
                 "/staff/imports/1/answers"):
        assert client.get(path).status_code == 403, path


def test_admin_may_import(client: FlaskClient, app: Flask) -> None:
    make_user(role="admin")
    sign_in(client, "officer@example.org")
    check_page(client.get("/staff/imports"))


def test_unknown_import_is_404(client: FlaskClient, officer: Any) -> None:
    for path in ("/staff/imports/9", "/staff/imports/9/columns", "/staff/imports/9/answers"):
        assert client.get(path).status_code == 404


def test_html_in_a_file_stays_text_on_every_page(client: FlaskClient, officer: Any) -> None:
    payload = "<img src=x onerror=alert(1)>"
    _upload(client, f"Do you use the library?,{payload}\n{payload},{payload}\n")
    record = _only_import()
    for path in (f"/staff/imports/{record.id}/columns", f"/staff/imports/{record.id}/answers"):
        soup = check_page(client.get(path))
        assert soup.find("img") is None and payload in soup.get_text()
    check = f"/staff/imports/{record.id}"
    client.post(f"{check}/run", data={"csrf_token": csrf_token(client, check)})
    soup = check_page(client.get(check))
    assert soup.find("img") is None and payload in soup.get_text()
    assert _count(Response) == 0


def test_a_reference_clash_writes_everything_again(client: FlaskClient, officer: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from engage.services.platform import references

    _upload(client, GOOD_CSV)
    record = _only_import()
    given = iter(["AAAA-AAAA", "AAAA-AAAA"])
    monkeypatch.setattr(writing, "new_reference",
                        lambda: next(given, None) or references.new_reference())
    outcome = writing.run_import(record, officer)
    assert outcome.imported == 2
    assert len({r.reference for r in db.session.scalars(select(Response))}) == 2


def test_an_xlsx_file_is_imported_with_formulas_as_text(client: FlaskClient,
                                                       officer: Any) -> None:
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Do you use the library?", "Last visit", "Group name"])
    sheet.append(["Yes", dt.datetime(2026, 3, 27), "=HYPERLINK(\"http://evil\",\"x\")"])
    out = io.BytesIO()
    book.save(out)
    assert _upload(client, out.getvalue(), "export.xlsx").status_code == 303
    record = _only_import()
    assert record.file_format == "xlsx"
    check = f"/staff/imports/{record.id}"
    soup = check_page(client.get(check))
    assert "'=HYPERLINK" in soup.get_text() and "27 March 2026" in soup.get_text()
    client.post(f"{check}/run", data={"csrf_token": csrf_token(client, check)})
    stored = db.session.scalars(select(Response)).one()
    assert stored.answers == {"use": "yes", "visited": "2026-03-27",
                              "name": "'=HYPERLINK(\"http://evil\",\"x\")"}


def test_a_file_over_the_limit_is_sent_back_unread(client: FlaskClient, officer: Any,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "MAX_BYTES", 1024 * 1024)
    response = _upload(client, "a\n" + "x" * (1024 * 1024 + 100_000))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/staff/imports/new?too_big=1")
    soup = check_page(client.get(response.headers["Location"]))
    assert error_summary(soup) == ["The selected file must be smaller than 1 MB"]
    assert _count(ResponseImport) == 0


def test_rows_being_imported_are_hidden_from_every_reader(client: FlaskClient, officer: Any,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """Mid-import, the committed 'importing' rows are seen by no reader of responses."""
    from engage.models import Survey
    from engage.services.code.themes import sources
    from engage.services.code.weighting import complete_responses, fieldwork
    from engage.services.report import exports

    _upload(client, GOOD_CSV)
    record = _only_import()
    monkeypatch.setattr(writing, "BATCH", 1)  # one short transaction per row
    seen: list[tuple[int, int, int]] = []
    survey = db.session.scalars(select(Survey).where(Survey.slug == SLUG)).one()

    def readers(n: int) -> None:
        with db.engine.connect() as other:  # another connection: only what is committed
            hidden = other.scalar(select(func.count()).select_from(Response).where(
                Response.status == "importing"))
            shown = other.scalar(select(func.count()).select_from(Response).where(
                Response.status == "submitted"))
        seen.append((n, hidden or 0, shown or 0))
        # every reader of responses, in this session too
        summary = next(s for s in exports.survey_summaries() if s.slug == SLUG)
        assert summary.submitted == 0
        export = exports.responses_csv(SLUG, officer)
        assert export.rows == 0 and len("".join(export.chunks).splitlines()) == 1
        assert list(complete_responses(survey.id)) == []
        assert fieldwork(survey).batches == ()
        assert [k for k, _ in sources.choices() if k.startswith("survey:")] == []
        assert list(sources.collect([f"survey:{survey.id}:improve", f"survey:{survey.id}:name"],
                                    sources.Filters())) == []

    written = writing._write_all(record, officer.id, readers)
    assert written == 2 and [s[:2] for s in seen] == [(1, 1), (2, 2)]
    assert all(shown == 0 for _n, _h, shown in seen)
    assert _count(FreeTextAnswer) == 3  # written, but only reachable through 'importing' rows
    assert writing.remove_unfinished(record) == 2
    assert (_count(Response), _count(FreeTextAnswer)) == (0, 0)


def test_a_failure_while_writing_leaves_nothing_and_the_import_can_run_again(
        client: FlaskClient, officer: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from engage.models import Job

    _upload(client, GOOD_CSV)
    record = _only_import()
    monkeypatch.setattr(writing, "BATCH", 1)
    real = writing._write_batch
    calls = iter(range(100))

    def flaky(*args: Any) -> None:
        if next(calls) == 1:  # the first batch is committed, the second fails
            raise OSError("disk full")
        real(*args)

    monkeypatch.setattr(writing, "_write_batch", flaky)
    check = f"/staff/imports/{record.id}"
    response = client.post(f"{check}/run", data={"csrf_token": csrf_token(client, check)})
    job = db.session.get(Job, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert job.status == "failed" and "Unexpected error (OSError)" in job.error
    assert "This task failed" in check_page(client.get(response.headers["Location"])).get_text()
    assert (_count(Response), _count(FreeTextAnswer)) == (0, 0)
    db.session.expire_all()
    assert _only_import().state == "uploaded"
    monkeypatch.setattr(writing, "_write_batch", real)
    client.post(f"{check}/run", data={"csrf_token": csrf_token(client, check)})
    db.session.expire_all()
    assert _only_import().state == "imported"
    assert db.session.scalar(select(func.count()).select_from(Response).where(
        Response.status == "submitted")) == 2


def test_a_queued_import_shows_its_progress_page(client: FlaskClient, officer: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from engage.services.platform import jobs

    _upload(client, GOOD_CSV)
    record = _only_import()
    queued: list[int] = []
    monkeypatch.setattr(jobs, "dispatch", queued.append)
    check = f"/staff/imports/{record.id}"
    response = client.post(f"{check}/run", data={"csrf_token": csrf_token(client, check)})
    assert response.headers["Location"] == f"/staff/jobs/{queued[0]}"
    assert "Waiting to start" in check_page(client.get(response.headers["Location"])).get_text()
    assert "Importing" in check_page(client.get("/staff/imports")).get_text()
    assert _count(Response) == 0
    job = jobs.run_job(queued[0])
    assert job is not None and job.status == "succeeded" and job.progress == 100
    db.session.expire_all()
    assert _only_import().state == "imported" and _count(Response) == 2


def test_a_running_import_cannot_be_started_or_changed_again(
        client: FlaskClient, officer: Any) -> None:
    from engage.services.platform import jobs

    _upload(client, GOOD_CSV)
    record = _only_import()
    job = jobs.enqueue(writing.JOB_KIND, {"import_id": record.id}, officer, commit=False,
                       dispatch_now=False)
    record.state, record.job_id = "importing", job.id
    db.session.commit()
    check = f"/staff/imports/{record.id}"
    soup = check_page(client.get(check))
    assert soup.find("a", href=f"/staff/jobs/{job.id}") is not None
    with pytest.raises(service.ImportProblem):
        writing.start_import(record, officer)
    columns = f"/staff/imports/{record.id}/columns"
    client.post(columns, data={"csrf_token": csrf_token(client, columns)})
    assert _count(Response) == 0
    # a job that died lets the import run again, or be deleted with what it left behind
    writing._write_all(record, officer.id)  # hidden rows of the attempt that died
    job.status = "failed"
    db.session.commit()
    assert _count(Response) == 2
    client.post(f"{check}/run", data={"csrf_token": csrf_token(client, check)})
    db.session.expire_all()
    assert _only_import().state == "imported"
    assert db.session.scalar(select(func.count()).select_from(Response).where(
        Response.status == "submitted")) == 2 and _count(Response) == 2


def test_deleting_an_interrupted_import_deletes_its_hidden_rows(
        client: FlaskClient, officer: Any) -> None:
    _upload(client, GOOD_CSV)
    record = _only_import()
    writing._write_all(record, officer.id)
    assert (_count(Response), _count(FreeTextAnswer)) == (2, 3)
    check = f"/staff/imports/{record.id}"
    client.post(f"{check}/discard", data={"csrf_token": csrf_token(client, check)})
    assert (_count(Response), _count(FreeTextAnswer), _count(ResponseImport)) == (0, 0, 0)


def _audited(action: str) -> int:
    return db.session.scalar(select(func.count(AuditEvent.id))
                             .where(AuditEvent.action == action)) or 0


@pytest.mark.parametrize("action", ["upload", "columns", "values", "start", "discard"])
def test_import_steps_retry_a_briefly_locked_database(client: FlaskClient, officer: Any,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      action: str) -> None:
    """Every import step is one retrying transaction (issue 20): a lock that clears is waited
    out, the step is saved and audited once."""
    if action != "upload":
        _upload(client, GOOD_CSV)
    failed = locked_once(monkeypatch)
    if action == "upload":
        made = service.create_import(officer, SLUG, " Library  March ", "export.csv",
                                     GOOD_CSV.encode("utf-8"))
        assert made.name == "Library March"
        expected, state = "responses.import_upload", "uploaded"
    elif action == "columns":
        record = _only_import()
        assert service.save_columns(record, officer, service.plan_of(record).columns) == []
        expected, state = "responses.import_map", "uploaded"
    elif action == "values":
        service.save_values(_only_import(), officer, {})
        expected, state = "responses.import_map", "uploaded"
    elif action == "start":
        writing.start_import(_only_import(), officer)
        expected, state = "responses.import_started", "imported"
    else:
        writing.discard_import(_only_import(), officer)
        expected, state = "responses.import_discard", ""
    assert failed == [1]
    db.session.expire_all()
    assert _audited(expected) == 1
    assert [r.state for r in db.session.scalars(select(ResponseImport))] == \
        ([state] if state else [])


@pytest.mark.parametrize("after", [0, 1, 2])
def test_each_transaction_of_an_import_retries_a_briefly_locked_database(
        client: FlaskClient, officer: Any, monkeypatch: pytest.MonkeyPatch, after: int) -> None:
    """Clearing leftovers, writing a batch and making the rows visible are each their own
    retrying transaction: whichever meets the lock, the import completes, audited once."""
    _upload(client, GOOD_CSV)
    failed = locked_once(monkeypatch, after=after)
    outcome = writing.run_import(_only_import(), officer)
    assert failed == [1] and outcome.imported == 2
    db.session.expire_all()
    assert _audited("responses.import") == 1
    assert _only_import().state == "imported"
    assert db.session.scalar(select(func.count()).select_from(Response).where(
        Response.status == "submitted")) == 2
