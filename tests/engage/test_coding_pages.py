"""Coding pages: every route renders, its forms show GOV.UK errors and keep what was typed, the
work is done through the web, and only analysts (and admins) get in."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import Code, Codeframe, CodeSuggestion, Theme
from engage.services.code.coding import double, texts
from engage.services.code.themes import edits
from tests.engage.coding_helpers import code_ids, codeframe, text_ids
from tests.engage.results_helpers import share_results
from tests.engage.themes_helpers import analyst, finished_run, survey_choices
from tests.pages import check_page, csrf_token, error_summary, make_user, sign_in


@pytest.fixture
def frame(app: Flask) -> Codeframe:
    return codeframe()


def _urls(frame: Codeframe) -> list[str]:
    ids = code_ids(frame)
    first = text_ids(frame)[0]
    base = f"/staff/coding/{frame.id}"
    return ["/staff/coding", "/staff/coding/new", "/staff/coding/from-themes", base,
            f"{base}/codes/new", f"{base}/codes/{ids['Parks']}", f"{base}/import",
            f"{base}/texts/{first}", f"{base}/queue", f"{base}/double", f"{base}/agreement"]


def test_every_page_renders_for_an_analyst(frame: Codeframe, client: FlaskClient) -> None:
    sign_in(client, "analyst@example.org")
    for url in _urls(frame):
        check_page(client.get(url))
    response = client.get(f"/staff/coding/{frame.id}/code")
    assert response.status_code == 302 and "/texts/" in response.headers["Location"]


def test_the_coding_page_names_the_ward(frame: Codeframe, client: FlaskClient) -> None:
    """A text's ward shows by its name in the reader's language, never its id."""
    from engage.blueprints.mayor_public.routes import ward_names
    from engage.models import AnalysisText

    sign_in(client, "analyst@example.org")
    text = next(t for t in (db.session.get(AnalysisText, i) for i in text_ids(frame))
                if t is not None and t.ward)
    page = check_page(client.get(f"/staff/coding/{frame.id}/texts/{text.id}")).get_text()
    assert ward_names("en")[text.ward] in page and f"· {text.ward}" not in page


@pytest.mark.parametrize("role", ["partner_viewer", "group_member", "engagement_officer",
                                  "moderator", "interviewer"])
def test_only_analysts_may_code(frame: Codeframe, client: FlaskClient, role: str) -> None:
    other = make_user(f"{role}@example.org", role=role)
    share_results(roles=["group_member"], partners=[other])  # seeing results is not enough
    sign_in(client, other.email)
    for url in _urls(frame):
        assert client.get(url).status_code == 403, url
    first = text_ids(frame)[0]
    # A token from a page the user may open; the coding POST itself is refused.
    token = csrf_token(client, "/staff/")
    response = client.post(f"/staff/coding/{frame.id}/texts/{first}",
                           data={"csrf_token": token, "codes": ["none"]})
    assert response.status_code == 403
    assert texts.coding_of(frame, first) is None


def test_an_analyst_who_may_not_see_a_survey_cannot_open_its_codeframe(
        frame: Codeframe, client: FlaskClient) -> None:
    from engage.models import Survey
    from engage.services.collect import drafts

    for survey in db.session.scalars(select(Survey)):
        drafts.update_results_access(None, survey, ["engagement_officer"], [])
    make_user("admin@example.org", role="admin")
    sign_in(client, "analyst@example.org")
    assert client.get(f"/staff/coding/{frame.id}").status_code == 403
    assert frame.title not in client.get("/staff/coding").get_data(as_text=True)


def test_coding_through_the_page(frame: Codeframe, client: FlaskClient) -> None:
    sign_in(client, "analyst@example.org")
    ids = code_ids(frame)
    first, second = text_ids(frame)[:2]
    url = f"/staff/coding/{frame.id}/texts/{first}"
    soup = check_page(client.get(url))
    boxes = soup.select("input[name=codes]")
    assert [b.get("data-key") for b in boxes] == ["1", "2", "3", "0"]
    assert soup.select_one("input[value=none]")["data-behaviour"] == "exclusive"
    script = next(s for s in soup.find_all("script") if "coding-form" in s.get_text())
    assert script.get("nonce"), "the keyboard script needs the page's CSP nonce to run"
    token = csrf_token(client, url)
    response = client.post(url, data={"csrf_token": token})
    soup = check_page(response, status=400)
    assert error_summary(soup) == ["Select at least one code, or select no substantive answer"]
    response = client.post(url, data={"csrf_token": token, "codes": [str(ids["Parks"]), "none"]})
    soup = check_page(response, status=400)
    assert error_summary(soup) == ["Select codes or no substantive answer, not both"]
    assert soup.select_one(f"input[value='{ids['Parks']}']").has_attr("checked")
    response = client.post(url, data={"csrf_token": token,
                                      "codes": [str(ids["Parks"]), str(ids["Safety"])]})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/texts/{second}")
    assert texts.codings(frame)[first] == {ids["Parks"], ids["Safety"]}
    soup = check_page(client.get(url))
    assert soup.select_one("#coded-status")
    response = client.post(f"/staff/coding/{frame.id}/codes.csv", data={"csrf_token": token})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].endswith("coded,no_substantive_answer,Parks,Safety,Roads")
    assert len(lines) == 1 + frame.text_count
    row = next(line for line in lines[1:] if line.startswith(f"{first},"))
    assert row.endswith(",1,0,1,1,0")
    assert client.post(f"/staff/coding/{frame.id}/codes.csv").status_code == 400
    client.post(f"{url}/clear", data={"csrf_token": token})
    assert texts.coding_of(frame, first) is None


def test_codes_add_edit_retire_and_import(frame: Codeframe, client: FlaskClient) -> None:
    sign_in(client, "analyst@example.org")
    base = f"/staff/coding/{frame.id}"
    token = csrf_token(client, f"{base}/codes/new")
    soup = check_page(client.post(f"{base}/codes/new", data={
        "csrf_token": token, "name": "", "definition": "kept", "parent": ""}), status=400)
    assert error_summary(soup) == ["Enter a name for the code"]
    assert soup.select_one("textarea[name=definition]").get_text() == "kept"
    response = client.post(f"{base}/codes/new", data={
        "csrf_token": token, "name": "Lighting", "definition": "Street lights",
        "parent": str(code_ids(frame)["Safety"])})
    assert error_summary(check_page(response, status=400)) == [
        "A sub-code cannot have sub-codes of its own"]
    response = client.post(f"{base}/codes/new", data={
        "csrf_token": token, "name": "Lighting", "definition": "Street lights", "parent": ""})
    assert response.status_code == 303
    lighting = code_ids(frame)["Lighting"]
    response = client.post(f"{base}/codes/{lighting}", data={
        "csrf_token": token, "name": "Street lighting", "definition": "Lights", "parent": ""})
    assert response.status_code == 303
    soup = check_page(client.get(f"{base}/codes/{lighting}"))
    assert "Street lighting" in soup.get_text() and len(soup.select("tbody tr")) == 2
    client.post(f"{base}/codes/{lighting}/retire", data={"csrf_token": token})
    assert db.session.get(Code, lighting).active is False
    bad = b"name,definition,parent\n<script>x</script>,,Nowhere\n"
    response = client.post(f"{base}/import", data={
        "csrf_token": token, "upload": (io.BytesIO(bad), "codes.csv")},
        content_type="multipart/form-data")
    soup = check_page(response, status=400)
    assert error_summary(soup) == ["The file has 1 problems; nothing was imported"]
    assert "Select a parent code from this codeframe" in soup.select_one(
        "#import-problems").get_text()
    assert "<script>x" not in response.get_data(as_text=True)
    response = client.post(f"{base}/import", data={"csrf_token": token},
                           content_type="multipart/form-data")
    assert error_summary(check_page(response, status=400)) == ["Select a CSV file"]
    good = b"name,definition,parent\nHousing,Homes,\nRepairs,Leaks,Housing\n"
    response = client.post(f"{base}/import", data={
        "csrf_token": token, "upload": (io.BytesIO(good), "codes.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 303
    assert {"Housing", "Repairs"} <= set(code_ids(frame))


def test_new_codeframes_from_sources_and_from_themes(app: Flask, client: FlaskClient) -> None:
    from tests.engage.themes_helpers import demo_texts

    demo_texts(120)
    user = analyst()
    sign_in(client, user.email)
    token = csrf_token(client, "/staff/coding/new")
    soup = check_page(client.post("/staff/coding/new", data={"csrf_token": token,
                                                             "title": "Kept title"}), status=400)
    assert error_summary(soup) == ["Select at least one source of text"]
    assert soup.select_one("input[name=title]")["value"] == "Kept title"
    response = client.post("/staff/coding/new", data={
        "csrf_token": token, "title": "Survey texts", "sources": survey_choices()})
    assert response.status_code == 303
    soup = check_page(client.get("/staff/coding/from-themes"))
    assert "No analysis has approved themes yet" in soup.get_text()
    run = finished_run(user)
    theme = db.session.scalars(select(Theme).where(Theme.run_id == run.id)).first()
    edits.set_approved(theme, user, True)
    response = client.post("/staff/coding/from-themes", data={
        "csrf_token": token, "title": "From themes", "run": str(run.id)})
    assert response.status_code == 303
    frame = db.session.scalars(select(Codeframe).where(Codeframe.title == "From themes")).one()
    assert list(code_ids(frame)) == [theme.label]


def test_queue_bulk_accept_and_undo(frame: Codeframe, client: FlaskClient) -> None:
    sign_in(client, "analyst@example.org")
    ids = code_ids(frame)
    all_texts = text_ids(frame)
    db.session.add_all([CodeSuggestion(codeframe_id=frame.id, text_id=t, code_id=ids["Roads"],
                                       confidence=0.97 if i < 3 else 0.3)
                        for i, t in enumerate(all_texts)])
    db.session.commit()
    base = f"/staff/coding/{frame.id}"
    soup = check_page(client.get(f"{base}/queue"))
    assert "Too few to estimate" in soup.select_one("#code-quality").get_text()
    token = csrf_token(client, f"{base}/queue")
    soup = check_page(client.post(f"{base}/accept", data={
        "csrf_token": token, "code": str(ids["Roads"]), "threshold": "101"}), status=400)
    assert error_summary(soup) == ["Confidence must be a whole number from 0 to 100"]
    assert soup.select_one("input[name=threshold]")["value"] == "101"
    response = client.post(f"{base}/accept", data={
        "csrf_token": token, "code": str(ids["Roads"]), "threshold": "95"})
    assert response.status_code == 303
    assert len(texts.codings(frame)) == 3
    soup = check_page(client.get(f"{base}/queue"))
    form = soup.select_one("#batches form")
    client.post(form["action"], data={"csrf_token": token})
    assert texts.codings(frame) == {}


def test_double_coding_agreement_and_resolution_pages(frame: Codeframe,
                                                      client: FlaskClient) -> None:
    second = make_user("second@example.org", role="analyst")
    ids = code_ids(frame)
    sign_in(client, "analyst@example.org")
    base = f"/staff/coding/{frame.id}"
    token = csrf_token(client, f"{base}/double")
    soup = check_page(client.post(f"{base}/double", data={
        "csrf_token": token, "share": "0", "seed": "x"}), status=400)
    assert error_summary(soup) == ["Share must be a whole number from 1 to 100",
                                   "Seed must be a whole number"]
    assert client.post(f"{base}/double", data={"csrf_token": token, "share": "10",
                                               "seed": "4"}).status_code == 303
    sample = double.sample_of(frame)
    assert sample is not None
    analyst_user = db.session.scalars(select(type(second)).where(
        type(second).email == "analyst@example.org")).one()
    for t in sample.text_ids:
        texts.code_text(frame, t, analyst_user, [ids["Parks"]])
    soup = check_page(client.get(f"{base}/double"))
    assert "There is nothing for you to double-code" in soup.get_text()
    client.post("/auth/sign-out", data={"csrf_token": token})
    sign_in(client, second.email)
    soup = check_page(client.get(f"{base}/double"))
    start = soup.find("a", string=re.compile("Double-code the next text"))["href"]
    page = check_page(client.get(start))
    assert not page.select("[data-shortcut]") and "Suggested" not in page.get_text()
    token = csrf_token(client, start)
    url = start
    for i in range(len(sample.text_ids)):
        response = client.post(url, data={"csrf_token": token, "codes": [
            str(ids["Roads"] if i == 0 else ids["Parks"])]})
        assert response.status_code == 303
        url = response.headers["Location"]
    assert url.endswith("/agreement")
    soup = check_page(client.get(f"{base}/agreement"))
    assert soup.select_one("#agreement-overall")
    link = soup.select_one("#disagreements a")["href"]
    soup = check_page(client.get(link))
    assert "Parks" in soup.get_text() and "Roads" in soup.get_text()
    soup = check_page(client.post(link, data={"csrf_token": token, "codes": [],
                                              "note": "kept note"}), status=400)
    assert soup.select_one("textarea[name=note]").get_text() == "kept note"
    response = client.post(link, data={"csrf_token": token, "codes": [str(ids["Roads"])],
                                       "note": "Potholes"})
    assert response.status_code == 303
    soup = check_page(client.get(f"{base}/agreement"))
    assert soup.select_one("#disagreements .govuk-tag--green")
    assert db.session.scalar(select(func.count()).select_from(Code)) == 3
