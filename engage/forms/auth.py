"""Staff sign-in and two-step verification."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Regexp

from engage.forms import Form, messages


class SignInForm(Form):
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


class AppCodeForm(Form):
    """A 6-digit code from an authenticator app (spaces allowed, as apps show '123 456')."""

    code = StringField(
        _l("Code from your authenticator app"),
        description=_l("Open your authenticator app and enter the 6-digit code it shows for "
                       "this service."),
        widget=GovTextInput(),
        validators=[DataRequired(message=messages.ENTER_APP_CODE), Length(max=20),
                    Regexp(r"^\s*\d{3}\s*\d{3}\s*$", message=messages.APP_CODE_FORMAT)],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class RecoveryCodeForm(Form):
    """One of the account's single-use recovery codes."""

    code = StringField(
        _l("Recovery code"),
        description=_l("Each recovery code is 10 letters and numbers, like abcde-23456. It "
                       "can be used once."),
        widget=GovTextInput(),
        validators=[DataRequired(message=messages.ENTER_RECOVERY_CODE), Length(max=40)],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class TurnOffForm(Form):
    """A current code from the app or a recovery code, to turn two-step verification off."""

    code = StringField(
        _l("Code from your authenticator app, or a recovery code"),
        widget=GovTextInput(),
        validators=[DataRequired(message=messages.ENTER_CODE_OR_RECOVERY), Length(max=40)],
    )
    submit = SubmitField(_l("Turn off two-step verification"), widget=GovSubmitInput())


class SetPasswordForm(Form):
    """Choose a password, from an invitation or a reset link (the policy of S6)."""

    password = PasswordField(
        _l("Create a password"),
        description=_l("Use 12 characters or more. A few words you will remember, with spaces, "
                       "make a good password."),
        widget=GovPasswordInput(),
        validators=[DataRequired(message=messages.ENTER_NEW_PASSWORD), Length(max=128)],
    )
    password_confirm = PasswordField(
        _l("Confirm your password"),
        widget=GovPasswordInput(),
        validators=[DataRequired(message=messages.CONFIRM_PASSWORD), Length(max=128),
                    EqualTo("password", message=messages.PASSWORDS_DIFFER)],
    )
    submit = SubmitField(_l("Set password"), widget=GovSubmitInput())


class ForgotPasswordForm(Form):
    email = StringField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[DataRequired(message=messages.ENTER_EMAIL), Length(max=254),
                    Email(message=messages.EMAIL_FORMAT, check_deliverability=False)],
    )
    submit = SubmitField(_l("Send the link"), widget=GovSubmitInput())
