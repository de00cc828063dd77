"""The priority board in a real browser: the chair agrees the criteria, a group member scores,
the chair shortlists and locks; 0 axe violations on every page, at 320 px and desktop width."""

from __future__ import annotations

from itertools import count
from typing import Any

import pytest
from sqlalchemy import select

from engage.extensions import db
from engage.models import TaskGroup, User
from tests.browser.conftest import (
    BROWSER_PASSWORD,
    PHONE,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
    staff_sign_in,
)

pytestmark = pytest.mark.browser

CHAIR = "member@engage.example"
SCORER = "member2@engage.example"
_boards = count(1)


def _approved_run(live_server: LiveServer) -> int:
    """A run over the demo survey with its themes approved (made once per session)."""
    from engage.services.code.themes import edits, runs, sources, views
    from engage.services.decide.priorities import boards

    found = boards.scorable_runs()
    if found:
        return found[0].id
    analyst = db.session.scalars(select(User).where(
        User.email == "analyst@engage.example")).one()
    chosen = [k for k, _label in sources.choices() if k.startswith("survey:")]
    run = runs.start_run(analyst, chosen, sources.Filters(), n_themes=6)
    assert run.status == "succeeded", run.error
    for row in views.theme_list(run, analyst)[:5]:
        edits.set_approved(row.theme, analyst, True)
    return run.id


@pytest.fixture
def board_id(live_server: LiveServer) -> int:
    """A fresh board of the demo group (chaired by the demo group member), with a second
    group member who scores."""
    from engage.demo.priorities import GROUP
    from engage.forms.priorities import default_criteria
    from engage.services.decide.priorities import boards, groups
    from engage.services.platform import accounts

    with live_server.app.app_context():
        run_id = _approved_run(live_server)
        admin = db.session.scalars(select(User).where(User.email == "admin@engage.example")).one()
        scorer = db.session.scalars(select(User).where(User.email == SCORER)).first()
        if scorer is None:
            scorer = accounts.create_user(SCORER, "group_member", BROWSER_PASSWORD,
                                          name="Second Member")
        group = db.session.scalars(select(TaskGroup).where(TaskGroup.name == GROUP)).one()
        if not groups.is_member(group, scorer):
            groups.update_group(group, admin, group.name, group.remit, group.chair_id,
                                sorted(groups.member_ids(group) | {scorer.id}))
        board = boards.create_board(group, admin, f"Browser board {next(_boards)}", [run_id],
                                    default_criteria())
        return int(board.id)


def _check(page: Any) -> None:
    assert_accessible(page)
    if page.viewport_size == PHONE:
        assert_no_horizontal_scroll(page)


def test_member_scores_and_chair_shortlists(page: Any, live_server: LiveServer,
                                           board_id: int) -> None:
    board = f"{live_server.url}/staff/priorities/boards/{board_id}"
    # The chair agrees the criteria: a new weight, then opens scoring.
    staff_sign_in(page, live_server, CHAIR, fresh=True)
    page.get_by_role("link", name="Task and Finish groups and their priority boards").click()
    _check(page)
    page.goto(board)
    _check(page)
    page.get_by_label("Weight of Feasibility").fill("2")
    page.get_by_role("button", name="Save weights").click()
    page.wait_for_url(f"{board}#criteria")
    assert page.get_by_label("Weight of Feasibility").input_value() == "2"
    page.get_by_role("button", name="Agree criteria and open scoring").click()
    page.wait_for_url(board)
    assert "Scoring is open" in page.locator("main").inner_text()
    _check(page)

    # A group member scores three themes; the first attempt misses a criterion.
    staff_sign_in(page, live_server, SCORER, fresh=True)
    page.goto(board)
    links = page.locator("a[href$='/score']")
    hrefs = [links.nth(i).get_attribute("href") for i in range(3)]
    for n, href in enumerate(hrefs):
        page.goto(f"{live_server.url}{href}")
        if n == 0:
            _check(page)
            page.get_by_role("button", name="Save scores").click()
            expect(page.locator(".govuk-error-summary")).to_be_visible()
            _check(page)
        for fieldset in page.locator("fieldset").all():
            fieldset.locator("input[type=radio]").nth(4 - n).check()
        page.locator("textarea").first.fill(f"Comment {n}")
        page.get_by_role("button", name="Save scores").click()
        page.wait_for_url(f"{board}#item-*")
    assert "Comment 0" in page.locator("main").inner_text()
    _check(page)

    # The chair shortlists three priorities and locks the board.
    staff_sign_in(page, live_server, CHAIR, fresh=True)
    page.goto(board)
    page.get_by_role("link", name="Shortlist the priorities").click()
    _check(page)
    page.get_by_role("button", name="Shortlist and lock the board").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    _check(page)
    boxes = page.locator("input[name=priorities]")
    for i in range(3):
        boxes.nth(i).check()
    page.get_by_label("Why these priorities?").fill("The widest need and the clearest gaps")
    page.get_by_role("button", name="Shortlist and lock the board").click()
    page.wait_for_url(board)
    main = page.locator("main").inner_text()
    assert "The group's priorities" in main and "The widest need" in main
    assert "Locked" in main
    expect(page.locator("a[href$='/score']")).to_have_count(0)
    _check(page)


def test_member_scores_with_javascript_off(nojs_page: Any, live_server: LiveServer,
                                           board_id: int) -> None:
    from engage.services.decide.priorities import boards

    with live_server.app.app_context():
        board = boards.get_board(board_id)
        assert board is not None
        chair = db.session.scalars(select(User).where(User.email == CHAIR)).one()
        boards.open_scoring(board, chair)
        item_id = boards.items(board)[0].id
    page = nojs_page
    staff_sign_in(page, live_server, SCORER, fresh=True)
    url = f"{live_server.url}/staff/priorities/boards/{board_id}/items/{item_id}/score"
    page.goto(url)
    for fieldset in page.locator("fieldset").all():
        fieldset.locator("input[type=radio]").nth(2).check()
    page.get_by_role("button", name="Save scores").click()
    page.wait_for_url(f"{live_server.url}/staff/priorities/boards/{board_id}#item-{item_id}")
    assert "Scores saved" in page.locator("main").inner_text()
