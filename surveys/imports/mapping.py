"""What a file's columns and values mean: targets, suggestions, and the staff's mapping (plan)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from surveys import types as t
from surveys.fields import field_name
from surveys.imports import import_messages as m
from surveys.model import Option, Question, Survey

CHOICE = "choice"
"""One option (single choice, agreement, a grid statement)."""
MULTI = "multi"
"""Several options in one cell, separated by ; | or a new line (or commas)."""
WARD = "ward"
"""A ward (matched to the list) or a postcode."""
DATE = "date"
"""A date in one cell: 2026-03-27, 27/03/2026, 27 March 2026."""
VALUE = "value"
"""Passed to the engine as typed: numbers, ratings, text, ranks."""

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """Text reduced for matching: case, spaces and punctuation ignored."""
    return _NOT_WORD.sub("", text.casefold())


def value_key(value: str) -> str:
    """The key under which a cell value's answer is remembered (spaces tidied, case ignored)."""
    return " ".join(value.split()).casefold()[:200]


@dataclass(frozen=True)
class Target:
    """Something a column can hold: a question, or one part of it (grid statement, rank)."""

    key: str
    question_id: str
    part: str | None
    label: str
    kind: str
    options: tuple[Option, ...] = ()
    names: tuple[str, ...] = ()
    """Normalised names a column header may use for it (ids and titles in every language)."""


def _texts(text: Mapping[str, str] | None) -> list[str]:
    return [v for v in (text or {}).values() if v]


def _label(survey: Survey, question: Question, part_text: Mapping[str, str] | None = None) -> str:
    title = survey.text(question.title, survey.language)
    if part_text is None:
        return title
    return f"{title}: {survey.text(part_text, survey.language)}"


def targets(survey: Survey) -> list[Target]:
    """Every column target of a survey, in question order."""
    found: list[Target] = []
    for q in survey.questions:
        own = [q.id, *_texts(q.title), *_texts(q.name)]
        if q.type == t.GRID:
            for s in q.statements:
                names = [f"{q.id} {s.id}", *_texts(s.text),
                         *(f"{a} {b}" for a in _texts(q.title) for b in _texts(s.text))]
                found.append(Target(field_name(q.id, s.id), q.id, s.id,
                                    _label(survey, q, s.text), CHOICE, q.options,
                                    tuple(normalise(n) for n in names)))
        elif q.type == t.RANKING:
            for o in q.options:
                names = [f"{q.id} {o.id}",
                         *(f"{a} {b}" for a in _texts(q.title) for b in _texts(o.text))]
                found.append(Target(field_name(q.id, o.id), q.id, o.id,
                                    _label(survey, q, o.text), VALUE, (),
                                    tuple(normalise(n) for n in names)))
        else:
            kind = {t.SINGLE_CHOICE: CHOICE, t.AGREEMENT: CHOICE, t.MULTIPLE_CHOICE: MULTI,
                    t.WARD_POSTCODE: WARD, t.DATE: DATE}.get(q.type, VALUE)
            found.append(Target(field_name(q.id), q.id, None, _label(survey, q), kind,
                                q.options if kind in (CHOICE, MULTI, WARD) else (),
                                tuple(normalise(n) for n in own)))
    return found


def suggest_columns(headers: Sequence[str], available: Sequence[Target]) -> dict[int, str]:
    """Column index → target key where a header names exactly one target (each target once)."""
    by_name: dict[str, list[str]] = {}
    for target in available:
        for name in {target.key.removeprefix("q-"), *target.names}:
            if name:
                by_name.setdefault(normalise(name), []).append(target.key)
    chosen: dict[int, str] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        keys = set(by_name.get(normalise(header), []))
        if len(keys) == 1:
            key = keys.pop()
            if key not in used:
                chosen[index] = key
                used.add(key)
    return chosen


def suggest_value(value: str, options: Sequence[Option]) -> str | None:
    """The option a cell value names (by id or text in any language), or None."""
    wanted = normalise(value)
    if not wanted:
        return None
    for option in options:
        if wanted == normalise(option.id) or any(wanted == normalise(x)
                                                 for x in _texts(option.text)):
            return option.id
    return None


@dataclass(frozen=True)
class ImportPlan:
    """The staff's decisions: which column holds which target, and what each value means.

    `values[target key][value_key(cell)]` is an option id, or "" for "leave blank".
    """

    columns: Mapping[int, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        """A JSON-ready form, to keep between the steps of an import."""
        return {"columns": {str(k): v for k, v in self.columns.items()},
                "values": {k: dict(v) for k, v in self.values.items()}}

    @classmethod
    def from_json(cls, data: object) -> ImportPlan:
        """Read back `to_json`'s form; anything malformed is dropped."""
        if not isinstance(data, Mapping):
            return cls()
        columns: dict[int, str] = {}
        raw_columns = data.get("columns")
        if isinstance(raw_columns, Mapping):
            for k, v in raw_columns.items():
                if isinstance(k, str) and k.isdigit() and isinstance(v, str) and v:
                    columns[int(k)] = v
        values: dict[str, dict[str, str]] = {}
        raw_values = data.get("values")
        if isinstance(raw_values, Mapping):
            for key, table in raw_values.items():
                if isinstance(key, str) and isinstance(table, Mapping):
                    values[key] = {str(a): str(b) for a, b in table.items()
                                   if isinstance(a, str) and isinstance(b, str)}
        return cls(columns, values)


@dataclass(frozen=True)
class PlanProblem:
    """Why a mapping cannot be used: a template and its values (and the column, if one)."""

    message: str
    params: dict[str, str | int] = field(default_factory=dict)
    column: int | None = None


def check_plan(available: Sequence[Target], headers: Sequence[str],
               plan: ImportPlan) -> list[PlanProblem]:
    """Problems with a mapping: nothing mapped, unknown targets, a target used twice."""
    known = {target.key: target for target in available}
    problems: list[PlanProblem] = []
    mapped = {i: k for i, k in plan.columns.items() if 0 <= i < len(headers) and k in known}
    if not mapped:
        return [PlanProblem(m.MAP_NOTHING, {}, 0)]
    seen: dict[str, int] = {}
    for index in sorted(mapped):
        key = mapped[index]
        if key in seen:
            problems.append(PlanProblem(m.MAP_TWICE, {"target": known[key].label}, index))
        seen[key] = index
    return problems


def choice_values(rows: Iterable[tuple[int, Sequence[str]]], plan: ImportPlan,
                  available: Sequence[Target], cap: int = 60) -> dict[str, dict[str, str]]:
    """For each mapped choice column, its distinct values (key → the first spelling), up to cap."""
    known = {target.key: target for target in available}
    columns = {i: k for i, k in plan.columns.items() if k in known
               and known[k].kind in (CHOICE, MULTI, WARD)}
    found: dict[str, dict[str, str]] = {k: {} for k in columns.values()}
    for _number, cells in rows:
        for index, key in columns.items():
            if index >= len(cells) or not cells[index]:
                continue
            seen = found[key]
            parts = split_multi(cells[index], known[key]) if known[key].kind == MULTI else [
                cells[index]]
            for part in parts:
                k = value_key(part)
                if k not in seen and len(seen) < cap:
                    seen[k] = " ".join(part.split())[:200]
    return found


_SEPARATORS = re.compile(r"\s*[;|\n]\s*")


def split_multi(value: str, target: Target) -> list[str]:
    """The answers in a multiple-choice cell: the whole cell if it is one option's text, else
    the parts between ; | or new lines, else between commas."""
    if suggest_value(value, target.options) is not None:
        return [value]
    parts = [p for p in _SEPARATORS.split(value) if p]
    if len(parts) == 1:
        parts = [p.strip() for p in value.split(",") if p.strip()]
    return parts
