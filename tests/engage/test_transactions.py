"""R4: a locked database is retried briefly with jitter, then reported as unavailable."""

from __future__ import annotations

import sqlite3

import pytest
from flask import Flask
from sqlalchemy.exc import OperationalError

from engage.services.platform import transactions
from engage.services.platform.transactions import DatabaseUnavailable, in_transaction


def _locked() -> OperationalError:
    return OperationalError("UPDATE x", {}, sqlite3.OperationalError("database is locked"))


def test_retries_until_the_lock_clears(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transactions.time, "sleep", lambda s: None)
    calls = []

    def work() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise _locked()
        return "done"

    assert in_transaction(work) == "done"
    assert len(calls) == 3


def test_gives_up_after_a_bounded_number_of_tries(app: Flask,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    delays: list[float] = []
    monkeypatch.setattr(transactions.time, "sleep", delays.append)

    def work() -> None:
        raise _locked()

    with pytest.raises(DatabaseUnavailable):
        in_transaction(work, attempts=3)
    assert len(delays) == 2 and all(0 < d < 1 for d in delays)


def test_other_errors_are_not_retried(app: Flask) -> None:
    calls = []

    def work() -> None:
        calls.append(1)
        raise OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: x"))

    with pytest.raises(DatabaseUnavailable):
        in_transaction(work)
    assert len(calls) == 1


def test_a_bug_is_not_hidden_as_unavailability(app: Flask) -> None:
    def work() -> None:
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        in_transaction(work)
