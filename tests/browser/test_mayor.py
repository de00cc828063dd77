"""Ask the Mayor in a real browser: a resident on a 320 px phone, a moderator and an officer,
the published answer, JavaScript off, and 0 axe violations on every page."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from engage.extensions import db
from engage.models import MayorQuestion, MayorSession
from tests.browser.conftest import (
    PHONE,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
    staff_sign_in,
)

pytestmark = pytest.mark.browser

RESIDENT_PAGES = ["/ask-the-mayor", "/ask-the-mayor/status", "/ask-the-mayor/answers",
                  "/ask-the-mayor/answers?page=2", "/ask-the-mayor/sessions"]
STAFF_PAGES = ["/staff/mayor/", "/staff/mayor/mine", "/staff/mayor/new", "/staff/mayor/topics",
               "/staff/mayor/sessions", "/staff/mayor/sessions/new"]
QUESTION = "When will the broken lift in Brokesley Street flats be repaired for good?"


def _reference_of_a_published_question(live_server: LiveServer) -> str:
    with live_server.app.app_context():
        return str(db.session.scalar(select(MayorQuestion.reference).where(
            MayorQuestion.status == "published").order_by(MayorQuestion.id)))


def _question_id(live_server: LiveServer, reference: str) -> int:
    with live_server.app.app_context():
        return int(db.session.scalar(select(MayorQuestion.id).where(
            MayorQuestion.reference == reference)))


def _ask(page: Any, live_server: LiveServer, text: str = QUESTION) -> str:
    page.goto(f"{live_server.url}/ask-the-mayor")
    page.fill("#question", text)
    page.locator("input[name=topic]").first.check()
    page.select_option("#ward", "bow-east")
    page.check("#consent")
    page.fill("#email", "resident@example.org")
    page.get_by_role("button", name="Send your question").click()
    page.wait_for_url(f"{live_server.url}/ask-the-mayor/sent")
    return str(page.locator(".app-reference").inner_text()).strip()


@pytest.mark.parametrize("lang", ["en", "bn"])
@pytest.mark.parametrize("path", [*RESIDENT_PAGES, "status"])
def test_resident_pages_are_accessible(page: Any, live_server: LiveServer, path: str,
                                       lang: str) -> None:
    if path == "status":
        reference = _reference_of_a_published_question(live_server)
        path = f"/ask-the-mayor/status?reference={reference}"
    joiner = "&" if "?" in path else "?"
    page.goto(f"{live_server.url}{path}{joiner}lang={lang}")
    assert page.get_attribute("html", "lang") == lang
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_form_errors_are_accessible(page: Any, live_server: LiveServer, lang: str) -> None:
    page.goto(f"{live_server.url}/ask-the-mayor?lang={lang}")
    page.fill("#question", "Keep what I typed")
    page.locator("form[action='/ask-the-mayor'] button[type=submit]").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error: " if lang == "en" else "ত্রুটি: ")
    assert page.input_value("#question") == "Keep what I typed"
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_resident_asks_on_a_phone_and_a_moderator_takes_it_to_publication(
        browser: Any, live_server: LiveServer) -> None:
    resident = browser.new_context(viewport=PHONE).new_page()
    reference = _ask(resident, live_server)
    assert "Question sent" in resident.content()
    assert_accessible(resident)
    assert_no_horizontal_scroll(resident)
    resident.get_by_role("link", name="Check the status of your question").click()
    assert "Received" in resident.locator(".govuk-summary-list").inner_text()
    assert_accessible(resident)
    assert_no_horizontal_scroll(resident)

    question_id = _question_id(live_server, reference)
    moderator = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    staff_sign_in(moderator, live_server, "moderator@engage.example")
    moderator.goto(f"{live_server.url}/staff/mayor/questions/{question_id}")
    assert_accessible(moderator)
    moderator.get_by_role("button", name="Approve", exact=True).click()
    assert "Question approved" in moderator.content()
    moderator.select_option("#assign-officer",
                            label="Demo Engagement Officer (Demo Partnership)")
    due = date.today() + timedelta(days=10)
    moderator.fill("#assign-due_on-day", str(due.day))
    moderator.fill("#assign-due_on-month", str(due.month))
    moderator.fill("#assign-due_on-year", str(due.year))
    moderator.get_by_role("button", name="Assign", exact=True).click()
    assert "Question assigned" in moderator.content()
    assert_accessible(moderator)

    officer = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    staff_sign_in(officer, live_server, "officer@engage.example")
    officer.goto(f"{live_server.url}/staff/mayor/mine")
    officer.get_by_role("link", name=reference).click()
    officer.fill("#answer-answer", "The lift contractor will replace the motor by March.")
    officer.get_by_role("button", name="Save the answer").click()
    assert "Draft answer saved" in officer.content()
    assert_accessible(officer)

    moderator.reload()
    moderator.get_by_role("button", name="Approve the answer").click()
    assert "Answer approved" in moderator.content()
    moderator.get_by_role("button", name="Publish", exact=True).click()
    assert "Question and answer published" in moderator.content()

    resident.reload()
    assert "Published" in resident.locator(".govuk-summary-list").inner_text()
    resident.get_by_role("link", name="Read the published answers").click()
    article = resident.locator(f"#question-{question_id}")
    assert "replace the motor by March" in article.inner_text()
    article.get_by_role("button", name="I want to know this too").click()
    article = resident.locator(f"#question-{question_id}")
    assert "You want to know this too" in article.inner_text()
    assert "People who want to know this: 1" in article.inner_text()
    assert_accessible(resident)
    assert_no_horizontal_scroll(resident)
    for pg in (resident, moderator, officer):
        pg.context.close()


def test_the_form_works_with_javascript_off(nojs_page: Any, live_server: LiveServer) -> None:
    page = nojs_page
    page.goto(f"{live_server.url}/ask-the-mayor")
    page.locator("form[action='/ask-the-mayor'] button[type=submit]").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.fill("#question", "Can the Chrisp Street market open on Sundays as well?")
    page.locator("input[name=topic]").first.check()
    page.fill("#postcode", "e14 6aq")
    page.locator("#consent").check()
    page.locator("form[action='/ask-the-mayor'] button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/ask-the-mayor/sent")
    reference = page.locator(".app-reference").inner_text().strip()
    page.goto(f"{live_server.url}/ask-the-mayor/status")
    page.fill("#reference", reference.lower())
    page.locator("form[action='/ask-the-mayor/status'] button[type=submit]").click()
    assert "Received" in page.locator(".govuk-summary-list").inner_text()


def test_staff_pages_are_accessible(browser: Any, live_server: LiveServer) -> None:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    staff_sign_in(page, live_server, "moderator@engage.example")
    with live_server.app.app_context():
        qid = db.session.scalar(select(MayorQuestion.id).where(
            MayorQuestion.status == "received").order_by(MayorQuestion.id))
        sid = db.session.scalar(select(MayorSession.id).where(MayorSession.state == "planned"))
    for path in [*STAFF_PAGES, f"/staff/mayor/questions/{qid}", f"/staff/mayor/sessions/{sid}",
                 "/staff/"]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page)
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_queue_pages_by_key_forwards_and_back(browser: Any, live_server: LiveServer,
                                                  javascript: bool) -> None:
    """Next and previous carry the question the page starts after (or ends before); the
    pages follow one another without a gap or a repeat, with JavaScript on or off."""
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  java_script_enabled=javascript)
    page = context.new_page()
    staff_sign_in(page, live_server, "moderator@engage.example")
    page.goto(f"{live_server.url}/staff/mayor/?status=open")

    def shown() -> list[str]:
        return [str(t).strip() for t in page.locator("tbody tr td:first-child a").all_inner_texts()]

    first = shown()
    assert len(first) == 50
    page.locator(".govuk-pagination__next a").click()
    page.wait_for_url("**page=2**")
    assert "after=" in page.url
    second = shown()
    assert second and not set(second) & set(first)
    if javascript:
        assert_accessible(page)
    page.locator(".govuk-pagination__prev a").click()
    page.wait_for_url("**page=1**")
    assert shown() == first
    page.locator(".govuk-pagination__next a").click()
    page.wait_for_url("**page=2**")
    assert shown() == second
    context.close()
