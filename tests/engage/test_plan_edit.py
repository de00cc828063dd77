"""Editing the plan: a priority's wording (officers only), audited, shown at once on /plan and
in the open data."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engage.extensions import db
from engage.models import AuditEvent, Plan
from engage.services.plan import plans
from engage.services.plan.plans import Forbidden, PlanError
from tests.engage.plan_helpers import Built, built
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
