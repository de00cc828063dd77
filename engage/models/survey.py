"""Surveys and their frozen, published versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.extensions import db
from engage.models._types import UTCDateTime, utcnow


class Survey(db.Model):  # type: ignore[name-defined,misc]
    """A survey: a stable slug over a series of versions."""

    __tablename__ = "surveys"
    __table_args__ = (
        CheckConstraint("slug <> ''", name="slug_not_empty"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Who may see results (survey builder settings; exports enforce them).
    results_roles: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    results_organisations: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    # Who can respond online (issue 19): anyone with the link, or only people invited from
    # the survey's contact list (each with a live link). Staff channels are never limited.
    invitation_only: Mapped[bool] = mapped_column(Boolean, default=False,
                                                  server_default=false())

    versions: Mapped[list[SurveyVersion]] = relationship(
        back_populates="survey", order_by="SurveyVersion.number")
    draft: Mapped[SurveyDraft | None] = relationship(back_populates="survey", uselist=False)

    def __repr__(self) -> str:
        return f"<Survey {self.id} {self.slug}>"


class SurveyVersion(db.Model):  # type: ignore[name-defined,misc]
    """One version of a survey's definition. Once published it never changes."""

    __tablename__ = "survey_versions"
    __table_args__ = (
        UniqueConstraint("survey_id", "number", name="uq_survey_versions_survey_number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"),
                                           index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    lawful_basis: Mapped[str] = mapped_column(Text, default="")
    privacy_notice: Mapped[str] = mapped_column(Text, default="")
    retention_days: Mapped[int] = mapped_column(Integer, default=730)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    survey: Mapped[Survey] = relationship(back_populates="versions")

    def is_open(self, now: datetime) -> bool:
        """True when residents may answer this version now."""
        if self.published_at is None:
            return False
        if self.opens_at is not None and now < self.opens_at:
            return False
        return self.closes_at is None or now < self.closes_at

    def __repr__(self) -> str:
        return f"<SurveyVersion {self.id} survey={self.survey_id} v{self.number}>"


class SurveyDraft(db.Model):  # type: ignore[name-defined,misc]
    """The one draft of a survey being built or edited; publishing turns it into a version."""

    __tablename__ = "survey_drafts"
    __table_args__ = (
        CheckConstraint("retention_days >= 1", name="retention_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"),
                                           unique=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    lawful_basis: Mapped[str] = mapped_column(Text, default="")
    privacy_notice: Mapped[str] = mapped_column(Text, default="")
    retention_days: Mapped[int] = mapped_column(Integer, default=730)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    based_on_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_versions.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    survey: Mapped[Survey] = relationship(back_populates="draft")

    def __repr__(self) -> str:
        return f"<SurveyDraft {self.id} survey={self.survey_id}>"
