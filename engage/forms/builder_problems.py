"""The survey engine's problems with a draft, in words for the builder's publish page, naming
the section, page or question each is about. Messages live in engage.forms.messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engage.forms import fill
from engage.forms.messages import (
    ENTER_PRIVACY,
    LANGUAGE_NAMES,
    PROBLEM_ADD_OPTIONS,
    PROBLEM_ADD_STATEMENT,
    PROBLEM_DUPLICATE_ID,
    PROBLEM_EMPTY_SECTION,
    PROBLEM_MISSING_TEXT,
    PROBLEM_MISSING_TRANSLATION,
    PROBLEM_OTHER,
    PROBLEM_OTHER_OPTION,
    PROBLEM_PAGE_TITLE,
    PROBLEM_PERSONAL_QUESTION,
    PROBLEM_RANGE,
    PROBLEM_RULE,
    PROBLEM_TOO_MANY_QUESTIONS,
    SELECT_LAWFUL_BASIS,
)
from surveys import editing, editing_text

RULE_KINDS = frozenset({"unknown-target", "backward-target", "unknown-question",
                        "forward-reference", "operator-not-allowed", "operand-type",
                        "unknown-option", "unknown-statement"})
# The engine's problems said the same way whatever the path: kind -> message.
_PROBLEMS = {
    "missing-text": PROBLEM_MISSING_TEXT,
    "too-many-questions": PROBLEM_TOO_MANY_QUESTIONS,
    "page-title-needed": PROBLEM_PAGE_TITLE,
    "invalid-range": PROBLEM_RANGE,
    "duplicate-id": PROBLEM_DUPLICATE_ID,
    "duplicate-field": PROBLEM_DUPLICATE_ID,
    "personal-question": PROBLEM_PERSONAL_QUESTION,
    "other-option": PROBLEM_OTHER_OPTION,
}
# Schema problems of a list that is too short, by the end of the path.
_TOO_SHORT = {".options": PROBLEM_ADD_OPTIONS, ".statements": PROBLEM_ADD_STATEMENT,
              ".pages": PROBLEM_EMPTY_SECTION}


def item_label(definition: Mapping[str, Any], kind: str, item_id: str) -> str:
    """How to name a section, page or question to its builder: its title, else its id."""
    main = str(definition.get("language", "en"))
    try:
        item: Mapping[str, Any] = definition if kind == "survey" else editing.get(
            definition, kind, item_id)
    except editing.DefinitionEditError:
        return item_id
    if kind == "page" and not item.get("title") and editing.questions(item):
        item = editing.questions(item)[0]
    title = item.get("title")
    if isinstance(title, Mapping) and title.get(main):
        return str(title[main])
    return item_id


def problem_message(definition: Mapping[str, Any], problem: Any) -> str:
    """A problem found by the engine, in words for the person building the survey."""
    if problem.kind == "settings":
        return str(SELECT_LAWFUL_BASIS if problem.path.endswith("lawful_basis")
                   else ENTER_PRIVACY)
    kind, item_id = editing_text.locate(definition, problem.path)
    item = item_label(definition, kind, item_id)
    detail = str(problem.message)
    path = str(problem.path)
    if problem.kind == "schema" and ("too short" in detail or "non-empty" in detail):
        for end, message in _TOO_SHORT.items():
            if path.endswith(end):
                return str(fill(message, item=item))
    if problem.kind == "missing-translation":
        language = path.rsplit(".", 1)[-1]
        return str(fill(PROBLEM_MISSING_TRANSLATION, item=item,
                        language=LANGUAGE_NAMES.get(language, language)))
    if problem.kind in _PROBLEMS:
        return str(fill(_PROBLEMS[problem.kind], item=item))
    if problem.kind in RULE_KINDS:
        return str(fill(PROBLEM_RULE, item=item, detail=detail))
    return str(fill(PROBLEM_OTHER, item=item, detail=detail))
