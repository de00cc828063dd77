"""Coded results in a real browser, at 320 px and desktop width: an analyst marks a fully coded
codeframe final on its overview, its codes then show in the insight report with people and
comments, and a board can be started from
the final codeframe; axe finds nothing on any page."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from sqlalchemy import select

from engage.extensions import db
from engage.models import AnalysisText, CodeframeText, Survey, User
from engage.services.code.coding import codes, frames, texts
from engage.services.code.themes import sources
from tests.browser.conftest import (
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
    staff_sign_in,
)

pytestmark = pytest.mark.browser


def _check(page: Any) -> None:
    assert_accessible(page)
    if page.viewport_size["width"] <= 390:
        assert_no_horizontal_scroll(page)


def _coded_frame(server: LiveServer, title: str) -> tuple[int, str]:
    """A codeframe over one survey question's texts, every text coded by the demo analyst;
    its id and the survey's slug."""
    with server.app.app_context():
        analyst = db.session.scalars(select(User).where(
            User.email == "analyst@engage.example")).one()
        key = next(k for k, _label in sources.choices() if k.startswith("survey:"))
        frame = frames.create_codeframe(analyst, title, [key])
        green = codes.add_code(frame, analyst, "Green spaces", "Parks, trees, play areas")
        other = codes.add_code(frame, analyst, "Everything else", "")
        for text_id, body in db.session.execute(
                select(AnalysisText.id, AnalysisText.redacted)
                .join(CodeframeText, CodeframeText.text_id == AnalysisText.id)
                .where(CodeframeText.codeframe_id == frame.id)).all():
            lowered = str(body).lower()
            chosen = green if any(w in lowered for w in ("park", "green", "tree")) else other
            texts.code_text(frame, int(text_id), analyst, [chosen.id])
        slug = db.session.scalar(select(Survey.slug).where(
            Survey.id == int(key.split(":")[1])))
        return frame.id, str(slug)


def test_mark_final_and_see_codes_in_the_report(page: Any, live_server: LiveServer) -> None:
    page.set_default_timeout(30_000)
    width = page.viewport_size["width"]
    started = time.perf_counter()
    frame_id, slug = _coded_frame(live_server, f"Coded at {width}px")
    print(f"coded in {time.perf_counter() - started:.1f}s")
    staff_sign_in(page, live_server, "analyst@engage.example")
    page.goto(f"{live_server.url}/staff/coding/{frame_id}")
    assert "Being coded" in page.content()
    _check(page)
    page.get_by_role("button", name="Mark as final").click()
    page.wait_for_url(re.compile(rf"/staff/coding/{frame_id}$"))
    assert "Codeframe marked final" in page.locator(".govuk-notification-banner").inner_text()
    expect(page.get_by_role("button", name="Reopen for changes")).to_have_count(1)
    _check(page)
    page.goto(f"{live_server.url}/staff/surveys/{slug}/report")
    themes = page.locator("section[aria-labelledby=themes]").inner_text()
    assert "Green spaces" in themes or "Everything else" in themes
    assert "comments in all" in themes
    _check(page)
    page.goto(f"{live_server.url}/staff/coding/{frame_id}/agreement")
    _check(page)
    staff_sign_in(page, live_server, "officer@engage.example", fresh=True)
    page.goto(f"{live_server.url}/staff/priorities")
    links = page.locator("main a[href*='/staff/priorities/groups/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    href = next(h for h in links if re.search(r"/groups/\d+$", h))
    page.goto(f"{live_server.url}{href}/boards/new")
    expect(page.locator(f"input[name=codeframes][value='{frame_id}']")).to_have_count(1)
    _check(page)
