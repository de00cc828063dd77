"""One way to turn "no such thing" into the 404 page (issue 20): `blueprints.found_or_404` for
what a service looked up, Flask-SQLAlchemy's `db.get_or_404` for a row read by id."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from werkzeug.exceptions import NotFound

from engage.blueprints import found_or_404
from engage.routing import MAX_ID
from tests.pages import check_page, make_user, sign_in

ARG = re.compile(r"<(?:(\w+):)?(\w+)>")


def test_found_or_404_passes_what_was_found_and_refuses_none() -> None:
    assert found_or_404(0) == 0 and found_or_404("") == ""
    with pytest.raises(NotFound):
        found_or_404(None)


def test_every_staff_page_of_a_missing_thing_is_the_404_page(app: Flask) -> None:
    """Every staff GET route with an id, asked for an id no row has (and a slug no survey
    has), answers with the friendly 404 page, whichever way it looks the thing up."""
    make_user("admin@example.org", role="admin")
    client = app.test_client()
    sign_in(client, "admin@example.org")
    checked = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("staff.") or "GET" not in (rule.methods or ()):
            continue
        if not any((m.group(1) or "") == "int" for m in ARG.finditer(rule.rule)):
            continue
        url = ARG.sub(lambda m: str(MAX_ID) if m.group(1) == "int" else "no-such-thing",
                      rule.rule)
        check_page(client.get(url), 404)
        checked.append(rule.endpoint)
    assert {"staff.themes_theme", "staff.plan_page", "staff.mayor_question",
            "staff.group_session"} <= set(checked), checked


def test_a_row_of_another_parent_is_the_404_page(app: Flask) -> None:
    """A child read by id through its parent (here a plan's priority) is found only under
    its own parent (`db.one_or_404` with both ids), never under another one."""
    from engage.services.decide.plan import plans
    from tests.engage.plan_helpers import built

    b = built()
    other = plans.create_plan(b.officer, "Another plan", 2024, 2028)
    client = app.test_client()
    sign_in(client, "officer@example.org")
    check_page(client.get(f"/staff/plan/{b.plan.id}/priorities/{b.priority.id}/edit"))
    check_page(client.get(f"/staff/plan/{other.id}/priorities/{b.priority.id}/edit"), 404)
