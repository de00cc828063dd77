"""Shared pieces of answer validation: errors, the form reader, per-question context."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from types import MappingProxyType

from surveys.fields import field_name
from surveys.model import Question, Survey
from surveys.numerals import ascii_digits, format_number
from surveys.types import Answer

FormData = Mapping[str, Sequence[str]]
"""Raw form data of one page: field name → submitted strings (like a multidict)."""

MAX_FIELD_LENGTH = 20_000
"""Characters kept from any one submitted value, whatever the question's own limits."""


@dataclass(frozen=True)
class FieldError:
    """An error on one question, linked from the error summary to `field`.

    `message` is the English template (the gettext msgid); `params` fill it in after
    translation: `gettext(error.message) % error.params`.
    """

    question_id: str
    field: str
    message: str
    params: Mapping[str, str | int] = dataclass_field(default_factory=dict)

    @property
    def text(self) -> str:
        """The message in English with its parameters filled in."""
        return self.message % dict(self.params) if self.params else self.message

    def render(self, translate: Callable[[str], str] | None = None) -> str:
        """The message translated by `translate` (a gettext function) and filled in."""
        text = translate(self.message) if translate is not None else self.message
        return text % dict(self.params) if self.params else text


@dataclass
class Context:
    """What a type handler needs: the question, the form and the language of messages."""

    survey: Survey
    question: Question
    form: FormData
    language: str
    errors: list[FieldError] = dataclass_field(default_factory=list)
    enforce_required: bool = True

    @property
    def required(self) -> bool:
        """Whether a blank answer is an error: the question's own rule, unless it is off."""
        return self.question.required and self.enforce_required

    def values(self, part: str | None = None) -> list[str]:
        """All submitted values of the question's field (or of one part), each trimmed."""
        raw = self.form.get(field_name(self.question.id, part))
        if raw is None:
            return []
        items = [raw] if isinstance(raw, str) else list(raw)
        return [item[:MAX_FIELD_LENGTH].strip() for item in items if isinstance(item, str)]

    def value(self, part: str | None = None) -> str:
        """The first non-empty submitted value of the field (or part), trimmed, or ""."""
        return next((v for v in self.values(part) if v), "")

    def digits(self, part: str | None = None) -> str:
        """The field's value with digits of any script (১২ as well as 12) read as 0 to 9."""
        return ascii_digits(self.value(part))

    def text(self, text: Mapping[str, str] | None) -> str:
        """Survey text in the language of the messages."""
        return self.survey.text(text, self.language)

    def error(
        self, message: str, part: str | None = None, **params: str | int | float
    ) -> None:
        """Record an error linked to the question's field (or one part of it).

        Numbers among the parameters are written as the language writes them (10, not 10.0;
        Bengali digits on Bengali pages), so the message needs no further formatting.
        """
        written: dict[str, str | int] = {
            key: value if isinstance(value, str) else format_number(value, self.language)
            for key, value in params.items()
        }
        self.errors.append(
            FieldError(
                self.question.id,
                field_name(self.question.id, part),
                message,
                MappingProxyType(written),
            )
        )

    def missing(self, named: str, plain: str, part: str | None = None) -> None:
        """Record an "answer needed" error, using the question's short name if it has one."""
        name = self.text(self.question.name)
        if name:
            self.error(named, part, name=name)
        else:
            self.error(plain, part)


def blank(ctx: Context, named: str, plain: str, part: str | None = None) -> Answer:
    """Handle a blank answer: an error if required, else None (seen, left blank)."""
    if ctx.required:
        ctx.missing(named, plain, part)
    return None
