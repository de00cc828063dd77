"""A consultation's public results (S24, S21): only the approved themes of the published run,
counted in people, none from fewer than min_count people, no unpublished quote; weighted
results with intervals and suppression; nothing before staff publish the results; the old
"you said, we did" address moves to the consultation's page."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from flask_babel import refresh
from sqlalchemy import select

from engage.demo import surveys as demo
from engage.extensions import db
from engage.models import AnalysisText, Survey, Theme, ThemeQuote, User
from engage.services.collect.consultations import manage
from engage.services.platform.results_policy import ResultsRefused
from tests.engage.consultation_helpers import consultation, officer
from tests.engage.test_public_truth import reviewed  # noqa: F401
from tests.pages import check_page, csrf_token, sign_in

PAGE = "/consultations/library-hours"


def _main(client: FlaskClient, lang: str = "en") -> str:
    refresh()
    return str(check_page(client.get(f"{PAGE}?lang={lang}"), lang=lang).select_one("main"))


def test_results_show_only_approved_themes(client: FlaskClient,
                                          reviewed: tuple[User, Any]) -> None:  # noqa: F811
    _user, run = reviewed
    survey_id = db.session.scalar(select(Survey.id).where(Survey.slug == demo.SLUG))
    actor = officer("hub@example.org")
    found = consultation(actor, "closed", survey_ids=[survey_id])
    approved = set(db.session.scalars(select(Theme.label).where(
        Theme.run_id == run.id, Theme.approved.is_(True))))
    unapproved = set(db.session.scalars(select(Theme.label).where(
        Theme.run_id == run.id, Theme.approved.is_(False)))) - approved
    assert approved and unapproved
    closed = _main(client)
    assert not any(label in closed for label in approved | unapproved)
    assert "We will publish the results here" in closed

    manage.change_status(found.id, "results", actor)
    page = _main(client)
    assert "Who took part" in page and "95% interval" in page
    assert any(label in page for label in approved)
    assert not any(label in page for label in unapproved)
    quotes = set(db.session.scalars(select(AnalysisText.redacted).join(
        ThemeQuote, ThemeQuote.text_id == AnalysisText.id)))
    assert quotes and not any(q in page for q in quotes)
    assert "mentioned this" in page  # counts of people
    bengali = _main(client, "bn")
    assert not any(label in bengali for label in unapproved)

    moved = client.get(f"/you-said-we-did/{demo.SLUG}")
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith(f"{PAGE}#results")


def test_small_numbers_are_suppressed(client: FlaskClient, app: Any,
                                      reviewed: tuple[User, Any]) -> None:  # noqa: F811
    app.config["RESULTS_MIN_COUNT"] = 10_000
    survey_id = db.session.scalar(select(Survey.id).where(Survey.slug == demo.SLUG))
    consultation(officer("hub@example.org"), "results", survey_ids=[survey_id])
    page = _main(client)
    assert "mentioned this" not in page  # no theme reaches 10,000 people
    assert "so we do not show its results" in page


def test_only_someone_who_may_see_a_surveys_results_publishes_them(
        client: FlaskClient, reviewed: tuple[User, Any]) -> None:  # noqa: F811
    """The survey's results setting holds on the public page too: an officer the survey's
    settings leave out cannot publish its figures, through the service or the page."""
    survey = db.session.scalar(select(Survey).where(Survey.slug == demo.SLUG))
    survey.results_roles = ["analyst"]
    db.session.commit()
    actor = officer("hub@example.org")
    found = consultation(actor, "closed", survey_ids=[survey.id])
    with pytest.raises(ResultsRefused):
        manage.change_status(found.id, "results", actor)
    sign_in(client, "hub@example.org")
    token = csrf_token(client, f"/staff/consultations/{found.id}")
    response = client.post(f"/staff/consultations/{found.id}/status",
                           data={"csrf_token": token, "action": "results"},
                           follow_redirects=True)
    assert "not allowed to see the results" in check_page(response).get_text()
    db.session.expire_all()
    assert manage.get(found.id).status == "closed"
    assert "We will publish the results here" in _main(client)
