"""Evaluate a condition tree over answers.

A test on a question that has no answer (absent or None) is false, whatever the operator,
except that `not` inverts its child as usual; use {"op": "answered"} to test for an answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from surveys import types as t
from surveys.model import Condition


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return None if math.isnan(value) else float(value)


def _same(a: object, b: object) -> bool:
    na, nb = _number(a), _number(b)
    if na is not None or nb is not None:
        return na is not None and nb is not None and na == nb
    return isinstance(a, str) and isinstance(b, str) and a == b


def _order(a: object, b: object, test: Callable[[float, float], bool]) -> bool:
    na, nb = _number(a), _number(b)
    if na is not None and nb is not None:
        return test(na, nb)
    if isinstance(a, str) and isinstance(b, str):  # ISO dates compare as strings
        return test(float(a > b) - float(a < b), 0.0)
    return False


_ORDER: Mapping[str, Callable[[float, float], bool]] = {
    t.GREATER_THAN: lambda a, b: a > b,
    t.LESS_THAN: lambda a, b: a < b,
    t.GREATER_OR_EQUAL: lambda a, b: a >= b,
    t.LESS_OR_EQUAL: lambda a, b: a <= b,
}


def _compare(op: str, a: object, b: object) -> bool:
    if op == t.EQUALS:
        return _same(a, b)
    if op == t.NOT_EQUALS:
        return not _same(a, b)
    test = _ORDER.get(op)
    return test is not None and _order(a, b, test)


def answer_value(cond: Condition, answers: Mapping[str, object]) -> object:
    """The value a leaf condition tests: the answer, a grid statement's answer, or the ward."""
    value = answers.get(cond.question or "")
    if isinstance(value, Mapping):
        if cond.op == t.COUNT:
            return value
        return value.get(cond.statement if cond.statement is not None else "ward")
    return value


def is_answered(value: object) -> bool:
    """Whether an answer value counts as answered (not None, not empty text, list or map)."""
    if value is None:
        return False
    if isinstance(value, (str, list, tuple, Mapping)):
        return len(value) > 0
    return True


def evaluate(cond: Condition, answers: Mapping[str, object]) -> bool:
    """Evaluate a condition tree over answers (question id → answer); never raises on odd data."""
    if cond.op == t.AND:
        return all(evaluate(c, answers) for c in cond.conditions)
    if cond.op == t.OR:
        return any(evaluate(c, answers) for c in cond.conditions)
    if cond.op == t.NOT:
        return not all(evaluate(c, answers) for c in cond.conditions)
    value = answer_value(cond, answers)
    if cond.op == t.ANSWERED:
        return is_answered(value)
    if not is_answered(value):
        return False
    targets = cond.value if isinstance(cond.value, tuple) else (cond.value,)
    if cond.op in t.COMPARISONS:
        return _compare(cond.op, value, cond.value)
    if cond.op == t.IN:
        return any(_same(value, v) for v in targets)
    chosen = list(value) if isinstance(value, (list, tuple, Mapping)) else []
    if cond.op == t.ANY_IN:
        return any(_same(c, v) for c in chosen for v in targets)
    if cond.op == t.ALL_IN:
        return all(any(_same(c, v) for c in chosen) for v in targets)
    if cond.op == t.COUNT:
        return _compare(cond.compare or t.EQUALS, len(chosen), cond.value)
    return False
