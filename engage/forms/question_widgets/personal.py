"""Widgets of the personal types: an email address and a UK address."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _

import surveys

if TYPE_CHECKING:
    from engage.forms.survey_page import PageView


def email(view: PageView, q: surveys.Question, name: str) -> dict[str, Any]:
    """An email input (the browser's email keyboard and autocomplete)."""
    params = view.field(
        q,
        name,
        type="email",
        autocomplete="email",
        spellcheck=False,
        attributes={"maxlength": "254"},
    )
    return {"kind": "input", "params": params}


def uk_address(view: PageView, q: surveys.Question, name: str) -> dict[str, Any]:
    """GOV.UK's address pattern: line 1, line 2, town, county and postcode in a fieldset."""
    parts = [
        ("line1", _("Address line 1"), "address-line1", ""),
        ("line2", _("Address line 2 (optional)"), "address-line2", ""),
        ("town", _("Town or city"), "address-level2", "govuk-!-width-two-thirds"),
        ("county", _("County (optional)"), "", "govuk-!-width-two-thirds"),
        ("postcode", _("Postcode"), "postal-code", "govuk-input--width-10"),
    ]
    inputs = []
    for part, label, autocomplete, classes in parts:
        field = surveys.field_name(q.id, part)
        params: dict[str, Any] = {
            "name": field,
            "id": field,
            "label": {"text": label},
            "value": view.one(field),
            "errorMessage": view.error(field),
            "classes": classes,
            "attributes": {"maxlength": "100"},
        }
        if autocomplete:
            params["autocomplete"] = autocomplete
        if part == "postcode":
            params["spellcheck"] = False
        inputs.append(params)
    return {
        "kind": "address",
        "id": name,
        "legend": view.legend(q),
        "hint": view.hint(q),
        "inputs": inputs,
    }
