"""The form field naming convention.

Every question `ID` owns fields whose names start with "q-ID":

- single-choice, agreement, rating, number, short-text, long-text: "q-ID" (one value)
- multiple-choice: "q-ID" (one value per ticked option)
- date: "q-ID-day", "q-ID-month", "q-ID-year"
- ranking: "q-ID-OPTION" per option, holding a rank "1".."n" or "" for unranked
- grid: "q-ID-STATEMENT" per statement, holding the chosen scale option id
- ward-postcode: "q-ID" (a ward id, or "postcode") and "q-ID-postcode" (the postcode typed)
- email: "q-ID"
- uk-address: "q-ID-line1", "q-ID-line2", "q-ID-town", "q-ID-county", "q-ID-postcode"
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from surveys import types as t
from surveys.model import Question

DATE_PARTS = ("day", "month", "year")
ADDRESS_PARTS = ("line1", "line2", "town", "county", "postcode")


def field_name(question_id: str, part: str | None = None) -> str:
    """The form field name for a question, or for one part of it (date part, option, statement)."""
    return f"q-{question_id}" if part is None else f"q-{question_id}-{part}"


def _one(question: Question) -> tuple[str, ...]:
    return (field_name(question.id),)


def _date(question: Question) -> tuple[str, ...]:
    return tuple(field_name(question.id, p) for p in DATE_PARTS)


def _per_option(question: Question) -> tuple[str, ...]:
    return tuple(field_name(question.id, o.id) for o in question.options)


def _per_statement(question: Question) -> tuple[str, ...]:
    return tuple(field_name(question.id, s.id) for s in question.statements)


def _ward_postcode(question: Question) -> tuple[str, ...]:
    return (field_name(question.id), field_name(question.id, "postcode"))


def _address(question: Question) -> tuple[str, ...]:
    return tuple(field_name(question.id, p) for p in ADDRESS_PARTS)


FIELD_NAMES: Mapping[str, Callable[[Question], tuple[str, ...]]] = {
    t.SINGLE_CHOICE: _one,
    t.AGREEMENT: _one,
    t.MULTIPLE_CHOICE: _one,
    t.RATING: _one,
    t.NUMBER: _one,
    t.SHORT_TEXT: _one,
    t.LONG_TEXT: _one,
    t.EMAIL: _one,
    t.DATE: _date,
    t.RANKING: _per_option,
    t.GRID: _per_statement,
    t.WARD_POSTCODE: _ward_postcode,
    t.UK_ADDRESS: _address,
}
"""The form field names of each question type, in display order (one entry per type of
`surveys.types.QUESTION_TYPES`; tests/surveys/test_type_handlers.py checks)."""


def field_names(question: Question) -> tuple[str, ...]:
    """All form field names a question uses, in display order."""
    return FIELD_NAMES[question.type](question)


def first_field(question: Question) -> str:
    """The field an error summary links to when the question as a whole is in error."""
    names = field_names(question)
    return names[0] if names else field_name(question.id)


def rank_values(question: Question) -> tuple[str, ...]:
    """The values a ranking question's per-option select offers: "1".."N" (N = top, or all)."""
    count = question.top if question.top is not None else len(question.options)
    return tuple(str(i) for i in range(1, count + 1))
