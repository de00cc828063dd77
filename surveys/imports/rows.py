"""Turn a file's rows into answers with the engine's own validation, and report every bad cell."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from surveys import types as t
from surveys.builtins import POSTCODE_CHOICE, month_names
from surveys.fields import field_name
from surveys.imports import import_messages as m
from surveys.imports.mapping import (
    CHOICE,
    DATE,
    MULTI,
    WARD,
    ImportPlan,
    Target,
    split_multi,
    suggest_value,
    value_key,
)
from surveys.imports.reading import neutralise
from surveys.model import Question, Survey
from surveys.postcode import normalise_postcode
from surveys.types import Answer
from surveys.validation import validate_question

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_MEMO = 5000
"""Distinct cell values per column whose meaning is remembered (files repeat their answers)."""
_WORDS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([^\W\d_]+)\.?,?\s+(\d{4})$", re.UNICODE)


@dataclass(frozen=True)
class RowError:
    """One bad cell: the row (as a spreadsheet numbers it), the column's name, the value, why."""

    row: int
    column: str
    value: str
    message: str
    params: Mapping[str, str | int] = field(default_factory=dict)

    def render(self, translate: Callable[[str], str] | None = None) -> str:
        """Why, translated by `translate` (gettext) and filled in."""
        text = translate(self.message) if translate is not None else self.message
        return text % dict(self.params) if self.params else text

    @property
    def text(self) -> str:
        """Why, in English."""
        return self.render()


@dataclass(frozen=True)
class RowResult:
    """A row's answers (question id → answer) and its errors; store it only if `ok`."""

    row: int
    answers: dict[str, Answer]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        """Whether the row has no errors."""
        return not self.errors


def date_parts(value: str) -> tuple[str, str, str] | None:
    """(day, month, year) from 2026-03-27, 27/03/2026, 27.3.2026 or 27 March 2026; else None."""
    text = value.strip()
    if found := _ISO.match(text):
        return found.group(3), found.group(2), found.group(1)
    if found := _DMY.match(text):
        return found.group(1), found.group(2), found.group(3)
    if found := _WORDS.match(text):
        word = found.group(2).casefold()
        for language in ("en", "bn"):
            for i, name in enumerate(month_names(language)):
                if len(word) >= 3 and name.casefold().startswith(word):
                    return found.group(1), str(i + 1), found.group(3)
    return None


def _optional(question: Question) -> Question:
    # Another tool had its own rules about what must be answered: a blank cell is stored as
    # "left blank", while a value that is there must be a valid answer.
    return dataclasses.replace(question, required=False) if question.required else question


class RowConverter:
    """Converts rows of one file under one plan (set up once, then used for every row)."""

    def __init__(self, survey: Survey, available: Sequence[Target], headers: Sequence[str],
                 plan: ImportPlan) -> None:
        self.survey = survey
        self.headers = list(headers)
        self.plan = plan
        known = {target.key: target for target in available}
        self.columns: list[tuple[int, Target]] = sorted(
            (i, known[k]) for i, k in plan.columns.items()
            if k in known and 0 <= i < len(headers))
        by_question: dict[str, list[tuple[int, Target]]] = {}
        for index, target in self.columns:
            by_question.setdefault(target.question_id, []).append((index, target))
        self.questions: list[tuple[Question, list[tuple[int, Target]]]] = [
            (_optional(q), by_question[q.id]) for q in survey.questions if q.id in by_question]
        self._memo: dict[str, dict[str, str | None]] = {}

    def _choice(self, target: Target, value: str) -> str | None:
        memo = self._memo.setdefault(target.key, {})
        if value in memo:
            return memo[value]
        table = self.plan.values.get(target.key, {})
        key = value_key(value)
        if key in table:
            found: str | None = table[key]
        elif value in (o.id for o in target.options):
            found = value
        else:
            found = suggest_value(value, target.options)
        if len(memo) < _MEMO:
            memo[value] = found
        return found

    def _cell(self, target: Target, value: str, form: dict[str, list[str]],
              problem: Callable[[str, dict[str, str | int]], None]) -> None:
        name = target.key
        if target.kind == CHOICE:
            chosen = self._choice(target, value)
            if chosen is None:
                problem(m.VALUE_NOT_MAPPED, {"value": value[:100]})
            elif chosen:
                form[name] = [chosen]
        elif target.kind == MULTI:
            picked: list[str] = []
            whole = self._choice(target, value)
            for part in [value] if whole is not None else split_multi(value, target):
                chosen = self._choice(target, part)
                if chosen is None:
                    problem(m.VALUE_NOT_MAPPED, {"value": part[:100]})
                    return
                if chosen:
                    picked.append(chosen)
            if picked:
                form[name] = picked
        elif target.kind == WARD:
            chosen = self._choice(target, value)
            if chosen:
                form[name] = [chosen]
            elif chosen is None:
                if normalise_postcode(value) is None:
                    problem(m.VALUE_NOT_MAPPED, {"value": value[:100]})
                else:
                    form[name] = [POSTCODE_CHOICE]
                    form[field_name(target.question_id, "postcode")] = [value]
        elif target.kind == DATE:
            parts = date_parts(value)
            if parts is None:
                problem(m.DATE_FORMAT, {})
            else:
                for part, text in zip(("day", "month", "year"), parts, strict=True):
                    form[field_name(target.question_id, part)] = [text]
        else:
            form[name] = [value]

    def convert(self, number: int, cells: Sequence[str]) -> RowResult:
        """Validate one row; answers only for mapped questions (blank cells → None)."""
        answers: dict[str, Answer] = {}
        errors: list[RowError] = []
        for question, columns in self.questions:
            form: dict[str, list[str]] = {}
            found_before = len(errors)
            for index, target in columns:
                value = cells[index] if index < len(cells) else ""
                if not value:
                    continue

                def problem(message: str, params: dict[str, str | int],
                            index: int = index, value: str = value) -> None:
                    errors.append(RowError(number, self.headers[index], value[:100], message,
                                           params))

                self._cell(target, value, form, problem)
            if len(errors) > found_before:
                continue
            answer, found = validate_question(self.survey, question, form)
            if found:
                for error in found:
                    index = self._column_of(error.field, columns)
                    errors.append(RowError(number, self.headers[index],
                                           (cells[index] if index < len(cells) else "")[:100],
                                           error.message, dict(error.params)))
                continue
            if question.type in t.TEXT_TYPES and isinstance(answer, str):
                answer = neutralise(answer)
            answers[question.id] = answer
        return RowResult(number, answers, errors)

    @staticmethod
    def _column_of(field_name_: str, columns: list[tuple[int, Target]]) -> int:
        for index, target in columns:
            if field_name_ == target.key or field_name_.startswith(target.key + "-"):
                return index
        return columns[0][0]


def convert_rows(converter: RowConverter,
                 rows: Iterable[tuple[int, Sequence[str]]]) -> Iterator[RowResult]:
    """Convert every row in turn (lazily)."""
    for number, cells in rows:
        yield converter.convert(number, cells)
