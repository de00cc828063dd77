"""Survey builder forms that are buttons or short: a new survey and its details, move,
delete, the demographics block, copying a survey, translations. (The section, question, page
and condition forms are in engage.forms.builder.)"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from werkzeug.datastructures import MultiDict
from wtforms import (
    FieldList,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from engage.forms import Form, options
from engage.forms.builder import MAX_LENGTH_TEXT, TextsForm, WholeNumber, add_texts
from engage.forms.messages import ENTER_TITLE

ITEM_KINDS = options([("section", "section"), ("page", "page"), ("question", "question")])


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


class ItemForm(Form):
    """One section, page or question of the draft (delete asks to confirm it first)."""

    kind = SelectField(choices=ITEM_KINDS)
    id = HiddenField()


class MoveForm(ItemForm):
    """Move the item up or down."""

    direction = SelectField(choices=options([("up", "up"), ("down", "down")]))


class DemographicsForm(Form):
    """Which standard demographic questions the draft includes (the route sets the names)."""

    include = SelectMultipleField(choices=[], validate_choice=False)

    def included(self) -> list[str]:
        """The names ticked, among those there are, in their order."""
        ticked = set(self.include.data or [])
        return [choice.value for choice in self.include.choices if choice.value in ticked]


class CopyForm(Form):
    """The web address of the copy (the route checks it as for a new survey)."""

    slug = StringField(filters=[_lower])


def translations_form(paths: Sequence[str]) -> Form:
    """Every text of a draft in one language: ``t-<i>`` is the translation of the text at
    ``paths[i]``, and ``p-<i>`` repeats its path (a text that moved since the page was shown
    is left alone)."""

    class TranslationsForm(Form):
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
    (their macros read it by field name, as ``form.get("title-en")``)."""
    found: MultiDict[str, str] = MultiDict()
    _add_typed(form, found)
    return found


def _add_typed(fields: Iterable[Any], found: MultiDict[str, str]) -> None:
    for field in fields:
        if isinstance(field, (FieldList, FormField)):  # rows: their fields, by full name
            _add_typed(field, found)
            continue
        for value in field.raw_data or []:
            found.add(field.name, value)


class _LanguagesForm(TextsForm):
    languages = SelectMultipleField(choices=options([("en", "en"), ("bn", "bn")]),
                                    validate_choice=False)

    def chosen(self, main: str) -> list[str]:
        """The main language, then the others ticked."""
        ticked = self.languages.data or []
        return [main] + [x for x in ("en", "bn") if x in ticked and x != main]


def new_survey_form() -> Form:
    """A new survey: its web address (the route checks it), title and languages."""

    class NewSurveyForm(_LanguagesForm):
        slug = StringField(filters=[_lower])

    add_texts(NewSurveyForm, "title", ("en", "bn"), required=ENTER_TITLE)
    return NewSurveyForm()


def details_form(langs: Sequence[str]) -> Form:
    """A draft's title and description in its languages, its languages, time to answer and
    page layout."""

    class DetailsForm(_LanguagesForm):
        pass

    add_texts(DetailsForm, "title", langs, required=ENTER_TITLE)
    add_texts(DetailsForm, "description", langs)
    DetailsForm.estimated_minutes = StringField(validators=[WholeNumber(1, 240)])
    DetailsForm.layout = StringField()
    DetailsForm.max_questions_per_page = StringField(validators=[WholeNumber(1, 20)])
    return DetailsForm()
