"""Question bank pieces: a question or block taken out of one definition and put into another
with fresh ids, its references renamed, conditions on outside questions left out."""

from __future__ import annotations

import pytest

from surveys import blocks, editing, editing_rules
from surveys.editing import DefinitionEditError


def _source() -> dict:
    d = editing.new_definition("src", {"en": "Source", "bn": "উৎস"}, ["en", "bn"])
    d, use = editing.add_question(d, qtype="single-choice", section_id="section-1",
                                  title={"en": "How often?", "bn": "কত ঘন ঘন?"})
    editing.get(d, "question", use)["options"] = [
        {"id": "never", "text": {"en": "Never", "bn": "কখনও না"}},
        {"id": "often", "text": {"en": "Often", "bn": "প্রায়ই"}}]
    d, why = editing.add_question(d, qtype="long-text", section_id="section-1",
                                  title={"en": "Why not?", "bn": "কেন নয়?"})
    d = editing_rules.set_routing(d, str(editing.page_of_question(d, use)), [
        {"when": {"op": "equals", "question": use, "value": "often"}, "go_to": {"end": True}},
        {"when": {"op": "equals", "question": use, "value": "never"},
         "go_to": {"page": editing.page_of_question(d, why)}}])
    d = editing_rules.set_when(d, "question", why,
                               {"op": "equals", "question": use, "value": "never"})
    return editing.set_demographics(d, ["age", "sex"])


def test_a_question_keeps_both_languages_and_drops_outside_conditions() -> None:
    item, dropped = blocks.extract(_source(), "question", "why-not")
    assert dropped and "when" not in item
    assert item["title"] == {"en": "Why not?", "bn": "কেন নয়?"}
    assert blocks.texts_languages(item) == ["en", "bn"]
    item, dropped = blocks.extract(_source(), "question", "how-often")
    assert not dropped and item["options"][1]["text"]["bn"] == "প্রায়ই"


def test_a_block_keeps_its_inner_rules() -> None:
    block, dropped = blocks.extract(_source(), "block", "section-1")
    assert not dropped
    page = block["pages"][0]
    assert [r["go_to"] for r in page["routing"]] == [{"end": True}, {"page": "why-not-page"}]
    with pytest.raises(DefinitionEditError):
        blocks.extract(_source(), "block", "nope")
    with pytest.raises(DefinitionEditError):
        blocks.extract(_source(), "page", "how-often-page")


def test_adding_a_question_twice_gives_unique_ids() -> None:
    source = _source()
    item, _ = blocks.extract(source, "question", "how-often")
    once, first = blocks.insert(source, "question", item, section_id="section-1")
    twice, second = blocks.insert(once, "question", item, section_id="section-1")
    assert (first, second) == ("how-often-2", "how-often-3")
    ids = [q["id"] for _s, _p, q in editing.walk_questions(twice)]
    assert len(ids) == len(set(ids))
    with pytest.raises(DefinitionEditError):  # not into the demographics block
        blocks.insert(source, "question", item, section_id="about-you")
    with pytest.raises(DefinitionEditError):
        blocks.insert(source, "question", item, section_id="nope")


def test_adding_a_block_renames_ids_and_references() -> None:
    source = _source()
    block, _ = blocks.extract(source, "block", "section-1")
    changed, new_id = blocks.insert(source, "block", block)
    assert new_id == "section-1-2"
    sections = editing.sections(changed)
    assert [s["id"] for s in sections] == ["section-1", "section-1-2", "about-you"]
    added = sections[1]
    page = added["pages"][0]
    assert page["id"] == "how-often-page-2" and page["questions"][0]["id"] == "how-often-2"
    assert page["routing"][1]["when"]["question"] == "how-often-2"
    assert page["routing"][1]["go_to"] == {"page": "why-not-page-2"}
    assert added["pages"][1]["questions"][0]["when"]["question"] == "how-often-2"
    taken = [q["id"] for _s, _p, q in editing.walk_questions(changed)]
    assert len(taken) == len(set(taken))
    assert source == _source()  # the input is never changed


def test_languages_the_target_lacks_are_left_out() -> None:
    item, _ = blocks.extract(_source(), "question", "how-often")
    target = editing.new_definition("park", {"en": "Park"}, ["en"])
    changed, new_id = blocks.insert(target, "question", item, section_id="section-1")
    added = editing.get(changed, "question", new_id)
    assert added["title"] == {"en": "How often?"}
    assert added["options"][0]["text"] == {"en": "Never"}


def test_the_demographics_block_once_per_survey() -> None:
    source = _source()
    block, _ = blocks.extract(source, "block", "about-you")
    target = editing.new_definition("park", {"en": "Park"}, ["en"])
    changed, new_id = blocks.insert(target, "block", block)
    assert new_id == "about-you" and editing.demographics_included(changed) == ["age", "sex"]
    with pytest.raises(DefinitionEditError) as raised:
        blocks.insert(changed, "block", block)
    assert raised.value.code == "demographics_exists"
