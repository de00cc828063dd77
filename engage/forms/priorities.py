"""Forms and messages of the priority board (Task and Finish groups). Choices are set by routes."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
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

from engage.forms import options

# The criteria a new board starts with: (name, what it means, weight).
DEFAULT_CRITERIA = (
    (_l("Scale of need"), _l("How many residents it affects and how much"), 3.0),
    (_l("Equity impact"), _l("Whether it closes gaps for groups who fare worse"), 2.0),
    (_l("Partnership fit"), _l("Whether partners together are best placed to act on it"), 1.0),
    (_l("Feasibility"), _l("Whether it can be done with the time and money there is"), 1.0),
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


BOARD_ERRORS = {
    "group_name_missing": _l("Enter a name for the group"),
    "group_name_long": _l("The group name must be 120 characters or fewer"),
    "group_name_taken": _l("There is already a group with that name"),
    "chair_missing": _l("Select who chairs the group"),
    "member_unknown": _l("Select members from the list"),
    "title_missing": _l("Enter a title for the board"),
    "runs_missing": _l("Select at least one analysis with approved themes or a final "
                       "codeframe"),
    "criterion_missing": _l("Enter the name of the criterion"),
    "criterion_taken": _l("There is already a criterion with that name"),
    "criterion_unknown": _l("That criterion is not on this board"),
    "last_criterion": _l("A board needs at least one criterion"),
    "weight_range": _l("Enter a weight between 0.1 and 100, like 2 or 1.5"),
    "scoring_started": _l("Scoring has started: the criteria can no longer change"),
    "not_open": _l("Scoring has not started yet"),
    "locked": _l("The board is locked: nothing can change"),
    "no_themes": _l("The board has no themes to score"),
    "item_unknown": _l("That theme is not on this board"),
    "score_range": _l("Select a score from 1 to 5"),
    "shortlist_size": _l("Select 3 or 4 priorities"),
    "rationale_missing": _l("Enter why the group chose these priorities"),
}
BOARD_ERROR_DEFAULT = _l("That change could not be made")

STATE_LABELS = {
    "setup": _l("Agreeing criteria"),
    "scoring": _l("Scoring"),
    "locked": _l("Locked"),
}
EVENT_LABELS = {
    "created": _l("Board created"),
    "criterion_added": _l("Criterion added"),
    "criterion_removed": _l("Criterion removed"),
    "weights_changed": _l("Weights changed"),
    "scoring_opened": _l("Scoring opened"),
    "scored": _l("Scores recorded"),
    "shortlisted": _l("Priorities shortlisted and board locked"),
}
SCORE_LABELS = (
    ("1", _l("1 – very low")),
    ("2", _l("2 – low")),
    ("3", _l("3 – medium")),
    ("4", _l("4 – high")),
    ("5", _l("5 – very high")),
)


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


class GroupForm(FlaskForm):  # type: ignore[misc]
    name = StringField(_l("Group name"), widget=GovTextInput(), validators=[
        InputRequired(message=BOARD_ERRORS["group_name_missing"]),
        Length(max=120, message=BOARD_ERRORS["group_name_long"])])
    remit = TextAreaField(_l("Remit"), widget=GovTextArea(), validators=[Length(max=4000)])
    chair = SelectField(_l("Chair"), widget=GovSelect(), choices=[],
                        validators=[InputRequired(message=BOARD_ERRORS["chair_missing"])])
    members = SelectMultipleField(_l("Members"), widget=GovCheckboxesInput(), choices=[],
                                  coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Save group"), widget=GovSubmitInput())


class BoardForm(FlaskForm):  # type: ignore[misc]
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


class CriterionForm(FlaskForm):  # type: ignore[misc]
    name = StringField(_l("Criterion"), widget=GovTextInput(), validators=[
        InputRequired(message=BOARD_ERRORS["criterion_missing"]), Length(max=120)])
    description = StringField(_l("What it means (optional)"), widget=GovTextInput(),
                              validators=[Length(max=400)])
    weight = StringField(_l("Weight"), widget=GovTextInput(), default="1",
                         validators=[InputRequired(message=BOARD_ERRORS["weight_range"]),
                                     Weight()])
    submit = SubmitField(_l("Add criterion"), widget=GovSubmitInput())


def weights_form(criteria: list[Any]) -> FlaskForm:
    """The weights of a board's criteria, one box each, named ``weight-<criterion id>``."""

    class WeightsForm(FlaskForm):  # type: ignore[misc]
        pass

    for c in criteria:
        setattr(WeightsForm, f"weight-{c.id}", StringField(
            c.name, filters=[_first_20], validators=[Weight()]))
    return WeightsForm()


def _first_20(value: str | None) -> str:
    """What was typed in a weight box, cut to a length any weight fits in."""
    return (value or "")[:20]


class ShortlistForm(FlaskForm):  # type: ignore[misc]
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


def score_form(criteria: list[Any], data: dict[str, Any] | None = None) -> FlaskForm:
    """A form with a 1-5 score and an optional comment for each criterion; on a POST it reads
    what was posted, otherwise it shows ``data`` (the member's earlier scores)."""

    class ScoreForm(FlaskForm):  # type: ignore[misc]
        submit = SubmitField(_l("Save scores"), widget=GovSubmitInput())

    for c in criteria:
        setattr(ScoreForm, f"score_{c.id}", RadioField(
            c.name, widget=GovRadioInput(), choices=options(SCORE_LABELS),
            validators=[InputRequired(message=_("Select a score for %(name)s", name=c.name))]))
        setattr(ScoreForm, f"comment_{c.id}", TextAreaField(
            _("Comment on %(name)s (optional)", name=c.name), widget=GovTextArea(),
            validators=[Length(max=2000)]))
    return ScoreForm(data=data or {})
