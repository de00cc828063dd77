"""Forms of the contact list page: upload a list, send, plan a reminder, erase a person."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovTextInput
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from engage.forms import Form, messages
from engage.forms.mayor import DateParts, RealDateField
from surveys.numerals import ascii_digits


class ContactUploadForm(Form):
    """The CSV file of contacts."""

    upload = FileField(_l("Contact list"), widget=GovFileInput(),
                       validators=[FileRequired(message=messages.SELECT_CONTACT_FILE)],
                       description=_l("A CSV file of up to 5MB. The first row names the "
                                      "columns: email or mobile (or both), and optionally name, "
                                      "ward and language (en for English or bn for Bengali: "
                                      "the language of their messages). Each row after it is "
                                      "one person."))


class ReminderForm(Form):
    """When to send a reminder to those who have not responded."""

    day = RealDateField(_l("Date"), widget=DateParts(), format="%d %m %Y",
                        validators=[InputRequired(message=messages.ENTER_REMINDER_DATE)])
    time = StringField(_l("Time"), widget=GovTextInput(),
                       description=_l("24-hour clock, like 09:30"),
                       validators=[DataRequired(message=messages.ENTER_REMINDER_TIME)])

    def validate_time(self, field: Any) -> None:
        """HH:MM on the 24-hour clock."""
        field.data = ascii_digits((field.data or "").strip())
        if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", field.data):
            raise ValidationError(messages.ENTER_REMINDER_TIME)


class EraseContactForm(Form):
    """The address of a person to remove from the list."""

    address = StringField(_l("Email address or mobile number"), widget=GovTextInput(),
                          validators=[DataRequired(message=messages.ENTER_CONTACT_ADDRESS),
                                      Length(max=254, message=messages.ENTER_CONTACT_ADDRESS)])


class SendForm(Form):
    """Send invitations now (a button), or a reminder (``kind`` "reminder"); the route sets the
    kinds."""

    kind = SelectField(choices=[], default="invite")
