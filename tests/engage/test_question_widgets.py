"""One widget handler per question type (engage/forms/question_widgets/): every type the
engine knows has one, and each shows all the fields the engine reads, re-filled with what was
submitted and with the engine's error on the field it links to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

import surveys
from engage.forms.question_widgets import WIDGETS
from engage.forms.survey_page import PageView
from surveys import types as qt

_OPTIONS = [{"id": i, "text": {"en": i.capitalize()}} for i in ("red", "green", "blue")]
_EXTRAS: dict[str, dict[str, Any]] = {
    qt.SINGLE_CHOICE: {"options": _OPTIONS},
    qt.MULTIPLE_CHOICE: {"options": _OPTIONS},
    qt.RANKING: {"options": _OPTIONS},
    qt.GRID: {
        "options": _OPTIONS,
        "statements": [{"id": "a", "text": {"en": "Parks"}}, {"id": "b", "text": {"en": "Roads"}}],
    },
}
"""What a question of each type needs besides its id, type and title."""


def _survey(qtype: str) -> surveys.Survey:
    return surveys.load_survey_or_raise(
        {
            "id": "widgets",
            "title": {"en": "Widgets"},
            "language": "en",
            "languages": ["en"],
            "sections": [
                {
                    "id": "s",
                    "title": {"en": "S"},
                    "pages": [
                        {
                            "id": "p",
                            "questions": [
                                {
                                    "id": "q",
                                    "type": qtype,
                                    "title": {"en": "What?"},
                                    **_EXTRAS.get(qtype, {}),
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    )


def _walk(node: object) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _fields(widget: dict[str, Any]) -> set[str]:
    """The form field names a widget's parameters post (a date input's from its prefix)."""
    names = set()
    for node in _walk(widget):
        if isinstance(node.get("name"), str) and "namePrefix" not in node:
            names.add(node["name"])
        if isinstance(node.get("namePrefix"), str):
            names |= {f"{node['namePrefix']}-{item['name']}" for item in node["items"]}
    return names


def test_every_question_type_the_engine_knows_has_a_widget() -> None:
    assert set(WIDGETS) == set(qt.QUESTION_TYPES)


@pytest.mark.parametrize("qtype", qt.QUESTION_TYPES)
def test_each_widget_posts_the_engines_fields_with_its_error(app: Flask, qtype: str) -> None:
    survey = _survey(qtype)
    question = survey.question("q")
    result = surveys.validate_page(survey, "p", {})  # required and left blank
    assert result.errors, qtype
    errors = {e.field: e.text for e in result.errors}
    with app.test_request_context():
        widget = PageView(survey, "p", ["q"], {}, errors, "en").questions[0]
    assert _fields(widget) >= set(surveys.field_names(question)), (qtype, _fields(widget))
    shown = [n.get("errorMessage") or n.get("error") for n in _walk(widget)]
    assert {"text": result.errors[0].text} in shown, (qtype, shown)


@pytest.mark.parametrize(
    ("qtype", "typed"),
    [
        (qt.SHORT_TEXT, {"q-q": "Our street"}),
        (qt.LONG_TEXT, {"q-q": "A long answer"}),
        (qt.NUMBER, {"q-q": "১২"}),
        (qt.EMAIL, {"q-q": "name@example"}),
        (qt.DATE, {"q-q-day": "31", "q-q-month": "2", "q-q-year": "2020"}),
        (
            qt.UK_ADDRESS,
            {"q-q-line1": "1 High Street", "q-q-town": "London", "q-q-postcode": "not a postcode"},
        ),
        (qt.WARD_POSTCODE, {"q-q": surveys.POSTCODE_CHOICE, "q-q-postcode": "E1 ZZZ"}),
    ],
)
def test_what_was_typed_is_shown_again_when_the_page_is_sent_back(
    app: Flask, qtype: str, typed: dict[str, str]
) -> None:
    survey = _survey(qtype)
    values = {name: [value] for name, value in typed.items()}
    result = surveys.validate_page(survey, "p", values)
    with app.test_request_context():
        widget = PageView(
            survey, "p", ["q"], values, {e.field: e.text for e in result.errors}, "en"
        ).questions[0]
    shown = [n.get("value") for n in _walk(widget)]
    for value in typed.values():
        assert value in shown, (qtype, value, shown)
