"""Large exports as background jobs: progress, a download for the person who asked only, an
expiring link, audit with the row count."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from engage.extensions import db
from engage.models import AuditEvent, Job, User
from engage.services.report import export_jobs
from tests.engage.results_helpers import share_results
from tests.engage.test_insight_exports import SLUG, answered  # noqa: F401
from tests.pages import check_page, make_user, sign_in


@pytest.fixture(autouse=True)
def export_folder(app: Flask, tmp_path: Path) -> Path:
    app.config["EXPORT_DIR"] = str(tmp_path / "exports")
    return tmp_path / "exports"


def _token(client: FlaskClient, role: str, email: str = "officer@example.org") -> str:
    make_user(email=email, role=role)
    sign_in(client, email)
    return str(check_page(client.get("/staff/surveys")).select_one(
        "form input[name=csrf_token]")["value"])


def _start(client: FlaskClient, token: str, fmt: str) -> int:
    response = client.post(f"/staff/surveys/{SLUG}/export-job",
                           data={"csrf_token": token, "format": fmt})
    assert response.status_code == 303
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def test_csv_job_runs_with_progress_and_downloads(
        client: FlaskClient, answered: list[str], export_folder: Path) -> None:  # noqa: F811
    job_id = _start(client, _token(client, "analyst"), "csv")
    job = db.session.get(Job, job_id)
    assert job.status == "succeeded" and job.progress == 100
    assert job.result["rows"] == len(answered)
    page = check_page(client.get(f"/staff/jobs/{job_id}"))
    link = page.select_one("#job-next-link")["href"]
    assert link == f"/staff/exports/{job_id}/download"
    response = client.get(link)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert f'filename={SLUG}-responses.csv' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == len(answered)
    assert rows[0]["What would improve the library?"].startswith("'=")
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "export.responses_csv")).one()
    assert event.detail["rows"] == len(answered)
    assert list(export_folder.iterdir())  # the file waits in the exports folder


def test_xlsx_job_for_a_partner_has_aggregates_only(client: FlaskClient,
                                                    answered: Any) -> None:  # noqa: F811
    token = _token(client, "partner_viewer")
    share_results(partners=db.session.scalars(select(User)))
    assert client.post(f"/staff/surveys/{SLUG}/export-job",
                       data={"csrf_token": token, "format": "csv"}).status_code == 403
    job_id = _start(client, token, "xlsx")
    book = load_workbook(io.BytesIO(client.get(f"/staff/exports/{job_id}/download").data))
    assert book.sheetnames == ["Codebook", "Results"]


def test_only_the_requester_downloads_and_links_expire(app: Flask, client: FlaskClient,
                                                       answered: Any) -> None:  # noqa: F811
    job_id = _start(client, _token(client, "analyst"), "csv")
    other = app.test_client()
    make_user(email="other@example.org", role="analyst")
    sign_in(other, "other@example.org")
    assert other.get(f"/staff/exports/{job_id}/download").status_code == 404
    assert other.get(f"/staff/jobs/{job_id}").status_code == 404
    job = db.session.get(Job, job_id)
    job.result = {**job.result, "expires_at": "2020-01-01T00:00:00+00:00"}
    db.session.commit()
    check_page(client.get(f"/staff/exports/{job_id}/download"), status=410)


def test_bad_requests(client: FlaskClient, answered: Any) -> None:  # noqa: F811
    token = _token(client, "analyst")
    assert client.post(f"/staff/surveys/{SLUG}/export-job",
                       data={"csrf_token": token, "format": "pdf"}).status_code == 400
    assert client.post("/staff/surveys/nope/export-job",
                       data={"csrf_token": token, "format": "csv"}).status_code == 404
    assert client.get("/staff/exports/999/download").status_code == 404


@pytest.mark.parametrize("role", ["moderator", "group_member"])
def test_other_roles_cannot_start_exports(client: FlaskClient, answered: Any,  # noqa: F811
                                          role: str) -> None:
    make_user(role=role)
    sign_in(client, "officer@example.org")
    token = check_page(client.get("/staff/")).select_one("input[name=csrf_token]")["value"]
    assert client.post(f"/staff/surveys/{SLUG}/export-job",
                       data={"csrf_token": token, "format": "xlsx"}).status_code == 403


def test_expired_files_are_purged(app: Flask, export_folder: Path) -> None:
    app.config["EXPORT_LINK_HOURS"] = 0
    old = export_jobs.export_dir() / "old.csv"
    old.write_text("x")
    import os

    os.utime(old, (1, 1))
    assert export_jobs.purge_expired() == 1 and not old.exists()
