"""Answers back to form data and to text; free text for the analysis; message catalogue."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import surveys
from surveys import answer_messages as messages
from surveys import display_answer, free_text_answers, to_form_data

FORMS = {
    "home": {"q-ward": ["bow-east"], "q-years-lived": ["12"], "q-children": ["2"]},
    "local-area": {"q-area-rating": ["7"], "q-improve": ["More bins and cleaner streets"]},
    "area-statements": {
        "q-area-statements-get-on-well": ["agree"],
        "q-area-statements-safe-after-dark": ["disagree"],
        "q-area-statements-clean-streets": ["strongly-disagree"],
        "q-area-statements-influence": ["dont-know"],
    },
    "services-used": {"q-services-used": ["idea-store", "parks"]},
    "library-frequency": {"q-library-frequency": ["weekly"]},
    "priorities": {
        "q-priorities-housing": ["1"],
        "q-priorities-crime": ["2"],
        "q-priorities-jobs": ["3"],
    },
    "last-event": {
        "q-last-event-day": ["27"],
        "q-last-event-month": ["3"],
        "q-last-event-year": ["2026"],
    },
}


@pytest.mark.parametrize("page_id", sorted(FORMS))
def test_form_data_round_trip(demo_survey, page_id) -> None:  # type: ignore[no-untyped-def]
    result = surveys.validate_page(demo_survey, page_id, FORMS[page_id])
    assert result.ok, result.errors
    assert to_form_data(demo_survey, page_id, result.answers) == FORMS[page_id]
    again = surveys.validate_page(
        demo_survey, page_id, to_form_data(demo_survey, page_id, result.answers)
    )
    assert again.answers == result.answers


def test_postcode_round_trip(demo_survey) -> None:  # type: ignore[no-untyped-def]
    form = {
        "q-ward": ["postcode"],
        "q-ward-postcode": ["e1 6an"],
        "q-years-lived": ["0"],
        "q-children": ["0"],
    }
    answers = surveys.validate_page(demo_survey, "home", form).answers
    assert answers == {"ward": {"postcode": "E1 6AN"}, "years-lived": 0, "children": 0}
    assert to_form_data(demo_survey, "home", answers) == {
        "q-ward": ["postcode"],
        "q-ward-postcode": ["E1 6AN"],
        "q-years-lived": ["0"],
        "q-children": ["0"],
    }


def test_form_data_ignores_blank_and_odd_answers(demo_survey) -> None:  # type: ignore[no-untyped-def]
    assert to_form_data(demo_survey, "home", {"ward": None}) == {}
    assert to_form_data(demo_survey, "home", {"ward": 3}) == {}
    assert to_form_data(demo_survey, "last-event", {"last-event": "not a date"}) == {}


@pytest.mark.parametrize(
    "question_id,answer,language,expected",
    [
        ("ward", {"ward": "bow-east"}, "en", "Bow East"),
        ("ward", {"ward": "bow-east"}, "bn", "বো ইস্ট"),
        ("ward", {"postcode": "E1 6AN"}, "bn", "E1 6AN"),
        ("years-lived", 12, "en", "12 years"),
        ("years-lived", 12, "bn", "১২ বছর"),
        ("area-rating", 7, "en", "7"),
        ("library-frequency", "weekly", "bn", "সপ্তাহে অন্তত একবার"),
        ("crime-asb", "dont-know", "en", "Don't know"),
        (
            "services-used",
            ["idea-store", "parks"],
            "en",
            "An Idea Store or library\nA park or open space",
        ),
        (
            "priorities",
            ["housing", "crime"],
            "en",
            "1. Affordable, good-quality housing\n2. Tackling crime and antisocial behaviour",
        ),
        (
            "area-statements",
            {"influence": "agree"},
            "en",
            "I can influence decisions that affect my area: Agree",
        ),
        ("last-event", "2026-03-27", "en", "27 March 2026"),
        ("last-event", "2026-03-27", "bn", "২৭ মার্চ ২০২৬"),  # Bengali digits (issue 17)
        ("improve", "More bins", "en", "More bins"),
        ("improve", None, "en", "Not answered"),
        ("about-you-age", None, "bn", "উত্তর দেওয়া হয়নি"),
        ("about-you-ethnicity", "bangladeshi", "bn", "বাংলাদেশি"),
    ],
)
def test_display_answer(demo_survey, question_id, answer, language, expected) -> None:  # type: ignore[no-untyped-def]
    assert display_answer(demo_survey, question_id, answer, language) == expected


def test_free_text_answers(demo_survey) -> None:  # type: ignore[no-untyped-def]
    answers = {
        "improve": "More bins",
        "top-priority": "  ",
        "like-most": "The markets",
        "ward": {"ward": "bow-east"},
        "crime-asb": "agree",
    }
    assert free_text_answers(demo_survey, answers) == [
        ("improve", "More bins"),
        ("like-most", "The markets"),
    ]


def test_every_message_template_is_marked_for_babel() -> None:
    source = Path(messages.__file__).read_text("utf-8")
    marked = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and node.targets[0].id != "ALL_MESSAGES"
        ):  # type: ignore[attr-defined]
            call = node.value
            assert isinstance(call.func, ast.Name) and call.func.id == "N_"
            marked.append(call.args[0].value)  # type: ignore[attr-defined]
    assert sorted(marked) == sorted(messages.ALL_MESSAGES)
    assert len(marked) >= 30


def test_babel_extracts_the_templates() -> None:
    babel = pytest.importorskip("babel.messages.extract")
    with open(messages.__file__, "rb") as handle:
        found = {msg for _, _, msg, _ in babel.extract_python(handle, ["N_"], [], {})}
    assert found == set(messages.ALL_MESSAGES)


def test_surveys_imports_nothing_from_the_web_or_database() -> None:
    forbidden = {
        "engage",
        "analysis",
        "flask",
        "sqlalchemy",
        "wtforms",
        "flask_wtf",
        "flask_sqlalchemy",
    }
    root = Path(surveys.__file__).parent
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in forbidden, (path, name)


def test_respondent_profile_for_weighting(demo_survey) -> None:  # type: ignore[no-untyped-def]
    answers = {
        "ward": {"ward": "poplar"},
        "about-you-age": "25-34",
        "about-you-sex": None,
        "about-you-ethnicity": "prefer-not-to-say",
    }
    profile = surveys.respondent_profile(demo_survey, answers)
    assert profile["ward"] == "poplar" and profile["postcode"] is None
    assert profile["age"] == "25-34" and profile["sex"] is None
    assert profile["ethnicity"] == "prefer-not-to-say" and profile["carer"] is None
    by_postcode = surveys.respondent_profile(demo_survey, {"ward": {"postcode": "E3 2AA"}})
    assert by_postcode["ward"] is None and by_postcode["postcode"] == "E3 2AA"


@pytest.mark.parametrize(
    "value,text",
    [(10.0, "10"), (1.25, "1.25"), (1234567.5, "1234567.5"), (1e-7, "0.0000001"), (-3, "-3")],
)
def test_numbers_are_written_without_exponents(value, text) -> None:  # type: ignore[no-untyped-def]
    from surveys.numerals import format_number

    assert format_number(value) == text


def test_rank_values(make) -> None:  # type: ignore[no-untyped-def]
    s = make.one(make.question("r", "ranking", options=make.options("a", "b", "c"), top=2))
    assert surveys.rank_values(s.question("r")) == ("1", "2")
    s = make.one(make.question("r", "ranking", options=make.options("a", "b", "c")))
    assert surveys.rank_values(s.question("r")) == ("1", "2", "3")


def test_bengali_catalogue_translates_every_message_with_the_same_placeholders() -> None:
    pofile = pytest.importorskip("babel.messages.pofile")
    # The engine's messages are translated in the app's one catalogue.
    path = (Path(messages.__file__).parent.parent / "engage" / "translations" / "bn"
            / "LC_MESSAGES" / "messages.po")
    with open(path, "rb") as handle:
        catalog = pofile.read_po(handle)
    placeholders = re.compile(r"%\(\w+\)s")
    for msgid in messages.ALL_MESSAGES:
        entry = catalog.get(msgid)
        assert entry is not None and entry.string, msgid
        assert sorted(placeholders.findall(entry.string)) == sorted(placeholders.findall(msgid))
