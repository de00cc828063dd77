"""A database that is briefly locked, for the retrying transactions (R4, issue 20)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from engage.extensions import db
from engage.services.platform import transactions


def locked_once(monkeypatch: pytest.MonkeyPatch, after: int = 0) -> list[int]:
    """The next commit (or the one after `after` commits that go through) fails as a briefly
    locked database does; the others go through. The returned list holds a 1 once that
    failure has happened."""
    monkeypatch.setattr(transactions.time, "sleep", lambda s: None)
    real, failed, passed = db.session.commit, [], [0]

    def commit() -> None:
        if not failed and passed[0] >= after:
            failed.append(1)
            db.session.rollback()
            raise OperationalError("COMMIT", {}, sqlite3.OperationalError("database is locked"))
        passed[0] += 1
        real()

    monkeypatch.setattr(db.session, "commit", commit)
    return failed
