"""Changing and removing what the plan holds: outcomes, actions, indicators and progress updates.

Officers and admins change wording, owners and definitions and remove outcomes and actions; a
partner keeps only the rights of ``progress`` (their own organisation's statuses and updates),
and may withdraw a progress update of their own organisation recorded by mistake. One
transaction and one audit row each; every change moves ``Plan.changed_at`` so the public page
and the open data follow at once, and the RAG status is recomputed from what remains.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select, update

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
from engage.services.decide.plan.plans import (
    Forbidden,
    PlanError,
    _clean,
    _manager,
    _outcome_of,
    _record,
    _touch,
    can_update,
)
from engage.services.decide.plan.progress import IndicatorSpec, _check
from engage.services.platform.transactions import in_transaction


def _plan_id(priority_id: int) -> int:
    priority = db.session.get(PlanPriority, priority_id)
    assert priority is not None
    return priority.plan_id


# ---------------------------------------------------------------- outcomes


def edit_outcome(outcome: PlanOutcome, user: User, title: str) -> None:
    """Change an outcome's wording."""
    _manager(user)
    title = _clean(title, 200, "outcome_missing")
    before = outcome.title

    def work() -> None:
        outcome.title = title
        _touch(_plan_id(outcome.priority_id))
        _record(user, "outcome_edited", "plan_outcome", outcome.id, before=before, after=title)

    in_transaction(work)


def remove_outcome(outcome: PlanOutcome, user: User) -> None:
    """Remove an outcome with its indicators; its actions stay, serving no outcome."""
    _manager(user)
    outcome_id, title, priority_id = outcome.id, outcome.title, outcome.priority_id

    def work() -> None:
        db.session.execute(update(PlanAction).where(PlanAction.outcome_id == outcome_id)
                           .values(outcome_id=None))
        _remove_indicators(PlanIndicator.outcome_id == outcome_id)
        db.session.execute(delete(PlanOutcome).where(PlanOutcome.id == outcome_id))
        _touch(_plan_id(priority_id))
        _record(user, "outcome_removed", "plan_outcome", outcome_id, title=title,
                priority=priority_id)

    in_transaction(work)
    db.session.expire_all()


def _remove_indicators(where: object) -> None:
    ids = select(PlanIndicator.id).where(where)  # type: ignore[arg-type]
    db.session.execute(delete(PlanUpdate).where(PlanUpdate.indicator_id.in_(ids)))
    db.session.execute(delete(PlanIndicator).where(where))  # type: ignore[arg-type]


# ---------------------------------------------------------------- actions


@dataclass(frozen=True)
class ActionSpec:
    """What an officer may change of an action."""

    title: str
    owner: str
    due_on: date
    status: str
    description: str = ""
    lead_name: str = ""
    outcome_id: int | None = None


def edit_action(action: PlanAction, user: User, spec: ActionSpec) -> None:
    """Change an action. A new owner also reports on the action's indicators."""
    _manager(user)
    title = _clean(spec.title, 200, "action_missing")
    owner = _clean(spec.owner, 120, "owner_missing")
    if spec.status not in ACTION_STATUSES:
        raise PlanError("status_missing")
    if len(spec.description or "") > 4000:
        raise PlanError("text_long")
    priority = db.session.get(PlanPriority, action.priority_id)
    assert priority is not None
    outcome = _outcome_of(priority, spec.outcome_id)
    before = {"title": action.title, "owner": action.owner, "status": action.status,
              "due_on": action.due_on.isoformat()}

    def work() -> None:
        action.title, action.owner, action.status, action.due_on = (
            title, owner, spec.status, spec.due_on)
        action.description = (spec.description or "").strip()
        action.lead_name = " ".join((spec.lead_name or "").split())[:120]
        action.outcome_id = outcome
        action.updated_at = utcnow()
        if owner != before["owner"]:
            db.session.execute(update(PlanIndicator).where(PlanIndicator.action_id == action.id)
                               .values(owner=owner))
        _touch(priority.plan_id)
        _record(user, "action_edited", "plan_action", action.id, before=before,
                after={"title": title, "owner": owner, "status": spec.status,
                       "due_on": spec.due_on.isoformat()})

    in_transaction(work)


def remove_action(action: PlanAction, user: User) -> None:
    """Remove an action with its indicators and their updates."""
    _manager(user)
    action_id, title, owner, priority_id = (action.id, action.title, action.owner,
                                            action.priority_id)

    def work() -> None:
        _remove_indicators(PlanIndicator.action_id == action_id)
        db.session.execute(delete(PlanAction).where(PlanAction.id == action_id))
        _touch(_plan_id(priority_id))
        _record(user, "action_removed", "plan_action", action_id, title=title, owner=owner,
                priority=priority_id)

    in_transaction(work)
    db.session.expire_all()


# ---------------------------------------------------------------- indicators and updates


def edit_indicator(indicator: PlanIndicator, user: User, spec: IndicatorSpec) -> None:
    """Change an indicator's definition; its RAG status is recomputed from it."""
    _manager(user)
    spec = _check(spec)
    first = db.session.scalar(select(PlanUpdate.measured_on).where(
        PlanUpdate.indicator_id == indicator.id).order_by(PlanUpdate.measured_on).limit(1))
    if first is not None and first < spec.baseline_on:
        raise PlanError("baseline_after_updates")
    before = {"unit": indicator.unit, "baseline": indicator.baseline_value,
              "target": indicator.target_value}

    def work() -> None:
        for field in ("name", "unit", "baseline_value", "baseline_on", "target_value",
                      "target_on", "direction", "frequency"):
            setattr(indicator, field, getattr(spec, field))
        _touch(_plan_id(indicator.priority_id))
        _record(user, "indicator_edited", "plan_indicator", indicator.id, before=before,
                after={"unit": spec.unit, "baseline": spec.baseline_value,
                       "target": spec.target_value})

    in_transaction(work)


def can_withdraw(user: User, row: PlanUpdate) -> bool:
    """The update's organisation (or an officer) may withdraw it."""
    return can_update(user, row.by_organisation)


def withdraw_update(row: PlanUpdate, user: User) -> None:
    """Withdraw a progress update recorded by mistake."""
    if not can_withdraw(user, row):
        raise Forbidden()
    indicator = db.session.get(PlanIndicator, row.indicator_id)
    assert indicator is not None
    update_id, value, measured_on = row.id, row.value, row.measured_on.isoformat()

    def work() -> None:
        db.session.execute(delete(PlanUpdate).where(PlanUpdate.id == update_id))
        _touch(_plan_id(indicator.priority_id))
        _record(user, "progress_withdrawn", "plan_indicator", indicator.id, update=update_id,
                value=value, measured_on=measured_on, owner=row.by_organisation)

    in_transaction(work)
    db.session.expire_all()
