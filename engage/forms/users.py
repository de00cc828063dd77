"""Admin form for changing a staff account's role or access (S18)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

from engage.forms.messages import ROLE_LABELS

SELECT_ROLE = _l("Select a role")
SELECT_ACCESS = _l("Select yes if this person may sign in")
OWN_ACCOUNT = _l("You cannot change your own role or stop yourself signing in")


class ResetTwoStepForm(FlaskForm):  # type: ignore[misc]
    """The confirmation before an administrator resets someone's two-step verification."""

    submit = SubmitField(_l("Reset two-step verification"), widget=GovSubmitInput())


class UserAccessForm(FlaskForm):  # type: ignore[misc]
    role = RadioField(_l("Role"), widget=GovRadioInput(),
                      choices=list(ROLE_LABELS.items()),
                      validators=[InputRequired(message=SELECT_ROLE)])
    active = RadioField(_l("May this person sign in?"), widget=GovRadioInput(),
                        choices=[("yes", _l("Yes")), ("no", _l("No"))],
                        validators=[InputRequired(message=SELECT_ACCESS)])
    submit = SubmitField(_l("Save changes"), widget=GovSubmitInput())
