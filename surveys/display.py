"""Answers back to form data (to pre-fill a page) and to text (check your answers, analysis).

Each question type has one handler in each map (`FORM_DATA`, `ANSWER_TEXT`), as it has one
for reading what is submitted (`surveys.validation.VALIDATORS`) and for naming its fields
(`surveys.fields.FIELD_NAMES`); tests/surveys/test_type_handlers.py fails on a type without.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from surveys import types as t
from surveys.builtins import POSTCODE_CHOICE, builtin_text
from surveys.fields import ADDRESS_PARTS, field_name
from surveys.model import Question, Survey
from surveys.numerals import format_number
from surveys.validation.inputs import format_date

FormDataOf = Callable[[Question, object], dict[str, list[str]]]
"""A question type's answer back to form data: (question, stored answer, not None) → fields."""


def _form_text(q: Question, answer: object) -> dict[str, list[str]]:
    return {field_name(q.id): [answer]} if isinstance(answer, str) else {}


def _form_number(q: Question, answer: object) -> dict[str, list[str]]:
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        return {field_name(q.id): [format_number(answer)]}
    return {}


def _form_options(q: Question, answer: object) -> dict[str, list[str]]:
    return {field_name(q.id): [str(v) for v in answer]} if isinstance(answer, list) else {}


def _form_date(q: Question, answer: object) -> dict[str, list[str]]:
    if not isinstance(answer, str):
        return {}
    try:
        day = dt.date.fromisoformat(answer)
    except ValueError:
        return {}
    return {
        field_name(q.id, "day"): [str(day.day)],
        field_name(q.id, "month"): [str(day.month)],
        field_name(q.id, "year"): [str(day.year)],
    }


def _form_ranking(q: Question, answer: object) -> dict[str, list[str]]:
    if not isinstance(answer, list):
        return {}
    return {field_name(q.id, str(o)): [str(i)] for i, o in enumerate(answer, start=1)}


def _form_parts(q: Question, answer: object) -> dict[str, list[str]]:
    """One field per part (a grid's statements, an address's lines)."""
    if not isinstance(answer, Mapping):
        return {}
    return {field_name(q.id, str(k)): [str(v)] for k, v in answer.items()}


def _form_ward_postcode(q: Question, answer: object) -> dict[str, list[str]]:
    if not isinstance(answer, Mapping):
        return {}
    if "ward" in answer:
        return {field_name(q.id): [str(answer["ward"])]}
    if "postcode" in answer:
        return {
            field_name(q.id): [POSTCODE_CHOICE],
            field_name(q.id, "postcode"): [str(answer["postcode"])],
        }
    return {}


FORM_DATA: Mapping[str, FormDataOf] = {
    t.SINGLE_CHOICE: _form_text,
    t.AGREEMENT: _form_text,
    t.SHORT_TEXT: _form_text,
    t.LONG_TEXT: _form_text,
    t.EMAIL: _form_text,
    t.RATING: _form_number,
    t.NUMBER: _form_number,
    t.MULTIPLE_CHOICE: _form_options,
    t.DATE: _form_date,
    t.RANKING: _form_ranking,
    t.GRID: _form_parts,
    t.UK_ADDRESS: _form_parts,
    t.WARD_POSTCODE: _form_ward_postcode,
}
"""Each question type's answer back to form data; an answer of the wrong shape gives none."""


def to_form_data(
    survey: Survey, page_id: str, answers: Mapping[str, object]
) -> dict[str, list[str]]:
    """The form data that would re-create a page's stored answers (to pre-fill the page)."""
    data: dict[str, list[str]] = {}
    for q in survey.page(page_id).questions:
        answer = answers.get(q.id)
        if answer is not None:
            data.update(FORM_DATA[q.type](q, answer))
    return data


def _option_text(survey: Survey, q: Question, option_id: object, language: str) -> str:
    option = q.option(str(option_id))
    return survey.text(option.text, language) if option else str(option_id)


AnswerText = Callable[[Survey, Question, object, str], str]
"""A question type's answer as text: (survey, question, answer given, language) → text."""


def _text_plain(survey: Survey, q: Question, answer: object, language: str) -> str:
    return str(answer)


def _text_option(survey: Survey, q: Question, answer: object, language: str) -> str:
    return _option_text(survey, q, answer, language)


def _text_options(survey: Survey, q: Question, answer: object, language: str) -> str:
    if not isinstance(answer, list):
        return str(answer)
    return "\n".join(_option_text(survey, q, v, language) for v in answer)


def _text_ranking(survey: Survey, q: Question, answer: object, language: str) -> str:
    if not isinstance(answer, list):
        return str(answer)
    return "\n".join(
        f"{format_number(i, language)}. {_option_text(survey, q, v, language)}"
        for i, v in enumerate(answer, start=1)
    )


def _text_grid(survey: Survey, q: Question, answer: object, language: str) -> str:
    if not isinstance(answer, Mapping):
        return str(answer)
    return "\n".join(
        f"{survey.text(s.text, language)}: {_option_text(survey, q, answer[s.id], language)}"
        for s in q.statements
        if s.id in answer
    )


def _text_number(survey: Survey, q: Question, answer: object, language: str) -> str:
    if not isinstance(answer, (int, float)):
        return str(answer)
    suffix = survey.text(q.suffix, language)
    text = format_number(answer, language)
    return f"{text} {suffix}" if suffix else text


def _text_date(survey: Survey, q: Question, answer: object, language: str) -> str:
    if not isinstance(answer, str):
        return str(answer)
    try:
        return format_date(dt.date.fromisoformat(answer), language)
    except ValueError:
        return answer


def _text_ward_postcode(survey: Survey, q: Question, answer: object, language: str) -> str:
    if not isinstance(answer, Mapping):
        return str(answer)
    if "ward" in answer:
        return _option_text(survey, q, answer["ward"], language)
    return str(answer.get("postcode", ""))


def _text_address(survey: Survey, q: Question, answer: object, language: str) -> str:
    return address_text(answer, "\n") if isinstance(answer, Mapping) else str(answer)


ANSWER_TEXT: Mapping[str, AnswerText] = {
    t.SINGLE_CHOICE: _text_option,
    t.AGREEMENT: _text_option,
    t.MULTIPLE_CHOICE: _text_options,
    t.RANKING: _text_ranking,
    t.GRID: _text_grid,
    t.RATING: _text_number,
    t.NUMBER: _text_number,
    t.DATE: _text_date,
    t.WARD_POSTCODE: _text_ward_postcode,
    t.UK_ADDRESS: _text_address,
    t.SHORT_TEXT: _text_plain,
    t.LONG_TEXT: _text_plain,
    t.EMAIL: _text_plain,
}
"""Each question type's answer as text; an answer of the wrong shape is shown as it is."""


def display_answer(survey: Survey, question_id: str, answer: object, language: str) -> str:
    """An answer as text for a check-your-answers page; several items are joined by newlines."""
    q = survey.question(question_id)
    if answer is None or answer == "" or answer == [] or answer == {}:
        return survey.text(builtin_text("not-answered"), language)
    return ANSWER_TEXT[q.type](survey, q, answer, language)


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
