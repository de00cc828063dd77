"""The forms of an import of responses: the upload, matching columns, matching answers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length

from engage.forms import Form, options
from engage.forms.messages import (
    ENTER_IMPORT_NAME,
    IMPORT_NAME_TOO_LONG,
    SELECT_IMPORT_FILE,
    SELECT_IMPORT_SURVEY,
)


class UploadForm(Form):
    """Which survey, a name for the batch, and the file. Survey choices are set by the route."""

    survey = SelectField(_l("Survey"), widget=GovSelect(), choices=[],
                         validators=[InputRequired(message=SELECT_IMPORT_SURVEY)])
    name = StringField(_l("Name of this batch"), widget=GovTextInput(),
                       description=_l("For example, Library users March 2026 (from SmartSurvey). "
                                      "Each response keeps it, so you can find them later."),
                       validators=[DataRequired(message=ENTER_IMPORT_NAME),
                                   Length(max=64, message=IMPORT_NAME_TOO_LONG)])
    upload = FileField(_l("File"), widget=GovFileInput(),
                       validators=[FileRequired(message=SELECT_IMPORT_FILE)],
                       description=_l("A CSV or Excel (.xlsx) file of up to 20 MB. The first row "
                                      "names the columns; each row after it is one response."))
    submit = SubmitField(_l("Upload and continue"), widget=GovSubmitInput())


def columns_form(count: int, choices: Sequence[tuple[str, str]]) -> Form:
    """The question each of a file's ``count`` columns goes to (``column-<index>``); a key not
    among ``choices`` (or "") leaves the column out."""

    class ColumnsForm(Form):
        def columns(self) -> dict[int, str]:
            """The chosen key of each column that is imported, by column index."""
            allowed = {key for key, _label in choices if key}
            picked = {index: self[f"column-{index}"].data for index in range(count)}
            return {index: key for index, key in picked.items() if key in allowed}

    for index in range(count):
        setattr(ColumnsForm, f"column-{index}",
                SelectField(choices=options(choices), validate_choice=False))
    return ColumnsForm()


def answers_form(columns: Sequence[Any]) -> Form:
    """The option each answer found in a choice column means (``value-<column>-<answer>``):
    "?" for not matched, "" for blank, or an option's id."""

    class AnswersForm(Form):
        def values(self) -> dict[str, dict[str, str]]:
            """The matched answers of each question, by question key then answer."""
            found: dict[str, dict[str, str]] = {}
            for c, column in enumerate(columns):
                table = found.setdefault(column.target.key, {})
                for v, value in enumerate(column.values):
                    field = self[f"value-{c}-{v}"]
                    if field.raw_data and field.data != "?":
                        table[value.key] = field.data
            return found

    for c, column in enumerate(columns):
        for v in range(len(column.values)):
            setattr(AnswersForm, f"value-{c}-{v}", StringField())
    return AnswersForm()
