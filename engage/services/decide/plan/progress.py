"""Indicators and progress: officers add indicators; the owning partner (or an officer) sets an
action's status and records progress updates. One transaction and one audit row each."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from engage.extensions import db
from engage.models import (
    ACTION_STATUSES,
    PlanAction,
    PlanIndicator,
    PlanOutcome,
    PlanPriority,
    PlanUpdate,
    User,
)
from engage.models._types import utcnow
from engage.models.plan import DIRECTIONS, FREQUENCIES
from engage.services.decide.plan.plans import (
    Forbidden,
    PlanError,
    _clean,
    _manager,
    _record,
    _touch,
    can_update,
)
from engage.services.platform.transactions import in_transaction

MAX_VALUE = 1e12


@dataclass(frozen=True)
class IndicatorSpec:
    """What an indicator is: its name, unit, baseline and target, direction, frequency."""

    name: str
    unit: str
    baseline_value: float
    baseline_on: date
    target_value: float
    target_on: date
    direction: str  # "higher" or "lower" is better
    frequency: str  # "monthly", "quarterly" or "annually"


def _number(value: float) -> float:
    if not math.isfinite(value) or abs(value) > MAX_VALUE:
        raise PlanError("value_range")
    return float(value)


def _check(spec: IndicatorSpec) -> IndicatorSpec:
    if spec.direction not in DIRECTIONS:
        raise PlanError("direction_missing")
    if spec.frequency not in FREQUENCIES:
        raise PlanError("frequency_missing")
    if spec.target_on <= spec.baseline_on:
        raise PlanError("target_before_baseline")
    _number(spec.baseline_value)
    _number(spec.target_value)
    return IndicatorSpec(_clean(spec.name, 200, "indicator_missing"),
                         _clean(spec.unit, 40, "unit_missing"), spec.baseline_value,
                         spec.baseline_on, spec.target_value, spec.target_on, spec.direction,
                         spec.frequency)


def add_indicator(priority: PlanPriority, user: User, spec: IndicatorSpec, *,
                  action_id: int | None = None, outcome_id: int | None = None,
                  owner: str = "") -> PlanIndicator:
    """An indicator of one of the priority's actions (reported by the action's owner) or of one
    of its outcomes (reported by ``owner``)."""
    _manager(user)
    spec = _check(spec)
    if (action_id is None) == (outcome_id is None):
        raise PlanError("measures_missing")
    if action_id is not None:
        action = db.session.get(PlanAction, action_id)
        if action is None or action.priority_id != priority.id:
            raise PlanError("action_unknown")
        owner = action.owner
    else:
        outcome = db.session.get(PlanOutcome, outcome_id)
        if outcome is None or outcome.priority_id != priority.id:
            raise PlanError("outcome_unknown")
        owner = _clean(owner, 120, "owner_missing")

    def work() -> PlanIndicator:
        indicator = PlanIndicator(
            priority_id=priority.id, action_id=action_id, outcome_id=outcome_id, owner=owner,
            name=spec.name, unit=spec.unit, baseline_value=spec.baseline_value,
            baseline_on=spec.baseline_on, target_value=spec.target_value,
            target_on=spec.target_on, direction=spec.direction, frequency=spec.frequency)
        db.session.add(indicator)
        db.session.flush()
        _touch(priority.plan_id)
        _record(user, "indicator_added", "plan_indicator", indicator.id, priority=priority.id)
        return indicator

    return in_transaction(work)


def indicators(priority: PlanPriority) -> list[PlanIndicator]:
    """A priority's indicators in order of creation."""
    return list(db.session.scalars(select(PlanIndicator).where(
        PlanIndicator.priority_id == priority.id).order_by(PlanIndicator.id)))


def updates(indicator: PlanIndicator) -> list[PlanUpdate]:
    """An indicator's updates, oldest measurement first."""
    return list(db.session.scalars(select(PlanUpdate).where(
        PlanUpdate.indicator_id == indicator.id).order_by(PlanUpdate.measured_on, PlanUpdate.id)))


def _priority_plan(priority_id: int) -> int:
    priority = db.session.get(PlanPriority, priority_id)
    assert priority is not None
    return priority.plan_id


def set_status(action: PlanAction, user: User, status: str) -> None:
    """Set an action's status; only its owner organisation (or an officer) may."""
    if not can_update(user, action.owner):
        raise Forbidden()
    if status not in ACTION_STATUSES:
        raise PlanError("status_missing")
    before = action.status

    def work() -> None:
        action.status = status
        action.updated_at = utcnow()
        _touch(_priority_plan(action.priority_id))
        _record(user, "action_status", "plan_action", action.id, before=before, after=status,
                owner=action.owner)

    in_transaction(work)


def record_update(indicator: PlanIndicator, user: User, value: float, measured_on: date,
                  note: str = "", *, today: date | None = None) -> PlanUpdate:
    """Record a measured value; only the indicator's owner organisation (or an officer) may."""
    if not can_update(user, indicator.owner):
        raise Forbidden()
    value = _number(value)
    if measured_on < indicator.baseline_on:
        raise PlanError("measured_before_baseline")
    if measured_on > (today or date.today()):
        raise PlanError("measured_in_future")
    note = (note or "").strip()
    if len(note) > 1000:
        raise PlanError("note_long")

    def work() -> PlanUpdate:
        update = PlanUpdate(indicator_id=indicator.id, value=value, measured_on=measured_on,
                            note=note, by_id=user.id,
                            by_organisation=indicator.owner)
        db.session.add(update)
        db.session.flush()
        _touch(_priority_plan(indicator.priority_id))
        _record(user, "progress_recorded", "plan_indicator", indicator.id, update=update.id,
                value=value, measured_on=measured_on.isoformat(), owner=indicator.owner)
        return update

    return in_transaction(work)
