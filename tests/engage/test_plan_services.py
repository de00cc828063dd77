"""Plan services: every state change writes one audit row; partners change only their own."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import AuditEvent, PlanPriority, PlanUpdate
from engage.services.decide.plan import plans, progress, public
from engage.services.decide.plan.plans import Forbidden, PlanError
from tests.engage.plan_helpers import COUNCIL, POLICE, TODAY, Built, built, item_ids, spec


def _audits(action: str) -> int:
    return int(db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == action)) or 0)


@pytest.fixture
def b(app: Flask) -> Built:
    return built()


def test_building_a_plan_is_audited(b: Built) -> None:
    assert _audits("plan.created") == 1
    assert _audits("plan.priority_added") == 1
    assert _audits("plan.action_added") == 2
    assert _audits("plan.indicator_added") == 2
    assert b.priority.title == "Housing repairs"
    assert b.priority.why == "Residents raised these most, in every ward."
    assert b.council_indicator.owner == COUNCIL and b.police_indicator.owner == POLICE


def test_only_shortlisted_items_of_locked_boards_are_promoted(b: Built) -> None:
    ids = item_ids(b.board)
    with pytest.raises(PlanError) as exc:
        plans.promote(b.plan, b.officer, ids[0])
    assert exc.value.code == "already_in_plan"
    b.board.state = "scoring"
    db.session.commit()
    with pytest.raises(PlanError) as exc:
        plans.promote(b.plan, b.officer, ids[1])
    assert exc.value.code == "not_shortlisted"
    b.board.state = "locked"
    db.session.commit()
    assert [item.id for item, _board in plans.candidates(b.plan)] == ids[1:]
    plans.promote(b.plan, b.officer, ids[1])
    assert db.session.scalar(select(func.count()).select_from(PlanPriority)) == 2


@pytest.mark.parametrize("who", ["council", "police", "nobody", "analyst"])
def test_only_officers_build_the_plan(b: Built, who: str) -> None:
    user = getattr(b, who)
    with pytest.raises(Forbidden):
        plans.create_plan(user, "Another plan", 2024, 2025)
    with pytest.raises(Forbidden):
        plans.add_action(b.priority, user, title="X", owner=COUNCIL, due_on=TODAY)
    with pytest.raises(Forbidden):
        progress.add_indicator(b.priority, user, spec(), action_id=b.council_action.id)
    with pytest.raises(Forbidden):
        plans.set_published(b.plan, user, True)
    assert not b.plan.published


def test_a_partner_updates_only_their_own_action(b: Built) -> None:
    progress.set_status(b.council_action, b.council, "on_track")
    assert b.council_action.status == "on_track"
    assert _audits("plan.action_status") == 1
    with pytest.raises(Forbidden):
        progress.set_status(b.police_action, b.council, "done")
    with pytest.raises(Forbidden):
        progress.set_status(b.council_action, b.nobody, "done")
    with pytest.raises(Forbidden):
        progress.set_status(b.council_action, b.analyst, "done")
    db.session.refresh(b.police_action)
    assert b.police_action.status == "not_started"
    assert _audits("plan.action_status") == 1


def test_a_partner_records_progress_only_on_their_own_indicator(b: Built) -> None:
    update = progress.record_update(b.council_indicator, b.council, 72.5, date(2026, 1, 1),
                                    "Damp team doubled", today=TODAY)
    assert update.by_organisation == COUNCIL
    assert _audits("plan.progress_recorded") == 1
    with pytest.raises(Forbidden):
        progress.record_update(b.police_indicator, b.council, 1, date(2026, 1, 1), today=TODAY)
    with pytest.raises(Forbidden):
        progress.record_update(b.council_indicator, b.police, 1, date(2026, 1, 1), today=TODAY)
    assert db.session.scalar(select(func.count()).select_from(PlanUpdate)) == 1


def test_officers_update_any_action(b: Built) -> None:
    progress.set_status(b.police_action, b.officer, "delayed")
    progress.record_update(b.police_indicator, b.officer, 380, date(2025, 6, 1), today=TODAY)
    assert b.police_action.status == "delayed"


@pytest.mark.parametrize(("when", "code"), [
    (date(2023, 12, 31), "measured_before_baseline"),
    (date(2026, 12, 2), "measured_in_future"),
])
def test_update_dates_are_checked(b: Built, when: date, code: str) -> None:
    with pytest.raises(PlanError) as exc:
        progress.record_update(b.council_indicator, b.council, 70, when, today=TODAY)
    assert exc.value.code == code


def test_indicator_rules(b: Built) -> None:
    bad = progress.IndicatorSpec("X", "%", 1, date(2025, 1, 1), 2, date(2024, 1, 1),
                                 "higher", "monthly")
    with pytest.raises(PlanError) as exc:
        progress.add_indicator(b.priority, b.officer, bad, action_id=b.council_action.id)
    assert exc.value.code == "target_before_baseline"
    with pytest.raises(PlanError) as exc:
        progress.add_indicator(b.priority, b.officer, spec())
    assert exc.value.code == "measures_missing"
    outcome = plans.add_outcome(b.priority, b.officer, "Warm, dry homes")
    with pytest.raises(PlanError) as exc:
        progress.add_indicator(b.priority, b.officer, spec(), outcome_id=outcome.id)
    assert exc.value.code == "owner_missing"
    ind = progress.add_indicator(b.priority, b.officer, spec(), outcome_id=outcome.id,
                                 owner="NHS North East London")
    assert ind.owner == "NHS North East London" and ind.action_id is None


def test_status_and_changed_at_follow_updates(b: Built) -> None:
    before = b.plan.changed_at
    progress.record_update(b.council_indicator, b.council, 75, date(2026, 1, 1), today=TODAY)
    db.session.refresh(b.plan)
    assert b.plan.changed_at > before
    view = public.plan_view(b.plan)
    ind = next(i for i in view.priorities[0].indicators if i.row.id == b.council_indicator.id)
    assert ind.status == "green" and ind.latest is not None and ind.latest.value == 75
    progress.record_update(b.council_indicator, b.council, 62, date(2026, 2, 1), today=TODAY)
    view = public.plan_view(b.plan)
    ind = next(i for i in view.priorities[0].indicators if i.row.id == b.council_indicator.id)
    assert ind.status == "red"
    assert [i.status for i in view.priorities[0].indicators if i.row.owner == POLICE] == [None]


def test_open_data_has_no_personal_data(b: Built) -> None:
    progress.record_update(b.council_indicator, b.council, 75, date(2026, 1, 1), "ok",
                           today=TODAY)
    data = public.open_data(public.plan_view(b.plan))
    text = repr(data)
    for secret in ("council@example.org", "Head of Repairs", "by_id", "officer@"):
        assert secret not in text
    action = data["priorities"][0]["actions"][0]
    assert set(action) == {"id", "title", "owner", "status", "due"}
    ind = data["priorities"][0]["indicators"][0]
    assert ind["latest"] == {"value": 75.0, "date": "2026-01-01"}
    assert ind["baseline"]["value"] == 60.0 and ind["target"]["value"] == 90.0
