"""Forms of the partnership plan. Choices are set by routes; messages live in forms.messages."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from engage.forms import Form, messages, options
from engage.forms.mayor import DateParts, RealDateField
from surveys.numerals import ascii_digits


def read_number(text: str | None) -> float | None:
    """A number typed in any digits, with or without thousands commas; None if not one."""
    cleaned = ascii_digits(text or "").replace(",", "").replace(" ", "").strip()
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if value == value and abs(value) < 1e12 else None


class Number:
    """Validator: the field holds a number (typed text is kept on errors)."""

    def __call__(self, form: Any, field: Any) -> None:
        if read_number(field.data) is None:
            raise ValidationError(str(messages.ENTER_NUMBER))


class Year:
    """Validator: a four-figure year."""

    def __call__(self, form: Any, field: Any) -> None:
        value = read_number(field.data)
        if value is None or value != int(value) or not 2000 <= value <= 2100:
            raise ValidationError(str(messages.PLAN_ERRORS["year_range"]))


def _date(label: Any, message: Any, hint: Any = None) -> RealDateField:
    return RealDateField(label, widget=DateParts(), format="%d %m %Y",
                         description=hint or _l("For example, 31 3 2027"),
                         validators=[InputRequired(message=message)])


class PlanForm(Form):
    """A new plan: title, period and summary."""

    title = StringField(_l("Title"), widget=GovTextInput(),
                        description=_l("For example, Tower Hamlets Plan 2023 to 2028"),
                        validators=[DataRequired(message=messages.PLAN_ERRORS["title_missing"]),
                                    Length(max=200,
                                           message=messages.PLAN_ERRORS["title_missing_long"])])
    start_year = StringField(_l("First year"), widget=GovTextInput(),
                             validators=[DataRequired(message=messages.ENTER_YEAR), Year()])
    end_year = StringField(_l("Last year"), widget=GovTextInput(),
                           validators=[DataRequired(message=messages.ENTER_YEAR), Year()])
    summary = TextAreaField(_l("Summary (optional)"), widget=GovTextArea(),
                            validators=[Length(max=4000)])
    submit = SubmitField(_l("Create the plan"), widget=GovSubmitInput())


class PromoteForm(Form):
    """Carry a shortlisted priority into the plan."""

    item = RadioField(_l("Shortlisted priorities"), widget=GovRadioInput(), choices=[],
                      validators=[InputRequired(message=messages.SELECT_PRIORITY)])
    submit = SubmitField(_l("Add to the plan"), widget=GovSubmitInput())


class PublishForm(Form):
    """Publish or withdraw (a button); ``published`` "0" withdraws."""

    published = HiddenField(default="1")
    submit = SubmitField(_l("Publish the plan"), widget=GovSubmitInput())


class OutcomeForm(Form):
    """An outcome under a priority."""

    title = StringField(_l("Outcome"), widget=GovTextInput(),
                        description=_l("What will be different for residents"),
                        validators=[DataRequired(message=messages.PLAN_ERRORS["outcome_missing"]),
                                    Length(max=200,
                                           message=messages.PLAN_ERRORS["outcome_missing_long"])])
    submit = SubmitField(_l("Add the outcome"), widget=GovSubmitInput())


class ActionForm(Form):
    """An action under a priority. Owner and outcome choices are set by the route."""

    title = StringField(_l("Action"), widget=GovTextInput(),
                        validators=[DataRequired(message=messages.PLAN_ERRORS["action_missing"]),
                                    Length(max=200,
                                           message=messages.PLAN_ERRORS["action_missing_long"])])
    description = TextAreaField(_l("Description (optional)"), widget=GovTextArea(),
                                validators=[Length(max=4000)])
    owner = SelectField(_l("Partner organisation that owns it"), widget=GovSelect(), choices=[],
                        validators=[DataRequired(message=messages.PLAN_ERRORS["owner_missing"])])
    lead_name = StringField(_l("Lead (optional)"), widget=GovTextInput(),
                            description=_l("The job title or team that leads it, like Head of "
                                           "Housing Options"),
                            validators=[Length(max=120)])
    due_on = _date(_l("Due date"), messages.ENTER_DUE_DATE)
    outcome = SelectField(_l("Outcome it serves (optional)"), widget=GovSelect(), choices=[],
                          validate_choice=False)  # the service checks it
    submit = SubmitField(_l("Add the action"), widget=GovSubmitInput())


class IndicatorForm(Form):
    """An indicator of an action or outcome. The route sets the choices of what it measures."""

    measures = SelectField(_l("What it measures"), widget=GovSelect(), choices=[],
                           validators=[DataRequired(
                               message=messages.PLAN_ERRORS["measures_missing"])])
    owner = SelectField(_l("Who reports on it (outcomes only)"), widget=GovSelect(),
                        choices=[], validate_choice=False,
                        description=_l("An action's indicator is reported by the action's owner"))
    name = StringField(_l("Indicator"), widget=GovTextInput(),
                       validators=[DataRequired(
                           message=messages.PLAN_ERRORS["indicator_missing"]),
                           Length(max=200, message=messages.PLAN_ERRORS["indicator_missing_long"])])
    unit = StringField(_l("Unit"), widget=GovTextInput(),
                       description=_l("For example, percent of residents, or number of homes"),
                       validators=[DataRequired(message=messages.PLAN_ERRORS["unit_missing"]),
                                   Length(max=40,
                                          message=messages.PLAN_ERRORS["unit_missing_long"])])
    baseline_value = StringField(_l("Baseline value"), widget=GovTextInput(),
                                 validators=[DataRequired(message=messages.ENTER_NUMBER),
                                             Number()])
    baseline_on = _date(_l("Date of the baseline"), messages.ENTER_BASELINE_DATE)
    target_value = StringField(_l("Target value"), widget=GovTextInput(),
                               validators=[DataRequired(message=messages.ENTER_NUMBER),
                                           Number()])
    target_on = _date(_l("Date of the target"), messages.ENTER_TARGET_DATE)
    direction = RadioField(_l("Which way is better?"), widget=GovRadioInput(),
                           choices=options(messages.DIRECTION_LABELS.items()),
                           validators=[InputRequired(
                               message=messages.PLAN_ERRORS["direction_missing"])])
    frequency = RadioField(_l("How often is it measured?"), widget=GovRadioInput(),
                           choices=options(messages.FREQUENCY_LABELS.items()),
                           validators=[InputRequired(
                               message=messages.PLAN_ERRORS["frequency_missing"])])
    submit = SubmitField(_l("Add the indicator"), widget=GovSubmitInput())


class PriorityForm(Form):
    """A priority's wording as the public sees it."""

    title = StringField(_l("Title of the priority"), widget=GovTextInput(),
                        description=_l("Plain words residents will recognise, like Repairs to "
                                       "council homes"),
                        validators=[DataRequired(message=messages.PLAN_ERRORS["priority_missing"]),
                                    Length(max=200,
                                           message=messages.PLAN_ERRORS["priority_missing_long"])])
    description = TextAreaField(_l("Description (optional)"), widget=GovTextArea(),
                                validators=[Length(max=4000,
                                                   message=messages.PLAN_ERRORS["text_long"])])
    why = TextAreaField(_l("Why it was chosen (optional)"), widget=GovTextArea(),
                        validators=[Length(max=4000, message=messages.PLAN_ERRORS["text_long"])])
    submit = SubmitField(_l("Save the priority"), widget=GovSubmitInput())


class ActionEditForm(ActionForm):
    """An action changed by an officer: everything, with its status."""

    status = RadioField(_l("Status"), widget=GovRadioInput(),
                        choices=options(messages.ACTION_STATUS_LABELS.items()),
                        validators=[InputRequired(message=messages.PLAN_ERRORS["status_missing"])])
    submit = SubmitField(_l("Save the action"), widget=GovSubmitInput())


class OutcomeEditForm(OutcomeForm):
    """An outcome's wording."""

    submit = SubmitField(_l("Save the outcome"), widget=GovSubmitInput())


class IndicatorEditForm(IndicatorForm):
    """An indicator's definition (what it measures and who reports on it stay)."""

    measures = None
    owner = None
    submit = SubmitField(_l("Save the indicator"), widget=GovSubmitInput())


class ConfirmForm(Form):
    """A confirmation (a button)."""

    submit = SubmitField(_l("Yes, remove it"), widget=GovSubmitInput())


class StatusForm(Form):
    """An action's status."""

    status = RadioField(_l("Status"), widget=GovRadioInput(),
                        choices=options(messages.ACTION_STATUS_LABELS.items()),
                        validators=[InputRequired(message=messages.PLAN_ERRORS["status_missing"])])
    submit = SubmitField(_l("Save the status"), widget=GovSubmitInput())


class ProgressForm(Form):
    """A progress update on an indicator."""

    value = StringField(_l("Value"), widget=GovTextInput(),
                        validators=[DataRequired(message=messages.ENTER_NUMBER), Number()])
    measured_on = _date(_l("Date measured"), messages.ENTER_MEASURED_DATE)
    note = TextAreaField(_l("Note (optional)"), widget=GovTextArea(),
                         description=_l("What changed, and why. This is published with the "
                                        "value. Do not include names or personal details."),
                         validators=[Length(max=1000, message=messages.PLAN_ERRORS["note_long"])])
    submit = SubmitField(_l("Record the update"), widget=GovSubmitInput())


# What the plan's pages call each code, grouped for the templates.
PLAN_LABELS = {
    "status": messages.ACTION_STATUS_LABELS,
    "rag": messages.RAG_LABELS,
    "direction": messages.DIRECTION_LABELS,
    "frequency": messages.FREQUENCY_LABELS,
}
STATUS_CLASSES = {
    "not_started": "govuk-tag--grey",
    "on_track": "govuk-tag--green",
    "at_risk": "govuk-tag--yellow",
    "delayed": "govuk-tag--red",
    "done": "govuk-tag--blue",
}
