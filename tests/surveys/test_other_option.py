""""Other, please specify" on single and multiple choice: the option flag, its write-in box,
validation, display and the free text it gives."""

from __future__ import annotations

from typing import Any

import surveys
from surveys import answer_messages as m
from surveys import tabulate


def _options(make: Any) -> list[dict[str, Any]]:
    options: list[dict[str, Any]] = make.options("library", "park", "other")
    options[-1]["other"] = True
    return options


def _survey(make: Any, qtype: str = "single-choice", **extra: Any) -> surveys.Survey:
    return make.one(make.question("used", qtype, options=_options(make), **extra))


def errors(result: surveys.PageResult) -> list[tuple[str, str]]:
    return [(e.field, e.text) for e in result.errors]


def test_the_build_adds_a_required_box_after_its_question(make: Any) -> None:
    s = _survey(make)
    used, box = s.page("p").questions
    assert used.option("other") is not None and used.option("other").other  # type: ignore[union-attr]
    assert box.id == "used-other" and box.type == "short-text" and box.required
    assert box.write_in_for == ("used", "other")
    assert box.max_length == 200
    assert s.text(box.title, "en") == "Your other answer"
    q = make.question("used", "single-choice", options=_options(make))
    bilingual = make.load(make.definition(make.page("p", q), languages=("en", "bn")))
    assert bilingual.text(bilingual.question("used-other").title, "bn") == "আপনার অন্য উত্তর"


def test_box_is_asked_for_only_when_other_is_chosen(make: Any, validate: Any) -> None:
    s = _survey(make)
    r = validate(s, {"q-used": "other", "q-used-other": ""})
    assert errors(r) == [("q-used-other", "Enter your other answer")]
    assert r.errors[0].message == m.ENTER_NAMED
    r = validate(s, {"q-used": "other", "q-used-other": "  Swimming pool "})
    assert r.ok and r.answers == {"used": "other", "used-other": "Swimming pool"}
    # Typed under Other without JavaScript, then another option chosen: not kept.
    r = validate(s, {"q-used": "park", "q-used-other": "Pool"})
    assert r.ok and r.answers == {"used": "park", "used-other": None}


def test_box_on_multiple_choice(make: Any, validate: Any) -> None:
    s = _survey(make, "multiple-choice")
    r = validate(s, {"q-used": ["library", "other"]})
    assert errors(r) == [("q-used-other", "Enter your other answer")]
    r = validate(s, {"q-used": ["library", "other"], "q-used-other": "Gym"})
    assert r.ok and r.answers == {"used": ["library", "other"], "used-other": "Gym"}
    r = validate(s, {"q-used": ["library"], "q-used-other": "Gym"})
    assert r.ok and r.answers["used-other"] is None


def test_box_has_a_length_limit(make: Any, validate: Any) -> None:
    s = _survey(make)
    r = validate(s, {"q-used": "other", "q-used-other": "x" * 201})
    assert errors(r) == [("q-used-other", "Your answer must be 200 characters or fewer")]


def test_optional_question_left_blank_asks_nothing(make: Any, validate: Any) -> None:
    s = _survey(make, required=False)
    r = validate(s, {})
    assert r.ok and r.answers == {"used": None, "used-other": None}


def test_box_follows_its_question_when_hidden(make: Any) -> None:
    first = make.question("go", "single-choice", options=make.options("yes", "no"))
    used = make.question("used", "single-choice", options=_options(make),
                         when={"op": "equals", "question": "go", "value": "yes"})
    also = make.question("also", "short-text", required=False)
    s = make.load(make.definition(make.page("a", first), make.page("p", also, used)))
    assert s.question("used-other").when == s.question("used").when
    assert surveys.visible_questions(s, "p", {"go": "no"}) == ["also"]
    assert surveys.visible_questions(s, "p", {"go": "yes"}) == ["also", "used", "used-other"]


def test_write_in_is_free_text_and_an_export_column_after_the_choice(make: Any) -> None:
    s = _survey(make, "multiple-choice")
    answers = {"used": ["other"], "used-other": "Swimming pool"}
    assert surveys.free_text_answers(s, answers) == [("used-other", "Swimming pool")]
    keys = [c.key for c in tabulate.columns(s)]
    assert keys == ["used:library", "used:park", "used:other", "used-other"]


def test_other_only_on_single_and_multiple_choice_once(make: Any) -> None:
    ranking = make.question("r", "ranking", options=_options(make))
    assert make.kinds(make.definition(make.page("p", ranking))) == ["other-option"]
    two = [*_options(make), {"id": "else", "text": {"en": "Else"}, "other": True}]
    q = make.question("used", "single-choice", options=two)
    assert make.kinds(make.definition(make.page("p", q))) == ["other-option"]
    both = _options(make)
    both[-1]["exclusive"] = True
    q = make.question("used", "multiple-choice", options=both)
    assert make.kinds(make.definition(make.page("p", q))) == ["other-option"]
