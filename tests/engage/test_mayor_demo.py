"""The Ask the Mayor demo loader: about 300 questions, every status, sessions, idempotent."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from engage.demo import load_all
from engage.extensions import db
from engage.models import MayorQuestion, MayorSession
from engage.models._types import utcnow
from engage.models.mayor import STATUSES


def test_demo_questions_cover_statuses_wards_and_sessions(app: Flask) -> None:
    lines = list(load_all())
    assert any("Ask the Mayor" in line for line in lines)
    total = db.session.scalar(select(func.count()).select_from(MayorQuestion))
    assert 280 <= total <= 340
    statuses = set(db.session.scalars(select(MayorQuestion.status).distinct()))
    assert statuses == set(STATUSES)
    assert db.session.scalar(select(func.count(MayorQuestion.ward.distinct()))) >= 15
    sessions = list(db.session.scalars(select(MayorSession).order_by(MayorSession.starts_at)))
    now = utcnow()
    assert [s.starts_at < now for s in sessions] == [True, True, False]
    assert [s.state for s in sessions] == ["published", "published", "planned"]
    unconsented = select(func.count()).select_from(MayorQuestion).where(
        MayorQuestion.status == "published", MayorQuestion.consent_publish.is_(False))
    assert db.session.scalar(unconsented) == 0
    again = list(load_all())
    assert any("already" in line for line in again)
    assert db.session.scalar(select(func.count()).select_from(MayorQuestion)) == total
