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
from markupsafe import Markup

import surveys
from engage.templating import character_count
from surveys import types as qt
from surveys.builtins import builtin_text
from surveys.numerals import ascii_digits, localise_digits

Values = Mapping[str, Sequence[str]]


def _names_end(label: str, end: str) -> bool:
    """Whether a rating label already starts with the number of its end ("10 means ...")."""
    words = ascii_digits(label.strip()).split(maxsplit=1)
    return bool(words) and words[0].rstrip(".,:;") == end


def answer_value(text: str) -> dict[str, Any]:
    """A summary-list value: an answer of several lines (each statement of a grid, each rank,
    each choice) is a list of one line each, never one run-together paragraph."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 2:
        return {"text": text}
    items = Markup("").join(Markup("<li>{}</li>").format(line) for line in lines)
    return {"html": Markup('<ul class="govuk-list">{}</ul>').format(items)}


def answer_text(definition: surveys.Survey, question: surveys.Question,
                answers: Mapping[str, object], language: str) -> str:
    """A question's answer for check your answers, with what was written in the box under the
    chosen option ("Any other Asian background: Nepali")."""
    chosen = answers.get(question.id)
    if question.type == surveys.types.MULTIPLE_CHOICE and isinstance(chosen, list) and chosen:
        return "\n".join(_with_write_in(definition, question, answers, option,
                                         surveys.display_answer(definition, question.id,
                                                                [option], language))
                         for option in chosen)
    text = surveys.display_answer(definition, question.id, chosen, language)
    return _with_write_in(definition, question, answers, chosen, text)


def _with_write_in(definition: surveys.Survey, question: surveys.Question,
                   answers: Mapping[str, object], option: object, text: str) -> str:
    """An option's text followed by what was written in its box, if anything."""
    for other in definition.questions:
        written = answers.get(other.id)
        if other.write_in_for == (question.id, option) and isinstance(written, str) \
                and written.strip():
            return f"{text}: {written.strip()}"
    return text


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
        shown = [survey.question(q) for q in question_ids]
        # A write-in box is shown under its option, inside its choice question.
        self.write_ins = {q.write_in_for: q for q in shown if q.write_in_for is not None}
        questions = [q for q in shown if q.write_in_for is None]
        # Embedded: one of many pages on a staff form (paper keying), so never the page heading.
        self.single = len(questions) == 1 and not embedded
        self.heading = self._t(self.page.title) if (self.page.title and not self.single) else ""
        self.questions = [self._question(q) for q in questions]
        # The page's <title>: its heading, or its one question.
        self.title = self.heading or (self._t(questions[0].title) if questions else "")

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

    def _scale(self, q: surveys.Question) -> str:
        """The hint for a 0 to 10 rating: what each end means, each end said once.

        A label is what the end means ("not at all satisfied"); one that already names its
        end ("0 means not at all satisfied", in either language's digits) is used as it is.
        """
        low, high = self._t(q.min_label), self._t(q.max_label)
        if not (low and high):
            return ""
        low_end = low if _names_end(low, "0") else _("0 means %(label)s", label=low)
        high_end = high if _names_end(high, "10") else _("10 means %(label)s", label=high)
        return _("%(low)s and %(high)s.", low=low_end, high=high_end)

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
            write_in = self.write_ins.get((q.id, option.id))
            if write_in is not None:
                item["write_in"] = self._write_in(write_in)
            items.append(item)
        return items

    def _write_in(self, box: surveys.Question) -> dict[str, Any]:
        """The text box an "Other" option reveals (GOV.UK conditional reveal: the template puts
        it in the option's `conditional`; shown without JavaScript, revealed with it)."""
        field = surveys.field_name(box.id)
        return {"name": field, "id": field, "value": self._one(field),
                "label": {"text": self._t(box.title)}, "errorMessage": self._error(field),
                "classes": "govuk-!-width-full", "spellcheck": True,
                "attributes": {"maxlength": str(box.max_length or 200)}}

    def _grouped(self, q: surveys.Question, name: str) -> dict[str, Any]:
        """A choice whose options come in groups (the Census ethnic groups): one fieldset, a
        heading and a set of radios per group, and a write-in box under each option that has
        one (always shown, so it works without JavaScript and with no aria-expanded on radios).
        """
        chosen = self._one(name)
        groups: list[dict[str, Any]] = []
        for option in q.options:
            heading = self._t(option.group) if option.group is not None else ""
            if not groups or groups[-1]["heading"] != heading:
                # The first radio keeps the id the error summary links to.
                prefix = name if not groups else f"{name}-group-{len(groups) + 1}"
                groups.append({"heading": heading, "write_ins": [], "radios": {
                    "name": name, "idPrefix": prefix, "items": [],
                    "formGroup": {"classes": "govuk-!-margin-bottom-4"}}})
            item: dict[str, Any] = {"value": option.id, "text": self._t(option.text),
                                    "checked": option.id == chosen}
            if option.hint:
                item["hint"] = {"text": self._t(option.hint)}
            groups[-1]["radios"]["items"].append(item)
            write_in = self.write_ins.get((q.id, option.id))
            if write_in is not None:
                field = surveys.field_name(write_in.id)
                groups[-1]["write_ins"].append({
                    "name": field, "id": field, "value": self._one(field),
                    "label": {"text": self._t(write_in.title)},
                    "errorMessage": self._error(field),
                    "formGroup": {"classes": "govuk-radios__conditional"},
                    "attributes": {"maxlength": str(write_in.max_length or 100)}})
        hint = self._hint(q)
        return {"kind": "grouped", "id": name, "legend": self._legend(q),
                "hint": dict(hint, id=f"{name}-hint") if hint else None,
                "error": self._error(name), "groups": groups}

    def _address(self, q: surveys.Question, name: str) -> dict[str, Any]:
        """GOV.UK's address pattern: line 1, line 2, town, county and postcode in a fieldset."""
        parts = [("line1", _("Address line 1"), "address-line1", ""),
                 ("line2", _("Address line 2 (optional)"), "address-line2", ""),
                 ("town", _("Town or city"), "address-level2", "govuk-!-width-two-thirds"),
                 ("county", _("County (optional)"), "", "govuk-!-width-two-thirds"),
                 ("postcode", _("Postcode"), "postal-code", "govuk-input--width-10")]
        inputs = []
        for part, label, autocomplete, classes in parts:
            field = surveys.field_name(q.id, part)
            params: dict[str, Any] = {
                "name": field, "id": field, "label": {"text": label},
                "value": self._one(field), "errorMessage": self._error(field),
                "classes": classes, "attributes": {"maxlength": "100"}}
            if autocomplete:
                params["autocomplete"] = autocomplete
            if part == "postcode":
                params["spellcheck"] = False
            inputs.append(params)
        return {"kind": "address", "id": name, "legend": self._legend(q), "hint": self._hint(q),
                "inputs": inputs}

    def _question(self, q: surveys.Question) -> dict[str, Any]:
        name = surveys.field_name(q.id)
        kind = q.type
        if kind == qt.SINGLE_CHOICE and any(o.group is not None for o in q.options):
            return self._grouped(q, name)
        if kind in (qt.SINGLE_CHOICE, qt.AGREEMENT):
            return {"kind": "radios", "params": {
                "name": name, "idPrefix": name, "items": self._choices(q, name, False),
                "fieldset": {"legend": self._legend(q)}, "hint": self._hint(q),
                "errorMessage": self._error(name)}}
        if kind == qt.RATING:
            scale = self._scale(q)
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
        if kind == qt.EMAIL:
            return {"kind": "input", "params": {
                "name": name, "id": name, "label": self._label(q), "hint": self._hint(q),
                "value": self._one(name), "type": "email", "autocomplete": "email",
                "spellcheck": False, "errorMessage": self._error(name),
                "attributes": {"maxlength": "254"}}}
        if kind == qt.UK_ADDRESS:
            return self._address(q, name)
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
            example = surveys.date_example(q)
            items = [{"name": part, "label": label,
                      "value": self._one(surveys.field_name(q.id, part)),
                      "classes": cls + (" govuk-input--error" if error else ""),
                      "inputmode": "numeric"} for part, label, cls in parts]
            return {"kind": "date", "params": {
                "id": name, "namePrefix": name, "items": items,
                "fieldset": {"legend": self._legend(q)},
                "hint": self._hint(q, _("For example, %(day)s %(month)s %(year)s", day=example.day,
                                         month=example.month, year=example.year)),
                "errorMessage": error}}
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
