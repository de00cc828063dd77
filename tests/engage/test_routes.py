"""Route inventory (S1, S2, S13): every route is accounted for and protected."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engage.extensions import db
from tests.pages import make_user, sign_in

SAMPLE_ARGS = {"int": "1", "string": "sample", "path": "sample", "uuid": "0" * 32}


def _url(rule) -> str:  # type: ignore[no-untyped-def]
    def fill(match: re.Match[str]) -> str:
        converter = (match.group(1) or "string").split("(")[0]
        return SAMPLE_ARGS.get(converter, "sample")

    return re.sub(r"<(?:([a-z]+(?:\([^)]*\))?):)?[a-z_]+>", fill, rule.rule)


def _rules(app: Flask, method: str):  # type: ignore[no-untyped-def]
    return [r for r in app.url_map.iter_rules()
            if method in (r.methods or set()) and r.endpoint != "static"]


def test_every_staff_route_declares_roles(app: Flask) -> None:
    staff = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("staff.")]
    assert staff, "no staff routes found"
    for rule in staff:
        view = app.view_functions[rule.endpoint]
        assert getattr(view, "required_roles", None), f"{rule.endpoint} declares no roles"


def test_every_staff_route_refuses_anonymous_users(app: Flask, client: FlaskClient) -> None:
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("staff."):
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            response = client.open(_url(rule), method=method)
            if method == "GET":
                assert response.status_code == 302, rule
                assert "/auth/sign-in" in response.headers["Location"]
            else:
                # A POST without a token fails CSRF first; it never reaches the view.
                assert response.status_code in (302, 400), rule


def test_every_post_refuses_a_missing_csrf_token(app: Flask, client: FlaskClient) -> None:
    posts = _rules(app, "POST")
    assert posts
    for rule in posts:
        response = client.post(_url(rule), data={"anything": "x"})
        assert response.status_code == 400, (rule.rule, response.status_code)


def _row_counts() -> dict[str, int]:
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) or 0
            for t in db.metadata.sorted_tables}


@pytest.mark.parametrize("signed_in", [False, True])
def test_no_get_changes_data(app: Flask, client: FlaskClient, signed_in: bool) -> None:
    make_user(role="admin")
    if signed_in:
        sign_in(client, "officer@example.org")
    before = _row_counts()
    for rule in _rules(app, "GET"):
        client.get(_url(rule))
    after = _row_counts()
    assert after == before


def test_roles_are_enforced(app: Flask, client: FlaskClient) -> None:
    from engage.blueprints import staff_required

    app.add_url_rule("/staff/test-admin-only", endpoint="staff.test_admin_only",
                     view_func=staff_required("admin")(lambda: "secret"))
    assert client.get("/staff/test-admin-only").status_code == 302
    make_user(role="partner_viewer")
    make_user("admin@example.org", role="admin")
    sign_in(client, "officer@example.org")
    assert client.get("/staff/").status_code == 200
    assert client.get("/staff/test-admin-only").status_code == 403
    other = app.test_client()
    sign_in(other, "admin@example.org")
    assert other.get("/staff/test-admin-only").status_code == 200


def test_staff_route_without_declared_roles_is_denied(app: Flask, client: FlaskClient) -> None:
    app.add_url_rule("/staff/undeclared", endpoint="staff.undeclared", view_func=lambda: "open")
    make_user(role="admin")
    sign_in(client, "officer@example.org")
    response = client.get("/staff/undeclared")
    assert response.status_code == 403
    assert b"open" not in response.data
