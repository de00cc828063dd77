"""Weighting pages: roles, population upload, quotas, fieldwork dashboard, runs and results."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

import surveys
from engage.extensions import db
from engage.models import AuditEvent, PopulationTarget, QuotaTarget, WeightingRun
from engage.services.code import weighting as w
from tests.engage.weighting_helpers import SLUG, demo_survey
from tests.pages import check_page, csrf_token, error_summary, make_user, sign_in

ILLUSTRATIVE = Path(surveys.__file__).parent / "data" / "population-illustrative.csv"
BASE = f"/staff/surveys/{SLUG}"
PAGES = ["/weighting", "/weighting/population", "/weighting/quotas", "/fieldwork",
         "/weighting/run", "/results"]


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def officer(app: Flask, client: FlaskClient) -> FlaskClient:
    demo_survey(120)
    make_user()
    sign_in(client, "officer@example.org")
    return client


@pytest.mark.parametrize("role", ["engagement_officer", "analyst", "admin"])
def test_staff_who_weight_see_every_page(app: Flask, client: FlaskClient, role: str) -> None:
    demo_survey(30)
    make_user(role=role)
    sign_in(client, "officer@example.org")
    for page in PAGES:
        check_page(client.get(BASE + page))
    assert client.get("/staff/surveys/nope/weighting").status_code == 404


@pytest.mark.parametrize("role", ["moderator", "group_member", "partner_viewer"])
def test_other_roles_are_refused(app: Flask, client: FlaskClient, role: str) -> None:
    demo_survey(10)
    make_user(role=role)
    sign_in(client, "officer@example.org")
    for page in PAGES:
        assert client.get(BASE + page).status_code == 403
    token = csrf_token(client, "/staff/")
    assert client.post(BASE + "/weighting/population/illustrative",
                       data={"illustrative-csrf_token": token}).status_code == 403


def test_surveys_page_links_to_weighting(officer: FlaskClient) -> None:
    soup = check_page(officer.get("/staff/surveys"))
    assert soup.find("a", href=BASE + "/weighting") is not None


def _upload(client: FlaskClient, data: bytes, label: str = "") -> tuple[int, str]:
    token = csrf_token(client, BASE + "/weighting/population")
    response = client.post(BASE + "/weighting/population", data={
        "csrf_token": token, "label": label, "file": (io.BytesIO(data), "pop.csv")},
        content_type="multipart/form-data")
    return response.status_code, response.get_data(as_text=True)


def test_upload_population(officer: FlaskClient) -> None:
    status, _ = _upload(officer, ILLUSTRATIVE.read_bytes(), "Census 2021")
    assert status == 303
    assert _count(PopulationTarget) == 1
    soup = check_page(officer.get(BASE + "/weighting"))
    assert "Census 2021" in soup.get_text() and "ILLUSTRATIVE figures" not in soup.get_text()


def test_bad_upload_lists_every_bad_row_and_saves_nothing(officer: FlaskClient) -> None:
    lines = ILLUSTRATIVE.read_text("utf-8").splitlines()
    lines[4] = "bow-est,16-24,female,10"
    lines[7] = "bethnal-green-east,25-34,female,lots"
    lines[8] = "<script>alert(1)</script>,25-34,male,5"
    response = officer.post(BASE + "/weighting/population", data={
        "csrf_token": csrf_token(officer, BASE + "/weighting/population"),
        "file": (io.BytesIO("\n".join(lines).encode()), "bad.csv")},
        content_type="multipart/form-data")
    soup = check_page(response)
    assert "problem(s): nothing was saved" in error_summary(soup)[0]
    rows = [tr.find_all("td") for tr in soup.select("#problems tbody tr")]
    assert {r[0].get_text() for r in rows} >= {"5", "8", "9"}
    assert soup.find("script", string="alert(1)") is None
    assert "&lt;script&gt;" in response.get_data(as_text=True)
    assert _count(PopulationTarget) == 0


def test_upload_needs_a_file(officer: FlaskClient) -> None:
    response = officer.post(BASE + "/weighting/population", data={
        "csrf_token": csrf_token(officer, BASE + "/weighting/population")})
    assert error_summary(check_page(response)) == ["Select a CSV file of the population"]


def test_illustrative_population_is_labelled(officer: FlaskClient) -> None:
    token = csrf_token(officer, BASE + "/weighting/population")
    response = officer.post(BASE + "/weighting/population/illustrative",
                            data={"illustrative-csrf_token": token})
    assert response.status_code == 303
    soup = check_page(officer.get(BASE + "/weighting"))
    assert "ILLUSTRATIVE figures" in soup.get_text()


def test_quotas_from_population_and_per_ward(officer: FlaskClient) -> None:
    w.load_illustrative_population(SLUG)
    page = BASE + "/weighting/quotas"
    bad = officer.post(page, data={"csrf_token": csrf_token(officer, page),
                                   "sample-sample_size": "lots"})
    assert error_summary(check_page(bad)) == [
        "Enter how many interviews you want in all, as a whole number"]
    ok = officer.post(page, data={"csrf_token": csrf_token(officer, page),
                                  "sample-sample_size": "1,000"})
    assert ok.status_code == 303 and sum(w.current_quotas(SLUG).values()) == 1000
    ward_page = page + "?ward=bow-east"
    soup = check_page(officer.get(ward_page))
    assert len(soup.select("input[name^=q-]")) == 12
    form = {i["name"]: i.get("value", "") for i in soup.select("form input")}
    form["q-16-24-female"] = "-2"
    form["q-65-plus-male"] = "40"
    again = officer.post(page, data=form)
    soup = check_page(again)
    assert error_summary(soup) == ["Enter the target as a whole number, 0 or more"]
    assert soup.find(id="q-65-plus-male")["value"] == "40"  # what was typed is kept
    assert w.current_quotas(SLUG)[("bow-east", "65-plus", "male")] != 40
    form["q-16-24-female"] = "7"
    assert officer.post(page, data=form).status_code == 303
    quotas = w.current_quotas(SLUG)
    assert quotas[("bow-east", "65-plus", "male")] == 40
    assert quotas[("bow-east", "16-24", "female")] == 7 and len(quotas) == 240
    assert _count(QuotaTarget) == 240


def test_fieldwork_dashboard_shows_short_cells_and_filters(officer: FlaskClient) -> None:
    w.load_illustrative_population(SLUG)
    w.quotas_from_population(SLUG, 1000)
    soup = check_page(officer.get(BASE + "/fieldwork"))
    assert soup.select_one("#achieved").get_text() == "120"
    assert len(soup.select("#cells tbody tr")) == 240
    assert soup.select("#cells .govuk-tag--red")  # 120 of 1000: cells are short
    for dim in ("ward", "age", "sex"):
        assert soup.select_one(f"#margin-{dim}") is not None
        svg = soup.select_one(f"#chart-{dim}-title").find_parent("svg")
        assert svg["role"] == "img" and "rect" in str(svg)
    sex_rows = soup.select("#margin-sex tbody tr")
    achieved = sum(int(r.find_all("td")[0].get_text()) for r in sex_rows)
    online = check_page(officer.get(BASE + "/fieldwork?channel=online&short=1"))
    got = int(online.select_one("#achieved").get_text())
    assert 0 < got < 120 and achieved <= 120
    assert all(r.select_one(".govuk-tag--red") for r in online.select("#cells tbody tr"))
    batches = [o["value"] for o in soup.select("#batch option") if o["value"]]
    assert batches
    by_batch = check_page(officer.get(BASE + "/fieldwork", query_string={"batch": batches[0]}))
    assert 0 < int(by_batch.select_one("#achieved").get_text()) < 120
    assert by_batch.select_one("#batch option[selected]")["value"] == batches[0]
    ignored = check_page(officer.get(BASE + "/fieldwork?channel=nonsense'--"))
    assert ignored.select_one("#achieved").get_text() == "120"


def test_fieldwork_dashboard_shows_the_summary_first(officer: FlaskClient) -> None:
    """Issue 17: the summary comes first; charts and tables wait behind <details> (closed,
    working without JavaScript); chart text is drawn at a readable size."""
    w.load_illustrative_population(SLUG)
    w.quotas_from_population(SLUG, 1000)
    soup = check_page(officer.get(BASE + "/fieldwork"))
    summary = soup.select_one("#fieldwork-summary")
    assert summary is not None
    assert summary.find_next("details") is not None and not summary.find_previous("details")
    assert summary.select_one("#cells-short").get_text(strip=True).endswith("of 240")
    for dim in ("ward", "age", "sex"):
        assert "met their target" in summary.select_one(f"#summary-{dim}").get_text()
        details = soup.select_one(f"#details-{dim}")
        assert details.name == "details" and not details.has_attr("open")
        assert details.select_one(f"#margin-{dim}") and details.select_one("svg")
        svg = details.select_one("svg")
        assert svg["viewbox"].split()[2] == "320"  # the parser lowers attribute names
        assert all(int(t["font-size"]) >= 14 for t in svg.select("text"))
    cells = soup.select_one("#details-cells")
    assert cells.select_one("#cells") and not cells.has_attr("open")
    assert soup.select_one("#filters").name == "details"
    short = check_page(officer.get(BASE + "/fieldwork?short=1"))
    assert short.select_one("#details-cells").has_attr("open")
    assert short.select_one("#filters").has_attr("open")


def test_run_weighting_and_report(officer: FlaskClient) -> None:
    page = BASE + "/weighting/run"
    nothing = officer.post(page, data={"csrf_token": csrf_token(officer, page),
                                       "trim_upper": "5", "trim_lower": "0.2",
                                       "missing": "keep"}, follow_redirects=True)
    assert "Upload population targets before" in check_page(nothing).get_text()
    assert _count(WeightingRun) == 0
    w.load_illustrative_population(SLUG)
    bad = officer.post(page, data={"csrf_token": csrf_token(officer, page),
                                   "trim_upper": "0.5", "trim_lower": "x", "missing": "keep"})
    soup = check_page(bad)
    assert len(error_summary(soup)) == 2 and soup.find(id="trim_upper")["value"] == "0.5"
    ok = officer.post(page, data={"csrf_token": csrf_token(officer, page),
                                  "trim_upper": "6", "trim_lower": "", "missing": "keep"})
    assert ok.status_code == 303
    run = w.latest_run(SLUG)
    assert run is not None and ok.headers["Location"].endswith(f"/weighting/runs/{run.id}")
    assert run.parameters["trim_upper"] == 6.0 and run.parameters["trim_lower"] is None
    report = check_page(officer.get(ok.headers["Location"]))
    text = report.select_one("#report").get_text(" ")
    assert "Design effect" in text and "Effective sample size" in text
    assert len(report.select("#margins tbody tr")) == 28
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "weighting.run")) == 1
    assert officer.get(BASE + "/weighting/runs/999").status_code == 404


def test_the_weighting_runs_as_a_background_job_with_progress(
        officer: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from engage.models import Job
    from engage.services.platform import jobs

    w.load_illustrative_population(SLUG)
    queued: list[int] = []
    monkeypatch.setattr(jobs, "dispatch", queued.append)  # a worker picks it up later
    page = BASE + "/weighting/run"
    response = officer.post(page, data={"csrf_token": csrf_token(officer, page),
                                        "trim_upper": "5", "trim_lower": "0.2",
                                        "missing": "keep"})
    assert response.status_code == 303
    job_page = response.headers["Location"]
    assert job_page == f"/staff/jobs/{queued[0]}" and _count(WeightingRun) == 0
    soup = check_page(officer.get(job_page))
    assert "Running the weighting" in soup.get_text() and "Waiting to start" in soup.get_text()
    seen: list[int] = []
    real = jobs.set_progress
    monkeypatch.setattr(jobs, "set_progress",
                        lambda job_id, percent, message="": (seen.append(percent),
                                                             real(job_id, percent, message)))
    job = jobs.run_job(queued[0])
    assert job is not None and job.status == "succeeded", job.error if job else None
    assert seen == sorted(seen) and seen[0] == 5 and seen[-1] >= 95
    run = w.latest_run(SLUG)
    assert run is not None
    soup = check_page(officer.get(job_page))
    link = soup.select_one("#job-next-link")["href"]
    assert link == f"{BASE}/weighting/runs/{run.id}"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "weighting.run_started")) == 1
    assert db.session.get(Job, queued[0]).kind == "weighting_run"


def test_weighted_results_page(officer: FlaskClient) -> None:
    unweighted = check_page(officer.get(BASE + "/results"))
    assert "unweighted" in unweighted.get_text()
    w.load_illustrative_population(SLUG)
    run = w.run_weighting(SLUG).run
    assert run is not None
    soup = check_page(officer.get(BASE + "/results"))
    assert f"Weighted by run {run.id}" in soup.select_one("#results-run").get_text()
    tables = soup.select("table[id^=q-]")
    assert tables
    text = soup.get_text(" ")
    assert "Weighted %" in text and "95% confidence interval" in text
    assert "Fewer than 10" in text  # small cells are suppressed
    assert check_page(officer.get(BASE + f"/results?run={run.id}"))
    assert officer.get(BASE + "/results?run=999").status_code == 404
    plain = check_page(officer.get(BASE + "/results?view=unweighted"))
    assert "Weighted %" not in plain.get_text(" ")


def test_results_minimum_is_configurable(app: Flask, officer: FlaskClient) -> None:
    app.config["RESULTS_MIN_COUNT"] = 1000
    soup = check_page(officer.get(BASE + "/results"))
    assert "fewer than 1000 respondents answered" in soup.get_text()


def test_problems_and_warnings_are_explained(app: Flask, client: FlaskClient) -> None:
    demo_survey(15)  # too few for 20 wards: some wards have nobody
    make_user()
    sign_in(client, "officer@example.org")
    w.load_illustrative_population(SLUG)
    page = BASE + "/weighting/run"
    response = client.post(page, data={"csrf_token": csrf_token(client, page),
                                       "trim_upper": "5", "trim_lower": "0.2",
                                       "missing": "keep"}, follow_redirects=True)
    problems = check_page(response).select_one("#run-problems").get_text(" ")
    assert "A group has a target but no responses" in problems and "No respondents" in problems
    assert _count(WeightingRun) == 0


def test_report_explains_warnings(officer: FlaskClient) -> None:
    w.load_illustrative_population(SLUG)
    run = w.run_weighting(SLUG).run
    assert run is not None
    soup = check_page(officer.get(f"{BASE}/weighting/runs/{run.id}"))
    assert "Some responses did not give their ward, age or sex" in soup.get_text()


def test_any_uploaded_bytes_are_refused_or_saved_never_a_crash(officer: FlaskClient) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    header = b"ward,age_band,sex,population\n"
    token = csrf_token(officer, BASE + "/weighting/population")

    @settings(max_examples=30, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.one_of(st.binary(max_size=2000),
                     st.text(max_size=500).map(lambda t: header + t.encode("utf-8"))))
    def upload(data: bytes) -> None:
        response = officer.post(BASE + "/weighting/population", data={
            "csrf_token": token, "file": (io.BytesIO(data), "fuzz.csv")},
            content_type="multipart/form-data")
        assert response.status_code == 200  # refused with the problems listed
        assert _count(PopulationTarget) == 0

    upload()
