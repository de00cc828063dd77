"""The partnership plan: priorities carried from a locked board's shortlist, their outcomes and
actions (each owned by a partner organisation), indicators with a baseline and a target, and
progress updates.

A plan priority keeps the board item and theme it came from, so the residents' evidence (the
theme, its quotes and the Ask the Mayor questions placed in it) stays linked; what of it the
public sees is decided when the page is built (approved themes, publishable quotes, published
questions only). ``Plan.changed_at`` moves on every change, so a rendered page can be cached
until the plan changes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
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

ACTION_STATUSES: tuple[str, ...] = ("not_started", "on_track", "at_risk", "delayed", "done")
DIRECTIONS: tuple[str, ...] = ("higher", "lower")
FREQUENCIES: tuple[str, ...] = ("monthly", "quarterly", "annually")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class Plan(db.Model):  # type: ignore[name-defined,misc]
    """A partnership plan, e.g. "Tower Hamlets Plan 2023-2028"."""

    __tablename__ = "plans"
    __table_args__ = (CheckConstraint("end_year >= start_year", name="period_order"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Plan {self.id} {self.title!r} published={self.published}>"


class PlanPriority(db.Model):  # type: ignore[name-defined,misc]
    """A shortlisted board priority carried into the plan, linked to its evidence."""

    __tablename__ = "plan_priorities"
    __table_args__ = (
        UniqueConstraint("plan_id", "board_item_id", name="uq_plan_priorities_plan_item"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    board_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("priority_board_items.id", ondelete="SET NULL"), nullable=True)
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"), nullable=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    why: Mapped[str] = mapped_column(Text, default="")  # the group's rationale
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<PlanPriority {self.id} plan={self.plan_id} {self.title!r}>"


class PlanOutcome(db.Model):  # type: ignore[name-defined,misc]
    """An outcome the partnership wants under a priority."""

    __tablename__ = "plan_outcomes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    priority_id: Mapped[int] = mapped_column(
        ForeignKey("plan_priorities.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<PlanOutcome {self.id} {self.title!r}>"


class PlanAction(db.Model):  # type: ignore[name-defined,misc]
    """An action a partner organisation has agreed to take, with a lead and a due date."""

    __tablename__ = "plan_actions"
    __table_args__ = (
        CheckConstraint(_in("status", ACTION_STATUSES), name="status_known"),
        CheckConstraint("owner <> ''", name="owner_present"),
        Index("ix_plan_actions_owner", "owner"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    priority_id: Mapped[int] = mapped_column(
        ForeignKey("plan_priorities.id", ondelete="CASCADE"), index=True)
    outcome_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_outcomes.id", ondelete="SET NULL"), nullable=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(120))  # a partner organisation (User.organisation)
    lead_name: Mapped[str] = mapped_column(String(120), default="")
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<PlanAction {self.id} {self.owner!r} {self.status}>"


class PlanIndicator(db.Model):  # type: ignore[name-defined,misc]
    """A measure of an outcome or of an action: baseline and target, each with its date."""

    __tablename__ = "plan_indicators"
    __table_args__ = (
        CheckConstraint("(outcome_id IS NULL) <> (action_id IS NULL)", name="outcome_or_action"),
        CheckConstraint(_in("direction", DIRECTIONS), name="direction_known"),
        CheckConstraint(_in("frequency", FREQUENCIES), name="frequency_known"),
        CheckConstraint("target_on > baseline_on", name="target_after_baseline"),
        CheckConstraint("owner <> ''", name="owner_present"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    priority_id: Mapped[int] = mapped_column(
        ForeignKey("plan_priorities.id", ondelete="CASCADE"), index=True)
    outcome_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_outcomes.id", ondelete="CASCADE"), nullable=True)
    action_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_actions.id", ondelete="CASCADE"), nullable=True)
    owner: Mapped[str] = mapped_column(String(120))  # who reports on it (the action's owner)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40))
    baseline_value: Mapped[float] = mapped_column(Float)
    baseline_on: Mapped[date] = mapped_column(Date)
    target_value: Mapped[float] = mapped_column(Float)
    target_on: Mapped[date] = mapped_column(Date)
    direction: Mapped[str] = mapped_column(String(8))
    frequency: Mapped[str] = mapped_column(String(16))

    def __repr__(self) -> str:
        return f"<PlanIndicator {self.id} {self.name!r}>"


class PlanUpdate(db.Model):  # type: ignore[name-defined,misc]
    """A progress update on an indicator: a value measured on a date, with a note."""

    __tablename__ = "plan_updates"
    __table_args__ = (Index("ix_plan_updates_indicator_measured", "indicator_id", "measured_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("plan_indicators.id", ondelete="CASCADE"))
    value: Mapped[float] = mapped_column(Float)
    measured_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    by_organisation: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<PlanUpdate {self.id} indicator={self.indicator_id} {self.value}>"
