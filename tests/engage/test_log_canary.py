"""S17: what a resident or officer types never reaches a log, even when the database fails.

A unique canary goes into a survey answer and into a question to the Mayor while another
connection holds a lock, so the writes fail; every log record (root, SQLAlchemy and Werkzeug,
at DEBUG) is then searched for it."""

from __future__ import annotations

import logging
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from sqlalchemy import create_engine, make_url, text

from engage import extensions
from engage.extensions import db
from engage.services.collect.mayor.public import active_topics
from engage.services.collect.mayor.queue import ensure_default_topics
from engage.services.collect.published_surveys import publish_definition
from tests.engage.test_runner import DEFINITION, SLUG
from tests.pages import csrf_token

LOGGERS = ("", "engage", "sqlalchemy", "sqlalchemy.engine", "sqlalchemy.pool", "werkzeug",
           "flask", "alembic")


@contextmanager
def _locked(app: Flask, backend: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Hold a write lock on the database from another connection."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if backend == "sqlite":
        monkeypatch.setattr(extensions, "_SQLITE_BUSY_MS", 20)  # fail fast, not in 4 s
        db.engine.dispose()
        holder = sqlite3.connect(str(url.database), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:  # the app's connections give up on a lock after 200 ms
        conn.execute(text(f'ALTER DATABASE "{url.database}" SET lock_timeout = 200'))
    db.engine.dispose()
    holder = admin.connect()
    holder.execute(text("BEGIN"))
    holder.execute(text("LOCK TABLE responses, mayor_questions IN SHARE ROW EXCLUSIVE MODE"))
    try:
        yield
    finally:
        holder.execute(text("ROLLBACK"))
        holder.close()
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{url.database}" RESET lock_timeout'))
        admin.dispose()
        db.engine.dispose()


def test_typed_text_never_reaches_a_log_under_a_lock_fault(
        app: Flask, backend: str, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    canary = f"canary{uuid.uuid4().hex}"
    publish_definition(DEFINITION, lawful_basis="Public task", privacy_notice="We keep it")
    ensure_default_topics()
    topic = active_topics()[0].id
    resident = app.test_client()
    resident.post(f"/s/{SLUG}/start", data={"csrf_token": csrf_token(resident, f"/s/{SLUG}/")})
    token = csrf_token(resident, f"/s/{SLUG}/q/use")
    resident.post(f"/s/{SLUG}/q/use", data={"csrf_token": token, "q-use": "no"})
    asker = app.test_client()
    ask_token = csrf_token(asker, "/ask-the-mayor")
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    with _locked(app, backend, monkeypatch):
        answer = resident.post(f"/s/{SLUG}/q/improve", data={
            "csrf_token": token, "q-improve": f"My neighbour {canary} keeps the keys"})
        question = asker.post("/ask-the-mayor", data={
            "csrf_token": ask_token, "question": f"Why is {canary} closed?", "topic": topic,
            "ward": "bow-east", "consent": "yes", "name": canary,
            "email": f"{canary}@example.org"})
    assert answer.status_code == 503  # the lock held: the write failed
    assert question.status_code != 303  # not stored either
    assert caplog.records, "nothing was logged: the capture is not working"
    for record in caplog.records:
        assert canary not in record.getMessage(), record.name
    assert canary not in caplog.text
