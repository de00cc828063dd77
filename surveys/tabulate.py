"""Answers as a tidy table: one row per response, one column per question (one per option for
multiple choice and ranking, one per statement for grids), with labels rather than ids, and a
codebook that explains every column."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

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


def row_maker(survey: Survey, cols: list[Column],
              language: str | None = None) -> Callable[[Mapping[str, object]], list[Cell]]:
    """A fast equivalent of `row` for many responses: questions and labels looked up once."""
    lang = language or survey.language
    labels: dict[str, dict[str, str]] = {}
    plan: list[tuple[str, str, str | None]] = []
    for column in cols:
        question = survey.question(column.question_id)
        if question.id not in labels:
            labels[question.id] = {o.id: _t(survey, o.text, lang) for o in question.options}
        plan.append((question.id, question.type, column.part))

    def label(qid: str, value: object) -> str:
        text = labels[qid].get(str(value))
        return text if text is not None else str(value)

    def make(answers: Mapping[str, object]) -> list[Cell]:
        out: list[Cell] = []
        for qid, kind, part in plan:
            answer = answers.get(qid)
            if answer is None:
                out.append(None)
            elif kind == t.MULTIPLE_CHOICE and isinstance(answer, list):
                out.append(1 if part in answer else 0)
            elif kind == t.RANKING and isinstance(answer, list):
                out.append(answer.index(part) + 1 if part in answer else None)
            elif kind == t.GRID and isinstance(answer, Mapping):
                chosen = answer.get(part or "")
                out.append(label(qid, chosen) if chosen is not None else None)
            elif kind in (t.SINGLE_CHOICE, t.AGREEMENT):
                out.append(label(qid, answer))
            elif kind == t.WARD_POSTCODE and isinstance(answer, Mapping):
                if "ward" in answer:
                    out.append(label(qid, answer["ward"]))
                else:
                    out.append(str(answer.get("postcode", "")) or None)
            elif kind == t.UK_ADDRESS and isinstance(answer, Mapping):
                out.append(", ".join(str(answer[p]) for p in ADDRESS_PARTS if answer.get(p))
                           or None)
            elif kind in (t.RATING, t.NUMBER) and isinstance(answer, (int, float)) and \
                    not isinstance(answer, bool):
                out.append(answer)
            else:
                out.append(str(answer))
        return out

    return make
