"""Fixtures for the survey engine tests: small definitions built in one line."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import surveys
from surveys import Survey

DEMO = Path(__file__).resolve().parents[2] / "engage" / "demo" / "residents-2026.json"

Definition = dict[str, Any]


def _text(value: str) -> dict[str, str]:
    return {"en": value}


def _definition(
    *pages: dict[str, Any],
    languages: tuple[str, ...] = ("en",),
    layout: str = "grouped",
    extra_sections: tuple[dict[str, Any], ...] = (),
) -> Definition:
    """A survey with one section holding `pages` (each {"id", "questions", ...})."""
    return {
        "id": "test",
        "title": _text("Test survey"),
        "language": "en",
        "languages": list(languages),
        "settings": {"layout": layout, "max_questions_per_page": 5},
        "sections": [{"id": "main", "title": _text("Main"), "pages": list(pages)}, *extra_sections],
    }


def _page(page_id: str, *questions: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A page; one with several questions gets a title (its heading) unless given one."""
    title = {"title": _text(f"Page {page_id}")} if len(questions) > 1 else {}
    return {"id": page_id, **title, "questions": list(questions), **extra}


def _options(*ids: str, exclusive: str | None = None) -> list[dict[str, Any]]:
    return [
        {
            "id": i,
            "text": _text(i.replace("-", " ").capitalize()),
            **({"exclusive": True} if i == exclusive else {}),
        }
        for i in ids
    ]


def _question(qid: str, qtype: str, **extra: Any) -> dict[str, Any]:
    return {"id": qid, "type": qtype, "title": _text(f"Question {qid}?"), **extra}


class Make:
    """Builders for definitions: make.definition(make.page("p", make.question(...)))."""

    definition = staticmethod(_definition)
    page = staticmethod(_page)
    question = staticmethod(_question)
    options = staticmethod(_options)
    text = staticmethod(_text)

    @staticmethod
    def load(definition: Definition) -> Survey:
        """Load a definition that must have no problems."""
        result = surveys.load_survey(definition)
        assert result.problems == (), [str(p) for p in result.problems]
        assert result.survey is not None
        return result.survey

    @staticmethod
    def one(question: dict[str, Any]) -> Survey:
        """A loaded survey of one page "p" holding one question."""
        return Make.load(_definition(_page("p", question)))

    @staticmethod
    def kinds(definition: Definition) -> list[str]:
        """The problem kinds reported for a definition."""
        return [p.kind for p in surveys.load_survey(definition).problems]


@pytest.fixture
def make() -> type[Make]:
    return Make


@pytest.fixture(scope="session")
def demo_definition_data() -> Definition:
    data: Definition = json.loads(DEMO.read_text("utf-8"))
    return data


@pytest.fixture
def demo_definition(demo_definition_data: Definition) -> Definition:
    return copy.deepcopy(demo_definition_data)


@pytest.fixture(scope="session")
def demo_survey(demo_definition_data: Definition) -> Survey:
    return surveys.load_survey_or_raise(demo_definition_data)


@pytest.fixture
def validate() -> Callable[..., surveys.PageResult]:
    """validate(survey, {"field": "value" or [values]}, page="p") → PageResult."""

    def run(
        survey: Survey, form: dict[str, Any], page: str = "p", language: str = "en"
    ) -> surveys.PageResult:
        data = {k: [v] if isinstance(v, str) else list(v) for k, v in form.items()}
        return surveys.validate_page(survey, page, data, language)

    return run


def skewed_profiles(n: int, seed: int = 7) -> dict[str, dict[str, str | None]]:
    """`n` respondent profiles drawn with a skew against the illustrative population: older
    people, women and some wards over-represented (as face-to-face fieldwork often is), and a
    few "prefer not to say" answers."""
    import numpy as np

    from surveys.weighting import illustrative_population

    population = illustrative_population()
    cells = list(population.cells)
    ages = sorted({c[1] for c in cells})
    tilt = {age: 0.6 + 0.3 * i for i, age in enumerate(ages)}  # 16-24 × 0.6 … 65+ × 2.1
    p = np.array([population.cells[c] * tilt[c[1]] * (1.4 if c[2] == "female" else 1.0)
                  * (1.8 if c[0] in ("bow-east", "poplar", "weavers") else 1.0)
                  * (0.4 if c[2] == "male" and c[1] in ("16-24", "25-34") else 1.0)
                  * (0.5 if c[0] in ("shadwell", "whitechapel") and c[2] == "female" else 1.0)
                  for c in cells])
    rng = np.random.default_rng(seed)
    drawn = rng.choice(len(cells), size=n, p=p / p.sum())
    profiles: dict[str, dict[str, str | None]] = {}
    for i, c in enumerate(drawn):
        ward, age, sex = cells[c]
        if i % 97 == 0:
            age = "prefer-not-to-say"
        if i % 89 == 0:
            sex = None  # type: ignore[assignment]
        profiles[f"r{i}"] = {"ward": ward, "age": age, "sex": sex}
    return profiles


@pytest.fixture(scope="session")
def demo_profiles() -> dict[str, dict[str, str | None]]:
    """3,000 skewed profiles (see skewed_profiles)."""
    return skewed_profiles(3000)
