"""Demo: a draft survey in the builder (`libraries-2027`), ready to preview, check and publish."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from engage.services.collect import drafts
from surveys import editing, editing_rules

SLUG = "libraries-2027"


def _options(*pairs: tuple[str, str, str]) -> list[dict[str, Any]]:
    return [{"id": i, "text": {"en": en, "bn": bn}} for i, en, bn in pairs]


def demo_draft() -> dict[str, Any]:
    """The draft's definition, built with the builder's own editing steps."""
    d = editing.new_definition(SLUG, {"en": "Libraries consultation 2027",
                                      "bn": "লাইব্রেরি পরামর্শ 2027"}, ["en", "bn"])
    d, use = editing.add_question(d, qtype="single-choice", section_id="section-1", title={
        "en": "How often do you use a library?", "bn": "আপনি কত ঘন ঘন লাইব্রেরি ব্যবহার করেন?"})
    editing.get(d, "question", use)["options"] = _options(
        ("weekly", "Every week", "প্রতি সপ্তাহে"), ("monthly", "Every month", "প্রতি মাসে"),
        ("rarely", "Less often", "আরও কম"), ("never", "Never", "কখনও না"))
    d, why = editing.add_question(d, qtype="long-text", section_id="section-1", title={
        "en": "What stops you using libraries?"})  # Bengali left out: the builder flags it
    editing.get(d, "question", why)["max_words"] = 150
    d, rating = editing.add_question(d, qtype="rating", section_id="section-1", title={
        "en": "How would you rate your local library?",
        "bn": "আপনার স্থানীয় লাইব্রেরিকে আপনি কেমন রেটিং দেবেন?"})
    editing.get(d, "question", rating).update({
        "min_label": {"en": "very poor", "bn": "খুব খারাপ"},
        "max_label": {"en": "excellent", "bn": "চমৎকার"}})
    rule = {"when": {"op": "equals", "question": use, "value": "never"},
            "go_to": {"page": editing.page_of_question(d, why)}}
    d = editing_rules.set_routing(d, str(editing.page_of_question(d, use)), [rule])
    d = editing_rules.set_when(d, "page", str(editing.page_of_question(d, rating)),
                         {"op": "not-equals", "question": use, "value": "never"})
    return editing.set_demographics(d, ["age", "sex", "ethnicity", "disability"])


def load() -> Iterator[str]:
    """Create the draft once (kept as it is if it already exists)."""
    if drafts.get_survey(SLUG) is not None:
        yield f"Builder demo draft: {SLUG} already there"
        return
    draft = drafts.create_survey(None, SLUG, {"en": "Libraries consultation 2027"}, ["en", "bn"])
    drafts.change_definition(None, draft, lambda _d: demo_draft(), "demo")
    yield f"Builder demo draft: /staff/surveys/{SLUG}/build"
