"""Forms of the priority board (Task and Finish groups); messages in engage.forms.messages.
Choices are set by routes."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from engage.forms import Form, options
from engage.forms.messages import (
    BOARD_ERRORS,
    DEFAULT_CRITERIA,
    SCORE_LABELS,
)


def default_criteria() -> list[tuple[str, str, float]]:
    """The default criteria as text: in the request's language, in English outside a request
    (the demo loader, the command line)."""
    from flask import has_request_context

    def text(lazy: Any) -> str:
        if has_request_context():
            return str(lazy)
        args = getattr(lazy, "_args", None)
        return str(args[0]) if args else str(lazy)

    return [(text(n), text(d), w) for n, d, w in DEFAULT_CRITERIA]


def parse_weight(text: str) -> float | None:
    """A weight typed by the chair, or None when it is not a number from 0.1 to 100."""
    try:
        value = float((text or "").strip().replace(",", "."))
    except ValueError:
        return None
    return value if 0.1 <= value <= 100 else None


class Weight:
    """Validator: a weight from 0.1 to 100 (see parse_weight)."""

    def __call__(self, form: Any, field: Any) -> None:
        if parse_weight(field.data) is None:
            raise ValidationError(BOARD_ERRORS["weight_range"])


class GroupForm(Form):
    name = StringField(_l("Group name"), widget=GovTextInput(), validators=[
        InputRequired(message=BOARD_ERRORS["group_name_missing"]),
        Length(max=120, message=BOARD_ERRORS["group_name_long"])])
    remit = TextAreaField(_l("Remit"), widget=GovTextArea(), validators=[Length(max=4000)])
    chair = SelectField(_l("Chair"), widget=GovSelect(), choices=[],
                        validators=[InputRequired(message=BOARD_ERRORS["chair_missing"])])
    members = SelectMultipleField(_l("Members"), widget=GovCheckboxesInput(), choices=[],
                                  coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Save group"), widget=GovSubmitInput())


class BoardForm(Form):
    title = StringField(_l("Board title"), widget=GovTextInput(), validators=[
        InputRequired(message=BOARD_ERRORS["title_missing"]), Length(max=200)])
    runs = SelectMultipleField(_l("Which analyses should the board use?"),
                               widget=GovCheckboxesInput(), choices=[], coerce=int)
    codeframes = SelectMultipleField(_l("Which final codeframes should the board use?"),
                                     widget=GovCheckboxesInput(), choices=[], coerce=int,
                                     validators=[Optional()])
    submit = SubmitField(_l("Create board"), widget=GovSubmitInput())

    def validate_runs(self, field: SelectMultipleField) -> None:
        """An analysis or a final codeframe (or both) must be chosen."""
        if not field.data and not self.codeframes.data:
            raise ValidationError(BOARD_ERRORS["runs_missing"])


class CriterionForm(Form):
    name = StringField(_l("Criterion"), widget=GovTextInput(), validators=[
        InputRequired(message=BOARD_ERRORS["criterion_missing"]), Length(max=120)])
    description = StringField(_l("What it means (optional)"), widget=GovTextInput(),
                              validators=[Length(max=400)])
    weight = StringField(_l("Weight"), widget=GovTextInput(), default="1",
                         validators=[InputRequired(message=BOARD_ERRORS["weight_range"]),
                                     Weight()])
    submit = SubmitField(_l("Add criterion"), widget=GovSubmitInput())


def weights_form(criteria: list[Any]) -> Form:
    """The weights of a board's criteria, one box each, named ``weight-<criterion id>``."""

    class WeightsForm(Form):
        pass

    for c in criteria:
        setattr(WeightsForm, f"weight-{c.id}", StringField(
            c.name, filters=[_first_20], validators=[Weight()]))
    return WeightsForm()


def _first_20(value: str | None) -> str:
    """What was typed in a weight box, cut to a length any weight fits in."""
    return (value or "")[:20]


class ShortlistForm(Form):
    priorities = SelectMultipleField(_l("Which themes are the group's priorities?"),
                                widget=GovCheckboxesInput(), choices=[], coerce=int,
                                validators=[InputRequired(message=BOARD_ERRORS["shortlist_size"])])
    rationale = TextAreaField(_l("Why these priorities?"), widget=GovTextArea(), validators=[
        InputRequired(message=BOARD_ERRORS["rationale_missing"]), Length(max=4000)])
    submit = SubmitField(_l("Shortlist and lock the board"), widget=GovSubmitInput())

    def validate_priorities(self, field: Any) -> None:
        """Three or four themes."""
        if not 3 <= len(field.data or []) <= 4:
            raise ValidationError(BOARD_ERRORS["shortlist_size"])


def score_form(criteria: list[Any], data: dict[str, Any] | None = None) -> Form:
    """A form with a 1-5 score and an optional comment for each criterion; on a POST it reads
    what was posted, otherwise it shows ``data`` (the member's earlier scores)."""

    class ScoreForm(Form):
        submit = SubmitField(_l("Save scores"), widget=GovSubmitInput())

    for c in criteria:
        setattr(ScoreForm, f"score_{c.id}", RadioField(
            c.name, widget=GovRadioInput(), choices=options(SCORE_LABELS),
            validators=[InputRequired(message=_("Select a score for %(name)s", name=c.name))]))
        setattr(ScoreForm, f"comment_{c.id}", TextAreaField(
            _("Comment on %(name)s (optional)", name=c.name), widget=GovTextArea(),
            validators=[Length(max=2000)]))
    return ScoreForm(data=data or {})
