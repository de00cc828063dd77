"""Plan pages: the public tracker, the open data, and the staff pages with their permissions."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import AuditEvent, Plan, PlanAction, PlanIndicator, PlanUpdate
from engage.services.decide.plan import progress
from tests.engage.plan_helpers import COUNCIL, POLICE, Built, built, item_ids
from tests.pages import check_page, csrf_token, error_summary, sign_in


@pytest.fixture
def b(app: Flask) -> Built:
    return built(publish=True)


def _count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


# ---------------------------------------------------------------- public


def test_plan_page_before_any_plan(client: FlaskClient, app: Flask) -> None:
    soup = check_page(client.get("/plan"))
    assert "has not published its plan yet" in soup.get_text()
    nav = soup.select_one("header nav a[href='/plan']")
    assert nav is not None
    assert client.get("/api/v1/plan").status_code == 404


def test_unpublished_plan_is_not_public(client: FlaskClient, app: Flask) -> None:
    plan = built(publish=False).plan
    assert "has not published" in client.get("/plan").get_data(as_text=True)
    assert client.get("/api/v1/plan").status_code == 404
    assert plan.title not in client.get("/plan").get_data(as_text=True)


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_plan_page_shows_priorities_actions_and_charts(client: FlaskClient, b: Built,
                                                       lang: str) -> None:
    progress.record_update(b.council_indicator, b.council, 75, date(2025, 1, 1), "Damp team",
                           today=date(2026, 1, 1))
    soup = check_page(client.get(f"/plan?lang={lang}"), lang=lang)
    text = soup.get_text()
    assert "Housing repairs" in text and "Fix damp in council homes" in text
    assert COUNCIL in text and POLICE in text
    assert "Residents raised these most" in text  # why it was chosen
    assert "Head of Repairs" not in text  # the lead stays on the staff pages
    charts = soup.select("svg[role=img]")
    assert len(charts) == 2
    for svg in charts:
        for ref in svg["aria-labelledby"].split():
            assert soup.find(id=ref) is not None and soup.find(id=ref).get_text(strip=True)
    table = soup.select("table")[0]
    assert "Damp team" in table.get_text()
    if lang == "bn":
        assert "৭৫" in table.get_text()  # Bengali digits
        assert "৭৫" in charts[0].find("desc").get_text()
    else:
        assert "straight line from the baseline" in text  # the rule, in words


def test_plan_page_changes_when_the_plan_changes(client: FlaskClient, b: Built) -> None:
    assert "On track" not in client.get("/plan").get_data(as_text=True)
    progress.set_status(b.council_action, b.council, "on_track")
    assert "On track" in client.get("/plan").get_data(as_text=True)


def test_open_data_matches_the_spec_and_needs_no_token(client: FlaskClient, b: Built) -> None:
    progress.record_update(b.police_indicator, b.police, 380, date(2025, 1, 1),
                           today=date(2026, 1, 1))
    response = client.get("/api/v1/plan")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    spec = client.get("/api/v1/openapi.json").get_json()
    Draft202012Validator({"$ref": "#/components/schemas/Plan",
                          "components": spec["components"]}).validate(body)
    assert "/plan" in spec["paths"] and spec["paths"]["/plan"]["get"]["security"] == []
    owners = {a["owner"] for a in body["priorities"][0]["actions"]}
    assert owners == {COUNCIL, POLICE}
    text = response.get_data(as_text=True)
    assert "@example.org" not in text and "Head of Repairs" not in text


def test_open_data_is_rate_limited(client: FlaskClient, b: Built, app: Flask) -> None:
    app.config["OPEN_DATA_RATE_LIMIT"] = "3 per minute"
    codes = [client.get("/api/v1/plan").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


# ---------------------------------------------------------------- staff: officers


def test_anonymous_and_other_roles_are_refused(client: FlaskClient, b: Built) -> None:
    assert client.get("/staff/plan").status_code in (302, 303)
    sign_in(client, "analyst@example.org")
    assert client.get("/staff/plan").status_code == 403
    assert client.get(f"/staff/plan/{b.plan.id}").status_code == 403
    assert client.get(f"/staff/plan/actions/{b.council_action.id}").status_code == 403


def test_officer_creates_a_plan_and_errors_keep_what_was_typed(client: FlaskClient,
                                                               b: Built) -> None:
    sign_in(client, "officer@example.org")
    check_page(client.get("/staff/plan"))
    token = csrf_token(client, "/staff/plan")
    bad = client.post("/staff/plan", data={"csrf_token": token, "title": "Bow plan",
                                           "start_year": "2028", "end_year": "twenty"})
    soup = check_page(bad, 400)
    assert error_summary(soup) == ["Enter years between 2000 and 2100, like 2023"]
    assert soup.find("input", attrs={"name": "end_year"})["value"] == "twenty"
    assert soup.find("input", attrs={"name": "title"})["value"] == "Bow plan"
    order = client.post("/staff/plan", data={"csrf_token": token, "title": "Bow plan",
                                             "start_year": "2028", "end_year": "2024"})
    assert "The last year must be the same as or after the first year" in error_summary(
        check_page(order, 400))
    ok = client.post("/staff/plan", data={"csrf_token": token, "title": "Bow plan",
                                          "start_year": "২০২৪", "end_year": "2028"})
    assert ok.status_code == 303
    plan = db.session.scalars(select(Plan).where(Plan.title == "Bow plan")).one()
    assert (plan.start_year, plan.end_year, plan.published) == (2024, 2028, False)


def test_a_title_is_measured_and_kept_without_the_spaces_around_it(client: FlaskClient,
                                                                   b: Built) -> None:
    sign_in(client, "officer@example.org")
    title = "Bow " * 50  # 200 characters with the space at its end
    response = client.post("/staff/plan", data={
        "csrf_token": csrf_token(client, "/staff/plan"), "title": f"  {title} ",
        "start_year": "2024", "end_year": "2028"})
    assert response.status_code == 303, error_summary(check_page(response, 400))
    assert db.session.scalars(select(Plan.title).where(Plan.title.startswith("Bow Bow"))
                              ).one() == title.strip()


def test_officer_promotes_adds_and_publishes(client: FlaskClient, b: Built) -> None:
    sign_in(client, "officer@example.org")
    page = f"/staff/plan/{b.plan.id}"
    soup = check_page(client.get(page))
    assert "Safer streets" in soup.get_text()  # a candidate
    token = csrf_token(client, page)
    r = client.post(f"{page}/priorities", data={"csrf_token": token,
                                                "item": str(item_ids(b.board)[1])})
    assert r.status_code == 303
    none = client.post(f"{page}/priorities", data={"csrf_token": token})
    assert "Select a priority to add to the plan" in error_summary(check_page(none, 400))
    base = f"{page}/priorities/{b.priority.id}"
    check_page(client.get(f"{base}/outcomes"))
    assert client.post(f"{base}/outcomes", data={"csrf_token": token,
                                                 "title": "Warm, dry homes"}).status_code == 303
    check_page(client.get(f"{base}/actions"))
    form = {"csrf_token": token, "title": "Advice sessions", "owner": POLICE,
            "lead_name": "Inspector", "due_on": ["31", "2", "2027"]}
    bad = check_page(client.post(f"{base}/actions", data=form), 400)
    assert error_summary(bad) == ["Enter a real date"]
    assert bad.find("input", attrs={"name": "title"})["value"] == "Advice sessions"
    form["due_on"] = ["28", "2", "2027"]
    assert client.post(f"{base}/actions", data=form).status_code == 303
    action = db.session.scalars(select(PlanAction).where(
        PlanAction.title == "Advice sessions")).one()
    assert action.owner == POLICE and action.due_on == date(2027, 2, 28)
    check_page(client.get(f"{base}/indicators"))
    ind = {"csrf_token": token, "measures": f"action:{action.id}", "name": "Sessions held",
           "unit": "sessions", "baseline_value": "0", "baseline_on": ["1", "1", "2025"],
           "target_value": "1,200",
           "target_on": ["1", "1", "2024"],
           "direction": "higher", "frequency": "monthly"}
    bad = check_page(client.post(f"{base}/indicators", data=ind), 400)
    assert error_summary(bad) == ["The target date must be after the baseline date"]
    ind["target_on"] = ["1", "1", "2027"]
    assert client.post(f"{base}/indicators", data=ind).status_code == 303
    made = db.session.scalars(select(PlanIndicator).where(
        PlanIndicator.name == "Sessions held")).one()
    assert made.target_value == 1200 and made.owner == POLICE
    assert client.post(f"{page}/publish", data={"csrf_token": token, "published": "0"}
                       ).status_code == 303
    db.session.refresh(b.plan)
    assert not b.plan.published
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "plan.withdrawn")) == 1


# ---------------------------------------------------------------- staff: partners


def test_partner_sees_the_plan_but_cannot_build_it(client: FlaskClient, b: Built) -> None:
    sign_in(client, "council@example.org")
    soup = check_page(client.get(f"/staff/plan/{b.plan.id}"))
    assert soup.find("a", href=f"/staff/plan/actions/{b.council_action.id}") is not None
    assert soup.find("a", href=f"/staff/plan/actions/{b.police_action.id}") is None
    assert soup.find("form", action=f"/staff/plan/{b.plan.id}/priorities") is None
    token = csrf_token(client, f"/staff/plan/actions/{b.council_action.id}")
    base = f"/staff/plan/{b.plan.id}/priorities/{b.priority.id}"
    assert client.get(f"{base}/actions").status_code == 403
    assert client.post(f"/staff/plan/{b.plan.id}/publish",
                       data={"csrf_token": token}).status_code == 403
    assert client.post("/staff/plan", data={"csrf_token": token, "title": "Mine",
                                            "start_year": "2024",
                                            "end_year": "2025"}).status_code == 403


def test_partner_updates_own_action_but_not_another_partners(client: FlaskClient,
                                                             b: Built) -> None:
    sign_in(client, "council@example.org")
    own = f"/staff/plan/actions/{b.council_action.id}"
    check_page(client.get(own))
    token = csrf_token(client, own)
    assert client.post(own, data={"csrf_token": token, "status": "at_risk"}).status_code == 303
    db.session.refresh(b.council_action)
    assert b.council_action.status == "at_risk"
    other = f"/staff/plan/actions/{b.police_action.id}"
    assert client.get(other).status_code == 403
    assert client.post(other, data={"csrf_token": token, "status": "done"}).status_code == 403
    db.session.refresh(b.police_action)
    assert b.police_action.status == "not_started"
    assert client.post(f"/staff/plan/indicators/{b.police_indicator.id}",
                       data={"csrf_token": token, "value": "1", "measured_on": ["1", "1", "2025"]}
                       ).status_code == 403
    assert _count(PlanUpdate) == 0
    audits = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "plan.action_status")).all()
    assert [(a.object_id, a.detail["after"]) for a in audits] == [
        (str(b.council_action.id), "at_risk")]


def test_partner_records_progress_with_errors_kept(client: FlaskClient, b: Built) -> None:
    sign_in(client, "police@example.org")
    url = f"/staff/plan/indicators/{b.police_indicator.id}"
    legends = [x.get_text(strip=True) for x in check_page(client.get(url)).select("legend")]
    assert "Date measured" in legends  # the date boxes are named
    token = csrf_token(client, url)
    bad = check_page(client.post(url, data={
        "csrf_token": token, "value": "lots", "note": "Quieter summer",
        "measured_on": ["1", "6", "2025"]}), 400)
    assert error_summary(bad) == ["Enter a number, like 42 or 12.5"]
    assert bad.find("input", attrs={"name": "value"})["value"] == "lots"
    assert "Quieter summer" in bad.find("textarea", attrs={"name": "note"}).get_text()
    early = check_page(client.post(url, data={
        "csrf_token": token, "value": "350", "measured_on": ["1", "6", "2020"]}), 400)
    assert error_summary(early) == [
        "The date measured must be the same as or after the baseline date"]
    ok = client.post(url, data={"csrf_token": token, "value": "৩৫০", "note": "Quieter summer",
                                "measured_on": ["1", "6", "2025"]})
    assert ok.status_code == 303
    update = db.session.scalars(select(PlanUpdate)).one()
    assert (update.value, update.by_organisation) == (350.0, POLICE)
    soup = check_page(client.get(url))
    assert soup.select_one("svg[role=img]") is not None


def test_partner_without_organisation_updates_nothing(client: FlaskClient, b: Built) -> None:
    sign_in(client, "nobody@example.org")
    soup = check_page(client.get(f"/staff/plan/{b.plan.id}"))
    assert "Your account has no organisation" in soup.get_text()
    assert client.get(f"/staff/plan/actions/{b.council_action.id}").status_code == 403
    assert client.get(f"/staff/plan/indicators/{b.council_indicator.id}").status_code == 403
