"""The adapter that turns a survey page into GOV.UK component parameters.

Validation is the survey engine's (surveys.validate_page); this module lays out a page (its
heading, which questions show, the write-in boxes under their options) and leaves how each
question type is shown to that type's handler in `engage.forms.question_widgets`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

import surveys
from engage.forms.question_widgets import WIDGETS
from surveys.numerals import localise_digits

Values = Mapping[str, Sequence[str]]


def answer_value(text: str) -> dict[str, Any]:
    """A summary-list value: an answer of several lines (each statement of a grid, each rank,
    each choice) is a list of one line each, never one run-together paragraph."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 2:
        return {"text": text}
    items = Markup("").join(Markup("<li>{}</li>").format(line) for line in lines)
    return {"html": Markup('<ul class="govuk-list">{}</ul>').format(items)}


def answer_text(
    definition: surveys.Survey,
    question: surveys.Question,
    answers: Mapping[str, object],
    language: str,
) -> str:
    """A question's answer for check your answers, with what was written in the box under the
    chosen option ("Any other Asian background: Nepali")."""
    chosen = answers.get(question.id)
    if question.type == surveys.types.MULTIPLE_CHOICE and isinstance(chosen, list) and chosen:
        return "\n".join(
            _with_write_in(
                definition,
                question,
                answers,
                option,
                surveys.display_answer(definition, question.id, [option], language),
            )
            for option in chosen
        )
    text = surveys.display_answer(definition, question.id, chosen, language)
    return _with_write_in(definition, question, answers, chosen, text)


def _with_write_in(
    definition: surveys.Survey,
    question: surveys.Question,
    answers: Mapping[str, object],
    option: object,
    text: str,
) -> str:
    """An option's text followed by what was written in its box, if anything."""
    for other in definition.questions:
        written = answers.get(other.id)
        if (
            other.write_in_for == (question.id, option)
            and isinstance(written, str)
            and written.strip()
        ):
            return f"{text}: {written.strip()}"
    return text


class PageView:
    """What the page template needs: heading, and one entry per question."""

    def __init__(
        self,
        survey: surveys.Survey,
        page_id: str,
        question_ids: Sequence[str],
        values: Values,
        errors: Mapping[str, str],
        language: str,
        embedded: bool = False,
    ) -> None:
        self.survey = survey
        self.page = survey.page(page_id)
        self.language = language
        self.values = values
        self.errors = errors
        self.question_ids = tuple(question_ids)
        self.text_share = surveys.page_text_share(self.page.questions)
        shown = [survey.question(q) for q in question_ids]
        # A write-in box is shown under its option, inside its choice question.
        self.write_ins = {q.write_in_for: q for q in shown if q.write_in_for is not None}
        questions = [q for q in shown if q.write_in_for is None]
        # Embedded: one of many pages on a staff form (paper keying), so never the page heading.
        self.single = len(questions) == 1 and not embedded
        self.heading = self.text(self.page.title) if (self.page.title and not self.single) else ""
        self.questions = [self._question(q) for q in questions]
        # The page's <title>: its heading, or its one question.
        self.title = self.heading or (self.text(questions[0].title) if questions else "")

    def text(self, text: surveys.Text | None) -> str:
        """Survey text in the page's language ("" for none)."""
        return surveys.localise(text, self.language, self.survey.language) if text else ""

    def digits(self, number: object) -> str:
        """A number in the page's digits (১০ in Bengali)."""
        return localise_digits(str(number), self.language)

    def one(self, name: str) -> str:
        """What was submitted in a field (or pre-filled from saved answers), or ""."""
        found = self.values.get(name) or []
        return str(found[0]) if found else ""

    def error(self, *names: str) -> dict[str, str] | None:
        """The error message of the first of these fields that has one."""
        for name in names:
            if name in self.errors:
                return {"text": self.errors[name]}
        return None

    def legend(self, q: surveys.Question) -> dict[str, Any]:
        """A fieldset legend: the page heading when the question is alone on its page."""
        if self.single:
            return {
                "text": self.text(q.title),
                "isPageHeading": True,
                "classes": "govuk-fieldset__legend--l",
            }
        return {"text": self.text(q.title), "classes": "govuk-fieldset__legend--m"}

    def label(self, q: surveys.Question) -> dict[str, Any]:
        """A field label: the page heading when the question is alone on its page."""
        if self.single:
            return {"text": self.text(q.title), "isPageHeading": True, "classes": "govuk-label--l"}
        return {"text": self.text(q.title), "classes": "govuk-label--m"}

    def hint(self, q: surveys.Question, extra: str = "") -> dict[str, str] | None:
        """The question's hint followed by `extra` (what the widget adds), if any."""
        text = " ".join(part for part in (self.text(q.hint), extra) if part)
        return {"text": text} if text else None

    def field(self, q: surveys.Question, name: str, **extra: Any) -> dict[str, Any]:
        """A labelled input or textarea holding one answer: what was typed and its error."""
        return {
            "name": name,
            "id": name,
            "label": self.label(q),
            "hint": self.hint(q),
            "value": self.one(name),
            "errorMessage": self.error(name),
            **extra,
        }

    def choice(
        self,
        q: surveys.Question,
        name: str,
        items: list[dict[str, Any]],
        hint: dict[str, str] | None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Radios or checkboxes of one field in a fieldset legended by the question."""
        return {
            "name": name,
            "idPrefix": name,
            "items": items,
            "fieldset": {"legend": self.legend(q)},
            "hint": hint,
            "errorMessage": self.error(name),
            **extra,
        }

    def _question(self, q: surveys.Question) -> dict[str, Any]:
        """The question as its type's widget shows it."""
        return WIDGETS[q.type](self, q, surveys.field_name(q.id))
