"""Forms around the survey runner (the survey pages themselves are validated by the engine)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from engage.forms import Form, messages


class ResumeEmailForm(Form):
    email = StringField(
        _l("Email address"),
        description=_l("We will only use it to send this link. We do not keep it."),
        widget=GovTextInput(),
        validators=[DataRequired(message=messages.ENTER_EMAIL), Length(max=254),
                    Email(message=messages.EMAIL_FORMAT, check_deliverability=False)],
    )
    submit = SubmitField(_l("Send me the link"), widget=GovSubmitInput())
