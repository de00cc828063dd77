"""Hypothesis fuzzing (R9, S15, P3): survey definitions, answers, routing, the export writer,
redaction and the theme pipeline never crash; the runner's pages never give a 500.

Each property counts the inputs it received (tests/stress/conftest.py prints the total); the
max_examples below are chosen so the whole file generates over 10,000 inputs in under a minute.
"""

from __future__ import annotations

import copy
import csv
import io
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import surveys
from engage.services.report.exports import FORMULA_START, _line, safe_cell
from surveys import tabulate
from tests.stress.conftest import count
from tests.stress.hostile import CORPUS, SQLI

FAST = settings(deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.filter_too_much])
WORDS = ["yes", "no", "agree", "dont-know", "bow-east", "E1 6AN", "0", "1", "31", "2026", "",
         " ", "-1", "3.5", "other", "prefer-not-to-say", "postcode", "ward", *CORPUS[:6]]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=True), st.text(max_size=40), st.sampled_from(WORDS))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from([*WORDS, "id", "type"]), inner,
                                                 max_size=4)), max_leaves=12)


@cache
def _demo() -> tuple[dict[str, Any], surveys.Survey]:
    from engage.demo.surveys import demo_definition

    raw = demo_definition()
    return raw, surveys.load_survey_or_raise(raw)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*prefix, i))
    return found


@cache
def _demo_paths() -> list[tuple[Any, ...]]:
    return [p for p in _paths(_demo()[0]) if p]


@settings(FAST, max_examples=150)
@given(st.data())
def test_mutated_definitions_load_or_report_problems(data: st.DataObject) -> None:
    """Replace or delete any part of the demo definition: problems are listed, nothing raises."""
    raw = copy.deepcopy(_demo()[0])
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.sampled_from(_demo_paths()))
        parent: Any = raw
        try:
            for key in where[:-1]:
                parent = parent[key]
            if data.draw(st.booleans()) and isinstance(parent, dict):
                parent.pop(where[-1], None)
            else:
                parent[where[-1]] = data.draw(json_values)
        except (KeyError, IndexError, TypeError):
            continue
    count("survey definitions (mutated demo)")
    result = surveys.load_survey(raw)
    assert (result.survey is None) == bool(result.problems) or result.survey is not None
    if result.survey is None:
        assert all(p.message for p in result.problems)


@settings(FAST, max_examples=1800)
@given(json_values)
def test_arbitrary_json_definitions(data: Any) -> None:
    count("survey definitions (arbitrary JSON)")
    result = surveys.load_survey(data)
    assert result.survey is not None or result.problems


form_values = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=30),
                                 st.sampled_from(SQLI)), max_size=3)


@settings(FAST, max_examples=2000)
@given(st.data())
def test_any_form_data_on_any_demo_page(data: st.DataObject) -> None:
    """Validation of every page returns answers or errors, in both languages."""
    survey = _demo()[1]
    page = data.draw(st.sampled_from([p.id for p in survey.pages]))
    names = [n for q in survey.page(page).questions for n in surveys.field_names(q)]
    form = data.draw(st.dictionaries(st.sampled_from([*names, "csrf_token", "x"]), form_values,
                                     max_size=len(names) + 1))
    lang = data.draw(st.sampled_from(["en", "bn", "fr"]))
    count("answers (page validation)")
    result = surveys.validate_page(survey, page, form, lang, {})
    assert result.ok or result.errors
    for error in result.errors:
        assert error.message % error.params


small_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=4)
answers_st = st.dictionaries(st.sampled_from([q.id for q in _demo()[1].questions] + ["zz"]),
                             small_values, max_size=8)


@settings(FAST, max_examples=800)
@given(answers_st)
def test_routing_with_any_stored_answers(answers: dict[str, Any]) -> None:
    """Path, next page and completeness never crash; the path only holds real pages, once."""
    survey = _demo()[1]
    count("routing rules (stored answers)")
    on_path = surveys.path(survey, answers)
    assert len(on_path) == len(set(on_path))
    assert all(survey.has_page(p) for p in on_path)
    pruned = surveys.prune(survey, answers)
    surveys.is_complete(survey, pruned)
    surveys.first_unanswered_page(survey, pruned)
    for page in on_path[:3]:
        nxt = surveys.next_page(survey, answers, page)
        assert nxt is None or survey.has_page(nxt)


@settings(FAST, max_examples=1000)
@given(answers_st)
def test_export_rows_from_any_answers(answers: dict[str, Any]) -> None:
    """The CSV row of any stored answers has one safe cell per column and parses back."""
    survey = _demo()[1]
    cols = tabulate.columns(survey)
    count("export writer (rows from answers)")
    cells = ["REF", "2026-01-01", 1, "online", "en", *tabulate.row(survey, cols, answers)]
    line = _line(cells)
    parsed = next(csv.reader(io.StringIO(line)))
    assert len(parsed) == len(cells)
    assert not any(c.startswith(FORMULA_START) for c in parsed)


@settings(FAST, max_examples=4500)
@given(st.one_of(st.text(max_size=60), st.sampled_from(CORPUS),
                 st.builds(lambda a, b: a + b, st.sampled_from([*list(FORMULA_START), "'"]),
                           st.text(max_size=20))))
def test_every_cell_is_defused_and_kept(value: str) -> None:
    """A cell never starts a formula, and only a leading quote is ever added."""
    count("export writer (cells)")
    cell = safe_cell(value)
    assert not cell.startswith(FORMULA_START)
    assert cell in (value, "'" + value)
    parsed = next(csv.reader(io.StringIO(_line([value, "x"]))), ["", ""])
    assert parsed[0] == cell or "\r" in value or "\n" in value


PERSONAL = st.one_of(
    st.from_regex(r"[a-z][a-z0-9._]{0,15}@[a-z]{2,10}\.(org|com|co\.uk)", fullmatch=True)
    .map(lambda e: (e, "email")),
    st.from_regex(r"07[0-9]{3} ?[0-9]{6}", fullmatch=True).map(lambda p: (p, "phone")),
    st.sampled_from(["E1 6AN", "E3 2AA", "E14 5AB", "e1w 1aa"]).map(lambda p: (p, "postcode")),
)


@settings(FAST, max_examples=1000)
@given(st.text(max_size=80), PERSONAL, st.text(max_size=40))
def test_redaction_removes_what_it_finds_and_is_stable(before: str, item: tuple[str, str],
                                                       after: str) -> None:
    """Personal data among arbitrary text is removed; redacting again changes nothing."""
    from analysis.redact import redact

    value, _kind = item
    count("redaction")
    text = f"{before} {value} {after}"
    once = redact(text).text
    assert value not in once or value.strip() == ""
    assert redact(once).text == once


@settings(FAST, max_examples=40)
@given(st.lists(st.one_of(st.text(max_size=60), st.sampled_from(
    ["bins not collected", "more police at night", "rent too high", "parks are dirty",
     "", "   ", *CORPUS[:4]])), min_size=0, max_size=25), st.integers(0, 2**16))
def test_theme_pipeline_never_crashes(texts: list[str], seed: int) -> None:
    """The analysis pipeline on any small set of texts: a result or a clear refusal."""
    from analysis import find_themes

    count("analysis pipeline")
    try:
        result = find_themes(texts, random_state=seed)
    except ValueError as exc:  # a documented refusal (e.g. too few texts) with a message
        assert str(exc)
        return
    assert result is not None


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_runner_pages_never_give_500(app: Any) -> None:
    """Arbitrary form posts to every page of the demo survey through the real routes."""
    from engage.demo.surveys import LAWFUL_BASIS, PRIVACY, SLUG, demo_definition
    from engage.services.collect.published_surveys import publish_definition
    from tests.pages import csrf_token

    publish_definition(demo_definition(), lawful_basis=LAWFUL_BASIS, privacy_notice=PRIVACY)
    survey = _demo()[1]
    client = app.test_client()
    token = csrf_token(client, f"/s/{SLUG}/")
    client.post(f"/s/{SLUG}/start", data={"csrf_token": token})

    @settings(FAST, max_examples=150)
    @given(st.sampled_from([p.id for p in survey.pages]), st.data())
    def post(page: str, data: st.DataObject) -> None:
        names = [n for q in survey.page(page).questions for n in surveys.field_names(q)]
        form = data.draw(st.dictionaries(st.sampled_from([*names, "action", "return"]),
                                         form_values, max_size=4))
        count("runner pages over HTTP")
        response = client.post(f"/s/{SLUG}/q/{page}", data={**form, "csrf_token": token})
        assert response.status_code in (200, 303, 429), response.status_code

    post()
