"""Theme pages: every route, its form errors, edits through the web with undo, and permissions."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engage.extensions import db
from engage.models import RunText, Theme, ThemeEdit, ThemeRun
from tests.engage.results_helpers import share_results
from tests.engage.themes_helpers import analyst, demo_texts, finished_run, survey_choices
from tests.pages import check_page, csrf_token, make_user, sign_in


@pytest.fixture
def run(app: Flask) -> ThemeRun:
    demo_texts(150)
    return finished_run(analyst())


def _themes(run: ThemeRun) -> list[Theme]:
    return list(db.session.scalars(select(Theme).where(
        Theme.run_id == run.id, Theme.active.is_(True)).order_by(Theme.id)))


def _post(client: FlaskClient, page: str, url: str, data: dict[str, object],  # type: ignore[no-untyped-def]
          prefix: str = ""):
    """Post a form of the page; forms sharing a page have a prefix on their field names."""
    p = f"{prefix}-" if prefix else ""
    return client.post(url, data={f"{p}csrf_token": csrf_token(client, page),
                                  **{p + k: v for k, v in data.items()}})


def test_an_analyst_starts_a_run_and_watches_its_job(app: Flask, client: FlaskClient) -> None:
    demo_texts(120)
    analyst()
    sign_in(client, "analyst@example.org")
    soup = check_page(client.get("/staff/themes/runs/new"))
    assert soup.find("input", attrs={"name": "sources", "value": "survey:1:improve"})
    response = _post(client, "/staff/themes/runs/new", "/staff/themes/runs/new",
                     {"sources": survey_choices(), "n_themes": "5"})
    assert response.status_code == 303 and "/staff/jobs/" in response.headers["Location"]
    soup = check_page(client.get(response.headers["Location"]))
    link = soup.find("a", id="job-next-link")
    assert link["href"].startswith("/staff/themes/runs/")
    soup = check_page(client.get(link["href"]))
    assert soup.find("h2", class_="govuk-summary-card__title")
    assert client.get("/staff/themes").status_code == 302


def test_the_run_form_shows_errors_and_keeps_what_was_typed(app: Flask,
                                                            client: FlaskClient) -> None:
    demo_texts(60)
    analyst()
    sign_in(client, "analyst@example.org")
    response = _post(client, "/staff/themes/runs/new", "/staff/themes/runs/new",
                     {"n_themes": "1"})
    soup = check_page(response)
    summary = soup.find(class_="govuk-error-summary").get_text()
    assert "Select at least one source of text" in summary
    assert "Number of themes must be between 2 and 100" in summary
    assert soup.find("input", attrs={"name": "n_themes"})["value"] == "1"


def test_pages_of_a_run(run: ThemeRun, client: FlaskClient) -> None:
    sign_in(client, "analyst@example.org")
    check_page(client.get("/staff/themes/runs"))
    for sort in ("size", "label", "sentiment", "respondents", "approved", "bogus"):
        check_page(client.get(f"/staff/themes/runs/{run.id}?sort={sort}"))
    theme = _themes(run)[0]
    soup = check_page(client.get(f"/staff/themes/{theme.id}"))
    assert len(soup.find_all("li", class_="app-text")) == min(theme.size, 25)
    check_page(client.get(f"/staff/themes/{theme.id}?page=2&q=the"))
    soup = check_page(client.get(f"/staff/themes/{theme.id}/equity"))
    assert soup.find("svg") and soup.find("table", class_="app-heat-table")
    text_id = db.session.scalars(select(RunText.text_id).where(
        RunText.theme_id == theme.id)).first()
    check_page(client.get(f"/staff/themes/runs/{run.id}/texts/{text_id}/flag"))
    assert client.get(f"/staff/themes/runs/{run.id}/texts/999999/flag").status_code == 404
    assert client.get("/staff/themes/999999").status_code == 404
    assert client.get("/staff/themes/runs/999999").status_code == 404


def test_rename_then_undo_through_the_web(run: ThemeRun, client: FlaskClient) -> None:
    sign_in(client, "analyst@example.org")
    theme = _themes(run)[0]
    old = theme.label
    page = f"/staff/themes/{theme.id}"
    response = _post(client, page, f"{page}/rename", {"label": "Repairs", "description": "d"},
                     "rename")
    assert response.status_code == 303
    db.session.refresh(theme)
    assert theme.label == "Repairs"
    soup = check_page(client.get(f"/staff/themes/runs/{run.id}"))
    assert "Renamed: Repairs" in soup.get_text()
    response = _post(client, f"/staff/themes/runs/{run.id}", f"/staff/themes/runs/{run.id}/undo",
                     {})
    assert response.status_code == 303
    db.session.refresh(theme)
    assert theme.label == old


def test_rename_errors_are_shown(run: ThemeRun, client: FlaskClient) -> None:
    sign_in(client, "analyst@example.org")
    theme = _themes(run)[0]
    page = f"/staff/themes/{theme.id}"
    soup = check_page(_post(client, page, f"{page}/rename", {"label": " ", "description": ""},
                            "rename"),
                      400)
    assert "Enter a name for the theme" in soup.find(class_="govuk-error-summary").get_text()


def test_merge_split_move_approve_flag_comment_through_the_web(run: ThemeRun,
                                                               client: FlaskClient) -> None:
    sign_in(client, "analyst@example.org")
    a, b, c = _themes(run)[:3]
    page = f"/staff/themes/{a.id}"
    assert _post(client, page, f"{page}/approve", {}).status_code == 303
    db.session.refresh(a)
    assert a.approved
    texts = list(db.session.scalars(select(RunText.text_id).where(RunText.theme_id == a.id)))[:2]
    assert _post(client, page, f"{page}/move", {"texts": texts, "target": str(b.id)},
                 "move").status_code == 303
    assert {db.session.get(RunText, (run.id, t)).theme_id for t in texts} == {b.id}
    soup = check_page(_post(client, page, f"{page}/move", {"target": str(b.id)}, "move"), 400)
    assert "Select at least one text to move" in soup.get_text()
    assert _post(client, page, f"{page}/merge", {"target": str(c.id)}, "merge").status_code == 303
    db.session.refresh(a)
    assert a.merged_into_id == c.id
    big = max(_themes(run), key=lambda t: t.size)
    bpage = f"/staff/themes/{big.id}"
    assert _post(client, bpage, f"{bpage}/split", {"parts": "2"}, "split").status_code == 303
    db.session.refresh(big)
    assert not big.active
    other = _themes(run)[0]
    opage = f"/staff/themes/{other.id}"
    text_id = db.session.scalars(select(RunText.text_id).where(
        RunText.theme_id == other.id)).first()
    flag = f"/staff/themes/runs/{run.id}/texts/{text_id}/flag"
    soup = check_page(_post(client, flag, flag, {"text": str(text_id), "reason": ""}))
    assert "Enter why you are flagging this text" in soup.get_text()
    assert _post(client, flag, flag, {"text": str(text_id),
                                      "reason": "Safeguarding"}).status_code == 303
    assert _post(client, opage, f"{opage}/comment", {"body": "Agree"}, "comment").status_code == 303
    assert "Agree" in client.get(opage).get_data(as_text=True)
    kinds = [e.kind for e in db.session.scalars(select(ThemeEdit).order_by(ThemeEdit.id))]
    assert kinds == ["approve", "move", "merge", "split", "flag"]
    for _ in kinds:  # every edit undone, newest first
        assert _post(client, f"/staff/themes/runs/{run.id}",
                     f"/staff/themes/runs/{run.id}/undo", {}).status_code == 303
    db.session.expire_all()
    assert all(e.undone_at for e in db.session.scalars(select(ThemeEdit)))
    assert db.session.get(Theme, a.id).active and not db.session.get(Theme, a.id).approved


@pytest.mark.parametrize("role", ["partner_viewer", "group_member", "engagement_officer"])
def test_viewers_cannot_edit(run: ThemeRun, client: FlaskClient, role: str) -> None:
    viewer = make_user(email="v@example.org", role=role)
    share_results(roles=["group_member"], partners=[viewer] if role == "partner_viewer" else [])
    sign_in(client, "v@example.org")
    theme = _themes(run)[0]
    page = f"/staff/themes/{theme.id}"
    soup = check_page(client.get(page))
    assert soup.find("form", action=f"{page}/rename") is None
    assert soup.find("form", action=f"{page}/merge") is None
    token = csrf_token(client, "/auth/sign-in") if role != "group_member" else None
    token = token or csrf_token(client, page)
    for action, data in [("rename", {"label": "x"}), ("merge", {"target": "1"}),
                         ("split", {"parts": "2"}), ("move", {"texts": "1", "target": "1"}),
                         ("approve", {})]:
        response = client.post(f"{page}/{action}", data={"csrf_token": token, **data})
        assert response.status_code == 403, (action, response.status_code)
    assert client.post(f"/staff/themes/runs/{run.id}/undo",
                       data={"csrf_token": token}).status_code == 403
    assert client.get("/staff/themes/runs/new").status_code == 403
    db.session.refresh(theme)
    assert theme.label != "x"
    assert (client.post(f"{page}/comment", data={"comment-csrf_token": token,
                                                 "comment-body": "hi"}).status_code
            == (303 if role == "group_member" else 403))


def test_partner_viewers_see_redacted_text(run: ThemeRun, client: FlaskClient) -> None:
    theme = _themes(run)[0]
    text_id = db.session.scalars(select(RunText.text_id).where(
        RunText.theme_id == theme.id).order_by(RunText.score.desc())).first()
    from engage.models import AnalysisText

    row = db.session.get(AnalysisText, text_id)
    row.text, row.redacted = "Email me at jo@example.com", "Email me at [EMAIL]"
    db.session.commit()
    share_results(partners=[make_user(email="p@example.org", role="partner_viewer")])
    sign_in(client, "p@example.org")
    html = client.get(f"/staff/themes/{theme.id}").get_data(as_text=True)
    assert "[EMAIL]" in html and "jo@example.com" not in html
    assert "Personal details in the texts are hidden." in html
