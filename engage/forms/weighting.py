"""Forms of the weighting pages: population upload, quotas, weighting runs (their messages
are in engage.forms.messages)."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import HiddenField, RadioField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from engage.forms import Form, options
from engage.forms.messages import (
    ENTER_QUOTA,
    ENTER_SAMPLE_SIZE,
    ENTER_TRIM_LOWER,
    ENTER_TRIM_UPPER,
    SAMPLE_SIZE_RANGE,
    SELECT_MISSING,
    SELECT_POPULATION_FILE,
)


class PopulationUploadForm(Form):
    file = FileField(_l("Population file (CSV)"), widget=GovFileInput(),
                     description=_l("Columns ward, age_band, sex and population: one row for "
                                    "each ward, age band and sex."),
                     validators=[FileRequired(message=SELECT_POPULATION_FILE)])
    label = StringField(_l("Name of these figures (optional)"), widget=GovTextInput(),
                        description=_l("For example, Census 2021 residents aged 16 and over"),
                        validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Upload the population"), widget=GovSubmitInput())


class IllustrativeForm(Form):
    submit = SubmitField(_l("Use the illustrative population"), widget=GovSubmitInput())


class SampleSizeForm(Form):
    sample_size = StringField(
        _l("Interviews wanted in all"), widget=GovTextInput(),
        description=_l("Quotas for every cell are set in proportion to the population."),
        validators=[InputRequired(message=ENTER_SAMPLE_SIZE)])
    submit = SubmitField(_l("Set quotas from the population"), widget=GovSubmitInput())

    def validate_sample_size(self, field: Any) -> None:
        """A whole number from 1 to 1,000,000 (commas allowed)."""
        value = whole_number(field.data)
        if value is None:
            raise ValidationError(ENTER_SAMPLE_SIZE)
        if not 1 <= value <= 1_000_000:
            raise ValidationError(SAMPLE_SIZE_RANGE)


def whole_number(text: str | None) -> int | None:
    """A whole number 0 or more from what was typed (commas and spaces allowed), else None."""
    compact = (text or "").replace(",", "").strip()
    return int(compact) if re.fullmatch(r"[0-9]{1,9}", compact) else None


class QuotaTarget:
    """Validator: a quota cell's target, a whole number from 0 to 1,000,000."""

    def __call__(self, form: Any, field: Any) -> None:
        value = whole_number(field.data)
        if value is None or value > 1_000_000:
            raise ValidationError(ENTER_QUOTA)


def quota_form(names: list[str]) -> Form:
    """The quotas of one ward: a target for each cell (age band and sex) named in ``names``."""

    class QuotaForm(Form):
        ward = HiddenField()

    for name in names:
        setattr(QuotaForm, name, StringField(validators=[QuotaTarget()]))
    return QuotaForm()


def _number(text: str | None) -> float | None:
    try:
        return float((text or "").strip())
    except ValueError:
        return None


class RunForm(Form):
    trim_upper = StringField(_l("Largest weight, as a multiple of the average weight"),
                             widget=GovTextInput(), default="5",
                             description=_l("Weights above this are capped. Leave blank for no "
                                            "cap."))
    trim_lower = StringField(_l("Smallest weight, as a multiple of the average weight"),
                             widget=GovTextInput(), default="0.2",
                             description=_l("Weights below this are raised. Leave blank for no "
                                            "floor."))
    missing = RadioField(
        _l("Responses that did not give their ward, age or sex"), widget=GovRadioInput(),
        default="keep",
        choices=options([("keep", _l("Keep them: weight them on what they did give")),
                 ("drop", _l("Leave them out of the weighted results"))]),
        validators=[InputRequired(message=SELECT_MISSING)])
    submit = SubmitField(_l("Run the weighting"), widget=GovSubmitInput())

    def validate_trim_upper(self, field: Any) -> None:
        """Blank, or a number from 1 to 100."""
        if (field.data or "").strip():
            value = _number(field.data)
            if value is None or not 1 <= value <= 100:
                raise ValidationError(ENTER_TRIM_UPPER)

    def validate_trim_lower(self, field: Any) -> None:
        """Blank, or a number from 0 to 1."""
        if (field.data or "").strip():
            value = _number(field.data)
            if value is None or not 0 <= value <= 1:
                raise ValidationError(ENTER_TRIM_LOWER)

    def bound(self, name: str) -> float | None:
        """A trimming bound as a number (None when left blank)."""
        return _number(getattr(self, name).data)

