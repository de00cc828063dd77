"""The adapter that turns a survey page into GOV.UK component parameters.

Validation is the survey engine's (surveys.validate_page); this module only decides how each
question type is shown: radios, checkboxes, inputs, a date input, a character count, one select
per option for rankings and one fieldset per statement for grids, so every type works on a
320 px phone and without JavaScript.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext as _

import surveys
from engage.templating import character_count
from surveys import types as qt
from surveys.builtins import builtin_text
from surveys.numerals import localise_digits

Values = Mapping[str, Sequence[str]]


class PageView:
    """What the page template needs: heading, and one entry per question."""

    def __init__(self, survey: surveys.Survey, page_id: str, question_ids: Sequence[str],
                 values: Values, errors: Mapping[str, str], language: str,
                 embedded: bool = False) -> None:
        self.survey = survey
        self.page = survey.page(page_id)
        self.language = language
        self.values = values
        self.errors = errors
        self.question_ids = tuple(question_ids)
        self.text_share = surveys.page_text_share(self.page.questions)
        questions = [survey.question(q) for q in question_ids]
        # Embedded: one of many pages on a staff form (paper keying), so never the page heading.
        self.single = len(questions) == 1 and not embedded
        self.heading = self._t(self.page.title) if (self.page.title and not self.single) else ""
        self.questions = [self._question(q) for q in questions]

    def _t(self, text: surveys.Text | None) -> str:
        return surveys.localise(text, self.language, self.survey.language) if text else ""

    def _digits(self, number: object) -> str:
        return localise_digits(str(number), self.language)

    def _one(self, name: str) -> str:
        found = self.values.get(name) or []
        return str(found[0]) if found else ""

    def _error(self, *names: str) -> dict[str, str] | None:
        for name in names:
            if name in self.errors:
                return {"text": self.errors[name]}
        return None

    def _legend(self, q: surveys.Question) -> dict[str, Any]:
        if self.single:
            return {"text": self._t(q.title), "isPageHeading": True,
                    "classes": "govuk-fieldset__legend--l"}
        return {"text": self._t(q.title), "classes": "govuk-fieldset__legend--m"}

    def _label(self, q: surveys.Question) -> dict[str, Any]:
        if self.single:
            return {"text": self._t(q.title), "isPageHeading": True, "classes": "govuk-label--l"}
        return {"text": self._t(q.title), "classes": "govuk-label--m"}

    def _hint(self, q: surveys.Question, extra: str = "") -> dict[str, str] | None:
        text = " ".join(part for part in (self._t(q.hint), extra) if part)
        return {"text": text} if text else None

    def _choices(self, q: surveys.Question, name: str, multiple: bool) -> list[dict[str, Any]]:
        chosen = set(self.values.get(name) or [])
        items: list[dict[str, Any]] = []
        group = None
        for option in q.options:
            if option.group is not None and self._t(option.group) != group:
                group = self._t(option.group)
                items.append({"divider": group})
            if option.exclusive and multiple:
                items.append({"divider": _("or")})
            item: dict[str, Any] = {"value": option.id, "text": self._t(option.text),
                                    "checked": option.id in chosen}
            if option.hint:
                item["hint"] = {"text": self._t(option.hint)}
            if option.exclusive and multiple:
                item["behaviour"] = "exclusive"
            items.append(item)
        return items

    def _question(self, q: surveys.Question) -> dict[str, Any]:
        name = surveys.field_name(q.id)
        kind = q.type
        if kind in (qt.SINGLE_CHOICE, qt.AGREEMENT):
            return {"kind": "radios", "params": {
                "name": name, "idPrefix": name, "items": self._choices(q, name, False),
                "fieldset": {"legend": self._legend(q)}, "hint": self._hint(q),
                "errorMessage": self._error(name)}}
        if kind == qt.RATING:
            low, high = self._t(q.min_label), self._t(q.max_label)
            scale = _("0 means %(low)s and 10 means %(high)s.", low=low, high=high) \
                if low and high else ""
            value = self._one(name)
            items = [{"value": str(i), "text": self._digits(i), "checked": value == str(i)}
                     for i in range(11)]
            return {"kind": "radios", "params": {
                "name": name, "idPrefix": name, "items": items, "classes": "govuk-radios--inline",
                "fieldset": {"legend": self._legend(q)}, "hint": self._hint(q, scale),
                "errorMessage": self._error(name)}}
        if kind == qt.MULTIPLE_CHOICE:
            extra = _("Select all that apply.")
            return {"kind": "checkboxes", "params": {
                "name": name, "idPrefix": name, "items": self._choices(q, name, True),
                "fieldset": {"legend": self._legend(q)}, "hint": self._hint(q, extra),
                "errorMessage": self._error(name)}}
        if kind == qt.NUMBER:
            suffix = self._t(q.suffix)
            return {"kind": "input", "params": {
                "name": name, "id": name, "label": self._label(q), "hint": self._hint(q),
                "value": self._one(name), "inputmode": "decimal" if q.decimal else "numeric",
                "spellcheck": False, "classes": "govuk-input--width-5",
                "suffix": {"text": suffix} if suffix else None,
                "errorMessage": self._error(name)}}
        if kind == qt.SHORT_TEXT:
            return {"kind": "input", "params": {
                "name": name, "id": name, "label": self._label(q), "hint": self._hint(q),
                "value": self._one(name), "errorMessage": self._error(name),
                "attributes": {"maxlength": str(q.max_length or 200)}}}
        if kind == qt.LONG_TEXT:
            params: dict[str, Any] = {
                "name": name, "id": name, "label": self._label(q), "hint": self._hint(q),
                "value": self._one(name), "errorMessage": self._error(name), "rows": 6}
            if q.max_words:
                params.update(character_count(q.max_words, words=True))
            else:
                params.update(character_count(q.max_length or 5000, words=False))
            # The count shows the question's limit (going over it is a message that keeps the
            # text); the browser stops at the page's share of the body cap, so what is typed
            # is never lost to a 413 (surveys.page_text_share).
            params["attributes"] = {"maxlength": str(self.text_share)}
            return {"kind": "character_count", "params": params}
        if kind == qt.DATE:
            parts = [("day", _("Day"), "govuk-input--width-2"),
                     ("month", _("Month"), "govuk-input--width-2"),
                     ("year", _("Year"), "govuk-input--width-4")]
            error = self._error(*(surveys.field_name(q.id, p) for p, _l, _c in parts))
            items = [{"name": part, "label": label,
                      "value": self._one(surveys.field_name(q.id, part)),
                      "classes": cls + (" govuk-input--error" if error else ""),
                      "inputmode": "numeric"} for part, label, cls in parts]
            return {"kind": "date", "params": {
                "id": name, "namePrefix": name, "items": items,
                "fieldset": {"legend": self._legend(q)},
                "hint": self._hint(q, _("For example, 27 3 2007")), "errorMessage": error}}
        if kind == qt.RANKING:
            values = surveys.rank_values(q)
            selects = []
            for option in q.options:
                field = surveys.field_name(q.id, option.id)
                current = self._one(field)
                items = [{"value": "", "text": _("Not ranked"), "selected": current == ""}]
                items += [{"value": v, "text": self._digits(v), "selected": current == v}
                          for v in values]
                selects.append({"name": field, "id": field, "items": items,
                                "label": {"text": self._t(option.text)},
                                "errorMessage": self._error(field)})
            extra = _("Give each a number: 1 for the most important, %(n)s for the least.",
                      n=len(values))
            return {"kind": "ranking", "legend": self._legend(q), "hint": self._hint(q, extra),
                    "id": name, "selects": selects, "error": self._error(name)}
        if kind == qt.GRID:
            statements = []
            for statement in q.statements:
                field = surveys.field_name(q.id, statement.id)
                chosen = self._one(field)
                items = [{"value": o.id, "text": self._t(o.text), "checked": o.id == chosen}
                         for o in q.options]
                statements.append({
                    "name": field, "idPrefix": field, "items": items,
                    "classes": "govuk-radios--small",
                    "fieldset": {"legend": {"text": self._t(statement.text),
                                            "classes": "govuk-fieldset__legend--s"}},
                    "errorMessage": self._error(field)})
            return {"kind": "grid", "title": self._t(q.title), "single": self.single,
                    "hint": self._t(q.hint), "id": name, "statements": statements}
        if kind == qt.WARD_POSTCODE:
            postcode_field = surveys.field_name(q.id, "postcode")
            chosen = self._one(name)
            items = [{"value": o.id, "text": self._t(o.text), "checked": o.id == chosen}
                     for o in q.options]
            return {"kind": "ward", "params": {
                "name": name, "idPrefix": name, "items": items,
                "fieldset": {"legend": self._legend(q)}, "hint": self._hint(q),
                "errorMessage": self._error(name)},
                "postcode_choice": {"value": surveys.POSTCODE_CHOICE,
                                    "text": self._t(builtin_text("postcode-choice")),
                                    "checked": chosen == surveys.POSTCODE_CHOICE},
                "postcode": {"name": postcode_field, "id": postcode_field,
                             "label": {"text": self._t(builtin_text("postcode-label"))},
                             "hint": {"text": self._t(builtin_text("postcode-choice"))},
                             "value": self._one(postcode_field), "autocomplete": "postal-code",
                             "classes": "govuk-input--width-10", "spellcheck": False,
                             "errorMessage": self._error(postcode_field)}}
        raise ValueError(f"no widget for question type {kind!r}")  # pragma: no cover
