"""Survey builder forms: sections, questions with their growing rows (options, statements),
pages, and skip and routing rules; and the engine's problems with a draft in words.

Each form is a WTForms class made for the draft's languages (a text box per language is
``<prefix>-<language>``); option and statement rows are a FieldList of ``<kind>-<i>-...`` rows.
Messages live in engage.forms.messages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, ClassVar

from wtforms import FieldList, FormField, StringField
from wtforms.validators import AnyOf, DataRequired, ValidationError

from engage.forms import Form, RowForm, fill
from engage.forms.messages import (
    ADD_CONDITION,
    DATE_FORMAT,
    ENTER_PRIVACY,
    ENTER_QUESTION_TEXT,
    ENTER_TITLE,
    ENTER_VALUE,
    LANGUAGE_NAMES,
    MIN_BELOW_MAX,
    NUMBER_FORMAT,
    OPERATOR_NOT_FOR_TYPE,
    OPTION_TEXT,
    PROBLEM_ADD_OPTIONS,
    PROBLEM_ADD_STATEMENT,
    PROBLEM_DUPLICATE_ID,
    PROBLEM_EMPTY_SECTION,
    PROBLEM_MISSING_TEXT,
    PROBLEM_MISSING_TRANSLATION,
    PROBLEM_OTHER,
    PROBLEM_OTHER_OPTION,
    PROBLEM_PAGE_TITLE,
    PROBLEM_PERSONAL_QUESTION,
    PROBLEM_RANGE,
    PROBLEM_RULE,
    PROBLEM_TOO_MANY_QUESTIONS,
    SELECT_LAWFUL_BASIS,
    SELECT_OPERATOR,
    SELECT_QUESTION,
    SELECT_TARGET,
    SELECT_TYPE,
    STATEMENT_TEXT,
    VALUE_NUMBER,
    VALUE_OPTION,
    WHOLE_NUMBER,
)
from surveys import editing, editing_rules, editing_text
from surveys import types as t

BLANK_ROWS = 3
CONDITION_ROWS = 3
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


def _number(raw: str | None) -> int | float | None:
    raw = (raw or "").strip()
    try:
        value = float(raw)
    except ValueError:
        return None
    return int(value) if value.is_integer() and "." not in raw else value


def _iso_date(raw: str | None) -> str | None:
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
            read = _number if qtype == t.NUMBER else _iso_date
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
        read, message = (_number, NUMBER_FORMAT) if qtype == t.NUMBER else (_iso_date, DATE_FORMAT)
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


def value_choices(question: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(value, label text) a condition on this question can compare with, from its options."""
    from surveys.builtins import agreement_options, default_wards

    qtype = question.get("type")
    if qtype == t.AGREEMENT:
        return [(o.id, o.text) for o in agreement_options(bool(question.get("dont_know")))]
    if qtype == t.WARD_POSTCODE:
        return [(o.id, o.text) for o in default_wards()]
    if qtype in (t.SINGLE_CHOICE, t.MULTIPLE_CHOICE, t.RANKING):
        return [(str(o.get("id")), o.get("text") or {}) for o in question.get("options") or []
                if isinstance(o, Mapping)]
    if qtype == t.RATING:
        return [(str(i), {"en": str(i)}) for i in range(11)]
    return []


class ConditionForm(Form):
    """A condition from rows of dropdowns (``cond-<i>-question``, ``-operator``, ``-value``,
    or ``-text`` typed), combined with and or or; for a routing rule, where to go
    (``go_to``). ``action`` is the button (remove the skip rule). See `condition_form`."""

    combine = StringField()
    action = StringField()
    candidates: ClassVar[dict[str, Mapping[str, Any]]] = {}

    def validate(self, extra_validators: Any = None) -> bool:
        """Each row's question, comparison and value must fit; at least one row."""
        valid: bool = super().validate(extra_validators)
        rows = self.rows()
        for i, row in enumerate(self._posted()):
            if row is None:
                continue
            problem = self._row_problem(row)
            if problem is not None:
                self[f"cond-{i}-{problem[0]}"].errors.append(problem[1])
                valid = False
        if not rows:
            self["cond-0-question"].errors.append(ADD_CONDITION)
            valid = False
        return valid

    def _posted(self) -> list[editing_rules.ConditionRow | None]:
        """Each row as posted (None if left blank); a value typed wins over one selected."""
        found: list[editing_rules.ConditionRow | None] = []
        for i in range(CONDITION_ROWS):
            question_id = self[f"cond-{i}-question"].data or ""
            operator = self[f"cond-{i}-operator"].data or ""
            value = self[f"cond-{i}-text"].data or self[f"cond-{i}-value"].data or ""
            blank = not question_id and not operator and not value
            found.append(None if blank else
                         editing_rules.ConditionRow(question_id, operator, value))
        return found

    def rows(self) -> list[editing_rules.ConditionRow]:
        """The rows filled in."""
        return [row for row in self._posted() if row is not None]

    def _row_problem(self, row: editing_rules.ConditionRow) -> tuple[str, Any] | None:
        question = self.candidates.get(row.question)
        if question is None:
            return "question", SELECT_QUESTION
        qtype = str(question.get("type"))
        if row.operator not in editing_rules.CONDITION_OPERATORS.get(qtype, ()):
            return "operator", SELECT_OPERATOR if not row.operator else OPERATOR_NOT_FOR_TYPE
        if row.operator == t.ANSWERED:
            return None
        if not row.value:
            return "value", ENTER_VALUE
        choices = [v for v, _label in value_choices(question)]
        if qtype in t.NUMERIC_TYPES:
            return None if _number(row.value) is not None else ("text", VALUE_NUMBER)
        if choices and row.value not in choices:
            return "value", VALUE_OPTION
        if qtype == t.DATE and _iso_date(row.value) is None:
            return "text", DATE_FORMAT
        return None

    def combined(self) -> str:
        """How the rows combine: and (the default) or or."""
        chosen = self.combine.data or ""
        return chosen if chosen in (t.AND, t.OR) else t.AND

    def condition(self) -> dict[str, Any]:
        """The condition built from a valid form."""
        types = {qid: str(q.get("type")) for qid, q in self.candidates.items()}
        return editing_rules.build_condition(self.rows(), self.combined(), types)


def condition_form(candidates: Sequence[Mapping[str, Any]],
                   targets: Sequence[tuple[str, str]] | None = None) -> ConditionForm:
    """The form of a skip rule on the `candidates` questions; of a routing rule when the
    `targets` ((kind, id) of later pages and sections) are given."""

    class RuleForm(ConditionForm):
        pass

    RuleForm.candidates = {str(q.get("id")): q for q in candidates}
    for i in range(CONDITION_ROWS):
        for part in ("question", "operator", "value", "text"):
            setattr(RuleForm, f"cond-{i}-{part}", StringField())
    if targets is not None:
        keys = ["end", *(f"{kind}:{item_id}" for kind, item_id in targets)]
        RuleForm.go_to = StringField(validators=[AnyOf(keys, message=SELECT_TARGET)])
    return RuleForm()


def go_to(target: str) -> dict[str, Any]:
    """Where a routing rule goes, from a valid ``go_to`` (``end`` or ``<kind>:<id>``)."""
    if target == "end":
        return {"end": True}
    kind, _sep, item_id = target.partition(":")
    return {kind: item_id}


RULE_KINDS = frozenset({"unknown-target", "backward-target", "unknown-question",
                        "forward-reference", "operator-not-allowed", "operand-type",
                        "unknown-option", "unknown-statement"})
# The engine's problems said the same way whatever the path: kind -> message.
_PROBLEMS = {
    "missing-text": PROBLEM_MISSING_TEXT,
    "too-many-questions": PROBLEM_TOO_MANY_QUESTIONS,
    "page-title-needed": PROBLEM_PAGE_TITLE,
    "invalid-range": PROBLEM_RANGE,
    "duplicate-id": PROBLEM_DUPLICATE_ID,
    "duplicate-field": PROBLEM_DUPLICATE_ID,
    "personal-question": PROBLEM_PERSONAL_QUESTION,
    "other-option": PROBLEM_OTHER_OPTION,
}
# Schema problems of a list that is too short, by the end of the path.
_TOO_SHORT = {".options": PROBLEM_ADD_OPTIONS, ".statements": PROBLEM_ADD_STATEMENT,
              ".pages": PROBLEM_EMPTY_SECTION}


def item_label(definition: Mapping[str, Any], kind: str, item_id: str) -> str:
    """How to name a section, page or question to its builder: its title, else its id."""
    main = str(definition.get("language", "en"))
    try:
        item: Mapping[str, Any] = definition if kind == "survey" else editing.get(
            definition, kind, item_id)
    except editing.DefinitionEditError:
        return item_id
    if kind == "page" and not item.get("title") and editing.questions(item):
        item = editing.questions(item)[0]
    title = item.get("title")
    if isinstance(title, Mapping) and title.get(main):
        return str(title[main])
    return item_id


def problem_message(definition: Mapping[str, Any], problem: Any) -> str:
    """A problem found by the engine, in words for the person building the survey."""
    if problem.kind == "settings":
        return str(SELECT_LAWFUL_BASIS if problem.path.endswith("lawful_basis")
                   else ENTER_PRIVACY)
    kind, item_id = editing_text.locate(definition, problem.path)
    item = item_label(definition, kind, item_id)
    detail = str(problem.message)
    path = str(problem.path)
    if problem.kind == "schema" and ("too short" in detail or "non-empty" in detail):
        for end, message in _TOO_SHORT.items():
            if path.endswith(end):
                return str(fill(message, item=item))
    if problem.kind == "missing-translation":
        language = path.rsplit(".", 1)[-1]
        return str(fill(PROBLEM_MISSING_TRANSLATION, item=item,
                        language=LANGUAGE_NAMES.get(language, language)))
    if problem.kind in _PROBLEMS:
        return str(fill(_PROBLEMS[problem.kind], item=item))
    if problem.kind in RULE_KINDS:
        return str(fill(PROBLEM_RULE, item=item, detail=detail))
    return str(fill(PROBLEM_OTHER, item=item, detail=detail))
