"""Interviewer mode, paper keying and second keying (issue 6): services and every route."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

import surveys as surveys_engine
from engage.extensions import db
from engage.models import AuditEvent, FreeTextAnswer, InterviewerTarget, PaperRekey, Response
from engage.services.collect import channels, paper
from engage.services.collect.published_surveys import publish_definition, published_survey
from tests.engage.test_runner import DEFINITION, SLUG
from tests.pages import check_page, error_summary, make_user, sign_in

INTERVIEWER = "int@example.org"
OFFICER = "officer@example.org"


@pytest.fixture
def survey(app: Flask) -> Any:
    publish_definition(DEFINITION, lawful_basis="Public task", privacy_notice="We keep it 1 year")
    return published_survey(SLUG)


def _token(client: FlaskClient, url: str) -> str:
    soup = check_page(client.get(url))
    return str(soup.find("input", attrs={"name": "csrf_token"})["value"])


def _post(client: FlaskClient, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data={"csrf_token": _token(client, url), **data})


def _interviewer(client: FlaskClient, email: str = INTERVIEWER) -> Any:
    user = make_user(email, "interviewer")
    sign_in(client, email)
    return user


def _actions() -> list[str]:
    found = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id))
    return [a for a in found if a.startswith(("interview.", "paper."))]


SETUP = {"language": "bn", "channel": "face_to_face", "batch": "Week 1", "proxy": "yes",
         "consent": "yes"}


# Interviewer mode ---------------------------------------------------------------------------


def test_interviewer_runs_an_interview_with_the_runner(client: FlaskClient, survey: Any) -> None:
    me = _interviewer(client)
    home = check_page(client.get("/staff/interviews"))
    assert "Library survey" in home.get_text()
    setup = check_page(client.get(f"/staff/interviews/{SLUG}/new"))
    # The consent statement is shown in every language of the survey.
    assert setup.select_one('.govuk-inset-text[lang="bn"]') is not None
    assert [label.get_text(strip=True) for label in setup.select(
        'label[for^="channel"]')] == ["Face to face", "Phone"]
    started = _post(client, f"/staff/interviews/{SLUG}/new", SETUP)
    assert started.status_code == 303
    response = db.session.scalar(select(Response))
    assert response is not None
    assert (response.channel, response.language, response.interviewer_id, response.proxy,
            response.batch) == ("face_to_face", "bn", me.id, True, "Week 1")
    assert response.consent_recorded_at is not None and response.entered_by_id == me.id
    base = f"/staff/interviews/{SLUG}/{response.id}"
    assert started.headers["Location"] == f"{base}/q/use"
    # An interview not yet sent can be picked up again from the interviews page.
    unsent = check_page(client.get("/staff/interviews"))
    assert unsent.select_one(f'a[href="{base}/"]') is not None
    # The question shows in the interview language, the page chrome in the interviewer's.
    page = check_page(client.get(f"{base}/q/use"))
    assert "আপনি কি লাইব্রেরি ব্যবহার করেন?" in page.get_text()
    assert page.select_one('div[lang="bn"]') is not None
    # Same validation as online: nothing chosen is an error, nothing saved; the page is shown
    # again by a GET (post/redirect/get), so the browser's Back never resubmits a form.
    refused = _post(client, f"{base}/q/use", {})
    assert refused.status_code == 303 and refused.headers["Location"] == f"{base}/q/use"
    assert error_summary(check_page(client.get(f"{base}/q/use")))
    assert _post(client, f"{base}/q/use", {"q-use": "yes"}).headers["Location"] == \
        f"{base}/q/often"
    too_many = _post(client, f"{base}/q/often", {"q-often": "99"})
    assert too_many.headers["Location"] == f"{base}/q/often"
    shown = check_page(client.get(too_many.headers["Location"]))
    assert error_summary(shown) and shown.select_one('[name="q-often"]')["value"] == "99"
    assert _post(client, f"{base}/q/often", {"q-often": "4"}).status_code == 303
    assert _post(client, f"{base}/q/improve", {"q-improve": "More books"}).headers[
        "Location"] == f"{base}/check"
    check = check_page(client.get(f"{base}/check"))
    assert "More books" in check.get_text()
    overview = check_page(client.get(f"{base}/"))
    assert "Week 1" in overview.get_text()
    sent = client.post(f"{base}/submit", data={"csrf_token": _token(client, f"{base}/check")})
    assert sent.headers["Location"] == f"{base}/done"
    done = check_page(client.get(f"{base}/done"))
    db.session.expire_all()
    stored = db.session.get(Response, response.id)
    assert stored is not None and stored.status == "submitted"
    assert stored.reference in done.get_text()
    assert "Start the next interview" in done.get_text()
    text = db.session.scalar(select(FreeTextAnswer))
    assert text is not None and text.channel == "face_to_face" and text.language == "bn"
    # A second press lands on the same confirmation; nothing more is stored.
    again = client.post(f"{base}/submit", data={"csrf_token": _token(client, f"{base}/done")})
    assert again.headers["Location"] == f"{base}/done"
    assert db.session.scalar(select(func.count(Response.id))) == 1
    assert _actions() == ["interview.started", "interview.submitted"]
    # The next interview keeps language, channel and batch.
    following = check_page(client.get(f"/staff/interviews/{SLUG}/new"))
    assert following.select_one('input[name="batch"]')["value"] == "Week 1"
    assert following.select_one('input[name="language"][value="bn"]').has_attr("checked")


def test_no_consent_no_interview(client: FlaskClient, survey: Any) -> None:
    _interviewer(client)
    answer = _post(client, f"/staff/interviews/{SLUG}/new", {**SETUP, "consent": "no"})
    assert answer.headers["Location"].endswith(f"/staff/interviews/{SLUG}/refused")
    assert "no answers were saved" in check_page(client.get(answer.headers["Location"])).get_text()
    assert db.session.scalar(select(func.count(Response.id))) == 0
    assert _actions() == ["interview.consent_refused"]


def test_interview_setup_errors_keep_what_was_typed(client: FlaskClient, survey: Any) -> None:
    _interviewer(client)
    answer = _post(client, f"/staff/interviews/{SLUG}/new", {"batch": "Shadwell"})
    # Shown again by a GET (post/redirect/get): Back never asks to resubmit the form.
    assert answer.status_code == 303
    assert answer.headers["Location"] == f"/staff/interviews/{SLUG}/new"
    soup = check_page(client.get(answer.headers["Location"]))
    assert error_summary(soup) == [
        "Select the language of the interview", "Select how the interview is done",
        "Select yes if someone is answering for the resident",
        "Select yes if the resident agrees to take part"]
    assert soup.select_one('input[name="batch"]')["value"] == "Shadwell"
    assert soup.title is not None and soup.title.get_text().startswith("Error: Start an interview")
    assert db.session.scalar(select(func.count(Response.id))) == 0
    # Shown once: the next visit is a fresh form.
    assert not error_summary(check_page(client.get(f"/staff/interviews/{SLUG}/new")))


def test_interview_page_errors_keep_what_was_typed_after_the_redirect(
        client: FlaskClient, survey: Any) -> None:
    _interviewer(client)
    started = _post(client, f"/staff/interviews/{SLUG}/new", SETUP)
    response = db.session.scalar(select(Response))
    assert response is not None
    base = f"/staff/interviews/{SLUG}/{response.id}"
    assert _post(client, started.headers["Location"], {"q-use": "yes"}).status_code == 303
    bad = _post(client, f"{base}/q/often", {"q-often": "99"})
    assert bad.status_code == 303 and bad.headers["Location"] == f"{base}/q/often"
    db.session.expire_all()
    kept = db.session.get(Response, response.id)
    assert kept is not None and kept.draft is not None
    assert kept.draft["page"] == "often" and kept.draft["form"] == {"q-often": ["99"]}
    assert "often" not in (kept.answers or {})  # kept as typed, never as an answer
    # The page shown again, as often as asked (a reload or Back), with the typed value and
    # the messages; the error title as on the resident's pages.
    for _ in range(2):
        soup = check_page(client.get(f"{base}/q/often"))
        assert error_summary(soup)
        assert soup.select_one('[name="q-often"]')["value"] == "99"
        assert soup.title is not None and soup.title.get_text().startswith("Error:")
    # Corrected: saved, the draft gone, and the page shows the answer without messages.
    assert _post(client, f"{base}/q/often", {"q-often": "4"}).status_code == 303
    db.session.expire_all()
    kept = db.session.get(Response, response.id)
    assert kept is not None and kept.draft is None and kept.answers["often"] == 4
    again = check_page(client.get(f"{base}/q/often"))
    assert not error_summary(again) and again.select_one('[name="q-often"]')["value"] == "4"


def test_interviewers_only_reach_their_own_interviews(app: Flask, client: FlaskClient,
                                                      survey: Any) -> None:
    _interviewer(client)
    _post(client, f"/staff/interviews/{SLUG}/new", SETUP)
    response_id = db.session.scalar(select(Response.id))
    other = app.test_client()
    _interviewer(other, "other@example.org")
    assert other.get(f"/staff/interviews/{SLUG}/{response_id}/q/use").status_code == 404
    assert other.get(f"/staff/interviews/{SLUG}/{response_id}/").status_code == 404
    assert other.get(f"/staff/interviews/{SLUG}/{response_id}/check").status_code == 404
    assert other.get(f"/staff/interviews/{SLUG}/{response_id}/done").status_code == 404


def test_residents_and_other_roles_cannot_interview(app: Flask, client: FlaskClient,
                                                    survey: Any) -> None:
    make_user("analyst@example.org", "analyst")
    sign_in(client, "analyst@example.org")
    assert client.get("/staff/interviews").status_code == 403
    assert client.get(f"/staff/interviews/{SLUG}/new").status_code == 403
    assert client.get(f"/staff/paper/{SLUG}").status_code == 403


def test_targets_set_by_an_officer_and_seen_by_the_interviewer(
        app: Flask, client: FlaskClient, survey: Any) -> None:
    me = _interviewer(client)
    officer = app.test_client()
    make_user(OFFICER, "engagement_officer")
    sign_in(officer, OFFICER)
    url = f"/staff/interviews/{SLUG}/targets"
    assert client.get(url).status_code == 403  # interviewers cannot set targets
    bad = _post(officer, url, {f"target-{me.id}": "lots"})
    assert error_summary(check_page(bad, 400)) == [
        "Target for int must be a whole number, like 40"]
    bad = _post(officer, url, {f"target-{me.id}": "4²"})  # a digit that is not a number
    assert error_summary(check_page(bad, 400)) == [
        "Target for int must be a whole number, like 40"]
    assert check_page(bad, 400).select_one(f"#target-{me.id}")["value"] == "4²"
    assert _post(officer, url, {f"target-{me.id}": "40"}).status_code == 303
    target = db.session.scalar(select(InterviewerTarget))
    assert target is not None and target.target == 40
    assert "interview.targets_set" in _actions()
    # One complete interview, then the interviewer sees 1 of 40.
    published = published_survey(SLUG)
    response_id = channels.start_interview(published, interviewer=me, language="en",
                                           channel="phone", proxy=False, batch="")
    from engage.services.collect import responses

    responses.save_page(response_id, "use", {"use": "no"}, "en")
    responses.save_page(response_id, "improve", {"improve": None}, "en")
    responses.submit(response_id, published)
    mine = check_page(client.get("/staff/interviews")).get_text(" ", strip=True)
    assert "You have completed 1 of your target of 40 interviews for this survey." in mine
    assert "1 completed so far" in check_page(officer.get(url)).get_text()
    # Clearing the box removes the target.
    assert _post(officer, url, {f"target-{me.id}": ""}).status_code == 303
    assert db.session.scalar(select(func.count(InterviewerTarget.id))) == 0


def test_closed_or_unknown_surveys_have_no_interviews(client: FlaskClient, app: Flask) -> None:
    _interviewer(client)
    assert client.get("/staff/interviews/nope/new").status_code == 404


# Paper keying -------------------------------------------------------------------------------


SHEET = {"batch": "Library box 1", "sheet_number": "17", "language": "en", "q-use": "yes",
         "q-often": "3", "q-improve": "Longer hours"}


def _keyer(client: FlaskClient, email: str = OFFICER, role: str = "engagement_officer") -> Any:
    user = make_user(email, role)
    sign_in(client, email)
    return user


def test_paper_sheet_keyed_then_form_comes_back_empty(client: FlaskClient, survey: Any) -> None:
    me = _keyer(client)
    assert "Library survey" in check_page(client.get("/staff/paper")).get_text()
    form = check_page(client.get(f"/staff/paper/{SLUG}"))
    # Every question of the survey is on the one page, in order.
    names = [i["name"] for i in form.select("input, textarea") if i.get("name", "")
             .startswith("q-")]
    assert names[0] == "q-use" and "q-often" in names and names[-1] == "q-improve"
    saved = _post(client, f"/staff/paper/{SLUG}", SHEET)
    assert saved.status_code == 303
    again = check_page(client.get(saved.headers["Location"]))
    assert "Sheet 17 saved with reference" in again.get_text()
    assert again.select_one('input[name="batch"]')["value"] == "Library box 1"
    assert again.select_one('input[name="sheet_number"]').get("value", "") == ""
    assert again.select_one('textarea[name="q-improve"]').get_text() == ""
    response = db.session.scalar(select(Response))
    assert response is not None
    assert (response.channel, response.status, response.batch, response.sheet_number,
            response.entered_by_id, response.interviewer_id) == (
        "paper", "submitted", "Library box 1", "17", me.id, None)
    assert response.answers == {"use": "yes", "often": 3, "improve": "Longer hours"}
    assert response.reference
    assert db.session.scalar(select(FreeTextAnswer.channel)) == "paper"
    assert _actions() == ["paper.keyed"]


def test_paper_routing_drops_skipped_answers(client: FlaskClient, survey: Any) -> None:
    _keyer(client)
    saved = _post(client, f"/staff/paper/{SLUG}", {**SHEET, "q-use": "no", "q-often": "9"})
    assert saved.status_code == 303
    assert db.session.scalar(select(Response.answers)) == {"use": "no",
                                                            "improve": "Longer hours"}


def test_paper_sheet_with_errors_saves_nothing(client: FlaskClient, survey: Any) -> None:
    _keyer(client)
    answer = _post(client, f"/staff/paper/{SLUG}", {**SHEET, "batch": "", "sheet_number": "",
                                                    "q-use": "", "q-often": "40"})
    soup = check_page(answer, 400)
    messages = error_summary(soup)
    assert messages[:2] == ["Enter the batch", "Enter the sheet number"]
    # The engine's own messages, along the routing the answers given take (a blank box is
    # "not answered" on paper, never an error; what is written is still checked).
    assert messages[2:] == ["Enter a number between 0 and 31"]
    assert soup.select_one('textarea[name="q-improve"]').get_text() == "Longer hours"
    assert db.session.scalar(select(func.count(Response.id))) == 0
    assert _actions() == []


def test_a_sheet_with_required_questions_left_blank_is_keyed_as_not_answered(
        client: FlaskClient, survey: Any) -> None:
    _keyer(client)
    blank = {"batch": "Library box 1", "sheet_number": "18", "language": "en",
             "q-use": "", "q-often": "", "q-improve": ""}
    saved = _post(client, f"/staff/paper/{SLUG}", blank)
    assert saved.status_code == 303
    response = db.session.scalar(select(Response))
    assert response is not None and response.status == "submitted"
    assert response.answers == {"use": None, "often": None, "improve": None}
    assert db.session.scalar(select(func.count(FreeTextAnswer.id))) == 0
    # the same blanks online are still refused: only paper accepts "not answered"
    definition = published_survey(SLUG).definition
    online = surveys_engine.validate_page(definition, "use", {"q-use": [""]}, "en", {})
    assert [e.text for e in online.errors] == ["Select whether you use the library"]
    # and the second keying of such a sheet agrees with the first
    second = paper.validate_sheet(definition, {"q-use": [""]}, "en")
    assert second.ok and second.answers == response.answers


def test_duplicate_sheet_in_a_batch_is_refused(client: FlaskClient, survey: Any) -> None:
    _keyer(client)
    assert _post(client, f"/staff/paper/{SLUG}", SHEET).status_code == 303
    again = _post(client, f"/staff/paper/{SLUG}", {**SHEET, "sheet_number": " 17 "})
    assert error_summary(check_page(again, 400)) == [
        "Sheet 17 is already keyed in batch Library box 1"]
    assert _post(client, f"/staff/paper/{SLUG}",
                 {**SHEET, "batch": "Library box 2"}).status_code == 303
    assert db.session.scalar(select(func.count(Response.id))) == 2


def test_record_paper_refuses_a_duplicate_race(app: Flask, survey: Any) -> None:
    me = make_user(OFFICER)
    published = published_survey(SLUG)
    answers = {"use": "no", "improve": None}
    paper.record_paper(published, answers, language="en", batch="B", sheet_number="1",
                          keyed_by=me)
    with pytest.raises(paper.DuplicateSheet):
        paper.record_paper(published, answers, language="en", batch="B ", sheet_number="1",
                              keyed_by=me)


def test_second_keying_and_disagreements(app: Flask, client: FlaskClient, survey: Any) -> None:
    first = _keyer(client)
    client.get(_post(client, f"/staff/paper/{SLUG}", SHEET).headers["Location"])
    response_id = db.session.scalar(select(Response.id))
    # The first keyer may not key the same sheet again.
    refused = client.get(f"/staff/paper/{SLUG}/second/{response_id}")
    assert refused.status_code == 303
    assert "Someone else must key it again" in check_page(
        client.get(refused.headers["Location"])).get_text()
    second = app.test_client()
    _keyer(second, INTERVIEWER, "interviewer")
    pick = check_page(second.get(f"/staff/paper/{SLUG}/second"))
    assert pick.select_one('input[name="sheet_number"]') is not None
    missing = second.get(f"/staff/paper/{SLUG}/second?batch=Library+box+1&sheet_number=99")
    assert error_summary(check_page(missing, 400)) == [
        "There is no sheet 99 in batch Library box 1"]
    found = second.get(f"/staff/paper/{SLUG}/second?batch=Library+box+1&sheet_number=17")
    url = f"/staff/paper/{SLUG}/second/{response_id}"
    assert found.headers["Location"] == url
    blind = check_page(second.get(url))
    assert "Longer hours" not in blind.get_text()  # the first keying is not shown
    bad = _post(second, url, {"q-use": "yes", "q-often": "-1", "q-improve": "x"})
    assert bad.status_code == 400
    assert db.session.scalar(select(func.count(PaperRekey.id))) == 0
    saved = _post(second, url, {"q-use": "yes", "q-often": "8", "q-improve": "Longer  hours"})
    assert saved.status_code == 303
    assert "Second keying of sheet 17 saved" in check_page(
        second.get(saved.headers["Location"])).get_text()
    assert db.session.scalar(select(func.count(Response.id))) == 1  # not a second response
    assert second.get(url).status_code == 303  # already keyed twice
    assert _actions() == ["paper.keyed", "paper.rekeyed"]
    report = check_page(client.get(f"/staff/paper/{SLUG}/disagreements"))
    text = report.get_text(" ", strip=True)
    assert "1 sheets keyed twice; 1 with at least one disagreement." in text
    rows = [[td.get_text(strip=True) for td in tr.select("td")]
            for tr in report.select("table")[0].select("tbody tr")]
    assert rows == [["How many times a month do you go?", "1"]]
    detail = [[td.get_text(strip=True) for td in tr.select("td")]
              for tr in report.select("table")[1].select("tbody tr")]
    assert detail == [["Library box 1", "17", "often", "3", "8"]]
    assert paper.paper_sheet(published_survey(SLUG), "Library box 1",
                                "17").entered_by_id == first.id


def test_compare_keyings_ignores_spacing_only() -> None:
    from surveys import load_survey_or_raise

    definition = load_survey_or_raise(DEFINITION)
    assert paper.compare_keyings(definition, {"use": "yes", "improve": "a  b"},
                                    {"use": "yes", "improve": "a b"}) == []
    assert paper.compare_keyings(definition, {"use": "yes"}, {"use": "no"}) == ["use"]


def test_rekey_sample_is_stable_and_skips_rekeyed(app: Flask, survey: Any) -> None:
    me = make_user(OFFICER)
    published = published_survey(SLUG)
    for n in range(60):
        paper.record_paper(published, {"use": "no", "improve": None}, language="en",
                              batch="B", sheet_number=str(n), keyed_by=me)
    sample = paper.rekey_sample(published)
    assert sample == paper.rekey_sample(published)
    assert 0 < len(sample) < 20


def test_disagreements_report_is_for_officers_and_analysts(client: FlaskClient,
                                                            survey: Any) -> None:
    make_user("analyst@example.org", "analyst")
    sign_in(client, "analyst@example.org")
    page = check_page(client.get(f"/staff/paper/{SLUG}/disagreements"))
    assert "No disagreements so far." in page.get_text()
    assert client.get(f"/staff/paper/{SLUG}").status_code == 403


def test_demo_survey_keyed_on_one_page_matches_the_runner(client: FlaskClient,
                                                          app: Flask) -> None:
    """Every question type on one staff page: valid HTML, and a full sheet round-trips."""
    import random

    import surveys
    from engage.demo.answers import generate_response
    from engage.demo.surveys import LAWFUL_BASIS, PRIVACY, demo_definition
    from engage.demo.surveys import SLUG as DEMO

    publish_definition(demo_definition(), lawful_basis=LAWFUL_BASIS, privacy_notice=PRIVACY)
    definition = published_survey(DEMO).definition
    _keyer(client)
    check_page(client.get(f"/staff/paper/{DEMO}"))
    for seed in range(3):
        answers = generate_response(definition, random.Random(seed))["answers"]
        assert isinstance(answers, dict)
        form: dict[str, Any] = {"batch": "Demo", "sheet_number": str(seed), "language": "en"}
        for page_id in surveys.path(definition, answers):
            form.update(surveys.to_form_data(definition, page_id, answers))
        saved = _post(client, f"/staff/paper/{DEMO}", form)
        assert saved.status_code == 303, error_summary(check_page(saved, 400))
        client.get(saved.headers["Location"])
        stored = db.session.scalar(select(Response.answers).where(
            Response.sheet_number == str(seed)))
        assert stored == surveys.prune(definition, answers)


def test_export_carries_the_channel_details(client: FlaskClient, survey: Any) -> None:
    import csv
    import io

    me = _keyer(client)
    client.get(_post(client, f"/staff/paper/{SLUG}", {**SHEET, "batch": "=Box 1"})
               .headers["Location"])
    published = published_survey(SLUG)
    response_id = channels.start_interview(published, interviewer=me, language="bn",
                                           channel="phone", proxy=True, batch="Week 2")
    from engage.services.collect import responses

    responses.save_page(response_id, "use", {"use": "no"}, "bn")
    responses.save_page(response_id, "improve", {"improve": None}, "bn")
    responses.submit(response_id, published)
    token = _token(client, "/staff/surveys")
    body = client.post(f"/staff/surveys/{SLUG}/responses.csv", data={"csrf_token": token})
    rows = list(csv.DictReader(io.StringIO(body.get_data(as_text=True).lstrip("\ufeff"))))
    assert [(r["channel"], r["proxy"], r["batch"], r["sheet_number"], r["interviewer"])
            for r in rows] == [("paper", "no", "'=Box 1", "17", ""),
                               ("phone", "yes", "Week 2", "", str(me.id))]


def test_interview_submit_and_its_audit_are_one_transaction(
        app: Flask, survey: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from engage.services.collect import responses

    me = make_user(INTERVIEWER, "interviewer")
    published = published_survey(SLUG)
    response_id = channels.start_interview(published, interviewer=me, language="en",
                                           channel="face_to_face", proxy=False, batch="")
    responses.save_page(response_id, "use", {"use": "no"}, "en")
    responses.save_page(response_id, "improve", {"improve": "Quiet rooms"}, "en")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit store down")

    monkeypatch.setattr(channels, "record", broken)
    with pytest.raises(RuntimeError):
        channels.submit_interview(response_id, published, me)
    db.session.expire_all()
    stored = db.session.get(Response, response_id)
    assert stored is not None and stored.status == "in_progress" and stored.reference is None
    assert db.session.scalar(select(func.count(FreeTextAnswer.id))) == 0


def test_too_long_batch_and_sheet_numbers_say_their_limits(client: FlaskClient,
                                                           survey: Any) -> None:
    _keyer(client)
    answer = _post(client, f"/staff/paper/{SLUG}", {**SHEET, "batch": "b" * 65,
                                                    "sheet_number": " " + "7" * 21})
    soup = check_page(answer, 400)
    assert error_summary(soup) == ["Batch must be 64 characters or fewer",
                                   "Sheet number must be 20 characters or fewer"]
    assert soup.select_one("#batch")["value"] == "b" * 65
    assert soup.select_one("#sheet_number")["value"] == "7" * 21
    answer = _post(client, f"/staff/paper/{SLUG}", {**SHEET, "language": "fr"})
    assert error_summary(check_page(answer, 400)) == ["Select the language of the paper form"]
    assert db.session.scalar(select(func.count(Response.id))) == 0
    _interviewer(client)
    answer = _post(client, f"/staff/interviews/{SLUG}/new", {**SETUP, "batch": "b" * 65,
                                                              "proxy": "perhaps"})
    soup = check_page(client.get(answer.headers["Location"]))
    assert error_summary(soup) == ["Select yes if someone is answering for the resident",
                                   "Batch must be 64 characters or fewer"]
    assert soup.select_one("#batch")["value"] == "b" * 65
