"""Codeframes and assisted coding (issue 22): codes, coding, bulk acceptance, double coding."""

from surveys.errors import DomainError


class CodingError(DomainError):
    """A coding action that cannot be done; ``code`` names why (engage.forms.messages)."""

    def __init__(self, code: str, row: int | None = None) -> None:
        super().__init__(code)
        self.row = row


def check_open(frame: object) -> None:
    """Refuse a change to a codeframe marked final (its counts are what partners see); an
    analyst reopens it first."""
    if getattr(frame, "final_at", None) is not None:
        raise CodingError("final")
