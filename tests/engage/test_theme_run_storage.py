"""Theme runs at scale (issue 21): no transaction open while the engine computes, results
stored in short batches with progress between them, a failure while storing leaves nothing of
the run behind, and an unfinished run's themes are shown nowhere."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from engage.extensions import db
from engage.models import RunText, Theme, ThemeMembership, ThemeQuote, ThemeRun
from engage.services.code.themes import runs, sources
from engage.services.platform import jobs
from tests.engage.themes_helpers import analyst, demo_texts, finished_run, survey_choices
from tests.pages import sign_in


@pytest.fixture
def progress(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str]]:
    """Every progress update the run writes (they are still written)."""
    seen: list[tuple[int, str]] = []
    original = jobs.set_progress

    def record(job_id: int, percent: int, message: str = "") -> None:
        seen.append((percent, message))
        original(job_id, percent, message)

    monkeypatch.setattr(jobs, "set_progress", record)
    return seen


def _count(model: Any, run_id: int) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)
                                 .where(model.run_id == run_id)) or 0)


def test_the_engine_computes_with_no_transaction_open(app: Flask,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis.themes import ThemeModel

    demo_texts(120)
    user = analyst()
    original = ThemeModel.fit
    open_during_fit: list[bool] = []

    def fit(self: ThemeModel, *args: Any, **kwargs: Any) -> ThemeModel:
        open_during_fit.append(db.session().in_transaction())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ThemeModel, "fit", fit)
    finished_run(user)
    assert open_during_fit == [False]


def test_results_are_stored_in_batches_with_progress_between(
        app: Flask, monkeypatch: pytest.MonkeyPatch, progress: list[tuple[int, str]]) -> None:
    demo_texts(120)
    user = analyst()
    monkeypatch.setattr(runs, "STORE_BATCH", 40)
    commits: list[int] = []
    monkeypatch.setattr(db.session, "commit", _counting(db.session.commit, commits))
    run = finished_run(user)
    n = run.text_count
    assert n > 120  # several batches of 40
    saving = [m for _p, m in progress if m.startswith("Saving the texts: ")]
    assert saving[0] == f"Saving the texts: 40 of {n}"
    assert saving[-1] == f"Saving the texts: {n} of {n}"
    assert len(saving) == -(-n // 40)
    assert [m for _p, m in progress if m.startswith("Saving the texts' themes")][-1] \
        == f"Saving the texts' themes: {n} of {n}"
    stages = ("Finding phrases", "Grouping ", "Scoring sentiment", "Naming the themes")
    # The engine's stages are reported as they happen (the job page shows them).
    assert [m.split()[0] for _p, m in progress if m.startswith(stages)] == [
        "Finding", "Grouping", "Scoring", "Naming"]
    percents = [p for p, _m in progress]
    assert percents == sorted(percents) and percents[-1] >= 92
    assert len(commits) >= 2 * len(saving)  # each batch committed on its own
    assert _count(RunText, run.id) == n
    themes = list(db.session.scalars(select(Theme).where(Theme.run_id == run.id)))
    assert sum(t.size for t in themes) + run.unthemed_count == n
    assert _count(ThemeMembership, run.id) >= n - run.unthemed_count


def _counting(fn: Any, calls: list[int]) -> Any:
    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return fn(*args, **kwargs)

    return counted


def test_a_failure_while_storing_leaves_nothing_of_the_run(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    demo_texts(120)
    user = analyst()
    first = finished_run(user)
    monkeypatch.setattr(runs, "STORE_BATCH", 40)
    original = runs._in_batches

    def fail_on_memberships(ctx: jobs.JobContext, rows: list[dict[str, Any]], model: Any,
                            *args: Any) -> None:
        if model is ThemeMembership:
            db.session.execute(runs.insert(model), rows[:40])
            db.session.commit()  # one batch is stored, then the database goes away
            raise RuntimeError("connection lost")
        original(ctx, rows, model, *args)

    monkeypatch.setattr(runs, "_in_batches", fail_on_memberships)
    failed = runs.start_run(user, survey_choices(), sources.Filters(), n_themes=5)
    assert failed.status == "failed" and "Unexpected error" in failed.error
    for model in (RunText, ThemeMembership, Theme):
        assert _count(model, failed.id) == 0
    assert db.session.scalar(select(func.count()).select_from(ThemeQuote).join(
        Theme, Theme.id == ThemeQuote.theme_id).where(Theme.run_id == failed.id)) == 0
    assert runs.current_run().id == first.id
    assert _count(RunText, first.id) == first.text_count


def test_the_themes_of_an_unfinished_run_are_not_shown(app: Flask, client: FlaskClient) -> None:
    demo_texts(120)
    run = finished_run(analyst())
    theme_id = db.session.scalar(select(Theme.id).where(Theme.run_id == run.id).limit(1))
    sign_in(client, "analyst@example.org")
    assert client.get(f"/staff/themes/{theme_id}").status_code == 200
    for status in ("running", "failed"):
        db.session.execute(update(ThemeRun).where(ThemeRun.id == run.id).values(status=status))
        db.session.commit()
        assert client.get(f"/staff/themes/{theme_id}").status_code == 404
