"""Fieldwork forms: starting an interview, interviewers' targets, keying paper sheets. The
questions themselves are validated by the survey engine, as on the resident's pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from engage.forms import Form, fill, messages, options, strip
from engage.models.response import BATCH_MAX, SHEET_MAX


def _batch(required: bool) -> StringField:
    """The label on a bundle of sheets or a round of interviews."""
    first = [DataRequired(message=messages.ENTER_BATCH)] if required else []
    return StringField(validators=[
        *first, Length(max=BATCH_MAX, message=fill(messages.BATCH_TOO_LONG, limit=BATCH_MAX))])


def _choice(message: Any, choices: Sequence[tuple[str, str]] = ()) -> RadioField:
    """One of a few values, with one message when none (or another) was chosen."""
    return RadioField(choices=options(choices), filters=[strip],
                      validators=[InputRequired(message=message)],
                      invalid_choice_message=message)


class InterviewSetupForm(Form):
    """Before the questions: the language and channel (the route sets their choices), a
    proxy or not, the batch, and the resident's consent."""

    language = _choice(messages.SELECT_INTERVIEW_LANGUAGE)
    channel = _choice(messages.SELECT_INTERVIEW_CHANNEL)
    proxy = _choice(messages.SELECT_PROXY, [("no", "no"), ("yes", "yes")])
    batch = _batch(required=False)
    consent = _choice(messages.SELECT_INTERVIEW_CONSENT, [("yes", "yes"), ("no", "no")])


class PaperSheetForm(Form):
    """A keyed sheet's batch, number and language (the route sets the languages)."""

    batch = _batch(required=True)
    sheet_number = StringField(validators=[
        DataRequired(message=messages.ENTER_SHEET_NUMBER),
        Length(max=SHEET_MAX, message=fill(messages.SHEET_NUMBER_TOO_LONG, limit=SHEET_MAX))])
    language = RadioField(choices=[], validators=[
        InputRequired(message=messages.SELECT_PAPER_LANGUAGE)],
        invalid_choice_message=messages.SELECT_PAPER_LANGUAGE)


class SheetLookupForm(Form):
    """Find a keyed sheet to key again (a search: read from the address, no token)."""

    class Meta:
        csrf = False

    batch = StringField(validators=[DataRequired(message=messages.ENTER_BATCH)])
    sheet_number = StringField(validators=[
        DataRequired(message=messages.ENTER_SHEET_NUMBER)])


class TargetNumber:
    """Validator: empty (no target) or a whole number up to ``limit``; the message names the
    interviewer."""

    def __init__(self, name: str, limit: int) -> None:
        self.name, self.limit = name, limit

    def __call__(self, form: Any, field: Any) -> None:
        value = field.data or ""
        if value and (not value.isdecimal() or int(value) > self.limit):
            raise ValidationError(fill(messages.TARGET_FORMAT, name=self.name))


def targets_form(people: Sequence[tuple[int, str]], limit: int) -> Form:
    """A target of complete interviews for each interviewer (user id, name), named
    ``target-<user id>``; empty means no target."""

    class TargetsForm(Form):
        def targets(self) -> dict[int, int | None]:
            """The target of each interviewer, None where it was left empty."""
            found: dict[int, int | None] = {}
            for user_id, _name in people:
                value = self[f"target-{user_id}"].data or ""
                found[user_id] = int(value) if value else None
            return found

    for user_id, name in people:
        setattr(TargetsForm, f"target-{user_id}", StringField(
            validators=[TargetNumber(name, limit)]))
    return TargetsForm()
