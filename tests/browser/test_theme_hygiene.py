"""Theme pages after the hygiene work (issue 16), in a real browser at 320 px and desktop width,
English and Bengali: people and comments, sentiment "not scored", the non-answer count and the
language-split notice on the theme page and the equity lens; 0 axe violations."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import (
    SHOTS,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
    save_shot,
    staff_sign_in,
)

pytestmark = pytest.mark.browser


def _mixed_run(server: LiveServer) -> tuple[int, int]:
    """A run over English, Bengali and non-answer comments, each language in its own themes:
    (run id, a Bengali theme's id)."""
    from sqlalchemy import select

    from engage.extensions import db
    from engage.models import AnalysisText, RunText, User
    from engage.services.code.themes import runs, sources
    from tests.engage.test_theme_hygiene import _rows

    with server.app.app_context():
        if "hygiene" not in sources.SOURCES:
            sources.register_rows_source("hygiene", "Hygiene", "All", _rows)
        user = db.session.scalars(select(User).where(
            User.email == "analyst@engage.example")).one()
        # Vectors that keep each language apart, as a run past the multilingual model's limit
        # does: the pages' honest handling of a language split is what is tested here.
        server.app.config["THEMES_VECTORS"] = "cooccurrence"
        try:
            run = runs.start_run(user, ["hygiene:all"], sources.Filters(), n_themes=4)
        finally:
            server.app.config["THEMES_VECTORS"] = "auto"
        assert run.status == "succeeded", run.error
        theme_id = db.session.scalars(select(RunText.theme_id).join(
            AnalysisText, AnalysisText.id == RunText.text_id).where(
            RunText.run_id == run.id, AnalysisText.language == "bn",
            RunText.theme_id.is_not(None)).order_by(RunText.theme_id)).first()
        assert theme_id is not None
        return run.id, int(theme_id)


def _shot(page: Any, name: str) -> None:
    """With ENGAGE_SHOTS set, a full-page screenshot at 390 px (phone runs only)."""
    size = page.viewport_size
    if SHOTS and size["width"] < 400:
        page.set_viewport_size({"width": 390, "height": size["height"]})
        save_shot(page, name)
        page.set_viewport_size(size)


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_theme_pages_show_people_non_answers_and_the_language_split(
        page: Any, live_server: LiveServer, lang: str) -> None:
    run_id, theme_id = _mixed_run(live_server)
    staff_sign_in(page, live_server, "analyst@engage.example")
    base = live_server.url
    page.goto(f"{base}/staff/themes/runs/{run_id}?lang={lang}")
    body = page.locator("main").inner_text()
    assert ("non-answers" in body) if lang == "en" else ("কোনো উত্তর নয়" in body)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    _shot(page, f"run-{lang}")
    page.goto(f"{base}/staff/themes/{theme_id}?lang={lang}")
    split = page.locator("#language-split")
    expect(split).to_have_count(1)
    assert "বাংলা" in split.inner_text()
    keys = page.locator("dt").all_inner_texts()
    assert ("People" in keys) if lang == "en" else ("মানুষ" in keys)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    _shot(page, f"theme-{lang}")
    page.goto(f"{base}/staff/themes/{theme_id}/equity?lang={lang}")
    expect(page.locator("#language-split")).to_have_count(1)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    _shot(page, f"equity-{lang}")
