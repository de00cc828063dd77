"""Load a survey definition: JSON Schema check, demographics expansion, checks of meaning."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped,unused-ignore]

from surveys.build import build_survey, expand_demographics
from surveys.definition_checks import check_ids, check_languages, check_questions
from surveys.model import Option, Survey
from surveys.problems import LoadResult, Problem, SurveyError, join
from surveys.rule_checks import check_routing

MAX_DEPTH = 40
MAX_SCHEMA_PROBLEMS = 500


@cache
def survey_schema() -> Mapping[str, Any]:
    """The JSON Schema of a survey definition (shipped as surveys/schema/survey.schema.json)."""
    text = resources.files("surveys").joinpath("schema", "survey.schema.json").read_text("utf-8")
    schema: Mapping[str, Any] = json.loads(text)
    return schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(survey_schema())


def _depth(value: object, limit: int) -> int:
    """Nesting depth of a JSON-like value, stopping early once past `limit`."""
    stack: list[tuple[object, int]] = [(value, 1)]
    deepest = 0
    while stack:
        item, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > limit:
            return deepest
        if isinstance(item, Mapping):
            stack.extend((v, d + 1) for v in item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend((v, d + 1) for v in item)
    return deepest


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def parse_json(text: str) -> object:
    """Parse JSON text, refusing nesting deeper than MAX_DEPTH with a ValueError before the
    parser can recurse (a 256 KB file of "[" would otherwise end in a RecursionError)."""
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_DEPTH:
            raise ValueError(f"the definition is nested more than {MAX_DEPTH} deep")
    return json.loads(text)


def _path(parts: Sequence[str | int]) -> str:
    path = ""
    for part in parts:
        path = join(path, part)
    return path


@cache
def _question_keys() -> Mapping[str, frozenset[str]]:
    """The keys each question type allows, read from the schema."""
    question = survey_schema()["$defs"]["question"]
    common = set(question["properties"])
    keys: dict[str, frozenset[str]] = {}
    for rule in question["allOf"]:
        qtype = rule["if"]["properties"]["type"]["const"]
        keys[qtype] = frozenset(common | set(rule["then"]["properties"]))
    return keys


def _unexpected_keys(instance: object) -> list[str]:
    if not isinstance(instance, Mapping):
        return []
    allowed = _question_keys().get(str(instance.get("type")))
    if allowed is None:
        return []
    return sorted(str(k) for k in instance if k not in allowed)


def schema_problems(data: object) -> list[Problem]:
    """Every JSON Schema violation in `data`, with its location."""
    if _depth(data, MAX_DEPTH) > MAX_DEPTH:
        return [Problem("schema", "", f"the definition is nested more than {MAX_DEPTH} deep")]
    problems: list[Problem] = []
    for error in _validator().iter_errors(data):
        message = error.message
        if error.validator == "unevaluatedProperties":
            # jsonschema also reports a type's own keys here when a value inside them is
            # invalid; report only keys that the question's type really does not have
            unexpected = _unexpected_keys(error.instance)
            if not unexpected:
                continue
            message = "unexpected properties for this question type: " + ", ".join(unexpected)
        message = message if len(message) <= 300 else message[:297] + "..."
        problems.append(Problem("schema", _path(list(error.absolute_path)), message))
        if len(problems) >= MAX_SCHEMA_PROBLEMS:
            problems.append(Problem("schema", "", "too many problems; the rest are not listed"))
            break
    problems.sort(key=lambda p: p.path)
    return problems


def load_survey(data: object, wards: Sequence[Option] | None = None) -> LoadResult:
    """Check a parsed JSON definition and build the Survey; report every problem found."""
    problems = schema_problems(data)
    if problems or not isinstance(data, Mapping):
        return LoadResult(None, tuple(problems))
    raw: dict[str, Any] = dict(data)
    languages = list(raw["languages"])
    settings = raw.get("settings", {})
    per_page = (
        1
        if settings.get("layout", "one-question") == "one-question"
        else int(settings.get("max_questions_per_page", 4))
    )
    sections: list[Any] = []
    for i, section in enumerate(raw["sections"]):
        if section.get("type") == "demographics":
            expanded, found = expand_demographics(section, join("sections", i), languages, per_page)
            sections.append(expanded)
            problems.extend(found)
        else:
            sections.append(section)
    raw["sections"] = sections
    survey = build_survey(raw, tuple(wards) if wards is not None else None)
    language_problems, warnings = check_languages(survey)
    problems += language_problems
    problems += check_ids(survey)
    problems += check_questions(survey)
    problems += check_routing(survey)
    return LoadResult(None if problems else survey, tuple(problems), tuple(warnings))


def load_survey_or_raise(data: object, wards: Sequence[Option] | None = None) -> Survey:
    """Like load_survey, but return the Survey or raise SurveyError listing the problems."""
    result = load_survey(data, wards)
    if result.survey is None:
        raise SurveyError(result.problems)
    return result.survey


def load_survey_file(path: str | Path, wards: Sequence[Option] | None = None) -> LoadResult:
    """Read a JSON definition file and load it (a JSON syntax error is reported as a problem)."""
    try:
        data = parse_json(Path(path).read_text("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        return LoadResult(None, (Problem("json", "", f"not valid JSON: {exc}"),))
    return load_survey(data, wards)
