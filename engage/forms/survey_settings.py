"""A survey's settings: privacy (lawful basis, notice, retention, anonymity) in a draft, who
may see the results at any time, its opening and closing dates, and closing it to residents."""

from __future__ import annotations

from datetime import date
from typing import Any

from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, ValidationError

from engage.forms import Form, options
from engage.forms.mayor import YEARS
from engage.forms.messages import (
    DATE_REAL,
    ENTER_PRIVACY,
    RETENTION,
    SELECT_ANONYMOUS,
    SELECT_LAWFUL_BASIS,
    SELECT_RESPONDENTS,
)
from surveys.numerals import ascii_digits


class ResultsAccessForm(Form):
    """Who may see the results: roles (the route sets the choosable ones) and organisations."""

    results_roles = SelectMultipleField(choices=[], validate_choice=False)
    results_organisations = TextAreaField()
    # Who can respond online: "anyone" with the link or only people "invited"; a form without
    # the question keeps what the survey has.
    respondents = RadioField(choices=options([("anyone", "anyone"), ("invited", "invited")]),
                             validate_choice=False)

    def validate_respondents(self, field: Any) -> None:
        if field.data not in (None, "", "anyone", "invited"):
            raise ValidationError(SELECT_RESPONDENTS)

    def invitation_only(self, now: bool) -> bool:
        """Whether only invited people may respond (`now`: the survey's setting, kept when the
        form did not ask)."""
        return now if not self.respondents.data else self.respondents.data == "invited"

    def roles(self) -> list[str]:
        """The roles ticked, among those that can be chosen, in their order."""
        ticked = set(self.results_roles.data or [])
        return [choice.value for choice in self.results_roles.choices if choice.value in ticked]

    def organisations(self) -> list[str]:
        """One organisation a line (at most 50, each up to 120 characters)."""
        lines = (self.results_organisations.data or "").splitlines()
        return [line.strip()[:120] for line in lines if line.strip()][:50]


class SurveySettingsForm(ResultsAccessForm):
    """A draft's privacy settings as well; the route sets the lawful bases."""

    lawful_basis = RadioField(choices=[], validators=[
        InputRequired(message=SELECT_LAWFUL_BASIS)], invalid_choice_message=SELECT_LAWFUL_BASIS)
    privacy_notice = TextAreaField(validators=[
        DataRequired(message=ENTER_PRIVACY)])
    retention_days = StringField()
    anonymous = RadioField(choices=options([("yes", "yes"), ("no", "no")]), validators=[
        InputRequired(message=SELECT_ANONYMOUS)], invalid_choice_message=SELECT_ANONYMOUS)

    def __init__(self, *args: Any, max_days: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_days = max_days

    def validate_retention_days(self, field: Any) -> None:
        """A whole number of days from 1 to ``max_days``."""
        if not 1 <= self.days() <= self.max_days:
            raise ValidationError(RETENTION)

    def days(self) -> int:
        """The retention typed, or 0 when it is not a whole number."""
        text = self.retention_days.data or ""
        return int(text) if text.isdecimal() else 0


class CloseForm(Form):
    """Close the survey now: ``confirm`` "yes" (a post without it only shows the page)."""

    confirm = HiddenField()


DATE_PARTS = ("day", "month", "year")


class DatesForm(Form):
    """The opening and closing days, each typed in three boxes (``opens-day``, ``opens-month``,
    ``opens-year``; ``closes-...``); a date left wholly blank is no date."""

    def validate(self, extra_validators: Any = None) -> bool:
        """Each date is blank or real; a problem is shown at its day box."""
        valid: bool = super().validate(extra_validators)
        for prefix in ("opens", "closes"):
            try:
                self.day_of(prefix)
            except ValueError:
                self[f"{prefix}-day"].errors.append(DATE_REAL)
                valid = False
        return valid

    def day_of(self, prefix: str) -> date | None:
        """The date typed for ``prefix``, None when blank; ValueError when it is not real."""
        parts = [ascii_digits((self[f"{prefix}-{part}"].data or "").strip())
                 for part in DATE_PARTS]
        if not any(parts):
            return None
        try:
            day, month, year = (int(p) for p in parts)
            if not (parts[2].isascii() and YEARS[0] <= year <= YEARS[1]):
                raise ValueError(year)  # year 99999 overflows later; year 12 is a typing slip
            return date(year, month, day)
        except OverflowError as exc:
            raise ValueError(parts) from exc


for _prefix in ("opens", "closes"):
    for _part in DATE_PARTS:
        setattr(DatesForm, f"{_prefix}-{_part}", StringField())
