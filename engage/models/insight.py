"""Partner API tokens (hashed, scoped to surveys, revocable) and the "you said, we did"
updates staff publish on each consultation's public page."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.extensions import db
from engage.models._types import UTCDateTime, utcnow
from engage.models.survey import Survey

api_token_surveys = Table(
    "api_token_surveys", db.metadata,
    Column("token_id", ForeignKey("api_tokens.id", ondelete="CASCADE"), primary_key=True),
    Column("survey_id", ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True),
)


class ApiToken(db.Model):  # type: ignore[name-defined,misc]
    """A read-only token for partners' tools; only the SHA-256 of the secret is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    surveys: Mapped[list[Survey]] = relationship(secondary=api_token_surveys)

    @property
    def active(self) -> bool:
        """True until revoked."""
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix} {'active' if self.active else 'revoked'}>"


UPDATE_KINDS: tuple[str, ...] = ("next_steps", "update")


class ConsultationUpdate(db.Model):  # type: ignore[name-defined,misc]
    """A dated note on a consultation's public page: what happens next, or what has happened."""

    __tablename__ = "consultation_updates"
    __table_args__ = (
        CheckConstraint("kind IN ('next_steps', 'update')", name="kind_known"),
        Index("ix_consultation_updates_survey_created", "survey_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16), default="update")
    title_en: Mapped[str] = mapped_column(String(200))
    body_en: Mapped[str] = mapped_column(Text)
    title_bn: Mapped[str] = mapped_column(String(200), default="")
    body_bn: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<ConsultationUpdate {self.id} survey={self.survey_id} {self.kind}>"
