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


# Called by another service with a bearer token, never by a browser: no CSRF token to send
# (tests/engage/test_notify_callback.py checks the token).
NOT_FROM_A_BROWSER = {"/callbacks/notify"}


def test_every_post_refuses_a_missing_csrf_token(app: Flask, client: FlaskClient) -> None:
    posts = _rules(app, "POST")
    assert posts
    assert {rule.rule for rule in posts} >= NOT_FROM_A_BROWSER
    for rule in posts:
        if rule.rule in NOT_FROM_A_BROWSER:
            continue
        response = client.post(_url(rule), data={"anything": "x"})
        assert response.status_code == 400, (rule.rule, response.status_code)


def _row_counts() -> dict[str, int]:
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) or 0
            for t in db.metadata.sorted_tables}


def _demo_world() -> None:
    """Every feature's demo data (a smaller survey sample than `flask demo`), with the demo
    staff accounts the loaders expect, and an interview left in progress."""
    from engage import demo
    from engage.cli import DEMO_STAFF
    from engage.demo import surveys as demo_surveys

    for email, role, _name in DEMO_STAFF:
        make_user(email, role=role)
    real_surveys = demo_surveys.load
    demo_surveys.load = lambda *a, **k: real_surveys(target=120)  # type: ignore[assignment]
    try:
        for _line in demo.load_all():
            pass
    finally:
        demo_surveys.load = real_surveys  # type: ignore[assignment]


def _first(query) -> str:  # type: ignore[no-untyped-def]
    """The lowest id the query finds (PostgreSQL returns rows in no set order otherwise)."""
    value = db.session.scalar(query.order_by(*query.selected_columns).limit(1))
    assert value is not None, f"the demo world has nothing for {query}"
    return str(value)


def _real_args() -> dict[str, dict[str, str]]:
    """Real values for each route argument, by endpoint family: the demo survey, the builder's
    draft, a Mayor question and session, a group session and its point, a theme run, a theme
    and one of its texts, a weighting run, a user, a paper sheet keyed twice..."""
    import surveys as engine
    from engage import models as m
    from engage.demo.surveys import SLUG
    from engage.services.collect.published_surveys import published_survey

    draft = db.session.scalars(select(m.SurveyDraft)).first()
    assert draft is not None
    section = draft.definition["sections"][0]
    page = section["pages"][0]
    survey_id = db.session.scalar(select(m.Survey.id).where(m.Survey.slug == SLUG))
    theme_run = _first(select(m.ThemeRun.id).where(m.ThemeRun.status == "succeeded"))
    group_session = _first(select(m.GroupSession.id))
    rekeyed = _first(select(m.PaperRekey.response_id))
    board = _first(select(m.PriorityBoard.id))
    base = {"slug": SLUG, "language": "bn", "user_id": _first(select(m.User.id)),
            "page_id": engine.path(published_survey(SLUG).definition, {})[0],
            "job_id": _first(select(m.Job.id))}
    return {
        "builder": {**base, "slug": str(draft.definition["id"]), "section_id": section["id"],
                    "page_id": page["id"], "question_id": page["questions"][0]["id"]},
        "mayor": {**base, "question_id": _first(select(m.MayorQuestion.id)),
                  "session_id": _first(select(m.MayorSession.id))},
        "group": {**base, "session_id": group_session, "point_id": _first(
            select(m.GroupSessionPoint.id).where(
                m.GroupSessionPoint.session_id == int(group_session)))},
        "themes": {**base, "run_id": theme_run, "theme_id": _first(
            select(m.Theme.id).where(m.Theme.run_id == int(theme_run))),
            "text_id": _first(select(m.RunText.text_id).where(
                m.RunText.run_id == int(theme_run)))},
        "weighting": {**base, "run_id": _first(select(m.WeightingRun.id))},
        "paper": {**base, "response_id": rekeyed},
        "interview": {**base, "response_id": _first(
            select(m.Response.id).where(m.Response.survey_id == survey_id,
                                        m.Response.channel == "face_to_face"))},
        "priorities": {**base, "board_id": board, "item_id": _first(
            select(m.BoardItem.id).where(m.BoardItem.board_id == int(board))),
                       "group_id": _first(select(m.TaskGroup.id))},
        "consultations": {**base, "slug": "libraries-2027", "done": "confirmed",
                          "consultation_id": _first(
            select(m.Consultation.id).where(m.Consultation.slug == "libraries-2027")),
            "document_id": _first(select(m.ConsultationDocument.id).join(
                m.Consultation, m.Consultation.id == m.ConsultationDocument.consultation_id)
                .where(m.Consultation.slug == "libraries-2027"))},
        "plan": {**base, "plan_id": _first(select(m.Plan.id)),
                 "priority_id": _first(select(m.PlanPriority.id)),
                 "action_id": _first(select(m.PlanAction.id)),
                 "indicator_id": _first(select(m.PlanIndicator.id)),
                 "outcome_id": _first(select(m.PlanOutcome.id)),
                 "update_id": _first(select(m.PlanUpdate.id))},
        "coding": _coding_world(base),
        "other": base,
    }


def _coding_world(base: dict[str, str]) -> dict[str, str]:
    """A codeframe from the demo's approved themes, a text coded by the analyst and, in the
    double-coding sample, coded differently by the administrator (a disagreement to resolve)."""
    from engage import models as m
    from engage.services.code.coding import double, frames, texts

    analyst = db.session.scalars(select(m.User).where(m.User.role == "analyst")).first()
    admin = db.session.scalars(select(m.User).where(m.User.role == "admin")).first()
    run = db.session.get(m.ThemeRun, int(_first(
        select(m.ThemeRun.id).where(m.ThemeRun.status == "succeeded"))))
    assert analyst is not None and admin is not None and run is not None
    frame = frames.create_from_run(analyst, run, "Route test codeframe")
    code_ids = list(db.session.scalars(select(m.Code.id).where(
        m.Code.codeframe_id == frame.id).order_by(m.Code.id)))
    sample = double.draw_sample(frame, analyst, 100)
    text_id = int(sample.text_ids[0])
    texts.code_text(frame, text_id, analyst, [code_ids[0]])
    texts.code_text(frame, text_id, admin, [code_ids[1]], stage="second")
    return {**base, "frame_id": str(frame.id), "code_id": str(code_ids[0]),
            "text_id": str(text_id)}


FAMILIES = {"builder_": "builder", "mayor_": "mayor", "group_session": "group",
            "themes_": "themes", "weighting_": "weighting", "paper_": "paper",
            "interview_": "interview", "priorities_": "priorities",
            "consultation_": "consultations", "plan_": "plan", "coding_": "coding"}

# Routes that need more than their path: another family's object, a query, a particular user.
FAMILY_OF = {"staff.builder_close": "other"}  # closing is for a published survey, not a draft
QUERIES = {"staff.builder_delete": "?kind=page&id={page_id}",
           "staff.builder_bank_save": "?kind=question&id={question_id}",
           "staff.builder_question_new": "?section={section_id}"}
CLIENT_OF = {"staff.priorities_shortlist": "group_member",  # the demo group's chair
             "staff.job_page": "analyst", "staff.job_json": "analyst"}  # who started the run

# Reads that are audited by design: one audit row, and nothing else.
AUDITED_READS = {
    "staff.insight_report": "who viewed a survey's report (services/report/insight_report.py)",
                 "staff.insight_report_pdf": "who downloaded a survey's report as a PDF"}

# Routes whose objects a demo world does not hold, each with the reason its 404 is right here.
MAY_BE_MISSING = {
    "residents.resume": "a resume token is only ever shown once, in the resident's link",
    "staff.export_download": "the demo makes no export file",
    "staff.bank_delete": "the demo saves nothing to the question bank",
    "staff.import_check": "the demo imports no file", "staff.import_answers": "idem",
    "staff.import_columns": "idem",
    "auth.accept_invitation": "an invitation token is only ever sent, once, in an email",
    "auth.reset_password": "a password reset token is only ever sent, once, in an email",
    "auth.sso_callback": "single sign-on is off unless OIDC_* settings name a provider",
}


def _url_for(rule, args: dict[str, dict[str, str]]) -> str:  # type: ignore[no-untyped-def]
    name = rule.endpoint.split(".", 1)[-1]
    family = FAMILY_OF.get(rule.endpoint) or next(
        (f for prefix, f in FAMILIES.items() if name.startswith(prefix)), "other")
    values = args[family]

    def fill(match: re.Match[str]) -> str:
        return values.get(match.group(2), "sample")

    path = re.sub(r"<(?:([a-z]+)(?:\([^)]*\))?:)?([a-z_]+)>", fill, rule.rule)
    return path + QUERIES.get(rule.endpoint, "").format(**values)


def _client_for(app: Flask, rule, clients: dict[str, FlaskClient]) -> FlaskClient:  # type: ignore[no-untyped-def]
    if rule.endpoint in CLIENT_OF:
        return clients[CLIENT_OF[rule.endpoint]]
    roles = getattr(app.view_functions[rule.endpoint], "required_roles", None) or ("admin",)
    return clients["admin"] if "admin" in roles else clients[roles[0]]


def test_no_get_changes_data(app: Flask) -> None:
    """Every GET route, anonymous and then signed in with a role it allows, on the real objects
    of a demo world (not ids that 404): no table gains, loses or changes a row count."""
    from engage.cli import DEMO_STAFF

    _demo_world()
    args = _real_args()
    clients = {"anonymous": app.test_client()}
    for email, role, _name in DEMO_STAFF:
        clients[role] = app.test_client()
        assert sign_in(clients[role], email).status_code == 303, email
    missing: list[tuple[str, int]] = []
    changed: list[tuple[str, dict[str, tuple[int, int]]]] = []
    for rule in _rules(app, "GET"):
        url = _url_for(rule, args)
        before = _row_counts()
        clients["anonymous"].get(url)
        response = _client_for(app, rule, clients).get(url)
        if response.status_code in (403, 404) and rule.endpoint not in MAY_BE_MISSING:
            missing.append((url, response.status_code))
        after = _row_counts()
        if rule.endpoint in AUDITED_READS:
            before["audit_events"] += 1
        if after != before:
            changed.append((url, {t: (before[t], after[t]) for t in after
                                  if after[t] != before[t]}))
    assert not missing, f"these GETs did not reach a real object: {missing}"
    assert not changed, f"these GETs changed data: {changed}"


@pytest.mark.fresh_app
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


@pytest.mark.fresh_app
def test_staff_route_without_declared_roles_is_denied(app: Flask, client: FlaskClient) -> None:
    app.add_url_rule("/staff/undeclared", endpoint="staff.undeclared", view_func=lambda: "open")
    make_user(role="admin")
    sign_in(client, "officer@example.org")
    response = client.get("/staff/undeclared")
    assert response.status_code == 403
    assert b"open" not in response.data
