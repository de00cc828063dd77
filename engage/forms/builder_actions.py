"""Survey builder actions on a draft's items that are buttons or short forms: move, delete,
the demographics block, copying a survey. (The question and condition editors read their
growing rows in engage.forms.builder.)"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField

from engage.forms import options, strip

ITEM_KINDS = options([("section", "section"), ("page", "page"), ("question", "question")])


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


class ItemForm(FlaskForm):  # type: ignore[misc]
    """One section, page or question of the draft (delete asks to confirm it first)."""

    kind = SelectField(choices=ITEM_KINDS)
    id = HiddenField()


class MoveForm(ItemForm):
    """Move the item up or down."""

    direction = SelectField(choices=options([("up", "up"), ("down", "down")]))


class DemographicsForm(FlaskForm):  # type: ignore[misc]
    """Which standard demographic questions the draft includes (the route sets the names)."""

    include = SelectMultipleField(choices=[], validate_choice=False)

    def included(self) -> list[str]:
        """The names ticked, among those there are, in their order."""
        ticked = set(self.include.data or [])
        return [choice.value for choice in self.include.choices if choice.value in ticked]


class CopyForm(FlaskForm):  # type: ignore[misc]
    """The web address of the copy (the route checks it as for a new survey)."""

    slug = StringField(filters=[strip, _lower])
