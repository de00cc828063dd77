"""Themes in the insight outputs once an analysis has run: theme columns in CSV and XLSX, the
themes sheet with quotes, the report's themes section and the API's themes."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from engage.demo import surveys as demo
from engage.extensions import db
from engage.models import AnalysisText, Response, Survey, Theme, ThemeQuote, User
from engage.services.code.themes import edits, publication
from engage.services.platform import api_tokens
from engage.services.report import insight_sources
from tests.engage.themes_helpers import analyst, demo_texts, finished_run
from tests.pages import check_page, sign_in


@pytest.fixture
def themed(app: Flask) -> int:
    """An analysis whose themes an analyst approved, each with its quotes marked publishable
    (public surfaces show nothing else: see test_public_truth)."""
    demo_texts(150)
    user = analyst()
    run = finished_run(user)
    for theme in db.session.scalars(select(Theme).where(Theme.run_id == run.id)).all():
        edits.set_approved(theme, user, True)
        for quote in db.session.scalars(select(ThemeQuote).where(
                ThemeQuote.theme_id == theme.id)).all():
            publication.set_publishable(quote, user, True)
    return int(db.session.scalar(select(Survey.id).where(Survey.slug == demo.SLUG)))


def test_theme_columns_and_summaries(themed: int) -> None:
    columns = insight_sources.response_themes(themed)
    assert columns.headers and all(h.startswith("Theme: ") for h in columns.headers)
    responses = set(db.session.scalars(select(Response.id)))
    assert set(columns.cells) <= responses and columns.cells
    assert all(len(line) == len(columns.headers) and "1" in line
               for line in columns.cells.values())
    summaries = insight_sources.theme_summaries(themed)
    assert [s.name for s in summaries] and summaries[0].size >= summaries[-1].size
    assert any(s.quotes for s in summaries)
    redacted = set(db.session.scalars(select(AnalysisText.redacted)))
    assert all(q in redacted for s in summaries for q in s.quotes)


def test_themes_reach_csv_xlsx_report_and_api(client: FlaskClient, themed: int) -> None:
    sign_in(client, "analyst@example.org")
    soup = check_page(client.get("/staff/surveys"))
    token = soup.select_one("form input[name=csrf_token]")["value"]
    body = client.post(f"/staff/surveys/{demo.SLUG}/responses.csv",
                       data={"csrf_token": token}).get_data(as_text=True)
    header = next(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert any(h.startswith("Theme: ") for h in header)
    codebook = client.post(f"/staff/surveys/{demo.SLUG}/codebook.csv",
                           data={"csrf_token": token}).get_data(as_text=True)
    assert [r["column"] for r in csv.DictReader(io.StringIO(codebook.lstrip("\ufeff")))] \
        == header
    book = load_workbook(io.BytesIO(client.post(
        f"/staff/surveys/{demo.SLUG}/insight.xlsx", data={"csrf_token": token}).data))
    assert book.sheetnames == ["Responses", "Codebook", "Results", "Themes"]
    themes_sheet = list(book["Themes"].iter_rows(values_only=True))
    assert themes_sheet[0] == ("theme", "description", "people", "quote")
    assert len(themes_sheet) > 2
    page = check_page(client.get(f"/staff/surveys/{demo.SLUG}/report"))
    first = insight_sources.theme_summaries(themed)[0]
    assert first.name in page.get_text(" ", strip=True)
    assert page.select("#themes ~ blockquote, section[aria-labelledby=themes] blockquote")
    admin = db.session.scalars(select(User).order_by(User.id)).first()
    secret = api_tokens.create_token("t", [demo.SLUG], admin).secret
    data = client.get(f"/api/v1/surveys/{demo.SLUG}/themes",
                      headers={"Authorization": f"Bearer {secret}"}).get_json()
    assert data["themes"][0]["name"] == first.name
