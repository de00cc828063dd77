"""Survey builder forms for skip and routing rules: a condition from rows of dropdowns, the
values a condition may compare with, and where a routing rule goes. Messages live in
engage.forms.messages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from wtforms import StringField
from wtforms.validators import AnyOf

from engage.forms import Form
from engage.forms.builder import iso_date, number_value
from engage.forms.messages import (
    ADD_CONDITION,
    DATE_FORMAT,
    ENTER_VALUE,
    OPERATOR_NOT_FOR_TYPE,
    SELECT_OPERATOR,
    SELECT_QUESTION,
    SELECT_TARGET,
    VALUE_NUMBER,
    VALUE_OPTION,
)
from surveys import editing_rules
from surveys import types as t

CONDITION_ROWS = 3


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
            return None if number_value(row.value) is not None else ("text", VALUE_NUMBER)
        if choices and row.value not in choices:
            return "value", VALUE_OPTION
        if qtype == t.DATE and iso_date(row.value) is None:
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
