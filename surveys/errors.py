"""The one base for coded domain errors: a use case refused, with a code the web layer maps
to a message.

It lives in the pure survey engine so that both `surveys` (which may not import `engage`) and
`engage.services` can subclass it. Codes are lower case words joined by underscores
("slug_taken"); each web-layer mapping (e.g. `engage.forms.messages.CODING_ERRORS`) is keyed by
them.

"No such thing" is not a refusal but a lookup that found nothing: `NotFound`, a `LookupError`
(so callers that catch `LookupError` keep working) that routes answer with the 404 page. Routes
catch `NotFound`, never `LookupError` or `KeyError`, so that a `KeyError` or `IndexError` from
a bug in a service is logged as an error, not shown as "page not found".
"""

from __future__ import annotations


class DomainError(ValueError):
    """A refused use case: ``code`` names why; ``params`` are values a message may show."""

    def __init__(self, code: str, **params: str | int) -> None:
        super().__init__(code)
        self.code = code
        self.params: dict[str, str | int] = params


class NotFound(LookupError):
    """No such thing (survey, consultation, document, export, interview...): ``args[0]`` names
    what was asked for (a slug, an id)."""
