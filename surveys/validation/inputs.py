"""Validation of typed answers: number, date, short text, long text, ward or postcode."""

from __future__ import annotations

import datetime as dt
import re

from surveys import answer_messages as m
from surveys.builtins import POSTCODE_CHOICE, month_names
from surveys.numerals import localise_digits
from surveys.postcode import normalise_postcode
from surveys.types import Answer
from surveys.validation.base import Context, blank

_NUMBER = re.compile(r"^[-+]?[0-9]+(\.[0-9]+)?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def number(ctx: Context) -> Answer:
    """An int, or a float if the question allows decimals; within min and max."""
    q = ctx.question
    raw = ctx.digits()
    if not raw:
        return blank(ctx, m.ENTER_NAMED, m.ENTER_ANSWER)
    text = raw.replace(",", "").replace(" ", "")
    if len(text) > 30 or not _NUMBER.match(text):
        ctx.error(m.NUMBER_INVALID)
        return None
    whole, _, fraction = text.partition(".")
    if fraction and not q.decimal:
        ctx.error(m.NUMBER_WHOLE)
        return None
    if len(fraction) > q.decimal_places:
        ctx.error(m.NUMBER_DECIMAL_PLACES, places=q.decimal_places)
        return None
    value: int | float = float(text) if q.decimal else int(whole)
    low, high = q.min_value, q.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        if low is not None and high is not None:
            ctx.error(m.NUMBER_BETWEEN, min=low, max=high)
        elif low is not None:
            ctx.error(m.NUMBER_MIN, min=low)
        elif high is not None:
            ctx.error(m.NUMBER_MAX, max=high)
        return None
    return value


_MISSING = {
    ("day",): m.DATE_NEEDS_DAY,
    ("month",): m.DATE_NEEDS_MONTH,
    ("year",): m.DATE_NEEDS_YEAR,
    ("day", "month"): m.DATE_NEEDS_DAY_MONTH,
    ("day", "year"): m.DATE_NEEDS_DAY_YEAR,
    ("month", "year"): m.DATE_NEEDS_MONTH_YEAR,
}


def _month(value: str) -> int | None:
    if value.isascii() and value.isdigit():
        return int(value) if len(value) <= 2 else None
    lowered = value.lower()
    for language in ("en", "bn"):
        for i, name in enumerate(month_names(language)):
            if lowered == name.lower() or (len(lowered) >= 3 and name.lower().startswith(lowered)):
                return i + 1
    return None


def format_date(value: dt.date, language: str) -> str:
    """A date as "5 March 2026" in the given language's month names and digits."""
    month = month_names(language)[value.month - 1]
    return localise_digits(f"{value.day} {month} {value.year}", language)


def date(ctx: Context) -> Answer:
    """An ISO date "YYYY-MM-DD" from day, month and year fields; within min and max."""
    q = ctx.question
    parts = {p: ctx.digits(p) for p in ("day", "month", "year")}
    if not any(parts.values()):
        return blank(ctx, m.ENTER_NAMED, m.ENTER_ANSWER, "day")
    missing = tuple(p for p in ("day", "month", "year") if not parts[p])
    if missing:
        ctx.error(_MISSING[missing], missing[0])
        return None
    day, month, year = parts["day"], _month(parts["month"]), parts["year"]
    if not (day.isascii() and day.isdigit() and len(day) <= 2):
        ctx.error(m.DATE_REAL, "day")
        return None
    if month is None:
        ctx.error(m.DATE_REAL, "month")
        return None
    if not (year.isascii() and year.isdigit() and len(year) == 4):
        ctx.error(m.DATE_YEAR_DIGITS, "year")
        return None
    try:
        value = dt.date(int(year), month, int(day))
    except ValueError:
        ctx.error(m.DATE_REAL, "day")
        return None
    if q.min_date and value.isoformat() < q.min_date:
        ctx.error(
            m.DATE_MIN, "day", min=format_date(dt.date.fromisoformat(q.min_date), ctx.language)
        )
        return None
    if q.max_date and value.isoformat() > q.max_date:
        ctx.error(
            m.DATE_MAX, "day", max=format_date(dt.date.fromisoformat(q.max_date), ctx.language)
        )
        return None
    return value.isoformat()


def _clean(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def short_text(ctx: Context) -> Answer:
    """Text on one line, at most max_length characters."""
    value = _clean(" ".join(ctx.value().split()))
    if not value:
        return blank(ctx, m.ENTER_NAMED, m.ENTER_ANSWER)
    limit = ctx.question.max_length
    if limit is not None and len(value) > limit:
        ctx.error(m.TEXT_TOO_LONG, max=limit)
        return None
    return value


def word_count(text: str) -> int:
    """The number of words, as the word-limit message counts them."""
    return len(text.split())


def long_text(ctx: Context) -> Answer:
    """Text of several lines, at most max_words words and max_length characters."""
    q = ctx.question
    value = _clean(ctx.value())
    if not value:
        return blank(ctx, m.ENTER_NAMED, m.ENTER_ANSWER)
    if q.max_words is not None and word_count(value) > q.max_words:
        ctx.error(m.TOO_MANY_WORDS, max=q.max_words)
        return None
    if q.max_length is not None and len(value) > q.max_length:
        ctx.error(m.TEXT_TOO_LONG, max=q.max_length)
        return None
    return value


def ward_postcode(ctx: Context) -> Answer:
    """{"ward": id} from the list, or {"postcode": "E1 6AN"} when the postcode is given instead."""
    q = ctx.question
    choice = ctx.value()
    typed = ctx.value("postcode")
    if choice and choice != POSTCODE_CHOICE:
        if choice not in q.option_ids:
            ctx.error(m.WARD_INVALID)
            return None
        return {"ward": choice}
    if not typed:
        if choice == POSTCODE_CHOICE:
            ctx.error(m.POSTCODE_MISSING, "postcode")
            return None
        if ctx.required:
            ctx.error(m.WARD_OR_POSTCODE)
        return None
    postcode = normalise_postcode(typed)
    if postcode is None:
        ctx.error(m.POSTCODE_INVALID, "postcode")
        return None
    return {"postcode": postcode}
