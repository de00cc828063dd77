"""Survey builder forms: reading the posted fields into definition pieces, with GOV.UK messages.

The builder's forms have rows that grow (options, statements, conditions), so they are read
from the posted data here rather than declared as WTForms classes. Each reader returns the
piece it built and a list of (field id, message) errors for the error summary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from surveys import editing, editing_rules, editing_text
from surveys import types as t

Errors = list[tuple[str, str]]
Form = MultiDict[str, str]

LANGUAGE_NAMES = {"en": "English", "bn": "বাংলা"}
BLANK_ROWS = 3
CONDITION_ROWS = 3

TYPE_LABELS = {
    t.SINGLE_CHOICE: _l("One answer from a list"),
    t.MULTIPLE_CHOICE: _l("Several answers from a list"),
    t.AGREEMENT: _l("Agree or disagree scale"),
    t.RATING: _l("Rating from 0 to 10"),
    t.NUMBER: _l("Number"),
    t.DATE: _l("Date"),
    t.SHORT_TEXT: _l("Short text"),
    t.LONG_TEXT: _l("Long text"),
    t.RANKING: _l("Put options in order"),
    t.GRID: _l("Grid of statements"),
    t.WARD_POSTCODE: _l("Ward or postcode"),
    t.EMAIL: _l("Email address (not in anonymous surveys)"),
    t.UK_ADDRESS: _l("UK postal address (not in anonymous surveys)"),
}

OPERATOR_LABELS = {
    t.EQUALS: _l("is"),
    t.NOT_EQUALS: _l("is not"),
    t.GREATER_THAN: _l("is more than"),
    t.LESS_THAN: _l("is less than"),
    t.GREATER_OR_EQUAL: _l("is at least"),
    t.LESS_OR_EQUAL: _l("is at most"),
    t.ANY_IN: _l("includes"),
    t.ALL_IN: _l("includes all of"),
    t.ANSWERED: _l("has been answered"),
}

LAWFUL_BASIS_LABELS = {
    "public_task": _l("Public task (UK GDPR Article 6(1)(e))"),
    "consent": _l("Consent (UK GDPR Article 6(1)(a))"),
    "legitimate_interests": _l("Legitimate interests (UK GDPR Article 6(1)(f))"),
    "legal_obligation": _l("Legal obligation (UK GDPR Article 6(1)(c))"),
}

DEMOGRAPHIC_LABELS = {
    "age": _l("Age"),
    "sex": _l("Sex"),
    "gender-identity": _l("Gender identity"),
    "ethnicity": _l("Ethnic group"),
    "religion": _l("Religion"),
    "disability": _l("Disability"),
    "carer": _l("Unpaid carer"),
}

ENTER_TITLE = _l("Enter the title in the main language")
ENTER_QUESTION = _l("Enter the question in the main language")
ENTER_SLUG = _l("Enter a web address for the survey")
SLUG_FORMAT = _l("Web address must only include lower case letters, numbers and hyphens, "
                 "like residents-2027")
SLUG_TAKEN = _l("A survey with that web address already exists")
SELECT_TYPE = _l("Select the type of question")
SELECT_LANGUAGE = _l("Select at least one language")
WHOLE_NUMBER = _l("Enter a whole number")
NUMBER = _l("Enter a number")
DATE_FORMAT = _l("Enter a date in the format 2027-03-31")
MIN_BELOW_MAX = _l("The lowest value must be less than the highest value")
OPTION_TEXT = _l("Enter the option in the main language")
STATEMENT_TEXT = _l("Enter the statement in the main language")
SELECT_QUESTION = _l("Select a question")
SELECT_OPERATOR = _l("Select how to compare the answer")
OPERATOR_NOT_FOR_TYPE = _l("Select a comparison that works for this question")
ENTER_VALUE = _l("Select or enter a value to compare with")
VALUE_NUMBER = _l("Enter a number to compare with")
VALUE_OPTION = _l("Select one of the question's options to compare with")
ADD_CONDITION = _l("Add at least one condition")
SELECT_TARGET = _l("Select where to go")
SELECT_LAWFUL_BASIS = _l("Select the lawful basis")
ENTER_PRIVACY = _l("Enter the privacy notice")
RETENTION = _l("Enter how many days to keep responses, a whole number from 1 to 3650")
SELECT_ANONYMOUS = _l("Select whether the survey is anonymous")
SELECT_RESPONDENTS = _l("Select who can respond")
DATES_ORDER = _l("The closing date must be after the opening date")
DATE_REAL = _l("Enter a real date")
SELECT_FILE = _l("Select a JSON file")
FILE_TOO_LARGE = _l("The file must be smaller than 256 KB")
FILE_PROBLEMS = _l("The file is not a valid survey definition: fix the problems listed")
DRAFT_EXISTS = _l("That survey already has a draft: publish or discard it before importing")
MAX_LENGTH_TEXT = 5000


def texts(form: Form, prefix: str, languages: Sequence[str]) -> dict[str, str]:
    """The per-language text posted as `<prefix>-<language>` fields."""
    return {lang: (form.get(f"{prefix}-{lang}") or "").strip()[:MAX_LENGTH_TEXT]
            for lang in languages}


def read_int(form: Form, name: str, errors: Errors, low: int = 1, high: int = 100000) -> int | None:
    """A whole number from `low` to `high` typed in a field (None if blank; an error if not)."""
    raw = (form.get(name) or "").strip()
    if not raw:
        return None
    if not re.fullmatch(r"\d+", raw) or not low <= int(raw) <= high:
        errors.append((name, str(WHOLE_NUMBER)))
        return None
    return int(raw)


def _float(form: Form, name: str, errors: Errors) -> int | float | None:
    raw = (form.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        errors.append((name, str(NUMBER)))
        return None
    return int(value) if value.is_integer() and "." not in raw else value


def _date(form: Form, name: str, errors: Errors) -> str | None:
    raw = (form.get(name) or "").strip()
    if not raw:
        return None
    try:
        date.fromisoformat(raw)
    except ValueError:
        errors.append((name, str(DATE_FORMAT)))
        return None
    return raw


def _rows(form: Form, kind: str, languages: Sequence[str], existing: Sequence[Mapping[str, Any]],
          errors: Errors, message: Any, exclusive: bool = False,
          other: bool = False) -> list[dict[str, Any]]:
    """Option or statement rows as posted: `<kind>-count` rows, each with its id (blank: new)."""
    rows: list[dict[str, Any]] = []
    known = {str(item.get("id")): item for item in existing}
    taken = set(known)
    raw_count = form.get(f"{kind}-count") or ""
    count = min(int(raw_count), 200) if raw_count.isdigit() else len(existing) + BLANK_ROWS
    main = languages[0]
    for i in range(count):
        prefix = f"{kind}-{i}"
        text = texts(form, prefix, languages)
        if form.get(f"{prefix}-remove"):
            continue
        posted_id = form.get(f"{prefix}-id") or ""
        item_id = posted_id if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", posted_id) else None
        if not any(text.values()):
            if item_id is None:
                continue
            errors.append((f"{prefix}-{main}", str(message)))
        elif not text.get(main):
            errors.append((f"{prefix}-{main}", str(message)))
        if item_id is None:
            item_id = editing.unique_id(editing.slugify(text.get(main) or "", kind), taken)
        taken.add(item_id)
        row: dict[str, Any] = {"id": item_id, "text": {k: v for k, v in text.items() if v}}
        if item_id in known and known[item_id].get("hint"):
            row["hint"] = known[item_id]["hint"]
        if exclusive and form.get(f"{prefix}-exclusive"):
            row["exclusive"] = True
        if other and form.get(f"{prefix}-other"):
            row["other"] = True
        rows.append(row)
    return rows


def _move_row(rows: list[dict[str, Any]], action: str, kind: str) -> None:
    match = re.fullmatch(rf"{kind}-(up|down)-(\d+)", action)
    if not match:
        return
    i = int(match.group(2))
    j = i - 1 if match.group(1) == "up" else i + 1
    if 0 <= i < len(rows) and 0 <= j < len(rows):
        rows[i], rows[j] = rows[j], rows[i]


def read_question(form: Form, question: Mapping[str, Any],
                  languages: Sequence[str]) -> tuple[dict[str, Any], Errors]:
    """The edited question from its form (the id and type never change here)."""
    errors: Errors = []
    main = languages[0]
    qtype = str(question["type"])
    out: dict[str, Any] = {"id": question["id"], "type": qtype}
    for key in ("when", "wards"):
        if key in question:
            out[key] = question[key]
    title = texts(form, "title", languages)
    if not title.get(main):
        errors.append((f"title-{main}", str(ENTER_QUESTION)))
    editing.set_text(out, "title", title)
    editing.set_text(out, "hint", texts(form, "hint", languages))
    editing.set_text(out, "name", texts(form, "name", languages))
    if form.get("required") == "no":
        out["required"] = False
    action = form.get("action") or ""
    if qtype in (t.SINGLE_CHOICE, t.MULTIPLE_CHOICE, t.RANKING) or (
            qtype == t.GRID and form.get("scale") == "options"):
        options = _rows(form, "option", languages, list(question.get("options") or []), errors,
                        OPTION_TEXT, exclusive=qtype == t.MULTIPLE_CHOICE,
                        other=qtype in (t.SINGLE_CHOICE, t.MULTIPLE_CHOICE))
        _move_row(options, action, "option")
        out["options"] = options
    if qtype == t.GRID:
        statements = _rows(form, "statement", languages, list(question.get("statements") or []),
                           errors, STATEMENT_TEXT)
        _move_row(statements, action, "statement")
        out["statements"] = statements
        if form.get("scale") != "options":
            out["scale"] = "agreement"
    if qtype in (t.AGREEMENT, t.GRID) and form.get("dont_know"):
        out["dont_know"] = True
    if qtype == t.MULTIPLE_CHOICE:
        _put(out, "max_choices", read_int(form, "max_choices", errors))
    if qtype == t.RANKING:
        _put(out, "top", read_int(form, "top", errors))
    if qtype == t.RATING:
        editing.set_text(out, "min_label", texts(form, "min_label", languages))
        editing.set_text(out, "max_label", texts(form, "max_label", languages))
    if qtype == t.NUMBER:
        low, high = _float(form, "min", errors), _float(form, "max", errors)
        if low is not None and high is not None and low >= high:
            errors.append(("min", str(MIN_BELOW_MAX)))
        _put(out, "min", low)
        _put(out, "max", high)
        if form.get("decimal"):
            out["decimal"] = True
            _put(out, "decimal_places", read_int(form, "decimal_places", errors, 1, 6))
        editing.set_text(out, "suffix", texts(form, "suffix", languages))
    if qtype == t.DATE:
        low_date, high_date = _date(form, "min", errors), _date(form, "max", errors)
        if low_date and high_date and low_date >= high_date:
            errors.append(("min", str(MIN_BELOW_MAX)))
        _put(out, "min", low_date)
        _put(out, "max", high_date)
    if qtype == t.SHORT_TEXT:
        _put(out, "max_length", read_int(form, "max_length", errors, 1, 500))
    if qtype == t.LONG_TEXT:
        _put(out, "max_words", read_int(form, "max_words", errors, 1, 2000))
        _put(out, "max_length", read_int(form, "max_length", errors, 1, 20000))
    return out, errors


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


def read_condition(form: Form, candidates: Sequence[Mapping[str, Any]]
                   ) -> tuple[dict[str, Any] | None, list[editing_rules.ConditionRow], str, Errors]:
    """The condition built from rows of dropdowns (question, operator, value)."""
    errors: Errors = []
    by_id = {str(q.get("id")): q for q in candidates}
    rows: list[editing_rules.ConditionRow] = []
    for i in range(CONDITION_ROWS):
        question_id = form.get(f"cond-{i}-question") or ""
        operator = form.get(f"cond-{i}-operator") or ""
        value = (form.get(f"cond-{i}-text") or "").strip() or form.get(f"cond-{i}-value") or ""
        if not question_id and not operator and not value:
            continue
        rows.append(editing_rules.ConditionRow(question_id, operator, value))
        question = by_id.get(question_id)
        if question is None:
            errors.append((f"cond-{i}-question", str(SELECT_QUESTION)))
            continue
        qtype = str(question.get("type"))
        if operator not in editing_rules.CONDITION_OPERATORS.get(qtype, ()):
            errors.append((f"cond-{i}-operator", str(
                SELECT_OPERATOR if not operator else OPERATOR_NOT_FOR_TYPE)))
            continue
        if operator == t.ANSWERED:
            continue
        if not value:
            errors.append((f"cond-{i}-value", str(ENTER_VALUE)))
            continue
        choices = [v for v, _label in value_choices(question)]
        if qtype in t.NUMERIC_TYPES:
            try:
                float(value)
            except ValueError:
                errors.append((f"cond-{i}-text", str(VALUE_NUMBER)))
        elif choices and value not in choices:
            errors.append((f"cond-{i}-value", str(VALUE_OPTION)))
        elif qtype == t.DATE:
            try:
                date.fromisoformat(value)
            except ValueError:
                errors.append((f"cond-{i}-text", str(DATE_FORMAT)))
    chosen = form.get("combine") or ""
    combine = chosen if chosen in (t.AND, t.OR) else t.AND
    if not rows and not errors:
        errors.append(("cond-0-question", str(ADD_CONDITION)))
    if errors:
        return None, rows, combine, errors
    types = {qid: str(q.get("type")) for qid, q in by_id.items()}
    return editing_rules.build_condition(rows, combine, types), rows, combine, errors


RULE_KINDS = frozenset({"unknown-target", "backward-target", "unknown-question",
                        "forward-reference", "operator-not-allowed", "operand-type",
                        "unknown-option", "unknown-statement"})


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
    from flask_babel import gettext as _

    if problem.kind == "settings":
        return str(SELECT_LAWFUL_BASIS if problem.path.endswith("lawful_basis")
                   else ENTER_PRIVACY)
    kind, item_id = editing_text.locate(definition, problem.path)
    item = item_label(definition, kind, item_id)
    detail = str(problem.message)
    path = str(problem.path)
    if problem.kind == "schema" and ("too short" in detail or "non-empty" in detail):
        if path.endswith(".options"):
            return _("Add at least 2 options to “%(item)s”", item=item)
        if path.endswith(".statements"):
            return _("Add at least 1 statement to “%(item)s”", item=item)
        if path.endswith(".pages"):
            return _("Add a question to the section “%(item)s”", item=item)
    if problem.kind == "missing-text":
        return _("Enter the text in the main language for “%(item)s”", item=item)
    if problem.kind == "missing-translation":
        language = path.rsplit(".", 1)[-1]
        return _("Add the %(language)s translation for “%(item)s”",
                 language=LANGUAGE_NAMES.get(language, language), item=item)
    if problem.kind == "too-many-questions":
        return _("The page with “%(item)s” has too many questions: move some to another page "
                 "or allow more questions on a page", item=item)
    if problem.kind == "page-title-needed":
        return _("Enter a heading for the page with “%(item)s”, because it has several "
                 "questions", item=item)
    if problem.kind == "invalid-range":
        return _("The lowest value allowed for “%(item)s” must be less than the highest",
                 item=item)
    if problem.kind in ("duplicate-id", "duplicate-field"):
        return _("“%(item)s” has an id that is used more than once: delete or rename one",
                 item=item)
    if problem.kind == "personal-question":
        return _("“%(item)s” asks for an email address or a postal address, which an anonymous "
                 "survey cannot ask: remove the question, or in settings make the survey not "
                 "anonymous", item=item)
    if problem.kind == "other-option":
        return _("Fix the “Other” option of “%(item)s”: only one option, on a question with "
                 "one or several answers from a list, and not the only answer", item=item)
    if problem.kind in RULE_KINDS:
        return _("Fix the skip or routing rule of “%(item)s”: %(detail)s", item=item,
                 detail=detail)
    return _("Fix “%(item)s”: %(detail)s", item=item, detail=detail)
