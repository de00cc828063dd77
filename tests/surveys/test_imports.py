"""File import core: reading untrusted CSV/XLSX, mapping suggestions, row validation."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

import surveys
from surveys import imports as im
from tests.imports_data import BAD_CSV, DEFINITION, GOOD_CSV


@pytest.fixture(scope="module")
def survey() -> surveys.Survey:
    return surveys.load_survey_or_raise(DEFINITION)


def _read(text: str | bytes, name: str = "f.csv", limits: im.Limits | None = None) -> im.Table:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return im.read_table(io.BytesIO(data), name, limits or im.Limits())


def _convert(survey: surveys.Survey, text: str) -> list[im.RowResult]:
    table = _read(text)
    available = im.targets(survey)
    plan = im.ImportPlan(im.suggest_columns(table.headers, available))
    converter = im.RowConverter(survey, available, table.headers, plan)
    return list(im.convert_rows(converter, table.rows))


def test_columns_are_suggested_from_titles(survey: surveys.Survey) -> None:
    table = _read(GOOD_CSV)
    plan = im.suggest_columns(table.headers, im.targets(survey))
    assert len(plan) == len(table.headers)
    assert plan[0] == "q-use" and plan[8] == "q-rank-quiet" and plan[10] == "q-grid-desk"


def test_good_rows_become_answers(survey: surveys.Survey) -> None:
    first, second = _convert(survey, GOOD_CSV)
    assert first.ok and second.ok, (first.errors, second.errors)
    assert first.answers == {
        "use": "yes", "services": ["books", "computers"], "visits": 12, "score": 7,
        "visited": "2026-03-27", "agree": "agree", "improve": "More seats", "name": "'=1+1",
        "rank": ["quiet", "staff"], "grid": {"desk": "good"}, "where": {"ward": "bow-east"}}
    assert second.answers["use"] == "no" and second.answers["services"] is None
    assert second.answers["agree"] == "strongly-disagree"
    assert second.answers["improve"] == "<script>alert(1)</script>"  # inert text, kept as typed
    assert second.answers["where"] == {"postcode": "E1 6AN"}


def test_every_bad_cell_is_reported(survey: surveys.Survey) -> None:
    results = _convert(survey, BAD_CSV)
    assert results[0].ok
    errors = [(e.row, e.column, e.value, e.text) for r in results for e in r.errors]
    assert errors == [
        (3, "Do you use the library?", "Perhaps",
         "‘Perhaps’ is not matched to an answer: match it on the answers page"),
        (4, "Visits last year", "lots", "Enter a number, like 12"),
        (4, "Last visit", "31/02/2026", "Enter a real date"),
        (5, "Visits last year", "400", "Enter a number between 0 and 365"),
        (5, "Last visit", "someday", "Enter a real date, like 27/03/2026 or 2026-03-27"),
        (5, "Where do you live?", "Nowhere",
         "‘Nowhere’ is not matched to an answer: match it on the answers page"),
    ]


def test_value_mapping_decides_unknown_labels(survey: surveys.Survey) -> None:
    table = _read(BAD_CSV)
    available = im.targets(survey)
    columns = im.suggest_columns(table.headers, available)
    found = im.choice_values(table.rows, im.ImportPlan(columns), available)
    assert found["q-use"] == {"yes": "Yes", "perhaps": "Perhaps"}
    plan = im.ImportPlan(columns, {"q-use": {"perhaps": ""}})
    converter = im.RowConverter(survey, available, table.headers, plan)
    row = converter.convert(3, ["Perhaps", "12", "27/03/2026", "Bow East"])
    assert row.ok and row.answers["use"] is None


def test_plan_problems(survey: surveys.Survey) -> None:
    available = im.targets(survey)
    problems = im.check_plan(available, ["a"], im.ImportPlan())
    assert problems[0].message == im.import_messages.MAP_NOTHING
    twice = im.ImportPlan({0: "q-use", 1: "q-use"})
    assert [p.column for p in im.check_plan(available, ["a", "b"], twice)] == [1]
    again = im.ImportPlan.from_json(twice.to_json())
    assert again == twice
    assert im.ImportPlan.from_json({"columns": {"x": 1, "2": None}, "values": 3}) == im.ImportPlan()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_encodings(encoding: str) -> None:
    table = _read("Name,Café\nJosé,€5\n".encode(encoding))
    assert table.headers == ["Name", "Café"]
    assert list(table.rows) == [(2, ["José", "€5"])]


def test_semicolons_blank_rows_and_control_characters() -> None:
    table = _read("a;b\n1;2\x00\n\n;\n3;4;5\n")
    assert table.headers == ["a", "b"]
    assert list(table.rows) == [(2, ["1", "2"]), (5, ["3", "4"])]


@pytest.mark.parametrize("text, message", [
    (b"", im.import_messages.FILE_EMPTY),
    (b",,\n1,2,3\n", im.import_messages.FILE_NO_HEADER),
    (b"a,A\n1,2\n", im.import_messages.FILE_DUPLICATE_HEADER),
])
def test_bad_files_are_refused(text: bytes, message: str) -> None:
    with pytest.raises(im.FileProblem) as caught:
        list(_read(text).rows)
    assert caught.value.message == message


def test_limits() -> None:
    limits = im.Limits(max_bytes=100, max_rows=2, max_columns=3, max_cell_chars=10)
    with pytest.raises(im.FileProblem, match="smaller"):
        _read("a\n" + "x\n" * 100, limits=limits)
    with pytest.raises(im.FileProblem) as caught:
        list(_read("a\n1\n2\n3\n", limits=limits).rows)
    assert caught.value.message == im.import_messages.FILE_TOO_MANY_ROWS
    with pytest.raises(im.FileProblem) as caught:
        _read("a,b,c,d\n", limits=limits)
    assert caught.value.message == im.import_messages.FILE_TOO_MANY_COLUMNS
    with pytest.raises(im.FileProblem) as caught:
        list(_read("a\n" + "y" * 11 + "\n", limits=limits).rows)
    assert caught.value.params == {"row": 2, "max": 10}


def test_file_type_is_checked() -> None:
    with pytest.raises(im.FileProblem, match="CSV or an Excel"):
        _read("a\n1\n", name="f.exe")
    with pytest.raises(im.FileProblem, match="CSV or an Excel"):
        _read(b"PK\x03\x04rest", name="f.csv")
    with pytest.raises(im.FileProblem, match="could not be read"):
        _read(b"PK\x03\x04not a zip", name="f.xlsx")


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_values_and_formulas_are_text(survey: surveys.Survey) -> None:
    import datetime as dt

    data = _xlsx([["Do you use the library?", "Visits last year", "Last visit", "Group name"],
                  ["Yes", 12.0, dt.datetime(2026, 3, 27), "=HYPERLINK(\"http://x\")"],
                  [None, None, None, None],
                  ["No", "=1+2", "2026-03-01", "@SUM(A1)"]])
    table = _read(data, "export.xlsx")
    assert table.format == "xlsx"
    rows = list(table.rows)
    assert rows[0] == (2, ["Yes", "12", "2026-03-27", "=HYPERLINK(\"http://x\")"])
    assert rows[1][0] == 4
    available = im.targets(survey)
    plan = im.ImportPlan(im.suggest_columns(table.headers, available))
    converter = im.RowConverter(survey, available, table.headers, plan)
    first = converter.convert(*rows[0])
    assert first.answers["name"] == "'=HYPERLINK(\"http://x\")"
    second = converter.convert(*rows[1])
    assert [e.value for e in second.errors] == ["=1+2"]  # a formula is never worked out


def test_xlsx_cell_limit() -> None:
    data = _xlsx([["a", "b"]] + [[i, i] for i in range(20)])
    with pytest.raises(im.FileProblem) as caught:
        list(_read(data, "big.xlsx", im.Limits(max_cells=10)).rows)
    assert caught.value.message == im.import_messages.FILE_TOO_MANY_CELLS


def test_xlsx_zip_bomb_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (30 * 1024 * 1024))
    with pytest.raises(im.FileProblem) as caught:
        _read(out.getvalue(), "bomb.xlsx")
    assert caught.value.message == im.import_messages.FILE_TOO_MANY_CELLS


@pytest.mark.parametrize("text, parts", [
    ("2026-03-27", ("27", "03", "2026")), ("27/3/2026", ("27", "3", "2026")),
    ("27.03.2026", ("27", "03", "2026")), ("27 March 2026", ("27", "3", "2026")),
    ("1st Jan 2026", ("1", "1", "2026")), ("2026-03-27 10:00:00", ("27", "03", "2026")),
    ("27/03/26", None), ("March", None), ("", None)])
def test_date_parts(text: str, parts: tuple[str, str, str] | None) -> None:
    assert im.date_parts(text) == parts


def test_neutralise() -> None:
    assert [im.neutralise(v) for v in ("=1", "+1", "-1", "@a", "\tx", "ok")] == [
        "'=1", "'+1", "'-1", "'@a", "'\tx", "ok"]


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=200).map(lambda s: s.encode("utf-8")))
def test_csv_reader_never_crashes(data: bytes) -> None:
    survey = surveys.load_survey_or_raise(DEFINITION)
    try:
        table = _read(data, limits=im.Limits(max_rows=50, max_cell_chars=100))
        available = im.targets(survey)
        plan = im.ImportPlan(im.suggest_columns(table.headers, available))
        converter = im.RowConverter(survey, available, table.headers, plan)
        for result in im.convert_rows(converter, table.rows):
            assert all(e.row >= 2 for e in result.errors)
    except im.FileProblem as problem:
        assert problem.text


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.text(max_size=20), min_size=1, max_size=4), min_size=1, max_size=6))
def test_any_cells_convert_without_crashing(rows: list[list[str]]) -> None:
    survey = surveys.load_survey_or_raise(DEFINITION)
    available = im.targets(survey)
    headers = ["Do you use the library?", "Visits last year", "Last visit", "Which services?"]
    plan = im.ImportPlan(im.suggest_columns(headers, available))
    converter = im.RowConverter(survey, available, headers, plan)
    for number, cells in enumerate(rows, start=2):
        result = converter.convert(number, [im.clean_cell(c, 100) for c in cells])
        assert result.ok or all(e.message for e in result.errors)
