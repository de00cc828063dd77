"""Per-language text of a draft (translations) and paths into a definition, for the builder.

Paths look like `sections[0].pages[1].questions[2].title`, as in a problem's path.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from surveys.editing import TEXT_KEYS, Definition, DefinitionEditError, pages, questions, sections

_STEP = re.compile(r"([a-z_]+)\[(\d+)\]")


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
