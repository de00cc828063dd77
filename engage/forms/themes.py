"""Theme analysis forms: starting a run, and the review edits. Choices are set by the routes."""

from __future__ import annotations

from typing import Any

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
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from engage.forms import Form, messages, options
from engage.forms.mayor import DateParts, RealDateField


class RunForm(Form):
    """Choose the texts and the number of themes for a new analysis."""

    sources = SelectMultipleField(
        _l("Which texts should be analysed?"), widget=GovCheckboxesInput(), choices=[],
        validators=[InputRequired(message=messages.THEME_ERRORS["no_sources"])])
    versions = SelectMultipleField(_l("Survey waves (optional)"), widget=GovCheckboxesInput(),
                                   choices=[], validators=[Optional()])
    channels = SelectMultipleField(_l("Channels (optional)"), widget=GovCheckboxesInput(),
                                   choices=[], validators=[Optional()])
    wards = SelectMultipleField(_l("Wards (optional)"), widget=GovCheckboxesInput(),
                                choices=[], validators=[Optional()])
    date_from = RealDateField(_l("From (optional)"), widget=DateParts(), format="%d %m %Y",
                          validators=[Optional()])
    date_to = RealDateField(_l("To (optional)"), widget=DateParts(), format="%d %m %Y",
                        validators=[Optional()])
    n_themes = StringField(_l("Number of themes (optional)"), widget=GovTextInput(),
                           validators=[Length(max=3)])
    build_on = RadioField(_l("Keep the approved themes of the current results?"),
                          widget=GovRadioInput(), choices=options([
                              ("yes", _l("Yes, place new texts on approved themes first")),
                              ("no", _l("No, start afresh"))]), default="yes")
    submit = SubmitField(_l("Start the analysis"), widget=GovSubmitInput())

    def validate_n_themes(self, field: Any) -> None:
        """Empty, or a whole number from 2 to 100."""
        value = (field.data or "").strip()
        if value and (not value.isdigit() or not 2 <= int(value) <= 100):
            raise ValidationError(messages.THEME_ERRORS["bad_n_themes"])

    def validate_date_to(self, field: Any) -> None:
        """The end is not before the start."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(messages.END_BEFORE_START)


class RenameForm(Form):
    label = StringField(_l("Theme name"), widget=GovTextInput(), validators=[
        InputRequired(message=messages.THEME_ERRORS["label_missing"]),
        Length(max=200, message=messages.THEME_ERRORS["label_long"])])
    description = TextAreaField(_l("Description"), widget=GovTextArea(),
                                validators=[Length(max=2000)])
    submit = SubmitField(_l("Save name and description"), widget=GovSubmitInput())


class MergeForm(Form):
    target = SelectField(_l("Merge this theme into"), widget=GovSelect(), choices=[],
                         validators=[InputRequired(message=messages.THEME_ERRORS["merge_self"])])
    submit = SubmitField(_l("Merge themes"), widget=GovSubmitInput())


class SplitForm(Form):
    parts = SelectField(_l("Split into how many themes?"), widget=GovSelect(),
                        choices=options([(str(n), str(n)) for n in range(2, 9)]), default="2")
    submit = SubmitField(_l("Split theme"), widget=GovSubmitInput())


class MoveForm(Form):
    texts = SelectMultipleField(_l("Texts"), choices=[], coerce=int, validate_choice=False,
                                validators=[InputRequired(
                                    message=messages.THEME_ERRORS["no_texts"])])
    target = SelectField(_l("Move the selected texts to"), widget=GovSelect(), choices=[],
                         validators=[InputRequired(message=messages.THEME_ERRORS["merge_self"])])
    submit = SubmitField(_l("Move selected texts"), widget=GovSubmitInput())


class FlagForm(Form):
    text = HiddenField(validators=[InputRequired()])
    reason = StringField(_l("Why flag this text?"), widget=GovTextInput(), validators=[
        InputRequired(message=messages.THEME_ERRORS["reason_missing"]),
        Length(max=200, message=messages.THEME_ERRORS["reason_long"])])
    submit = SubmitField(_l("Flag text"), widget=GovSubmitInput())


class ButtonForm(Form):
    """A form that is only a button (approve, undo): CSRF and nothing else."""

    submit = SubmitField(_l("Confirm"), widget=GovSubmitInput())


class CommentForm(Form):
    body = TextAreaField(_l("Add a comment"), widget=GovTextArea(), validators=[
        InputRequired(message=messages.THEME_ERRORS["comment_missing"]), Length(max=2000)])
    submit = SubmitField(_l("Add comment"), widget=GovSubmitInput())
