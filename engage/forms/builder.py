"""Survey builder forms: sections, questions with their growing rows (options, statements)
and pages. Skip and routing rules are in engage.forms.builder_conditions, the engine's problems
with a draft in words in engage.forms.builder_problems.

Each form is a WTForms class made for the draft's languages (a text box per language is
``<prefix>-<language>``); option and statement rows are a FieldList of ``<kind>-<i>-...`` rows.
Messages live in engage.forms.messages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from wtforms import FieldList, FormField, StringField
from wtforms.validators import AnyOf, DataRequired, ValidationError

from engage.forms import Form, RowForm
from engage.forms.messages import (
    DATE_FORMAT,
    ENTER_QUESTION_TEXT,
    ENTER_TITLE,
    MIN_BELOW_MAX,
    NUMBER_FORMAT,
    OPTION_TEXT,
    SELECT_TYPE,
    STATEMENT_TEXT,
    WHOLE_NUMBER,
)
from surveys import editing
from surveys import types as t

BLANK_ROWS = 3
MAX_ROWS = 200
MAX_LENGTH_TEXT = 5000
_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def cut(value: object) -> object:
    """A per-language text as stored: cut to the longest text allowed (after `strip`)."""
    return value[:MAX_LENGTH_TEXT] if isinstance(value, str) else value


def add_texts(form_class: type, prefix: str, langs: Sequence[str], required: Any = None) -> None:
    """A text box per language (``<prefix>-<language>``); the first one (the main language)
    must be filled in when `required` is its message."""
    for i, lang in enumerate(langs):
        first = [DataRequired(message=required)] if required is not None and i == 0 else []
        setattr(form_class, f"{prefix}-{lang}", StringField(filters=[cut], validators=first))


class TextsForm(Form):
    """A form with a text box per language for some of its texts."""

    def texts(self, prefix: str, langs: Sequence[str]) -> dict[str, str]:
        """The text typed for each language as ``<prefix>-<language>``."""
        return {lang: self[f"{prefix}-{lang}"].data or "" for lang in langs}


def whole(raw: str | None, low: int = 1, high: int = 100000) -> int | None:
    """A whole number from `low` to `high` as typed (None if blank or not one)."""
    raw = (raw or "").strip()
    return int(raw) if re.fullmatch(r"\d+", raw) and low <= int(raw) <= high else None


class WholeNumber:
    """Validator: blank, or a whole number from ``low`` to ``high``."""

    def __init__(self, low: int = 1, high: int = 100000) -> None:
        self.low, self.high = low, high

    def __call__(self, form: Any, field: Any) -> None:
        if (field.data or "").strip() and whole(field.data, self.low, self.high) is None:
            raise ValidationError(WHOLE_NUMBER)


def number_value(raw: str | None) -> int | float | None:
    raw = (raw or "").strip()
    try:
        value = float(raw)
    except ValueError:
        return None
    return int(value) if value.is_integer() and "." not in raw else value


def iso_date(raw: str | None) -> str | None:
    raw = (raw or "").strip()
    try:
        date.fromisoformat(raw)
    except ValueError:
        return None
    return raw


class _Limit:
    """Validator of a question's lowest or highest value: blank, or a number (a date in the
    format 2027-03-31); the lowest one also below the highest."""

    def __init__(self, read: Any, message: Any, below: str = "") -> None:
        self.read, self.message, self.below = read, message, below

    def __call__(self, form: Any, field: Any) -> None:
        if not field.data:
            return
        low = self.read(field.data)
        if low is None:
            raise ValidationError(self.message)
        high = self.read(form[self.below].data) if self.below and form[self.below].data else None
        if high is not None and low >= high:
            raise ValidationError(MIN_BELOW_MAX)


def section_form(langs: Sequence[str]) -> TextsForm:
    """A section's title (the main language's required) and description."""

    class SectionForm(TextsForm):
        pass

    add_texts(SectionForm, "title", langs, required=ENTER_TITLE)
    add_texts(SectionForm, "description", langs)
    return SectionForm()


def page_form(langs: Sequence[str]) -> TextsForm:
    """A page's heading (optional)."""

    class PageForm(TextsForm):
        pass

    add_texts(PageForm, "title", langs)
    return PageForm()


def new_question_form(langs: Sequence[str]) -> TextsForm:
    """A new question: its type and its text (the details come after)."""

    class NewQuestionForm(TextsForm):
        type = StringField(validators=[AnyOf(list(t.QUESTION_TYPES), message=SELECT_TYPE)])

    add_texts(NewQuestionForm, "title", langs, required=ENTER_QUESTION_TEXT)
    return NewQuestionForm()


class _RowText:
    """Validator of a row's text in the main language: needed when the row has a text in
    another language or is one the question has (unless the row is being removed)."""

    def __init__(self, langs: Sequence[str], message: Any) -> None:
        self.langs, self.message = tuple(langs), message

    def __call__(self, form: Any, field: Any) -> None:
        if form.remove.data or field.data:
            return
        if any(form[lang].data for lang in self.langs) or _ID.fullmatch(form.id.data or ""):
            raise ValidationError(self.message)


def _row_form(langs: Sequence[str], message: Any) -> type[RowForm]:
    """An option or statement row: its id (blank: new), its text per language, and boxes to
    remove it and, for options, to make it the only answer or an "Other" with a box."""

    class Row(RowForm):
        id = StringField()
        remove = StringField()
        exclusive = StringField()
        other = StringField()

    for i, lang in enumerate(langs):
        setattr(Row, lang, StringField(
            filters=[cut], validators=[_RowText(langs, message)] if i == 0 else []))
    return Row


def _rows_field(langs: Sequence[str], message: Any) -> FieldList:
    return FieldList(FormField(_row_form(langs, message)), max_entries=MAX_ROWS)


class QuestionForm(TextsForm):
    """A question's texts, whether it must be answered, its rows and limits (the fields of
    its type: see `question_form`). ``action`` is the button: save, or move or add a row."""

    required = StringField()
    action = StringField()
    scale = StringField()

    def validate_decimal_places(self, field: Any) -> None:
        """Decimal places, when decimals are allowed: blank or a whole number from 1 to 6."""
        if self["decimal"].data:
            WholeNumber(1, 6)(self, field)

    def edited(self, question: Mapping[str, Any], langs: Sequence[str]) -> dict[str, Any]:
        """The question as edited (the id and type never change here); a limit typed wrong
        is left out."""
        qtype = str(question["type"])
        out: dict[str, Any] = {"id": question["id"], "type": qtype}
        for key in ("when", "wards"):
            if key in question:
                out[key] = question[key]
        for prefix in ("title", "hint", "name"):
            editing.set_text(out, prefix, self.texts(prefix, langs))
        if self.required.data == "no":
            out["required"] = False
        action = self.action.data or ""
        if "option" in self:
            options = _rows(self["option"], "option", langs, question.get("options") or [],
                            exclusive=qtype == t.MULTIPLE_CHOICE,
                            other=qtype in (t.SINGLE_CHOICE, t.MULTIPLE_CHOICE))
            _move_row(options, action, "option")
            out["options"] = options
        if qtype == t.GRID:
            statements = _rows(self["statement"], "statement", langs,
                               question.get("statements") or [])
            _move_row(statements, action, "statement")
            out["statements"] = statements
            if self.scale.data != "options":
                out["scale"] = "agreement"
        if "dont_know" in self and self["dont_know"].data:
            out["dont_know"] = True
        for name, low, high in _WHOLE_LIMITS.get(qtype, ()):
            _put(out, name, whole(self[name].data, low, high))
        if qtype == t.RATING:
            editing.set_text(out, "min_label", self.texts("min_label", langs))
            editing.set_text(out, "max_label", self.texts("max_label", langs))
        if qtype in (t.NUMBER, t.DATE):
            read = number_value if qtype == t.NUMBER else iso_date
            _put(out, "min", read(self["min"].data))
            _put(out, "max", read(self["max"].data))
        if qtype == t.NUMBER:
            if self["decimal"].data:
                out["decimal"] = True
                _put(out, "decimal_places", whole(self["decimal_places"].data, 1, 6))
            editing.set_text(out, "suffix", self.texts("suffix", langs))
        return out


# The whole-number limits of each type: (field, lowest, highest), in the order they are asked.
_WHOLE_LIMITS: dict[str, tuple[tuple[str, int, int], ...]] = {
    t.MULTIPLE_CHOICE: (("max_choices", 1, 100000),),
    t.RANKING: (("top", 1, 100000),),
    t.SHORT_TEXT: (("max_length", 1, 500),),
    t.LONG_TEXT: (("max_words", 1, 2000), ("max_length", 1, 20000)),
}


def question_form(question: Mapping[str, Any], langs: Sequence[str]) -> QuestionForm:
    """The form of a question of the draft, with the fields of its type."""
    qtype = str(question["type"])

    class EditForm(QuestionForm):
        pass

    add_texts(EditForm, "title", langs, required=ENTER_QUESTION_TEXT)
    add_texts(EditForm, "hint", langs)
    add_texts(EditForm, "name", langs)
    if qtype in (t.SINGLE_CHOICE, t.MULTIPLE_CHOICE, t.RANKING, t.GRID):
        EditForm.option = _rows_field(langs, OPTION_TEXT)
    if qtype == t.GRID:
        EditForm.statement = _rows_field(langs, STATEMENT_TEXT)
    if qtype in (t.AGREEMENT, t.GRID):
        EditForm.dont_know = StringField()
    if qtype == t.RATING:
        add_texts(EditForm, "min_label", langs)
        add_texts(EditForm, "max_label", langs)
    for name, low, high in _WHOLE_LIMITS.get(qtype, ()):
        setattr(EditForm, name, StringField(validators=[WholeNumber(low, high)]))
    if qtype in (t.NUMBER, t.DATE):
        read, message = ((number_value, NUMBER_FORMAT) if qtype == t.NUMBER
                         else (iso_date, DATE_FORMAT))
        EditForm.min = StringField(validators=[_Limit(read, message, below="max")])
        EditForm.max = StringField(validators=[_Limit(read, message)])
    if qtype == t.NUMBER:
        EditForm.decimal = StringField()
        EditForm.decimal_places = StringField()
        add_texts(EditForm, "suffix", langs)
    form = EditForm()
    if qtype == t.GRID and form.scale.data != "options":
        del form["option"]  # a grid on the agreement scale has no options of its own
    return form


def _rows(rows: FieldList, kind: str, langs: Sequence[str], existing: Sequence[Any],
          exclusive: bool = False, other: bool = False) -> list[dict[str, Any]]:
    """Option or statement rows as posted, less those removed and new ones left blank."""
    found: list[dict[str, Any]] = []
    known = {str(item.get("id")): item for item in existing if isinstance(item, Mapping)}
    taken = set(known)
    main = langs[0]
    for entry in rows:
        row = entry.form
        if row.remove.data:
            continue
        text = {lang: row[lang].data or "" for lang in langs}
        posted_id = row.id.data or ""
        item_id = posted_id if _ID.fullmatch(posted_id) else None
        if item_id is None:
            if not any(text.values()):
                continue
            item_id = editing.unique_id(editing.slugify(text.get(main) or "", kind), taken)
        taken.add(item_id)
        item: dict[str, Any] = {"id": item_id, "text": {k: v for k, v in text.items() if v}}
        if item_id in known and known[item_id].get("hint"):
            item["hint"] = known[item_id]["hint"]
        if exclusive and row.exclusive.data:
            item["exclusive"] = True
        if other and row.other.data:
            item["other"] = True
        found.append(item)
    return found


def _move_row(rows: list[dict[str, Any]], action: str, kind: str) -> None:
    match = re.fullmatch(rf"{kind}-(up|down)-(\d+)", action)
    if not match:
        return
    i = int(match.group(2))
    j = i - 1 if match.group(1) == "up" else i + 1
    if 0 <= i < len(rows) and 0 <= j < len(rows):
        rows[i], rows[j] = rows[j], rows[i]


def _put(item: dict[str, Any], key: str, value: object) -> None:
    if value is not None:
        item[key] = value
