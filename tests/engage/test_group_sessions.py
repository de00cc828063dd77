"""Group sessions: recording a session and its points, roles, audit, and the analysis rows."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import AuditEvent, GroupSession, GroupSessionPoint
from engage.services.collect import group_sessions as service
from engage.services.collect.mayor.theme_texts import TextRow
from engage.services.collect.published_surveys import publish_definition
from tests.imports_data import DEFINITION
from tests.pages import check_page, csrf_token, error_summary, make_user, sign_in

NEW = "/staff/group-sessions/new"


def _officer(client: FlaskClient, role: str = "engagement_officer") -> None:
    make_user(role=role)
    sign_in(client, "officer@example.org")


def _record(client: FlaskClient, **fields: str) -> object:
    data = {"group_type": "young_people", "group_name": "Year 10 at Bow School",
            "held_on": ["27", "3", "2026"], "facilitator": "Amina Begum", "ward": "bow-east",
            "survey": "", "csrf_token": csrf_token(client, NEW)}
    data.update(fields)
    return client.post(NEW, data=data)


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_record_a_session_and_its_points(client: FlaskClient) -> None:
    _officer(client)
    soup = check_page(client.get("/staff/group-sessions"))
    assert "No sessions recorded yet." in soup.get_text()
    check_page(client.get(NEW))
    response = _record(client)
    assert response.status_code == 303
    session = db.session.scalars(select(GroupSession)).one()
    assert (session.group_type, session.held_on, session.ward) == (
        "young_people", date(2026, 3, 27), "bow-east")
    page = f"/staff/group-sessions/{session.id}"
    for text in ("Nowhere safe to meet after school", "<b>Buses</b> are too full"):
        response = client.post(f"{page}/points", data={"text": text,
                                                       "csrf_token": csrf_token(client, page)})
        assert response.status_code == 303
    soup = check_page(client.get(page))
    assert "<b>Buses</b> are too full" in soup.get_text()  # escaped, shown as typed
    assert soup.find("b") is None
    points = db.session.scalars(select(GroupSessionPoint).order_by(GroupSessionPoint.id)).all()
    assert [p.position for p in points] == [1, 2]

    edit = f"{page}/points/{points[0].id}/edit"
    check_page(client.get(edit))
    response = client.post(edit, data={"text": "No safe place to meet after school",
                                       "csrf_token": csrf_token(client, edit)})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(GroupSessionPoint, points[0].id).text.startswith("No safe place")

    response = client.post(f"{page}/points/{points[1].id}/remove",
                           data={"csrf_token": csrf_token(client, page)})
    assert response.status_code == 303
    assert _count(GroupSessionPoint) == 1
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.like("group_session.%")).order_by(AuditEvent.id)).all()
    assert actions == ["group_session.create", "group_session.point_add",
                       "group_session.point_add", "group_session.point_edit",
                       "group_session.point_remove"]
    soup = check_page(client.get("/staff/group-sessions"))
    assert "Year 10 at Bow School" in soup.get_text()


def test_change_session_details(client: FlaskClient) -> None:
    _officer(client)
    publish_definition(DEFINITION, lawful_basis="Public task", privacy_notice="1 year")
    _record(client)
    session = db.session.scalars(select(GroupSession)).one()
    edit = f"/staff/group-sessions/{session.id}/edit"
    soup = check_page(client.get(edit))
    assert soup.find("input", attrs={"name": "facilitator"})["value"] == "Amina Begum"
    survey_id = soup.select('select[name="survey"] option')[1]["value"]
    response = client.post(edit, data={
        "group_type": "businesses", "group_name": "", "held_on": ["1", "4", "2026"],
        "facilitator": "Tom", "ward": "", "survey": survey_id,
        "csrf_token": csrf_token(client, edit)})
    assert response.status_code == 303
    db.session.expire_all()
    session = db.session.get(GroupSession, session.id)
    assert (session.group_type, session.ward, session.survey_id) == (
        "businesses", "", int(survey_id))
    assert "Import test survey" in check_page(client.get(f"/staff/group-sessions/{session.id}")
                                              ).get_text()


def test_errors_keep_what_was_typed(client: FlaskClient) -> None:
    _officer(client)
    response = _record(client, group_type="", held_on=["31", "2", "2026"], facilitator="",
                       group_name="Elders' lunch club")
    soup = check_page(response)
    assert error_summary(soup) == ["Select the type of group",
                                   "Enter the date of the session, like 27 3 2026",
                                   "Enter the name of the facilitator"]
    assert soup.find("input", attrs={"name": "group_name"})["value"] == "Elders' lunch club"
    assert _count(GroupSession) == 0
    _record(client)
    session = db.session.scalars(select(GroupSession)).one()
    page = f"/staff/group-sessions/{session.id}"
    soup = check_page(client.post(f"{page}/points", data={
        "text": "  ", "csrf_token": csrf_token(client, page)}))
    assert error_summary(soup) == ["Enter the point"]
    soup = check_page(client.post(f"{page}/points", data={
        "text": "x" * 2001, "csrf_token": csrf_token(client, page)}))
    assert error_summary(soup) == ["The point must be 2,000 characters or fewer"]
    assert _count(GroupSessionPoint) == 0



def test_a_point_is_measured_without_the_spaces_around_it(client: FlaskClient) -> None:
    # Pasted notes often end in a line break: it does not count against the limit.
    _officer(client)
    _record(client, facilitator="  Amina Begum  ")
    session = db.session.scalars(select(GroupSession)).one()
    assert session.facilitator == "Amina Begum"
    page = f"/staff/group-sessions/{session.id}"
    response = client.post(f"{page}/points", data={
        "text": "x" * 2000 + "\r\n", "csrf_token": csrf_token(client, page)})
    assert response.status_code == 303, error_summary(check_page(response))
    assert db.session.scalars(select(GroupSessionPoint.text)).one() == "x" * 2000


@pytest.mark.parametrize("role", ["analyst", "moderator", "partner_viewer", "group_member"])
def test_other_roles_are_refused(client: FlaskClient, role: str) -> None:
    _officer(client, role)
    assert client.get("/staff/group-sessions").status_code == 403
    assert client.get(NEW).status_code == 403


def test_unknown_session_or_point_is_404(client: FlaskClient) -> None:
    _officer(client)
    assert client.get("/staff/group-sessions/99").status_code == 404
    _record(client)
    session = db.session.scalars(select(GroupSession)).one()
    assert client.get(f"/staff/group-sessions/{session.id}/points/99/edit").status_code == 404


def test_points_become_analysis_rows(app: Flask) -> None:
    user = make_user()
    first = service.create_session(user, service.SessionDetails(
        "older_residents", date(2026, 2, 1), "Sam", ward="spitalfields-banglatown"))
    second = service.create_session(user, service.SessionDetails(
        "voluntary_sector", date(2026, 5, 1), "Kim"))
    a = service.add_point(first, user, "Lifts in the flats break down")
    service.add_point(first, user, "Lonely in winter")
    service.add_point(second, user, "Funding is short-term")
    rows = list(service.point_text_rows())
    assert [r.text for r in rows] == ["Lifts in the flats break down", "Lonely in winter",
                                      "Funding is short-term"]
    row = rows[0]
    assert isinstance(row, TextRow)
    assert (row.source, row.id, row.channel, row.ward) == (
        "group_session", f"GS{first.id}-{a.id}", "group_session", "spitalfields-banglatown")
    assert row.attributes == {"group": "older_residents", "ward": "spitalfields-banglatown",
                              "date": "2026-02-01", "session_id": first.id}
    assert [r.text for r in service.point_text_rows(since=date(2026, 3, 1))] == [
        "Funding is short-term"]
    with pytest.raises(service.GroupSessionError):
        service.add_point(second, user, "   ")
    with pytest.raises(service.GroupSessionError):
        service.create_session(user, service.SessionDetails("aliens", date(2026, 1, 1), "X"))


def test_demo_sessions_load_once(app: Flask) -> None:
    from engage.demo import group_sessions as demo

    make_user("officer@engage.example")
    assert list(demo.load()) == ["group sessions: 3 sessions with 10 points"]
    assert list(demo.load()) == ["group sessions: already there"]
    assert len(list(service.point_text_rows())) == 10
