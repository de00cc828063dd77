"""The resident question pages of the demo survey as a resident reads them (issue 17): each end
of a rating said once, one date example that the question accepts, the start page saying each
thing once, ethnic groups under headings with Census write-in boxes, and check your answers
with one line per grid statement and per rank."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

import surveys as engine
from engage.demo.answers import generate_response
from engage.demo.surveys import LAWFUL_BASIS, PRIVACY, demo_definition
from engage.extensions import db
from engage.models import FreeTextAnswer
from engage.services.collect.published_surveys import publish_definition, published_survey
from tests.pages import check_page

SLUG = "residents-2026"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def demo(app: Flask) -> engine.Survey:
    publish_definition(demo_definition(), lawful_basis=LAWFUL_BASIS, privacy_notice=PRIVACY)
    return published_survey(SLUG).definition


def _answers(definition: engine.Survey, page_id: str) -> dict[str, Any]:
    """Generated answers of a demo resident whose path goes through `page_id`."""
    for seed in range(200):
        answers = generate_response(definition, random.Random(seed))["answers"]
        assert isinstance(answers, dict)
        if page_id in engine.path(definition, answers):
            return answers
    raise AssertionError(f"no demo resident reaches {page_id}")


def _token(html: str) -> str:
    found = TOKEN.search(html)
    assert found
    return found.group(1)


def _walk_to(client: FlaskClient, definition: engine.Survey, page_id: str | None,
             answers: dict[str, Any], lang: str = "en") -> str:
    """Start the survey and answer every page before `page_id` (None: all of them); return
    the HTML of the page reached."""
    html = client.get(f"/s/{SLUG}/?lang={lang}").get_data(as_text=True)
    response = client.post(f"/s/{SLUG}/start", data={"csrf_token": _token(html)},
                           follow_redirects=True)
    for step in engine.path(definition, answers):
        if step == page_id:
            break
        assert response.request.path == f"/s/{SLUG}/q/{step}"
        response = client.post(f"/s/{SLUG}/q/{step}", follow_redirects=True, data={
            "csrf_token": _token(response.get_data(as_text=True)),
            **engine.to_form_data(definition, step, answers)})
    return response.get_data(as_text=True)


def _text(soup: Any) -> str:
    return " ".join(soup.get_text(" ").split())


@pytest.mark.parametrize(("lang", "low", "high"), [("en", "0 means", "10 means"),
                                                   ("bn", "০ মানে", "১০ মানে")])
def test_rating_hint_says_each_end_once(client: FlaskClient, demo: engine.Survey, lang: str,
                                        low: str, high: str) -> None:
    _walk_to(client, demo, "local-area", _answers(demo, "local-area"), lang)
    soup = check_page(client.get(f"/s/{SLUG}/q/local-area"), lang=lang)
    hint = _text(soup.find(id="q-area-rating-hint"))
    # "10 means" holds "0 means": count the low end only where no digit comes before it.
    assert len(re.findall(rf"(?<![\d০-৯]){low}", hint)) == 1, hint
    assert hint.count(high) == 1, hint
    satisfied = "satisfied" if lang == "en" else "সন্তুষ্ট"
    assert hint.count(satisfied) == 2, hint


def test_rating_label_that_names_its_end_is_not_repeated(app: Flask) -> None:
    from engage.forms.survey_page import PageView

    definition = engine.load_survey_or_raise({
        "id": "rate", "title": {"en": "Rate"}, "language": "en", "languages": ["en"],
        "sections": [{"id": "s", "title": {"en": "S"}, "pages": [{"id": "p", "questions": [{
            "id": "r", "type": "rating", "title": {"en": "How good?"},
            "min_label": {"en": "0 means very poor"}, "max_label": {"en": "excellent"}}]}]}]})
    with app.test_request_context():
        view = PageView(definition, "p", ["r"], {}, {}, "en")
    assert view.questions[0]["params"]["hint"]["text"] == \
        "0 means very poor and 10 means excellent."


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_date_question_gives_one_example_that_it_accepts(client: FlaskClient,
                                                         demo: engine.Survey, lang: str) -> None:
    answers = _answers(demo, "last-event")
    _walk_to(client, demo, "last-event", answers, lang)
    soup = check_page(client.get(f"/s/{SLUG}/q/last-event"), lang=lang)
    hint = _text(soup.find(id="q-last-event-hint"))
    example = "For example" if lang == "en" else "যেমন"
    assert hint.count(example) == 1, hint
    assert "2007" not in hint
    digits = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")
    found = re.search(r"(\d{1,2}) (\d{1,2}) (\d{4})", hint.translate(digits))
    assert found, hint
    day, month, year = found.groups()
    html = client.get(f"/s/{SLUG}/q/last-event").get_data(as_text=True)
    response = client.post(f"/s/{SLUG}/q/last-event", data={
        "csrf_token": _token(html), "q-last-event-day": day, "q-last-event-month": month,
        "q-last-event-year": year})
    assert response.status_code == 303, "the example in the hint was refused"


def test_date_example_stays_inside_the_limits() -> None:
    import datetime as dt

    from surveys.text import make_text

    def example(low: str | None, high: str | None) -> dt.date:
        return engine.date_example(engine.Question(id="d", type="date", title=make_text(
            {"en": "When?"}), min_date=low, max_date=high))

    assert example(None, None) == dt.date(2007, 3, 27)
    assert example("2024-01-01", "2026-12-31") == dt.date(2026, 3, 27)
    assert example("2024-01-01", "2026-02-01") == dt.date(2025, 3, 27)
    assert example("2026-04-01", "2026-05-01") == dt.date(2026, 4, 16)
    assert example("2030-06-01", None) == dt.date(2031, 3, 27)
    assert example(None, "1990-01-31") == dt.date(1989, 3, 27)
    for low, high in (("2026-03-28", "2026-03-28"), ("2020-03-20", "2020-03-26")):
        found = example(low, high)
        assert low <= found.isoformat() <= high


@pytest.mark.parametrize(("lang", "minutes", "come_back"), [
    ("en", "10 minutes", "come back"), ("bn", "মিনিট", "পরে")])
def test_start_page_says_each_thing_once(client: FlaskClient, demo: engine.Survey, lang: str,
                                         minutes: str, come_back: str) -> None:
    soup = check_page(client.get(f"/s/{SLUG}/?lang={lang}"), lang=lang)
    text = _text(soup.find("main"))
    assert text.count(minutes) == 1, text
    assert text.count(come_back) == 1, text


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_ethnic_groups_have_headings_not_dividers(client: FlaskClient, demo: engine.Survey,
                                                  lang: str) -> None:
    page_id = "about-you-ethnicity"
    _walk_to(client, demo, page_id, _answers(demo, page_id), lang)
    soup = check_page(client.get(f"/s/{SLUG}/q/{page_id}"), lang=lang)
    dividers = [_text(d) for d in soup.select(".govuk-radios__divider")]
    assert dividers == [], dividers
    fieldset = soup.find(id="q-about-you-ethnicity").find_parent("fieldset")
    headings = [_text(h) for h in fieldset.find_all(["h2", "h3"])]
    asian = "Asian or Asian British" if lang == "en" else "এশীয় বা এশীয় ব্রিটিশ"
    assert asian in headings
    assert len(headings) == 5, headings
    # One radio group, whose options are all still there.
    radios = fieldset.find_all("input", attrs={"name": "q-about-you-ethnicity"})
    assert len(radios) == 20
    # A write-in box under each Census "Any other ..." option, labelled.
    boxes = fieldset.find_all("input", attrs={"type": "text"})
    assert [b["name"] for b in boxes] == [
        "q-about-you-ethnicity-other-asian", "q-about-you-ethnicity-other-black",
        "q-about-you-ethnicity-other-mixed", "q-about-you-ethnicity-other-white",
        "q-about-you-ethnicity-other-ethnic-group"]
    for box in boxes:
        assert soup.find("label", attrs={"for": box["id"]})


def test_write_in_is_kept_with_its_option_and_stored_as_free_text(
        client: FlaskClient, demo: engine.Survey) -> None:
    page_id = "about-you-ethnicity"
    answers = _answers(demo, page_id)
    html = _walk_to(client, demo, page_id, answers)
    form = engine.to_form_data(demo, page_id, answers)
    form.update({"q-about-you-ethnicity": ["other-asian"],
                 "q-about-you-ethnicity-other-asian": ["Nepali"],
                 "q-about-you-ethnicity-other-white": ["typed, then another option chosen"]})
    response = client.post(f"/s/{SLUG}/q/{page_id}", follow_redirects=True,
                           data={"csrf_token": _token(html), **form})
    while response.request.path != f"/s/{SLUG}/check":
        step = response.request.path.rsplit("/", 1)[-1]
        response = client.post(response.request.path, follow_redirects=True, data={
            "csrf_token": _token(response.get_data(as_text=True)),
            **engine.to_form_data(demo, step, answers)})
    soup = check_page(response)
    rows = {_text(r.find("dt")): _text(r.find("dd"))
            for r in soup.select(".govuk-summary-list__row")}
    assert rows["What is your ethnic group?"] == "Any other Asian background: Nepali"
    assert not [k for k in rows if "please write in" in k]
    response = client.post(f"/s/{SLUG}/submit",
                           data={"csrf_token": _token(response.get_data(as_text=True))})
    assert response.status_code == 303
    texts = db.session.execute(select(FreeTextAnswer.question_id, FreeTextAnswer.text)).all()
    written = [(q, t) for q, t in texts if q.startswith("about-you-ethnicity")]
    assert written == [("about-you-ethnicity-other-asian", "Nepali")]


def test_write_in_too_long_is_an_error_that_keeps_the_text(client: FlaskClient,
                                                           demo: engine.Survey) -> None:
    page_id = "about-you-ethnicity"
    html = _walk_to(client, demo, page_id, _answers(demo, page_id))
    long_text = "x" * 150
    response = client.post(f"/s/{SLUG}/q/{page_id}", data={
        "csrf_token": _token(html), "q-about-you-ethnicity": "other-white",
        "q-about-you-ethnicity-other-white": long_text}, follow_redirects=True)
    soup = check_page(response)
    summary = soup.select_one(".govuk-error-summary")
    assert summary is not None
    link = summary.find("a")
    assert link["href"] == "#q-about-you-ethnicity-other-white"
    box = soup.find(id="q-about-you-ethnicity-other-white")
    assert box["value"] == long_text


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_check_answers_shows_one_line_per_statement_and_rank(
        client: FlaskClient, demo: engine.Survey, lang: str) -> None:
    answers = _answers(demo, "priorities")
    _walk_to(client, demo, None, answers, lang)
    soup = check_page(client.get(f"/s/{SLUG}/check"), lang=lang)
    values = {}
    for row in soup.select(".govuk-summary-list__row"):
        values[_text(row.find("dt"))] = row.find("dd")
    grid = demo.question("area-statements")
    ranking = demo.question("priorities")
    grid_value = values[engine.localise(grid.title, lang, "en")]
    assert len(grid_value.find_all("li")) == len(answers["area-statements"])
    rank_value = values[engine.localise(ranking.title, lang, "en")]
    lines = [_text(li) for li in rank_value.find_all("li")]
    assert len(lines) == len(answers["priorities"]) == 3
    assert lines[0].startswith("1." if lang == "en" else "১.")


def test_write_in_is_an_export_column_treated_as_personal_text(demo: engine.Survey) -> None:
    from engage.services.report.export_rows import personal_keys
    from surveys import tabulate

    columns = tabulate.columns(demo)
    keys = [c.key for c in columns]
    assert keys.index("about-you-ethnicity") < keys.index("about-you-ethnicity-other-asian")
    # Free text may hold personal data: redacted in exports unless personal data is allowed.
    assert "about-you-ethnicity-other-asian" in personal_keys(demo, columns)
    answers = {"about-you-ethnicity": "other-asian", "about-you-ethnicity-other-asian": "Nepali"}
    column = next(c for c in columns if c.key == "about-you-ethnicity-other-asian")
    assert tabulate.cell(demo, column, answers) == "Nepali"
