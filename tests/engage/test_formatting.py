"""Numbers, dates and times (issue 17): GOV.UK style, one way, Bengali digits on Bengali pages."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from babel import Locale
from flask import Flask, render_template_string
from flask_babel import gettext, ngettext, refresh

from engage.formatting import (
    closing_time,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    format_time,
)
from engage.templating import character_count
from surveys.numerals import localise_digits

ROOT = Path(__file__).resolve().parents[2]
UTC = dt.UTC


def test_bengali_digits_are_babels() -> None:
    """The one table of digits agrees with CLDR: bn's default numbering system is beng."""
    assert Locale.parse("bn").default_numbering_system == "beng"
    assert localise_digits("0", "bn") == "\u09e6"  # BENGALI DIGIT ZERO, the start of beng
    assert Locale.parse("en").default_numbering_system == "latn"
    assert localise_digits("0123456789", "en") == "0123456789"


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


def test_counts_in_messages_have_thousands_separators(app: Flask) -> None:
    """`num` is a count (ngettext's, and gettext's by the same convention): "2,277" (GOV.UK
    style), "২,২৭৭" in Bengali; a year given to gettext stays as written."""
    page = ('{{ ngettext("%(num)d question", "%(num)d questions", n) }}|'
            '{{ _("Since %(year)s", year=2026) }}')
    with app.test_request_context("/?lang=en"):
        refresh()
        assert ngettext("%(num)d text", "%(num)d texts", 2277) == "2,277 texts"
        assert ngettext("%(num)d text", "%(num)d texts", 12) == "12 texts"
        assert gettext("Questions found: %(num)d", num=1500) == "Questions found: 1,500"
        assert render_template_string(page, n=12345) == "12,345 questions|Since 2026"
    with app.test_request_context("/?lang=bn"):
        refresh()
        assert "২,২৭৭" in ngettext("%(num)d text", "%(num)d texts", 2277)
        rendered = render_template_string(page, n=12345)
        assert "১২,৩৪৫" in rendered and "২০২৬" in rendered and "২,০২৬" not in rendered


@pytest.mark.parametrize("lang,expected", [("en", ["53.2%", "0.0%", ""]),
                                           ("bn", ["৫৩.২%", "০.০%", ""])])
def test_percentages_use_the_page_digits(app: Flask, lang: str, expected: list[str]) -> None:
    with app.test_request_context(f"/?lang={lang}"):
        refresh()
        assert [format_percent(53.24), format_percent(0), format_percent(None)] == expected
        assert render_template_string("{{ 7.5|percent }}") == localise_digits("7.5%", lang)


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
