"""The consultation hub: a consultation groups what residents can do (surveys, Ask the Mayor
topics, events, other ways to respond, background documents), then its results and decisions;
residents subscribe to it, or to new consultations in a ward or on a topic, by email."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from engage.extensions import db
from engage.models._types import UTCDateTime, utcnow
from engage.models.mayor import MayorTopic
from engage.models.survey import Survey

STATUSES: tuple[str, ...] = ("draft", "published", "closed", "results")
"""draft (staff only) → published (open to take part) → closed (awaiting results) → results."""
EVENT_KINDS: tuple[str, ...] = ("event", "group_session")

consultation_surveys = Table(
    "consultation_surveys", db.metadata,
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"),
           primary_key=True),
    Column("survey_id", ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True),
)
consultation_topics = Table(
    "consultation_topics", db.metadata,
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"),
           primary_key=True),
    Column("topic_id", ForeignKey("mayor_topics.id", ondelete="CASCADE"), primary_key=True),
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class Consultation(db.Model):  # type: ignore[name-defined,misc]
    """One consultation on the public hub. Texts in English, with optional Bengali."""

    __tablename__ = "consultations"
    __table_args__ = (
        CheckConstraint(_in("status", STATUSES), name="status_known"),
        CheckConstraint("slug <> ''", name="slug_not_empty"),
        CheckConstraint("closes_on >= opens_on", name="closes_after_opening"),
        Index("ix_consultations_status_closes", "status", "closes_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    title_en: Mapped[str] = mapped_column(String(200))
    title_bn: Mapped[str] = mapped_column(String(200), default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    summary_bn: Mapped[str] = mapped_column(Text, default="")
    why_en: Mapped[str] = mapped_column(Text, default="")
    why_bn: Mapped[str] = mapped_column(Text, default="")
    next_en: Mapped[str] = mapped_column(Text, default="")
    next_bn: Mapped[str] = mapped_column(Text, default="")
    ways_en: Mapped[str] = mapped_column(Text, default="")
    ways_bn: Mapped[str] = mapped_column(Text, default="")
    organisation: Mapped[str] = mapped_column(String(120), index=True)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    results_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    surveys: Mapped[list[Survey]] = relationship(secondary=consultation_surveys,
                                                 order_by=Survey.id)
    topics: Mapped[list[MayorTopic]] = relationship(secondary=consultation_topics,
                                                    order_by=MayorTopic.position)
    wards: Mapped[list[ConsultationWard]] = relationship(
        cascade="all, delete-orphan", order_by="ConsultationWard.ward")
    events: Mapped[list[ConsultationEvent]] = relationship(
        cascade="all, delete-orphan", order_by="ConsultationEvent.starts_at")
    documents: Mapped[list[ConsultationDocument]] = relationship(
        cascade="all, delete-orphan", order_by="ConsultationDocument.id")

    def text(self, name: str, lang: str) -> tuple[str, str]:
        """A text field in the reader's language, falling back to English: (text, its lang)."""
        if lang == "bn":
            found = str(getattr(self, f"{name}_bn") or "").strip()
            if found:
                return found, "bn"
        return str(getattr(self, f"{name}_en") or ""), "en"

    def __repr__(self) -> str:
        return f"<Consultation {self.id} {self.slug} {self.status}>"


class ConsultationWard(db.Model):  # type: ignore[name-defined,misc]
    """A ward a consultation is about (none: the whole borough)."""

    __tablename__ = "consultation_wards"

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True)
    ward: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)

    def __repr__(self) -> str:
        return f"<ConsultationWard {self.consultation_id} {self.ward}>"


class ConsultationEvent(db.Model):  # type: ignore[name-defined,misc]
    """An event or group session residents can come to."""

    __tablename__ = "consultation_events"
    __table_args__ = (CheckConstraint(_in("kind", EVENT_KINDS), name="kind_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="event")
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(200))
    accessibility: Mapped[str] = mapped_column(Text, default="")

    def __repr__(self) -> str:
        return f"<ConsultationEvent {self.id} consultation={self.consultation_id}>"


class ConsultationDocument(db.Model):  # type: ignore[name-defined,misc]
    """A background document: an uploaded file (kept in the database, never under static/,
    its type checked from its content) or a link."""

    __tablename__ = "consultation_documents"
    __table_args__ = (
        CheckConstraint("(url <> '') <> (size > 0)", name="file_or_link"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(500), default="")
    filename: Mapped[str] = mapped_column(String(120), default="")
    content_type: Mapped[str] = mapped_column(String(120), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<ConsultationDocument {self.id} consultation={self.consultation_id}>"


class ConsultationSubscription(db.Model):  # type: ignore[name-defined,misc]
    """An email address that wants news of one consultation, or of new consultations in a ward
    or on a topic. Nothing is sent before it is confirmed; unsubscribing deletes the row."""

    __tablename__ = "consultation_subscriptions"
    __table_args__ = (
        CheckConstraint("consultation_id IS NOT NULL OR ward <> '' OR topic_id IS NOT NULL",
                        name="subscribes_to_something"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), nullable=True, index=True)
    ward: Mapped[str] = mapped_column(String(64), default="")
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("mayor_topics.id", ondelete="CASCADE"), nullable=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    nonce: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    def __repr__(self) -> str:
        state = "confirmed" if self.confirmed_at else "pending"
        return f"<ConsultationSubscription {self.id} {state}>"
