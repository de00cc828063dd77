"""Numbers, dates and times (issue 17): GOV.UK style, one way, Bengali digits on Bengali pages."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from babel import Locale
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from flask_babel import gettext, ngettext, refresh

from engage.formatting import (
    closing_time,
    format_date,
    format_datetime,
    format_number,
    format_time,
)
from engage.services.surveys import publish_definition, published_survey
from engage.templating import character_count
from surveys.numerals import native_digits
from tests.pages import check_page

ROOT = Path(__file__).resolve().parents[2]
UTC = dt.timezone.utc
BENGALI_DIGITS = re.compile("[০-৯]")
ASCII_DIGITS = re.compile("[0-9]")


def test_bengali_digits_are_babels() -> None:
    """The one table of digits agrees with CLDR: bn's default numbering system is beng."""
    assert Locale.parse("bn").default_numbering_system == "beng"
    assert native_digits("bn")[0] == "\u09e6"  # BENGALI DIGIT ZERO, the start of beng
    assert Locale.parse("en").default_numbering_system == "latn"
    assert native_digits("en") == "0123456789"


@pytest.mark.parametrize("lang,expected", [
    ("en", ["12 March 2025", "6 December 2026 at 8pm", "midnight", "midday", "11:59pm",
            "9:05am", "1,234", "11:59pm on 31 March 2027"]),
    ("bn", ["১২ মার্চ ২০২৫", "৬ ডিসেম্বর ২০২৬, রাত্রি ৮:০০", "রাত্রি ১২:০০", "দুপুর ১২:০০",
            "রাত্রি ১১:৫৯", "সকাল ৯:০৫", "১,২৩৪", "৩১ মার্চ ২০২৭ রাত্রি ১১:৫৯"]),
])
def test_gov_uk_style_in_each_language(app: Flask, lang: str, expected: list[str]) -> None:
    with app.test_request_context(f"/?lang={lang}"):
        got = [
            format_date(dt.date(2025, 3, 12)),
            format_datetime(dt.datetime(2026, 12, 6, 20, 0, tzinfo=UTC)),  # GMT in December
            format_time(dt.time(0, 0)),
            format_time(dt.time(12, 0)),
            format_time(dt.time(23, 59)),
            format_time(dt.datetime(2026, 7, 1, 8, 5, tzinfo=UTC)),  # 9:05 BST
            format_number(1234),
            # A closing day of 31 March 2027 is stored as 1 April 00:00 London time.
            closing_time(dt.datetime(2027, 3, 31, 23, 0, tzinfo=UTC)),
        ]
    assert got == expected


def test_numbers_in_messages_use_the_page_digits(app: Flask) -> None:
    with app.test_request_context("/?lang=bn"):
        assert gettext("%(num)d questions added", num=12) == "১২টি প্রশ্ন যোগ করা হয়েছে"
        assert gettext("It takes about %(minutes)s minutes.", minutes=10) == \
            "এতে প্রায় ১০ মিনিট লাগে।"
        assert "১৪" in ngettext("%(num)s item", "%(num)s items", 14)
        page = render_template_string(
            '{{ _("Page %(number)s of %(total)s", number=8, total=14) }}'
            ' {{ _("Questions found: %(num)d", num=3) }} {{ when|date }} {{ 5000|number }}',
            when=dt.date(2025, 3, 12))
        assert page == "পাতা ৮ / ১৪ পাওয়া প্রশ্ন: ৩টি ১২ মার্চ ২০২৫ ৫,০০০"
    with app.test_request_context("/?lang=en"):
        refresh()  # the test's app context is shared, and Flask-Babel keeps the locale on g
        assert gettext("%(num)d questions added", num=12) == "12 questions added"


def test_character_count_texts_translated(app: Flask) -> None:
    with app.test_request_context("/?lang=bn"):
        words = character_count(150)
        assert words["textareaDescriptionText"] == "আপনি সর্বোচ্চ ১৫০টি শব্দ লিখতে পারেন"
        assert words["wordsUnderLimitText"]["other"] == "আপনার আর %{count}টি শব্দ বাকি আছে"
        chars = character_count(2000, words=False)
        assert chars["textareaDescriptionText"] == "আপনি সর্বোচ্চ ২,০০০টি অক্ষর লিখতে পারেন"
        assert chars["charactersOverLimitText"]["one"] == "আপনি %{count}টি অক্ষর বেশি লিখেছেন"
    with app.test_request_context("/?lang=en"):
        refresh()
        assert character_count(150)["textareaDescriptionText"] == \
            "You can enter up to 150 words"


def test_one_way_to_write_dates() -> None:
    """No page formats a date or time itself: the filters date, time and datetime do."""
    banned = re.compile(r"strftime|datetimeformat|dateformat|timeformat|format_date\(")
    found = [str(p.relative_to(ROOT)) for p in (ROOT / "templates").rglob("*.html")
             if banned.search(p.read_text("utf-8"))]
    found += [str(p.relative_to(ROOT)) for p in (ROOT / "engage" / "blueprints").rglob("*.py")
              if re.search(r"strftime|flask_babel import .*format_", p.read_text("utf-8"))]
    assert found == []


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
    assert labels == list("০১২৩৪৫৬৭৮৯") + ["১০"]
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
