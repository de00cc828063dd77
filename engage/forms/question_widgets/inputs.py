"""Widgets of the typed answers: numbers, text, dates and the ward or postcode."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _

import surveys
from engage.templating import character_count
from surveys.builtins import builtin_text

if TYPE_CHECKING:
    from engage.forms.survey_page import PageView


def number(view: PageView, q: surveys.Question, name: str) -> dict[str, Any]:
    """A short input with a numeric keyboard and the question's suffix ("years")."""
    suffix = view.text(q.suffix)
    params = view.field(
        q,
        name,
        inputmode="decimal" if q.decimal else "numeric",
        spellcheck=False,
        classes="govuk-input--width-5",
        suffix={"text": suffix} if suffix else None,
    )
    return {"kind": "input", "params": params}


def short_text(view: PageView, q: surveys.Question, name: str) -> dict[str, Any]:
    """A text input stopped at the question's length."""
    params = view.field(q, name, attributes={"maxlength": str(q.max_length or 200)})
    return {"kind": "input", "params": params}


def long_text(view: PageView, q: surveys.Question, name: str) -> dict[str, Any]:
    """A textarea with a character (or word) count of the question's limit."""
    params = view.field(q, name, rows=6)
    if q.max_words:
        params.update(character_count(q.max_words, words=True))
    else:
        params.update(character_count(q.max_length or 5000, words=False))
    # The count shows the question's limit (going over it is a message that keeps the
    # text); the browser stops at the page's share of the body cap, so what is typed
    # is never lost to a 413 (surveys.page_text_share).
    params["attributes"] = {"maxlength": str(view.text_share)}
    return {"kind": "character_count", "params": params}


def date(view: PageView, q: surveys.Question, name: str) -> dict[str, Any]:
    """GOV.UK's date input (day, month, year) with an example the question accepts."""
    parts = [
        ("day", _("Day"), "govuk-input--width-2"),
        ("month", _("Month"), "govuk-input--width-2"),
        ("year", _("Year"), "govuk-input--width-4"),
    ]
    error = view.error(*(surveys.field_name(q.id, p) for p, _l, _c in parts))
    example = surveys.date_example(q)
    items = [
        {
            "name": part,
            "label": label,
            "value": view.one(surveys.field_name(q.id, part)),
            "classes": cls + (" govuk-input--error" if error else ""),
            "inputmode": "numeric",
        }
        for part, label, cls in parts
    ]
    return {
        "kind": "date",
        "params": {
            "id": name,
            "namePrefix": name,
            "items": items,
            "fieldset": {"legend": view.legend(q)},
            "hint": view.hint(
                q,
                _(
                    "For example, %(day)s %(month)s %(year)s",
                    day=example.day,
                    month=example.month,
                    year=example.year,
                ),
            ),
            "errorMessage": error,
        },
    }


def ward_postcode(view: PageView, q: surveys.Question, name: str) -> dict[str, Any]:
    """Radios of the wards and a last choice that reveals a postcode box."""
    postcode_field = surveys.field_name(q.id, "postcode")
    chosen = view.one(name)
    items = [
        {"value": o.id, "text": view.text(o.text), "checked": o.id == chosen} for o in q.options
    ]
    return {
        "kind": "ward",
        "params": view.choice(q, name, items, view.hint(q)),
        "postcode_choice": {
            "value": surveys.POSTCODE_CHOICE,
            "text": view.text(builtin_text("postcode-choice")),
            "checked": chosen == surveys.POSTCODE_CHOICE,
        },
        "postcode": {
            "name": postcode_field,
            "id": postcode_field,
            "label": {"text": view.text(builtin_text("postcode-label"))},
            "hint": {"text": view.text(builtin_text("postcode-choice"))},
            "value": view.one(postcode_field),
            "autocomplete": "postal-code",
            "classes": "govuk-input--width-10",
            "spellcheck": False,
            "errorMessage": view.error(postcode_field),
        },
    }
