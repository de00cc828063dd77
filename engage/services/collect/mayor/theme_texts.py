"""Questions as text for the theme analysis, in the same shape as survey free text."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from engage.extensions import db
from engage.models import MayorQuestion


@dataclass(frozen=True)
class TextRow:
    """One piece of resident text: where it came from, what it says, and who said it where."""

    source: str
    id: str
    text: str
    language: str
    channel: str
    ward: str
    date: datetime


def question_text_rows(since: datetime | None = None) -> Iterator[TextRow]:
    """Every question not rejected nor a duplicate, as analysis rows (public wording first)."""
    query = select(MayorQuestion).where(MayorQuestion.status.not_in(("rejected", "duplicate")))
    if since is not None:
        query = query.where(MayorQuestion.created_at >= since)
    for question in db.session.scalars(query.order_by(MayorQuestion.id).execution_options(
            yield_per=500)):
        yield TextRow(source="ask_the_mayor", id=question.reference, text=question.shown_text,
                      language=question.language, channel=question.channel, ward=question.ward,
                      date=question.created_at)
