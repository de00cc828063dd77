"""Validate and coerce the raw form data of a page into answers, with GOV.UK error messages."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from surveys import types as t
from surveys.model import Question, Survey
from surveys.routing import visible_questions
from surveys.types import Answer
from surveys.validation import choice, inputs, personal
from surveys.validation.base import Context, FieldError, FormData

__all__ = [
    "VALIDATORS", "FieldError", "FormData", "PageResult", "validate_page", "validate_question"
]

VALIDATORS: Mapping[str, Callable[[Context], Answer]] = {
    t.SINGLE_CHOICE: choice.single_choice,
    t.AGREEMENT: choice.single_choice,
    t.MULTIPLE_CHOICE: choice.multiple_choice,
    t.RATING: choice.rating,
    t.GRID: choice.grid,
    t.RANKING: choice.ranking,
    t.NUMBER: inputs.number,
    t.DATE: inputs.date,
    t.SHORT_TEXT: inputs.short_text,
    t.LONG_TEXT: inputs.long_text,
    t.WARD_POSTCODE: inputs.ward_postcode,
    t.EMAIL: personal.email,
    t.UK_ADDRESS: personal.uk_address,
}
"""Each question type's handler: reads its fields from the form, checks and coerces them (one
entry per type of `surveys.types.QUESTION_TYPES`; tests/surveys/test_type_handlers.py checks)."""


def _chosen(answer: Answer, option: str) -> bool:
    """Whether a choice answer (one option id, or a list of them) includes `option`."""
    return answer == option or (isinstance(answer, list) and option in answer)


@dataclass(frozen=True)
class PageResult:
    """Coerced answers of a page's visible questions (None = left blank) and the errors found."""

    answers: dict[str, Answer]
    errors: list[FieldError]

    @property
    def ok(self) -> bool:
        """Whether the page has no errors (answers can be saved)."""
        return not self.errors


def validate_question(
    survey: Survey,
    question: Question,
    form: FormData,
    language: str | None = None,
    *,
    enforce_required: bool = True,
) -> tuple[Answer, list[FieldError]]:
    """Validate and coerce one question's fields from form data.

    With ``enforce_required=False`` a blank answer is never an error, even for a required
    question: it is stored as None ("not answered"). Keyed paper sheets use this, because a
    box a respondent left empty on paper cannot be sent back to them; every other check
    (formats, ranges, known options) still applies.
    """
    ctx = Context(survey, question, form, language or survey.language,
                  enforce_required=enforce_required)
    answer = VALIDATORS[question.type](ctx)
    return (None if ctx.errors else answer), ctx.errors


def validate_page(
    survey: Survey,
    page_id: str,
    form: FormData,
    language: str | None = None,
    answers: Mapping[str, object] | None = None,
    *,
    enforce_required: bool = True,
) -> PageResult:
    """Validate a page's form data; `answers` (earlier answers) decide which questions show.

    Raises KeyError for an unknown page id. Every visible question gets an entry in the result's
    answers (None if left blank), so the page counts as seen for `first_unanswered_page`.
    ``enforce_required=False`` lets any question be left blank (see `validate_question`).
    """
    page = survey.page(page_id)
    shown = set(visible_questions(survey, page_id, answers or {}))
    result: dict[str, Answer] = {}
    errors: list[FieldError] = []
    for question in page.questions:
        if question.id not in shown:
            continue
        if question.write_in_for is not None:
            choice, option = question.write_in_for
            if choice in result and not _chosen(result[choice], option):
                result[question.id] = None  # a box under an option not chosen is not kept
                continue
        answer, found = validate_question(survey, question, form, language,
                                          enforce_required=enforce_required)
        result[question.id] = answer
        errors.extend(found)
    return PageResult(result, errors)
