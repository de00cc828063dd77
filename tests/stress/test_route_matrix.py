"""Route × role matrix (S13, S1, S2): every route, for anonymous visitors, each role, and staff
who are not assigned the object (another officer's Ask the Mayor question). Allowed users get
the page or a redirect, others 302 to sign-in or 403, nobody a 500, and a refused request never
changes data. Routes come from app.url_map, so routes added later are covered too."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import AuditEvent, Survey, User
from engage.models.user import ROLES
from engage.services.platform import results_policy
from tests.pages import csrf_token, sign_in
from tests.stress.world import World, build_world, required_roles, routes

PER_OBJECT = "question_id"  # routes on one question: moderators and its assignee only
ALLOWED_STATUSES = {200, 302, 303, 404}


# Reading the insight report (page or PDF) and a contact list is audited (S14, S18): an audit row
# of a read, not a change of state.
READ_AUDITS = ("report.view", "report.pdf", "contacts.view")


def _counts() -> dict[str, int]:
    counts = {t.name: db.session.scalar(select(func.count()).select_from(t)) or 0
              for t in db.metadata.sorted_tables}
    counts["audit_events"] = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action.not_in(READ_AUDITS))) or 0
    return counts


def _clients(app: Flask, world: World) -> dict[str, tuple[FlaskClient, str]]:
    """A signed-in client (and its CSRF token) per role, plus anonymous and other staff."""
    clients: dict[str, tuple[FlaskClient, str]] = {}
    for who, email in [("anonymous", ""), *world.emails.items()]:
        client = app.test_client()
        if email:
            assert sign_in(client, email).status_code == 303, who
        clients[who] = (client, csrf_token(client, "/ask-the-mayor"))
    return clients


def _role(who: str) -> str | None:
    return {"anonymous": None, "assignee": "engagement_officer",
            "other_officer": "engagement_officer"}.get(who, who)


def _may(app: Flask, rule, who: str, world: World) -> bool:  # type: ignore[no-untyped-def]
    roles = required_roles(app, rule)
    if roles is None:
        return True
    role = _role(who)
    if role is None:
        return False
    if role != "admin" and role not in roles:
        return False
    # A survey's results (S21): as the survey's setting says now (an allowed POST to its
    # settings page changes it); test_results_visibility walks the settings one by one.
    if getattr(app.view_functions[rule.endpoint], "results_required", False):
        db.session.expire_all()
        survey = db.session.scalar(select(Survey).where(Survey.slug == world.args["slug"]))
        user = db.session.scalar(select(User).where(User.email == world.emails[who]))
        return survey is None or results_policy.may_see_results(user, survey)
    # Only Ask the Mayor questions are per-object; the builder's question_id is a survey question.
    if (PER_OBJECT in rule.arguments and rule.rule.startswith("/staff/mayor")
            and role not in ("admin", "moderator")):
        return who == "assignee"
    return True


def _request(client: FlaskClient, method: str, url: str, token: str):  # type: ignore[no-untyped-def]
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"csrf_token": token})


def _check_refused(response, who: str, label: str) -> None:  # type: ignore[no-untyped-def]
    if who == "anonymous":
        assert response.status_code == 302, label
        assert "/auth/sign-in" in response.headers["Location"], label
    else:
        assert response.status_code == 403, label


def test_every_route_for_every_role(app: Flask) -> None:
    world = build_world(app)
    clients = _clients(app, world)
    cases = [(method, rule, who) for method in ("GET", "POST") for rule in routes(app, method)
             for who in clients]
    staff_rules = {r.endpoint for _m, r, _w in cases if required_roles(app, r) is not None}
    assert len(staff_rules) >= 20, "the staff routes were not found"

    # Refusals first, all together: afterwards not one row anywhere may have changed.
    before = _counts()
    refused = 0
    for method, rule, who in cases:
        if _may(app, rule, who, world):
            continue
        client, token = clients[who]
        label = f"{method} {rule.rule} as {who}"
        response = _request(client, method, world.url(rule), token)
        _check_refused(response, who, label)
        refused += 1
    assert _counts() == before, "a refused request changed data"
    assert refused > 100

    # Then everything allowed, GETs first: they change no row (S2) on a database with data in
    # it; then the POSTs (sign-out last). Served or redirected, never refused or a 500.
    before = _counts()
    for method in ("GET", "POST"):
        for m, rule, who in cases:
            if m != method or not _may(app, rule, who, world):
                continue
            client, token = clients[who]
            label = f"{method} {rule.rule} as {who}"
            response = _request(client, method, world.url(rule), token)
            assert response.status_code < 500, label
            if required_roles(app, rule) is not None:
                expected = ALLOWED_STATUSES if method == "GET" else ALLOWED_STATUSES | {400}
                assert response.status_code in expected, (label, response.status_code)
                assert "/auth/sign-in" not in response.headers.get("Location", ""), label
        if method == "GET":
            assert _counts() == before, "a GET changed data"


def test_roles_in_the_matrix_are_the_model_roles(app: Flask) -> None:
    """Every role a route declares exists, so a typo cannot lock a role out or in."""
    for method in ("GET", "POST"):
        for rule in routes(app, method):
            for role in required_roles(app, rule) or ():
                assert role in ROLES, (rule.rule, role)


def test_unassigned_officer_cannot_read_or_act_on_a_question(app: Flask) -> None:
    """The per-object check: the officer the question is assigned to sees it, another does not."""
    world = build_world(app, survey=False)
    clients = _clients(app, world)
    path = f"/staff/mayor/questions/{world.question_id}"
    other, token = clients["other_officer"]
    assert other.get(path).status_code == 403
    before = _counts()
    other.post(path + "/answer", data={"csrf_token": token, "answer-answer": "Hijacked"})
    assert _counts() == before
    from engage.models import MayorQuestion

    db.session.expire_all()
    assert "Hijacked" not in (db.session.get(MayorQuestion, world.question_id).answer_text or "")
    assignee, _ = clients["assignee"]
    assert assignee.get(path).status_code == 200
