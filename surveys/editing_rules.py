"""Conditions ("only show when") and routing rules of a draft, built from the builder's rows.

Like `surveys.editing`, functions that change a definition return a changed deep copy; a
condition that cannot be built raises `DefinitionEditError` with a code the caller turns into a
message.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from surveys import types as t
from surveys.editing import Definition, DefinitionEditError, get, pages, sections, walk_questions

CONDITION_OPERATORS: dict[str, tuple[str, ...]] = {
    t.SINGLE_CHOICE: (t.EQUALS, t.NOT_EQUALS, t.ANSWERED),
    t.AGREEMENT: (t.EQUALS, t.NOT_EQUALS, t.ANSWERED),
    t.WARD_POSTCODE: (t.EQUALS, t.NOT_EQUALS, t.ANSWERED),
    t.MULTIPLE_CHOICE: (t.ANY_IN, t.ALL_IN, t.ANSWERED),
    t.RANKING: (t.ANY_IN, t.ANSWERED),
    t.RATING: (t.EQUALS, t.NOT_EQUALS, t.GREATER_THAN, t.LESS_THAN, t.GREATER_OR_EQUAL,
               t.LESS_OR_EQUAL, t.ANSWERED),
    t.NUMBER: (t.EQUALS, t.NOT_EQUALS, t.GREATER_THAN, t.LESS_THAN, t.GREATER_OR_EQUAL,
               t.LESS_OR_EQUAL, t.ANSWERED),
    t.DATE: (t.EQUALS, t.NOT_EQUALS, t.GREATER_THAN, t.LESS_THAN, t.GREATER_OR_EQUAL,
             t.LESS_OR_EQUAL, t.ANSWERED),
    t.SHORT_TEXT: (t.ANSWERED,),
    t.LONG_TEXT: (t.ANSWERED,),
    t.GRID: (t.ANSWERED,),
    t.EMAIL: (t.ANSWERED,),
    t.UK_ADDRESS: (t.ANSWERED,),
}
"""The operators the builder offers for a question of each type."""

ANY_OPERATORS: tuple[str, ...] = (
    t.EQUALS, t.NOT_EQUALS, t.GREATER_THAN, t.LESS_THAN, t.GREATER_OR_EQUAL, t.LESS_OR_EQUAL,
    t.ANY_IN, t.ALL_IN, t.ANSWERED,
)


@dataclass(frozen=True)
class ConditionRow:
    """One test chosen in the builder: question, operator, value (as typed or chosen)."""

    question: str
    operator: str
    value: str = ""


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def condition_from_row(row: ConditionRow, qtype: str) -> dict[str, Any]:
    """One test as a condition dict; raise DefinitionEditError("operator" | "value" | "number")."""
    if row.operator not in CONDITION_OPERATORS.get(qtype, ()):
        raise DefinitionEditError("operator")
    condition: dict[str, Any] = {"op": row.operator, "question": row.question}
    if row.operator == t.ANSWERED:
        return condition
    value = row.value.strip()
    if not value:
        raise DefinitionEditError("value")
    if qtype in t.NUMERIC_TYPES:
        try:
            condition["value"] = _number(value)
        except ValueError as exc:
            raise DefinitionEditError("number") from exc
    elif row.operator in (t.ANY_IN, t.ALL_IN):
        condition["value"] = [value]
    else:
        condition["value"] = value
    return condition


def build_condition(rows: Sequence[ConditionRow], combine: str,
                    question_types: Mapping[str, str]) -> dict[str, Any]:
    """The condition for rows of tests joined by "and" or "or" (one row: the test itself)."""
    if combine not in (t.AND, t.OR):
        raise DefinitionEditError("combine")
    built = []
    for row in rows:
        if row.question not in question_types:
            raise DefinitionEditError("question")
        built.append(condition_from_row(row, question_types[row.question]))
    if not built:
        raise DefinitionEditError("empty")
    if len(built) == 1:
        return built[0]
    return {"op": combine, "conditions": built}


def condition_rows(condition: Mapping[str, Any] | None) -> tuple[str, list[ConditionRow]]:
    """The rows and the joining word a condition was built from (for showing and editing)."""
    if not condition:
        return t.AND, []
    op = str(condition.get("op"))
    parts: list[Any] = list(condition.get("conditions", [])) if op in (t.AND, t.OR) \
        else [condition]
    rows = []
    for part in parts:
        if not isinstance(part, Mapping):
            continue
        value = part.get("value", "")
        if isinstance(value, list):
            value = value[0] if value else ""
        rows.append(ConditionRow(str(part.get("question", "")), str(part.get("op", "")),
                                 str(value)))
    return (op if op in (t.AND, t.OR) else t.AND), rows


def earlier_questions(definition: Mapping[str, Any], page_id: str,
                      include_page: bool) -> list[dict[str, Any]]:
    """Questions a condition on this page may test: earlier pages (and the page itself)."""
    found: list[dict[str, Any]] = []
    reached = False
    for _section, page, question in walk_questions(definition):
        here = page.get("id") == page_id
        if reached and not here:
            break
        if here:
            reached = True
            if not include_page:
                break
        found.append(question)
    return found


def later_targets(definition: Mapping[str, Any], page_id: str) -> list[tuple[str, str]]:
    """Route targets after a page: ("page", id) and ("section", id), in order."""
    targets: list[tuple[str, str]] = []
    passed = False
    current_section = None
    for section in sections(definition):
        section_id = str(section.get("id"))
        if passed and section_id != current_section:
            targets.append(("section", section_id))
        for page in pages(section):
            if passed:
                targets.append(("page", str(page.get("id"))))
            if page.get("id") == page_id:
                passed = True
                current_section = section_id
    return targets


def set_routing(definition: Mapping[str, Any], page_id: str,
                routes: Sequence[Mapping[str, Any]]) -> Definition:
    """Replace a page's routing rules (an empty list removes them)."""
    changed = copy.deepcopy(dict(definition))
    page = get(changed, "page", page_id)
    if routes:
        page["routing"] = [dict(r) for r in routes]
    else:
        page.pop("routing", None)
    return changed


def set_when(definition: Mapping[str, Any], kind: str, item_id: str,
             condition: Mapping[str, Any] | None) -> Definition:
    """Set (or with None remove) the "only show when" condition of a page or question."""
    changed = copy.deepcopy(dict(definition))
    item = get(changed, kind, item_id)
    if condition:
        item["when"] = dict(condition)
    else:
        item.pop("when", None)
    return changed



def representable(condition: Mapping[str, Any] | None, question_types: Mapping[str, str]) -> bool:
    """Whether the builder's rows show this condition exactly (else saving would simplify it)."""
    if not condition:
        return True
    combine, rows = condition_rows(condition)
    try:
        rebuilt = build_condition(rows, combine, question_types)
    except DefinitionEditError:
        return False
    return rebuilt == dict(condition)
