"""WTForms on GOV.UK Design System widgets."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import wtforms
from flask_babel import LazyString
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.meta import DefaultMeta


def options(pairs: Iterable[tuple[str, Any]]) -> list[SelectChoice]:
    """A field's choices from (value, label) pairs, in the form WTForms 3.3 asks for (it warns
    on bare tuples, and 3.4 will refuse them)."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value: object) -> object:
    """A field filter: text without the spaces around it (what a person typed by mistake)."""
    return value.strip() if isinstance(value, str) else value


class StripMeta(DefaultMeta):  # type: ignore[misc]
    """Binds every text field (not a password) with `strip` as its first filter."""

    def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
        kind = unbound_field.field_class
        if issubclass(kind, StringField) and not issubclass(kind, PasswordField):
            options = {**options, "filters": [strip, *unbound_field.kwargs.get("filters", ())]}
        return super().bind_field(form, unbound_field, options)


class Form(FlaskForm):  # type: ignore[misc]
    """The base of a page's form: what is typed is read without the spaces around it, here
    for every text field, rather than by a filter on each."""

    class Meta(StripMeta):
        pass


class RowForm(wtforms.Form):  # type: ignore[misc]
    """The base of a row of fields repeated in a page's form (a FormField in a FieldList):
    stripped as `Form`, and without a CSRF token of its own."""

    class Meta(StripMeta):
        pass


def fill(message: Any, **params: Any) -> LazyString:
    """A message of engage.forms.messages with its placeholders filled in, translated when it
    is shown (for a validator's message, like ``fill(BATCH_TOO_LONG, limit=64)``)."""
    return LazyString(lambda: str(message) % params)
