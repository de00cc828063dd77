"""S18: the audited actions not already counted elsewhere write exactly one audit row each:
every kind of theme edit (and its undo, and comments), the codebook export, and a retention
purge versus an erasure (tests/engage/test_privacy.py covers those in depth)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import AuditEvent, RunText, Theme, ThemeEdit, ThemeRun
from engage.services.code.themes import edits
from engage.services.report import exports
from tests.engage.themes_helpers import analyst, demo_texts, finished_run


def _rows() -> list[tuple[str, str, int | None]]:
    return list(db.session.execute(select(AuditEvent.action, AuditEvent.object_type,
                                          AuditEvent.actor_id).order_by(AuditEvent.id)))


def _one_row(action: str, do: Callable[[], Any], actor_id: int) -> None:
    before = len(_rows())
    do()
    rows = _rows()[before:]
    assert [r[0] for r in rows] == [action], rows
    assert rows[0][2] == actor_id


def _themes(run: ThemeRun) -> list[Theme]:
    return list(db.session.scalars(select(Theme).where(
        Theme.run_id == run.id, Theme.active.is_(True)).order_by(Theme.size.desc())))


def test_every_theme_edit_writes_exactly_one_audit_row(app: Flask) -> None:
    demo_texts(150)
    user = analyst()
    run = finished_run(user)
    first, second, third = _themes(run)[:3]
    text_id = db.session.scalar(select(RunText.text_id).where(RunText.theme_id == third.id))
    _one_row("themes.rename", lambda: edits.rename(first, user, "Repairs", "Slow repairs"),
             user.id)
    _one_row("themes.approve", lambda: edits.set_approved(first, user, True), user.id)
    _one_row("themes.move", lambda: edits.move([text_id], second, user), user.id)
    _one_row("themes.flag", lambda: edits.flag_text(run, text_id, user, "Safeguarding"),
             user.id)
    _one_row("themes.merge", lambda: edits.merge(third, second, user), user.id)
    _one_row("themes.split", lambda: edits.split(second, user, 2), user.id)
    last = edits.undoable(run)
    assert last is not None
    _one_row("themes.undo", lambda: edits.undo(last, user), user.id)
    _one_row("themes.comment", lambda: edits.comment(first, user, "Check the wording"), user.id)


def test_a_theme_edits_audit_row_points_to_the_edit_without_repeating_it(app: Flask) -> None:
    """What an edit changed lives in the edit (scrubbed when texts are erased); the append-only
    audit row says who did which edit to which theme, never the labels or counts again."""
    demo_texts(150)
    user = analyst()
    run = finished_run(user)
    first, second, third = _themes(run)[:3]
    done = [edits.rename(first, user, "Repairs", "Slow repairs"),
            edits.merge(third, second, user), edits.split(second, user, 2)]
    rows = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action.in_(["themes.rename", "themes.merge", "themes.split"]))
        .order_by(AuditEvent.id)).all()
    assert [r.detail for r in rows] == [{"run_id": run.id, "edit_id": e.id} for e in done]
    renamed = db.session.get(ThemeEdit, done[0].id)
    assert renamed is not None and renamed.after["label"] == "Repairs"
    edits.undo(done[-1], user)
    undone = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "themes.undo"))
    assert [(u.object_id, u.detail) for u in undone] == [(str(done[-1].id), {"run_id": run.id})]


def test_the_codebook_export_writes_exactly_one_audit_row(app: Flask) -> None:
    from engage.demo.surveys import SLUG

    demo_texts(20)
    user = analyst()
    _one_row("export.codebook_csv", lambda: exports.codebook_csv(SLUG, user, "10.0.0.2"),
             user.id)
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "export.codebook_csv"))
    assert event is not None and event.ip_address == "10.0.0.2"
    assert event.object_type == "survey"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "export.codebook_csv")) == 1
