"""Theme analysis services: runs, every edit and its undo, the re-run that keeps approved themes,
failures that keep the previous results, redaction by role, and the equity lens."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import (
    AnalysisText,
    AuditEvent,
    FreeTextAnswer,
    RunText,
    Theme,
    ThemeMembership,
    ThemeQuote,
    ThemeRun,
)
from engage.services.code.themes import edits, equity, runs, sources, stats, views
from engage.services.platform import results_policy
from tests.engage.themes_helpers import analyst, demo_texts, finished_run, survey_choices
from tests.pages import make_user


@pytest.fixture
def setup(app: Flask):  # type: ignore[no-untyped-def]
    demo_texts(150)
    user = analyst()
    return user, finished_run(user)


def _themes(run: ThemeRun) -> list[Theme]:
    return list(db.session.scalars(select(Theme).where(
        Theme.run_id == run.id, Theme.active.is_(True)).order_by(Theme.id)))


def _main(theme: Theme) -> set[int]:
    return set(db.session.scalars(select(RunText.text_id).where(RunText.theme_id == theme.id)))


def _state(run: ThemeRun) -> tuple[object, ...]:
    """Everything an edit may change, to compare before and after an undo."""
    themes = tuple((t.id, t.label, t.description, t.active, t.approved, t.merged_into_id, t.size)
                   for t in db.session.scalars(select(Theme).where(Theme.run_id == run.id)
                                               .order_by(Theme.id)) if t.active)
    mains = tuple(db.session.execute(select(RunText.text_id, RunText.theme_id).where(
        RunText.run_id == run.id).order_by(RunText.text_id)))
    members = tuple(db.session.execute(select(
        ThemeMembership.theme_id, ThemeMembership.text_id).where(
        ThemeMembership.run_id == run.id).order_by(ThemeMembership.theme_id,
                                                   ThemeMembership.text_id)))
    return themes, mains, members


def test_a_run_stores_themes_memberships_quotes_and_attributes(setup) -> None:  # type: ignore[no-untyped-def]
    _user, run = setup
    themes = _themes(run)
    assert 2 <= len(themes) <= 6
    assert run.text_count == db.session.scalar(select(func.count()).select_from(FreeTextAnswer))
    assert sum(t.size for t in themes) + run.unthemed_count == run.text_count
    for t in themes:
        assert t.label and t.key_phrases and t.size == len(_main(t))
        assert 0 < t.respondents <= t.size
        assert t.weighted_share is None  # the demo has no weights
        assert db.session.scalar(select(func.count()).select_from(ThemeQuote)
                                 .where(ThemeQuote.theme_id == t.id)) >= 1
    text = db.session.scalars(select(AnalysisText).order_by(AnalysisText.id)).first()
    assert text.source == "survey" and text.ward and text.channel and text.language
    assert text.attributes.get("age_band")
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "themes.run_started")) == 1


def test_a_failed_run_records_why_and_keeps_the_previous_results(setup) -> None:  # type: ignore[no-untyped-def]
    user, run = setup
    failed = runs.start_run(user, survey_choices(), sources.Filters(wards=("no-such-ward",)))
    assert failed.status == "failed"
    assert "texts match" in failed.error
    assert runs.current_run().id == run.id
    assert _themes(run)


def test_start_run_refuses_bad_requests(setup) -> None:  # type: ignore[no-untyped-def]
    user, _run = setup
    for selected, n, code in [([], None, "no_sources"), (["survey:99:x"], None, "unknown_source"),
                              (survey_choices(), 1, "bad_n_themes")]:
        with pytest.raises(runs.RunError) as caught:
            runs.start_run(user, selected, sources.Filters(), n_themes=n)
        assert caught.value.code == code


def test_rename_and_undo(setup) -> None:  # type: ignore[no-untyped-def]
    user, run = setup
    theme = _themes(run)[0]
    old = theme.label
    edit = edits.rename(theme, user, "  Housing   repairs ", "Damp, mould and slow repairs")
    assert (theme.label, theme.description) == ("Housing repairs", "Damp, mould and slow repairs")
    assert edit.actor_id == user.id and edit.before["label"] == old
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "themes.rename")) == 1
    edits.undo(edit, user)
    db.session.refresh(theme)
    assert theme.label == old and edit.undone_at is not None
    with pytest.raises(edits.ThemeEditError):
        edits.rename(theme, user, "   ", "")


def test_merge_and_undo(setup) -> None:  # type: ignore[no-untyped-def]
    user, run = setup
    a, b = _themes(run)[:2]
    before = _state(run)
    texts_a, texts_b = _main(a), _main(b)
    edit = edits.merge(a, b, user)
    db.session.refresh(a)
    db.session.refresh(b)
    assert not a.active and a.merged_into_id == b.id
    assert _main(b) == texts_a | texts_b and b.size == len(texts_a | texts_b)
    assert db.session.scalar(select(func.count()).select_from(ThemeMembership).where(
        ThemeMembership.theme_id == a.id)) == 0
    edits.undo(edit, user)
    db.session.expire_all()
    assert _state(run) == before
    with pytest.raises(edits.ThemeEditError):
        edits.merge(b, b, user)


def test_split_and_undo(setup) -> None:  # type: ignore[no-untyped-def]
    user, run = setup
    theme = max(_themes(run), key=lambda t: t.size)
    before = _state(run)
    mains = _main(theme)
    edit = edits.split(theme, user, 3)
    db.session.expire_all()
    children = list(db.session.scalars(select(Theme).where(Theme.split_from_id == theme.id)))
    assert 2 <= len(children) <= 3
    assert not db.session.get(Theme, theme.id).active
    assert set().union(*(_main(c) for c in children)) == mains
    assert edit.after["children"] == [c.id for c in children]
    assert all(c.label and c.origin == "split" for c in children)
    edits.undo(edit, user)
    db.session.expire_all()
    assert _state(run) == before
    with pytest.raises(edits.ThemeEditError):
        edits.split(theme, user, 9)


def test_move_one_or_many_and_undo(setup) -> None:  # type: ignore[no-untyped-def]
    user, run = setup
    a, b = _themes(run)[:2]
    before = _state(run)
    moving = sorted(_main(a))[:3]
    edit = edits.move(moving, b, user)
    db.session.expire_all()
    assert set(moving) <= _main(b) and not set(moving) & _main(a)
    assert db.session.get(Theme, a.id).size == len(_main(a))
    edits.undo(edit, user)
    db.session.expire_all()
    assert _state(run) == before
    single = edits.move([sorted(_main(a))[0]], b, user)
    assert single.after["count"] == 1
    with pytest.raises(edits.ThemeEditError):
        edits.move([], b, user)


def test_approve_and_undo(setup) -> None:  # type: ignore[no-untyped-def]
    user, run = setup
    theme = _themes(run)[0]
    edit = edits.set_approved(theme, user, True)
    assert theme.approved and theme.approved_by_id == user.id
    edits.undo(edit, user)
    db.session.refresh(theme)
    assert not theme.approved and theme.approved_at is None


def test_flag_and_undo(setup) -> None:  # type: ignore[no-untyped-def]
    user, run = setup
    text_id = sorted(_main(_themes(run)[0]))[0]
    edit = edits.flag_text(run, text_id, user, "Mentions a child at risk")
    assert [f.reason for f, _t in views.flags(run, user)] == ["Mentions a child at risk"]
    edits.undo(edit, user)
    assert views.flags(run, user) == []
    with pytest.raises(edits.ThemeEditError):
        edits.flag_text(run, text_id, user, " ")


def test_only_the_latest_edit_can_be_undone(setup) -> None:  # type: ignore[no-untyped-def]
    user, run = setup
    theme = _themes(run)[0]
    first = edits.rename(theme, user, "First", "")
    second = edits.rename(theme, user, "Second", "")
    with pytest.raises(edits.ThemeEditError) as caught:
        edits.undo(first, user)
    assert caught.value.code == "not_latest"
    edits.undo(second, user)
    edits.undo(first, user)
    assert [e.undone_at is not None for e in edits.history(run)] == [True, True]


def test_a_later_run_keeps_approved_themes_and_shows_what_changed(setup) -> None:  # type: ignore[no-untyped-def]
    user, run = setup
    keep = max(_themes(run), key=lambda t: t.size)
    edits.rename(keep, user, "Housing and repairs", "What residents say about their homes")
    edits.set_approved(keep, user, True)
    demo_texts(260)  # new responses arrive
    later = finished_run(user, n_themes=6, previous=run)
    themes = _themes(later)
    carried = [t for t in themes if t.origin == "carried"]
    assert [(t.label, t.approved, t.carried_from_id) for t in carried] == [
        ("Housing and repairs", True, keep.id)]
    assert carried[0].size > 0
    assert later.changes["kept"] == 1
    assert later.changes["new_texts"] == later.text_count - run.text_count > 0
    assert set(later.changes["new_themes"]) == {t.id for t in themes if t.origin != "carried"}
    assert carried[0].growth == sum(1 for r in db.session.scalars(select(RunText).where(
        RunText.run_id == later.id, RunText.theme_id == carried[0].id)) if r.is_new)
    assert runs.current_run().id == later.id
    # The earlier run is unchanged.
    assert db.session.get(Theme, keep.id).run_id == run.id


def test_quotes_are_redacted_unless_the_role_may_see_personal_data(setup) -> None:  # type: ignore[no-untyped-def]
    user, run = setup
    theme = _themes(run)[0]
    text_id = sorted(_main(theme))[0]
    row = db.session.get(AnalysisText, text_id)
    row.text = "Call me on 07700 900123 about the lift"
    row.redacted = "Call me on [PHONE] about the lift"
    db.session.commit()
    from engage.services.code.themes.stats import pick_quotes
    db.session.execute(RunText.__table__.update().where(RunText.text_id == text_id).values(
        score=99.0))
    pick_quotes(theme.id)
    db.session.commit()
    partner = make_user(email="p@example.org", role="partner_viewer")
    shown_to = {u.role: next(r.quotes for r in views.theme_list(run, u) if r.theme.id == theme.id)
                for u in (user, partner)}
    assert "07700 900123" in shown_to["analyst"][0]
    assert "[PHONE]" in shown_to["partner_viewer"][0] and "07700" not in shown_to[
        "partner_viewer"][0]
    texts, _total = views.theme_texts(theme, partner)
    assert all("07700" not in t.text for t in texts)


def test_theme_texts_are_paginated_and_searchable(setup) -> None:  # type: ignore[no-untyped-def]
    user, run = setup
    theme = max(_themes(run), key=lambda t: t.size)
    page1, shown = views.theme_texts(theme, user, 1)
    total = shown.total
    assert total == theme.size and len(page1) == min(total, views.PAGE_SIZE)
    word = page1[0].text.split()[0].strip(".,").lower()
    found, matched = views.theme_texts(theme, user, 1, word)
    assert 0 < matched.total <= total and all(word in t.text.lower() for t in found)
    assert page1[0].source == "survey" and page1[0].ward


def test_equity_lens_counts_suppresses_and_flags(setup) -> None:  # type: ignore[no-untyped-def]
    _user, run = setup
    theme = _themes(run)[0]
    lens = equity.lens(theme)
    assert lens.total == run.text_count and lens.size == theme.size
    names = [d.name for d in lens.dimensions]
    assert {"ward", "age_band", "sex", "ethnicity", "channel", "language"} <= set(names)
    for dim in lens.dimensions:
        for cell in dim.cells:
            if cell.base < results_policy.min_count():
                assert cell.suppressed and cell.count is None and cell.rate is None
            else:
                assert cell.rate == pytest.approx(cell.count / cell.base)
                assert cell.difference == pytest.approx(cell.rate - lens.overall_rate)
    # Make one channel raise the theme far more than the rest: it is flagged.
    phone = list(db.session.scalars(select(RunText).join(
        AnalysisText, AnalysisText.id == RunText.text_id).where(
        RunText.run_id == run.id, AnalysisText.channel == "phone")))
    for r in phone:
        r.theme_id = theme.id
    # Moved as an edit moves texts: the themes are recounted, which stamps them (the lens
    # keeps a theme's counts until its stamp changes).
    stats.refresh_stats(run, _themes(run))
    db.session.commit()
    cells = {c.group: c for d in equity.lens(theme).dimensions if d.name == "channel"
             for c in d.cells}
    assert cells["phone"].flagged and not cells["online"].flagged


def test_sources_are_pluggable(setup) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import dataclass
    from datetime import UTC, datetime

    @dataclass
    class Note:
        id: str
        text: str
        ward: str = "bow-east"
        channel: str = "group_session"
        language: str = "en"
        date: datetime = datetime(2026, 11, 1, tzinfo=UTC)
        group: str = "Bow carers"

    notes = [Note(str(i), f"note {i}: the lift is broken and repairs are slow") for i in range(12)]
    sources.register_rows_source("test_notes", "Test notes", "All notes", lambda: notes)
    try:
        assert ("test_notes:all", "All notes") in sources.choices()
        rows = list(sources.collect(["test_notes:all"], sources.Filters()))
        assert len(rows) == 12 and rows[0].group_name == "Bow carers"
        assert list(sources.collect(["test_notes:all"], sources.Filters(wards=("x",)))) == []
    finally:
        sources.SOURCES.pop("test_notes")


def test_the_demo_analysis_is_loaded_once(app: Flask) -> None:
    from engage.demo import themes as demo_themes

    demo_texts(120)
    assert "skipped" in next(demo_themes.load())  # no demo analyst yet
    make_user(email=demo_themes.ANALYST, role="analyst")
    assert "texts analysed" in next(demo_themes.load())
    assert "already there" in next(demo_themes.load())
    assert db.session.scalar(select(func.count()).select_from(ThemeRun)) == 1


def test_a_run_over_group_session_notes_stores_group_ward_and_date(app: Flask) -> None:
    from datetime import date

    from engage.services.collect import group_sessions

    officer = make_user(email="officer@example.org")
    topics = ["the lift in the flats is broken again", "repairs take months to happen",
              "buses are late and crowded in the morning", "no youth club open after school",
              "parks are dirty and bins overflow", "rent is too high for families"]
    for n, (group, ward) in enumerate([("older_residents", "bow-east"),
                                       ("young_people", "spitalfields-banglatown")]):
        session = group_sessions.create_session(officer, group_sessions.SessionDetails(
            group, date(2026, 3, 1 + n), "Sam", ward=ward))
        for i in range(12):
            group_sessions.add_point(session, officer, f"{topics[i % 6]} ({i})")
    choice = "group_session:all"
    assert choice in dict(sources.choices())
    run = runs.start_run(analyst(), [choice], sources.Filters(), n_themes=3)
    assert run.status == "succeeded", run.error
    assert run.text_count == 24
    texts = list(db.session.scalars(select(AnalysisText).order_by(AnalysisText.id)))
    assert len(texts) == 24 and {t.source for t in texts} == {"group_session"}
    first, last = texts[0], texts[-1]
    assert first.attributes == {"group": "older_residents", "ward": "bow-east",
                                "date": "2026-03-01"}
    assert (first.group_name, first.ward, first.channel) == (
        "older_residents", "bow-east", "group_session")
    assert last.attributes["group"] == "young_people" and last.ward == "spitalfields-banglatown"
    assert first.respondent != last.respondent  # one respondent per session
    assert len({t.respondent for t in texts}) == 2
    # the ward filter works on group notes too
    only_bow = list(sources.collect([choice], sources.Filters(wards=("bow-east",))))
    assert len(only_bow) == 12


def test_the_new_run_page_offers_group_session_notes(client) -> None:  # type: ignore[no-untyped-def]
    from tests.pages import sign_in

    analyst()
    sign_in(client, "analyst@example.org")
    page = client.get("/staff/themes/runs/new")
    assert page.status_code == 200
    assert b'value="group_session:all"' in page.data


def test_starting_a_run_is_one_retrying_transaction(app: Flask,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Recording a theme run and queueing its job wait out a brief lock (issue 20): one run,
    audited once, then run (here it fails at once: no texts match)."""
    from tests.locks import locked_once

    demo_texts(40)
    user = analyst()
    failed = locked_once(monkeypatch)
    run = runs.start_run(user, survey_choices(), sources.Filters(wards=("no-such-ward",)))
    assert failed == [1]
    assert run.status == "failed" and run.job_id is not None
    assert db.session.scalar(select(func.count(ThemeRun.id))) == 1
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "themes.run_started")) == 1
