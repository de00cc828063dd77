"""Results visibility (S21): every results surface asks results_policy, on both databases.

The matrix: surfaces (report, workbook, responses and codebook CSV, export jobs, weighting pages,
theme run, theme and equity pages, API reads, priority-board evidence, the survey list) x people
(admin, analyst, engagement officer, partner viewer in and out of the listed organisation) x the
survey's setting (never saved, nothing ticked, analysts and one organisation ticked).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engage.extensions import db
from engage.models import (
    AnalysisText,
    RunText,
    Survey,
    Theme,
    ThemeQuote,
    ThemeRun,
    User,
)
from engage.services.collect import drafts
from engage.services.decide.priorities import boards, groups
from engage.services.platform import api_tokens
from tests.engage.priorities_helpers import DEFAULTS
from tests.engage.test_insight_exports import SLUG, answered  # noqa: F401
from tests.pages import make_user, sign_in

PEOPLE = {
    "admin": ("admin", ""),
    "analyst": ("analyst", ""),
    "officer": ("engagement_officer", ""),
    "partner_in": ("partner_viewer", "Health Trust"),
    "partner_out": ("partner_viewer", "Police"),
}
SETTINGS = {
    "default": None,  # never saved
    "none_ticked": ([], []),
    "ticked": (["analyst"], ["health trust "]),  # matched without case or spaces
}
SEES = {  # who may see the results under each setting
    "default": {"admin", "analyst", "officer"},
    "none_ticked": {"admin"},
    "ticked": {"admin", "analyst", "partner_in"},
}
QUOTE = "The bus stop by the library needs a shelter"
AGGREGATE = {"admin", "analyst", "officer", "partner_in", "partner_out"}
ROWS = {"admin", "analyst", "officer"}
WEIGHT = {"admin", "analyst", "officer"}


@dataclass
class World:
    survey: Survey
    run: ThemeRun
    theme: Theme
    board_id: int
    users: dict[str, User]


def _theme_run(survey: Survey, analyst: User) -> tuple[ThemeRun, Theme]:
    """A finished run over the survey's texts: one approved theme with a quote."""
    run = ThemeRun(title="Spring", sources=[f"survey:{survey.id}:improve"], status="succeeded",
                   created_by_id=analyst.id, text_count=12)
    db.session.add(run)
    db.session.flush()
    theme = Theme(run_id=run.id, key="t1", label="Bus shelters", size=12, respondents=12,
                  share=1.0, approved=True)
    db.session.add(theme)
    db.session.flush()
    for i in range(12):
        text = AnalysisText(source="survey", source_id=f"vis-{i}", text=f"{QUOTE} {i}",
                            redacted=f"{QUOTE} {i}", survey_id=survey.id, ward="bow-east",
                            channel="online", language="en")
        db.session.add(text)
        db.session.flush()
        db.session.add(RunText(run_id=run.id, text_id=text.id, theme_id=theme.id, score=1.0))
        if i == 0:
            db.session.add(ThemeQuote(theme_id=theme.id, text_id=text.id, position=0))
    db.session.commit()
    return run, theme


def _world(setting: str) -> World:
    users = {}
    for key, (role, organisation) in PEOPLE.items():
        user = make_user(f"{key.replace('_', '-')}@example.org", role)
        user.organisation = organisation
        users[key] = user
    db.session.commit()
    survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
    run, theme = _theme_run(survey, users["analyst"])
    chair = make_user("chair@example.org", "group_member")
    group = groups.create_group(users["officer"], "Transport", "", chair.id, [])
    board = boards.create_board(group, users["officer"], "Priorities", [run.id], DEFAULTS)
    if SETTINGS[setting] is not None:
        roles, organisations = SETTINGS[setting]
        drafts.update_results_access(None, survey, roles, organisations)
    return World(survey, run, theme, board.id, users)


def _client(app: Flask, key: str) -> FlaskClient:
    client = app.test_client()
    sign_in(client, f"{key.replace('_', '-')}@example.org")
    return client


def _csrf(client: FlaskClient) -> str:
    from tests.pages import csrf_token

    return csrf_token(client, "/staff/")


def _status(client: FlaskClient, method: str, url: str, token: str) -> int:
    if method == "POST":
        return client.post(url, data={"csrf_token": token, "format": "xlsx"}).status_code
    return client.get(url).status_code


def _expect(allowed: bool, role_ok: bool, ok: int = 200) -> int:
    return ok if allowed and role_ok else 403


@pytest.mark.parametrize("setting", list(SETTINGS))
def test_every_results_surface_obeys_the_setting(app: Flask, answered: list[str],  # noqa: F811
                                                 setting: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app.config["EXPORT_DIR"] = str(tmp_path / "exports")
    world = _world(setting)
    base = f"/staff/surveys/{SLUG}"
    theme = world.theme.id
    surfaces = [  # (method, url, who the route's roles let in, status when allowed)
        ("GET", f"{base}/report", AGGREGATE, 200),
        ("GET", f"{base}/report.pdf", AGGREGATE, 200),
        ("POST", f"{base}/insight.xlsx", AGGREGATE, 200),
        ("POST", f"{base}/responses.csv", ROWS, 200),
        ("POST", f"{base}/codebook.csv", ROWS, 200),
        ("POST", f"{base}/export-job", AGGREGATE, 303),
        ("GET", f"{base}/results", WEIGHT, 200),
        ("GET", f"{base}/weighting", WEIGHT, 200),
        ("GET", f"{base}/fieldwork", WEIGHT, 200),
        ("GET", f"/staff/themes/runs/{world.run.id}", AGGREGATE, 200),
        ("GET", f"/staff/themes/{theme}", AGGREGATE, 200),
        ("GET", f"/staff/themes/{theme}/equity", AGGREGATE, 200),
    ]
    failures = []
    for key, user in world.users.items():
        allowed = key in SEES[setting]
        client = _client(app, key)
        token = _csrf(client)
        for method, url, roles, ok in surfaces:
            got = _status(client, method, url, token)
            if got != _expect(allowed, key in roles, ok):
                failures.append((key, method, url, got))
        # priority-board evidence: the quote, or a note that it is withheld
        board = client.get(f"/staff/priorities/boards/{world.board_id}").get_data(as_text=True)
        if (QUOTE in board) != allowed:
            failures.append((key, "board evidence", allowed))
        # listings: the report link only where the report opens; partners see only theirs
        listing = client.get("/staff/surveys").get_data(as_text=True)
        if (f"{base}/report" in listing) != allowed:
            failures.append((key, "survey list link", allowed))
        if key == "partner_out" and SLUG in listing:
            failures.append((key, "survey listed"))
        themes = client.get("/staff/themes/runs").get_data(as_text=True)
        if (f"/staff/themes/runs/{world.run.id}" in themes) != allowed:
            failures.append((key, "run listed", allowed))
        # the API: a token acts for the person who created it
        secret = api_tokens.create_token(f"t-{key}", [SLUG], user).secret
        headers = {"Authorization": f"Bearer {secret}"}
        for read in ("results", "themes", "responses"):
            got = client.get(f"/api/v1/surveys/{SLUG}/{read}", headers=headers).status_code
            if got != (200 if allowed else 404):
                failures.append((key, f"api {read}", got))
    assert not failures, failures


def test_an_export_link_dies_with_access(app: Flask, answered: list[str],  # noqa: F811
                                         tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A finished export cannot be downloaded once its creator may no longer see the results,
    and a job started before the change fails instead of writing the file."""
    app.config["EXPORT_DIR"] = str(tmp_path / "exports")
    make_user("analyst@example.org", "analyst")
    client = _client(app, "analyst")
    token = _csrf(client)
    response = client.post(f"/staff/surveys/{SLUG}/export-job",
                           data={"csrf_token": token, "format": "xlsx"})
    job_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    assert client.get(f"/staff/exports/{job_id}/download").status_code == 200
    survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
    drafts.update_results_access(None, survey, ["engagement_officer"], [])
    assert client.get(f"/staff/exports/{job_id}/download").status_code == 403
    from engage.services.platform import jobs
    from engage.services.report import export_jobs

    analyst = db.session.scalar(select(User).where(User.email == "analyst@example.org"))
    queued = jobs.enqueue(export_jobs.JOB_KIND, {"slug": SLUG, "format": "xlsx"}, analyst,
                          dispatch_now=False)  # queued while the analyst could see results
    jobs.run_job(queued.id)
    db.session.refresh(queued)
    assert queued.status == "failed"
    assert "may no longer see" in (queued.error or "")
    assert len(list((tmp_path / "exports").iterdir())) == 1  # only the first export's file


@pytest.mark.parametrize("least", [3, 20])
def test_results_min_count_is_read_by_every_surface(app: Flask, answered: list[str],  # noqa: F811
                                                    least: int) -> None:
    """RESULTS_MIN_COUNT changes the report, the API, the workbook and the weighted results."""
    import io

    from openpyxl import load_workbook

    app.config["RESULTS_MIN_COUNT"] = least
    make_user("analyst@example.org", "analyst")
    client = _client(app, "analyst")
    token = _csrf(client)
    # "use" was answered by all 14: "yes" by 5, "no" by 9; shown only when >= the minimum
    shown = {"yes": least <= 5, "no": least <= 9}
    report = client.get(f"/staff/surveys/{SLUG}/report").get_data(as_text=True)
    assert f"fewer than {least}" in report.lower() or f"under {least}" in report.lower()
    analyst = db.session.scalar(select(User).where(User.email == "analyst@example.org"))
    secret = api_tokens.create_token("t", [SLUG], analyst).secret
    body = client.get(f"/api/v1/surveys/{SLUG}/results",
                      headers={"Authorization": f"Bearer {secret}"}).get_json()
    assert body["min_count"] == least
    use = next(q for q in body["questions"] if q["question_id"] == "use")
    assert {a["answer_id"]: not a["suppressed"] for a in use["answers"]} == shown
    book = load_workbook(io.BytesIO(client.post(f"/staff/surveys/{SLUG}/insight.xlsx",
                                                data={"csrf_token": token}).data))
    rows = list(book["Results"].iter_rows(values_only=True))
    assert f"fewer than {least} respondents" in str(rows[0][0])
    weighted = client.get(f"/staff/surveys/{SLUG}/results").get_data(as_text=True)
    assert f"fewer than {least} respondents are not shown" in weighted
    whole = f"Not shown: fewer than {least} respondents answered this question"
    assert (whole in weighted) == (least > 14)  # 14 answered "use"
