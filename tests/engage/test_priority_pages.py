"""Priority board pages: every route, its roles, its forms and errors."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import AuditEvent, BoardCriterion, BoardScore, TaskGroup
from engage.services.decide.priorities import boards
from tests.engage.priorities_helpers import Setup, score_all, setup
from tests.pages import check_page, csrf_token, error_summary, make_user, sign_in


@pytest.fixture
def s(app: Flask) -> Setup:
    return setup(texts=100, approve=4)


def _client(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    sign_in(client, email)
    return client


def _board_url(s: Setup, tail: str = "") -> str:
    return f"/staff/priorities/boards/{s.board.id}{tail}"


def test_index_group_and_board_pages_for_every_viewer(app: Flask, s: Setup) -> None:
    for email in ("viewer@example.org", "member@example.org", "officer@example.org",
                  "analyst@example.org", "outsider@example.org"):
        client = _client(app, email)
        soup = check_page(client.get("/staff/priorities"))
        assert "Housing and health" in soup.get_text()
        soup = check_page(client.get(f"/staff/priorities/groups/{s.group.id}"))
        assert "chair" in soup.get_text().lower()
        soup = check_page(client.get(_board_url(s)))
        text = soup.get_text()
        assert "Spring 2027 priorities" in text and "Scale of need" in text
        assert "How the ranking is worked out" in text and "weighted mean" in text
        # Only the chair sees the criteria forms.
        assert bool(soup.select("form[action$='/weights']")) is (email == "chair@example.org")
    chair = _client(app, "chair@example.org")
    soup = check_page(chair.get(_board_url(s)))
    assert soup.select("form[action$='/weights']") and soup.select("form[action$='/open']")
    assert check_page(chair.get("/staff/priorities/boards/999"), 404)
    anonymous = app.test_client()
    assert anonymous.get("/staff/priorities").status_code == 302
    moderator = make_user("mod@example.org", "moderator")
    assert moderator and _client(app, "mod@example.org").get(_board_url(s)).status_code == 403


def test_create_and_edit_a_group(app: Flask, s: Setup) -> None:
    officer = _client(app, "officer@example.org")
    soup = check_page(officer.get("/staff/priorities/groups/new"))
    assert "Demo" not in soup.get_text()
    token = csrf_token(officer, "/staff/priorities/groups/new")
    response = officer.post("/staff/priorities/groups/new", data={
        "csrf_token": token, "name": "", "remit": "kept <b>text</b>", "chair": ""})
    soup = check_page(response, 400)
    assert error_summary(soup) == ["Enter a name for the group", "Select who chairs the group"]
    assert "kept <b>text</b>" in soup.get_text()
    response = officer.post("/staff/priorities/groups/new", data={
        "csrf_token": token, "name": "Youth", "remit": "Young people",
        "chair": str(s.member.id), "members": [str(s.outsider.id)]})
    assert response.status_code == 303
    group = db.session.scalars(select(TaskGroup).where(TaskGroup.name == "Youth")).one()
    assert response.headers["Location"].endswith(f"/staff/priorities/groups/{group.id}")
    # The chair may change the group; a plain member may not; partner viewers never.
    chair = _client(app, "member@example.org")
    url = f"/staff/priorities/groups/{group.id}/edit"
    check_page(chair.get(url))
    token = csrf_token(chair, url)
    response = chair.post(url, data={"csrf_token": token, "name": "Youth", "remit": "",
                                     "chair": str(s.member.id), "members": []})
    assert response.status_code == 303
    assert _client(app, "outsider@example.org").get(url).status_code == 403
    assert _client(app, "viewer@example.org").get(url).status_code == 403
    assert _client(app, "member@example.org").get(
        "/staff/priorities/groups/new").status_code == 403
    response = chair.post(url, data={"csrf_token": token, "name": "Housing and health",
                                     "chair": str(s.member.id)})
    assert error_summary(check_page(response, 400)) == ["There is already a group with that name"]


def test_start_a_board(app: Flask, s: Setup) -> None:
    officer = _client(app, "officer@example.org")
    url = f"/staff/priorities/groups/{s.group.id}/boards/new"
    soup = check_page(officer.get(url))
    assert soup.select(f"input[name=runs][value='{s.run.id}']")
    token = csrf_token(officer, url)
    soup = check_page(officer.post(url, data={"csrf_token": token, "title": ""}), 400)
    assert error_summary(soup) == ["Enter a title for the board",
                                   "Select at least one analysis with approved themes or a "
                                   "final codeframe"]
    response = officer.post(url, data={"csrf_token": token, "title": "Autumn",
                                       "runs": [str(s.run.id)]})
    assert response.status_code == 303
    assert len(boards.boards_of(s.group)) == 2
    assert _client(app, "member@example.org").get(url).status_code == 403
    assert _client(app, "viewer@example.org").get(url).status_code == 403


def test_chair_agrees_criteria(app: Flask, s: Setup) -> None:
    chair = _client(app, "chair@example.org")
    token = csrf_token(chair, _board_url(s))
    crit = boards.criteria(s.board)
    # Add: an error first, what was typed is kept.
    soup = check_page(chair.post(_board_url(s, "/criteria"), data={
        "csrf_token": token, "name": "Cost", "weight": "lots"}), 400)
    assert error_summary(soup) == ["Enter a weight between 0.1 and 100, like 2 or 1.5"]
    assert soup.select_one("#name")["value"] == "Cost"
    assert chair.post(_board_url(s, "/criteria"), data={
        "csrf_token": token, "name": "Cost", "weight": "2"}).status_code == 303
    # Weights: a bad one keeps what was typed.
    new = db.session.scalars(select(BoardCriterion).where(
        BoardCriterion.board_id == s.board.id, BoardCriterion.name == "Cost")).one()
    data = {"csrf_token": token, **{f"weight-{c.id}": "1" for c in crit}}
    data[f"weight-{crit[0].id}"] = "-3"
    data[f"weight-{new.id}"] = "1.5"
    soup = check_page(chair.post(_board_url(s, "/weights"), data=data), 400)
    assert error_summary(soup) == ["Enter a weight between 0.1 and 100, like 2 or 1.5"]
    assert soup.select_one(f"#weight-{crit[0].id}")["value"] == "-3"
    data[f"weight-{crit[0].id}"] = "4"
    assert chair.post(_board_url(s, "/weights"), data=data).status_code == 303
    db.session.expire_all()
    assert {c.name: c.weight for c in boards.criteria(s.board)}["Scale of need"] == 4.0
    # Remove, then open scoring.
    assert chair.post(_board_url(s, f"/criteria/{new.id}/remove"),
                      data={"csrf_token": token}).status_code == 303
    assert chair.post(_board_url(s, "/criteria/999/remove"),
                      data={"csrf_token": token}).status_code == 404
    member = _client(app, "member@example.org")
    member_token = csrf_token(member, _board_url(s))
    for tail in ("/open", f"/criteria/{crit[1].id}/remove", "/weights"):
        assert member.post(_board_url(s, tail), data={
            "csrf_token": member_token}).status_code == 403, tail
    assert member.post(_board_url(s, "/criteria"), data={
        "csrf_token": member_token, "name": "X", "weight": "1"}).status_code == 403
    viewer = _client(app, "viewer@example.org")
    assert viewer.post(_board_url(s, "/open"), data={
        "csrf_token": csrf_token(viewer, _board_url(s))}).status_code == 403
    assert chair.post(_board_url(s, "/open"), data={"csrf_token": token}).status_code == 303
    db.session.expire_all()
    assert boards.get_board(s.board.id).state == "scoring"  # type: ignore[union-attr]
    # After scoring opens, criteria cannot change.
    response = chair.post(_board_url(s, "/criteria"), data={
        "csrf_token": token, "name": "Late", "weight": "1"})
    assert error_summary(check_page(response, 400)) == [
        "Scoring has started: the criteria can no longer change"]
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"priorities.criterion_added", "priorities.weights_changed",
            "priorities.criterion_removed", "priorities.scoring_opened"} <= actions


def test_member_scores_a_theme(app: Flask, s: Setup) -> None:
    item = boards.items(s.board)[0]
    url = _board_url(s, f"/items/{item.id}/score")
    member = _client(app, "member@example.org")
    # Not open yet: back to the board with a message.
    response = member.get(url)
    assert response.status_code == 303
    boards.open_scoring(s.board, s.chair)
    soup = check_page(member.get(url))
    assert "Scale of need" in soup.get_text() and "What residents said" in soup.get_text()
    crit = boards.criteria(s.board)
    token = csrf_token(member, url)
    data = {"csrf_token": token, f"score_{crit[0].id}": "5",
            f"comment_{crit[0].id}": "Very widespread"}
    soup = check_page(member.post(url, data=data), 400)
    assert error_summary(soup) == [f"Select a score for {c.name}" for c in crit[1:]]
    assert soup.select_one(f"input[name=score_{crit[0].id}][value='5']").has_attr("checked")
    data.update({f"score_{c.id}": "3" for c in crit[1:]})
    response = member.post(url, data=data)
    assert response.status_code == 303 and f"#item-{item.id}" in response.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(BoardScore)) == len(crit)
    soup = check_page(member.get(_board_url(s)))
    assert "Very widespread" in soup.get_text()
    assert "Members who have scored so far: 1 of 2." in soup.get_text()
    # The member's scores are shown again when they come back.
    soup = check_page(member.get(url))
    assert soup.select_one(f"input[name=score_{crit[0].id}][value='5']").has_attr("checked")
    # A group member of another group cannot score: 403, and nothing is saved.
    outsider = _client(app, "outsider@example.org")
    assert outsider.get(url).status_code == 403
    assert outsider.post(url, data={**data, "csrf_token": csrf_token(
        outsider, _board_url(s))}).status_code == 403
    viewer = _client(app, "viewer@example.org")
    assert viewer.get(url).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(BoardScore)) == len(crit)
    assert member.get(_board_url(s, "/items/999/score")).status_code == 404


def test_chair_shortlists_and_locks(app: Flask, s: Setup) -> None:
    url = _board_url(s, "/shortlist")
    chair = _client(app, "chair@example.org")
    assert chair.get(url).status_code == 303  # scoring not open
    boards.open_scoring(s.board, s.chair)
    score_all(s, s.member, 4, "Agree")
    items = boards.items(s.board)
    assert _client(app, "member@example.org").get(url).status_code == 403
    assert _client(app, "viewer@example.org").get(url).status_code == 403
    soup = check_page(chair.get(url))
    assert "1=." in soup.get_text()  # every theme tied at 4.00
    token = csrf_token(chair, url)
    soup = check_page(chair.post(url, data={"csrf_token": token,
                                            "priorities": [str(items[0].id)]}), 400)
    assert error_summary(soup) == ["Select 3 or 4 priorities",
                                   "Enter why the group chose these priorities"]
    response = chair.post(url, data={"csrf_token": token, "rationale": "Strongest evidence",
                                     "priorities": [str(i.id) for i in items[:3]]})
    assert response.status_code == 303
    db.session.expire_all()
    assert boards.get_board(s.board.id).state == "locked"  # type: ignore[union-attr]
    soup = check_page(chair.get(_board_url(s)))
    text = soup.get_text()
    assert "The group's priorities" in text and "Strongest evidence" in text
    assert "Priorities shortlisted and board locked" in text
    assert not soup.select("a[href$='/score']")
    # Locked: scoring and shortlisting bounce back.
    member = _client(app, "member@example.org")
    assert member.get(_board_url(s, f"/items/{items[0].id}/score")).status_code == 303
    assert chair.get(url).status_code == 303


def test_dashboard_links_to_the_boards(app: Flask, s: Setup) -> None:
    soup = check_page(_client(app, "viewer@example.org").get("/staff/"))
    assert soup.select("a[href='/staff/priorities']")
