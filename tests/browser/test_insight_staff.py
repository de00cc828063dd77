"""Staff insight pages in a real browser: surveys list with exports, API tokens (create shows the
secret once), “you said, we did” updates; 0 axe violations, 320 px without sideways scrolling."""

from __future__ import annotations

import re
from typing import Any

import pytest

from engage.demo.surveys import SLUG
from tests.browser.conftest import (
    PHONE,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
    staff_sign_in,
)

pytestmark = pytest.mark.browser


def test_surveys_and_updates_pages(page: Any, live_server: LiveServer,
                                   viewport: dict[str, int]) -> None:
    staff_sign_in(page, live_server, "officer@engage.example")
    for path in ("/staff/surveys", f"/staff/surveys/{SLUG}/updates"):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
        if viewport == PHONE:
            assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="Publish the update").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_api_tokens_page(page: Any, live_server: LiveServer) -> None:
    staff_sign_in(page, live_server, "admin@engage.example")
    page.goto(f"{live_server.url}/staff/api-tokens")
    assert_accessible(page)
    page.fill("#name", "Browser test dashboard")
    page.get_by_label(re.compile("Partnership plan")).check()  # the demo survey
    page.get_by_role("button", name="Create the token").click()
    secret = page.locator(".govuk-panel code").inner_text()
    assert secret.startswith("eng_")
    assert_accessible(page)
    response = page.request.get(f"{live_server.url}/api/v1/surveys/{SLUG}/results",
                                headers={"Authorization": f"Bearer {secret}"})
    assert response.status == 200 and response.json()["questions"]


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_survey_list_says_when_results_are_not_yours(page: Any, live_server: LiveServer,
                                                     viewport: dict[str, int],
                                                     lang: str) -> None:
    """An officer whom the survey's setting leaves out sees why its exports are missing."""
    from sqlalchemy import select

    from engage.extensions import db
    from engage.models import Survey
    from engage.services.collect import drafts

    with live_server.app.app_context():
        survey = db.session.scalars(select(Survey).where(Survey.slug == SLUG)).one()
        saved = (survey.results_roles, survey.results_organisations)
        drafts.update_results_access(None, survey, ["analyst"], [])
    try:
        staff_sign_in(page, live_server, "officer@engage.example")
        page.goto(f"{live_server.url}/staff/surveys?lang={lang}")
        text = page.locator("main").inner_text()
        assert ("This survey's settings do not let your role see its results." in text
                if lang == "en" else "এই জরিপের সেটিংস আপনার ভূমিকাকে" in text)
        expect(page.locator(f"a[href='/staff/surveys/{SLUG}/report']")).to_have_count(0)
        assert_accessible(page)
        if viewport == PHONE:
            assert_no_horizontal_scroll(page)
    finally:
        with live_server.app.app_context():
            survey = db.session.scalars(select(Survey).where(Survey.slug == SLUG)).one()
            survey.results_roles, survey.results_organisations = saved
            db.session.commit()
