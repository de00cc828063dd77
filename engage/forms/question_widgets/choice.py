"""Widgets of the choice types: radios, checkboxes, a 0 to 10 scale, ranks and grids."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _

import surveys
from surveys.numerals import ascii_digits

if TYPE_CHECKING:
    from engage.forms.survey_page import PageView


def _names_end(label: str, end: str) -> bool:
    """Whether a rating label already starts with the number of its end ("10 means ...")."""
    words = ascii_digits(label.strip()).split(maxsplit=1)
    return bool(words) and words[0].rstrip(".,:;") == end


def _scale(view: PageView, q: surveys.Question) -> str:
    """The hint for a 0 to 10 rating: what each end means, each end said once.

    A label is what the end means ("not at all satisfied"); one that already names its
    end ("0 means not at all satisfied", in either language's digits) is used as it is.
    """
    low, high = view.text(q.min_label), view.text(q.max_label)
    if not (low and high):
        return ""
    low_end = low if _names_end(low, "0") else _("0 means %(label)s", label=low)
    high_end = high if _names_end(high, "10") else _("10 means %(label)s", label=high)
    return _("%(low)s and %(high)s.", low=low_end, high=high_end)


def _write_in(view: PageView, box: surveys.Question) -> dict[str, Any]:
    """The text box an "Other" option reveals (GOV.UK conditional reveal: the template puts
    it in the option's `conditional`; shown without JavaScript, revealed with it)."""
    field = surveys.field_name(box.id)
    return {
        "name": field,
        "id": field,
        "value": view.one(field),
        "label": {"text": view.text(box.title)},
        "errorMessage": view.error(field),
        "classes": "govuk-!-width-full",
        "spellcheck": True,
        "attributes": {"maxlength": str(box.max_length or 200)},
    }


def _choices(
    view: PageView, q: surveys.Question, name: str, multiple: bool
) -> list[dict[str, Any]]:
    chosen = set(view.values.get(name) or [])
    items: list[dict[str, Any]] = []
    group = None
    for option in q.options:
        if option.group is not None and view.text(option.group) != group:
            group = view.text(option.group)
            items.append({"divider": group})
        if option.exclusive and multiple:
            items.append({"divider": _("or")})
        item: dict[str, Any] = {
            "value": option.id,
            "text": view.text(option.text),
            "checked": option.id in chosen,
        }
        if option.hint:
            item["hint"] = {"text": view.text(option.hint)}
        if option.exclusive and multiple:
            item["behaviour"] = "exclusive"
        write_in = view.write_ins.get((q.id, option.id))
        if write_in is not None:
            item["write_in"] = _write_in(view, write_in)
        items.append(item)
    return items


def _grouped(view: PageView, q: surveys.Question, name: str) -> dict[str, Any]:
    """A choice whose options come in groups (the Census ethnic groups): one fieldset, a
    heading and a set of radios per group, and a write-in box under each option that has
    one (always shown, so it works without JavaScript and with no aria-expanded on radios).
    """
    chosen = view.one(name)
    groups: list[dict[str, Any]] = []
    for option in q.options:
        heading = view.text(option.group) if option.group is not None else ""
        if not groups or groups[-1]["heading"] != heading:
            # The first radio keeps the id the error summary links to.
            prefix = name if not groups else f"{name}-group-{len(groups) + 1}"
            groups.append(
                {
                    "heading": heading,
                    "write_ins": [],
                    "radios": {
                        "name": name,
                        "idPrefix": prefix,
                        "items": [],
                        "formGroup": {"classes": "govuk-!-margin-bottom-4"},
                    },
                }
            )
        item: dict[str, Any] = {
            "value": option.id,
            "text": view.text(option.text),
            "checked": option.id == chosen,
        }
        if option.hint:
            item["hint"] = {"text": view.text(option.hint)}
        groups[-1]["radios"]["items"].append(item)
        write_in = view.write_ins.get((q.id, option.id))
        if write_in is not None:
            field = surveys.field_name(write_in.id)
            groups[-1]["write_ins"].append(
                {
                    "name": field,
                    "id": field,
                    "value": view.one(field),
                    "label": {"text": view.text(write_in.title)},
                    "errorMessage": view.error(field),
                    "formGroup": {"classes": "govuk-radios__conditional"},
                    "attributes": {"maxlength": str(write_in.max_length or 100)},
                }
            )
    hint = view.hint(q)
    return {
        "kind": "grouped",
        "id": name,
        "legend": view.legend(q),
        "hint": dict(hint, id=f"{name}-hint") if hint else None,
        "error": view.error(name),
        "groups": groups,
    }


def single_choice(view: PageView, q: surveys.Question, name: str) -> dict[str, Any]:
    """Radios, one per option; options in groups (ethnic groups) are shown by `_grouped`."""
    if any(o.group is not None for o in q.options):
        return _grouped(view, q, name)
    return radios(view, q, name)


def radios(view: PageView, q: surveys.Question, name: str) -> dict[str, Any]:
    """Radios, one per option, with an "Other" option's write-in box revealed under it."""
    items = _choices(view, q, name, False)
    return {"kind": "radios", "params": view.choice(q, name, items, view.hint(q))}


def rating(view: PageView, q: surveys.Question, name: str) -> dict[str, Any]:
    """Eleven inline radios, 0 to 10 in the page's digits, each end's meaning in the hint."""
    value = view.one(name)
    items = [
        {"value": str(i), "text": view.digits(i), "checked": value == str(i)} for i in range(11)
    ]
    hint = view.hint(q, _scale(view, q))
    params = view.choice(q, name, items, hint, classes="govuk-radios--inline")
    return {"kind": "radios", "params": params}


def multiple_choice(view: PageView, q: surveys.Question, name: str) -> dict[str, Any]:
    """Checkboxes; an exclusive option ("None of these") after an "or"."""
    items = _choices(view, q, name, True)
    hint = view.hint(q, _("Select all that apply."))
    return {"kind": "checkboxes", "params": view.choice(q, name, items, hint)}


def ranking(view: PageView, q: surveys.Question, name: str) -> dict[str, Any]:
    """One select per option holding its rank (works without JavaScript)."""
    values = surveys.rank_values(q)
    selects = []
    for option in q.options:
        field = surveys.field_name(q.id, option.id)
        current = view.one(field)
        items = [{"value": "", "text": _("Not ranked"), "selected": current == ""}]
        items += [{"value": v, "text": view.digits(v), "selected": current == v} for v in values]
        selects.append(
            {
                "name": field,
                "id": field,
                "items": items,
                "label": {"text": view.text(option.text)},
                "errorMessage": view.error(field),
            }
        )
    extra = _("Give each a number: 1 for the most important, %(n)s for the least.", n=len(values))
    return {
        "kind": "ranking",
        "legend": view.legend(q),
        "hint": view.hint(q, extra),
        "id": name,
        "selects": selects,
        "error": view.error(name),
    }


def grid(view: PageView, q: surveys.Question, name: str) -> dict[str, Any]:
    """One fieldset of small radios per statement, the same scale in each."""
    statements = []
    for statement in q.statements:
        field = surveys.field_name(q.id, statement.id)
        chosen = view.one(field)
        items = [
            {"value": o.id, "text": view.text(o.text), "checked": o.id == chosen} for o in q.options
        ]
        statements.append(
            {
                "name": field,
                "idPrefix": field,
                "items": items,
                "classes": "govuk-radios--small",
                "fieldset": {
                    "legend": {
                        "text": view.text(statement.text),
                        "classes": "govuk-fieldset__legend--s",
                    }
                },
                "errorMessage": view.error(field),
            }
        )
    return {
        "kind": "grid",
        "title": view.text(q.title),
        "single": view.single,
        "hint": view.text(q.hint),
        "id": name,
        "statements": statements,
    }
