"""Survey builder in a browser: build a survey with every question type and a routing rule,
publish it, answer it as a resident, then edit it into a new version; axe on builder pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    LiveServer,
    assert_accessible,
    expect,
    staff_sign_in,
)

TYPES = ["single-choice", "multiple-choice", "agreement", "rating", "number", "date",
         "short-text", "long-text", "ranking", "grid", "ward-postcode"]
SLUG = "builder-browser"


def _click(page: Any, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).first.click()
    page.wait_for_load_state()


def _add_question(page: Any, base: str, qtype: str) -> str:
    page.goto(f"{base}/build")
    page.get_by_role("link", name="Add a question to section section-1").click()
    page.check(f'input[name=type][value="{qtype}"]')
    page.fill("#title-en", f"Question {qtype}")
    page.fill("#title-bn", f"প্রশ্ন {qtype}")
    _click(page, "Add question")
    assert "/draft/questions/" in page.url, page.url
    if qtype in ("single-choice", "multiple-choice", "ranking"):
        page.fill("#option-0-en", "Yes")
        page.fill("#option-0-bn", "হ্যাঁ")
        page.fill("#option-1-en", "No")
        page.fill("#option-1-bn", "না")
    if qtype == "grid":
        page.fill("#statement-0-en", "Parks are clean")
        page.fill("#statement-0-bn", "পার্ক পরিষ্কার")
    assert_accessible(page) if qtype in ("multiple-choice", "grid", "number") else None
    question_id = page.url.rsplit("/", 1)[-1]
    _click(page, "Save question")
    assert "Question saved" in page.content()
    return question_id


def _counts(live_server: LiveServer) -> tuple[list[int], list[int]]:
    from engage.extensions import db
    from engage.models import Response, Survey, SurveyVersion

    with live_server.app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
        versions = list(db.session.scalars(select(SurveyVersion.number).where(
            SurveyVersion.survey_id == survey.id).order_by(SurveyVersion.number)))
        answered = list(db.session.scalars(
            select(SurveyVersion.number).join(Response, Response.survey_version_id ==
                                              SurveyVersion.id)
            .where(Response.survey_id == survey.id, Response.status == "submitted")))
        return versions, answered


def test_build_publish_answer_and_version(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    staff_sign_in(page, live_server, "officer@engage.example")
    base = f"{live_server.url}/staff/surveys/{SLUG}"
    page.goto(f"{live_server.url}/staff/surveys/new")
    assert_accessible(page)
    page.fill("#slug", SLUG)
    page.fill("#title-en", "Parks and open spaces")
    page.fill("#title-bn", "পার্ক ও খোলা জায়গা")
    _click(page, "Create survey")
    assert page.url == f"{base}/build"
    ids = {qtype: _add_question(page, base, qtype) for qtype in TYPES}
    page.goto(f"{base}/build")
    assert_accessible(page)
    # routing rule: "No" to the first question skips to the long-text question
    page.get_by_role("link", name=f"Page title, skip and routing rules "
                                  f"({ids['single-choice']}-page)").click()
    assert_accessible(page)
    page.get_by_role("link", name="Add a routing rule").click()
    page.select_option("#cond-0-question", ids["single-choice"])
    page.select_option("#cond-0-operator", "equals")
    page.select_option("#cond-0-value", "no")
    page.select_option("#go_to", f"page:{ids['long-text']}-page")
    assert_accessible(page)
    _click(page, "Save rule")
    assert "go to page" in page.content()
    # publishing first lists the settings problem, linked to the page that fixes it
    page.goto(f"{base}/draft/publish")
    assert_accessible(page)
    page.locator(".govuk-error-summary a", has_text="select the lawful basis").click()
    assert page.url == f"{base}/settings"
    page.check("#lawful_basis")
    page.fill("#privacy_notice", "We use your answers to plan parks. We keep them 2 years.")
    assert_accessible(page)
    _click(page, "Save settings")
    page.goto(f"{base}/draft/preview?language=bn")
    assert_accessible(page)
    frame = page.frame_locator("iframe")
    assert "প্রশ্ন single-choice" in frame.locator("h1").inner_text()
    page.goto(f"{base}/draft/preview/bn/{ids['single-choice']}-page")
    assert page.locator("html").get_attribute("lang") == "bn"
    assert_accessible(page)
    page.goto(f"{base}/draft/publish")
    _click(page, "Publish")
    assert "Version 1 published" in page.content()

    # a resident answers on a phone: "No" skips the questions in between
    resident = browser.new_context(viewport=PHONE).new_page()
    resident.goto(f"{live_server.url}/s/{SLUG}/")
    _click(resident, "Start now")
    resident.check(f'input[name="q-{ids["single-choice"]}"][value="no"]')
    _click(resident, "Continue")
    assert resident.url.endswith(f"/q/{ids['long-text']}-page"), resident.url
    resident.fill(f"#q-{ids['long-text']}", "More benches please")
    _click(resident, "Continue")
    resident.select_option(f"#q-{ids['ranking']}-yes", "1")
    resident.select_option(f"#q-{ids['ranking']}-no", "2")
    _click(resident, "Continue")
    resident.check(f'input[name="q-{ids["grid"]}-parks-are-clean"][value="agree"]')
    _click(resident, "Continue")
    resident.locator(f'input[name="q-{ids["ward-postcode"]}"]').first.check()
    _click(resident, "Continue")
    assert "/check" in resident.url
    _click(resident, "Send my answers")
    assert "/done" in resident.url
    assert _counts(live_server) == ([1], [1])

    # edit into a new version: the response keeps version 1
    page.goto(f"{base}/build")
    _click(page, "Edit the survey as a new draft")
    _add_question(page, base, "short-text")
    page.goto(f"{base}/draft/publish")
    _click(page, "Publish")
    assert "Version 2 published" in page.content()
    assert _counts(live_server) == ([1, 2], [1])
    context.close()


def test_builder_works_without_javascript_on_a_phone(nojs_page: Any,
                                                     live_server: LiveServer) -> None:
    page = nojs_page
    staff_sign_in(page, live_server, "officer@engage.example")
    page.goto(f"{live_server.url}/staff/surveys/new")
    page.fill("#slug", "builder-nojs")
    page.fill("#title-en", "No script survey")
    _click(page, "Create survey")
    base = f"{live_server.url}/staff/surveys/builder-nojs"
    page.get_by_role("link", name="Add a question to section section-1").click()
    page.check('input[name=type][value="multiple-choice"]')
    page.fill("#title-en", "Which parks do you use?")
    _click(page, "Add question")
    page.fill("#option-0-en", "Victoria Park")
    page.fill("#option-1-en", "Mile End Park")
    page.fill("#option-2-en", "None of these")
    _click(page, "Save and add more")
    assert page.input_value("#option-2-en") == "None of these"
    page.check("#option-2-exclusive")
    page.get_by_role("button", name="Move up 2").click()
    page.wait_for_load_state()
    assert page.input_value("#option-0-en") == "Mile End Park"
    assert "Translation missing" in page.content()  # Bengali not given yet
    _click(page, "Save question")
    page.goto(f"{base}/build")
    assert "Which parks do you use?" in page.content()
    page.goto(f"{base}/draft/preview/en/which-parks-do-you-use-page")
    expect(page.locator('input[value="none-of-these"]')).to_have_count(1)


def test_builder_pages_fit_a_phone(browser: Any, live_server: LiveServer) -> None:
    from tests.browser.conftest import assert_no_horizontal_scroll

    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    staff_sign_in(page, live_server, "officer@engage.example")
    for path in ("/staff/surveys/new", "/staff/surveys/import",
                 "/staff/surveys/libraries-2027/build",
                 "/staff/surveys/libraries-2027/draft/translations/bn",
                 "/staff/surveys/libraries-2027/draft/pages/how-often-do-you-use-a-library-page",
                 "/staff/surveys/libraries-2027/draft/pages/how-often-do-you-use-a-library-page"
                 "/when",
                 "/staff/surveys/libraries-2027/draft/delete?kind=section&id=section-1"):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
    page.goto(f"{live_server.url}/staff/surveys/residents-2026/build")
    if page.get_by_role("button", name="Edit the survey as a new draft").count():
        _click(page, "Edit the survey as a new draft")
    for path in ("build", "draft/details", "settings", "dates", "draft/demographics",
                 "draft/questions/area-statements", "draft/questions/years-lived",
                 "draft/pages/area-statements", "draft/preview", "draft/publish"):
        page.goto(f"{live_server.url}/staff/surveys/residents-2026/{path}")
        expect(page.locator("h1"), path).to_have_count(1)
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
    context.close()
