"""Staff forms for the partner API tokens and "you said, we did" updates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
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
from wtforms.validators import DataRequired, InputRequired, Length

from engage.forms import Form, messages, options


class ApiTokenForm(Form):
    name = StringField(_l("Name of the token"), widget=GovTextInput(),
                       description=_l("Say who uses it and for what, like “Health partner "
                                      "dashboard”."),
                       validators=[DataRequired(message=messages.ENTER_TOKEN_NAME),
                                   Length(max=120)])
    surveys = SelectMultipleField(_l("Surveys it may read"), widget=GovCheckboxesInput(),
                                  choices=[],
                                  validators=[DataRequired(message=messages.SELECT_TOKEN_SURVEYS)])
    submit = SubmitField(_l("Create the token"), widget=GovSubmitInput())


class UpdateForm(Form):
    kind = RadioField(_l("What kind of update is this?"), widget=GovRadioInput(),
                      choices=options([("next_steps", _l("What happens next")),
                               ("update", _l("An update on progress"))]),
                      validators=[InputRequired(message=messages.SELECT_UPDATE_KIND)])
    title_en = StringField(_l("Title in English"), widget=GovTextInput(),
                           validators=[DataRequired(message=messages.ENTER_UPDATE_TITLE),
                                       Length(max=200)])
    body_en = TextAreaField(_l("Update in English"), widget=GovTextArea(),
                            validators=[DataRequired(message=messages.ENTER_UPDATE_BODY),
                                        Length(max=4000)])
    title_bn = StringField(_l("Title in Bengali (optional)"), widget=GovTextInput(),
                           validators=[Length(max=200)])
    body_bn = TextAreaField(_l("Update in Bengali (optional)"), widget=GovTextArea(),
                            validators=[Length(max=4000)])
    submit = SubmitField(_l("Publish the update"), widget=GovSubmitInput())


class ExportJobForm(Form):
    """Start a background export of a survey's responses in one format (a button per format);
    the route sets the formats."""

    format = SelectField(choices=[])
