"""The staff home: what is waiting for this person's role, each with a count and a link, and
only what the role may see (issue 17)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient

from engage.extensions import db
from engage.models import Job, PriorityBoard, TaskGroup, TaskGroupMember
from engage.services.collect import responses
from engage.services.collect.mayor import answers, moderation
from engage.services.collect.published_surveys import publish_definition, published_survey
from tests.engage.mayor_helpers import ask, mayor_topics  # noqa: F401
from tests.engage.test_runner import DEFINITION, SLUG
from tests.pages import check_page, make_user, sign_in


def _home(client: FlaskClient, email: str, query: str = ""):  # type: ignore[no-untyped-def]
    sign_in(client, email)
    return check_page(client.get("/staff/" + query))


def _waiting_mayor(app: Flask) -> None:
    moderator = make_user("mod@example.org", role="moderator")
    officer = make_user("officer@example.org", role="engagement_officer")
    ask("First new question about the bins")
    ask("Second new question about the parks")
    drafted = ask("A question with a drafted answer")
    moderation.approve(drafted, moderator)
    moderation.assign(drafted, moderator, date.today() + timedelta(days=5), officer=officer)
    answers.draft_answer(drafted, officer, "The parks open at eight.")
    late = ask("A question whose answer is late")
    moderation.approve(late, moderator)
    moderation.assign(late, moderator, date.today() + timedelta(days=5), officer=officer)
    late.due_on = date.today() - timedelta(days=2)
    db.session.commit()


def test_moderator_sees_counts_with_links(client: FlaskClient, app: Flask,
                                          mayor_topics: None) -> None:  # noqa: F811
    _waiting_mayor(app)
    soup = _home(client, "mod@example.org")
    box = soup.select_one("#waiting-mayor")
    assert box is not None
    links = {a.get_text(" ", strip=True): a["href"] for a in box.select("a")}
    assert links == {
        "2 new questions to moderate": "/staff/mayor/?status=received",
        "1 answer to approve": "/staff/mayor/?status=drafted",
        "1 assigned question is overdue": "/staff/mayor/?overdue=1",
    }
    assert soup.select_one("#waiting-surveys") is None  # a moderator sees no survey results


def test_assigned_officer_sees_their_questions(client: FlaskClient, app: Flask,
                                               mayor_topics: None) -> None:  # noqa: F811
    _waiting_mayor(app)
    soup = _home(client, "officer@example.org")
    assert soup.select_one("#waiting-mayor") is None  # moderation is not theirs
    mine = soup.select_one("#waiting-mine")
    assert mine is not None
    text = mine.get_text(" ", strip=True)
    assert "2 questions assigned to you need an answer" in text and "1 overdue" in text
    assert mine.select_one("a")["href"] == "/staff/mayor/mine"


def test_open_surveys_with_this_weeks_responses(client: FlaskClient, app: Flask) -> None:
    publish_definition(DEFINITION, lawful_basis="Public task", privacy_notice="1 year")
    survey = published_survey(SLUG)
    for _ in range(3):
        rid = responses.start_response(survey, "en")
        responses.save_page(rid, "use", {"use": "no"}, "en")
        responses.save_page(rid, "improve", {"improve": "More books"}, "en")
        responses.submit(rid, survey)
    make_user("officer@example.org", role="analyst")
    make_user("viewer@example.org", role="partner_viewer")
    soup = _home(client, "officer@example.org")
    table = soup.select_one("#waiting-surveys")
    assert table is not None
    row = table.select_one("tbody tr")
    assert row.select_one("a")["href"] == f"/staff/surveys/{SLUG}/report"
    assert row.get_text(" ", strip=True) == "Library survey 3"
    client.post("/auth/sign-out", data={})
    viewer = client.application.test_client()
    soup = _home(viewer, "viewer@example.org")
    assert soup.select_one("#waiting-surveys") is None  # results not shared with partners


def test_running_jobs_only_those_the_role_may_watch(client: FlaskClient, app: Flask) -> None:
    officer = make_user("officer@example.org", role="engagement_officer")
    other = make_user("analyst@example.org", role="analyst")
    db.session.add_all([
        Job(kind="weighting_run", status="running", progress=40, created_by_id=other.id),
        Job(kind="theme_run", status="running", progress=10, created_by_id=other.id),
        Job(kind="insight_export", status="queued", created_by_id=officer.id),
        Job(kind="weighting_run", status="succeeded", progress=100, created_by_id=other.id),
    ])
    db.session.commit()
    soup = _home(client, "officer@example.org")
    items = [li.get_text(" ", strip=True) for li in soup.select("#waiting-jobs li")]
    assert len(items) == 2
    assert any(text.startswith("Running the weighting") and "40% done" in text
               for text in items)
    assert any("waiting to start" in text for text in items)


def test_boards_open_for_scoring(client: FlaskClient, app: Flask) -> None:
    officer = make_user("officer@example.org", role="engagement_officer")
    member = make_user("member@example.org", role="group_member")
    group = TaskGroup(name="Housing and health", created_by_id=officer.id)
    db.session.add(group)
    db.session.flush()
    db.session.add(TaskGroupMember(group_id=group.id, user_id=member.id))
    db.session.add_all([PriorityBoard(group_id=group.id, title="Spring priorities",
                                      state="scoring", created_by_id=officer.id),
                        PriorityBoard(group_id=group.id, title="Still being set up",
                                      state="setup", created_by_id=officer.id)])
    db.session.commit()
    soup = _home(client, "member@example.org")
    items = soup.select("#waiting-boards li")
    assert len(items) == 1
    assert items[0].get_text(" ", strip=True) == (
        "Spring priorities (Housing and health): your group: score the themes")


def test_nothing_waiting(client: FlaskClient, app: Flask) -> None:
    make_user("officer@example.org", role="interviewer")
    soup = _home(client, "officer@example.org")
    assert soup.select_one("#waiting-none").get_text(strip=True) == "Nothing is waiting for you."
    soup = check_page(client.get("/staff/?lang=bn"), lang="bn")
    assert soup.select_one("#waiting-none").get_text(strip=True) == "আপনার জন্য কিছু অপেক্ষা করছে না।"


def test_survey_list_shows_draft_titles_in_the_viewers_language(client: FlaskClient,
                                                                 app: Flask) -> None:
    from engage.services.collect import drafts

    officer = make_user("officer@example.org", role="engagement_officer")
    drafts.create_survey(officer, "libraries-2027",
                          {"en": "Libraries in 2027", "bn": "২০২৭ সালে লাইব্রেরি"}, ["en", "bn"])
    sign_in(client, "officer@example.org")
    card = check_page(client.get("/staff/surveys")).select_one("#survey-libraries-2027")
    assert card.select_one("h2").get_text(strip=True) == "Libraries in 2027"
    text = card.get_text(" ", strip=True)
    assert "Draft Not published yet" in text
    assert not card.select("a[href='/s/libraries-2027/']")  # no link to a page not yet live
    card = check_page(client.get("/staff/surveys?lang=bn"), lang="bn").select_one(
        "#survey-libraries-2027")
    assert card.select_one("h2").get_text(strip=True) == "২০২৭ সালে লাইব্রেরি"


def test_survey_list_actions_are_grouped(client: FlaskClient, app: Flask) -> None:
    publish_definition(DEFINITION, lawful_basis="Public task", privacy_notice="1 year")
    make_user("officer@example.org", role="analyst")
    sign_in(client, "officer@example.org")
    card = check_page(client.get("/staff/surveys")).select_one(f"#survey-{SLUG}")
    headings = [h.get_text(strip=True) for h in card.select("h3")]
    assert headings == ["Results", "Download now", "Prepare in the background"]
    for group in card.select(".app-survey-actions"):  # only buttons, each submitting its form
        assert [child.name for child in group.find_all(recursive=False)] == (
            ["button"] * len(group.find_all(recursive=False)))
        for button in group.select("button"):
            form = card.select_one(f"form#{button['form']}")
            assert form is not None and form.select_one("input[name=csrf_token]")


def _job(user_id: int, kind: str, status: str, result: dict | None = None) -> int:  # type: ignore[type-arg]
    job = Job(kind=kind, status=status, progress=100 if status == "succeeded" else 30,
              created_by_id=user_id, result=result)
    db.session.add(job)
    db.session.commit()
    return int(job.id)


def test_job_page_says_what_finished_and_what_the_link_does(client: FlaskClient,
                                                            app: Flask) -> None:
    user = make_user("officer@example.org", role="engagement_officer")
    running = _job(user.id, "weighting_run", "running")
    done = _job(user.id, "weighting_run", "succeeded",
                {"endpoint": "staff.weighting_report",
                 "endpoint_args": {"slug": "libraries", "run_id": 3}, "run_id": 3})
    export = _job(user.id, "insight_export", "succeeded",
                  {"file": "x.xlsx", "filename": "x.xlsx", "rows": 3, "format": "xlsx",
                   "endpoint": "staff.export_download", "endpoint_args": {"job_id": 0}})
    sign_in(client, "officer@example.org")
    soup = check_page(client.get(f"/staff/jobs/{running}"))
    assert soup.h1.get_text(strip=True) == "Running the weighting"
    soup = check_page(client.get(f"/staff/jobs/{done}"))
    assert soup.h1.get_text(strip=True) == "The weighting has finished"
    assert soup.title.get_text().startswith("The weighting has finished")
    link = soup.select_one("#job-next-link")
    assert link.get_text(strip=True) == "See the weighted results"
    assert link["href"].startswith("/staff/surveys/libraries/")
    assert not link.has_attr("download")
    soup = check_page(client.get(f"/staff/jobs/{export}"))
    assert soup.h1.get_text(strip=True) == "Your file is ready"
    link = soup.select_one("#job-next-link")
    assert link.get_text(strip=True) == "Download the workbook (XLSX file)"
    assert link.has_attr("download")
    assert "downloads to your device" in soup.select_one("#job-download-hint").get_text()
    data = client.get(f"/staff/jobs/{export}.json").get_json()
    assert data["title"] == "Your file is ready"
    assert data["next_text"] == "Download the workbook (XLSX file)"
    soup = check_page(client.get(f"/staff/jobs/{done}?lang=bn"), lang="bn")
    assert soup.h1.get_text(strip=True) == "ওয়েটিং শেষ হয়েছে"


def test_closing_a_survey_asks_first(client: FlaskClient, app: Flask) -> None:
    from sqlalchemy import func, select

    from engage.models import AuditEvent
    from tests.pages import csrf_token

    publish_definition(DEFINITION, lawful_basis="Public task", privacy_notice="1 year")
    responses.start_response(published_survey(SLUG), "en")  # started, not sent
    make_user("officer@example.org", role="engagement_officer")
    sign_in(client, "officer@example.org")
    overview = check_page(client.get(f"/staff/surveys/{SLUG}/build"))
    link = overview.find("a", string="Close the survey now")
    assert link is not None and link["href"] == f"/staff/surveys/{SLUG}/close"
    assert not overview.select(f"form[action='/staff/surveys/{SLUG}/close']")
    soup = check_page(client.get(link["href"]))
    assert soup.h1.get_text(strip=True) == "Are you sure you want to close the survey now?"
    assert soup.select_one(".govuk-warning-text")
    assert "1 resident has started and not sent" in soup.select_one("#close-unsent").get_text()
    form = soup.select_one(f"form[action='/staff/surveys/{SLUG}/close']")
    assert form["method"] == "post" and form.select_one("input[name=csrf_token]")
    assert form.select_one("button.govuk-button--warning")
    bn = check_page(client.get(f"/staff/surveys/{SLUG}/close?lang=bn"), lang="bn")
    assert bn.h1.get_text(strip=True) == "আপনি কি নিশ্চিত যে এখনই জরিপটি বন্ধ করতে চান?"
    token = csrf_token(client, f"/staff/surveys/{SLUG}/close?lang=en")
    # A post without the confirmation (an old page, a stray click) closes nothing.
    check_page(client.post(f"/staff/surveys/{SLUG}/close", data={"csrf_token": token}))
    assert client.get(f"/s/{SLUG}/").status_code == 200
    assert "closed" not in check_page(client.get(f"/s/{SLUG}/")).get_text().lower()
    assert client.post(f"/staff/surveys/{SLUG}/close",
                       data={"confirm": "yes"}).status_code == 400  # no CSRF token
    response = client.post(f"/staff/surveys/{SLUG}/close",
                           data={"csrf_token": token, "confirm": "yes"})
    assert response.status_code == 303
    assert "This survey is closed" in check_page(client.get(f"/s/{SLUG}/")).get_text()
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "survey.close")) == 1
    # Once closed, the page says so and goes back to the survey.
    response = client.get(f"/staff/surveys/{SLUG}/close")
    assert response.status_code == 303 and response.headers["Location"].endswith("/build")


def test_builder_overview_titles_the_draft_in_the_readers_language(client: FlaskClient,
                                                                   app: Flask) -> None:
    from engage.services.collect import drafts

    officer = make_user("officer@example.org", role="engagement_officer")
    drafts.create_survey(officer, "libraries-2027",
                          {"en": "Libraries in 2027", "bn": "২০২৭ সালে লাইব্রেরি"}, ["en", "bn"])
    sign_in(client, "officer@example.org")
    soup = check_page(client.get("/staff/surveys/libraries-2027/build"))
    assert soup.h1.get_text(strip=True) == "Libraries in 2027"
    soup = check_page(client.get("/staff/surveys/libraries-2027/build?lang=bn"), lang="bn")
    assert soup.h1.get_text(strip=True) == "২০২৭ সালে লাইব্রেরি"
