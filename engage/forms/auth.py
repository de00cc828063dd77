"""Staff sign-in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from engage.forms import messages


class SignInForm(FlaskForm):  # type: ignore[misc]
    email = StringField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[DataRequired(message=messages.ENTER_EMAIL), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"),
        widget=GovPasswordInput(),
        validators=[DataRequired(message=messages.ENTER_PASSWORD), Length(max=128)],
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())
