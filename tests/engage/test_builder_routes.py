"""Survey builder routes: create, edit every question type, rules, preview, publish, versions."""

from __future__ import annotations

import io
import json

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import AuditEvent, Response, Survey, SurveyVersion
from tests.pages import check_page, csrf_token, error_summary, make_user, sign_in

BASE = "/staff/surveys/park-2027"


def _officer(client: FlaskClient) -> None:
    make_user()
    sign_in(client, "officer@example.org")


def _post(client: FlaskClient, path: str, data: dict, follow: bool = False):  # type: ignore[no-untyped-def]
    # the token belongs to the session: any page with a form gives it
    token = csrf_token(client, "/staff/surveys/new")
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=follow)


def _create(client: FlaskClient) -> None:
    response = _post(client, "/staff/surveys/new", {"slug": "park-2027", "title-en": "Parks",
                                                    "title-bn": "পার্ক", "languages": "bn"})
    assert response.status_code == 303, response.data[:300]


def _definition() -> dict:  # type: ignore[type-arg]
    survey = db.session.scalar(select(Survey).where(Survey.slug == "park-2027"))
    db.session.refresh(survey)
    return survey.draft.definition


def _add_question(client: FlaskClient, qtype: str, title: str, section: str = "section-1") -> str:
    response = _post(client, f"{BASE}/draft/questions/new?section={section}",
                     {"type": qtype, "title-en": title, "title-bn": title + " bn",
                      "section": section})
    assert response.status_code == 303, response.data[:500]
    return response.headers["Location"].rsplit("/", 1)[-1]


def _fill_settings(client: FlaskClient) -> None:
    response = _post(client, f"{BASE}/settings", {
        "lawful_basis": "public_task", "privacy_notice": "We keep answers for 2 years.",
        "retention_days": "730", "anonymous": "yes", "results_roles": ["analyst"],
        "results_organisations": "Health Trust\nPolice"})
    assert response.status_code == 303


def test_create_survey_checks_input(app: Flask, client: FlaskClient) -> None:
    _officer(client)
    check_page(client.get("/staff/surveys/new"))
    token = csrf_token(client, "/staff/surveys/new")
    response = client.post("/staff/surveys/new", data={"slug": "Bad Slug", "title-en": "",
                                                       "csrf_token": token})
    soup = check_page(response)
    assert "Web address must only include lower case letters, numbers and hyphens, like " \
        "residents-2027" in error_summary(soup)
    assert "Enter the title in the main language" in error_summary(soup)
    assert soup.select_one("#slug")["value"] == "Bad Slug"  # kept as typed
    _create(client)
    soup = check_page(client.get(BASE + "/build"))
    assert "Parks" in soup.get_text()
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "survey.create")) == 1
    response = _post(client, "/staff/surveys/new", {"slug": "park-2027", "title-en": "Again"})
    assert "A survey with that web address already exists" in error_summary(check_page(response))


def test_build_every_type_route_publish_and_new_version(app: Flask, client: FlaskClient) -> None:
    _officer(client)
    _create(client)
    ids = {}
    for qtype in ("single-choice", "multiple-choice", "agreement", "rating", "number", "date",
                  "short-text", "long-text", "ranking", "grid", "ward-postcode"):
        ids[qtype] = _add_question(client, qtype, f"Question {qtype}")
    # options for the choice types, statements for the grid
    for qtype in ("single-choice", "multiple-choice", "ranking"):
        path = f"{BASE}/draft/questions/{ids[qtype]}"
        check_page(client.get(path))
        response = _post(client, path, {
            "title-en": f"Question {qtype}", "title-bn": "প্রশ্ন", "required": "yes",
            "option-count": "3", "option-0-id": "", "option-0-en": "Yes",
            "option-0-bn": "হ্যাঁ", "option-1-id": "", "option-1-en": "No",
            "option-1-bn": "না", "option-2-id": "", "action": "save"})
        assert response.status_code == 303, response.data[:800]
        soup = check_page(client.get(path))
        assert soup.select_one("#option-1-en")["value"] == "No"
        assert soup.select_one("#option-1-bn")["value"] == "না"
        assert (soup.select_one("#option-0-exclusive") is not None) == (
            qtype == "multiple-choice")
    path = f"{BASE}/draft/questions/{ids['grid']}"
    response = _post(client, path, {"title-en": "Grid", "scale": "agreement",
                                    "statement-count": "1", "statement-0-en": "Parks are clean",
                                    "action": "save"})
    assert response.status_code == 303
    check_page(client.get(path))
    response = _post(client, path, {"title-en": "Grid", "scale": "agreement",
                                    "statement-count": "2", "statement-0-id": "parks-are-clean",
                                    "statement-0-en": "Parks are clean",
                                    "statement-1-en": "Parks are safe",
                                    "action": "statement-up-1"})
    assert response.headers["Location"].endswith(path)
    statements = _definition()["sections"][0]["pages"][9]["questions"][0]["statements"]
    assert [s["id"] for s in statements] == ["parks-are-safe", "parks-are-clean"]
    path = f"{BASE}/draft/questions/{ids['number']}"
    response = _post(client, path, {"title-en": "How many", "min": "5", "max": "1"})
    assert "The lowest value must be less than the highest value" in error_summary(
        check_page(response, 400))
    response = _post(client, path, {"title-en": "How many", "min": "0", "max": "20",
                                    "suffix-en": "visits", "action": "save"})
    assert response.status_code == 303
    response = _post(client, f"{BASE}/draft/questions/{ids['long-text']}",
                     {"title-en": "Tell us", "max_words": "150", "action": "save"})
    definition = _definition()
    questions = {q["id"]: q for s in definition["sections"] for p in s["pages"]
                 for q in p["questions"]}
    assert questions[ids["single-choice"]]["options"][0] == {
        "id": "yes", "text": {"en": "Yes", "bn": "হ্যাঁ"}}
    assert questions[ids["number"]]["min"] == 0 and questions[ids["number"]]["max"] == 20
    assert questions[ids["long-text"]]["max_words"] == 150
    # a routing rule from dropdowns: if single-choice is "no", skip to the long-text page
    first_page = definition["sections"][0]["pages"][0]["id"]
    long_page = next(p["id"] for p in definition["sections"][0]["pages"]
                 if p["questions"][0]["id"] == ids["long-text"])
    rule_path = f"{BASE}/draft/pages/{first_page}/rules/new"
    check_page(client.get(rule_path))
    response = _post(client, rule_path, {"cond-0-question": ids["single-choice"],
                                         "cond-0-operator": "equals", "cond-0-value": "maybe",
                                         "combine": "and", "go_to": f"page:{long_page}"})
    assert "Select one of the question's options to compare with" in error_summary(
        check_page(response, 400))
    response = _post(client, rule_path, {"cond-0-question": ids["single-choice"],
                                         "cond-0-operator": "equals", "cond-0-value": "no",
                                         "combine": "and", "go_to": f"page:{long_page}"})
    assert response.status_code == 303
    assert _definition()["sections"][0]["pages"][0]["routing"] == [
        {"when": {"op": "equals", "question": ids["single-choice"], "value": "no"},
         "go_to": {"page": long_page}}]
    soup = check_page(client.get(f"{BASE}/draft/pages/{first_page}"))
    assert "If “Question single-choice” is No, go to page" in soup.get_text()
    # skip rule on the rating page (and/or of two conditions)
    rating_page = next(p["id"] for p in _definition()["sections"][0]["pages"]
                   if p["questions"][0]["id"] == ids["rating"])
    response = _post(client, f"{BASE}/draft/pages/{rating_page}/when", {
        "cond-0-question": ids["single-choice"], "cond-0-operator": "equals",
        "cond-0-value": "yes", "cond-1-question": ids["multiple-choice"],
        "cond-1-operator": "any-in", "cond-1-value": "no", "combine": "or"})
    assert response.status_code == 303
    assert _definition()["sections"][0]["pages"][3]["when"]["op"] == "or"
    # demographics block
    check_page(client.get(f"{BASE}/draft/demographics"))
    _post(client, f"{BASE}/draft/demographics", {"include": ["age", "sex"]})
    assert _definition()["sections"][-1] == {"type": "demographics", "id": "about-you",
                                             "include": ["age", "sex"]}
    assert "Age, Sex" in check_page(client.get(BASE + "/build")).get_text()
    # publishing without settings lists the problems with links to fix them
    soup = check_page(client.get(f"{BASE}/draft/publish"))
    links = [a["href"] for a in soup.select(".govuk-error-summary a")]
    assert f"{BASE}/settings" in links
    response = _post(client, f"{BASE}/draft/publish", {})
    assert response.status_code == 400
    _fill_settings(client)
    check_page(client.get(f"{BASE}/draft/publish"))
    # preview in each language, no response stored
    check_page(client.get(f"{BASE}/draft/preview"))
    soup = check_page(client.get(f"{BASE}/draft/preview/bn/{first_page}"), lang="bn")
    assert "প্রশ্ন" in soup.get_text()
    response = _post(client, f"{BASE}/draft/preview/en/{first_page}", {})
    assert response.status_code == 400
    response = _post(client, f"{BASE}/draft/preview/en/{first_page}",
                     {f"q-{ids['single-choice']}": "no"})
    assert response.headers["Location"].endswith(f"/preview/en/{long_page}")
    assert db.session.scalar(select(func.count(Response.id))) == 0
    # publish: version 1 frozen, draft gone
    response = _post(client, f"{BASE}/draft/publish", {})
    assert response.status_code == 303
    version = db.session.scalar(select(SurveyVersion))
    assert version.number == 1 and version.published_at is not None
    start = check_page(client.get("/s/park-2027/")).get_text()
    assert "Lawful basis: Public task (UK GDPR Article 6(1)(e))" in start
    assert "You do not need to give your name." in start
    # a response to version 1
    token = csrf_token(client, "/s/park-2027/")
    client.post("/s/park-2027/start", data={"csrf_token": token})
    assert db.session.scalar(select(Response.survey_version_id)) == version.id
    # editing makes a new draft; publishing it makes version 2; the response keeps version 1
    _post(client, f"{BASE}/draft", {})
    _add_question(client, "short-text", "Anything else")
    _post(client, f"{BASE}/draft/publish", {})
    numbers = db.session.scalars(select(SurveyVersion.number).order_by(SurveyVersion.number))
    assert list(numbers) == [1, 2]
    first = db.session.get(SurveyVersion, version.id)
    db.session.refresh(first)
    assert "anything-else" not in json.dumps(first.definition)
    assert db.session.scalar(select(Response.survey_version_id)) == version.id


def test_move_delete_section_and_details(app: Flask, client: FlaskClient) -> None:
    _officer(client)
    _create(client)
    a = _add_question(client, "short-text", "First")
    b = _add_question(client, "short-text", "Second")
    check_page(client.get(f"{BASE}/draft/sections/new"))
    response = _post(client, f"{BASE}/draft/sections/new", {"title-en": "More"})
    assert response.status_code == 303
    check_page(client.get(f"{BASE}/draft/sections/section-1"))
    _post(client, f"{BASE}/draft/sections/section-1", {"title-en": "Start", "title-bn": "শুরু"})
    assert _definition()["sections"][0]["title"] == {"en": "Start", "bn": "শুরু"}
    pages = [p["id"] for p in _definition()["sections"][0]["pages"]]
    _post(client, f"{BASE}/draft/move", {"kind": "page", "id": pages[1], "direction": "up"})
    assert [p["questions"][0]["id"] for p in _definition()["sections"][0]["pages"]] == [b, a]
    response = _post(client, f"{BASE}/draft/move", {"kind": "page", "id": pages[1],
                                                    "direction": "up"}, follow=True)
    assert "That is already the first one" in response.get_data(as_text=True)
    for bad in ({"kind": "page", "id": pages[1], "direction": "sideways"},
                {"kind": "answer", "id": pages[1], "direction": "up"}):
        assert _post(client, f"{BASE}/draft/move", bad).status_code == 400
    assert _post(client, f"{BASE}/draft/delete", {"kind": "answer", "id": a}).status_code == 400
    assert client.get(f"{BASE}/draft/delete?kind=answer&id={a}").status_code == 404
    soup = check_page(client.get(f"{BASE}/draft/delete?kind=question&id={a}"))
    assert "Are you sure you want to delete the question “First”?" in soup.get_text()
    assert client.get(f"{BASE}/draft/delete?kind=question&id=nope").status_code == 404
    _post(client, f"{BASE}/draft/delete", {"kind": "question", "id": a})
    assert len(_definition()["sections"][0]["pages"]) == 1
    check_page(client.get(f"{BASE}/draft/details"))
    _post(client, f"{BASE}/draft/details", {"title-en": "Parks survey", "languages": "bn",
                                            "estimated_minutes": "5", "layout": "grouped",
                                            "max_questions_per_page": "3"})
    assert _definition()["settings"] == {"layout": "grouped", "max_questions_per_page": 3}
    response = _post(client, f"{BASE}/draft/details", {"title-en": "  ", "title-bn": "পার্ক",
                                                       "estimated_minutes": "lots",
                                                       "max_questions_per_page": "99"})
    soup = check_page(response)
    assert error_summary(soup) == ["Enter the title in the main language",
                                   "Enter a whole number", "Enter a whole number"]
    assert soup.select_one("#estimated_minutes")["value"] == "lots"  # kept as typed
    assert soup.select_one("#title-bn")["value"] == "পার্ক"
    assert _definition()["settings"] == {"layout": "grouped", "max_questions_per_page": 3}
    page_id = _definition()["sections"][0]["pages"][0]["id"]
    check_page(client.get(f"{BASE}/draft/pages/{page_id}"))
    _post(client, f"{BASE}/draft/pages/{page_id}", {"title-en": "Your visit"})
    check_page(client.get(f"{BASE}/draft/pages/{page_id}/when"))
    check_page(client.get(f"{BASE}/draft/questions/new?page={page_id}"))
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"survey.draft.move", "survey.draft.delete", "survey.draft.details",
            "survey.draft.section.add", "survey.draft.page.edit"} <= actions


def test_settings_dates_close_and_closed_page(app: Flask, client: FlaskClient) -> None:
    from engage.demo.surveys import demo_definition
    from engage.services.platform import results_policy

    _officer(client)
    data = json.dumps({**demo_definition(), "id": "park-2027"}).encode()
    response = client.post("/staff/surveys/import", data={
        "csrf_token": csrf_token(client, "/staff/surveys/import"),
        "definition": (io.BytesIO(data), "park.json")}, content_type="multipart/form-data")
    assert response.status_code == 303
    check_page(client.get(f"{BASE}/settings"))
    response = _post(client, f"{BASE}/settings", {"retention_days": "0"})
    assert "Select the lawful basis" in error_summary(check_page(response, 400))
    _fill_settings(client)
    survey = db.session.scalar(select(Survey).where(Survey.slug == "park-2027"))
    assert survey.results_organisations == ["Health Trust", "Police"]
    partner = make_user("p@example.org", role="partner_viewer")
    partner.organisation = "Police"
    analyst = make_user("a@example.org", role="analyst")
    group = make_user("g@example.org", role="group_member")
    db.session.commit()
    assert results_policy.may_see_results(partner, survey)
    assert results_policy.may_see_results(analyst, survey)
    assert not results_policy.may_see_results(group, survey)
    _post(client, f"{BASE}/settings", {
        "lawful_basis": "consent", "privacy_notice": "We keep answers for 2 years.",
        "retention_days": "365", "anonymous": "no", "results_roles": ["analyst"],
        "results_organisations": "Health Trust\nPolice"})
    _post(client, f"{BASE}/draft/publish", {})
    start = check_page(client.get("/s/park-2027/")).get_text()
    assert "This survey is not anonymous" in start and "Consent (UK GDPR" in start
    soup = check_page(client.get(f"{BASE}/build"))
    assert "Edit the survey as a new draft" in soup.get_text()
    check_page(client.get(f"{BASE}/dates"))
    # without a draft only who sees the results can change; the privacy settings are frozen
    soup = check_page(client.get(f"{BASE}/settings"))
    assert soup.select_one("#lawful_basis") is None
    _post(client, f"{BASE}/settings", {"results_roles": ["group_member"],
                                       "lawful_basis": "consent"})
    db.session.refresh(survey)
    assert survey.results_roles == ["group_member"] and survey.results_organisations == []
    assert db.session.scalar(select(SurveyVersion.lawful_basis)) == "consent"
    assert results_policy.may_see_results(group, survey)
    response = _post(client, f"{BASE}/dates", {"opens-day": "1", "opens-month": "6",
                                               "opens-year": "2027", "closes-day": "1",
                                               "closes-month": "5", "closes-year": "2027"})
    assert "The closing date must be after the opening date" in error_summary(
        check_page(response, 400))
    response = _post(client, f"{BASE}/dates", {"opens-day": "31", "opens-month": "2",
                                               "opens-year": "2027", "closes-day": "1",
                                               "closes-year": "12"})
    soup = check_page(response, 400)
    assert error_summary(soup) == ["Enter a real date", "Enter a real date"]
    assert soup.select_one("#opens-day")["value"] == "31"  # what was typed is kept
    assert soup.select_one("#closes-year")["value"] == "12"
    response = _post(client, f"{BASE}/dates", {"opens-day": "1", "opens-month": "6",
                                               "opens-year": "2036"})
    assert response.status_code == 303
    soup = check_page(client.get("/s/park-2027/"))
    assert "This survey is not open yet." in soup.get_text()
    assert "You can answer it from 1 June 2036." in soup.get_text()
    assert "From 1 June 2036" in check_page(client.get(f"{BASE}/build")).get_text()
    response = _post(client, f"{BASE}/dates", {"closes-day": "30", "closes-month": "6",
                                               "closes-year": "2026"})
    assert response.status_code == 303, response.data[-3000:]
    soup = check_page(client.get("/s/park-2027/"))
    assert "It closed on 30 June 2026." in soup.get_text()
    # What was entered, not the stored first closed moment ("closes 1 July 2026, 00:00").
    assert "closes at 11:59pm on 30 June 2026" in check_page(
        client.get(f"{BASE}/build")).get_text()
    assert "৩০ জুন ২০২৬ রাত্রি ১১:৫৯-এ বন্ধ হবে" in check_page(
        client.get(f"{BASE}/build?lang=bn")).get_text()
    client.get(f"{BASE}/build?lang=en")
    # Bengali digits are read as the same date; the form shows the day entered.
    response = _post(client, f"{BASE}/dates", {"closes-day": "৩১", "closes-month": "৩",
                                               "closes-year": "২০২৭"})
    assert response.status_code == 303
    assert "closes at 11:59pm on 31 March 2027" in check_page(
        client.get(f"{BASE}/build")).get_text()
    dates = check_page(client.get(f"{BASE}/dates"))
    assert dates.select_one("#closes-day")["value"] == "31"
    _post(client, f"{BASE}/dates", {})
    assert client.get("/s/park-2027/").status_code == 200
    assert "This survey is closed" not in check_page(client.get("/s/park-2027/")).get_text()
    _post(client, f"{BASE}/close", {"confirm": "yes"})
    soup = check_page(client.get("/s/park-2027/"))
    assert "This survey is closed" in soup.get_text()
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "survey.close")) == 1


def test_refused_edits_and_imports_show_their_messages(app: Flask, client: FlaskClient) -> None:
    """Each code the builder maps to a message (not_found, last_section, draft_exists) shows
    that message, not the general one."""
    from engage.demo.surveys import demo_definition

    _officer(client)
    _create(client)
    response = _post(client, f"{BASE}/draft/delete", {"kind": "question", "id": "nope"},
                     follow=True)
    assert "That item no longer exists" in response.get_data(as_text=True)
    response = _post(client, f"{BASE}/draft/delete", {"kind": "section", "id": "section-1"},
                     follow=True)
    assert "A survey needs at least one section" in response.get_data(as_text=True)
    assert [s["id"] for s in _definition()["sections"]] == ["section-1"]
    data = json.dumps({**demo_definition(), "id": "park-2027"}).encode()
    response = client.post("/staff/surveys/import", data={
        "csrf_token": csrf_token(client, "/staff/surveys/import"),
        "definition": (io.BytesIO(data), "park.json")}, content_type="multipart/form-data")
    assert error_summary(check_page(response, 400)) == [
        "That survey already has a draft: publish or discard it before importing"]


def test_import_lists_every_problem_and_saves_nothing(app: Flask, client: FlaskClient) -> None:
    _officer(client)
    bad = {"id": "x", "title": {"en": "X"}, "language": "en", "languages": ["en"],
           "sections": [{"id": "s", "title": {"en": "S"}, "pages": [
               {"id": "p", "questions": [{"id": "q", "type": "single-choice",
                                          "title": {"en": "<script>alert(1)</script>"},
                                          "options": [{"id": "a", "text": {"en": "A"}}]},
                                         {"id": "q", "type": "nonsense", "title": {}}]}]}]}
    token = csrf_token(client, "/staff/surveys/import")
    response = client.post("/staff/surveys/import", data={
        "csrf_token": token, "definition": (io.BytesIO(json.dumps(bad).encode()), "x.json")},
        content_type="multipart/form-data")
    soup = check_page(response, 400)
    assert len(soup.select("tbody tr")) >= 2
    assert "<script>" not in response.get_data(as_text=True).split("<main")[1].replace(
        "&lt;script&gt;", "")
    assert db.session.scalar(select(func.count(Survey.id))) == 0
    response = client.post("/staff/surveys/import", data={
        "csrf_token": token, "definition": (io.BytesIO(b"{" * 10), "x.json")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    big = b" " * (300 * 1024)
    response = client.post("/staff/surveys/import", data={
        "csrf_token": token, "definition": (io.BytesIO(big), "x.json")},
        content_type="multipart/form-data")
    assert "The file must be smaller than 256 KB" in error_summary(check_page(response, 400))
    response = client.post("/staff/surveys/import", data={
        "definition": (io.BytesIO(b"{}"), "x.json")}, content_type="multipart/form-data")
    assert response.status_code == 400  # no CSRF token
    assert db.session.scalar(select(func.count(Survey.id))) == 0


def test_export_round_trips(app: Flask, client: FlaskClient) -> None:
    _officer(client)
    _create(client)
    response = client.get(f"{BASE}/definition.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert json.loads(response.data)["id"] == "park-2027"
    check_page(client.get(f"{BASE}/draft/discard"))
    assert db.session.scalar(select(func.count(Survey.id))) == 1
    _post(client, f"{BASE}/draft/discard", {})
    assert db.session.scalar(select(func.count(Survey.id))) == 0


def test_builder_refuses_other_roles(app: Flask, client: FlaskClient) -> None:
    make_user("analyst@example.org", role="analyst")
    sign_in(client, "analyst@example.org")
    for path in ("/staff/surveys/new", "/staff/surveys/import", f"{BASE}/build",
                 f"{BASE}/settings", f"{BASE}/draft/preview"):
        assert client.get(path).status_code == 403, path


def test_rule_and_skip_rule_removed_and_preview_to_the_end(app: Flask,
                                                           client: FlaskClient) -> None:
    _officer(client)
    _create(client)
    first = _add_question(client, "single-choice", "Visit")
    _post(client, f"{BASE}/draft/questions/{first}", {
        "title-en": "Visit", "title-bn": "যান", "option-count": "2", "option-0-en": "Yes",
        "option-1-en": "No", "action": "save"})
    second = _add_question(client, "short-text", "Why")
    pages = [p["id"] for p in _definition()["sections"][0]["pages"]]
    _post(client, f"{BASE}/draft/pages/{pages[0]}/rules/new", {
        "cond-0-question": first, "cond-0-operator": "answered", "go_to": "end"})
    assert _definition()["sections"][0]["pages"][0]["routing"][0]["go_to"] == {"end": True}
    response = _post(client, f"{BASE}/draft/pages/{pages[0]}/rules/0/delete", {})
    assert response.status_code == 303
    assert "routing" not in _definition()["sections"][0]["pages"][0]
    assert _post(client, f"{BASE}/draft/pages/{pages[0]}/rules/5/delete", {}).status_code == 404
    _post(client, f"{BASE}/draft/pages/{pages[1]}/when", {
        "cond-0-question": first, "cond-0-operator": "equals", "cond-0-value": "yes"})
    soup = check_page(client.get(f"{BASE}/draft/pages/{pages[1]}/when"))
    assert soup.select_one("#cond-0-question option[selected]")["value"] == first
    _post(client, f"{BASE}/draft/pages/{pages[1]}/when", {"action": "remove"})
    assert "when" not in _definition()["sections"][0]["pages"][1]
    # a rule too complex for the rows (imported) is flagged before it is replaced
    from engage.services.collect import drafts
    from surveys import editing_rules

    survey = db.session.scalar(select(Survey).where(Survey.slug == "park-2027"))
    drafts.change_definition(None, survey.draft, lambda d: editing_rules.set_when(
        d, "page", pages[1], {"op": "not", "condition": {"op": "answered", "question": first}}),
        "test")
    soup = check_page(client.get(f"{BASE}/draft/pages/{pages[1]}/when"))
    assert "This rule is more complex than this page can show" in soup.get_text()
    _post(client, f"{BASE}/draft/pages/{pages[1]}/when", {"action": "remove"})
    # a question's own skip rule
    when_path = f"{BASE}/draft/questions/{second}/when"
    check_page(client.get(when_path))
    response = _post(client, when_path, {"cond-0-question": second, "cond-0-operator":
                                         "answered"})
    assert "Select a question" in error_summary(check_page(response, 400))  # not earlier
    _post(client, when_path, {"cond-0-question": first, "cond-0-operator": "not-equals",
                              "cond-0-value": "no"})
    assert _definition()["sections"][0]["pages"][1]["questions"][0]["when"] == {
        "op": "not-equals", "question": first, "value": "no"}
    _post(client, f"{BASE}/draft/questions/{second}", {"title-en": "Why not", "action": "save"})
    assert "when" in _definition()["sections"][0]["pages"][1]["questions"][0]
    _post(client, when_path, {"action": "remove"})
    assert "when" not in _definition()["sections"][0]["pages"][1]["questions"][0]
    # preview to the end: nothing stored, answers shown as the resident would check them
    _post(client, f"{BASE}/draft/preview/en/{pages[0]}", {f"q-{first}": "yes"})
    response = _post(client, f"{BASE}/draft/preview/en/{pages[1]}", {f"q-{second}": "Shade"})
    assert response.headers["Location"].endswith("/draft/preview/en/end")
    soup = check_page(client.get(f"{BASE}/draft/preview/en/end"))
    assert "Shade" in soup.get_text() and "Yes" in soup.get_text()
    assert client.get(f"{BASE}/draft/preview/fr/{pages[0]}").status_code == 404
    assert db.session.scalar(select(func.count(Response.id))) == 0
    # the published definition is exported as it was published
    _fill_settings(client)
    _post(client, f"{BASE}/draft/publish", {})
    _post(client, f"{BASE}/draft", {})
    _add_question(client, "number", "How many")
    published = json.loads(client.get(f"{BASE}/definition.json?version=published").data)
    draft = json.loads(client.get(f"{BASE}/definition.json").data)
    assert "how-many" not in json.dumps(published) and "how-many" in json.dumps(draft)


def test_publish_lists_every_problem_in_words_with_a_link_to_fix_it(
        app: Flask, client: FlaskClient) -> None:
    _officer(client)
    _create(client)
    choice = _add_question(client, "single-choice", "Which park")
    grid = _add_question(client, "grid", "Statements")
    _post(client, f"{BASE}/draft/sections/new", {"title-en": "Empty part"})
    soup = check_page(client.get(f"{BASE}/draft/publish"))
    found = {a.get_text(strip=True): a["href"]
             for a in soup.select(".govuk-error-summary a")}
    assert len(found) == 5, found
    assert "Add at least 2 options to “Which park”" in found
    assert found["Add at least 2 options to “Which park”"] == f"{BASE}/draft/questions/{choice}"
    assert found["Add at least 1 statement to “Statements”"] == f"{BASE}/draft/questions/{grid}"
    assert found["Add a question to the section “Empty part”"] == \
        f"{BASE}/draft/sections/empty-part"
    assert found["Select the lawful basis"] == f"{BASE}/settings"
    assert found["Enter the privacy notice"] == f"{BASE}/settings"
    assert soup.title.get_text().startswith("Error:")


def test_translations_page_fills_missing_bengali(app: Flask, client: FlaskClient) -> None:
    _officer(client)
    response = _post(client, "/staff/surveys/new", {"slug": "park-2027", "title-en": "Parks",
                                                    "languages": "bn"})
    assert response.status_code == 303
    path = f"{BASE}/draft/translations/bn"
    soup = check_page(client.get(path))
    assert "Texts without a translation: 2" in soup.get_text()
    assert "Missing: 2" in check_page(client.get(f"{BASE}/build")).get_text()
    fields = {t["name"]: t.get("value", "") for t in soup.select("input[type=hidden]")}
    response = _post(client, path, {**{k: v for k, v in fields.items() if k.startswith("p-")},
                                    "t-0": "পার্ক", "t-1": "পার্ক অংশ"})
    assert response.status_code == 303
    assert _definition()["title"] == {"en": "Parks", "bn": "পার্ক"}
    assert _definition()["sections"][0]["title"]["bn"] == "পার্ক অংশ"
    assert "Every text has a translation." in check_page(client.get(path)).get_text()
    check_page(client.get(path + "?show=all"))
    assert client.get(f"{BASE}/draft/translations/en").status_code == 404
