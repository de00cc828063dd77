"""Responses to surveys, saved page by page, and their free text for the analysis."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.extensions import db
from engage.models._types import UTCDateTime, utcnow

CHANNELS: tuple[str, ...] = ("online", "face_to_face", "phone", "paper", "import", "group_session")
STATUSES: tuple[str, ...] = ("in_progress", "submitted")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class Response(db.Model):  # type: ignore[name-defined,misc]
    """One person's answers to one survey version."""

    __tablename__ = "responses"
    __table_args__ = (
        CheckConstraint(_in("status", STATUSES), name="status_known"),
        CheckConstraint(_in("channel", CHANNELS), name="channel_known"),
        # A submitted response always has its reference and time; a partial one never has.
        CheckConstraint(
            "(status = 'submitted' AND reference IS NOT NULL AND submitted_at IS NOT NULL)"
            " OR (status = 'in_progress' AND reference IS NULL AND submitted_at IS NULL)",
            name="submitted_has_reference",
        ),
        Index("ix_responses_status_expires", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"),
                                           index=True)
    survey_version_id: Mapped[int] = mapped_column(
        ForeignKey("survey_versions.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="in_progress")
    channel: Mapped[str] = mapped_column(String(16), default="online")
    language: Mapped[str] = mapped_column(String(8), default="en")
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    current_page: Mapped[str] = mapped_column(String(80), default="")
    resume_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    reference: Mapped[str | None] = mapped_column(String(9), unique=True, nullable=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    free_texts: Mapped[list[FreeTextAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<Response {self.id} {self.status} {self.reference or ''}>"


class FreeTextAnswer(db.Model):  # type: ignore[name-defined,misc]
    """A free-text answer, stored apart so the analysis reads text without parsing responses."""

    __tablename__ = "free_text_answers"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id", name="uq_free_text_response_question"),
        Index("ix_free_text_survey_question", "survey_id", "question_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    survey_version_id: Mapped[int] = mapped_column(
        ForeignKey("survey_versions.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(16))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    response: Mapped[Response] = relationship(back_populates="free_texts")

    def __repr__(self) -> str:
        return f"<FreeTextAnswer {self.id} response={self.response_id} q={self.question_id}>"
