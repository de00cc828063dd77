"""The demo answer generator: valid, complete, on-path answers with realistic varied free text."""

from __future__ import annotations

import ast
import random
import re
from collections import Counter
from pathlib import Path

import pytest

import surveys
from engage.demo import answers as demo_answers
from engage.demo.answers import generate_answers, generate_response

BENGALI = re.compile(r"[\u0980-\u09FF]")
THEME_WORDS = {
    "housing": ("housing", "rent", "homes", "flat", "damp", "বাসা"),
    "crime": ("police", "drug", "crime", "safe", "antisocial", "পুলিশ", "মাদক"),
    "cleanliness": ("rubbish", "fly-tipping", "bins", "litter", "clean", "ময়লা"),
    "parks": ("park", "green", "trees", "play"),
    "youth": ("young people", "youth", "kids", "teen", "তরুণ"),
    "cost_of_living": ("bills", "cost of living", "expensive", "food bank", "council tax"),
    "health": ("gp", "doctor", "dentist", "mental health", "জিপি"),
    "transport": ("bus", "station", "cycl", "dlr", "roads"),
    "air_quality": ("air", "pollution", "traffic"),
    "cohesion": ("community", "together", "lonely", "neighbours"),
}


@pytest.fixture(scope="module")
def generated(demo_survey):  # type: ignore[no-untyped-def]
    rng = random.Random(2026)
    return [generate_response(demo_survey, rng) for _ in range(2000)]


def test_answers_are_valid_complete_and_on_path(demo_survey, generated) -> None:  # type: ignore[no-untyped-def]
    for response in generated[:300]:
        answers = response["answers"]
        assert surveys.prune(demo_survey, answers) == answers
        assert surveys.is_complete(demo_survey, answers)
        for page_id in surveys.path(demo_survey, answers):
            form = surveys.to_form_data(demo_survey, page_id, answers)
            result = surveys.validate_page(demo_survey, page_id, form, answers=answers)
            assert result.ok, (page_id, result.errors, answers)
            expected = {
                q: answers[q] for q in surveys.visible_questions(demo_survey, page_id, answers)
            }
            assert result.answers == expected


def test_all_responses_complete(demo_survey, generated) -> None:  # type: ignore[no-untyped-def]
    assert all(surveys.is_complete(demo_survey, r["answers"]) for r in generated)


def test_repeatable_with_a_seed(demo_survey) -> None:  # type: ignore[no-untyped-def]
    one = [generate_answers(demo_survey, random.Random(7)) for _ in range(3)]
    two = [generate_answers(demo_survey, random.Random(7)) for _ in range(3)]
    assert one == two


def test_free_text_is_varied_and_shows_themes(generated) -> None:  # type: ignore[no-untyped-def]
    texts = [r["answers"]["improve"] for r in generated] + [
        r["answers"]["top-priority"] for r in generated
    ]
    assert all(isinstance(t, str) and t for t in texts)
    assert len(set(texts)) > 0.5 * len(texts)
    lengths = [len(t.split()) for t in texts]
    assert min(lengths) <= 2 and max(lengths) >= 40 and max(lengths) <= 150
    bengali = sum(bool(BENGALI.search(t)) for t in texts) / len(texts)
    assert 0.01 < bengali < 0.2
    unsure = sum(
        t.lower().strip(".! ") in {"nothing", "not sure", "don't know", "dont know", "n/a", "জানি না"}
        for t in texts
    )
    assert unsure > 20
    lowered = [t.lower() for t in texts]
    for theme, words in THEME_WORDS.items():
        share = sum(any(w in t for w in words) for t in lowered) / len(lowered)
        assert share > 0.02, theme
    housing = sum(any(w in t for w in THEME_WORDS["housing"]) for t in lowered)
    air = sum(any(w in t for w in THEME_WORDS["air_quality"]) for t in lowered)
    assert housing > air  # themes have realistic, unequal sizes


def test_some_text_has_typos(generated) -> None:  # type: ignore[no-untyped-def]
    from engage.demo import phrases

    known = " ".join(s for bank in phrases.SENTENCES.values() for s in bank).lower()
    known += " ".join(s for bank in phrases.SHORT.values() for s in bank).lower()
    vocabulary = set(re.findall(r"[a-z]+", known))
    words = Counter(
        w for r in generated for w in re.findall(r"[a-z]+", r["answers"]["improve"].lower())
    )
    unknown = [w for w in words if w not in vocabulary and len(w) > 3]
    assert len(unknown) > 20


def test_wards_and_demographics_look_like_the_borough(demo_survey, generated) -> None:  # type: ignore[no-untyped-def]
    wards = Counter(r["answers"]["ward"].get("ward") for r in generated)
    assert len([w for w in wards if w]) == 20
    postcodes = [
        r["answers"]["ward"]["postcode"] for r in generated if "postcode" in r["answers"]["ward"]
    ]
    assert postcodes and all(surveys.normalise_postcode(p) == p for p in postcodes)
    ethnicity = Counter(r["answers"].get("about-you-ethnicity") for r in generated)
    assert 0.25 < ethnicity["bangladeshi"] / len(generated) < 0.45
    assert ethnicity["prefer-not-to-say"] > 0
    languages = Counter(r["language"] for r in generated)
    assert languages["bn"] > 0 and languages["en"] > languages["bn"]


def test_routing_is_exercised(generated) -> None:  # type: ignore[no-untyped-def]
    have = Counter(k for r in generated for k in r["answers"])
    n = len(generated)
    assert 0.1 * n < have["library-frequency"] < 0.6 * n
    assert 0.1 * n < have["youth-activities"] < 0.7 * n
    assert 0.1 * n < have["last-event"] < 0.5 * n


def test_works_for_any_survey(make) -> None:  # type: ignore[no-untyped-def]
    """Generic answers for every question type of another survey are valid too."""
    opts = make.options("a", "b", "c", exclusive="c")
    definition = make.definition(
        make.page(
            "p1",
            make.question("s", "single-choice", options=make.options("x", "y")),
            make.question("m", "multiple-choice", options=opts, max_choices=2),
            make.question("ag", "agreement"),
            make.question("r", "rating"),
            make.question("n", "number", min=-5, max=5, decimal=True, decimal_places=1),
        ),
        make.page(
            "p2",
            make.question("d", "date", min="2001-02-03", max="2001-02-05"),
            make.question("st", "short-text", max_length=5),
            make.question("lt", "long-text", max_words=3, max_length=15),
            make.question("rk", "ranking", options=make.options("a", "b", "c")),
        ),
        make.page(
            "p3",
            make.question(
                "g",
                "grid",
                options=make.options("y", "n"),
                statements=[{"id": "s1", "text": {"en": "S1"}}],
            ),
            make.question("w", "ward-postcode", wards=[{"id": "x", "name": {"en": "X"}}]),
        ),
    )
    survey = make.load(definition)
    rng = random.Random(3)
    for _ in range(200):
        answers = generate_answers(survey, rng)
        assert surveys.is_complete(survey, answers)
        for page in survey.pages:
            form = surveys.to_form_data(survey, page.id, answers)
            result = surveys.validate_page(survey, page.id, form)
            assert result.ok, (page.id, result.errors, answers)
            assert result.answers == {q.id: answers[q.id] for q in page.questions}


def test_generator_is_pure() -> None:
    forbidden = {"flask", "sqlalchemy", "wtforms", "flask_sqlalchemy", "flask_wtf"}
    for module in ("answers.py", "residents.py", "phrases.py"):
        source = Path(demo_answers.__file__).with_name(module).read_text("utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] not in forbidden
                assert not node.module.startswith("engage.") or node.module.startswith(
                    "engage.demo"
                )
            if isinstance(node, ast.Import):
                assert all(a.name.split(".")[0] not in forbidden for a in node.names)


def test_a_resident_sees_about_eight_to_twelve_pages(demo_survey, generated) -> None:  # type: ignore[no-untyped-def]
    lengths = [len(surveys.path(demo_survey, r["answers"])) for r in generated[:500]]
    assert 10 <= sum(lengths) / len(lengths) <= 13
    assert max(lengths) <= 14
