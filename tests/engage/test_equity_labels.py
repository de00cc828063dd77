"""The equity lens and the insight report name groups in the reader's language, never by internal
code, and never colour or flag a difference resting on too few texts (issue 17)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engage.demo import surveys as demo
from engage.extensions import db
from engage.models import AnalysisText, RunText, Theme, ThemeRun
from engage.services.code.themes import equity
from tests.engage.themes_helpers import analyst, demo_texts, finished_run
from tests.pages import check_page, sign_in

CODE = re.compile(r"^[a-z0-9]+([-_][a-z0-9]+)+$|^(en|bn|event|online|phone|paper)$")


@pytest.fixture
def run(app: Flask) -> ThemeRun:
    demo_texts(150)
    return finished_run(analyst())


def _groups(soup) -> list[str]:  # type: ignore[no-untyped-def]
    """Each row's group name, without its "raises it much more" tag."""
    for tag in soup.select("table.app-heat-table tbody th .govuk-tag"):
        tag.decompose()
    return [th.get_text(" ", strip=True) for th in soup.select("table.app-heat-table tbody th")]


def _largest(run: ThemeRun) -> Theme:
    return db.session.scalars(select(Theme).where(Theme.run_id == run.id)
                              .order_by(Theme.size.desc())).first()


def test_equity_lens_names_groups_in_the_readers_language(run: ThemeRun,
                                                          client: FlaskClient) -> None:
    theme = _largest(run)
    sign_in(client, "analyst@example.org")
    soup = check_page(client.get(f"/staff/themes/{theme.id}/equity"))
    groups = _groups(soup)
    assert groups and not [g for g in groups if CODE.match(g)], groups
    assert "Online" in groups and "English" in groups
    labels = [t.get_text(strip=True) for t in soup.select("svg text.app-chart__label")]
    assert not [g for g in labels if CODE.match(g)], labels
    assert "at least 10 texts in this theme" in soup.select_one("#highlight-rule").get_text()
    soup = check_page(client.get(f"/staff/themes/{theme.id}/equity?lang=bn"), lang="bn")
    groups = _groups(soup)
    assert "অনলাইন" in groups and "ইংরেজি" in groups
    assert not [g for g in groups if CODE.match(g)], groups


def test_every_channel_a_text_can_have_is_named(app: Flask) -> None:
    from engage.blueprints.staff.themes import equity_group_labels
    from engage.models.mayor import CHANNELS
    from engage.models.response import CHANNELS as RESPONSE_CHANNELS

    with app.test_request_context("/?lang=en"):
        named = equity_group_labels()["channel"]
    assert set(CHANNELS) | set(RESPONSE_CHANNELS) <= set(named)
    assert named["event"] == "At an event"


def test_six_texts_against_none_is_not_a_finding(run: ThemeRun) -> None:
    theme = _largest(run)
    others = db.session.scalars(select(Theme).where(Theme.run_id == run.id,
                                                    Theme.id != theme.id)).first()
    for row in db.session.scalars(select(RunText).where(RunText.theme_id == theme.id)):
        row.theme_id = others.id
    phone = list(db.session.scalars(select(RunText).join(
        AnalysisText, AnalysisText.id == RunText.text_id).where(
        RunText.run_id == run.id, AnalysisText.channel == "phone")))
    assert len(phone) >= 10  # the group is shown (not suppressed)
    for row in phone[:6]:
        row.theme_id = theme.id
    db.session.commit()
    cells = {c.group: c for d in equity.lens(theme).dimensions if d.name == "channel"
             for c in d.cells}
    phone_cell = cells["phone"]
    assert phone_cell.count == 6 and phone_cell.rate and phone_cell.rate > 0
    assert not phone_cell.flagged and phone_cell.heat == 2 and not phone_cell.highlight


def test_report_names_channels_and_languages(app: Flask, client: FlaskClient) -> None:
    from tests.pages import make_user

    list(demo.load(target=120))
    make_user(role="analyst")
    sign_in(client, "officer@example.org")
    soup = check_page(client.get(f"/staff/surveys/{demo.SLUG}/report"))
    for caption in ("Responses by channel", "Responses by language"):
        table = next(t for t in soup.select("table")
                     if t.caption.get_text(strip=True) == caption)
        rows = [th.get_text(strip=True) for th in table.select("tbody th")]
        assert rows and not [r for r in rows if CODE.match(r)], rows
    text = soup.get_text(" ", strip=True)
    assert "Face to face" in text and "Bengali" in text
    soup = check_page(client.get(f"/staff/surveys/{demo.SLUG}/report?lang=bn"), lang="bn")
    text = soup.get_text(" ", strip=True)
    assert "সরাসরি সাক্ষাতে" in text and "বাংলা" in text
