"""Chart of completed responses over time by channel on the staff survey list."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from engage.extensions import db
from engage.models import Response
from engage.services.collect import response_timeline, responses
from engage.services.collect.published_surveys import publish_definition, published_survey
from tests.engage.test_runner import DEFINITION, SLUG
from tests.pages import check_page, make_user, sign_in

START = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)  # a Monday


def _responses(plan: list[tuple[int, str]], unsent: int = 1) -> None:
    """One sent response per (day offset, channel), plus unsent ones on day 0."""
    publish_definition(DEFINITION, lawful_basis="Public task", privacy_notice="1 year")
    survey = published_survey(SLUG)
    for offset, channel in plan:
        rid = responses.start_response(survey, "en")
        responses.save_page(rid, "use", {"use": "no"}, "en")
        responses.save_page(rid, "improve", {"improve": "More books"}, "en")
        responses.submit(rid, survey)
        at = START + dt.timedelta(days=offset, hours=offset % 5)
        db.session.execute(update(Response).where(Response.id == rid).values(
            channel=channel, submitted_at=at, consent_recorded_at=at,
            sheet_number=str(rid) if channel == "paper" else None))
    for _ in range(unsent):
        responses.start_response(survey, "en")
    db.session.commit()


def test_days_by_channel_only_completed(app: Flask) -> None:
    _responses([(0, "online"), (0, "online"), (0, "phone"), (2, "online"), (3, "paper")],
               unsent=2)
    chart = response_timeline.timelines([SLUG])[SLUG]
    assert chart.unit == "day"
    assert chart.periods == tuple(dt.date(2026, 3, d) for d in (2, 3, 4, 5))  # gaps filled
    assert chart.totals == (3, 0, 1, 1)
    assert chart.total == 5  # the unsent ones are not counted
    assert chart.peak == dt.date(2026, 3, 2) and chart.peak_count == 3
    by_channel = {s.channel: s for s in chart.series}
    assert [s.channel for s in chart.series] == ["online", "phone", "paper"]
    assert by_channel["online"].counts == (2, 0, 1, 0)
    assert by_channel["paper"].counts == (0, 0, 0, 1)
    assert (by_channel["online"].share, by_channel["phone"].share) == (60, 20)
    assert len({s.dash for s in chart.series}) == 3  # told apart by line pattern too


def test_weeks_when_fieldwork_is_long(app: Flask) -> None:
    _responses([(0, "online"), (1, "online"), (8, "face_to_face"), (80, "online")])
    chart = response_timeline.timelines([SLUG])[SLUG]
    assert chart.unit == "week"
    assert chart.periods[0] == dt.date(2026, 3, 2)
    assert all(p.weekday() == 0 for p in chart.periods)
    assert len(chart.periods) == 12
    assert chart.totals[0] == 2 and chart.totals[1] == 1 and chart.totals[-1] == 1
    assert sum(chart.totals) == 4


def test_no_completed_responses_no_chart(app: Flask) -> None:
    _responses([], unsent=2)
    assert response_timeline.timelines([SLUG]) == {}
    assert response_timeline.timelines([]) == {}


@pytest.mark.parametrize("role", ["engagement_officer", "partner_viewer"])
def test_survey_page_chart_and_table(client: FlaskClient, app: Flask, role: str) -> None:
    _responses([(0, "online"), (0, "online"), (1, "phone"), (2, "online")])
    make_user(role=role)
    sign_in(client, "officer@example.org")
    response = client.get("/staff/surveys")
    if role == "partner_viewer":  # sees only surveys whose results are shared with them
        assert response.status_code in (200, 403)
        if response.status_code == 200:
            assert check_page(response).select_one("svg[role=img]") is None
        return
    soup = check_page(response)
    svg = soup.select_one("svg[role=img][aria-labelledby]")
    assert svg is not None
    title_id, desc_id = svg["aria-labelledby"].split()
    assert svg.select_one(f"#{title_id}").get_text() == "Completed responses per day by channel"
    desc = svg.select_one(f"#{desc_id}").get_text()
    assert "2 March 2026 to 4 March 2026" in desc
    assert "4 completed responses" in desc and "busiest day was 2 March 2026 with 2" in desc
    assert "Online 75%, Phone 25%" in desc
    assert len(svg.select("polyline")) == 2
    table = soup.select_one("details table")
    assert table is not None
    rows = [[c.get_text(strip=True) for c in tr.select("th, td")] for tr in table.select("tr")]
    assert rows[0] == ["Day", "Online", "Phone", "Total"]
    assert rows[1] == ["2 March 2026", "2", "0", "2"]
    assert rows[3] == ["4 March 2026", "1", "0", "1"]


def test_bengali_page_has_bengali_digits(client: FlaskClient, app: Flask) -> None:
    _responses([(0, "online"), (0, "online"), (1, "phone")])
    make_user(role="analyst")
    sign_in(client, "officer@example.org")
    soup = check_page(client.get("/staff/surveys?lang=bn"), lang="bn")
    assert soup.select_one("svg[role=img] title").get_text() == (
        "মাধ্যম অনুযায়ী প্রতিদিনের সম্পূর্ণ উত্তর")
    desc = soup.select_one("svg[role=img] desc").get_text()
    assert "৩" in desc and "২০২৬" in desc and "3" not in desc
    cells = [td.get_text(strip=True) for td in soup.select("details table td")]
    assert cells[:3] == ["২", "০", "২"]


def test_survey_page_weekly_chart(client: FlaskClient, app: Flask) -> None:
    _responses([(0, "online"), (1, "paper"), (80, "online")])
    make_user(role="engagement_officer")
    sign_in(client, "officer@example.org")
    soup = check_page(client.get("/staff/surveys"))
    svg = soup.select_one("svg[role=img]")
    assert svg.select_one("title").get_text() == "Completed responses per week by channel"
    assert "the busiest week began on 2 March 2026 with 2" in svg.select_one("desc").get_text()
    headers = [th.get_text(strip=True) for th in soup.select("details thead th")]
    assert headers == ["Week beginning", "Online", "Paper", "Total"]
    assert len(soup.select("details tbody tr")) == 12
