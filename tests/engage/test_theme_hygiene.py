"""Themes an officer can act on (issue 16): non-answers counted and never themed, people counted
as distinct respondents, Bengali sentiment "not scored", and an equity lens that does not report
language for a theme the analysis split by language."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engage.extensions import db
from engage.models import AnalysisText, RunText, Theme, ThemeRun
from engage.services.code.themes import edits, equity, runs, sources
from tests.engage.themes_helpers import analyst
from tests.pages import check_page, sign_in

ENGLISH = [
    "The bins are overflowing and rubbish is everywhere on the street",
    "Rubbish bins not collected for weeks, the street smells",
    "Parking permits cost too much and there are no parking spaces",
    "Not enough parking spaces near the flats, permits are expensive",
    "Damp and mould in the flat, the landlord will not repair it",
    "Mould in the bathroom and damp walls, repairs are slow",
]
BENGALI = [
    "রাস্তায় আবর্জনা জমে আছে এবং দুর্গন্ধ",
    "আবর্জনা সংগ্রহ হয় না রাস্তায় ময়লা",
]
NON_ANSWERS = ["N/A", "don't know", "-", "😀", "প্রযোজ্য নয়", "কিছু না"]


@dataclass
class Row:
    id: str
    text: str
    respondent: str
    language: str
    ward: str = "bow-east"
    channel: str = "online"
    date: datetime = datetime(2026, 11, 1, tzinfo=UTC)


def _rows() -> list[Row]:
    rows: list[Row] = []
    for copy in range(5):
        for i, text in enumerate(ENGLISH):
            # Two comments per person: the same resident wrote the i-th and (i+1)-th text.
            rows.append(Row(f"e{copy}-{i}", f"{text} ({copy})", f"p{copy}-{i // 2}", "en"))
        for i, text in enumerate(BENGALI * 4):
            rows.append(Row(f"b{copy}-{i}", f"{text} {copy}", f"b{copy}-{i}", "bn"))
    rows += [Row(f"n{i}", text, f"n{i}", "bn" if i >= 4 else "en")
             for i, text in enumerate(NON_ANSWERS)]
    return rows


@pytest.fixture
def mixed_run(app: Flask) -> Iterator[ThemeRun]:
    """A run whose vectors keep each language apart (THEMES_VECTORS=cooccurrence), as any run
    past the multilingual model's limit does: the honest handling of a language split."""
    sources.register_rows_source("hygiene", "Hygiene", "All", _rows)
    app.config["THEMES_VECTORS"] = "cooccurrence"
    try:
        run = runs.start_run(analyst(), ["hygiene:all"], sources.Filters(), n_themes=4)
        assert run.status == "succeeded", run.error
        yield run
    finally:
        app.config["THEMES_VECTORS"] = "auto"
        sources.SOURCES.pop("hygiene")


def test_by_default_english_and_bengali_answers_share_themes(
        app: Flask, client: FlaskClient) -> None:
    assert app.config["THEMES_VECTORS"] == "auto"
    sources.register_rows_source("hygiene", "Hygiene", "All", _rows)
    try:
        run = runs.start_run(analyst(), ["hygiene:all"], sources.Filters(), n_themes=3)
    finally:
        sources.SOURCES.pop("hygiene")
    assert run.status == "succeeded", run.error
    assert (run.changes["vectors"], run.changes["vectors_reason"]) == ("e5", "several-languages")
    texts = _by_source_id(run)
    # The Bengali comments about rubbish are in the English bins theme: no language split.
    assert texts["b0-0"][0].theme_id == texts["e0-0"][0].theme_id is not None
    shared = db.session.get(Theme, texts["b0-0"][0].theme_id)
    assert shared is not None and equity.language_split(shared) is None
    sign_in(client, "analyst@example.org")
    page = check_page(client.get(f"/staff/themes/runs/{run.id}"))
    assert "multilingual model" in page.find(id="how-found").get_text()


def test_the_run_page_says_when_each_language_may_have_its_own_themes(
        mixed_run: ThemeRun, client: FlaskClient) -> None:
    assert mixed_run.changes["vectors_reason"] == "requested"
    mixed_run.changes = {**mixed_run.changes, "vectors_reason": "several-languages-too-many-texts"}
    db.session.commit()
    sign_in(client, "analyst@example.org")
    page = check_page(client.get(f"/staff/themes/runs/{mixed_run.id}?lang=bn"), lang="bn")
    assert "বহুভাষিক মডেল ব্যবহার করা হয়নি" in page.find(id="how-found").get_text()


def _by_source_id(run: ThemeRun) -> dict[str, tuple[RunText, AnalysisText]]:
    return {t.source_id: (r, t) for r, t in db.session.execute(
        select(RunText, AnalysisText).join(AnalysisText, AnalysisText.id == RunText.text_id)
        .where(RunText.run_id == run.id))}


def test_non_answers_are_counted_and_never_themed(mixed_run: ThemeRun) -> None:
    texts = _by_source_id(mixed_run)
    assert mixed_run.changes["non_answers"] == len(NON_ANSWERS)
    for i in range(len(NON_ANSWERS)):
        assert texts[f"n{i}"][0].theme_id is None
    labels = [t.label.lower() for t in db.session.scalars(
        select(Theme).where(Theme.run_id == mixed_run.id))]
    assert not any("applicable" in label for label in labels)


def test_people_are_distinct_respondents_and_bengali_is_not_scored(mixed_run: ThemeRun) -> None:
    themes = list(db.session.scalars(select(Theme).where(Theme.run_id == mixed_run.id)))
    # Each English resident wrote two comments: a theme has fewer people than comments.
    assert any(t.respondents < t.size for t in themes)
    assert all(t.respondents <= t.size for t in themes)
    texts = _by_source_id(mixed_run)
    assert texts["b0-0"][0].sentiment is None  # Bengali: never scored, not 0.0
    assert texts["e0-0"][0].sentiment is not None
    bengali_only = [t for t in themes if t.size and all(
        text.language == "bn" for r, text in texts.values() if r.theme_id == t.id)]
    assert bengali_only and all(t.sentiment is None for t in bengali_only)


def _bengali_theme(run: ThemeRun) -> Theme:
    texts = _by_source_id(run)
    ids = {r.theme_id for r, t in texts.values() if t.language == "bn" and r.theme_id}
    theme = db.session.get(Theme, sorted(ids)[0])
    assert theme is not None
    return theme


def test_the_lens_does_not_flag_language_for_a_language_split_theme(mixed_run: ThemeRun) -> None:
    theme = _bengali_theme(mixed_run)
    lens = equity.lens(theme)
    assert lens.language_split == "bn"
    language = next(d for d in lens.dimensions if d.name == "language")
    cells = {c.group: c for c in language.cells}
    # Without the check Bengali raises this theme far more often than English and is flagged.
    assert cells["bn"].rate is not None and cells["bn"].rate > 0.3 and cells["en"].rate == 0
    assert not any(c.flagged for c in language.cells)
    english = next(t for t in db.session.scalars(select(Theme).where(
        Theme.run_id == mixed_run.id, Theme.active.is_(True))) if t.id != theme.id
        and equity.language_split(t) == "en")
    assert equity.language_split(english) == "en"


def test_an_english_and_a_bengali_theme_can_be_merged(mixed_run: ThemeRun) -> None:
    bengali = _bengali_theme(mixed_run)
    english = next(t for t in db.session.scalars(select(Theme).where(
        Theme.run_id == mixed_run.id, Theme.active.is_(True)))
        if equity.language_split(t) == "en")
    edits.merge(bengali, english, analyst("other@example.org"))
    assert not bengali.active and english.size >= 10
    assert equity.language_split(english) is None  # linked: both languages in one theme


def test_theme_pages_say_people_and_comments_and_explain_a_language_split(
        mixed_run: ThemeRun, client: FlaskClient) -> None:
    sign_in(client, "analyst@example.org")
    theme = _bengali_theme(mixed_run)
    soup = check_page(client.get(f"/staff/themes/{theme.id}"))
    keys = [dt.get_text(strip=True) for dt in soup.find_all("dt")]
    assert "People" in keys and "Comments" in keys and "Respondents" not in keys
    split = soup.find(id="language-split")
    assert split is not None and "বাংলা" in split.get_text()
    assert split.find("a", href=f"/staff/themes/{theme.id}#merge-target")
    lens_page = check_page(client.get(f"/staff/themes/{theme.id}/equity"))
    assert lens_page.find(id="language-split") is not None
    assert "Raises it much more" not in lens_page.find(id="dim-language").find_next(
        "table").get_text()
    run_page = check_page(client.get(f"/staff/themes/runs/{mixed_run.id}"))
    assert "non-answers" in run_page.get_text()
