"""Ask the Mayor: topics, questions from residents, support for them, and public sessions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
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

# Workflow states of a question. What a resident sees is derived in the service layer.
STATUSES: tuple[str, ...] = (
    "received",   # new, not yet looked at
    "approved",   # accepted for an answer
    "assigned",   # routed to an officer or partner with a due date
    "drafted",    # the assigned officer has drafted an answer
    "answered",   # a moderator approved the answer (or it was given at a session)
    "published",  # the question and answer are on the public page
    "rejected",   # not taken forward (with a reason)
    "duplicate",  # follows another question
)
CHANNELS: tuple[str, ...] = ("online", "phone", "event", "paper")
REJECT_REASONS: tuple[str, ...] = (
    "offensive", "personal_case", "not_council", "legal", "unclear", "other",
)
SESSION_STATES: tuple[str, ...] = ("planned", "published")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class MayorTopic(db.Model):  # type: ignore[name-defined,misc]
    """A topic residents choose from; staff manage the list."""

    __tablename__ = "mayor_topics"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_bn: Mapped[str] = mapped_column(String(120), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def name(self, lang: str) -> str:
        """The topic's name in a language, falling back to English."""
        return (self.name_bn if lang == "bn" else "") or self.name_en

    def __repr__(self) -> str:
        return f"<MayorTopic {self.id} {self.slug}>"


class MayorSession(db.Model):  # type: ignore[name-defined,misc]
    """A public "Ask the Mayor" session, where picked questions are answered on the night."""

    __tablename__ = "mayor_sessions"
    __table_args__ = (CheckConstraint(_in("state", SESSION_STATES), name="state_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    place: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default="planned")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    questions: Mapped[list[MayorQuestion]] = relationship(back_populates="session")

    def __repr__(self) -> str:
        return f"<MayorSession {self.id} {self.starts_at:%Y-%m-%d} {self.state}>"


class MayorQuestion(db.Model):  # type: ignore[name-defined,misc]
    """A resident's question to the Mayor and everything that happens to it."""

    __tablename__ = "mayor_questions"
    __table_args__ = (
        CheckConstraint(_in("status", STATUSES), name="status_known"),
        CheckConstraint(_in("channel", CHANNELS), name="channel_known"),
        CheckConstraint("status <> 'published' OR consent_publish", name="published_needs_consent"),
        CheckConstraint("status <> 'duplicate' OR duplicate_of_id IS NOT NULL",
                        name="duplicate_has_original"),
        CheckConstraint("duplicate_of_id IS NULL OR duplicate_of_id <> id",
                        name="not_own_duplicate"),
        CheckConstraint("support_count >= 0", name="support_not_negative"),
        # The published-answers page: newest first, filtered by topic, ward or session.
        Index("ix_mayor_questions_status_published_at", "status", "published_at"),
        Index("ix_mayor_questions_status_topic_published_at", "status", "topic_id", "published_at"),
        Index("ix_mayor_questions_status_ward_published_at", "status", "ward", "published_at"),
        Index("ix_mayor_questions_status_created_at", "status", "created_at"),
        # The moderation queue, paged by key in this order (services/collect/mayor/queue.py).
        Index("ix_mayor_questions_created_at_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(9), unique=True)
    text: Mapped[str] = mapped_column(Text)  # exactly as the resident wrote it; never changed
    public_text: Mapped[str] = mapped_column(Text, default="")  # edited or redacted wording
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("mayor_topics.id", ondelete="SET NULL"), nullable=True)
    ward: Mapped[str] = mapped_column(String(64), default="")
    postcode: Mapped[str] = mapped_column(String(8), default="")
    consent_publish: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    language: Mapped[str] = mapped_column(String(8), default="en")
    channel: Mapped[str] = mapped_column(String(16), default="online")
    event: Mapped[str] = mapped_column(String(200), default="")
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="received")
    reject_reason: Mapped[str] = mapped_column(String(32), default="")
    reject_note: Mapped[str] = mapped_column(Text, default="")
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("mayor_questions.id", ondelete="SET NULL"), nullable=True, index=True)
    assigned_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True)
    assigned_org: Mapped[str] = mapped_column(String(120), default="")
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    answer_text: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("mayor_sessions.id", ondelete="SET NULL"), nullable=True, index=True)
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    topic: Mapped[MayorTopic | None] = relationship()
    session: Mapped[MayorSession | None] = relationship(back_populates="questions")
    duplicate_of: Mapped[MayorQuestion | None] = relationship(remote_side=[id])

    @property
    def shown_text(self) -> str:
        """The wording shown in public: the edited wording if there is one."""
        return self.public_text or self.text

    def __repr__(self) -> str:
        return f"<MayorQuestion {self.id} {self.reference} {self.status}>"


class MayorSupport(db.Model):  # type: ignore[name-defined,misc]
    """One browser's "I want to know this too" on a published question."""

    __tablename__ = "mayor_supports"
    __table_args__ = (UniqueConstraint("question_id", "supporter",
                                       name="uq_mayor_supports_one_per_browser"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("mayor_questions.id", ondelete="CASCADE"), index=True)
    supporter: Mapped[str] = mapped_column(String(64))  # hash of the browser's random token
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<MayorSupport {self.id} q={self.question_id}>"


class MayorSearchTerm(db.Model):  # type: ignore[name-defined,misc]
    """One word of a published question's wording or answer: the public search's index."""

    __tablename__ = "mayor_search_terms"

    term: Mapped[str] = mapped_column(String(40), primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("mayor_questions.id", ondelete="CASCADE"), primary_key=True, index=True)

    def __repr__(self) -> str:
        return f"<MayorSearchTerm {self.term!r} q={self.question_id}>"


class ServiceSetting(db.Model):  # type: ignore[name-defined,misc]
    """A setting an administrator changes on a page (each change is audited)."""

    __tablename__ = "service_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)

    def __repr__(self) -> str:
        return f"<ServiceSetting {self.key}={self.value}>"
