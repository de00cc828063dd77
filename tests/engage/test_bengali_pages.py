"""Bengali pages write numbers in Bengali digits, read them typed so, and translate the word
counter (issue 17): route tests through the survey runner, on the pages residents see."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engage.services.collect.published_surveys import publish_definition, published_survey
from tests.pages import check_page

BENGALI_DIGITS = re.compile("[০-৯]")
ASCII_DIGITS = re.compile("[0-9]")

T = lambda en, bn: {"en": en, "bn": bn}  # noqa: E731

DEFINITION: dict[str, Any] = {
    "id": "digits-survey", "title": T("Digits survey", "সংখ্যা জরিপ"),
    "description": T("About numbers.", "সংখ্যা সম্পর্কে।"),
    "language": "en", "languages": ["en", "bn"], "estimated_minutes": 10,
    "sections": [{"id": "main", "title": T("Numbers", "সংখ্যা"), "pages": [
        {"id": "often", "questions": [{
            "id": "often", "type": "number", "name": T("how many times", "কতবার"),
            "title": T("How many times a month?", "মাসে কতবার?"), "min": 0, "max": 31}]},
        {"id": "rate", "questions": [{
            "id": "rate", "type": "rating", "title": T("Rate it", "রেটিং দিন"),
            "min_label": T("bad", "খারাপ"), "max_label": T("good", "ভালো")}]},
        {"id": "when", "questions": [{
            "id": "when", "type": "date", "title": T("When?", "কখন?")}]},
        {"id": "say", "questions": [{
            "id": "say", "type": "long-text", "max_words": 150,
            "title": T("Anything else?", "আর কিছু?")}]},
    ]}],
}
SLUG = "digits-survey"


@pytest.fixture
def survey(app: Flask) -> Any:
    publish_definition(DEFINITION, lawful_basis="Public task", privacy_notice="Kept 1 year")
    return published_survey(SLUG)


def _token(client: FlaskClient, url: str) -> str:
    soup = check_page(client.get(url))
    return str(soup.find("input", attrs={"name": "csrf_token"})["value"])


def _begin(client: FlaskClient, lang: str) -> None:
    token = _token(client, f"/s/{SLUG}/?lang={lang}")
    assert client.post(f"/s/{SLUG}/start", data={"csrf_token": token}).status_code == 303


def _post(client: FlaskClient, page: str, data: dict[str, str], follow: bool = False) -> Any:
    url = f"/s/{SLUG}/q/{page}"
    return client.post(url, data={"csrf_token": _token(client, url), **data},
                       follow_redirects=follow)


def test_bengali_pages_show_bengali_digits(client: FlaskClient, survey: Any) -> None:
    start = check_page(client.get(f"/s/{SLUG}/?lang=bn"), lang="bn")
    assert "প্রায় ১০ মিনিট" in start.get_text()
    _begin(client, "bn")
    page = check_page(client.get(f"/s/{SLUG}/q/often"), lang="bn")
    caption = page.select_one(".govuk-caption-m").get_text()
    assert BENGALI_DIGITS.search(caption) and not ASCII_DIGITS.search(caption)
    # Typed in Bengali digits, out of range: the message's numbers are Bengali too.
    # (Followed, so the test holds whether an error page is shown at once or after a redirect.)
    page = check_page(_post(client, "often", {"q-often": "৩২"}, follow=True), lang="bn")
    message = page.select_one(".govuk-error-message").get_text()
    assert "০" in message and "৩১" in message and not ASCII_DIGITS.search(message)
    assert page.select_one("#q-often")["value"] == "৩২"  # kept as typed
    # Accepted in Bengali digits.
    assert _post(client, "often", {"q-often": "১২"}).status_code == 303
    rating = check_page(client.get(f"/s/{SLUG}/q/rate"), lang="bn")
    labels = [label.get_text(strip=True) for label in rating.select(".govuk-radios__label")]
    assert labels == [*"০১২৩৪৫৬৭৮৯", "১০"]
    assert _post(client, "rate", {"q-rate": "7"}).status_code == 303
    assert _post(client, "when", {"q-when-day": "২৭", "q-when-month": "৩",
                                  "q-when-year": "২০২৫"}).status_code == 303
    say = check_page(client.get(f"/s/{SLUG}/q/say"), lang="bn")
    hint = say.select_one("#q-say-info").get_text(strip=True)
    assert hint == "আপনি সর্বোচ্চ ১৫০টি শব্দ লিখতে পারেন"  # JavaScript off
    box = say.select_one(".govuk-character-count")
    assert box["data-i18n.words-under-limit.other"] == "আপনার আর %{count}টি শব্দ বাকি আছে"
    assert box["data-i18n.words-over-limit.one"] == "আপনি %{count}টি শব্দ বেশি লিখেছেন"
    assert _post(client, "say", {"q-say": "ভালো"}).status_code == 303
    check = check_page(client.get(f"/s/{SLUG}/check"), lang="bn")
    text = check.select_one(".govuk-summary-list").get_text()
    assert "১২" in text and "২৭ মার্চ ২০২৫" in text
    assert not ASCII_DIGITS.search(text)


def test_english_pages_unchanged(client: FlaskClient, survey: Any) -> None:
    _begin(client, "en")
    assert _post(client, "often", {"q-often": "১২"}).status_code == 303  # Bengali digits read
    say = check_page(client.get(f"/s/{SLUG}/q/say"))
    assert say.select_one("#q-say-info").get_text(strip=True) == "You can enter up to 150 words"
    box = say.select_one(".govuk-character-count")
    assert box["data-i18n.words-under-limit.other"] == "You have %{count} words remaining"


def test_staff_dates_and_times_typed_in_bengali_digits(client: FlaskClient) -> None:
    """A session planned with ২৮ ১২ ২০৩০ at ১৮:৩০ is 28 December 2030 at 6:30pm."""
    from sqlalchemy import select

    from engage.extensions import db
    from engage.models import MayorSession
    from tests.pages import csrf_token, make_user, sign_in

    make_user("mod@example.org", role="moderator")
    sign_in(client, "mod@example.org")
    page = "/staff/mayor/sessions/new"
    response = client.post(page, data={
        "csrf_token": csrf_token(client, page), "title": "Ask the Mayor: Bow",
        "place": "Bow Idea Store", "time": "১৮:৩০", "day": ["২৮", "১২", "২০৩০"]})
    assert response.status_code == 303
    session = db.session.scalar(select(MayorSession))
    listed = check_page(client.get("/staff/mayor/sessions?lang=en")).get_text()
    assert "28 December 2030 at 6:30pm" in listed
    listed = check_page(client.get("/staff/mayor/sessions?lang=bn"), lang="bn").get_text()
    assert "২৮ ডিসেম্বর ২০৩০, সন্ধ্যা ৬:৩০" in listed
    assert session is not None
