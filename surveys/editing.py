"""Editing a draft definition (plain JSON data) step by step, for the survey builder.

Every function takes a definition dict and returns a changed deep copy (the input is never
changed), or raises `DefinitionEditError` with a code the caller turns into a message. Drafts
may be incomplete (a choice question without options yet): `load_survey` checks them at publish.

This module edits the structure (sections, pages, questions, demographics); conditions and
routing are in `surveys.editing_rules`, per-language text and paths in `surveys.editing_text`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from surveys import types as t
from surveys.builtins import DEMOGRAPHIC_NAMES
from surveys.errors import DomainError

Definition = dict[str, Any]

TEXT_KEYS = ("title", "description", "hint", "name", "text", "suffix", "min_label", "max_label")
"""Keys whose value is per-language text."""

DEMOGRAPHICS_ID = "about-you"


class DefinitionEditError(DomainError):
    """An edit that cannot be made; `code` says why (e.g. "not_found", "first", "last")."""


def slugify(text: str, fallback: str = "item") -> str:
    """An id made from text: lower case ASCII letters and digits joined by hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")
    return slug or fallback


def unique_id(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is not taken."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def new_definition(slug: str, title: Mapping[str, str], languages: Sequence[str]) -> Definition:
    """A new survey: one empty section to start from (pages are added next)."""
    langs = list(languages) or ["en"]
    return {
        "id": slug, "title": _clean_text(title), "language": langs[0], "languages": langs,
        "settings": {"layout": "one-question"},
        "sections": [{"id": "section-1", "title": _clean_text(title), "pages": []}],
    }


def _clean_text(text: Mapping[str, str]) -> dict[str, str]:
    return {lang: value.strip() for lang, value in text.items() if value and value.strip()}


def set_text(item: dict[str, Any], key: str, text: Mapping[str, str]) -> None:
    """Set (or remove, if every language is blank) a per-language text in place."""
    cleaned = _clean_text(text)
    if cleaned:
        item[key] = cleaned
    else:
        item.pop(key, None)


def sections(definition: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The section dicts (demographics blocks included)."""
    found = definition.get("sections")
    return [s for s in found if isinstance(s, dict)] if isinstance(found, list) else []


def pages(section: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A section's page dicts."""
    found = section.get("pages")
    return [p for p in found if isinstance(p, dict)] if isinstance(found, list) else []


def questions(page: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A page's question dicts."""
    found = page.get("questions")
    return [q for q in found if isinstance(q, dict)] if isinstance(found, list) else []


def walk_questions(definition: Mapping[str, Any]) -> Iterator[tuple[dict[str, Any],
                                                                  dict[str, Any],
                                                                  dict[str, Any]]]:
    """(section, page, question) for every question written in the definition."""
    for section in sections(definition):
        for page in pages(section):
            for question in questions(page):
                yield section, page, question


def taken_ids(definition: Mapping[str, Any]) -> set[str]:
    """Every id in use: sections, pages, questions and what a demographics block expands to."""
    ids: set[str] = set()
    for section in sections(definition):
        ids.add(str(section.get("id")))
        if section.get("type") == "demographics":
            ids.update(f"{section.get('id')}-{name}" for name in DEMOGRAPHIC_NAMES)
        for page in pages(section):
            ids.add(str(page.get("id")))
            ids.update(str(q.get("id")) for q in questions(page))
    return ids


@dataclass(frozen=True)
class Place:
    """Where an item sits: indexes into sections, pages and questions (None when not deeper)."""

    section: int
    page: int | None = None
    question: int | None = None


def find(definition: Mapping[str, Any], kind: str, item_id: str) -> Place:
    """Locate a section, page or question by id; raise DefinitionEditError("not_found")."""
    for s, section in enumerate(sections(definition)):
        if kind == "section" and section.get("id") == item_id:
            return Place(s)
        for p, page in enumerate(pages(section)):
            if kind == "page" and page.get("id") == item_id:
                return Place(s, p)
            for q, question in enumerate(questions(page)):
                if kind == "question" and question.get("id") == item_id:
                    return Place(s, p, q)
    raise DefinitionEditError("not_found")


def get(definition: Mapping[str, Any], kind: str, item_id: str) -> dict[str, Any]:
    """The dict of a section, page or question (DefinitionEditError if absent)."""
    place = find(definition, kind, item_id)
    section = sections(definition)[place.section]
    if place.page is None:
        return section
    page = pages(section)[place.page]
    if place.question is None:
        return page
    return questions(page)[place.question]


def _container(definition: Definition, kind: str, place: Place) -> list[Any]:
    if kind == "section":
        found: list[Any] = definition["sections"]
    elif kind == "page":
        found = definition["sections"][place.section]["pages"]
    else:
        found = definition["sections"][place.section]["pages"][place.page]["questions"]
    return found


def _index(kind: str, place: Place) -> int:
    index = {"section": place.section, "page": place.page, "question": place.question}[kind]
    assert index is not None
    return index


def move(definition: Mapping[str, Any], kind: str, item_id: str, direction: str) -> Definition:
    """Move a section, page or question up or down among its siblings."""
    changed = copy.deepcopy(dict(definition))
    place = find(changed, kind, item_id)
    items = _container(changed, kind, place)
    i = _index(kind, place)
    j = i - 1 if direction == "up" else i + 1
    if direction not in ("up", "down"):
        raise DefinitionEditError("direction")
    if j < 0:
        raise DefinitionEditError("first")
    if j >= len(items):
        raise DefinitionEditError("last")
    items[i], items[j] = items[j], items[i]
    return changed


def delete(definition: Mapping[str, Any], kind: str, item_id: str) -> Definition:
    """Remove a section, page or question (a page left with no questions is removed too)."""
    changed = copy.deepcopy(dict(definition))
    place = find(changed, kind, item_id)
    items = _container(changed, kind, place)
    del items[_index(kind, place)]
    if kind == "question" and not items:
        del changed["sections"][place.section]["pages"][place.page]
    if kind == "section" and not changed["sections"]:
        raise DefinitionEditError("last_section")
    return changed


def add_section(definition: Mapping[str, Any], title: Mapping[str, str]) -> tuple[Definition, str]:
    """Add a section at the end (before a demographics block at the end); return its id."""
    changed = copy.deepcopy(dict(definition))
    section_id = unique_id(slugify(title.get(changed.get("language", "en"), ""), "section"),
                           taken_ids(changed))
    section = {"id": section_id, "title": _clean_text(title), "pages": []}
    found = changed.setdefault("sections", [])
    at = len(found)
    if found and isinstance(found[-1], dict) and found[-1].get("type") == "demographics":
        at -= 1
    found.insert(at, section)
    return changed, section_id


def question_template(qtype: str, question_id: str, title: Mapping[str, str]) -> dict[str, Any]:
    """A new question of a type with the keys the builder edits (options added later)."""
    if qtype not in t.QUESTION_TYPES:
        raise DefinitionEditError("type")
    question: dict[str, Any] = {"id": question_id, "type": qtype, "title": _clean_text(title)}
    if qtype in (t.SINGLE_CHOICE, t.MULTIPLE_CHOICE, t.RANKING):
        question["options"] = []
    if qtype == t.GRID:
        question["statements"] = []
        question["scale"] = "agreement"
    return question


def add_question(definition: Mapping[str, Any], *, qtype: str, title: Mapping[str, str],
                 section_id: str | None = None, page_id: str | None = None
                 ) -> tuple[Definition, str]:
    """Add a question on a new page at the end of a section, or at the end of a page."""
    changed = copy.deepcopy(dict(definition))
    taken = taken_ids(changed)
    question_id = unique_id(slugify(title.get(changed.get("language", "en"), ""), "question"),
                            taken)
    question = question_template(qtype, question_id, title)
    if page_id is not None:
        place = find(changed, "page", page_id)
        changed["sections"][place.section]["pages"][place.page]["questions"].append(question)
        return changed, question_id
    if section_id is None:
        raise DefinitionEditError("not_found")
    place = find(changed, "section", section_id)
    section = changed["sections"][place.section]
    if section.get("type") == "demographics":
        raise DefinitionEditError("demographics")
    new_page = {"id": unique_id(f"{question_id}-page", taken | {question_id}),
                "questions": [question]}
    section.setdefault("pages", []).append(new_page)
    return changed, question_id


def set_demographics(definition: Mapping[str, Any], include: Sequence[str]) -> Definition:
    """Add, change or (with nothing included) remove the demographics block at the end."""
    unknown = [name for name in include if name not in DEMOGRAPHIC_NAMES]
    if unknown:
        raise DefinitionEditError("unknown_demographic")
    changed = copy.deepcopy(dict(definition))
    found = [s for s in changed.get("sections", []) if not (
        isinstance(s, dict) and s.get("type") == "demographics")]
    if include:
        ordered = [name for name in DEMOGRAPHIC_NAMES if name in include]
        block_id = demographics_id(definition) or unique_id(DEMOGRAPHICS_ID, taken_ids(changed))
        found.append({"type": "demographics", "id": block_id, "include": ordered})
    changed["sections"] = found
    return changed


def demographics_id(definition: Mapping[str, Any]) -> str | None:
    """The id of the demographics block, if there is one."""
    for section in sections(definition):
        if section.get("type") == "demographics":
            return str(section.get("id"))
    return None


def demographics_included(definition: Mapping[str, Any]) -> list[str]:
    """The demographic questions the block includes (empty without a block)."""
    for section in sections(definition):
        if section.get("type") == "demographics":
            return [str(name) for name in section.get("include", [])]
    return []


def page_of_question(definition: Mapping[str, Any], question_id: str) -> str | None:
    """The id of the page holding a question."""
    for _section, page, question in walk_questions(definition):
        if question.get("id") == question_id:
            return str(page.get("id"))
    return None
