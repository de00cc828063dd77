"""The question bank: saving a draft's question or block under a name, adding one to a draft."""

from __future__ import annotations

from wtforms import HiddenField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from engage.forms import Form
from engage.forms.messages import BANK_PROBLEMS
from engage.models.bank import MAX_NAME


class BankSaveForm(Form):
    """Which item of the draft (``kind`` and ``id``) and the name to save it under."""

    kind = HiddenField()
    id = HiddenField()
    name = StringField(validators=[
        DataRequired(message=BANK_PROBLEMS["name_missing"]),
        Length(max=MAX_NAME, message=BANK_PROBLEMS["name_long"])])


class BankAddForm(Form):
    """The entry to add, and the section a question goes to; the route sets the choices and
    checks the section when the entry is a question."""

    entry = RadioField(choices=[],
                       validators=[InputRequired(message=BANK_PROBLEMS["entry_missing"])],
                       invalid_choice_message=BANK_PROBLEMS["entry_missing"])
    section = SelectField(choices=[], validate_choice=False)
