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
from engage.services import weighting as w
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
    ignored = check_page(officer.get(BASE + "/fieldwork?channel=nonsense'--"))
    assert ignored.select_one("#achieved").get_text() == "120"


def test_run_weighting_and_report(officer: FlaskClient) -> None:
    page = BASE + "/weighting/run"
    nothing = officer.post(page, data={"csrf_token": csrf_token(officer, page),
                                       "trim_upper": "5", "trim_lower": "0.2",
                                       "missing": "keep"})
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
