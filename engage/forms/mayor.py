"""Ask the Mayor forms: the resident's question, the status check, and staff moderation forms."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from engage.forms import Form, messages, options
from engage.models.mayor import CHANNELS, REJECT_REASONS
from surveys import normalise_postcode
from surveys.numerals import ascii_digits

_PHONE = re.compile(r"^(?:\+44|0044|0)\d{9,10}$")


def words(text: str | None) -> int:
    """How many words a text has (as the GOV.UK character count counts them)."""
    return len((text or "").split())


class WordLimit:
    """Refuse text over a number of words."""

    def __init__(self, limit: int, message: Any) -> None:
        self.limit = limit
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if words(field.data) > self.limit:
            raise ValidationError(self.message)


def tidy_phone(value: str) -> str | None:
    """A UK phone number without spaces, brackets or dashes, or None if it is not one."""
    compact = re.sub(r"[\s()\-.]", "", value or "")
    return compact if _PHONE.match(compact) else None


# Staff dates (due dates, sessions, opening and closing, analysis ranges) lie in these years.
YEARS = (1900, 2200)


class DateParts(GovDateInput):  # type: ignore[misc]
    """GOV.UK date input that survives an empty post and has translated labels."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        raw = field.raw_data
        if raw is not None and len(raw) != 3:
            field.raw_data = [*list(raw)[:3], "", "", ""][:3]
        params: dict[str, Any] = super().map_gov_params(field, **kwargs)
        field.raw_data = raw
        for item, label in zip(params["items"], (_l("Day"), _l("Month"), _l("Year")),
                               strict=True):
            item["label"] = str(label)
        return params


class RealDateField(DateField):  # type: ignore[misc]
    """A date from day, month and year boxes: a four-figure year from 1900 to 2200, or the
    GOV.UK message (never a parser's own words, never an overflow later)."""

    data: date | None

    @property
    def entered(self) -> date:
        """The date, once the form has validated a required field (never None then)."""
        if self.data is None:
            raise ValueError(f"{self.name}: validate the form before reading the date")
        return self.data

    def process_formdata(self, valuelist: list[str]) -> None:
        valuelist = [ascii_digits(v) for v in valuelist]  # ২৭ ৩ ২০২৬ is 27 3 2026
        year = valuelist[2].strip() if len(valuelist) == 3 else ""
        if any(v.strip() for v in valuelist) and not (
                year.isascii() and year.isdigit() and YEARS[0] <= int(year) <= YEARS[1]):
            self.data = None
            raise ValueError(str(messages.DATE_REAL))
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            self.data = None
            raise ValueError(str(messages.DATE_REAL)) from exc


class QuestionForm(Form):
    """A resident's question to the Mayor. Topic and ward choices are set by the route."""

    question = TextAreaField(
        _l("Your question"),
        widget=GovCharacterCount(),
        description=_l("Write in plain words. Do not include personal details such as your "
                       "address or health."),
        validators=[DataRequired(message=messages.ENTER_QUESTION),
                    WordLimit(messages.QUESTION_WORDS, messages.QUESTION_TOO_LONG),
                    Length(max=2000, message=messages.QUESTION_TOO_LONG)],
    )
    topic = RadioField(_l("What is your question about?"), widget=GovRadioInput(),
                       validators=[InputRequired(message=messages.SELECT_TOPIC)], choices=[])
    ward = SelectField(_l("Your ward"), widget=GovSelect(), choices=[],
                       description=_l("If you do not know your ward, enter your postcode "
                                      "instead."),
                       validators=[Optional()])
    postcode = StringField(_l("Or your postcode"), widget=GovTextInput(),
                           validators=[Length(max=10, message=messages.POSTCODE_FORMAT)])
    consent = RadioField(
        _l("Can we publish your question and the answer on this website?"),
        widget=GovRadioInput(),
        description=_l("We never publish your name or contact details."),
        choices=options([("yes", _l("Yes")), ("no", _l("No, keep it private"))]),
        validators=[InputRequired(message=messages.SELECT_CONSENT)],
    )
    name = StringField(_l("Your name (optional)"), widget=GovTextInput(),
                       validators=[Length(max=120, message=messages.NAME_TOO_LONG)])
    email = StringField(_l("Email address (optional)"), widget=GovTextInput(),
                        description=_l("We will email you when your question is answered."),
                        validators=[Optional(), Length(max=254, message=messages.EMAIL_FORMAT),
                                    Email(message=messages.EMAIL_FORMAT,
                                          check_deliverability=False)])
    phone = StringField(_l("Phone number (optional)"), widget=GovTextInput(),
                        validators=[Length(max=32, message=messages.PHONE_FORMAT)])
    website = StringField(_l("Leave this empty"))  # honeypot: people never see it
    submit = SubmitField(_l("Send your question"), widget=GovSubmitInput())

    def validate_postcode(self, field: Any) -> None:
        """A postcode must be a full one; either a ward or a postcode is needed."""
        if field.data and field.data.strip():
            tidy = normalise_postcode(field.data)
            if tidy is None:
                raise ValidationError(messages.POSTCODE_FORMAT)
            field.data = tidy
        elif not self.ward.data:
            raise ValidationError(messages.WARD_OR_POSTCODE)

    def validate_phone(self, field: Any) -> None:
        """A UK phone number, if one is given."""
        if field.data and field.data.strip() and tidy_phone(field.data) is None:
            raise ValidationError(messages.PHONE_FORMAT)

    @property
    def is_spam(self) -> bool:
        """True when the hidden honeypot field was filled in (by a robot): anything sent in
        it, spaces too (read before the base form strips it)."""
        return any(self.website.raw_data or ())


class AssistedQuestionForm(QuestionForm):
    """Staff enter a question for a resident, recording how it was given."""

    channel = RadioField(_l("How was the question given?"), widget=GovRadioInput(),
                         choices=options([(c, messages.CHANNEL_LABELS[c]) for c in CHANNELS
                                  if c != "online"]),
                         validators=[InputRequired(message=messages.SELECT_CHANNEL)])
    event = StringField(_l("Event (optional)"), widget=GovTextInput(),
                        description=_l("For example, Whitechapel community fair, 14 March"),
                        validators=[Length(max=200)])
    submit = SubmitField(_l("Save the question"), widget=GovSubmitInput())


class ReferenceForm(Form):
    """Check the status of a question by its reference (a GET form: nothing changes)."""

    class Meta:
        csrf = False

    reference = StringField(_l("Your reference"), widget=GovTextInput(),
                            description=_l("It looks like K7M3-9QPX. It was shown when you "
                                           "sent your question."),
                            validators=[DataRequired(message=messages.ENTER_REFERENCE),
                                        Length(max=20, message=messages.REFERENCE_FORMAT)])
    submit = SubmitField(_l("Check the status"), widget=GovSubmitInput())


class SupportForm(Form):
    """"I want to know this too" under a published answer, and the page of answers it was on
    (``back``), to go back to."""

    back = HiddenField()

    def back_to(self, default: str) -> str:
        """The page of answers it was sent from; `default` for any other address."""
        back = self.back.data or ""
        return back if back.startswith("/ask-the-mayor/answers") else default


class RejectForm(Form):
    reason = RadioField(_l("Why is it not taken forward?"), widget=GovRadioInput(),
                        choices=options((r, messages.REJECT_REASON_LABELS[r])
                                        for r in REJECT_REASONS),
                        validators=[InputRequired(message=messages.SELECT_REJECT_REASON)])
    note = TextAreaField(_l("Note (optional)"), widget=GovTextArea(),
                         validators=[Length(max=2000)])
    submit = SubmitField(_l("Do not take forward"), widget=GovSubmitInput())


class WordingForm(Form):
    wording = TextAreaField(_l("Public wording"), widget=GovTextArea(),
                            validators=[DataRequired(message=messages.ENTER_WORDING),
                                        Length(max=2000)])
    submit = SubmitField(_l("Save the public wording"), widget=GovSubmitInput())


class DuplicateForm(Form):
    original = StringField(_l("Reference of the original question"), widget=GovTextInput(),
                           validators=[DataRequired(message=messages.ENTER_ORIGINAL_REFERENCE),
                                       Length(max=20)])
    submit = SubmitField(_l("Mark as duplicate"), widget=GovSubmitInput())


class AssignForm(Form):
    # The route checks the officer (messages.MAYOR_ERRORS), so a bad choice gets a GOV.UK message.
    officer = SelectField(_l("Officer"), widget=GovSelect(), choices=[], validators=[Optional()],
                          validate_choice=False)
    organisation = StringField(_l("Or partner organisation"), widget=GovTextInput(),
                               validators=[Length(max=120)])
    due_on = RealDateField(_l("Due date"), widget=DateParts(), format="%d %m %Y",
                       validators=[InputRequired(message=messages.ENTER_DUE_DATE)])
    submit = SubmitField(_l("Assign"), widget=GovSubmitInput())

    def validate_due_on(self, field: Any) -> None:
        """Due dates in the past are refused."""
        if field.data is not None and field.data < date.today():
            raise ValidationError(messages.MAYOR_ERRORS["due_in_past"])

    def validate_organisation(self, field: Any) -> None:
        """Someone must be named."""
        if not self.officer.data and not (field.data or "").strip():
            raise ValidationError(messages.CHOOSE_ASSIGNEE)


class AnswerForm(Form):
    answer = TextAreaField(_l("Answer"), widget=GovTextArea(),
                           validators=[DataRequired(message=messages.ENTER_ANSWER),
                                       Length(max=10000)])
    submit = SubmitField(_l("Save the answer"), widget=GovSubmitInput())


class SessionForm(Form):
    title = StringField(_l("Title"), widget=GovTextInput(),
                        validators=[DataRequired(message=messages.ENTER_SESSION_TITLE),
                                    Length(max=200)])
    day = RealDateField(_l("Date"), widget=DateParts(), format="%d %m %Y",
                    validators=[InputRequired(message=messages.ENTER_SESSION_DATE)])
    time = StringField(_l("Start time"), widget=GovTextInput(),
                       description=_l("24-hour clock, like 18:30"), default="18:30",
                       validators=[DataRequired(message=messages.ENTER_SESSION_DATE)])
    place = StringField(_l("Place"), widget=GovTextInput(),
                        validators=[DataRequired(message=messages.ENTER_SESSION_PLACE),
                                    Length(max=200)])
    submit = SubmitField(_l("Create the session"), widget=GovSubmitInput())

    def validate_time(self, field: Any) -> None:
        """HH:MM on the 24-hour clock."""
        field.data = ascii_digits((field.data or "").strip())  # ১৮:৩০ is 18:30
        if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", field.data):
            raise ValidationError(messages.ENTER_SESSION_DATE)


class PickForm(Form):
    questions = SelectMultipleField(_l("Questions for this session"), widget=GovCheckboxesInput(),
                                    choices=[], coerce=int,
                                    validators=[DataRequired(message=messages.PICK_QUESTIONS)])
    submit = SubmitField(_l("Add to the session"), widget=GovSubmitInput())


class TopicForm(Form):
    name_en = StringField(_l("Topic name in English"), widget=GovTextInput(),
                          validators=[DataRequired(message=messages.ENTER_TOPIC_NAME),
                                      Length(max=120)])
    name_bn = StringField(_l("Topic name in Bengali (optional)"), widget=GovTextInput(),
                          validators=[Length(max=120)])
    submit = SubmitField(_l("Add the topic"), widget=GovSubmitInput())


class TopicToggleForm(Form):
    """Hide a topic from the resident form (``active`` "0") or show it again ("1")."""

    active = HiddenField()


class ApproverRuleForm(Form):
    """Separation of duties: whether the person who drafted an answer may approve it."""

    separate = RadioField(
        _l("Can the person who drafted an answer approve it?"), widget=GovRadioInput(),
        choices=options([("on", _l("No, someone else must approve it (recommended)")),
                         ("off", _l("Yes, a moderator may approve their own draft"))]),
        validators=[InputRequired(message=messages.SELECT_APPROVER_RULE)],
        invalid_choice_message=messages.SELECT_APPROVER_RULE)
