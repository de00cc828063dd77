"""Representativeness: population targets and quotas per survey, weighting runs and their weights.

A survey's current population is its latest upload; its current weights are those of its latest
weighting run. Older uploads and runs are kept, so a past result can be explained.
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
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.extensions import db
from engage.models._types import UTCDateTime, utcnow


class PopulationTarget(db.Model):  # type: ignore[name-defined,misc]
    """One uploaded population table (ward × age band × sex) for a survey's weighting."""

    __tablename__ = "population_targets"
    __table_args__ = (CheckConstraint("total >= 0", name="total_not_negative"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"),
                                           index=True)
    label: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(200), default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    """True for the bundled made-up figures: every page that shows them says so."""
    total: Mapped[int] = mapped_column(Integer, default=0)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    cells: Mapped[list[PopulationCell]] = relationship(
        back_populates="target", cascade="all, delete-orphan", passive_deletes=True,
        order_by="PopulationCell.id")

    def __repr__(self) -> str:
        return f"<PopulationTarget {self.id} survey={self.survey_id} {self.label!r}>"


class PopulationCell(db.Model):  # type: ignore[name-defined,misc]
    """People in one ward × age band × sex cell of an uploaded population."""

    __tablename__ = "population_cells"
    __table_args__ = (
        UniqueConstraint("target_id", "ward", "age_band", "sex",
                         name="uq_population_cells_cell"),
        CheckConstraint("population >= 0", name="population_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[int] = mapped_column(
        ForeignKey("population_targets.id", ondelete="CASCADE"), index=True)
    ward: Mapped[str] = mapped_column(String(80))
    age_band: Mapped[str] = mapped_column(String(40))
    sex: Mapped[str] = mapped_column(String(40))
    population: Mapped[int] = mapped_column(Integer)

    target: Mapped[PopulationTarget] = relationship(back_populates="cells")

    def __repr__(self) -> str:
        return f"<PopulationCell {self.ward}/{self.age_band}/{self.sex}={self.population}>"


class QuotaTarget(db.Model):  # type: ignore[name-defined,misc]
    """Interviews wanted in one ward × age band × sex cell of a survey's fieldwork."""

    __tablename__ = "quota_targets"
    __table_args__ = (
        UniqueConstraint("survey_id", "ward", "age_band", "sex", name="uq_quota_targets_cell"),
        CheckConstraint("target >= 0", name="target_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"),
                                           index=True)
    ward: Mapped[str] = mapped_column(String(80))
    age_band: Mapped[str] = mapped_column(String(40))
    sex: Mapped[str] = mapped_column(String(40))
    target: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<QuotaTarget survey={self.survey_id} {self.ward}/{self.age_band}/{self.sex}>"


class WeightingRun(db.Model):  # type: ignore[name-defined,misc]
    """One raking of a survey's complete responses: parameters, report, who ran it and when."""

    __tablename__ = "weighting_runs"
    __table_args__ = (
        CheckConstraint("respondents >= 0", name="respondents_not_negative"),
        CheckConstraint("design_effect >= 0.999", name="design_effect_at_least_one"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"),
                                           index=True)
    population_id: Mapped[int | None] = mapped_column(
        ForeignKey("population_targets.id", ondelete="SET NULL"), nullable=True)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """trim_upper, trim_lower, missing, tolerance, max_iterations, min_count."""
    converged: Mapped[bool] = mapped_column(Boolean)
    iterations: Mapped[int] = mapped_column(Integer)
    max_margin_error: Mapped[float] = mapped_column(Float)
    respondents: Mapped[int] = mapped_column(Integer)
    effective_sample_size: Mapped[float] = mapped_column(Float)
    design_effect: Mapped[float] = mapped_column(Float)
    trimmed: Mapped[int] = mapped_column(Integer, default=0)
    min_weight: Mapped[float] = mapped_column(Float)
    max_weight: Mapped[float] = mapped_column(Float)
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """{"margins": [{dimension, category, target, unweighted, weighted}], "warnings": [...]}"""
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    weights: Mapped[list[ResponseWeight]] = relationship(
        back_populates="run", cascade="all, delete-orphan", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<WeightingRun {self.id} survey={self.survey_id} n={self.respondents}>"


class ResponseWeight(db.Model):  # type: ignore[name-defined,misc]
    """A response's weight in one weighting run (no row: the run gave it no weight)."""

    __tablename__ = "response_weights"
    __table_args__ = (
        CheckConstraint("weight >= 0", name="weight_not_negative"),
        Index("ix_response_weights_response", "response_id"),
    )

    run_id: Mapped[int] = mapped_column(
        ForeignKey("weighting_runs.id", ondelete="CASCADE"), primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True)
    weight: Mapped[float] = mapped_column(Float)

    run: Mapped[WeightingRun] = relationship(back_populates="weights")

    def __repr__(self) -> str:
        return f"<ResponseWeight run={self.run_id} response={self.response_id} {self.weight:.3f}>"
