"""The demo loads a published plan: 3+ priorities from the demo board, actions owned by 3+
partner organisations, indicators with a baseline, a target and several updates."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from engage.demo.priorities import TOPIC_TITLES
from engage.extensions import db
from engage.models import BoardItem, Plan, PlanAction, PlanIndicator, PlanPriority, PlanUpdate
from engage.services.decide.plan import public


def test_demo_plan(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENGAGE_DEMO_PASSWORD", raising=False)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "Plan demo: Tower Hamlets Plan 2023-2028 published" in first.output, first.output
    plan = db.session.scalars(select(Plan)).one()
    assert plan.published
    priorities = db.session.scalars(select(PlanPriority)).all()
    assert len(priorities) >= 3
    # the demo analyst named the themes in plain words before approving them (never the
    # engine's word pairs on the public plan)
    assert sum(p.title in TOPIC_TITLES.values() for p in priorities) >= 3, \
        [p.title for p in priorities]
    for p in priorities:  # each from a shortlisted item of the demo group's locked board
        item = db.session.get(BoardItem, p.board_item_id)
        assert item is not None and item.shortlist_rank is not None and p.theme_id is not None
    owners = set(db.session.scalars(select(PlanAction.owner)))
    assert len(owners) >= 3
    for indicator in db.session.scalars(select(PlanIndicator)):
        n = db.session.scalar(select(func.count()).select_from(PlanUpdate).where(
            PlanUpdate.indicator_id == indicator.id))
        assert n is not None and n >= 3
    view = public.plan_view(plan)
    assert {i.status for p in view.priorities for i in p.indicators} >= {"green", "red"}
    assert any(p.evidence.theme for p in view.priorities)  # approved themes show as evidence
    second = runner.invoke(args=["demo"])
    assert "Plan demo: already there." in second.output
    assert db.session.scalar(select(func.count()).select_from(Plan)) == 1
