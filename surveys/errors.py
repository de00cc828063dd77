"""The one base for coded domain errors: a use case refused, with a code the web layer maps
to a message.

It lives in the pure survey engine so that both `surveys` (which may not import `engage`) and
`engage.services` can subclass it. Codes are lower case words joined by underscores
("slug_taken"); each web-layer mapping (e.g. `engage.forms.messages.CODING_ERRORS`) is keyed by
them.
"""

from __future__ import annotations


class DomainError(ValueError):
    """A refused use case: ``code`` names why; ``params`` are values a message may show."""

    def __init__(self, code: str, **params: str | int) -> None:
        super().__init__(code)
        self.code = code
        self.params: dict[str, str | int] = params
