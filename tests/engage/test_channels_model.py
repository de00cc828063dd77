"""Channels on one data model (issue 6): the 0004 migration keeps data, and the constraints hold."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from engage.extensions import db
from tests.conftest import make_app

NOW = "2026-11-22 10:00:00"


def _seed_before_channels(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(text(
            "INSERT INTO users (id, email, name, role, organisation, password_hash, active,"
            " created_at) VALUES (1, 'a@example.org', 'A', 'analyst', '', 'x', :t, :n)"),
            {"t": True, "n": NOW})
        c.execute(text("INSERT INTO staff_sessions (id, token_hash, user_id, created_at,"
                       " last_seen_at) VALUES (1, 'h', 1, :n, :n)"), {"n": NOW})
        c.execute(text("INSERT INTO surveys (id, slug, created_at) VALUES (1, 's', :n)"),
                  {"n": NOW})
        c.execute(text(
            "INSERT INTO survey_versions (id, survey_id, number, title, definition, lawful_basis,"
            " privacy_notice, retention_days, created_at) VALUES (1, 1, 1, 'S', '{}', '', '',"
            " 730, :n)"), {"n": NOW})
        c.execute(text(
            "INSERT INTO responses (id, survey_id, survey_version_id, status, channel, language,"
            " answers, current_page, reference, started_at, updated_at, submitted_at)"
            " VALUES (1, 1, 1, 'submitted', 'online', 'en', '{}', '', 'ABCD-2345', :n, :n, :n)"),
            {"n": NOW})
        c.execute(text(
            "INSERT INTO free_text_answers (id, response_id, survey_id, survey_version_id,"
            " question_id, text, language, channel, submitted_at)"
            " VALUES (1, 1, 1, 1, 'q', 'words', 'en', 'online', :n)"), {"n": NOW})
    engine.dispose()


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as c:
        found = {t: int(c.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
                 for t in ("users", "staff_sessions", "responses", "free_text_answers")}
    engine.dispose()
    return found


def test_upgrade_and_downgrade_keep_existing_rows(tmp_path: Path) -> None:
    """SQLite rebuilds users and responses: nothing referencing them may cascade away."""
    from flask_migrate import downgrade, upgrade

    url = f"sqlite:///{tmp_path / 'm.sqlite'}"
    app = make_app(url)
    with app.app_context():
        upgrade(revision="0003")
        _seed_before_channels(url)
        upgrade(revision="0004")
        assert _counts(url) == {"users": 1, "staff_sessions": 1, "responses": 1,
                                "free_text_answers": 1}
        engine = create_engine(url)
        with engine.connect() as c:
            proxy = c.execute(text("SELECT proxy FROM responses WHERE id = 1")).scalar_one()
            fks = c.execute(text("PRAGMA foreign_keys")).scalar_one()
        engine.dispose()
        assert not proxy
        downgrade(revision="0003")
        assert _counts(url)["free_text_answers"] == 1
        upgrade()
        db.engine.dispose()
    assert fks == 1


def _response(**fields: object):  # type: ignore[no-untyped-def]
    from engage.models import Response, Survey, SurveyVersion

    survey = db.session.get(Survey, 1)
    if survey is None:
        survey = Survey(id=1, slug="s")
        db.session.add(survey)
        db.session.add(SurveyVersion(id=1, survey_id=1, number=1, title="S", definition={}))
        db.session.flush()
    response = Response(survey_id=1, survey_version_id=1, **fields)
    db.session.add(response)
    return response


@pytest.mark.parametrize("fields", [
    {"channel": "face_to_face"},  # an interview without consent
    {"channel": "phone"},
    {"channel": "paper"},  # a paper response without its sheet number
    {"channel": "online", "sheet_number": "12"},
    {"channel": "paper", "sheet_number": ""},
])
def test_constraints_refuse_inconsistent_channels(app: Flask, fields: dict[str, object]) -> None:
    _response(**fields)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_online_response_cannot_name_an_interviewer(app: Flask) -> None:
    from tests.pages import make_user

    user = make_user("int@example.org", "interviewer")
    _response(channel="online", interviewer_id=user.id)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_sheet_numbers_are_unique_per_batch(app: Flask) -> None:
    _response(channel="paper", batch="B1", sheet_number="7")
    _response(channel="paper", batch="B2", sheet_number="7")
    db.session.flush()
    _response(channel="paper", batch="B1", sheet_number="7")
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_deleting_an_interviewer_keeps_their_interviews(app: Flask) -> None:
    from engage.models import Response, User
    from tests.pages import make_user

    user = make_user("int@example.org", "interviewer")
    response = _response(channel="face_to_face", interviewer_id=user.id, proxy=True,
                         consent_recorded_at=datetime.now(UTC), batch="Week 1")
    db.session.commit()
    db.session.execute(db.delete(User).where(User.id == user.id))
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get(Response, response.id)
    assert kept is not None and kept.interviewer_id is None and kept.proxy


def test_interviewer_is_a_staff_role(app: Flask) -> None:
    from engage.models import ROLES
    from tests.pages import make_user

    assert "interviewer" in ROLES
    assert make_user("int@example.org", "interviewer").role == "interviewer"


def test_unknown_role_still_refused(app: Flask) -> None:
    from engage.models import User

    db.session.add(User(email="x@example.org", role="wizard", password_hash="x"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


