"""Group session forms: the session's details and one point of its notes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from engage.forms import Form, options
from engage.forms.mayor import DateParts, RealDateField
from engage.forms.messages import (
    ENTER_FACILITATOR,
    ENTER_POINT,
    ENTER_SESSION_DAY,
    FACILITATOR_TOO_LONG,
    GROUP_LABELS,
    GROUP_NAME_TOO_LONG,
    POINT_TOO_LONG,
    SELECT_GROUP,
)

POINT_CHARS = 2000


class SessionDateField(RealDateField):
    """A date from day, month and year boxes, with a GOV.UK message when it is not a real one."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            self.data = None
            raise ValueError(str(ENTER_SESSION_DAY)) from exc


class GroupSessionForm(Form):
    """A session's details. Ward and survey choices are set by the route."""

    group_type = RadioField(_l("Type of group"), widget=GovRadioInput(),
                            choices=options(GROUP_LABELS.items()),
                            validators=[InputRequired(message=SELECT_GROUP)])
    group_name = StringField(_l("Name of the group (optional)"), widget=GovTextInput(),
                             description=_l("For example, Year 10 at Bow School"),
                             validators=[Length(max=200, message=GROUP_NAME_TOO_LONG)])
    held_on = SessionDateField(_l("Date of the session"), widget=DateParts(), format="%d %m %Y",
                        description=_l("For example, 27 3 2026"),
                        validators=[InputRequired(message=ENTER_SESSION_DAY)])
    facilitator = StringField(_l("Facilitator"), widget=GovTextInput(),
                              validators=[DataRequired(message=ENTER_FACILITATOR),
                                          Length(max=120, message=FACILITATOR_TOO_LONG)])
    ward = SelectField(_l("Ward (optional)"), widget=GovSelect(), choices=[])
    survey = SelectField(_l("Survey or consultation it informs (optional)"), widget=GovSelect(),
                         choices=[])
    submit = SubmitField(_l("Save the session"), widget=GovSubmitInput())


class PointForm(Form):
    """One point from the notes of a session."""

    text = TextAreaField(_l("Point"), widget=GovCharacterCount(),
                         description=_l("One point people made, in plain words. Leave out names "
                                        "and other personal details."),
                         validators=[DataRequired(message=ENTER_POINT),
                                     Length(max=POINT_CHARS, message=POINT_TOO_LONG)])
    submit = SubmitField(_l("Add the point"), widget=GovSubmitInput())
