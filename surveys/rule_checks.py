"""Checks of routing: rule targets exist and lie ahead; conditions fit their questions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from surveys import types as t
from surveys.model import Condition, Page, Question, Section, Survey
from surveys.problems import Problem, join

_EQUALITY_TYPES = (
    t.CHOICE_TYPES | t.NUMERIC_TYPES | t.TEXT_TYPES | {t.DATE, t.WARD_POSTCODE, t.GRID}
)
_ALLOWED: Mapping[str, frozenset[str]] = {
    t.EQUALS: frozenset(_EQUALITY_TYPES),
    t.NOT_EQUALS: frozenset(_EQUALITY_TYPES),
    t.IN: frozenset(_EQUALITY_TYPES),
    t.GREATER_THAN: frozenset(t.NUMERIC_TYPES | {t.DATE}),
    t.LESS_THAN: frozenset(t.NUMERIC_TYPES | {t.DATE}),
    t.GREATER_OR_EQUAL: frozenset(t.NUMERIC_TYPES | {t.DATE}),
    t.LESS_OR_EQUAL: frozenset(t.NUMERIC_TYPES | {t.DATE}),
    t.ANY_IN: frozenset(t.LIST_TYPES),
    t.ALL_IN: frozenset(t.LIST_TYPES),
    t.COUNT: frozenset(t.LIST_TYPES | {t.GRID}),
    t.ANSWERED: frozenset(t.QUESTION_TYPES),
}


class _Where:
    def __init__(self, section: Section, page: Page, question: Question | None = None) -> None:
        self.section, self.page, self.question = section, page, question

    def problem(self, kind: str, path: str, message: str) -> Problem:
        q = self.question.id if self.question else None
        return Problem(kind, path, message, self.section.id, self.page.id, q)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_value(cond: Condition, q: Question, path: str, where: _Where) -> list[Problem]:
    """Operand checks for a leaf condition on question q."""
    vpath = join(path, "value")
    wants_list = cond.op in (t.IN, t.ANY_IN, t.ALL_IN)
    if cond.op == t.ANSWERED:
        return []
    if cond.op == t.COUNT:
        return _check_count(cond, path, where)
    if wants_list != isinstance(cond.value, tuple):
        need = "a list of values" if wants_list else "a single value"
        return [where.problem("operand-type", vpath, f"'{cond.op}' needs {need}")]
    values = cond.value if isinstance(cond.value, tuple) else (cond.value,)
    return [where.problem(kind, vpath, message) for kind, message in _operand_problems(q, values)]


def _check_count(cond: Condition, path: str, where: _Where) -> list[Problem]:
    """`count` needs a whole number ≥ 0 and a comparison."""
    out: list[Problem] = []
    if not (isinstance(cond.value, int) and not isinstance(cond.value, bool) and cond.value >= 0):
        out.append(
            where.problem("operand-type", join(path, "value"), "count needs a whole number ≥ 0")
        )
    if cond.compare is None:
        out.append(where.problem("operand-type", join(path, "compare"), "count needs 'compare'"))
    return out


def _operand_problems(q: Question, values: tuple[object, ...]) -> list[tuple[str, str]]:
    """(kind, message) for each value that is not what question q's answers are."""
    if q.type in t.NUMERIC_TYPES:
        return [
            ("operand-type", f"'{v}' is not a number; question '{q.id}' is {q.type}")
            for v in values
            if not _is_number(v)
        ]
    if q.type == t.DATE:
        return [
            ("operand-type", f"'{v}' is not a date in the form YYYY-MM-DD")
            for v in values
            if not isinstance(v, str) or len(v) != 10 or not _iso(v)
        ]
    if q.type in t.TEXT_TYPES:
        return [("operand-type", f"'{v}' is not text") for v in values if not isinstance(v, str)]
    known = q.option_ids
    label = "ward" if q.type == t.WARD_POSTCODE else "option"
    out: list[tuple[str, str]] = []
    for v in values:
        if not isinstance(v, str):
            out.append(("operand-type", f"'{v}' must be an {label} id of question '{q.id}'"))
        elif v not in known:
            out.append(("unknown-option", f"question '{q.id}' has no {label} '{v}'"))
    return out


def _iso(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def check_condition(
    survey: Survey, cond: Condition, path: str, where: _Where, before: int, same_page_ok: bool
) -> list[Problem]:
    """Check a condition tree; its questions must come before page index `before`."""
    if cond.op in t.LOGICAL_OPERATORS:
        key = "condition" if cond.op == t.NOT else "conditions"
        out: list[Problem] = []
        for i, child in enumerate(cond.conditions):
            child_path = join(path, key) if cond.op == t.NOT else join(join(path, key), i)
            out.extend(check_condition(survey, child, child_path, where, before, same_page_ok))
        return out
    qpath = join(path, "question")
    try:
        q = survey.question(cond.question or "")
    except KeyError:
        return [
            where.problem("unknown-question", qpath, f"no question '{cond.question}' in the survey")
        ]
    index = survey.page_index(survey.page_of(q.id).id)
    if index > before or (index == before and not same_page_ok):
        return [
            where.problem(
                "forward-reference", qpath, f"question '{q.id}' is not asked before this point"
            )
        ]
    if q.type not in _ALLOWED.get(cond.op, frozenset()):
        return [
            where.problem(
                "operator-not-allowed",
                join(path, "op"),
                f"'{cond.op}' cannot be used on {q.type} question '{q.id}'",
            )
        ]
    if q.type == t.GRID and cond.op != t.COUNT and cond.op != t.ANSWERED:
        ids = [s.id for s in q.statements]
        if cond.statement not in ids:
            return [
                where.problem(
                    "unknown-statement",
                    join(path, "statement"),
                    f"grid question '{q.id}' needs a 'statement' from: " + ", ".join(ids),
                )
            ]
    elif cond.statement is not None and q.type != t.GRID:
        return [
            where.problem(
                "operand-type",
                join(path, "statement"),
                f"'statement' applies only to grid questions, not '{q.id}'",
            )
        ]
    return _check_value(cond, q, path, where)


def check_routing(survey: Survey) -> list[Problem]:
    """Check every `when` and routing rule of sections, pages and questions."""
    out: list[Problem] = []
    section_starts: dict[str, int] = {}
    for s in survey.sections:
        if s.pages and s.id not in section_starts:
            section_starts[s.id] = survey.page_index(s.pages[0].id)
    for s in survey.sections:
        if not s.pages:
            continue
        first = survey.page_index(s.pages[0].id)
        if s.when is not None:
            out += check_condition(
                survey, s.when, join(s.loc, "when"), _Where(s, s.pages[0]), first, False
            )
        for p in s.pages:
            here = survey.page_index(p.id)
            if p.when is not None:
                out += check_condition(
                    survey, p.when, join(p.loc, "when"), _Where(s, p), here, False
                )
            for q in p.questions:
                if q.when is not None:
                    out += check_condition(
                        survey, q.when, join(q.loc, "when"), _Where(s, p, q), here, False
                    )
            for r in p.routes:
                if r.when is not None:
                    out += check_condition(
                        survey, r.when, join(r.loc, "when"), _Where(s, p), here, True
                    )
                out += _check_target(
                    survey, r.page, r.section, r.loc, _Where(s, p), here, section_starts
                )
    return out


def _check_target(
    survey: Survey,
    page: str | None,
    section: str | None,
    loc: str,
    where: _Where,
    here: int,
    starts: Mapping[str, int],
) -> list[Problem]:
    if page is not None:
        path = join(join(loc, "go_to"), "page")
        if not survey.has_page(page):
            return [where.problem("unknown-target", path, f"no page '{page}' to go to")]
        if survey.page_index(page) <= here:
            return [
                where.problem(
                    "backward-target", path, f"page '{page}' does not come after this page"
                )
            ]
    if section is not None:
        path = join(join(loc, "go_to"), "section")
        if section not in starts:
            return [where.problem("unknown-target", path, f"no section '{section}' to go to")]
        if starts[section] <= here:
            return [
                where.problem(
                    "backward-target", path, f"section '{section}' does not come after this page"
                )
            ]
    return []
