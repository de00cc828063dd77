"""Bengali digits (issue 17): typed in any digits, shown in the page's own."""

from __future__ import annotations

import pytest

from surveys.numerals import ascii_digits, format_number, localise_digits


def errors(result):  # type: ignore[no-untyped-def]
    return [(e.field, e.text) for e in result.errors]


def test_digits_both_ways() -> None:
    assert localise_digits("12 March 2025", "bn") == "১২ March ২০২৫"
    assert localise_digits("12", "en") == "12"
    assert ascii_digits("১২/০৩/২০২৫") == "12/03/2025"
    assert ascii_digits("٣ and ３") == "3 and 3"
    assert ascii_digits("²") == "²"  # a superscript is not a decimal digit
    assert localise_digits("0123456789", "bn") == "০১২৩৪৫৬৭৮৯"
    assert format_number(10.0, "bn") == "১০"
    assert format_number(1.5, "bn") == "১.৫"
    assert format_number(7) == "7"


@pytest.mark.parametrize("raw,value", [("১২", 12), ("১,২০০", 1200), (" ৭ ", 7), ("12", 12)])
def test_number_typed_in_bengali_digits(make, validate, raw, value):  # type: ignore[no-untyped-def]
    s = make.one(make.question("n", "number"))
    assert validate(s, {"q-n": raw}).answers == {"n": value}


def test_decimal_typed_in_bengali_digits(make, validate):  # type: ignore[no-untyped-def]
    s = make.one(make.question("n", "number", decimal=True, decimal_places=1))
    assert validate(s, {"q-n": "২.৫"}).answers == {"n": 2.5}


def test_date_typed_in_bengali_digits(make, validate):  # type: ignore[no-untyped-def]
    s = make.one(make.question("d", "date"))
    form = {"q-d-day": "২৭", "q-d-month": "৩", "q-d-year": "২০২৬"}
    assert validate(s, form).answers == {"d": "2026-03-27"}


def test_rating_and_ranking_in_bengali_digits(make, validate):  # type: ignore[no-untyped-def]
    s = make.one(make.question("r", "rating"))
    assert validate(s, {"q-r": "৮"}).answers == {"r": 8}
    ranked = make.one(make.question("k", "ranking", options=make.options("a", "b")))
    assert validate(ranked, {"q-k-a": "২", "q-k-b": "১"}).answers == {"k": ["b", "a"]}


def test_error_numbers_in_the_language_digits(make, validate):  # type: ignore[no-untyped-def]
    s = make.load(make.definition(
        make.page("p", make.question("n", "number", min=0, max=10)), languages=("en", "bn")))
    english = validate(s, {"q-n": "11"})
    assert english.errors[0].params == {"min": "0", "max": "10"}
    bengali = validate(s, {"q-n": "১১"}, language="bn")
    assert bengali.errors[0].params == {"min": "০", "max": "১০"}


def test_word_limit_message_in_bengali_digits(make, validate):  # type: ignore[no-untyped-def]
    s = make.load(make.definition(
        make.page("p", make.question("t", "long-text", max_words=150)), languages=("en", "bn")))
    r = validate(s, {"q-t": "শব্দ " * 151}, language="bn")
    assert r.errors[0].params == {"max": "১৫০"}
