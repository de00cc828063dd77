"""Responses to surveys, saved page by page, and their free text for the analysis."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
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

BATCH_MAX = 64  # a batch label (paper and interviews), in characters
SHEET_MAX = 20  # a paper sheet number, in characters

CHANNELS: tuple[str, ...] = ("online", "face_to_face", "phone", "paper", "import", "group_session")
# "importing": written by a file import that has not finished; hidden from every reader until
# the import's last short transaction makes them "submitted" (or deletes them on failure).
STATUSES: tuple[str, ...] = ("in_progress", "submitted", "importing")
# Channels where an interviewer asks the questions: consent is read out and recorded first.
ASSISTED_CHANNELS: tuple[str, ...] = ("face_to_face", "phone")


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
            "(status IN ('submitted', 'importing') AND reference IS NOT NULL"
            " AND submitted_at IS NOT NULL)"
            " OR (status = 'in_progress' AND reference IS NULL AND submitted_at IS NULL)",
            name="submitted_has_reference",
        ),
        Index("ix_responses_status_expires", "status", "expires_at"),
        # Channels (issue 6). The interviewer is required by the service, not here: deleting an
        # interviewer's account sets interviewer_id to NULL and must not be blocked.
        CheckConstraint(
            "channel NOT IN ('face_to_face', 'phone') OR consent_recorded_at IS NOT NULL",
            name="assisted_has_consent"),
        CheckConstraint("channel <> 'online' OR interviewer_id IS NULL",
                        name="online_has_no_interviewer"),
        CheckConstraint("sheet_number IS NULL OR channel = 'paper'",
                        name="sheet_number_only_paper"),
        CheckConstraint("channel <> 'paper' OR sheet_number IS NOT NULL",
                        name="paper_has_sheet_number"),
        CheckConstraint("sheet_number IS NULL OR sheet_number <> ''",
                        name="sheet_number_not_empty"),
        # One paper sheet per batch of a survey (NULLs never clash, so other channels are free).
        UniqueConstraint("survey_id", "batch", "sheet_number",
                         name="uq_responses_survey_batch_sheet"),
        Index("ix_responses_survey_channel_batch", "survey_id", "channel", "batch"),
        # Issue 21: a survey's submitted responses in id order (CSV, XLSX and SPSS exports, the
        # partner API's pages by key) read from the index, with no sort of the whole survey.
        Index("ix_responses_survey_status_id", "survey_id", "status", "id"),
        # Issue 21: the newest change of a survey's submitted responses (the data version that
        # results, the report and fieldwork are kept by) read from the index's end.
        Index("ix_responses_survey_status_updated", "survey_id", "status", "updated_at"),
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
    # What was typed on one page and not saved as answers (errors, or a language switch):
    # {"page": id, "form": {field: [values]}, "checked": bool}. Never counted; cleared when the
    # page is saved and when the response is sent.
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    resume_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    reference: Mapped[str | None] = mapped_column(String(9), unique=True, nullable=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Channels on one data model (issue 6).
    interviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True)
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True)
    proxy: Mapped[bool] = mapped_column(Boolean, default=False)
    batch: Mapped[str | None] = mapped_column(String(BATCH_MAX), nullable=True)
    sheet_number: Mapped[str | None] = mapped_column(String(SHEET_MAX), nullable=True)
    consent_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    free_texts: Mapped[list[FreeTextAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<Response {self.id} {self.status} {self.reference or ''}>"


class SentCount(db.Model):  # type: ignore[name-defined,misc]
    """Sent responses of one survey, UTC day and channel: maintained by database triggers on
    `responses` (migration 0023), so the survey list and its charts read a few hundred rows
    instead of counting every response on every view (issue 21). Read only rows with n > 0."""

    __tablename__ = "sent_counts"

    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"),
                                           primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<SentCount survey={self.survey_id} {self.day} {self.channel}={self.n}>"


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


class PaperRekey(db.Model):  # type: ignore[name-defined,misc]
    """A second, independent keying of a paper sheet, kept apart so it never counts as a response.

    Compared with the first keying (the response itself) in the disagreements report.
    """

    __tablename__ = "paper_rekeys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), unique=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    keyed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    keyed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<PaperRekey {self.id} response={self.response_id}>"


class InterviewerTarget(db.Model):  # type: ignore[name-defined,misc]
    """How many complete interviews one interviewer is asked to achieve for one survey."""

    __tablename__ = "interviewer_targets"
    __table_args__ = (
        UniqueConstraint("survey_id", "interviewer_id", name="uq_interviewer_targets_survey_user"),
        CheckConstraint("target >= 0", name="target_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    interviewer_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True)
    target: Mapped[int] = mapped_column(Integer)
    set_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<InterviewerTarget survey={self.survey_id} user={self.interviewer_id}>"
