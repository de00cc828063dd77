"""Reusable pieces of a survey for the question bank: a question, or a block (a section with its
pages and questions, or the demographics block), taken out of one definition and put into
another with fresh ids.

Like `surveys.editing`, every function works on plain JSON data and returns a changed deep copy.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from surveys import editing
from surveys.editing import Definition, DefinitionEditError

QUESTION, BLOCK = "question", "block"
KINDS = (QUESTION, BLOCK)


def _conditions(condition: Any) -> Iterator[dict[str, Any]]:
    """A condition and every condition nested in it."""
    if not isinstance(condition, dict):
        return
    yield condition
    yield from _conditions(condition.get("condition"))
    for inner in condition.get("conditions") or []:
        yield from _conditions(inner)


def _question_refs(condition: Any) -> set[str]:
    return {str(c["question"]) for c in _conditions(condition) if "question" in c}


def _items(block: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The block, its pages and their questions: everything that may carry a `when`."""
    yield block
    for page in editing.pages(block):
        yield page
        yield from editing.questions(page)


def _route_inside(route: Mapping[str, Any], questions: set[str], pages: set[str]) -> bool:
    """Whether a routing rule tests only these questions and goes to one of these pages (or
    to the end)."""
    target = route.get("go_to") or {}
    if "section" in target or ("page" in target and target["page"] not in pages):
        return False
    return _question_refs(route.get("when")) <= questions


def extract(definition: Mapping[str, Any], kind: str, item_id: str) -> tuple[dict[str, Any], bool]:
    """A copy of a question (kind "question") or section (kind "block") to keep in the bank,
    and whether conditions or routing that depend on anything outside it were left out."""
    if kind not in KINDS:
        raise DefinitionEditError("kind")
    item = copy.deepcopy(editing.get(definition, "question" if kind == QUESTION else "section",
                                     item_id))
    own = ({str(item.get("id"))} if kind == QUESTION
           else {str(q.get("id")) for p in editing.pages(item) for q in editing.questions(p)})
    pages = {str(p.get("id")) for p in editing.pages(item)}
    dropped = False
    for part in _items(item) if kind == BLOCK else iter([item]):
        if "when" in part and not _question_refs(part["when"]) <= own - {str(part.get("id"))}:
            del part["when"]
            dropped = True
        routes = part.get("routing")
        if isinstance(routes, list):
            kept = [r for r in routes if _route_inside(r, own, pages)]
            dropped = dropped or len(kept) != len(routes)
            if kept:
                part["routing"] = kept
            else:
                part.pop("routing", None)
    return item, dropped


def texts_languages(item: Mapping[str, Any]) -> list[str]:
    """The languages the item's texts are written in (its main language first if known)."""
    found: dict[str, None] = {}

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in editing.TEXT_KEYS and isinstance(inner, dict):
                    found.update(dict.fromkeys(str(lang) for lang in inner))
                else:
                    visit(inner)
        elif isinstance(value, list):
            for inner in value:
                visit(inner)

    visit(item)
    return sorted(found, key=lambda lang: (lang != "en", lang))


def _keep_languages(value: Any, languages: Sequence[str]) -> Any:
    if isinstance(value, dict):
        return {key: ({lang: text for lang, text in inner.items() if lang in languages}
                      if key in editing.TEXT_KEYS and isinstance(inner, dict)
                      else _keep_languages(inner, languages))
                for key, inner in value.items()}
    if isinstance(value, list):
        return [_keep_languages(inner, languages) for inner in value]
    return value


def _rename(item: dict[str, Any], renamed: Mapping[str, str]) -> None:
    """Point conditions and routing at the new ids, in place."""
    for part in _items(item):
        for condition in _conditions(part.get("when")):
            if "question" in condition:
                condition["question"] = renamed.get(condition["question"], condition["question"])
        for route in part.get("routing") or []:
            for condition in _conditions(route.get("when")):
                if "question" in condition:
                    condition["question"] = renamed.get(condition["question"],
                                                        condition["question"])
            target = route.get("go_to", {})
            if "page" in target:
                target["page"] = renamed.get(target["page"], target["page"])


def insert(definition: Mapping[str, Any], kind: str, item: Mapping[str, Any], *,
           section_id: str | None = None) -> tuple[Definition, str]:
    """Add a banked question (on a new page at the end of `section_id`) or block (at the end,
    before a demographics block) with ids made unique in this survey; texts in languages the
    survey does not use are left out. Returns the new definition and the new item's id."""
    changed = copy.deepcopy(dict(definition))
    languages = [str(x) for x in changed.get("languages") or [changed.get("language", "en")]]
    new: dict[str, Any] = _keep_languages(copy.deepcopy(dict(item)), languages)
    taken = editing.taken_ids(changed)
    if kind == QUESTION:
        place = editing.find(changed, "section", section_id or "")
        section = changed["sections"][place.section]
        if section.get("type") == "demographics":
            raise DefinitionEditError("demographics")
        new["id"] = editing.unique_id(str(new.get("id") or "question"), taken)
        page = {"id": editing.unique_id(f"{new['id']}-page", taken | {new["id"]}),
                "questions": [new]}
        section.setdefault("pages", []).append(page)
        return changed, str(new["id"])
    if kind != BLOCK:
        raise DefinitionEditError("kind")
    sections = changed.setdefault("sections", [])
    if new.get("type") == "demographics":
        if editing.demographics_id(changed) is not None:
            raise DefinitionEditError("demographics_exists")
        new["id"] = editing.unique_id(str(new.get("id") or editing.DEMOGRAPHICS_ID), taken)
        sections.append(new)
        return changed, str(new["id"])
    renamed: dict[str, str] = {}
    for part in _items(new):
        fresh = editing.unique_id(str(part.get("id") or "item"), taken)
        renamed[str(part.get("id"))] = fresh
        taken.add(fresh)
        part["id"] = fresh
    _rename(new, renamed)
    at = len(sections)
    if sections and isinstance(sections[-1], dict) and sections[-1].get("type") == "demographics":
        at -= 1
    sections.insert(at, new)
    return changed, str(new["id"])
