"""Consultation hub forms: a consultation's details (staff), an event, a background document,
and a resident's email subscription. Choices are set by the route."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, ValidationError

from engage.forms import Form, messages, options
from engage.forms.mayor import DateParts, RealDateField
from engage.forms.messages import EVENT_KIND_LABELS
from surveys.numerals import ascii_digits

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
TEXT_MAX = 5000
RESERVED = {"subscribe", "confirm", "unsubscribe", "email"}


def _text(label: Any, description: Any = None) -> TextAreaField:
    return TextAreaField(label, widget=GovTextArea(), description=description,
                         validators=[Length(max=TEXT_MAX, message=messages.TEXT_TOO_LONG)])


def _title(label: Any, required: bool) -> StringField:
    checks = [Length(max=200, message=messages.TITLE_TOO_LONG)]
    if required:
        checks.insert(0, DataRequired(message=messages.ENTER_CONSULTATION_TITLE))
    return StringField(label, widget=GovTextInput(), validators=checks)


class ConsultationForm(Form):
    """A consultation's details, its surveys, topics and wards."""

    title_en = _title(_l("Title"), True)
    title_bn = _title(_l("Title in Bengali (optional)"), False)
    slug = StringField(_l("Web address"), widget=GovTextInput(),
                       description=_l("Lower-case letters, digits and dashes, like "
                                      "library-opening-hours"),
                       validators=[DataRequired(message=messages.ENTER_CONSULTATION_SLUG),
                                   Length(max=80, message=messages.ENTER_CONSULTATION_SLUG)])
    organisation = StringField(_l("Organisation that runs it"), widget=GovTextInput(),
                               description=_l("For example, Tower Hamlets Council"),
                               validators=[DataRequired(message=messages.ENTER_ORGANISATION),
                                           Length(max=120)])
    summary_en = _text(_l("What it is about"))
    summary_bn = _text(_l("What it is about, in Bengali (optional)"))
    why_en = _text(_l("Why we are asking"))
    why_bn = _text(_l("Why we are asking, in Bengali (optional)"))
    next_en = _text(_l("What happens next"))
    next_bn = _text(_l("What happens next, in Bengali (optional)"))
    ways_en = _text(_l("Other ways to respond"),
                    _l("Phone, paper copies, other languages, easy read on request"))
    ways_bn = _text(_l("Other ways to respond, in Bengali (optional)"))
    opens_on = RealDateField(_l("Opens on"), widget=DateParts(), format="%d %m %Y",
                             description=_l("For example, 27 3 2026"),
                             validators=[InputRequired(message=messages.ENTER_OPENS_ON)])
    closes_on = RealDateField(_l("Closes on"), widget=DateParts(), format="%d %m %Y",
                              description=_l("For example, 27 4 2026"),
                              validators=[InputRequired(message=messages.ENTER_CLOSES_ON)])
    surveys = SelectMultipleField(_l("Surveys"), widget=GovCheckboxesInput(), choices=[],
                                  coerce=int)
    topics = SelectMultipleField(_l("Topics"), widget=GovCheckboxesInput(), choices=[],
                                 coerce=int)
    wards = SelectMultipleField(_l("Wards (none for the whole borough)"),
                                widget=GovCheckboxesInput(), choices=[])
    submit = SubmitField(_l("Save the consultation"), widget=GovSubmitInput())

    def validate_slug(self, field: Any) -> None:
        """Lower-case letters, digits and single dashes."""
        field.data = (field.data or "").strip()
        if not SLUG.fullmatch(field.data) or field.data in RESERVED:
            raise ValidationError(messages.ENTER_CONSULTATION_SLUG)

    def validate_closes_on(self, field: Any) -> None:
        """Not before it opens."""
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError(messages.CLOSES_BEFORE_OPENS)


class EventForm(Form):
    """An event or group session."""

    kind = RadioField(_l("Type"), widget=GovRadioInput(),
                      choices=options(EVENT_KIND_LABELS.items()),
                      validators=[InputRequired(message=messages.SELECT_EVENT_KIND)])
    title = StringField(_l("Name"), widget=GovTextInput(),
                        validators=[DataRequired(message=messages.ENTER_EVENT_TITLE),
                                    Length(max=200, message=messages.TITLE_TOO_LONG)])
    day = RealDateField(_l("Date"), widget=DateParts(), format="%d %m %Y",
                        validators=[InputRequired(message=messages.ENTER_EVENT_DATE)])
    time = StringField(_l("Start time"), widget=GovTextInput(),
                       description=_l("24-hour clock, like 18:30"),
                       validators=[DataRequired(message=messages.ENTER_EVENT_TIME)])
    place = StringField(_l("Place"), widget=GovTextInput(),
                        validators=[DataRequired(message=messages.ENTER_EVENT_PLACE),
                                    Length(max=200)])
    accessibility = TextAreaField(
        _l("Accessibility (optional)"), widget=GovTextArea(),
        description=_l("Step-free access, hearing loop, interpreters, childcare"),
        validators=[Length(max=TEXT_MAX, message=messages.TEXT_TOO_LONG)])
    submit = SubmitField(_l("Add the event"), widget=GovSubmitInput())

    def validate_time(self, field: Any) -> None:
        """HH:MM on the 24-hour clock."""
        field.data = ascii_digits((field.data or "").strip())
        if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", field.data):
            raise ValidationError(messages.ENTER_EVENT_TIME)


class DocumentForm(Form):
    """A background document: a file or a link."""

    title = StringField(_l("Title"), widget=GovTextInput(),
                        validators=[DataRequired(message=messages.ENTER_DOCUMENT_TITLE),
                                    Length(max=200, message=messages.TITLE_TOO_LONG)])
    file = FileField(_l("File (PDF or office file, up to 10 MB)"), widget=GovFileInput())
    url = StringField(_l("Or a link"), widget=GovTextInput(),
                      validators=[Length(max=500, message=messages.DOCUMENT_LINK_FORMAT)])
    submit = SubmitField(_l("Add the document"), widget=GovSubmitInput())

    def validate_url(self, field: Any) -> None:
        """Exactly one of file and link; links are https."""
        field.data = (field.data or "").strip()
        has_file = bool(self.file.data and getattr(self.file.data, "filename", ""))
        if has_file == bool(field.data):
            raise ValidationError(messages.DOCUMENT_FILE_OR_LINK)
        if field.data and not re.fullmatch(r"https://[^\s<>\"]+", field.data):
            raise ValidationError(messages.DOCUMENT_LINK_FORMAT)


class SubscribeForm(Form):
    """A resident's subscription: to a consultation (set by the page), or to a ward or topic."""

    email = StringField(_l("Email address"), widget=GovTextInput(),
                        validators=[DataRequired(message=messages.ENTER_EMAIL),
                                    Length(max=254, message=messages.EMAIL_FORMAT),
                                    Email(message=messages.EMAIL_FORMAT,
                                          check_deliverability=False)])
    ward = SelectField(_l("Ward"), widget=GovSelect(), choices=[], default="")
    topic = SelectField(_l("Topic"), widget=GovSelect(), choices=[], default="")
    submit = SubmitField(_l("Subscribe"), widget=GovSubmitInput())


class StatusForm(Form):
    """Publish, close, or publish the results (a button each; the service checks ``action``)."""

    action = HiddenField()
