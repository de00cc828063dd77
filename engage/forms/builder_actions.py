"""Survey builder forms that are buttons or short: a new survey and its details, move,
delete, the demographics block, copying a survey, translations. (The question and condition
editors read their growing rows in engage.forms.builder.)"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from engage.forms import options, strip
from engage.forms.builder import ENTER_TITLE, MAX_LENGTH_TEXT, WHOLE_NUMBER

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


def typed(form: Any) -> MultiDict[str, str]:
    """What was typed in each field of a form, for the builder's templates that show it again
    (their macros are shared with the question editor, which reads the posted data)."""
    found: MultiDict[str, str] = MultiDict()
    for field in form:
        for value in field.raw_data or []:
            found.add(field.name, value)
    return found


def _text(value: object) -> object:
    """Per-language text as stored: without the spaces around it, cut to the longest allowed."""
    return value.strip()[:MAX_LENGTH_TEXT] if isinstance(value, str) else value


class WholeNumber:
    """Validator: blank, or a whole number from ``low`` to ``high``."""

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def __call__(self, form: Any, field: Any) -> None:
        raw = (field.data or "").strip()
        if raw and (not re.fullmatch(r"\d+", raw) or not self.low <= int(raw) <= self.high):
            raise ValidationError(WHOLE_NUMBER)


class _LanguagesForm(FlaskForm):  # type: ignore[misc]
    languages = SelectMultipleField(choices=options([("en", "en"), ("bn", "bn")]),
                                    validate_choice=False)

    def texts(self, prefix: str, langs: Sequence[str]) -> dict[str, str]:
        """The text typed for each language as ``<prefix>-<language>``."""
        return {lang: self[f"{prefix}-{lang}"].data or "" for lang in langs}

    def chosen(self, main: str) -> list[str]:
        """The main language, then the others ticked."""
        ticked = self.languages.data or []
        return [main] + [x for x in ("en", "bn") if x in ticked and x != main]


def _add_texts(form_class: type, prefix: str, langs: Sequence[str], required: bool) -> None:
    """A text box per language (``<prefix>-<language>``); the first may be required."""
    for i, lang in enumerate(langs):
        first = [DataRequired(message=ENTER_TITLE)] if required and i == 0 else []
        setattr(form_class, f"{prefix}-{lang}", StringField(filters=[_text], validators=first))


def new_survey_form() -> FlaskForm:
    """A new survey: its web address (the route checks it), title and languages."""

    class NewSurveyForm(_LanguagesForm):
        slug = StringField(filters=[strip, _lower])

    _add_texts(NewSurveyForm, "title", ("en", "bn"), required=True)
    return NewSurveyForm()


def details_form(langs: Sequence[str]) -> FlaskForm:
    """A draft's title and description in its languages, its languages, time to answer and
    page layout."""

    class DetailsForm(_LanguagesForm):
        pass

    _add_texts(DetailsForm, "title", langs, required=True)
    _add_texts(DetailsForm, "description", langs, required=False)
    DetailsForm.estimated_minutes = StringField(validators=[WholeNumber(1, 240)])
    DetailsForm.layout = StringField()
    DetailsForm.max_questions_per_page = StringField(validators=[WholeNumber(1, 20)])
    return DetailsForm()
