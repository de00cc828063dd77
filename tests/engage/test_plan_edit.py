"""Editing the plan: a priority's wording (officers only), audited, shown at once on /plan and
in the open data."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engage.extensions import db
from engage.models import AuditEvent, Plan, PlanAction, PlanIndicator, PlanOutcome, PlanUpdate
from engage.services.decide.plan import plans, progress
from engage.services.decide.plan.plans import Forbidden, PlanError
from tests.engage.plan_helpers import POLICE, Built, built
from tests.pages import check_page, csrf_token, error_summary, sign_in


@pytest.fixture
def b(app: Flask) -> Built:
    return built(publish=True)


def _audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# ---------------------------------------------------------------- services


def test_officer_edits_a_priority_and_the_plan_moves_on(b: Built) -> None:
    before = b.plan.changed_at
    plans.edit_priority(b.priority, b.officer, title="  Repairs to   council homes ",
                        description="Damp and mould fixed fast", why="Top in every ward")
    db.session.expire_all()
    assert b.priority.title == "Repairs to council homes"
    assert (b.priority.description, b.priority.why) == ("Damp and mould fixed fast",
                                                         "Top in every ward")
    assert db.session.get(Plan, b.plan.id).changed_at > before
    event, = _audit("plan.priority_edited")
    assert event.detail == {"before": "Housing repairs", "after": "Repairs to council homes"}


def test_only_officers_edit_a_priority(b: Built) -> None:
    for user in (b.council, b.police, b.analyst):
        with pytest.raises(Forbidden):
            plans.edit_priority(b.priority, user, title="Mine now")
    with pytest.raises(PlanError) as err:
        plans.edit_priority(b.priority, b.officer, title="   ")
    assert err.value.code == "priority_missing"
    with pytest.raises(PlanError):
        plans.edit_priority(b.priority, b.officer, title="x" * 201)
    db.session.expire_all()
    assert b.priority.title == "Housing repairs"
    assert not _audit("plan.priority_edited")


# ---------------------------------------------------------------- routes


def _edit_url(b: Built) -> str:
    return f"/staff/plan/{b.plan.id}/priorities/{b.priority.id}/edit"


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_edit_page_shows_the_current_wording(client: FlaskClient, b: Built, lang: str) -> None:
    sign_in(client, "officer@example.org")
    soup = check_page(client.get(f"{_edit_url(b)}?lang={lang}"), lang=lang)
    assert soup.select_one("input[name=title]")["value"] == "Housing repairs"
    assert "Residents raised these most" in soup.select_one("textarea[name=why]").get_text()
    plan_page = check_page(client.get(f"/staff/plan/{b.plan.id}"))
    assert plan_page.select_one(f"a[href='{_edit_url(b)}']") is not None


def test_edit_shows_on_the_public_page_and_open_data_at_once(client: FlaskClient,
                                                             b: Built) -> None:
    assert "Housing repairs" in client.get("/plan").get_data(as_text=True)
    assert client.get("/api/v1/plan").get_json()  # both cached now
    sign_in(client, "officer@example.org")
    response = client.post(_edit_url(b), data={
        "csrf_token": csrf_token(client, _edit_url(b)), "title": "Repairs to council homes",
        "description": "", "why": "Chosen by the group"})
    assert response.status_code == 303
    page = client.get("/plan").get_data(as_text=True)
    assert "Repairs to council homes" in page and "Housing repairs" not in page
    assert "Chosen by the group" in page
    assert "Repairs to council homes" in client.get("/api/v1/plan").get_data(as_text=True)
    assert len(_audit("plan.priority_edited")) == 1


def test_edit_errors_keep_what_was_typed(client: FlaskClient, b: Built) -> None:
    sign_in(client, "officer@example.org")
    response = client.post(_edit_url(b), data={
        "csrf_token": csrf_token(client, _edit_url(b)), "title": "",
        "description": "Kept text", "why": "w" * 4001})
    soup = check_page(response, status=400)
    assert error_summary(soup) == ["Enter the title of the priority",
                                   "The text must be 4,000 characters or fewer"]
    assert soup.select_one("textarea[name=description]").get_text().strip() == "Kept text"
    db.session.expire_all()
    assert b.priority.title == "Housing repairs"


@pytest.mark.parametrize("email", ["council@example.org", "analyst@example.org"])
def test_partners_and_analysts_cannot_edit_a_priority(client: FlaskClient, b: Built,
                                                      email: str) -> None:
    sign_in(client, email)
    assert client.get(_edit_url(b)).status_code == 403
    assert client.post(_edit_url(b), data={"title": "Mine"}).status_code in (400, 403)
    db.session.expire_all()
    assert b.priority.title == "Housing repairs"


# ---------------------------------------------------------------- outcomes and actions


def test_officer_changes_an_action_keeping_what_was_typed(client: FlaskClient, b: Built) -> None:
    sign_in(client, "officer@example.org")
    url = f"/staff/plan/actions/{b.council_action.id}/edit"
    soup = check_page(client.get(url))
    assert soup.select_one("input[name=title]")["value"] == "Fix damp in council homes"
    assert soup.select_one("input[name=due_on][value='31']") is not None or "31" in str(soup)
    assert soup.select_one("input[name=status][value=not_started]").has_attr("checked")
    data = {"csrf_token": csrf_token(client, url), "title": "", "description": "Typed",
            "owner": POLICE, "lead_name": "Inspector", "due_on": ["30", "9", "2027"],
            "status": "at_risk", "outcome": ""}
    soup = check_page(client.post(url, data=data), status=400)
    assert error_summary(soup) == ["Enter the action"]
    assert soup.select_one("input[name=lead_name]")["value"] == "Inspector"
    data["title"] = "Fix damp and mould"
    assert client.post(url, data=data).status_code == 303
    db.session.expire_all()
    action = db.session.get(PlanAction, b.council_action.id)
    assert (action.title, action.owner, action.status) == ("Fix damp and mould", POLICE,
                                                           "at_risk")
    assert "Fix damp and mould" in client.get("/plan").get_data(as_text=True)


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_removing_an_action_asks_first(client: FlaskClient, b: Built, lang: str) -> None:
    sign_in(client, "officer@example.org")
    action_id = b.council_action.id
    url = f"/staff/plan/actions/{action_id}/remove"
    soup = check_page(client.get(f"{url}?lang={lang}"), lang=lang)
    assert soup.select_one(".govuk-warning-text") is not None
    assert db.session.get(PlanAction, action_id) is not None  # a GET removes nothing
    assert client.post(url, data={"csrf_token": csrf_token(client, url)}).status_code == 303
    db.session.expire_all()
    assert db.session.get(PlanAction, action_id) is None
    assert len(_audit("plan.action_removed")) == 1


def test_officer_changes_and_removes_an_outcome(client: FlaskClient, b: Built) -> None:
    outcome_id = plans.add_outcome(b.priority, b.officer, "Fewer damp homes").id
    sign_in(client, "officer@example.org")
    url = f"/staff/plan/outcomes/{outcome_id}/edit"
    assert check_page(client.get(url)).select_one("input[name=title]")["value"] == (
        "Fewer damp homes")
    assert client.post(url, data={"csrf_token": csrf_token(client, url),
                                  "title": "No damp homes"}).status_code == 303
    remove = f"/staff/plan/outcomes/{outcome_id}/remove"
    assert "No damp homes" in check_page(client.get(remove)).get_text()
    assert client.post(remove, data={"csrf_token": csrf_token(client, remove)}
                       ).status_code == 303
    assert db.session.get(PlanOutcome, outcome_id) is None


@pytest.mark.parametrize("email", ["council@example.org", "police@example.org",
                                   "analyst@example.org"])
def test_partners_and_analysts_cannot_change_or_remove(client: FlaskClient, b: Built,
                                                       email: str) -> None:
    outcome = plans.add_outcome(b.priority, b.officer, "Fewer damp homes")
    sign_in(client, email)
    for url in (f"/staff/plan/actions/{b.council_action.id}/edit",
                f"/staff/plan/actions/{b.council_action.id}/remove",
                f"/staff/plan/outcomes/{outcome.id}/edit",
                f"/staff/plan/outcomes/{outcome.id}/remove",
                f"/staff/plan/indicators/{b.council_indicator.id}/edit"):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data={}).status_code in (400, 403), url
    assert db.session.get(PlanAction, b.council_action.id) is not None
    if email != "analyst@example.org":  # partners keep their status rights on their own
        own = b.council_action if email.startswith("council") else b.police_action
        assert client.get(f"/staff/plan/actions/{own.id}").status_code == 200


# ---------------------------------------------------------------- indicators and updates


def test_officer_changes_an_indicator_and_its_status_follows(client: FlaskClient,
                                                             b: Built) -> None:
    progress.record_update(b.council_indicator, b.council, 75, date(2026, 1, 1),
                           today=date(2026, 1, 2))
    sign_in(client, "officer@example.org")
    url = f"/staff/plan/indicators/{b.council_indicator.id}/edit"
    soup = check_page(client.get(url))
    assert soup.select_one("input[name=baseline_value]")["value"] == "60"
    data = {"csrf_token": csrf_token(client, url), "name": "Repairs done on time",
            "unit": "% of repairs", "baseline_value": "60", "baseline_on": ["1", "1", "2024"],
            "target_value": "abc", "target_on": ["1", "1", "2028"], "direction": "higher",
            "frequency": "quarterly"}
    soup = check_page(client.post(url, data=data), status=400)
    assert error_summary(soup) == ["Enter a number, like 42 or 12.5"]
    assert soup.select_one("input[name=target_value]")["value"] == "abc"
    data["target_value"] = "200"
    assert client.post(url, data=data).status_code == 303
    db.session.expire_all()
    assert db.session.get(PlanIndicator, b.council_indicator.id).target_value == 200
    assert '"status": "red"' in client.get("/api/v1/plan").get_data(as_text=True).replace(
        '":"', '": "')
    assert len(_audit("plan.indicator_edited")) == 1


def test_partner_withdraws_own_update_only(client: FlaskClient, b: Built) -> None:
    mine = progress.record_update(b.council_indicator, b.council, 75, date(2025, 1, 1),
                                  today=date(2026, 1, 1))
    theirs = progress.record_update(b.police_indicator, b.police, 350, date(2025, 1, 1),
                                    today=date(2026, 1, 1))
    mine_id, theirs_id = mine.id, theirs.id
    sign_in(client, "council@example.org")
    page = check_page(client.get(f"/staff/plan/indicators/{b.council_indicator.id}"))
    assert page.select_one(f"a[href='/staff/plan/updates/{mine_id}/withdraw']") is not None
    assert page.select_one("a[href$='/edit']") is None  # no definition edits for partners
    assert client.get(f"/staff/plan/updates/{theirs_id}/withdraw").status_code == 403
    url = f"/staff/plan/updates/{mine_id}/withdraw"
    assert check_page(client.get(url)).select_one(".govuk-warning-text") is not None
    assert client.post(url, data={"csrf_token": csrf_token(client, url)}).status_code == 303
    assert db.session.get(PlanUpdate, mine_id) is None
    assert db.session.get(PlanUpdate, theirs_id) is not None
    assert len(_audit("plan.progress_withdrawn")) == 1
