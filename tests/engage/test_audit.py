"""S18: the audit trail is append-only, in the app and in the database."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from engage.extensions import db
from engage.models import AuditEvent
from engage.models.audit import AuditTamperError
from engage.services.platform import audit


def test_audit_rows_are_written_with_utc_time(app: Flask) -> None:
    event = audit.record("test.action", actor_label="someone", object_type="thing", object_id=7)
    db.session.commit()
    stored = db.session.get(AuditEvent, event.id)
    assert stored.object_id == "7"
    assert stored.occurred_at.utcoffset().total_seconds() == 0


def test_orm_refuses_changes_to_audit_rows(app: Flask) -> None:
    event = audit.record("test.action")
    db.session.commit()
    event.action = "tampered"
    with pytest.raises(AuditTamperError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(AuditTamperError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET action = 'x'",
    "DELETE FROM audit_events",
])
def test_database_refuses_changes_to_audit_rows(app: Flask, statement: str) -> None:
    audit.record("test.action")
    db.session.commit()
    with pytest.raises(DatabaseError):
        db.session.execute(text(statement))
        db.session.commit()
    db.session.rollback()
    assert db.session.execute(text("SELECT count(*) FROM audit_events")).scalar() == 1
