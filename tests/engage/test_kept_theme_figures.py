"""The report's theme summaries and equity highlights, and the equity lens the board's evidence
cards read, are kept per process (issue 21) and follow every edit of the themes: a view after an
edit shows what a fresh process would."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from engage.demo import surveys as demo
from engage.extensions import db
from engage.models import Response, RunText, Survey, Theme
from engage.services.code import groupings
from engage.services.code.themes import edits, equity
from engage.services.collect import privacy
from engage.services.report import insight_sources
from tests.engage.themes_helpers import analyst, demo_texts, finished_run
from tests.pages import make_user

KEPT = ("engage_report_theme_rows", "engage_report_theme_counts", "engage_equity_counts",
        "engage_equity_bases")


def test_kept_theme_figures_follow_moves_renames_approvals_and_undo(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    demo_texts(150)
    user = analyst()
    run = finished_run(user)
    for theme in db.session.scalars(select(Theme).where(Theme.run_id == run.id)).all():
        edits.set_approved(theme, user, True)
    survey_id = int(db.session.scalar(select(Survey.id).where(Survey.slug == demo.SLUG)))
    reads: list[str] = []
    real_rows, real_counts = groupings.theme_rows, equity._read_counts
    monkeypatch.setattr(groupings, "theme_rows",
                        lambda *a, **k: reads.append("rows") or real_rows(*a, **k))
    monkeypatch.setattr(equity, "_read_counts",
                        lambda g: reads.append("counts") or real_counts(g))

    def views() -> tuple[object, ...]:
        themes = db.session.scalars(select(Theme).where(Theme.run_id == run.id,
                                                        Theme.active.is_(True))
                                    .order_by(Theme.id)).all()
        return (insight_sources.theme_summaries(survey_id),
                insight_sources.equity_highlights(survey_id),
                [equity.lens(t) for t in themes])

    def fresh() -> tuple[object, ...]:
        for name in KEPT:
            app.extensions.get(name, {}).clear()
        return views()

    first = views()
    read = len(reads)
    assert views() == first and len(reads) == read  # kept: nothing read again
    themes = sorted(db.session.scalars(select(Theme).where(Theme.run_id == run.id)).all(),
                    key=lambda t: -t.size)
    big, small = themes[0], themes[-1]
    texts = list(db.session.scalars(select(RunText.text_id).where(
        RunText.run_id == run.id, RunText.theme_id == big.id).limit(5)))
    moved_edit = edits.move(texts, small, user)
    moved = views()
    assert moved != first and moved == fresh()
    edits.rename(small, user, "Renamed theme", "A new description")
    renamed = views()
    assert "Renamed theme" in [s.name for s in renamed[0]]  # type: ignore[attr-defined]
    assert renamed == fresh()
    edits.set_approved(small, user, False)
    withdrawn = views()
    assert "Renamed theme" not in [s.name for s in withdrawn[0]]  # type: ignore[attr-defined]
    assert withdrawn == fresh()
    for _ in range(2):  # the approval, then the rename
        edit = edits.undoable(run)
        assert edit is not None
        edits.undo(edit, user)
    assert edits.undoable(run) == moved_edit
    edits.undo(moved_edit, user)
    assert views() == fresh() == first
    # Erasure takes texts out of the finished run: every kept figure, the lens's bases too,
    # follows it.
    admin = make_user(role="admin", email="admin@example.org")
    in_run = db.session.scalar(select(func.count()).select_from(RunText).where(
        RunText.run_id == run.id))
    for reference in db.session.scalars(select(Response.reference).order_by(Response.id)):
        privacy.erase_response(reference, admin)
        if db.session.scalar(select(func.count()).select_from(RunText).where(
                RunText.run_id == run.id)) < in_run:
            break
    else:
        pytest.fail("no erased response had a text in the run: the check proves nothing")
    assert views() == fresh() != first
