"""Answers as a tidy table: one row per response, one column per question (one per option for
multiple choice and ranking, one per statement for grids), with labels rather than ids, and a
codebook that explains every column."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from surveys import types as t
from surveys.fields import ADDRESS_PARTS
from surveys.model import Condition, Question, Survey

Cell = str | int | float | None


@dataclass(frozen=True)
class Column:
    """One column of the table."""

    key: str  # stable, e.g. "q-services-used:library"
    header: str  # for people, e.g. "Which services have you used? [Library]"
    question_id: str
    part: str | None = None  # option id (multiple choice, ranking) or statement id (grid)


def _t(survey: Survey, text: object, language: str) -> str:
    return survey.text(text, language) if text is not None else ""  # type: ignore[arg-type]


def columns(survey: Survey, language: str | None = None) -> list[Column]:
    """Every answer column of the survey, in survey order."""
    lang = language or survey.language
    found: list[Column] = []
    for question in survey.questions:
        title = _t(survey, question.title, lang)
        if question.type in (t.MULTIPLE_CHOICE, t.RANKING):
            for option in question.options:
                found.append(Column(f"{question.id}:{option.id}",
                                    f"{title} [{_t(survey, option.text, lang)}]",
                                    question.id, option.id))
        elif question.type == t.GRID:
            for statement in question.statements:
                found.append(Column(f"{question.id}:{statement.id}",
                                    f"{title} [{_t(survey, statement.text, lang)}]",
                                    question.id, statement.id))
        else:
            found.append(Column(question.id, title, question.id))
    return found


def _label(survey: Survey, question: Question, option_id: object, language: str) -> str:
    option = question.option(str(option_id))
    return _t(survey, option.text, language) if option else str(option_id)


def cell(survey: Survey, column: Column, answers: Mapping[str, object],
         language: str | None = None) -> Cell:
    """The value of one column for one response (None when not answered or not asked)."""
    lang = language or survey.language
    question = survey.question(column.question_id)
    answer = answers.get(column.question_id)
    if answer is None:
        return None
    kind = question.type
    if kind == t.MULTIPLE_CHOICE and isinstance(answer, list):
        return 1 if column.part in answer else 0
    if kind == t.RANKING and isinstance(answer, list):
        return answer.index(column.part) + 1 if column.part in answer else None
    if kind == t.GRID and isinstance(answer, Mapping):
        chosen = answer.get(column.part or "")
        return _label(survey, question, chosen, lang) if chosen is not None else None
    if kind in (t.SINGLE_CHOICE, t.AGREEMENT):
        return _label(survey, question, answer, lang)
    if kind == t.UK_ADDRESS and isinstance(answer, Mapping):
        return ", ".join(str(answer[p]) for p in ADDRESS_PARTS if answer.get(p)) or None
    if kind == t.WARD_POSTCODE and isinstance(answer, Mapping):
        if "ward" in answer:
            return _label(survey, question, answer["ward"], lang)
        return str(answer.get("postcode", "")) or None
    if kind in (t.RATING, t.NUMBER) and isinstance(answer, (int, float)) and \
            not isinstance(answer, bool):
        return answer
    return str(answer)


def row(survey: Survey, cols: list[Column], answers: Mapping[str, object],
        language: str | None = None) -> list[Cell]:
    """One response as a row of cells in the order of `cols`."""
    return [cell(survey, c, answers, language) for c in cols]


def _condition_text(condition: Condition | None) -> str:
    if condition is None:
        return ""
    if condition.op in ("and", "or"):
        return f" {condition.op} ".join(f"({_condition_text(c)})" for c in condition.conditions)
    if condition.op == "not":
        return "not (" + "".join(_condition_text(c) for c in condition.conditions) + ")"
    target = condition.question or ""
    if condition.statement:
        target += f"[{condition.statement}]"
    if condition.op == "answered":
        return f"{target} answered"
    if condition.op == "count":
        return f"count of {target} {condition.compare} {condition.value}"
    return f"{target} {condition.op} {condition.value}"


def codebook(survey: Survey, language: str | None = None) -> list[dict[str, str]]:
    """One entry per column: key, header, question id, wording, type, options, when asked."""
    lang = language or survey.language
    entries = []
    for column in columns(survey, lang):
        question = survey.question(column.question_id)
        page = survey.page_of(question.id)
        asked = [text for text in (
            _condition_text(page.when), _condition_text(question.when)) if text]
        routes = [f"if {_condition_text(r.when)} go to "
                  f"{r.page or r.section or 'the end'}" for r in page.routes]
        if question.type == t.MULTIPLE_CHOICE:
            values = "1 = ticked, 0 = not ticked, blank = not asked"
        elif question.type == t.RANKING:
            values = "rank given (1 = first), blank = not ranked or not asked"
        elif question.options:
            values = "; ".join(f"{o.id} = {_t(survey, o.text, lang)}" for o in question.options)
        else:
            values = {t.NUMBER: "a number", t.RATING: "0 to 10", t.DATE: "a date (YYYY-MM-DD)",
                      t.SHORT_TEXT: "free text", t.LONG_TEXT: "free text",
                      t.EMAIL: "an email address (personal data)",
                      t.UK_ADDRESS: "a UK postal address, its parts joined by commas "
                                    "(personal data)"}.get(question.type, "")
        entries.append({
            "column": column.header, "key": column.key, "question_id": question.id,
            "wording": _t(survey, question.title, lang), "type": question.type,
            "values": values, "asked_when": " and ".join(asked) or "always (on its page's path)",
            "routing_after_page": "; ".join(routes),
        })
    return entries


def _raw(kind: str, part: str | None, labels: Mapping[str, str], answer: object) -> Cell:
    """One column's cell for a given (not None) answer: exactly `cell`, labels looked up."""
    if kind == t.MULTIPLE_CHOICE and isinstance(answer, list):
        return 1 if part in answer else 0
    if kind == t.RANKING and isinstance(answer, list):
        return answer.index(part) + 1 if part in answer else None
    if kind == t.GRID and isinstance(answer, Mapping):
        chosen = answer.get(part or "")
        if chosen is None:
            return None
        text = labels.get(str(chosen))
        return text if text is not None else str(chosen)
    if kind in (t.SINGLE_CHOICE, t.AGREEMENT):
        text = labels.get(str(answer))
        return text if text is not None else str(answer)
    if kind == t.UK_ADDRESS and isinstance(answer, Mapping):
        return ", ".join(str(answer[p]) for p in ADDRESS_PARTS if answer.get(p)) or None
    if kind == t.WARD_POSTCODE and isinstance(answer, Mapping):
        if "ward" in answer:
            text = labels.get(str(answer["ward"]))
            return text if text is not None else str(answer["ward"])
        return str(answer.get("postcode", "")) or None
    if kind in (t.RATING, t.NUMBER) and isinstance(answer, (int, float)) and \
            not isinstance(answer, bool):
        return answer
    return str(answer)


Finish = Callable[[Any], Any]
"""A function applied to cells (a redaction, a CSV's formula guard): a cell in, a cell out."""
Cells = Callable[[object], list[Cell]]


def _same(value: Cell) -> Cell:
    return value


def _question_cells(kind: str, parts: list[str | None], labels: Mapping[str, str],
                    finish: Finish) -> Cells:
    """The cells of one question's columns for a (not None) answer, `finish` applied to
    each, with labels finished once here and counts and ranks left as they are."""
    done: dict[str, Cell] = {key: finish(text) for key, text in labels.items()}
    finished = done.get
    none: Cell = finish(None)

    def label(value: object) -> Cell:
        key = value if value.__class__ is str else str(value)
        text = finished(key)
        if text is None:
            text = finish(key)
        return text

    # (Exact classes are tested first: answers decoded from JSON are dicts, lists, str, int
    # and float; the isinstance tests, slower, decide for anything else.)
    if kind in (t.MULTIPLE_CHOICE, t.RANKING):
        ranked = kind == t.RANKING

        def listed(answer: object) -> list[Cell]:
            if answer.__class__ is not list and not isinstance(answer, list):
                return [finish(str(answer))] * len(parts)
            if ranked:
                return [answer.index(p) + 1 if p in answer else none for p in parts]
            return [1 if p in answer else 0 for p in parts]

        return listed
    if kind == t.GRID:
        keys = [p or "" for p in parts]

        def grid(answer: object) -> list[Cell]:
            if answer.__class__ is not dict and not isinstance(answer, Mapping):
                return [finish(str(answer))] * len(parts)
            get = answer.get
            return [none if (chosen := get(key)) is None
                    else found if chosen.__class__ is str and (found := finished(chosen))
                    is not None else label(chosen) for key in keys]

        return grid
    if kind in (t.SINGLE_CHOICE, t.AGREEMENT):
        return lambda answer: [label(answer)]
    if kind == t.WARD_POSTCODE:
        def ward(answer: object) -> list[Cell]:
            if (answer.__class__ is dict or isinstance(answer, Mapping)) and "ward" in answer:
                return [label(answer["ward"])]
            return [finish(_raw(kind, None, labels, answer))]

        return ward
    if kind in (t.RATING, t.NUMBER):
        def number(answer: object) -> list[Cell]:
            if answer.__class__ is int or answer.__class__ is float or (
                    isinstance(answer, (int, float)) and not isinstance(answer, bool)):
                return [finish(answer)]
            return [finish(str(answer))]

        return number
    if kind == t.UK_ADDRESS:
        return lambda answer: [finish(_raw(kind, None, labels, answer))]
    return lambda answer: [finish(str(answer))]  # text, dates, email addresses


def row_maker(survey: Survey, cols: list[Column], language: str | None = None, *,
              hiders: Sequence[Finish | None] | None = None,
              defuse: Finish | None = None) -> Callable[[Mapping[str, object]], list[Cell]]:
    """A fast equivalent of `row` for many responses: questions and labels looked up once,
    each question's columns made together.

    `hiders` (one per column, or None) are applied to each column's cell, then `defuse` to
    every cell: a CSV's guard against formulas, say. Both must be pure functions of the cell;
    without a hider in its question, a multiple-choice count (0, 1) or a rank (1, 2, ...) is
    left as the number it is, not defused (`defuse` must write such a number as itself), and
    an option's label is finished once, not once per response.
    """
    lang = language or survey.language
    plan: list[tuple[str, Cells, list[Cell], Mapping[str, Cell] | None]] = []
    at = 0
    while at < len(cols):
        qid = cols[at].question_id
        end = at
        while end < len(cols) and cols[end].question_id == qid:
            end += 1
        question = survey.question(qid)
        labels = {o.id: _t(survey, o.text, lang) for o in question.options}
        parts = [c.part for c in cols[at:end]]
        own = list(hiders[at:end]) if hiders else [None] * (end - at)
        fins = [_compose(h, defuse) for h in own]
        if any(own):  # a hidden (personal) column: every cell made and finished one by one
            plan.append((qid, _one_by_one(question.type, parts, labels, fins),
                         [f(None) for f in fins], None))
        else:
            finish = defuse or _same
            # A single choice's answer is an option id: its finished label, looked up here.
            chosen = ({key: finish(text) for key, text in labels.items()}
                      if question.type in (t.SINGLE_CHOICE, t.AGREEMENT) else None)
            plan.append((qid, _question_cells(question.type, parts, labels, finish),
                         [finish(None)] * len(parts), chosen))
        at = end

    def make(answers: Mapping[str, object]) -> list[Cell]:
        out: list[Cell] = []
        get = answers.get
        for qid, cells, blank, chosen in plan:
            answer = get(qid)
            if answer is None:
                out += blank
            elif chosen is not None and type(answer) is str and \
                    (label := chosen.get(answer)) is not None:
                out.append(label)
            else:
                out += cells(answer)
        return out

    return make


def _compose(first: Finish | None, then: Finish | None) -> Finish:
    if first is None:
        return then or _same
    if then is None:
        return first
    return lambda value: then(first(value))


def _one_by_one(kind: str, parts: list[str | None], labels: Mapping[str, str],
                fins: list[Finish]) -> Cells:
    def cells(answer: object) -> list[Cell]:
        return [f(_raw(kind, p, labels, answer)) for p, f in zip(parts, fins, strict=True)]

    return cells
