"""Each operator of the condition tree, evaluated directly and inside a loaded survey."""

from __future__ import annotations

import pytest

import surveys
from surveys import Condition, evaluate

ANSWERS = {
    "choice": "yes",
    "number": 5,
    "decimal": 2.5,
    "multi": ["a", "b"],
    "grid": {"safe": "agree"},
    "ward": {"ward": "bow-east"},
    "postcode": {"postcode": "E1 6AN"},
    "date": "2026-03-07",
    "blank": None,
}


def leaf(op: str, question: str, value: object = None, **extra: object) -> Condition:
    if isinstance(value, list):
        value = tuple(value)
    return Condition(op=op, question=question, value=value, **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "cond,expected",
    [
        (leaf("equals", "choice", "yes"), True),
        (leaf("equals", "choice", "no"), False),
        (leaf("equals", "number", 5), True),
        (leaf("equals", "number", 5.0), True),
        (leaf("equals", "number", "5"), False),
        (leaf("equals", "grid", "agree", statement="safe"), True),
        (leaf("equals", "ward", "bow-east"), True),
        (leaf("equals", "postcode", "bow-east"), False),
        (leaf("not-equals", "choice", "no"), True),
        (leaf("not-equals", "choice", "yes"), False),
        (leaf("greater-than", "number", 4), True),
        (leaf("greater-than", "number", 5), False),
        (leaf("less-than", "number", 6), True),
        (leaf("less-than", "number", 5), False),
        (leaf("greater-or-equal", "number", 5), True),
        (leaf("greater-or-equal", "number", 6), False),
        (leaf("less-or-equal", "decimal", 2.5), True),
        (leaf("less-or-equal", "decimal", 2.4), False),
        (leaf("greater-than", "date", "2026-01-01"), True),
        (leaf("less-than", "date", "2026-01-01"), False),
        (leaf("greater-than", "choice", 3), False),
        (leaf("in", "choice", ["no", "yes"]), True),
        (leaf("in", "choice", ["no"]), False),
        (leaf("in", "ward", ["bow-east", "bow-west"]), True),
        (leaf("any-in", "multi", ["b", "z"]), True),
        (leaf("any-in", "multi", ["z"]), False),
        (leaf("all-in", "multi", ["a", "b"]), True),
        (leaf("all-in", "multi", ["a", "z"]), False),
        (leaf("count", "multi", 2, compare="equals"), True),
        (leaf("count", "multi", 2, compare="greater-than"), False),
        (leaf("count", "multi", 1, compare="greater-or-equal"), True),
        (leaf("count", "grid", 1, compare="equals"), True),
        (leaf("answered", "choice"), True),
        (leaf("answered", "blank"), False),
        (leaf("answered", "missing"), False),
    ],
)
def test_leaf_operators(cond: Condition, expected: bool) -> None:
    assert evaluate(cond, ANSWERS) is expected


@pytest.mark.parametrize(
    "op", ["equals", "not-equals", "greater-than", "less-than", "in", "any-in", "all-in", "count"]
)
def test_unanswered_is_false(op: str) -> None:
    cond = leaf(op, "blank", ["x"] if op in ("in", "any-in", "all-in") else 1, compare="equals")
    assert evaluate(cond, ANSWERS) is False
    assert evaluate(Condition(op="not", conditions=(cond,)), ANSWERS) is True


def test_logical_operators() -> None:
    yes = leaf("equals", "choice", "yes")
    no = leaf("equals", "choice", "no")
    assert evaluate(Condition(op="and", conditions=(yes, yes)), ANSWERS)
    assert not evaluate(Condition(op="and", conditions=(yes, no)), ANSWERS)
    assert evaluate(Condition(op="or", conditions=(no, yes)), ANSWERS)
    assert not evaluate(Condition(op="or", conditions=(no, no)), ANSWERS)
    assert evaluate(Condition(op="not", conditions=(no,)), ANSWERS)
    assert not evaluate(Condition(op="not", conditions=(yes,)), ANSWERS)


@pytest.mark.parametrize("value", [True, [1, 2], {"a": 1}, float("nan"), "", object()])
def test_odd_answer_values_never_raise(value: object) -> None:
    for op in ("equals", "greater-than", "in", "any-in", "count", "answered"):
        evaluate(
            leaf(op, "x", ["a"] if op in ("in", "any-in") else 1, compare="less-than"), {"x": value}
        )


def test_bool_is_not_a_number() -> None:
    assert not evaluate(leaf("equals", "x", 1), {"x": True})


def test_operators_drive_a_loaded_survey(make) -> None:  # type: ignore[no-untyped-def]
    """Each operator in a `when` shows or hides a page in a real survey."""
    cases = [
        ({"op": "equals", "question": "c", "value": "yes"}, {"c": "yes"}, {"c": "no"}),
        ({"op": "not-equals", "question": "c", "value": "yes"}, {"c": "no"}, {"c": "yes"}),
        ({"op": "greater-than", "question": "n", "value": 3}, {"n": 4}, {"n": 3}),
        ({"op": "less-than", "question": "n", "value": 3}, {"n": 2}, {"n": 3}),
        ({"op": "greater-or-equal", "question": "n", "value": 3}, {"n": 3}, {"n": 2}),
        ({"op": "less-or-equal", "question": "r", "value": 3}, {"r": 3}, {"r": 4}),
        ({"op": "in", "question": "c", "value": ["yes", "maybe"]}, {"c": "maybe"}, {"c": "no"}),
        ({"op": "any-in", "question": "m", "value": ["a"]}, {"m": ["a", "b"]}, {"m": ["b"]}),
        ({"op": "all-in", "question": "m", "value": ["a", "b"]}, {"m": ["a", "b"]}, {"m": ["a"]}),
        (
            {"op": "count", "question": "m", "compare": "greater-or-equal", "value": 2},
            {"m": ["a", "b"]},
            {"m": ["a"]},
        ),
        ({"op": "answered", "question": "t"}, {"t": "hi"}, {"t": None}),
        (
            {
                "op": "and",
                "conditions": [
                    {"op": "equals", "question": "c", "value": "yes"},
                    {"op": "greater-than", "question": "n", "value": 1},
                ],
            },
            {"c": "yes", "n": 2},
            {"c": "yes", "n": 1},
        ),
        (
            {
                "op": "or",
                "conditions": [
                    {"op": "equals", "question": "c", "value": "yes"},
                    {"op": "greater-than", "question": "n", "value": 1},
                ],
            },
            {"c": "no", "n": 2},
            {"c": "no", "n": 1},
        ),
        (
            {"op": "not", "condition": {"op": "equals", "question": "c", "value": "yes"}},
            {"c": "no"},
            {"c": "yes"},
        ),
        (
            {"op": "equals", "question": "g", "statement": "s", "value": "agree"},
            {"g": {"s": "agree"}},
            {"g": {"s": "disagree"}},
        ),
        (
            {"op": "equals", "question": "w", "value": "bow-east"},
            {"w": {"ward": "bow-east"}},
            {"w": {"postcode": "E3 2AA"}},
        ),
    ]
    for when, shown, hidden in cases:
        definition = make.definition(
            make.page(
                "first",
                make.question("c", "single-choice", options=make.options("yes", "no", "maybe")),
                make.question("n", "number"),
                make.question("r", "rating"),
                make.question("m", "multiple-choice", options=make.options("a", "b")),
                make.question("t", "short-text", required=False),
            ),
            make.page(
                "second",
                make.question(
                    "g", "grid", scale="agreement", statements=[{"id": "s", "text": {"en": "S"}}]
                ),
                make.question("w", "ward-postcode"),
            ),
            make.page("target", make.question("x", "short-text"), when=when),
        )
        s = make.load(definition)
        assert "target" in surveys.path(s, shown), when
        assert "target" not in surveys.path(s, hidden), when
