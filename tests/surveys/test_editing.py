"""Pure draft-editing logic of the survey builder (surveys.editing)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import surveys
from surveys import editing, editing_rules, editing_text
from surveys import types as qt
from surveys.editing_rules import ConditionRow as Row


def _draft() -> dict:  # type: ignore[type-arg]
    d = editing.new_definition("parks", {"en": "Parks", "bn": "পার্ক"}, ["en", "bn"])
    d, _a = editing.add_question(d, qtype="single-choice", title={"en": "Do you visit?"},
                                section_id="section-1")
    d["sections"][0]["pages"][0]["questions"][0]["options"] = [
        {"id": "yes", "text": {"en": "Yes", "bn": "হ্যাঁ"}},
        {"id": "no", "text": {"en": "No", "bn": "না"}}]
    d, _b = editing.add_question(d, qtype="rating", title={"en": "How good?", "bn": "কেমন?"},
                                 section_id="section-1")
    d, _c = editing.add_question(d, qtype="long-text", title={"en": "Why?", "bn": "কেন?"},
                                 section_id="section-1")
    return d


def test_new_questions_get_unique_ids_and_pages() -> None:
    d = _draft()
    d, again = editing.add_question(d, qtype="short-text", title={"en": "Do you visit?"},
                                    section_id="section-1")
    assert again == "do-you-visit-2"
    ids = [p["id"] for p in d["sections"][0]["pages"]]
    assert ids == ["do-you-visit-page", "how-good-page", "why-page", "do-you-visit-2-page"]
    with pytest.raises(editing.DefinitionEditError):
        editing.add_question(d, qtype="nonsense", title={"en": "x"}, section_id="section-1")


def test_a_complete_draft_loads() -> None:
    result = surveys.load_survey(_draft())
    assert result.ok, result.problems


def test_move_and_delete_never_change_the_input() -> None:
    d = _draft()
    moved = editing.move(d, "page", "why-page", "up")
    assert [p["id"] for p in moved["sections"][0]["pages"]][1:] == ["why-page", "how-good-page"]
    assert d["sections"][0]["pages"][2]["id"] == "why-page"
    with pytest.raises(editing.DefinitionEditError, match="first"):
        editing.move(d, "page", "do-you-visit-page", "up")
    with pytest.raises(editing.DefinitionEditError, match="last"):
        editing.move(d, "page", "why-page", "down")
    gone = editing.delete(d, "question", "why")
    assert [p["id"] for p in gone["sections"][0]["pages"]] == ["do-you-visit-page",
                                                                "how-good-page"]
    with pytest.raises(editing.DefinitionEditError, match="last_section"):
        editing.delete(d, "section", "section-1")


def test_sections_go_before_the_demographics_block() -> None:
    d = editing.set_demographics(_draft(), ["sex", "age"])
    assert d["sections"][-1] == {"type": "demographics", "id": "about-you",
                                 "include": ["age", "sex"]}
    d, new = editing.add_section(d, {"en": "More"})
    assert [s["id"] for s in d["sections"]] == ["section-1", new, "about-you"]
    assert editing.demographics_included(d) == ["age", "sex"]
    assert surveys.load_survey(d).problems[0].kind == "schema"  # the new section is empty
    assert editing.set_demographics(d, [])["sections"][-1]["id"] == new
    with pytest.raises(editing.DefinitionEditError):
        editing.set_demographics(d, ["star-sign"])


def test_conditions_from_rows_and_back() -> None:
    types = {"do-you-visit": "single-choice", "how-good": "rating"}
    rows = [editing_rules.ConditionRow("do-you-visit", "equals", "yes"),
            editing_rules.ConditionRow("how-good", "greater-or-equal", "7")]
    built = editing_rules.build_condition(rows, "or", types)
    assert built == {"op": "or", "conditions": [
        {"op": "equals", "question": "do-you-visit", "value": "yes"},
        {"op": "greater-or-equal", "question": "how-good", "value": 7}]}
    assert editing_rules.condition_rows(built) == ("or", rows)
    assert editing_rules.build_condition(rows[:1], "and", types) == built["conditions"][0]
    with pytest.raises(editing.DefinitionEditError, match="operator"):
        editing_rules.build_condition([Row("how-good", "any-in", "1")], "and", types)
    with pytest.raises(editing.DefinitionEditError, match="number"):
        editing_rules.build_condition([Row("how-good", "equals", "x")], "and", types)
    with pytest.raises(editing.DefinitionEditError, match="value"):
        editing_rules.build_condition([Row("do-you-visit", "equals", "")], "and", types)


def test_routing_built_here_passes_the_engine() -> None:
    d = _draft()
    rule = {"when": editing_rules.build_condition(
        [editing_rules.ConditionRow("do-you-visit", "equals", "no")], "and",
        {"do-you-visit": "single-choice"}), "go_to": {"page": "why-page"}}
    d = editing_rules.set_routing(d, "do-you-visit-page", [rule])
    survey = surveys.load_survey_or_raise(d)
    assert surveys.path(survey, {"do-you-visit": "no"}) == ["do-you-visit-page", "why-page"]
    assert [q["id"] for q in editing_rules.earlier_questions(d, "how-good-page", False)] == [
        "do-you-visit"]
    assert [q["id"] for q in editing_rules.earlier_questions(d, "how-good-page", True)] == [
        "do-you-visit", "how-good"]
    assert editing_rules.later_targets(d, "do-you-visit-page") == [("page", "how-good-page"),
                                                              ("page", "why-page")]
    d = editing_rules.set_when(d, "page", "why-page", None)
    assert "when" not in editing.get(d, "page", "why-page")


def test_missing_translations_are_found() -> None:
    missing = editing_text.missing_translations(_draft())
    assert [(m.path, m.language, m.kind, m.item_id) for m in missing] == [
        ("sections[0].pages[0].questions[0].title", "bn", "question", "do-you-visit")]


def test_locate_finds_the_item_of_a_problem_path() -> None:
    d = _draft()
    assert editing_text.locate(d, "sections[0].pages[1].questions[0].title.en") == (
        "question", "how-good")
    assert editing_text.locate(d, "sections[0].pages[1]") == ("page", "how-good-page")
    assert editing_text.locate(d, "sections[0].title") == ("section", "section-1")
    assert editing_text.locate(d, "languages") == ("survey", "parks")
    assert editing_text.locate(d, "sections[9]") == ("survey", "parks")


@pytest.mark.parametrize("text,expected", [("Hello World!", "hello-world"), ("", "item"),
                                           ("পার্ক", "item"), ("a--b", "a-b")])
def test_slugify(text: str, expected: str) -> None:
    assert editing.slugify(text) == expected

STEPS = st.lists(st.tuples(
    st.sampled_from(["add-question", "add-to-page", "add-section", "move", "delete",
                     "demographics"]),
    st.integers(0, 20), st.sampled_from(qt.QUESTION_TYPES), st.sampled_from(["up", "down"]),
    st.text(max_size=12)), max_size=25)


def _ids(d: dict) -> list[str]:  # type: ignore[type-arg]
    found = []
    for section in editing.sections(d):
        found.append(section["id"])
        for page in editing.pages(section):
            found.append(page["id"])
            found.extend(q["id"] for q in editing.questions(page))
    return found


@settings(max_examples=150, deadline=None)
@given(STEPS)
def test_any_sequence_of_edits_keeps_ids_unique_and_loadable_shape(steps: list) -> None:  # type: ignore[type-arg]
    d = editing.new_definition("s", {"en": "S"}, ["en", "bn"])
    for action, n, qtype, direction, title in steps:
        ids = _ids(d)
        sections = [s["id"] for s in editing.sections(d)]
        pages = [p["id"] for s in editing.sections(d) for p in editing.pages(s)]
        questions = [q["id"] for _s, _p, q in editing.walk_questions(d)]
        try:
            if action == "add-question":
                d, _ = editing.add_question(d, qtype=qtype, title={"en": title},
                                            section_id=sections[n % len(sections)])
            elif action == "add-to-page" and pages:
                d, _ = editing.add_question(d, qtype=qtype, title={"en": title},
                                            page_id=pages[n % len(pages)])
            elif action == "add-section":
                d, _ = editing.add_section(d, {"en": title})
            elif action == "move" and ids:
                kind = "section" if ids[n % len(ids)] in sections else (
                    "page" if ids[n % len(ids)] in pages else "question")
                d = editing.move(d, kind, ids[n % len(ids)], direction)
            elif action == "delete" and questions:
                d = editing.delete(d, "question", questions[n % len(questions)])
            elif action == "demographics":
                d = editing.set_demographics(d, list(surveys.DEMOGRAPHIC_NAMES[: n % 8]))
        except editing.DefinitionEditError:
            pass
        all_ids = _ids(d)
        assert len(all_ids) == len(set(all_ids))
        assert all(editing.slugify(i) == i for i in all_ids)
    result = surveys.load_survey(d)  # never raises; problems only for what is unfinished
    assert all(p.kind in ("schema", "missing-text", "too-many-questions", "page-title-needed")
               for p in result.problems), result.problems


def test_translations_are_listed_and_set_by_path() -> None:
    d = _draft()
    entries = editing_text.text_entries(d)
    paths = [e.path for e in entries]
    assert paths[:3] == ["title", "sections[0].title", "sections[0].pages[0].questions[0].title"]
    assert "sections[0].pages[0].questions[0].options[1].text" in paths
    changed = editing_text.set_translations(d, "bn", {
        "sections[0].pages[0].questions[0].title": "আপনি কি যান?", "title": ""})
    assert changed["sections"][0]["pages"][0]["questions"][0]["title"]["bn"] == "আপনি কি যান?"
    assert changed["title"] == {"en": "Parks"}
    assert editing_text.missing_translations(changed)[0].path == "title"
    with pytest.raises(editing.DefinitionEditError):
        editing_text.set_translations(d, "bn", {"sections[0].nope": "x"})


def test_representable_conditions() -> None:
    types = {"a": "single-choice", "n": "number"}
    assert editing_rules.representable(None, types)
    assert editing_rules.representable({"op": "equals", "question": "a", "value": "x"}, types)
    assert editing_rules.representable({"op": "and", "conditions": [
        {"op": "equals", "question": "a", "value": "x"},
        {"op": "greater-than", "question": "n", "value": 3}]}, types)
    assert not editing_rules.representable({"op": "not", "condition": {
        "op": "equals", "question": "a", "value": "x"}}, types)
    assert not editing_rules.representable({"op": "in", "question": "a", "value": ["x", "y"]},
                                           types)
    assert not editing_rules.representable({"op": "and", "conditions": [{"op": "or", "conditions": [
        {"op": "answered", "question": "a"}]}]}, types)
