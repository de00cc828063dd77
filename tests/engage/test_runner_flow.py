"""Issue 17, the resident's way through a survey: progress that never jumps (by section), Back
after an error (post/redirect/get, the page kept as typed), and the language switch mid-page
(the page's typed answers kept, with JavaScript off: it is a button of the page's form)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

import surveys
from engage.demo.answers import generate_response
from engage.demo.surveys import SLUG as DEMO_SLUG
from engage.demo.surveys import demo_definition
from engage.extensions import db
from engage.models import Response
from engage.services.collect import responses
from engage.services.collect.published_surveys import publish_definition, published_survey
from engage.services.platform.transactions import DatabaseUnavailable
from tests.engage.test_runner import SLUG, _answer, _begin, _complete, _token, survey
from tests.pages import check_page, csrf_token, error_summary

pytestmark = pytest.mark.usefixtures(survey.__name__)  # the library survey of test_runner

T = lambda en, bn: {"en": en, "bn": bn}  # noqa: E731
TYPED = "Longer opening hours, and my name is Rahima"


def _stored() -> Response:
    db.session.expire_all()
    return db.session.scalars(select(Response)).one()


def _post(client: FlaskClient, page: str, data: dict[str, str], query: str = "") -> Any:
    url = f"/s/{SLUG}/q/{page}{query}"
    return client.post(url, data={"csrf_token": _token(client.get(url)), **data})


# Progress ------------------------------------------------------------------------------------

SECTIONED: dict[str, Any] = {
    "id": "parks", "title": T("Parks survey", "পার্ক জরিপ"), "language": "en",
    "languages": ["en", "bn"],
    "sections": [
        {"id": "use", "title": T("Your park", "আপনার পার্ক"), "pages": [
            {"id": "visits", "questions": [{
                "id": "visits", "type": "single-choice", "name": T("whether you visit", "যান কি"),
                "title": T("Do you visit a park?", "আপনি কি পার্কে যান?"),
                "options": [{"id": "yes", "text": T("Yes", "হ্যাঁ")},
                            {"id": "no", "text": T("No", "না")}]}]},
            {"id": "which", "when": {"op": "equals", "question": "visits", "value": "yes"},
             "questions": [{"id": "which", "type": "short-text", "name": T("which", "কোনটি"),
                            "title": T("Which park?", "কোন পার্ক?")}]},
        ]},
        {"id": "visit", "title": T("Your visits", "আপনার যাওয়া"),
         "when": {"op": "equals", "question": "visits", "value": "yes"}, "pages": [
            {"id": "often", "questions": [{
                "id": "often", "type": "number", "name": T("how often", "কতবার"),
                "title": T("How many times a month?", "মাসে কতবার?"), "min": 0, "max": 31}]},
        ]},
        {"id": "views", "title": T("Your views", "আপনার মতামত"), "pages": [
            {"id": "improve", "questions": [{
                "id": "improve", "type": "long-text", "name": T("what to improve", "কী ভালো"),
                "title": T("What would improve parks?", "কী করলে পার্ক ভালো হবে?")}]},
        ]},
    ],
}


@pytest.fixture
def parks(app: Flask) -> Any:
    publish_definition(SECTIONED, lawful_basis="Public task", privacy_notice="1 year")
    return published_survey("parks")


def _walk(client: FlaskClient, slug: str, answers: dict[str, Any], lang: str = "en") -> list[str]:
    """Answer the whole survey as a resident would; the progress line of every page seen."""
    definition = published_survey(slug).definition
    token = csrf_token(client, f"/s/{slug}/?lang={lang}")
    location = client.post(f"/s/{slug}/start", data={"csrf_token": token}).headers["Location"]
    seen = []
    while "/q/" in location:
        soup = check_page(client.get(location), lang=lang)
        seen.append(soup.select_one("#progress").get_text(strip=True))
        page_id = location.split("/q/")[1].split("?")[0]
        form = surveys.to_form_data(definition, page_id, answers)
        token = str(soup.find("input", attrs={"name": "csrf_token"})["value"])
        sent = client.post(location, data={"csrf_token": token, **form})
        assert sent.status_code == 303, (page_id, form)
        location = sent.headers["Location"]
        assert len(seen) < 40
    assert location.endswith("/check")
    return seen


def test_progress_is_by_section_and_its_total_never_changes(client: FlaskClient,
                                                             parks: Any) -> None:
    seen = _walk(client, "parks", {"visits": "yes", "which": "Victoria Park", "often": 4,
                                   "improve": "More benches"})
    assert seen == ["Section 1 of 3: Your park", "Section 1 of 3: Your park",
                    "Section 2 of 3: Your visits", "Section 3 of 3: Your views"]


def test_a_skipped_section_is_passed_over_not_renumbered(app: Flask, parks: Any) -> None:
    seen = _walk(app.test_client(), "parks", {"visits": "no", "improve": "More benches"})
    assert seen == ["Section 1 of 3: Your park", "Section 3 of 3: Your views"]


def test_progress_in_bengali(client: FlaskClient, parks: Any) -> None:
    seen = _walk(client, "parks", {"visits": "no", "improve": "More benches"}, lang="bn")
    assert [s.replace("১", "1").replace("৩", "3") for s in seen] == [
        "বিভাগ 1 / 3: আপনার পার্ক", "বিভাগ 3 / 3: আপনার মতামত"]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_demo_survey_progress_never_jumps(app: Flask, seed: int) -> None:
    """The walk that showed "Page 1 of 12", "2 of 13", "8 of 14": one total all the way."""
    publish_definition(demo_definition(), lawful_basis="Public task", privacy_notice="1 year")
    definition = published_survey(DEMO_SLUG).definition
    answers = generate_response(definition, random.Random(seed))["answers"]
    seen = _walk(app.test_client(), DEMO_SLUG, answers)
    totals = {s.split(":")[0].split(" of ")[1] for s in seen}
    numbers = [int(s.split(" of ")[0].removeprefix("Section ")) for s in seen]
    assert totals == {str(len(definition.sections))}, seen
    assert numbers == sorted(numbers) and numbers[0] == 1, seen
    assert seen[0] == f"Section 1 of {len(definition.sections)}: Your area"


def test_a_survey_of_one_section_counts_pages_it_may_skip_as_up_to(client: FlaskClient) -> None:
    _begin(client)
    soup = check_page(client.get(f"/s/{SLUG}/q/use"))
    assert soup.select_one("#progress").get_text() == "Page 1 of up to 3"
    _answer(client, "use", {"q-use": "no"})  # skips "often": the total stays
    soup = check_page(client.get(f"/s/{SLUG}/q/improve"))
    assert soup.select_one("#progress").get_text() == "Page 3 of up to 3"


def test_progress_unit() -> None:
    definition = surveys.load_survey_or_raise(SECTIONED)
    step = surveys.steady_progress(definition, "often")
    assert (step.number, step.total, step.section.id if step.section else None) == (2, 3, "visit")


# Back after an error: post/redirect/get --------------------------------------------------------

def test_a_page_with_errors_redirects_to_itself_keeping_what_was_typed(client: FlaskClient) -> None:
    _begin(client)
    _answer(client, "use", {"q-use": "yes"})
    sent = _post(client, "often", {"q-often": "forty"})
    assert sent.status_code == 303 and sent.headers["Location"] == f"/s/{SLUG}/q/often"
    assert "often" not in _stored().answers  # nothing half-saved as an answer
    for _ in range(2):  # and again on a reload: Back and reload always find a page
        soup = check_page(client.get(f"/s/{SLUG}/q/often"))
        assert soup.select_one("input#q-often")["value"] == "forty"
        assert len(error_summary(soup)) == 1 and "number" in error_summary(soup)[0].lower()
        assert soup.title.get_text().startswith("Error:")
    assert _stored().draft == {"page": "often", "form": {"q-often": ["forty"]}, "checked": True}


def test_the_draft_is_gone_once_the_page_is_saved(client: FlaskClient) -> None:
    _begin(client)
    _answer(client, "use", {"q-use": "yes"})
    _post(client, "often", {"q-often": "forty"})
    assert _post(client, "often", {"q-often": "4"}).headers["Location"] == f"/s/{SLUG}/q/improve"
    stored = _stored()
    assert stored.answers["often"] == 4 and stored.draft is None
    soup = check_page(client.get(f"/s/{SLUG}/q/often"))
    assert soup.select_one("input#q-often")["value"] == "4" and not error_summary(soup)


def test_moving_on_keeps_the_typed_page_but_not_its_messages(client: FlaskClient) -> None:
    _begin(client)
    _answer(client, "use", {"q-use": "yes"})
    _post(client, "often", {"q-often": "forty"})
    _answer(client, "use", {"q-use": "yes"})  # Back to the first page, Continue again
    soup = check_page(client.get(f"/s/{SLUG}/q/often"))
    assert soup.select_one("input#q-often")["value"] == "forty"
    assert not error_summary(soup)


def test_return_to_check_is_kept_through_the_redirect(client: FlaskClient) -> None:
    _complete(client)
    sent = _post(client, "often", {"q-often": "forty"}, query="?return=check")
    assert sent.headers["Location"] == f"/s/{SLUG}/q/often?return=check"


def test_sending_clears_the_draft(client: FlaskClient) -> None:
    _complete(client)
    _post(client, "improve", {"q-improve": "x " * 60})  # over the word limit: a draft
    assert _stored().draft is not None
    _post(client, "improve", {"q-improve": "Open on Sundays"})
    _post(client, "often", {"q-often": "forty"})  # a draft of another page, then send
    client.post(f"/s/{SLUG}/submit", data={"csrf_token": _token(client.get(f"/s/{SLUG}/check"))})
    stored = _stored()
    assert stored.status == "submitted" and stored.draft is None


def test_start_again_leaves_no_typed_page_for_the_next_person(client: FlaskClient) -> None:
    _begin(client)
    _post(client, "use", {"q-use": "maybe"})
    client.post(f"/s/{SLUG}/start-again", data={"csrf_token": csrf_token(client, f"/s/{SLUG}/")})
    _begin(client)
    soup = check_page(client.get(f"/s/{SLUG}/q/use"))
    assert not error_summary(soup) and not soup.select("input#q-use[checked]")


def test_database_busy_shows_the_page_with_its_messages_at_once(
        client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    _begin(client)

    def busy(*args: Any, **kwargs: Any) -> None:
        raise DatabaseUnavailable("locked")

    monkeypatch.setattr(responses, "save_draft", busy)
    soup = check_page(_post(client, "use", {}))
    assert error_summary(soup) == ["Select whether you use the library"]


# The language switch -------------------------------------------------------------------------

def _switch(client: FlaskClient, page: str, data: dict[str, str], to: str) -> Any:
    return _post(client, page, {**data, "switch_language": to})


def test_the_language_switch_is_a_button_of_the_page_form(client: FlaskClient) -> None:
    _begin(client)
    soup = check_page(client.get(f"/s/{SLUG}/q/use"))
    button = soup.select_one('nav button[name="switch_language"]')
    assert button is not None and button["value"] == "bn" and button["lang"] == "bn"
    assert button["form"] == soup.select_one("form#page-answers")["id"]
    # Enter in a field presses the form's first submit button: a hidden Continue, not the switch.
    first = soup.select('button[form="page-answers"], form#page-answers button')[0]
    assert first.has_attr("hidden") and not first.get("name")


def test_switching_language_keeps_what_was_typed(client: FlaskClient) -> None:
    _begin(client)
    _answer(client, "use", {"q-use": "no"})
    sent = _switch(client, "improve", {"q-improve": TYPED}, "bn")
    assert sent.status_code == 303 and sent.headers["Location"] == f"/s/{SLUG}/q/improve"
    soup = check_page(client.get(sent.headers["Location"]), lang="bn")
    assert soup.find("h1").get_text(strip=True) == "কী করলে লাইব্রেরি ভালো হবে?"
    assert soup.select_one("textarea#q-improve").get_text() == TYPED
    assert not error_summary(soup)  # not checked: no messages
    assert "improve" not in _stored().answers  # kept as typed, not saved as an answer
    # and back to English, still as typed; the switch is a link again nowhere on the page
    sent = _switch(client, "improve", {"q-improve": TYPED + "!"}, "en")
    soup = check_page(client.get(sent.headers["Location"]), lang="en")
    assert soup.select_one("textarea#q-improve").get_text() == TYPED + "!"
    assert not soup.select('nav a[hreflang]')


def test_switching_language_is_not_checked(client: FlaskClient) -> None:
    _begin(client)
    _answer(client, "use", {"q-use": "yes"})
    sent = _switch(client, "often", {"q-often": "forty"}, "bn")
    soup = check_page(client.get(sent.headers["Location"]), lang="bn")
    assert soup.select_one("input#q-often")["value"] == "forty" and not error_summary(soup)


def test_switching_language_on_a_page_with_errors_shows_them_in_the_new_language(
        client: FlaskClient) -> None:
    _begin(client)
    _post(client, "use", {})
    sent = _switch(client, "use", {}, "bn")
    soup = check_page(client.get(sent.headers["Location"]), lang="bn")
    message = error_summary(soup)[0]
    assert any("\u0980" <= ch <= "\u09ff" for ch in message), message


def test_an_unknown_language_changes_nothing_but_keeps_the_page(client: FlaskClient) -> None:
    _begin(client)
    sent = _switch(client, "use", {"q-use": "yes"}, "xx")
    soup = check_page(client.get(sent.headers["Location"]), lang="en")
    assert soup.select_one("input#q-use")["checked"] is not None


def test_save_for_later_keeps_an_unfinished_page_as_typed(app: Flask,
                                                          client: FlaskClient) -> None:
    _begin(client)
    _answer(client, "use", {"q-use": "no"})
    sent = _post(client, "improve", {"q-improve": "x " * 60, "action": "save"})  # too long
    assert sent.headers["Location"] == f"/s/{SLUG}/saved"
    saved = check_page(client.get(f"/s/{SLUG}/saved"))
    # What the page says is true: the last page is kept as typed, to finish on coming back.
    assert "You have not finished the last page. When you come back to it, it will show what " \
        "you typed, so you can finish it then. Your earlier answers are saved." in \
        " ".join(saved.get_text().split())
    assert "not saved" not in saved.get_text()
    bengali = check_page(client.get(f"/s/{SLUG}/saved?lang=bn"), lang="bn")
    assert "আপনি যা লিখেছিলেন" in bengali.get_text()
    link = saved.select_one(".govuk-inset-text a")["href"]
    other = app.test_client()  # another device, from the resume link
    location = other.get(link).headers["Location"]
    assert location == f"/s/{SLUG}/q/improve"
    soup = check_page(other.get(location))
    assert soup.select_one("textarea#q-improve").get_text() == "x " * 60
    assert "improve" not in _stored().answers
