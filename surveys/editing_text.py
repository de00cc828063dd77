"""Per-language text of a draft (translations) and paths into a definition, for the builder.

Paths look like `sections[0].pages[1].questions[2].title`, as in a problem's path.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
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


def _texts(definition: Mapping[str, Any]) -> Iterator[tuple[str, str, str, str, Mapping[Any, Any]]]:
    """Every per-language text written in the definition, in document order: (path, kind of
    the item that holds it, the item's id, the text's key, the text)."""

    def held(item: Mapping[str, Any], path: str, kind: str,
             item_id: str) -> Iterator[tuple[str, str, str, str, Mapping[Any, Any]]]:
        for key in TEXT_KEYS:
            text = item.get(key)
            if isinstance(text, Mapping):
                yield f"{path}.{key}" if path else key, kind, item_id, key, text

    yield from held(definition, "", "survey", str(definition.get("id", "")))
    for s, section in enumerate(sections(definition)):
        yield from held(section, f"sections[{s}]", "section", str(section.get("id")))
        for p, page in enumerate(pages(section)):
            yield from held(page, f"sections[{s}].pages[{p}]", "page", str(page.get("id")))
            for q, question in enumerate(questions(page)):
                qid = str(question.get("id"))
                qpath = f"sections[{s}].pages[{p}].questions[{q}]"
                yield from held(question, qpath, "question", qid)
                for key in ("options", "statements"):
                    for i, item in enumerate(question.get(key) or []):
                        if isinstance(item, Mapping):
                            yield from held(item, f"{qpath}.{key}[{i}]", "question", qid)


def missing_translations(definition: Mapping[str, Any]) -> list[MissingText]:
    """Every text that lacks one of the survey's languages (demographics text is built in)."""
    languages = [str(x) for x in definition.get("languages", []) if isinstance(x, str)]
    return [MissingText(path, lang, kind, item_id)
            for path, kind, item_id, _key, text in _texts(definition)
            for lang in languages if not str(text.get(lang) or "").strip()]


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
    return [TextEntry(path, kind, item_id, key, {str(k): str(v) for k, v in text.items()})
            for path, kind, item_id, key, text in _texts(definition)]


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
