"""Coded results on the staff theme pages in a real browser at 390 px, in English and Bengali:
an analyst reading themes follows the link to the final codeframe's codes, sees people and
comments per code (a parent code's counting each person once), and opens the codeframe; the
table reads the same with JavaScript off; axe finds nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from engage.extensions import db
from engage.models import AnalysisText, CodeframeText, User
from engage.services.code import groupings
from engage.services.code.coding import codes, final, frames, texts
from engage.services.code.themes import sources
from tests.browser.conftest import (
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
    staff_sign_in,
)

pytestmark = pytest.mark.browser
BENGALI_DIGITS = re.compile(r"^[০-৯]+$")


@pytest.fixture
def wide_phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def _final_frame(server: LiveServer, title: str) -> tuple[int, dict[str, tuple[int, int]]]:
    """A final codeframe over one survey question's texts: "Outdoors" with sub-codes "Green
    spaces" and "Play", every other text "Everything else"; its id and (people, comments) per
    code as groupings counts them."""
    with server.app.app_context():
        analyst = db.session.scalars(select(User).where(
            User.email == "analyst@engage.example")).one()
        key = next(k for k, _label in sources.choices() if k.startswith("survey:"))
        frame = frames.create_codeframe(analyst, title, [key])
        outdoors = codes.add_code(frame, analyst, "Outdoors", "")
        green = codes.add_code(frame, analyst, "Green spaces", "", parent_id=outdoors.id)
        play = codes.add_code(frame, analyst, "Play", "", parent_id=outdoors.id)
        other = codes.add_code(frame, analyst, "Everything else", "")
        for text_id, body in db.session.execute(
                select(AnalysisText.id, AnalysisText.redacted)
                .join(CodeframeText, CodeframeText.text_id == AnalysisText.id)
                .where(CodeframeText.codeframe_id == frame.id)).all():
            lowered = str(body).lower()
            chosen = [c.id for c, words in ((green, ("park", "green", "tree")),
                                            (play, ("park", "play", "child")))
                      if any(w in lowered for w in words)] or [other.id]
            texts.code_text(frame, int(text_id), analyst, chosen)
        final.mark_final(frame, analyst)
        _found, rows = groupings.code_rows(frame)
        sizes = groupings.count(rows)
        names = {c.id: c.name for c in (outdoors, green, play, other)}
        return frame.id, {names[int(k.split(":")[1])]: (c.people, c.comments)
                          for k, c in sizes.items()}


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_codes_beside_the_themes_at_390px(wide_phone: Any, live_server: LiveServer,
                                          lang: str) -> None:
    page = wide_phone
    frame_id, figures = _final_frame(live_server, f"Coded beside themes {lang}")
    assert "Outdoors" in figures
    staff_sign_in(page, live_server, "analyst@engage.example")
    page.goto(f"{live_server.url}/staff/themes?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    link = page.locator("#coded-link a")
    if link.count():  # a finished analysis: the run page links down to the codes
        link.click()
        page.wait_for_url(re.compile(r"#coded-results$"))
    table = page.locator(f"#coded-{frame_id}")
    assert table.locator("caption").inner_text() == f"Coded beside themes {lang}"
    cells = table.locator("tbody tr").first.locator("td").all_inner_texts()
    if lang == "en":
        assert cells == [str(n) for n in figures["Outdoors"]]
        sub = " ".join(table.locator("tbody th").all_inner_texts()[1].split())
        assert sub == "↳ Green spaces (sub-code)"
    else:
        assert all(BENGALI_DIGITS.match(c) for c in cells)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.locator(f"#coded-results a[href$='/staff/coding/{frame_id}']").click()
    page.wait_for_url(re.compile(rf"/staff/coding/{frame_id}$"))
    expect(page.locator("#rollup-note")).to_have_count(1)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_codes_beside_the_themes_without_javascript(nojs_page: Any,
                                                    live_server: LiveServer) -> None:
    frame_id, figures = _final_frame(live_server, "Coded without JavaScript")
    staff_sign_in(nojs_page, live_server, "analyst@engage.example")
    nojs_page.goto(f"{live_server.url}/staff/themes")
    row = nojs_page.locator(f"#coded-{frame_id} tbody tr").first
    assert row.locator("td").all_inner_texts() == [str(n) for n in figures["Outdoors"]]


def test_a_board_shows_a_reopened_codeframes_code_as_withdrawn(wide_phone: Any,
                                                               live_server: LiveServer) -> None:
    from engage.services.decide.priorities import boards, groups

    page = wide_phone
    frame_id, _figures = _final_frame(live_server, "Reopened under a board")
    with live_server.app.app_context():
        officer, chair, analyst = (db.session.scalars(select(User).where(User.email == e)).one()
                                   for e in ("officer@engage.example", "member@engage.example",
                                             "analyst@engage.example"))
        group = groups.create_group(officer, "Withdrawn evidence", "", chair.id, [])
        board = boards.create_board(group, officer, "Coded evidence", [],
                                    [("Scale of need", "", 3.0)], codeframe_ids=[frame_id])
        item = next(i for i in boards.items(board) if i.label == "Outdoors")
        board_id, item_id = board.id, item.id
        frame = frames.get(frame_id)
        assert frame is not None
        final.reopen(frame, analyst)
    staff_sign_in(page, live_server, "officer@engage.example")
    page.goto(f"{live_server.url}/staff/priorities/boards/{board_id}")
    card = page.locator(f"#item-{item_id}").inner_text()
    assert "Withdrawn" in card and "reopened for changes" in card
    assert "% of comments" not in card
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
