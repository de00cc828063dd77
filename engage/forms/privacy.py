"""Staff form for erasing one response by its reference (P2)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from engage.forms import Form
from engage.forms.messages import ENTER_RESPONSE_REFERENCE


class EraseLookupForm(Form):
    reference = StringField(
        _l("Response reference"), widget=GovTextInput(),
        description=_l("The reference the resident was given when they sent their answers, "
                       "like K7M3-9QPX."),
        validators=[DataRequired(message=ENTER_RESPONSE_REFERENCE), Length(max=40)])
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class EraseConfirmForm(Form):
    reference = StringField(validators=[DataRequired(message=ENTER_RESPONSE_REFERENCE),
                                        Length(max=40)])
    submit = SubmitField(_l("Erase this response"), widget=GovSubmitInput())
