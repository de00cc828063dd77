"""Codeframe and coding forms. Choices are set by the routes."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from engage.forms import Form, messages

E = messages.CODING_ERRORS


class CodeframeForm(Form):
    """A new codeframe over chosen sources of text."""

    title = StringField(_l("Title"), widget=GovTextInput(), validators=[
        InputRequired(message=E["title_missing"]), Length(max=200, message=E["title_long"])])
    sources = SelectMultipleField(_l("Which texts should be coded?"), widget=GovCheckboxesInput(),
                                  choices=[], validators=[InputRequired(message=E["no_sources"])])
    submit = SubmitField(_l("Create codeframe"), widget=GovSubmitInput())


class FromRunForm(Form):
    """A new codeframe whose codes are an analysis run's approved themes."""

    title = StringField(_l("Title"), widget=GovTextInput(), validators=[
        InputRequired(message=E["title_missing"]), Length(max=200, message=E["title_long"])])
    run = SelectField(_l("Analysis"), widget=GovSelect(), choices=[],
                      validators=[InputRequired(message=E["no_approved_themes"])])
    submit = SubmitField(_l("Create codeframe from themes"), widget=GovSubmitInput())


class CodeForm(Form):
    """A code's name, definition and parent."""

    name = StringField(_l("Code name"), widget=GovTextInput(), validators=[
        InputRequired(message=E["name_missing"]), Length(max=120, message=E["name_long"])])
    definition = TextAreaField(_l("Definition (optional)"), widget=GovTextArea(),
                               description=_l("What a text must say to be given this code"),
                               validators=[Length(max=2000, message=E["definition_long"])])
    parent = SelectField(_l("Parent code (optional)"), widget=GovSelect(), choices=[],
                         validate_choice=False)
    submit = SubmitField(_l("Save code"), widget=GovSubmitInput())


class ImportForm(Form):
    """A CSV file of codes."""

    upload = FileField(_l("CSV file"), widget=GovFileInput(),
                       validators=[FileRequired(message=E["csv_missing"])],
                       description=_l("Columns: name, definition, parent. The parent is the "
                                      "name of a top-level code. Up to 500 codes."))
    submit = SubmitField(_l("Import codes"), widget=GovSubmitInput())


class CodingForm(Form):
    """The codes ticked for a text; "none" is "no substantive answer". Rendered by the page."""

    codes = SelectMultipleField(_l("Codes"), choices=[],
                                validators=[InputRequired(message=E["select_code"])])
    note = TextAreaField(_l("Note (optional)"), widget=GovTextArea(), validators=[
        Length(max=2000, message=E["note_long"])])

    def validate_codes(self, field: Any) -> None:
        """Codes, or no substantive answer, not both."""
        if "none" in (field.data or []) and len(field.data) > 1:
            raise ValidationError(E["codes_and_none"])


class AcceptForm(Form):
    """Accept one code's suggestions at or above a confidence."""

    code = SelectField(_l("Code"), widget=GovSelect(), choices=[],
                       validators=[InputRequired(message=E["code_unknown"])])
    threshold = StringField(_l("Lowest confidence to accept, in per cent"), widget=GovTextInput(),
                            default="90", validators=[InputRequired(message=E["threshold_range"])])
    submit = SubmitField(_l("Accept suggestions"), widget=GovSubmitInput())

    def validate_threshold(self, field: Any) -> None:
        """A whole number from 0 to 100."""
        value = (field.data or "").strip()
        if not value.isdigit() or not 0 <= int(value) <= 100:
            raise ValidationError(E["threshold_range"])


class SampleForm(Form):
    """Draw a double-coding sample."""

    share = StringField(_l("Share of texts to double-code, in per cent"), widget=GovTextInput(),
                        default="10", validators=[InputRequired(message=E["share_range"])])
    seed = StringField(_l("Seed (optional)"), widget=GovTextInput(), default="0",
                       description=_l("The same seed draws the same sample"),
                       validators=[Length(max=9)])
    submit = SubmitField(_l("Draw the sample"), widget=GovSubmitInput())

    def validate_share(self, field: Any) -> None:
        """A whole number from 1 to 100."""
        value = (field.data or "").strip()
        if not value.isdigit() or not 1 <= int(value) <= 100:
            raise ValidationError(E["share_range"])

    def validate_seed(self, field: Any) -> None:
        """Empty or a whole number."""
        value = (field.data or "").strip()
        if value and not value.isdigit():
            raise ValidationError(messages.SEED_FORMAT)


class ButtonForm(Form):
    """A form that is only a button (CSRF-protected)."""
