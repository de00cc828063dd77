"""A database that is briefly locked, for the retrying transactions (R4, issue 20)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from engage.extensions import db
from engage.services.platform import transactions


def locked_once(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The next commit fails as a briefly locked database does; later ones go through.
    The returned list holds a 1 once that failure has happened."""
    monkeypatch.setattr(transactions.time, "sleep", lambda s: None)
    real, failed = db.session.commit, []

    def commit() -> None:
        if not failed:
            failed.append(1)
            db.session.rollback()
            raise OperationalError("COMMIT", {}, sqlite3.OperationalError("database is locked"))
        real()

    monkeypatch.setattr(db.session, "commit", commit)
    return failed
