"""Theme analysis runs: the texts analysed, the themes found, staff edits and their history.

A text reference (``AnalysisText``) names its source: ``survey`` (a free_text_answers id),
``ask_the_mayor`` (a question reference) or ``group_session`` (a group-session note id), with the
attributes known about who wrote it (ward, channel, language, demographics). Texts are shared by
runs; ``RunText`` says which texts a run saw and which theme each ended in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from engage.extensions import db
from engage.models._types import UTCDateTime, utcnow

RUN_STATUSES: tuple[str, ...] = ("queued", "running", "succeeded", "failed")
THEME_ORIGINS: tuple[str, ...] = ("engine", "carried", "split", "manual")
EDIT_KINDS: tuple[str, ...] = (
    "rename", "merge", "split", "move", "approve", "unapprove", "flag", "unflag",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class AnalysisText(db.Model):  # type: ignore[name-defined,misc]
    """One resident text from any source, with what is known about who wrote it."""

    __tablename__ = "analysis_texts"
    __table_args__ = (
        UniqueConstraint("source", "source_id", name="uq_analysis_texts_source_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    source_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    redacted: Mapped[str] = mapped_column(Text, default="")
    survey_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    question_id: Mapped[str] = mapped_column(String(80), default="")
    respondent: Mapped[str] = mapped_column(String(64), default="")
    ward: Mapped[str] = mapped_column(String(80), default="")
    channel: Mapped[str] = mapped_column(String(32), default="")
    language: Mapped[str] = mapped_column(String(8), default="")
    group_name: Mapped[str] = mapped_column(String(120), default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    weight: Mapped[float | None] = mapped_column(Float, nullable=True)
    # age_band, sex, ethnicity, disability where known.
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<AnalysisText {self.id} {self.source}:{self.source_id}>"


class ThemeRun(db.Model):  # type: ignore[name-defined,misc]
    """One analysis: sources and filters chosen, the engine's settings, and its outcome."""

    __tablename__ = "theme_runs"
    __table_args__ = (
        CheckConstraint(_in("status", RUN_STATUSES), name="status_known"),
        CheckConstraint("n_themes IS NULL OR n_themes >= 2", name="n_themes_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    n_themes: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: auto
    seed: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    error: Mapped[str] = mapped_column(Text, default="")
    job_id: Mapped[int | None] = mapped_column(
        ForeignKey("jobs.id", ondelete="SET NULL"), nullable=True, index=True)
    previous_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("theme_runs.id", ondelete="SET NULL"), nullable=True)
    # What analysis.assign needs to place new texts: idf, min_score, multi_ratio.
    model: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    text_count: Mapped[int] = mapped_column(Integer, default=0)
    unthemed_count: Mapped[int] = mapped_column(Integer, default=0)
    # What changed against the previous run: new themes, themes that grew.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    def __repr__(self) -> str:
        return f"<ThemeRun {self.id} {self.status}>"


class Theme(db.Model):  # type: ignore[name-defined,misc]
    """A theme of one run. Merged or split themes stay (inactive) so edits can be undone."""

    __tablename__ = "themes"
    __table_args__ = (
        UniqueConstraint("run_id", "key", name="uq_themes_run_key"),
        CheckConstraint(_in("origin", THEME_ORIGINS), name="origin_known"),
        Index("ix_themes_run_active", "run_id", "active"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("theme_runs.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    key_phrases: Mapped[list[str]] = mapped_column(JSON, default=list)
    size: Mapped[int] = mapped_column(Integer, default=0)
    respondents: Mapped[int] = mapped_column(Integer, default=0)
    weighted_size: Mapped[float | None] = mapped_column(Float, nullable=True)
    weighted_share: Mapped[float | None] = mapped_column(Float, nullable=True)
    share: Mapped[float] = mapped_column(Float, default=0.0)
    sentiment: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Term profile (stemmed term -> weight) so later runs can assign new texts here.
    profile: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    approved: Mapped[bool] = mapped_column(Boolean, default=False)
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    origin: Mapped[str] = mapped_column(String(16), default="engine")
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"), nullable=True)
    split_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"), nullable=True)
    carried_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"), nullable=True)
    # Texts gained since the theme it was carried from (None when new this run).
    growth: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Theme {self.id} run={self.run_id} {self.label!r}>"


class RunText(db.Model):  # type: ignore[name-defined,misc]
    """A text seen by a run, its main theme (None: unthemed) and its sentiment."""

    __tablename__ = "theme_run_texts"
    __table_args__ = (
        Index("ix_theme_run_texts_theme_score", "theme_id", "score"),
        Index("ix_theme_run_texts_text", "text_id"),
    )

    run_id: Mapped[int] = mapped_column(
        ForeignKey("theme_runs.id", ondelete="CASCADE"), primary_key=True)
    text_id: Mapped[int] = mapped_column(
        ForeignKey("analysis_texts.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"), nullable=True)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    # None: not scored (a language the sentiment lexicon does not cover).
    sentiment: Mapped[float | None] = mapped_column(Float, nullable=True)
    is_new: Mapped[bool] = mapped_column(Boolean, default=True)

    def __repr__(self) -> str:
        return f"<RunText run={self.run_id} text={self.text_id} theme={self.theme_id}>"


class ThemeMembership(db.Model):  # type: ignore[name-defined,misc]
    """A text's membership of a theme, with its score (the main theme and close others)."""

    __tablename__ = "theme_memberships"
    __table_args__ = (
        UniqueConstraint("theme_id", "text_id", name="uq_theme_memberships_theme_text"),
        Index("ix_theme_memberships_run_text", "run_id", "text_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("theme_runs.id", ondelete="CASCADE"))
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"))
    text_id: Mapped[int] = mapped_column(ForeignKey("analysis_texts.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float, default=0.0)

    def __repr__(self) -> str:
        return f"<ThemeMembership theme={self.theme_id} text={self.text_id} {self.score:.3f}>"


class ThemeQuote(db.Model):  # type: ignore[name-defined,misc]
    """A representative text of a theme (shown redacted unless the viewer may see it).

    Only quotes staff marked ``publishable`` reach the public page, the insight report, the
    Themes sheet and the partner API (S24); staff pages show every quote.
    """

    __tablename__ = "theme_quotes"
    __table_args__ = (Index("ix_theme_quotes_theme", "theme_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"))
    text_id: Mapped[int] = mapped_column(ForeignKey("analysis_texts.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float, default=0.0)
    position: Mapped[int] = mapped_column(Integer, default=0)
    publishable: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    publishable_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    publishable_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    def __repr__(self) -> str:
        return f"<ThemeQuote theme={self.theme_id} text={self.text_id}>"


class ThemeEdit(db.Model):  # type: ignore[name-defined,misc]
    """One staff edit of a run's themes, with the state before and after (for undo)."""

    __tablename__ = "theme_edits"
    __table_args__ = (
        CheckConstraint(_in("kind", EDIT_KINDS), name="kind_known"),
        Index("ix_theme_edits_run_created", "run_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("theme_runs.id", ondelete="CASCADE"))
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"), nullable=True)
    kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    before: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    undone_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)

    def __repr__(self) -> str:
        return f"<ThemeEdit {self.id} {self.kind} theme={self.theme_id}>"


class TextFlag(db.Model):  # type: ignore[name-defined,misc]
    """A text flagged by staff (e.g. needs safeguarding follow-up, or mis-themed)."""

    __tablename__ = "analysis_text_flags"
    __table_args__ = (Index("ix_analysis_text_flags_text", "text_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text_id: Mapped[int] = mapped_column(ForeignKey("analysis_texts.id", ondelete="CASCADE"))
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("theme_runs.id", ondelete="CASCADE"), nullable=True)
    reason: Mapped[str] = mapped_column(String(200), default="")
    flagged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    def __repr__(self) -> str:
        return f"<TextFlag {self.id} text={self.text_id}>"


class ThemeComment(db.Model):  # type: ignore[name-defined,misc]
    """A comment on a theme by a reviewer or group member."""

    __tablename__ = "theme_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    theme_id: Mapped[int] = mapped_column(
        ForeignKey("themes.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<ThemeComment {self.id} theme={self.theme_id}>"
