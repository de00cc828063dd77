"""Survey builder forms that are buttons or short: move, delete, the demographics block,
copying a survey, translations. (The question and condition editors read their growing rows
in engage.forms.builder.)"""

from __future__ import annotations

from collections.abc import Sequence

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField

from engage.forms import options, strip
from engage.forms.builder import MAX_LENGTH_TEXT

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


def translations_form(paths: Sequence[str]) -> FlaskForm:
    """Every text of a draft in one language: ``t-<i>`` is the translation of the text at
    ``paths[i]``, and ``p-<i>`` repeats its path (a text that moved since the page was shown
    is left alone)."""

    class TranslationsForm(FlaskForm):  # type: ignore[misc]
        def translations(self) -> dict[str, str]:
            """The translations posted, by path, each cut to the longest text allowed."""
            found: dict[str, str] = {}
            for i, path in enumerate(paths):
                text, posted_path = self[f"t-{i}"], self[f"p-{i}"]
                if text.raw_data and posted_path.data == path:
                    found[path] = (text.data or "")[:MAX_LENGTH_TEXT]
            return found

    for i in range(len(paths)):
        setattr(TranslationsForm, f"t-{i}", TextAreaField())
        setattr(TranslationsForm, f"p-{i}", HiddenField())
    return TranslationsForm()
