"""Answers back to form data (to pre-fill a page) and to text (check your answers, analysis)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from surveys import types as t
from surveys.builtins import POSTCODE_CHOICE, builtin_text
from surveys.fields import ADDRESS_PARTS, field_name
from surveys.model import Question, Survey
from surveys.numerals import format_number
from surveys.validation.inputs import format_date


def _question_form(q: Question, answer: object) -> dict[str, list[str]]:
    name = field_name(q.id)
    if answer is None:
        return {}
    if q.type == t.UK_ADDRESS and isinstance(answer, Mapping):
        return {field_name(q.id, str(k)): [str(v)] for k, v in answer.items()}
    if q.type in (t.SINGLE_CHOICE, t.AGREEMENT, t.SHORT_TEXT, t.LONG_TEXT, t.EMAIL) and isinstance(
        answer, str
    ):
        return {name: [answer]}
    if (
        q.type in (t.RATING, t.NUMBER)
        and isinstance(answer, (int, float))
        and not isinstance(answer, bool)
    ):
        return {name: [format_number(answer)]}
    if q.type == t.MULTIPLE_CHOICE and isinstance(answer, list):
        return {name: [str(v) for v in answer]}
    if q.type == t.DATE and isinstance(answer, str):
        try:
            day = dt.date.fromisoformat(answer)
        except ValueError:
            return {}
        return {
            field_name(q.id, "day"): [str(day.day)],
            field_name(q.id, "month"): [str(day.month)],
            field_name(q.id, "year"): [str(day.year)],
        }
    if q.type == t.RANKING and isinstance(answer, list):
        return {field_name(q.id, str(o)): [str(i)] for i, o in enumerate(answer, start=1)}
    if q.type == t.GRID and isinstance(answer, Mapping):
        return {field_name(q.id, str(k)): [str(v)] for k, v in answer.items()}
    if q.type == t.WARD_POSTCODE and isinstance(answer, Mapping):
        if "ward" in answer:
            return {name: [str(answer["ward"])]}
        if "postcode" in answer:
            return {
                name: [POSTCODE_CHOICE],
                field_name(q.id, "postcode"): [str(answer["postcode"])],
            }
    return {}


def to_form_data(
    survey: Survey, page_id: str, answers: Mapping[str, object]
) -> dict[str, list[str]]:
    """The form data that would re-create a page's stored answers (to pre-fill the page)."""
    data: dict[str, list[str]] = {}
    for q in survey.page(page_id).questions:
        data.update(_question_form(q, answers.get(q.id)))
    return data


def _option_text(survey: Survey, q: Question, option_id: object, language: str) -> str:
    option = q.option(str(option_id))
    return survey.text(option.text, language) if option else str(option_id)


def display_answer(survey: Survey, question_id: str, answer: object, language: str) -> str:
    """An answer as text for a check-your-answers page; several items are joined by newlines."""
    q = survey.question(question_id)
    if answer is None or answer == "" or answer == [] or answer == {}:
        return survey.text(builtin_text("not-answered"), language)
    if q.type in (t.SINGLE_CHOICE, t.AGREEMENT):
        return _option_text(survey, q, answer, language)
    if q.type == t.MULTIPLE_CHOICE and isinstance(answer, list):
        return "\n".join(_option_text(survey, q, v, language) for v in answer)
    if q.type == t.RANKING and isinstance(answer, list):
        return "\n".join(
            f"{format_number(i, language)}. {_option_text(survey, q, v, language)}"
            for i, v in enumerate(answer, start=1)
        )
    if q.type == t.GRID and isinstance(answer, Mapping):
        lines = []
        for s in q.statements:
            if s.id in answer:
                lines.append(
                    f"{survey.text(s.text, language)}: "
                    f"{_option_text(survey, q, answer[s.id], language)}"
                )
        return "\n".join(lines)
    if q.type in (t.RATING, t.NUMBER) and isinstance(answer, (int, float)):
        suffix = survey.text(q.suffix, language)
        text = format_number(answer, language)
        return f"{text} {suffix}" if suffix else text
    if q.type == t.DATE and isinstance(answer, str):
        try:
            return format_date(dt.date.fromisoformat(answer), language)
        except ValueError:
            return answer
    if q.type == t.WARD_POSTCODE and isinstance(answer, Mapping):
        if "ward" in answer:
            return _option_text(survey, q, answer["ward"], language)
        return str(answer.get("postcode", ""))
    if q.type == t.UK_ADDRESS and isinstance(answer, Mapping):
        return address_text(answer, "\n")
    return str(answer)


def address_text(answer: Mapping[str, object], separator: str = ", ") -> str:
    """A UK address answer as text, its parts in order ("1 High St, London, E1 6AN")."""
    return separator.join(str(answer[p]) for p in ADDRESS_PARTS if answer.get(p))


_EXAMPLE_DAY = dt.date(2007, 3, 27)
"""GOV.UK's example date, used when a date question has no limits that rule it out."""


def date_example(q: Question) -> dt.date:
    """A date to give as an example for a date question, inside its `min` and `max`.

    27 March (the day of GOV.UK's example) in the latest year allowed, moved into the range
    when that day falls outside it.
    """
    low = dt.date.fromisoformat(q.min_date) if q.min_date else None
    high = dt.date.fromisoformat(q.max_date) if q.max_date else None
    if high is None:
        year = max(_EXAMPLE_DAY.year, low.year + 1) if low else _EXAMPLE_DAY.year
        candidate = _EXAMPLE_DAY.replace(year=year)
    else:
        candidate = _EXAMPLE_DAY.replace(year=high.year)
        if candidate > high:
            candidate = candidate.replace(year=high.year - 1)
    if low is not None and candidate < low:
        candidate = low if high is None else low + (high - low) // 2
    if high is not None and candidate > high:
        candidate = high
    return candidate


def free_text_answers(survey: Survey, answers: Mapping[str, object]) -> list[tuple[str, str]]:
    """(question id, text) for every non-empty short or long text answer, in survey order."""
    out: list[tuple[str, str]] = []
    for q in survey.questions:
        value = answers.get(q.id)
        if q.type in t.TEXT_TYPES and isinstance(value, str) and value.strip():
            out.append((q.id, value))
    return out
