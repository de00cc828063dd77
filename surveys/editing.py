"""Editing a draft definition (plain JSON data) step by step, for the survey builder.

Every function takes a definition dict and returns a changed deep copy (the input is never
changed), or raises `DefinitionEditError` with a code the caller turns into a message. Drafts
may be incomplete (a choice question without options yet): `load_survey` checks them at publish.
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

CONDITION_OPERATORS: dict[str, tuple[str, ...]] = {
    t.SINGLE_CHOICE: (t.EQUALS, t.NOT_EQUALS, t.ANSWERED),
    t.AGREEMENT: (t.EQUALS, t.NOT_EQUALS, t.ANSWERED),
    t.WARD_POSTCODE: (t.EQUALS, t.NOT_EQUALS, t.ANSWERED),
    t.MULTIPLE_CHOICE: (t.ANY_IN, t.ALL_IN, t.ANSWERED),
    t.RANKING: (t.ANY_IN, t.ANSWERED),
    t.RATING: (t.EQUALS, t.NOT_EQUALS, t.GREATER_THAN, t.LESS_THAN, t.GREATER_OR_EQUAL,
               t.LESS_OR_EQUAL, t.ANSWERED),
    t.NUMBER: (t.EQUALS, t.NOT_EQUALS, t.GREATER_THAN, t.LESS_THAN, t.GREATER_OR_EQUAL,
               t.LESS_OR_EQUAL, t.ANSWERED),
    t.DATE: (t.EQUALS, t.NOT_EQUALS, t.GREATER_THAN, t.LESS_THAN, t.GREATER_OR_EQUAL,
             t.LESS_OR_EQUAL, t.ANSWERED),
    t.SHORT_TEXT: (t.ANSWERED,),
    t.LONG_TEXT: (t.ANSWERED,),
    t.GRID: (t.ANSWERED,),
    t.EMAIL: (t.ANSWERED,),
    t.UK_ADDRESS: (t.ANSWERED,),
}
"""The operators the builder offers for a question of each type."""

ANY_OPERATORS: tuple[str, ...] = (
    t.EQUALS, t.NOT_EQUALS, t.GREATER_THAN, t.LESS_THAN, t.GREATER_OR_EQUAL, t.LESS_OR_EQUAL,
    t.ANY_IN, t.ALL_IN, t.ANSWERED,
)


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


# Conditions built from rows of dropdowns


@dataclass(frozen=True)
class ConditionRow:
    """One test chosen in the builder: question, operator, value (as typed or chosen)."""

    question: str
    operator: str
    value: str = ""


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def condition_from_row(row: ConditionRow, qtype: str) -> dict[str, Any]:
    """One test as a condition dict; raise DefinitionEditError("operator" | "value" | "number")."""
    if row.operator not in CONDITION_OPERATORS.get(qtype, ()):
        raise DefinitionEditError("operator")
    condition: dict[str, Any] = {"op": row.operator, "question": row.question}
    if row.operator == t.ANSWERED:
        return condition
    value = row.value.strip()
    if not value:
        raise DefinitionEditError("value")
    if qtype in t.NUMERIC_TYPES:
        try:
            condition["value"] = _number(value)
        except ValueError as exc:
            raise DefinitionEditError("number") from exc
    elif row.operator in (t.ANY_IN, t.ALL_IN):
        condition["value"] = [value]
    else:
        condition["value"] = value
    return condition


def build_condition(rows: Sequence[ConditionRow], combine: str,
                    question_types: Mapping[str, str]) -> dict[str, Any]:
    """The condition for rows of tests joined by "and" or "or" (one row: the test itself)."""
    if combine not in (t.AND, t.OR):
        raise DefinitionEditError("combine")
    built = []
    for row in rows:
        if row.question not in question_types:
            raise DefinitionEditError("question")
        built.append(condition_from_row(row, question_types[row.question]))
    if not built:
        raise DefinitionEditError("empty")
    if len(built) == 1:
        return built[0]
    return {"op": combine, "conditions": built}


def condition_rows(condition: Mapping[str, Any] | None) -> tuple[str, list[ConditionRow]]:
    """The rows and the joining word a condition was built from (for showing and editing)."""
    if not condition:
        return t.AND, []
    op = str(condition.get("op"))
    parts: list[Any] = list(condition.get("conditions", [])) if op in (t.AND, t.OR) \
        else [condition]
    rows = []
    for part in parts:
        if not isinstance(part, Mapping):
            continue
        value = part.get("value", "")
        if isinstance(value, list):
            value = value[0] if value else ""
        rows.append(ConditionRow(str(part.get("question", "")), str(part.get("op", "")),
                                 str(value)))
    return (op if op in (t.AND, t.OR) else t.AND), rows


def earlier_questions(definition: Mapping[str, Any], page_id: str,
                      include_page: bool) -> list[dict[str, Any]]:
    """Questions a condition on this page may test: earlier pages (and the page itself)."""
    found: list[dict[str, Any]] = []
    reached = False
    for _section, page, question in walk_questions(definition):
        here = page.get("id") == page_id
        if reached and not here:
            break
        if here:
            reached = True
            if not include_page:
                break
        found.append(question)
    return found


def later_targets(definition: Mapping[str, Any], page_id: str) -> list[tuple[str, str]]:
    """Route targets after a page: ("page", id) and ("section", id), in order."""
    targets: list[tuple[str, str]] = []
    passed = False
    current_section = None
    for section in sections(definition):
        section_id = str(section.get("id"))
        if passed and section_id != current_section:
            targets.append(("section", section_id))
        for page in pages(section):
            if passed:
                targets.append(("page", str(page.get("id"))))
            if page.get("id") == page_id:
                passed = True
                current_section = section_id
    return targets


def set_routing(definition: Mapping[str, Any], page_id: str,
                routes: Sequence[Mapping[str, Any]]) -> Definition:
    """Replace a page's routing rules (an empty list removes them)."""
    changed = copy.deepcopy(dict(definition))
    page = get(changed, "page", page_id)
    if routes:
        page["routing"] = [dict(r) for r in routes]
    else:
        page.pop("routing", None)
    return changed


def set_when(definition: Mapping[str, Any], kind: str, item_id: str,
             condition: Mapping[str, Any] | None) -> Definition:
    """Set (or with None remove) the "only show when" condition of a page or question."""
    changed = copy.deepcopy(dict(definition))
    item = get(changed, kind, item_id)
    if condition:
        item["when"] = dict(condition)
    else:
        item.pop("when", None)
    return changed


# Translations


@dataclass(frozen=True)
class MissingText:
    """A text without a translation into `language`, and the item that holds it."""

    path: str
    language: str
    kind: str
    item_id: str


def missing_translations(definition: Mapping[str, Any]) -> list[MissingText]:
    """Every text that lacks one of the survey's languages (demographics text is built in)."""
    languages = [str(x) for x in definition.get("languages", []) if isinstance(x, str)]
    found: list[MissingText] = []

    def check(item: Mapping[str, Any], path: str, kind: str, item_id: str) -> None:
        for key in TEXT_KEYS:
            text = item.get(key)
            if isinstance(text, Mapping):
                for lang in languages:
                    if not str(text.get(lang) or "").strip():
                        found.append(MissingText(f"{path}.{key}" if path else key, lang,
                                                 kind, item_id))

    check(definition, "", "survey", str(definition.get("id", "")))
    for s, section in enumerate(sections(definition)):
        sid = str(section.get("id"))
        check(section, f"sections[{s}]", "section", sid)
        for p, page in enumerate(pages(section)):
            pid = str(page.get("id"))
            check(page, f"sections[{s}].pages[{p}]", "page", pid)
            for q, question in enumerate(questions(page)):
                qid = str(question.get("id"))
                qpath = f"sections[{s}].pages[{p}].questions[{q}]"
                check(question, qpath, "question", qid)
                for key in ("options", "statements"):
                    for i, item in enumerate(question.get(key) or []):
                        if isinstance(item, Mapping):
                            check(item, f"{qpath}.{key}[{i}]", "question", qid)
    return found


# Where a problem is, for links from the publish page


_STEP = re.compile(r"([a-z_]+)\[(\d+)\]")


def locate(definition: Mapping[str, Any], path: str) -> tuple[str, str]:
    """The item a problem's path points into: ("question"|"page"|"section"|"survey", id)."""
    kind, item_id = "survey", str(definition.get("id", ""))
    node: Any = definition
    for step in path.split("."):
        match = _STEP.fullmatch(step)
        if match is None:
            break
        key, index = match.group(1), int(match.group(2))
        items = node.get(key) if isinstance(node, Mapping) else None
        if not isinstance(items, list) or index >= len(items):
            break
        node = items[index]
        if key in ("sections", "pages", "questions") and isinstance(node, Mapping):
            kind = key[:-1]
            item_id = str(node.get("id", ""))
        else:
            break
    return kind, item_id


def page_of_question(definition: Mapping[str, Any], question_id: str) -> str | None:
    """The id of the page holding a question."""
    for _section, page, question in walk_questions(definition):
        if question.get("id") == question_id:
            return str(page.get("id"))
    return None


@dataclass(frozen=True)
class TextEntry:
    """One piece of per-language text in a definition: where it is and its current values."""

    path: str
    kind: str
    item_id: str
    key: str
    text: Mapping[str, str]


def text_entries(definition: Mapping[str, Any]) -> list[TextEntry]:
    """Every per-language text written in the definition, in document order."""
    found: list[TextEntry] = []

    def add(item: Mapping[str, Any], path: str, kind: str, item_id: str) -> None:
        for key in TEXT_KEYS:
            text = item.get(key)
            if isinstance(text, Mapping):
                found.append(TextEntry(f"{path}.{key}" if path else key, kind, item_id, key,
                                       {str(k): str(v) for k, v in text.items()}))

    add(definition, "", "survey", str(definition.get("id", "")))
    for s, section in enumerate(sections(definition)):
        sid = str(section.get("id"))
        add(section, f"sections[{s}]", "section", sid)
        for p, page in enumerate(pages(section)):
            pid = str(page.get("id"))
            add(page, f"sections[{s}].pages[{p}]", "page", pid)
            for q, question in enumerate(questions(page)):
                qid = str(question.get("id"))
                qpath = f"sections[{s}].pages[{p}].questions[{q}]"
                add(question, qpath, "question", qid)
                for key in ("options", "statements"):
                    for i, item in enumerate(question.get(key) or []):
                        if isinstance(item, Mapping):
                            add(item, f"{qpath}.{key}[{i}]", "question", qid)
    return found


def set_translations(definition: Mapping[str, Any], language: str,
                     values: Mapping[str, str]) -> Definition:
    """Set the `language` text at each path (as listed by `text_entries`); blank removes it."""
    changed = copy.deepcopy(dict(definition))
    known = {entry.path for entry in text_entries(changed)}
    for path, value in values.items():
        if path not in known:
            raise DefinitionEditError("not_found")
        node: Any = changed
        *steps, key = path.split(".")
        for step in steps:
            match = _STEP.fullmatch(step)
            node = node[match.group(1)][int(match.group(2))] if match else node[step]
        text = node[key]
        if value.strip():
            text[language] = value.strip()
        else:
            text.pop(language, None)
        if not text:
            del node[key]
    return changed


def representable(condition: Mapping[str, Any] | None, question_types: Mapping[str, str]) -> bool:
    """Whether the builder's rows show this condition exactly (else saving would simplify it)."""
    if not condition:
        return True
    combine, rows = condition_rows(condition)
    try:
        rebuilt = build_condition(rows, combine, question_types)
    except DefinitionEditError:
        return False
    return rebuilt == dict(condition)
