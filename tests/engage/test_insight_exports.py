"""XLSX workbook, CSV round trip and role-based redaction of exports (issue 8)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy import select

from engage.demo import surveys as demo
from engage.extensions import db
from engage.models import AuditEvent, Response, User
from engage.services.collect import responses
from engage.services.collect.published_surveys import publish_definition, published_survey
from engage.services.report import export_rows
from engage.services.report.export_xlsx import plain_value, text_cell
from engage.services.report.exports import FORMULA_START
from surveys import tabulate
from tests.engage.results_helpers import share_results
from tests.engage.test_runner import DEFINITION, SLUG
from tests.locks import locked_once
from tests.pages import check_page, make_user, sign_in

EVIL = ['=HYPERLINK("http://evil","x")', "+SUM(1)", "-1+1", "@cmd", "\tTAB", "\rCR",
        "email me at jo.bloggs@example.com or 07700 900123", "I live at E1 6AN"]


@pytest.fixture
def answered(app: Flask) -> list[str]:
    publish_definition(DEFINITION, lawful_basis="Public task", privacy_notice="1 year")
    survey = published_survey(SLUG)
    texts = [*EVIL, *(f"Plain answer {i}" for i in range(6))]
    for i, text in enumerate(texts):
        rid = responses.start_response(survey, "en")
        responses.save_page(rid, "use", {"use": "no" if i % 3 else "yes"}, "en")
        if i % 3 == 0:
            responses.save_page(rid, "often", {"often": str(i)}, "en")
        responses.save_page(rid, "improve", {"improve": text}, "en")
        responses.submit(rid, survey)
    return texts


def _token(client: FlaskClient, role: str) -> str:
    make_user(role=role)
    sign_in(client, "officer@example.org")
    soup = check_page(client.get("/staff/surveys"))
    return str(soup.select_one("form input[name=csrf_token]")["value"])


def _workbook(client: FlaskClient, token: str, slug: str = SLUG) -> Workbook:
    response = client.post(f"/staff/surveys/{slug}/insight.xlsx", data={"csrf_token": token})
    assert response.status_code == 200, response.data[:300]
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{slug}-insight.xlsx"')
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return load_workbook(io.BytesIO(response.data))


def _sheet(book: Workbook, name: str) -> list[list[Any]]:
    return [list(r) for r in book[name].iter_rows(values_only=True)]


def test_workbook_round_trip_matches_the_database(client: FlaskClient,
                                                  answered: list[str]) -> None:
    book = _workbook(client, _token(client, "analyst"))
    assert book.sheetnames == ["Responses", "Codebook", "Results"]
    rows = _sheet(book, "Responses")
    header, body = rows[0], rows[1:]
    assert header[:len(export_rows.META)] == export_rows.META
    stored = db.session.scalars(select(Response).where(Response.status == "submitted")
                                .order_by(Response.id)).all()
    assert [r[0] for r in body] == [s.reference for s in stored]
    improve = header.index("What would improve the library?")
    # Analysts see free text as written; formula-looking text is quoted, never a formula.
    assert body[0][improve] == "'" + EVIL[0]
    assert body[6][improve] == EVIL[6]
    often = header.index("How many times a month do you go?")
    assert body[3][often] == "3" and body[1][often] is None  # not asked: blank
    codebook = _sheet(book, "Codebook")
    assert [r[0] for r in codebook[1:]] == header  # the codebook covers every column
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "export.workbook_xlsx")).one()
    assert event.detail["rows"] == len(answered) and event.detail["redacted"] is False


def test_no_workbook_cell_is_a_formula(client: FlaskClient, answered: list[str]) -> None:
    response = client.post(f"/staff/surveys/{SLUG}/insight.xlsx",
                           data={"csrf_token": _token(client, "analyst")})
    book = load_workbook(io.BytesIO(response.data))  # formulas are read as formulas here
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_START)


def test_results_sheet_suppresses_small_cells(client: FlaskClient, answered: list[str]) -> None:
    rows = _sheet(_workbook(client, _token(client, "analyst")), "Results")
    assert "Unweighted" in rows[0][0]
    header = rows[1]
    by_answer = {r[header.index("answer")]: r for r in rows[2:]}
    # 14 answered: 5 said Yes (suppressed, under 10), 9 said No (suppressed too).
    yes, no = by_answer["Yes"], by_answer["No"]
    assert yes[header.index("respondents")] is None and "Fewer than 10" in yes[-1]
    assert no[header.index("percent")] is None
    assert all(r[header.index("base")] == 14 for r in rows[2:])


def test_engagement_officers_get_free_text_redacted(client: FlaskClient,
                                                    answered: list[str]) -> None:
    token = _token(client, "engagement_officer")
    body = client.post(f"/staff/surveys/{SLUG}/responses.csv",
                       data={"csrf_token": token}).get_data(as_text=True)
    texts = [r["What would improve the library?"]
             for r in csv.DictReader(io.StringIO(body.lstrip("\ufeff")))]
    assert "jo.bloggs@example.com" not in body and "07700 900123" not in body
    assert "[EMAIL]" in texts[6] and "[PHONE]" in texts[6] and "[POSTCODE]" in texts[7]
    assert texts[8] == "Plain answer 0"
    rows = _sheet(_workbook(client, token), "Responses")
    assert "jo.bloggs" not in str(rows)
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "export.responses_csv")).one()
    assert event.detail["redacted"] is True


def test_partner_viewers_get_aggregates_only(client: FlaskClient, answered: list[str]) -> None:
    token = _token(client, "partner_viewer")
    share_results(partners=db.session.scalars(select(User)))
    page = check_page(client.get("/staff/surveys")).get_text(" ", strip=True)
    assert "Download workbook (XLSX)" in page and "Download responses (CSV)" not in page
    book = _workbook(client, token)
    assert book.sheetnames == ["Codebook", "Results"]
    assert "Plain answer" not in str(_sheet(book, "Codebook"))
    assert client.post(f"/staff/surveys/{SLUG}/responses.csv",
                       data={"csrf_token": token}).status_code == 403
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "export.workbook_xlsx")).one()
    assert event.detail["aggregates_only"] is True and event.detail["rows"] == 0


@pytest.mark.parametrize("role", ["moderator", "group_member"])
def test_other_roles_cannot_export_workbooks(client: FlaskClient, answered: Any,
                                             role: str) -> None:
    make_user(role=role)
    sign_in(client, "officer@example.org")
    token = check_page(client.get("/staff/")).select_one("input[name=csrf_token]")["value"]
    assert client.post(f"/staff/surveys/{SLUG}/insight.xlsx",
                       data={"csrf_token": token}).status_code == 403


def test_workbook_of_unknown_survey_is_404(client: FlaskClient, answered: Any) -> None:
    token = _token(client, "analyst")
    assert client.post("/staff/surveys/nope/insight.xlsx",
                       data={"csrf_token": token}).status_code == 404


def test_csv_round_trip_of_the_demo_survey_matches_the_database(client: FlaskClient,
                                                                app: Flask) -> None:
    list(demo.load(target=40))
    token = _token(client, "analyst")
    body = client.post(f"/staff/surveys/{demo.SLUG}/responses.csv",
                       data={"csrf_token": token}).get_data(as_text=True)
    reader = csv.reader(io.StringIO(body.lstrip("\ufeff")))
    header = next(reader)
    rows = list(reader)
    stored = db.session.scalars(select(Response).where(Response.status == "submitted")
                                .order_by(Response.id)).all()
    assert len(rows) == len(stored) == 40
    source = export_rows.load_source(demo.SLUG)
    definition = source.definition
    cols = tabulate.columns(definition)
    assert header == [*export_rows.META, *(c.header for c in cols)]
    at = {name: i for i, name in enumerate(export_rows.META)}
    for row, response in zip(rows, stored, strict=True):
        assert row[at["reference"]] == response.reference
        assert row[at["channel"]] == response.channel
        assert row[at["language"]] == response.language
        assert row[at["proxy"]] == ("yes" if response.proxy else "no")
        assert row[at["batch"]] == (response.batch or "")
        assert row[at["sheet_number"]] == (response.sheet_number or "")
        assert row[at["interviewer"]] == str(response.interviewer_id or "")
        assert row[at["ward"]] == export_rows.ward_label(definition, response.answers)
        assert row[at["weight"]] == ""  # no weights yet
        expected = tabulate.row(definition, cols, response.answers)
        for got, want in zip(row[len(at):], expected, strict=True):
            want_text = "" if want is None else str(want)
            assert got == want_text or got == "'" + want_text
    assert any(row[at["ward"]] for row in rows)  # wards filled in


@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=False), st.none()))
def test_no_xlsx_cell_can_be_a_formula(value: object) -> None:
    sheet = Workbook(write_only=True).create_sheet()
    cell = text_cell(sheet, value)
    assert cell.data_type != "f"
    if isinstance(cell.value, str):
        assert not cell.value.startswith(FORMULA_START)


@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=False), st.none()))
def test_no_plain_xlsx_value_can_be_a_formula(value: object) -> None:
    plain = plain_value(value)
    sheet = Workbook(write_only=True).create_sheet()
    try:
        sheet.append([plain])
        if isinstance(plain, str):
            assert not plain.startswith(FORMULA_START)
            assert WriteOnlyCell(sheet, value=plain).data_type == "s"
    finally:
        # An unclosed write-only sheet's row writer fails when garbage-collected later, inside
        # whatever test runs then; under CPython 3.11.7 that can break an ast.parse in progress
        # ("AST constructor recursion depth mismatch", CPython gh-106905).
        sheet.close()


def test_fast_rows_match_tabulate_row_and_ward_label(app: Flask) -> None:
    import random

    from engage.demo.answers import generate_response
    from surveys import load_survey_or_raise

    definition = load_survey_or_raise(demo.demo_definition())
    cols = tabulate.columns(definition)
    make = tabulate.row_maker(definition, cols)
    ward_of = export_rows.ward_labeller(definition)
    rng = random.Random(3)
    for _ in range(300):
        answers = generate_response(definition, rng)["answers"]
        assert make(answers) == tabulate.row(definition, cols, answers)
        assert ward_of(answers) == export_rows.ward_label(definition, answers)


def test_workbook_is_audited_once_through_a_briefly_locked_database(
        monkeypatch: pytest.MonkeyPatch, answered: list[str]) -> None:
    """The export's audit row is one retrying transaction (issue 20)."""
    from engage.services.report.export_xlsx import workbook_xlsx

    analyst = make_user(role="analyst")
    failed = locked_once(monkeypatch)
    made = workbook_xlsx(SLUG, analyst, "192.0.2.1")
    book = load_workbook(io.BytesIO(b"".join(made.chunks)))
    assert book.sheetnames == ["Responses", "Codebook", "Results"]
    assert failed == [1]
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "export.workbook_xlsx")).one()
    assert event.detail["rows"] == len(answered)
