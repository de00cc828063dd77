"""The path through a survey: skips, routing rules, back and next, resume, pruning."""

from __future__ import annotations

import pytest

import surveys
from surveys import (
    first_unanswered_page,
    is_complete,
    next_page,
    path,
    previous_page,
    progress,
    prune,
)


@pytest.fixture
def library(make):  # type: ignore[no-untyped-def]
    """Ask library users how often they go; non-users skip to the end section's question."""
    use = make.question("use", "single-choice", options=make.options("yes", "no"))
    often = make.question("often", "single-choice", options=make.options("weekly", "rarely"))
    why = make.question("why", "long-text", required=False)
    last = make.question("last", "short-text")
    return make.load(
        make.definition(
            make.page(
                "use",
                use,
                routing=[
                    {
                        "when": {"op": "equals", "question": "use", "value": "no"},
                        "go_to": {"page": "last"},
                    }
                ],
            ),
            make.page("often", often),
            make.page("why", why, when={"op": "equals", "question": "often", "value": "rarely"}),
            make.page("last", last),
        )
    )


def test_path_default_and_routed(library) -> None:  # type: ignore[no-untyped-def]
    assert path(library, {}) == ["use", "often", "last"]
    assert path(library, {"use": "yes", "often": "rarely"}) == ["use", "often", "why", "last"]
    assert path(library, {"use": "no"}) == ["use", "last"]


def test_next_and_previous(library) -> None:  # type: ignore[no-untyped-def]
    answers = {"use": "no"}
    assert next_page(library, answers, "use") == "last"
    assert previous_page(library, answers, "last") == "use"
    assert previous_page(library, answers, "use") is None
    assert next_page(library, answers, "last") is None
    answers = {"use": "yes", "often": "rarely"}
    assert next_page(library, answers, "often") == "why"
    assert previous_page(library, answers, "last") == "why"


def test_next_from_an_off_path_page(library) -> None:  # type: ignore[no-untyped-def]
    # "why" is off the path when often == weekly; next goes to the next page on the path
    answers = {"use": "yes", "often": "weekly"}
    assert next_page(library, answers, "why") == "last"
    assert previous_page(library, answers, "why") == "often"


def test_first_unanswered_page_for_resume(library) -> None:  # type: ignore[no-untyped-def]
    assert first_unanswered_page(library, {}) == "use"
    assert first_unanswered_page(library, {"use": "yes"}) == "often"
    assert first_unanswered_page(library, {"use": "yes", "often": "rarely"}) == "why"
    # an optional question left blank is stored as None and counts as seen
    done = {"use": "yes", "often": "rarely", "why": None, "last": "x"}
    assert first_unanswered_page(library, done) is None
    assert is_complete(library, done)
    assert not is_complete(library, {"use": "no"})


def test_prune_drops_answers_that_fell_off_the_path(library) -> None:  # type: ignore[no-untyped-def]
    answers = {"use": "yes", "often": "rarely", "why": "too far", "last": "x", "junk": 1}
    # the resident goes back and says they do not use the library
    changed = {**answers, "use": "no"}
    assert prune(library, changed) == {"use": "no", "last": "x"}
    assert prune(library, answers) == {
        "use": "yes",
        "often": "rarely",
        "why": "too far",
        "last": "x",
    }


def test_stale_answers_never_steer(library) -> None:  # type: ignore[no-untyped-def]
    # "often" is off the path, so its stale value must not show "why"
    assert path(library, {"use": "no", "often": "rarely"}) == ["use", "last"]


def test_progress(library) -> None:  # type: ignore[no-untyped-def]
    assert progress(library, {"use": "no"}, "last") == (2, 2)
    assert progress(library, {}, "often") == (2, 3)


def test_skip_a_whole_section_and_route_to_section_and_end(make) -> None:  # type: ignore[no-untyped-def]
    kids = make.question("kids", "number")
    stop = make.question("stop", "single-choice", options=make.options("yes", "no"))
    definition = make.definition(
        make.page("kids", kids),
        make.page(
            "stop",
            stop,
            routing=[
                {
                    "when": {"op": "equals", "question": "stop", "value": "yes"},
                    "go_to": {"end": True},
                },
                {
                    "when": {"op": "greater-than", "question": "kids", "value": 0},
                    "go_to": {"section": "family"},
                },
                {"go_to": {"section": "rest"}},
            ],
        ),
        make.page("skipped", make.question("skipped", "short-text")),
        extra_sections=(
            {
                "id": "family",
                "title": {"en": "Family"},
                "when": {"op": "greater-than", "question": "kids", "value": 0},
                "pages": [make.page("school", make.question("school", "short-text"))],
            },
            {
                "id": "rest",
                "title": {"en": "Rest"},
                "pages": [make.page("rest", make.question("rest", "short-text"))],
            },
        ),
    )
    s = make.load(definition)
    assert path(s, {"kids": 2, "stop": "no"}) == ["kids", "stop", "school", "rest"]
    assert path(s, {"kids": 0, "stop": "no"}) == ["kids", "stop", "rest"]
    assert path(s, {"kids": 2, "stop": "yes"}) == ["kids", "stop"]
    # without a routing rule the section's own `when` still skips it
    assert path(s, {"kids": 0}) == ["kids", "stop", "rest"]


def test_question_level_when_hides_a_question_on_a_page(make, validate) -> None:  # type: ignore[no-untyped-def]
    s = make.load(
        make.definition(
            make.page("a", make.question("a", "single-choice", options=make.options("yes", "no"))),
            make.page(
                "b",
                make.question("b1", "short-text"),
                make.question(
                    "b2", "short-text", when={"op": "equals", "question": "a", "value": "yes"}
                ),
            ),
        )
    )
    assert surveys.visible_questions(s, "b", {"a": "no"}) == ["b1"]
    assert surveys.path_questions(s, {"a": "no"}) == {"a": ("a",), "b": ("b1",)}
    assert surveys.path_questions(s, {"a": "yes"}) == {"a": ("a",), "b": ("b1", "b2")}
    result = surveys.validate_page(s, "b", {"q-b1": ["x"]}, answers={"a": "no"})
    assert result.ok and result.answers == {"b1": "x"}
    result = surveys.validate_page(s, "b", {"q-b1": ["x"]}, answers={"a": "yes"})
    assert [e.question_id for e in result.errors] == ["b2"]
    assert prune(s, {"a": "no", "b1": "x", "b2": "y"}) == {"a": "no", "b1": "x"}
    assert first_unanswered_page(s, {"a": "no", "b1": "x"}) is None


def test_a_page_whose_questions_are_all_hidden_is_skipped(make) -> None:  # type: ignore[no-untyped-def]
    s = make.load(
        make.definition(
            make.page("a", make.question("a", "single-choice", options=make.options("yes", "no"))),
            make.page(
                "b",
                make.question(
                    "b", "short-text", when={"op": "equals", "question": "a", "value": "yes"}
                ),
            ),
            make.page("c", make.question("c", "short-text")),
        )
    )
    assert path(s, {"a": "no"}) == ["a", "c"]


def test_unknown_page_raises_key_error(library) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(KeyError):
        next_page(library, {}, "nope")
    with pytest.raises(KeyError):
        surveys.validate_page(library, "nope", {})


def test_demo_routes(demo_survey) -> None:  # type: ignore[no-untyped-def]
    base = {"children": 0, "services-used": ["parks"], "attended": "yes"}
    p = path(demo_survey, base)
    assert "library-frequency" not in p and "youth-activities" not in p and "last-event" in p
    p = path(demo_survey, {"children": 1, "services-used": ["idea-store"], "attended": "no"})
    assert "library-frequency" in p and "youth-activities" in p and "last-event" not in p
    assert 8 <= len(path(demo_survey, base)) <= 13
