"""Property tests: arbitrary definitions, form data and answers never crash the engine."""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import surveys
from surveys import Survey

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

WORDS = [
    "yes",
    "no",
    "a",
    "b",
    "postcode",
    "bow-east",
    "agree",
    "dont-know",
    "none",
    "1",
    "2",
    "0",
    "10",
    "-1",
    "3.5",
    "E1 6AN",
    "e16an",
    "31",
    "feb",
    "2026",
    "",
    " ",
    "idea-store",
    "equals",
    "count",
    "answered",
    "in",
    "ward",
    "op",
    "question",
    "value",
    "sections",
    "pages",
    "questions",
    "id",
    "type",
    "en",
    "bn",
    "title",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(WORDS),
    st.text(max_size=20),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(WORDS) | st.text(max_size=8), children, max_size=4),
    ),
    max_leaves=25,
)


def exercise(survey: Survey, answers: dict[str, Any], form: dict[str, list[str]]) -> None:
    """Run every routing and answer function over a survey; they must not raise."""
    ids = surveys.path(survey, answers)
    assert all(survey.has_page(i) for i in ids)
    assert len(ids) == len(set(ids))
    kept = surveys.prune(survey, answers)
    assert surveys.prune(survey, kept) == kept
    surveys.first_unanswered_page(survey, answers)
    for page in survey.pages:
        surveys.next_page(survey, answers, page.id)
        surveys.previous_page(survey, answers, page.id)
        result = surveys.validate_page(survey, page.id, form, "bn", answers)
        json.dumps(result.answers)
        for q in page.questions:
            surveys.display_answer(survey, q.id, answers.get(q.id), "bn")
        surveys.to_form_data(survey, page.id, answers)
    surveys.free_text_answers(survey, answers)


@SETTINGS
@given(json_values)
def test_arbitrary_json_never_crashes_the_loader(data: Any) -> None:
    result = surveys.load_survey(data)
    assert result.survey is None or result.ok


@SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(["id", "title", "language", "languages", "sections", "settings"]),
        json_values,
    )
)
def test_arbitrary_top_level_objects_never_crash(data: dict[str, Any]) -> None:
    surveys.load_survey(data)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


def _mutate(definition: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    doc = copy.deepcopy(definition)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        target = data.draw(st.sampled_from(paths))
        parent: Any = doc
        for key in target[:-1]:
            parent = parent[key]
        key = target[-1]
        kind = data.draw(st.sampled_from(["delete", "replace", "duplicate", "word", "swap"]))
        if kind == "delete":
            del parent[key]
        elif kind == "replace":
            parent[key] = data.draw(json_values)
        elif kind == "word":
            parent[key] = data.draw(st.sampled_from([*WORDS, 0, 3, 11, -5, True, None]))
        elif kind == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        elif kind == "swap" and isinstance(parent, list) and len(parent) > 1:
            parent[0], parent[-1] = parent[-1], parent[0]
    return doc


forms = st.dictionaries(
    st.sampled_from(
        [
            "q-ward",
            "q-ward-postcode",
            "q-a",
            "q-n",
            "q-d-day",
            "q-d-month",
            "q-d-year",
            "q-r-a",
            "q-r-b",
            "q-g-s",
            "q-m",
            "q-t",
        ]
    )
    | st.text(max_size=12),
    st.lists(st.sampled_from(WORDS) | st.text(max_size=30), max_size=3),
    max_size=8,
)


@settings(SETTINGS, max_examples=50)
@given(st.data())
def test_mutated_demo_definition_never_crashes(demo_definition_data, data) -> None:  # type: ignore[no-untyped-def]
    doc = _mutate(demo_definition_data, data)
    result = surveys.load_survey(doc)
    if result.survey is not None:
        exercise(
            result.survey,
            data.draw(st.dictionaries(st.text(max_size=20), json_values, max_size=5)),
            data.draw(forms),
        )


def _small() -> dict[str, Any]:
    def q(qid: str, qtype: str, **extra: Any) -> dict[str, Any]:
        return {"id": qid, "type": qtype, "title": {"en": qid}, **extra}

    opts = [{"id": "a", "text": {"en": "A"}}, {"id": "b", "text": {"en": "B"}, "exclusive": True}]
    return {
        "id": "small",
        "title": {"en": "S"},
        "language": "en",
        "languages": ["en", "bn"],
        "settings": {"layout": "grouped", "max_questions_per_page": 6},
        "sections": [
            {
                "id": "one",
                "title": {"en": "One"},
                "pages": [
                    {
                        "id": "p1",
                        "title": {"en": "p1"},
                        "questions": [
                            q(
                                "a",
                                "single-choice",
                                options=[*opts[:1], {"id": "b", "text": {"en": "B"}}],
                            ),
                            q("n", "number", min=0, max=9),
                            q("m", "multiple-choice", options=opts),
                        ],
                        "routing": [
                            {
                                "when": {"op": "equals", "question": "a", "value": "b"},
                                "go_to": {"page": "p3"},
                            }
                        ],
                    },
                    {
                        "id": "p2",
                        "title": {"en": "p2"},
                        "when": {
                            "op": "count",
                            "question": "m",
                            "compare": "greater-than",
                            "value": 0,
                        },
                        "questions": [
                            q("d", "date", min="2000-01-01"),
                            q(
                                "r",
                                "ranking",
                                options=[*opts[:1], {"id": "b", "text": {"en": "B"}}],
                                top=1,
                            ),
                            q(
                                "g",
                                "grid",
                                scale="agreement",
                                statements=[{"id": "s", "text": {"en": "S"}}],
                            ),
                            q("t", "long-text", max_words=3, required=False),
                        ],
                    },
                    {
                        "id": "p3",
                        "title": {"en": "p3"},
                        "questions": [
                            q("ward", "ward-postcode"),
                            q("x", "rating"),
                            q("y", "agreement", dont_know=True),
                            q("z", "short-text", max_length=5),
                        ],
                    },
                ],
            },
            {"type": "demographics", "id": "you", "include": ["age", "sex"]},
        ],
    }


SMALL = _small()


@cache
def small_survey() -> Survey:
    return surveys.load_survey_or_raise(SMALL)


def test_small_definition_is_valid() -> None:
    assert surveys.load_survey(SMALL).ok


@SETTINGS
@given(st.data())
def test_mutated_small_definition_never_crashes(data) -> None:  # type: ignore[no-untyped-def]
    doc = _mutate(SMALL, data)
    result = surveys.load_survey(doc)
    assert (result.survey is None) == bool(result.problems)
    if result.survey is not None:
        exercise(
            result.survey,
            data.draw(
                st.dictionaries(
                    st.sampled_from(["a", "n", "m", "d", "r", "g", "t", "ward", "x", "y", "z"]),
                    json_values,
                    max_size=6,
                )
            ),
            data.draw(forms),
        )


@SETTINGS
@given(
    forms,
    st.dictionaries(
        st.sampled_from(["a", "n", "m", "d", "r", "g", "t", "ward"]), json_values, max_size=8
    ),
)
def test_arbitrary_form_data_and_answers_on_every_page(form, answers) -> None:  # type: ignore[no-untyped-def]
    survey = small_survey()
    exercise(survey, answers, form)
    for page in survey.pages:
        result = surveys.validate_page(survey, page.id, form)
        for error in result.errors:
            assert error.field in surveys.field_names(survey.question(error.question_id))
            assert error.text  # the template fills in with its own params
        if result.ok:  # what was accepted re-validates to the same answers
            again = surveys.to_form_data(survey, page.id, result.answers)
            assert surveys.validate_page(survey, page.id, again).answers == result.answers


@SETTINGS
@given(st.data())
def test_demo_pages_accept_arbitrary_field_values(demo_survey, data) -> None:  # type: ignore[no-untyped-def]
    page = data.draw(st.sampled_from(demo_survey.pages))
    names = [n for q in page.questions for n in surveys.field_names(q)]
    options = [o.id for q in page.questions for o in q.options] or ["x"]
    form = data.draw(
        st.dictionaries(
            st.sampled_from(names),
            st.lists(st.sampled_from(options + WORDS) | st.text(max_size=200), max_size=3),
        )
    )
    result = surveys.validate_page(demo_survey, page.id, form, "bn")
    json.dumps(result.answers)
    if result.ok:
        again = surveys.to_form_data(demo_survey, page.id, result.answers)
        assert surveys.validate_page(demo_survey, page.id, again).answers == result.answers


@SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "children",
                "services-used",
                "attended",
                "ward",
                "years-lived",
                "area-statements",
                "priorities",
            ]
        ),
        json_values,
        max_size=7,
    )
)
def test_demo_routing_with_arbitrary_answers(demo_survey, answers) -> None:  # type: ignore[no-untyped-def]
    ids = surveys.path(demo_survey, answers)
    assert ids[0] == "home" and ids[-1].startswith("about-you")
    indexes = [demo_survey.page_index(i) for i in ids]
    assert indexes == sorted(indexes)  # the path only moves forward


TYPES = [
    "single-choice",
    "multiple-choice",
    "agreement",
    "rating",
    "number",
    "date",
    "short-text",
    "long-text",
    "ranking",
    "grid",
    "ward-postcode",
]
VALUES = ["a", "b", "agree", "bow-east", 0, 3, 5, 10, "2026-01-01", ["a"], ["a", "b"], ["b"]]
FITTING: dict[str, list[tuple[str, Any]]] = {
    "single-choice": [("equals", "a"), ("not-equals", "b"), ("in", ["a", "b"])],
    "multiple-choice": [("any-in", ["a"]), ("all-in", ["a", "b"]), ("count", 1)],
    "ranking": [("any-in", ["b"]), ("count", 2)],
    "agreement": [("equals", "agree"), ("in", ["agree", "disagree"])],
    "rating": [("greater-than", 5), ("less-or-equal", 3), ("equals", 10)],
    "number": [("greater-or-equal", 3), ("less-than", 0), ("in", [1, 2])],
    "date": [("greater-than", "2026-01-01"), ("less-than", "2000-01-01")],
    "short-text": [("equals", "a"), ("not-equals", "b")],
    "long-text": [("equals", "a")],
    "grid": [("equals", "agree"), ("count", 1)],
    "ward-postcode": [("equals", "bow-east"), ("in", ["bow-east", "poplar"])],
}


@st.composite
def routed_definitions(draw: st.DrawFn) -> dict[str, Any]:
    """Definitions of 2-8 one-question pages with random, mostly well-typed skip conditions
    and routing rules (now and then a wrong one, which the loader must report)."""
    count = draw(st.integers(2, 8))
    opts = [{"id": "a", "text": {"en": "A"}}, {"id": "b", "text": {"en": "B"}}]
    types = [draw(st.sampled_from(TYPES)) for _ in range(count)]

    def leaf(upto: int) -> dict[str, Any]:
        index = draw(st.integers(0, upto))
        if draw(st.integers(0, 9)) == 0:  # sometimes any operator, any value
            op, value = draw(st.sampled_from(OPS_ALL)), draw(st.sampled_from(VALUES))
        else:
            op, value = draw(st.sampled_from(FITTING[types[index]] + [("answered", None)]))
        cond: dict[str, Any] = {"op": op, "question": f"q{index}"}
        if op != "answered":
            cond["value"] = value
        if op == "count":
            cond["compare"] = draw(st.sampled_from(["equals", "greater-than", "less-than"]))
        if types[index] == "grid" and op not in ("count", "answered"):
            cond["statement"] = "s"
        return cond

    def condition(upto: int) -> dict[str, Any]:
        kind = draw(st.integers(0, 3))
        if kind == 0:
            return {
                "op": draw(st.sampled_from(["and", "or"])),
                "conditions": [leaf(upto), leaf(upto)],
            }
        if kind == 1:
            return {"op": "not", "condition": leaf(upto)}
        return leaf(upto)

    pages: list[dict[str, Any]] = []
    for i, qtype in enumerate(types):
        question: dict[str, Any] = {
            "id": f"q{i}",
            "type": qtype,
            "title": {"en": f"Q{i}"},
            "required": draw(st.booleans()),
        }
        if qtype in ("single-choice", "multiple-choice", "ranking"):
            question["options"] = opts
        if qtype == "grid":
            question["statements"] = [{"id": "s", "text": {"en": "S"}}]
        page: dict[str, Any] = {"id": f"p{i}", "questions": [question]}
        if i and draw(st.booleans()):
            page["when"] = condition(i - 1)
        if i < count - 1 and draw(st.booleans()):
            target = draw(
                st.sampled_from(
                    [{"end": True}, {"page": f"p{draw(st.integers(i + 1, count - 1))}"}]
                )
            )
            page["routing"] = [{"when": condition(i), "go_to": target}]
        pages.append(page)
    return {
        "id": "routed",
        "title": {"en": "R"},
        "language": "en",
        "languages": ["en"],
        "sections": [{"id": "s", "title": {"en": "S"}, "pages": pages}],
    }


OPS_ALL = [
    "equals",
    "not-equals",
    "greater-than",
    "less-than",
    "greater-or-equal",
    "less-or-equal",
    "in",
    "any-in",
    "all-in",
    "count",
    "answered",
]


@settings(SETTINGS, max_examples=300)
@given(routed_definitions(), st.data())
def test_random_routing_never_crashes_and_only_moves_forward(definition, data) -> None:  # type: ignore[no-untyped-def]
    result = surveys.load_survey(definition)
    assert all(p.kind != "schema" for p in result.problems), result.problems
    if result.survey is None:
        return
    survey = result.survey
    answers = data.draw(
        st.dictionaries(
            st.sampled_from([q.id for q in survey.questions]),
            st.sampled_from([*VALUES, None, {"s": "agree"}, {"ward": "bow-east"}]),
        )
    )
    ids = surveys.path(survey, answers)
    indexes = [survey.page_index(i) for i in ids]
    assert indexes == sorted(set(indexes)) and ids and ids[0] == "p0"
    for page_id in ids:  # every page on the path passes its own `when` over earlier answers
        page = survey.page(page_id)
        earlier = {
            q: answers[q]
            for q in answers
            if survey.page_index(survey.page_of(q).id) < survey.page_index(page_id)
            and survey.page_of(q).id in ids
        }
        assert page.when is None or surveys.evaluate(page.when, earlier)
    exercise(survey, answers, {})
