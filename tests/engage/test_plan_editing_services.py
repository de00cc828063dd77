"""Changing and removing outcomes, actions, indicators and progress updates (services)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import AuditEvent, Plan, PlanAction, PlanIndicator, PlanOutcome, PlanUpdate
from engage.services.decide.plan import amendments, plans, progress, public
from engage.services.decide.plan.amendments import ActionSpec
from engage.services.decide.plan.plans import Forbidden, PlanError
from tests.engage.plan_helpers import COUNCIL, POLICE, Built, built, spec


@pytest.fixture
def b(app: Flask) -> Built:
    return built(publish=True)


def _actions(name: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == name)))


def _count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def _spec(action: PlanAction, **change: object) -> ActionSpec:
    base = ActionSpec(action.title, action.owner, action.due_on, action.status,
                      action.description, action.lead_name, action.outcome_id)
    return replace(base, **change)  # type: ignore[arg-type]


def test_officer_edits_an_action_and_a_new_owner_reports_on_it(b: Built) -> None:
    changed = db.session.get(Plan, b.plan.id).changed_at
    amendments.edit_action(b.council_action, b.officer, _spec(
        b.council_action, title="Fix damp and mould", owner=POLICE, status="at_risk",
        due_on=date(2027, 9, 30), lead_name="Inspector"))
    db.session.expire_all()
    action = db.session.get(PlanAction, b.council_action.id)
    assert (action.title, action.owner, action.status, action.lead_name) == (
        "Fix damp and mould", POLICE, "at_risk", "Inspector")
    assert db.session.get(PlanIndicator, b.council_indicator.id).owner == POLICE
    assert db.session.get(Plan, b.plan.id).changed_at > changed
    event, = _actions("plan.action_edited")
    assert event.detail["before"]["owner"] == COUNCIL and event.detail["after"]["owner"] == POLICE


def test_partners_and_analysts_cannot_edit_or_remove(b: Built) -> None:
    for user in (b.council, b.police, b.analyst):
        with pytest.raises(Forbidden):
            amendments.edit_action(b.council_action, user, _spec(b.council_action, title="X"))
        with pytest.raises(Forbidden):
            amendments.remove_action(b.council_action, user)
    assert _count(PlanAction) == 2


def test_action_edit_checks_what_it_is_given(b: Built) -> None:
    for change, code in (({"title": " "}, "action_missing"), ({"owner": ""}, "owner_missing"),
                         ({"status": "sleeping"}, "status_missing"),
                         ({"outcome_id": 99999}, "outcome_unknown")):
        with pytest.raises(PlanError) as err:
            amendments.edit_action(b.council_action, b.officer, _spec(b.council_action, **change))
        assert err.value.code == code
    assert not _actions("plan.action_edited")


def test_removing_an_action_removes_its_indicators_and_updates(b: Built) -> None:
    progress.record_update(b.council_indicator, b.council, 70, date(2025, 1, 1),
                           today=date(2026, 1, 1))
    amendments.remove_action(b.council_action, b.officer)
    assert _count(PlanAction) == 1 and _count(PlanIndicator) == 1 and _count(PlanUpdate) == 0
    event, = _actions("plan.action_removed")
    assert event.detail["title"] == "Fix damp in council homes"


def test_outcome_edit_and_remove(b: Built) -> None:
    outcome = plans.add_outcome(b.priority, b.officer, "Fewer damp homes")
    amendments.edit_action(b.council_action, b.officer,
                        _spec(b.council_action, outcome_id=outcome.id))
    progress.add_indicator(b.priority, b.officer, spec("Damp homes"), outcome_id=outcome.id,
                           owner=COUNCIL)
    amendments.edit_outcome(outcome, b.officer, "No damp homes")
    assert db.session.get(PlanOutcome, outcome.id).title == "No damp homes"
    with pytest.raises(Forbidden):
        amendments.edit_outcome(outcome, b.council, "Mine")
    with pytest.raises(PlanError):
        amendments.edit_outcome(outcome, b.officer, "")
    amendments.remove_outcome(outcome, b.officer)
    assert _count(PlanOutcome) == 0 and _count(PlanIndicator) == 2
    assert db.session.get(PlanAction, b.council_action.id).outcome_id is None
    assert len(_actions("plan.outcome_removed")) == 1


def test_indicator_definition_edit_recomputes_the_rag(b: Built) -> None:
    progress.record_update(b.council_indicator, b.council, 75, date(2026, 1, 1),
                           today=date(2026, 1, 2))
    before = public.indicator_view(b.council_indicator, progress.updates(b.council_indicator))
    new = replace(spec(), target_value=200.0, unit="% of jobs")  # 75 now falls far short
    with pytest.raises(Forbidden):
        amendments.edit_indicator(b.council_indicator, b.council, new)
    amendments.edit_indicator(b.council_indicator, b.officer, new)
    db.session.expire_all()
    ind = db.session.get(PlanIndicator, b.council_indicator.id)
    assert (ind.unit, ind.target_value) == ("% of jobs", 200.0)
    after = public.indicator_view(ind, progress.updates(ind))
    assert (before.status, after.status) == ("green", "red")
    assert len(_actions("plan.indicator_edited")) == 1
    with pytest.raises(PlanError) as err:
        amendments.edit_indicator(ind, b.officer, replace(new, baseline_on=date(2026, 6, 1)))
    assert err.value.code == "baseline_after_updates"


def test_withdrawing_an_update(b: Built) -> None:
    row = progress.record_update(b.council_indicator, b.council, 75, date(2025, 1, 1),
                                 today=date(2026, 1, 1))
    for user in (b.police, b.nobody, b.analyst):
        with pytest.raises(Forbidden):
            amendments.withdraw_update(row, user)
    amendments.withdraw_update(row, b.council)
    assert _count(PlanUpdate) == 0
    event, = _actions("plan.progress_withdrawn")
    assert event.detail["value"] == 75 and event.detail["owner"] == COUNCIL
    again = progress.record_update(b.police_indicator, b.police, 350, date(2025, 1, 1),
                                   today=date(2026, 1, 1))
    amendments.withdraw_update(again, b.officer)
    assert _count(PlanUpdate) == 0
