"""The question bank: questions and blocks (sections, or the demographics block) saved from a
survey's draft to be added to other drafts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.extensions import db
from engage.models._types import UTCDateTime, utcnow
from engage.models.user import User

MAX_NAME = 120  # an entry's name, in characters


class BankEntry(db.Model):  # type: ignore[name-defined,misc]
    """A saved question or block: its definition (every language it has), a name, who saved
    it and from which survey."""

    __tablename__ = "bank_entries"
    __table_args__ = (
        CheckConstraint("kind IN ('question', 'block')", name="kind_known"),
        CheckConstraint("name <> ''", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    languages: Mapped[list[str]] = mapped_column(JSON)
    source_slug: Mapped[str] = mapped_column(String(80), default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<BankEntry {self.id} {self.kind} {self.name!r}>"
