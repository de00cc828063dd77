"""Admin form for changing a staff account's role or access (S18)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import RadioField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from engage.forms import Form, messages, options
from engage.forms.messages import (
    ROLE_LABELS,
    SELECT_ACCESS,
    SELECT_ROLE,
)


class ResetTwoStepForm(Form):
    """The confirmation before an administrator resets someone's two-step verification."""

    submit = SubmitField(_l("Reset two-step verification"), widget=GovSubmitInput())


class UserAccessForm(Form):
    role = RadioField(_l("Role"), widget=GovRadioInput(),
                      choices=options(ROLE_LABELS.items()),
                      validators=[InputRequired(message=SELECT_ROLE)])
    active = RadioField(_l("May this person sign in?"), widget=GovRadioInput(),
                        choices=options([("yes", _l("Yes")), ("no", _l("No"))]),
                        validators=[InputRequired(message=SELECT_ACCESS)])
    submit = SubmitField(_l("Save changes"), widget=GovSubmitInput())


class InviteForm(Form):
    """An administrator invites someone: their address, name, role and organisation."""

    email = StringField(_l("Email address"), widget=GovTextInput(),
                        validators=[DataRequired(message=messages.ENTER_STAFF_EMAIL),
                                    Length(max=254),
                                    Email(message=messages.EMAIL_FORMAT,
                                          check_deliverability=False)])
    name = StringField(_l("Full name (optional)"), widget=GovTextInput(),
                       validators=[Optional(), Length(max=120, message=messages.NAME_TOO_LONG)])
    role = RadioField(_l("Role"), widget=GovRadioInput(),
                      choices=options(ROLE_LABELS.items()),
                      validators=[InputRequired(message=SELECT_ROLE)])
    organisation = StringField(
        _l("Partner organisation (optional)"),
        description=_l("For partner viewers, the organisation whose surveys they may see, "
                       "exactly as it is written in a survey's settings."),
        widget=GovTextInput(),
        validators=[Optional(), Length(max=120, message=messages.ORGANISATION_TOO_LONG)])
    submit = SubmitField(_l("Send invitation"), widget=GovSubmitInput())


class InvitationActionForm(Form):
    """Resend or withdraw an invitation (a button with its CSRF token)."""

    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class TwoStepRulesForm(Form):
    """Which roles must use two-step verification."""

    roles = SelectMultipleField(_l("Roles that must use two-step verification"),
                                widget=GovCheckboxesInput(), choices=options(ROLE_LABELS.items()),
                                validate_choice=True)
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())
