"""The form to upload a file of responses to import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length

SELECT_SURVEY = _l("Select the survey the responses answer")
ENTER_IMPORT_NAME = _l("Enter a name for this batch of responses")
IMPORT_NAME_TOO_LONG = _l("Name must be 64 characters or fewer")
SELECT_FILE = _l("Select a CSV or Excel file")


class UploadForm(FlaskForm):  # type: ignore[misc]
    """Which survey, a name for the batch, and the file. Survey choices are set by the route."""

    survey = SelectField(_l("Survey"), widget=GovSelect(), choices=[],
                         validators=[InputRequired(message=SELECT_SURVEY)])
    name = StringField(_l("Name of this batch"), widget=GovTextInput(),
                       description=_l("For example, Library users March 2026 (from SmartSurvey). "
                                      "Each response keeps it, so you can find them later."),
                       validators=[DataRequired(message=ENTER_IMPORT_NAME),
                                   Length(max=64, message=IMPORT_NAME_TOO_LONG)])
    upload = FileField(_l("File"), widget=GovFileInput(),
                       validators=[FileRequired(message=SELECT_FILE)],
                       description=_l("A CSV or Excel (.xlsx) file of up to 20 MB. The first row "
                                      "names the columns; each row after it is one response."))
    submit = SubmitField(_l("Upload and continue"), widget=GovSubmitInput())
