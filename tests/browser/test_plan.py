"""The partnership plan in a real browser: the public tracker and the staff pages, in English
and Bengali, at 320 px and desktop width, with 0 axe violations; a partner updates their own
action; the public page works with JavaScript off. ENGAGE_SHOTS=<folder> saves screenshots."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from engage.extensions import db
from engage.models import Plan, PlanAction, PlanIndicator, PlanUpdate
from tests.browser.conftest import (
    PHONE,
    SHOTS,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
    save_shot,
    staff_sign_in,
)

pytestmark = pytest.mark.browser


def _check(page: Any, name: str = "") -> None:
    assert_accessible(page)
    if page.viewport_size == PHONE:
        assert_no_horizontal_scroll(page)
    if name:
        save_shot(page, name)


def _ids(live_server: LiveServer) -> dict[str, int]:
    with live_server.app.app_context():
        plan = db.session.scalars(select(Plan)).one()
        council = db.session.scalars(select(PlanAction).where(
            PlanAction.owner == "Tower Hamlets Council")).first()
        police = db.session.scalars(select(PlanAction).where(
            PlanAction.owner == "Metropolitan Police")).first()
        indicator = db.session.scalars(select(PlanIndicator).where(
            PlanIndicator.owner == "Tower Hamlets Council")).first()
        assert council is not None and police is not None and indicator is not None
        update = db.session.scalars(select(PlanUpdate.id).where(
            PlanUpdate.indicator_id == indicator.id)).first()
        return {"plan": plan.id, "council": council.id, "police": police.id, "update": update or 0,
                "indicator": indicator.id, "priority": db.session.scalars(
                    select(PlanAction.priority_id).where(PlanAction.id == council.id)).one()}


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_public_plan(page: Any, live_server: LiveServer, lang: str) -> None:
    page.goto(f"{live_server.url}/plan?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    expect(page.locator("svg[role=img]").nth(2)).to_be_attached()
    expect(page.locator("h2.govuk-heading-l").nth(2)).to_be_attached()
    _check(page, f"plan-{lang}-{page.viewport_size['width']}")
    page.locator("details summary").first.click()
    assert page.locator("details table").first.is_visible()
    _check(page)


def test_public_plan_without_javascript(nojs_page: Any, live_server: LiveServer) -> None:
    nojs_page.goto(f"{live_server.url}/plan")
    nojs_page.get_by_role("link", name="Our plan").first.click()
    assert nojs_page.url.endswith("/plan")
    nojs_page.locator("details summary").first.click()
    assert nojs_page.locator("details table").first.is_visible()


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_officer_pages(page: Any, live_server: LiveServer, lang: str) -> None:
    ids = _ids(live_server)
    staff_sign_in(page, live_server, "officer@engage.example", fresh=True)
    width = page.viewport_size["width"]
    base = f"{live_server.url}/staff/plan/{ids['plan']}/priorities/{ids['priority']}"
    for name, url in [("staff-plans", f"{live_server.url}/staff/plan"),
                      ("staff-plan", f"{live_server.url}/staff/plan/{ids['plan']}"),
                      ("staff-outcome", f"{base}/outcomes"),
                      ("staff-action-new", f"{base}/actions"),
                      ("staff-indicator-new", f"{base}/indicators"),
                      ("staff-action", f"{live_server.url}/staff/plan/actions/{ids['police']}"),
                      ("staff-indicator",
                       f"{live_server.url}/staff/plan/indicators/{ids['indicator']}")]:
        page.goto(f"{url}?lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        _check(page, f"{name}-{lang}-{width}")
    # An error page keeps what was typed and is accessible too.
    page.goto(f"{base}/indicators?lang={lang}")
    page.fill("input[name=name]", "Homes inspected")
    page.locator("button.govuk-button").last.click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.input_value("input[name=name]") == "Homes inspected"
    _check(page, f"staff-indicator-errors-{lang}-{width}")


def _edit_pages(ids: dict[str, int]) -> list[tuple[str, str]]:
    return [("staff-priority-edit", f"/staff/plan/{ids['plan']}/priorities/{ids['priority']}/edit"),
            ("staff-action-edit", f"/staff/plan/actions/{ids['council']}/edit"),
            ("staff-action-remove", f"/staff/plan/actions/{ids['council']}/remove"),
            ("staff-indicator-edit", f"/staff/plan/indicators/{ids['indicator']}/edit"),
            ("staff-update-withdraw", f"/staff/plan/updates/{ids['update']}/withdraw")]


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_officer_edits_the_plan(page: Any, live_server: LiveServer, lang: str) -> None:
    ids = _ids(live_server)
    staff_sign_in(page, live_server, "officer@engage.example", fresh=True)
    width = page.viewport_size["width"]
    for name, url in _edit_pages(ids):
        page.goto(f"{live_server.url}{url}?lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        _check(page, f"{name}-{lang}-{width}")
    # The journey: a wrong entry keeps what was typed; then the wording is saved.
    page.goto(f"{live_server.url}{_edit_pages(ids)[0][1]}?lang={lang}")
    title = page.input_value("input[name=title]")
    description = page.input_value("textarea[name=description]")
    page.fill("input[name=title]", "")
    page.fill("textarea[name=description]", "Typed and kept")
    page.locator("button.govuk-button").last.click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.input_value("textarea[name=description]") == "Typed and kept"
    _check(page, f"staff-priority-edit-errors-{lang}-{width}")
    page.fill("input[name=title]", title)
    page.fill("textarea[name=description]", description)  # the demo stays as it was
    page.locator("button.govuk-button").last.click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    assert title in page.locator(f"#p-{ids['priority']}").inner_text()
    _check(page)


def test_partner_updates_own_action_only(page: Any, live_server: LiveServer) -> None:
    ids = _ids(live_server)
    staff_sign_in(page, live_server, "council@engage.example", fresh=True)
    page.goto(f"{live_server.url}/staff/plan/{ids['plan']}")
    _check(page)
    page.goto(f"{live_server.url}/staff/plan/actions/{ids['council']}")
    page.get_by_label("Delayed").check()
    page.get_by_role("button", name="Save the status").click()
    assert "Status saved" in page.locator(".govuk-notification-banner").inner_text()
    _check(page)
    response = page.goto(f"{live_server.url}/staff/plan/actions/{ids['police']}")
    assert response is not None and response.status == 403


@pytest.mark.skipif(not SHOTS, reason="ENGAGE_SHOTS names a folder for screenshots")
def test_screenshots_at_390(browser: Any, live_server: LiveServer) -> None:
    ids = _ids(live_server)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    for lang in ("en", "bn"):
        page.goto(f"{live_server.url}/plan?lang={lang}")
        save_shot(page, f"390-plan-{lang}")
    staff_sign_in(page, live_server, "council@engage.example")
    for lang in ("en", "bn"):
        for name, url in [("staff-plan", f"/staff/plan/{ids['plan']}"),
                          ("staff-action", f"/staff/plan/actions/{ids['council']}"),
                          ("staff-indicator", f"/staff/plan/indicators/{ids['indicator']}")]:
            page.goto(f"{live_server.url}{url}?lang={lang}")
            save_shot(page, f"390-{name}-{lang}")
    staff_sign_in(page, live_server, "officer@engage.example", fresh=True)
    for lang in ("en", "bn"):
        for name, url in _edit_pages(ids):
            page.goto(f"{live_server.url}{url}?lang={lang}")
            save_shot(page, f"390-{name}-{lang}")
    context.close()
