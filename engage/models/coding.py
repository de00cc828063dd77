"""Codeframes: codes with definitions, texts coded to them, double coding and its resolutions.

A codeframe names its texts like a theme run (``sources`` and ``filters``; the texts themselves
are ``AnalysisText`` rows, listed in ``CodeframeText``). Codes have two levels (a code may have
a parent, itself without one); every change of a code bumps its ``version`` and keeps the state
before in ``CodeVersion``. A text's coding in a pass (``primary``: the team's; ``second``: the
independent double coder's) is one ``CodedText`` row with its codes in ``CodedTextCode`` (none
and ``no_answer`` set: "no substantive answer"). Bulk acceptance of suggestions writes a
``CodingBatch``; its texts carry the batch id so the batch can be undone as one.
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
)
from sqlalchemy.orm import Mapped, mapped_column

from engage.extensions import db
from engage.models._types import UTCDateTime, utcnow

PASSES: tuple[str, ...] = ("primary", "second")
CODE_CHANGES: tuple[str, ...] = ("created", "edited", "retired", "restored")


class Codeframe(db.Model):  # type: ignore[name-defined,misc]
    """A list of codes and the texts to code with them."""

    __tablename__ = "codeframes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    from_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("theme_runs.id", ondelete="SET NULL"), nullable=True)
    text_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When suggestions were last refreshed, and the model's settings/quality (JSON).
    suggested_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    model_info: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Marked final by an analyst (every text coded, every disagreement resolved): only then do
    # its coded counts reach the report, exports, the API, boards and public pages.
    final_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    final_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)

    def __repr__(self) -> str:
        return f"<Codeframe {self.id} {self.title!r}>"


class CodeframeText(db.Model):  # type: ignore[name-defined,misc]
    """A text to be coded in a codeframe, in reading order."""

    __tablename__ = "codeframe_texts"
    __table_args__ = (Index("ix_codeframe_texts_frame_position", "codeframe_id", "position"),)

    codeframe_id: Mapped[int] = mapped_column(
        ForeignKey("codeframes.id", ondelete="CASCADE"), primary_key=True)
    text_id: Mapped[int] = mapped_column(
        ForeignKey("analysis_texts.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<CodeframeText frame={self.codeframe_id} text={self.text_id}>"


class Code(db.Model):  # type: ignore[name-defined,misc]
    """A code: name, definition, optional parent (two levels). Retired codes stay for history."""

    __tablename__ = "codes"
    __table_args__ = (
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        Index("ix_codes_frame_position", "codeframe_id", "position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    codeframe_id: Mapped[int] = mapped_column(ForeignKey("codeframes.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    definition: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("codes.id", ondelete="SET NULL"), nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Code {self.id} {self.name!r} v{self.version}>"


class CodeVersion(db.Model):  # type: ignore[name-defined,misc]
    """One version of a code: its state after a change, who made it and when."""

    __tablename__ = "code_versions"
    __table_args__ = (
        UniqueConstraint("code_id", "version", name="uq_code_versions_code_version"),
        CheckConstraint("change IN (" + ", ".join(f"'{c}'" for c in CODE_CHANGES) + ")",
                        name="change_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    definition: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<CodeVersion code={self.code_id} v{self.version} {self.change}>"


class CodingBatch(db.Model):  # type: ignore[name-defined,misc]
    """Suggestions of one code accepted in bulk above a threshold; undone as one."""

    __tablename__ = "coding_batches"
    __table_args__ = (
        CheckConstraint("threshold >= 0 AND threshold <= 1", name="threshold_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    codeframe_id: Mapped[int] = mapped_column(ForeignKey("codeframes.id", ondelete="CASCADE"))
    code_id: Mapped[int | None] = mapped_column(
        ForeignKey("codes.id", ondelete="SET NULL"), nullable=True)
    threshold: Mapped[float] = mapped_column(Float)
    text_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    undone_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)

    def __repr__(self) -> str:
        return f"<CodingBatch {self.id} code={self.code_id} >= {self.threshold}>"


class CodedText(db.Model):  # type: ignore[name-defined,misc]
    """A text's coding in one pass: by whom, when, and whether it has no substantive answer."""

    __tablename__ = "coded_texts"
    __table_args__ = (
        UniqueConstraint("codeframe_id", "text_id", "stage",
                         name="uq_coded_texts_frame_text_stage"),
        CheckConstraint("stage IN ('primary', 'second')", name="stage_known"),
        Index("ix_coded_texts_batch", "batch_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    codeframe_id: Mapped[int] = mapped_column(ForeignKey("codeframes.id", ondelete="CASCADE"))
    text_id: Mapped[int] = mapped_column(ForeignKey("analysis_texts.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(8), default="primary")
    no_answer: Mapped[bool] = mapped_column(Boolean, default=False)
    coder_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("coding_batches.id", ondelete="SET NULL"), nullable=True)
    coded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<CodedText frame={self.codeframe_id} text={self.text_id} {self.stage}>"


class CodedTextCode(db.Model):  # type: ignore[name-defined,misc]
    """One code given to a text in one pass."""

    __tablename__ = "coded_text_codes"

    coded_text_id: Mapped[int] = mapped_column(
        ForeignKey("coded_texts.id", ondelete="CASCADE"), primary_key=True)
    code_id: Mapped[int] = mapped_column(
        ForeignKey("codes.id", ondelete="CASCADE"), primary_key=True, index=True)

    def __repr__(self) -> str:
        return f"<CodedTextCode {self.coded_text_id} code={self.code_id}>"


class CodeSuggestion(db.Model):  # type: ignore[name-defined,misc]
    """The model's confidence that a code applies to a text (refreshed after coding)."""

    __tablename__ = "code_suggestions"
    __table_args__ = (
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_range"),
        Index("ix_code_suggestions_code_confidence", "code_id", "confidence"),
    )

    codeframe_id: Mapped[int] = mapped_column(
        ForeignKey("codeframes.id", ondelete="CASCADE"), primary_key=True)
    text_id: Mapped[int] = mapped_column(
        ForeignKey("analysis_texts.id", ondelete="CASCADE"), primary_key=True)
    code_id: Mapped[int] = mapped_column(
        ForeignKey("codes.id", ondelete="CASCADE"), primary_key=True)
    confidence: Mapped[float] = mapped_column(Float)

    def __repr__(self) -> str:
        return f"<CodeSuggestion text={self.text_id} code={self.code_id} {self.confidence:.2f}>"


class CodingSample(db.Model):  # type: ignore[name-defined,misc]
    """A double-coding sample: a seeded share of the codeframe's texts."""

    __tablename__ = "coding_samples"
    __table_args__ = (
        CheckConstraint("share_percent >= 1 AND share_percent <= 100", name="share_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    codeframe_id: Mapped[int] = mapped_column(
        ForeignKey("codeframes.id", ondelete="CASCADE"), index=True)
    share_percent: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer, default=0)
    text_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<CodingSample {self.id} {self.share_percent}%>"


class CodingResolution(db.Model):  # type: ignore[name-defined,misc]
    """How a disagreement between the two coders of a text was resolved."""

    __tablename__ = "coding_resolutions"
    __table_args__ = (
        UniqueConstraint("codeframe_id", "text_id", name="uq_coding_resolutions_frame_text"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    codeframe_id: Mapped[int] = mapped_column(ForeignKey("codeframes.id", ondelete="CASCADE"))
    text_id: Mapped[int] = mapped_column(ForeignKey("analysis_texts.id", ondelete="CASCADE"))
    code_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    # The first coder's codes before the resolution ("none": no substantive answer), so
    # agreement stays measured between the two independent codings.
    first_codes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    no_answer: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    resolved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<CodingResolution frame={self.codeframe_id} text={self.text_id}>"
