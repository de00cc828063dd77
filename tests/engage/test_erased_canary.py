"""P2 and issue 15: an erased (or purged) response leaves no text behind. A canary word planted in
one response reaches a quote through a real analysis, and from there a theme description (a
reviewer copied the resident's words) and a priority-board item; after the response is erased by
its reference, or purged by retention, the canary appears nowhere: public page, report, API,
staff theme pages, board, exports, or any table."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import refresh
from openpyxl import load_workbook
from sqlalchemy import select

from engage.demo import surveys as demo
from engage.extensions import db
from engage.forms.priorities import default_criteria
from engage.models import (
    AnalysisText,
    BoardEvent,
    BoardItem,
    FreeTextAnswer,
    Response,
    SurveyVersion,
    Theme,
    ThemeQuote,
    User,
)
from engage.models._types import utcnow
from engage.services.code.themes import edits, publication
from engage.services.collect import privacy
from engage.services.decide.priorities import boards, groups
from engage.services.platform import api_tokens
from engage.services.report import you_said
from tests.engage.themes_helpers import analyst, demo_texts, finished_run
from tests.pages import check_page, csrf_token, make_user, sign_in

CANARY = "zorblatt"


def _words(text: str) -> str:
    return " ".join(w.lower() for w in text.replace("…", " ").split())


def _plant(run_id: int) -> Response:
    """Put the canary into a theme's first quote (the word is in no other text, so the engine's
    vectors, and its choice of quotes, stay the same)."""
    quote = db.session.scalars(select(ThemeQuote).join(Theme, Theme.id == ThemeQuote.theme_id)
                               .where(Theme.run_id == run_id)
                               .order_by(ThemeQuote.theme_id, ThemeQuote.position)).first()
    assert quote is not None
    source = db.session.get(AnalysisText, quote.text_id)
    assert source is not None and source.source == "survey"
    answer = db.session.get(FreeTextAnswer, int(source.source_id))
    assert answer is not None
    first = answer.text.split()[0]
    at = answer.text.index(first) + len(first)
    answer.text = f"{answer.text[:at]} {CANARY}{answer.text[at:]}"
    response = db.session.get(Response, answer.response_id)
    assert response is not None
    response.answers = {**response.answers, answer.question_id: answer.text}
    db.session.commit()
    return response


def _describe_from_the_quote(run_id: int, user: User) -> Theme:
    """A reviewer copies the resident's words into the label and description of the theme that
    quotes them (the engine composes both from key phrases, never from one resident's text); the
    board's items and history copy the label."""
    carrier, text = next((t, a.text) for t in db.session.scalars(
        select(Theme).where(Theme.run_id == run_id).order_by(Theme.id))
        for q in db.session.scalars(select(ThemeQuote).where(ThemeQuote.theme_id == t.id))
        if CANARY in (a := db.session.get(AnalysisText, q.text_id)).text)
    edits.rename(carrier, user, " ".join(text.split()[:8]), f"Residents said: {text}")
    return carrier


def _board(run_id: int, item_theme: int) -> None:
    """A locked shortlist over the run that includes the canary's theme."""
    officer = make_user("officer@example.org", "engagement_officer")
    chair = make_user("chair@example.org", "group_member")
    group = groups.create_group(officer, "Housing", "", chair.id, [])
    board = boards.create_board(group, officer, "Priorities", [run_id], default_criteria())
    boards.open_scoring(board, chair)
    items = boards.items(board)
    chosen = [i.id for i in items if i.theme_id == item_theme]
    chosen += [i.id for i in items if i.theme_id != item_theme][:2]
    boards.shortlist_and_lock(board, chair, chosen, "Most need")


@pytest.fixture
def planted(app: Flask) -> Iterator[tuple[Response, User]]:
    # Word co-occurrence vectors ignore a word that is in no other text, so planting the canary
    # keeps the second run's quotes where the first run's were (a sentence model reads it).
    app.config["THEMES_VECTORS"] = "cooccurrence"
    demo_texts(90)
    user = analyst()
    first = finished_run(user, n_themes=6)
    response = _plant(first.id)
    run = finished_run(user, n_themes=6)
    for theme in db.session.scalars(select(Theme).where(Theme.run_id == run.id)).all():
        edits.set_approved(theme, user, True)
        for quote in db.session.scalars(select(ThemeQuote).where(
                ThemeQuote.theme_id == theme.id)).all():
            publication.set_publishable(quote, user, True)
    carrier = _describe_from_the_quote(run.id, user)
    _board(run.id, carrier.id)
    you_said.add_update(demo.SLUG, "update", "Thank you", "We read it all.", "", "", user)
    yield response, user
    app.config["THEMES_VECTORS"] = "auto"


def _everything(client: FlaskClient, secret: str) -> str:
    """Every surface's text: public page (both languages), report, API, staff theme pages,
    the board, the CSV and XLSX exports."""
    refresh()
    public = FlaskClient(client.application, use_cookies=True)
    parts = [public.get(f"/you-said-we-did/{demo.SLUG}?lang={lang}").get_data(as_text=True)
             for lang in ("en", "bn")]
    parts.append(check_page(client.get(f"/staff/surveys/{demo.SLUG}/report")).get_text())
    headers = {"Authorization": f"Bearer {secret}"}
    for tail in ("themes", "results", "responses?per_page=500"):
        parts.append(client.get(f"/api/v1/surveys/{demo.SLUG}/{tail}",
                                headers=headers).get_data(as_text=True))
    for run_id in {t.run_id for t in db.session.scalars(select(Theme))}:
        parts.append(client.get(f"/staff/themes/runs/{run_id}").get_data(as_text=True))
    for theme_id in db.session.scalars(select(Theme.id)):
        parts.append(client.get(f"/staff/themes/{theme_id}").get_data(as_text=True))
    for board_id in {i.board_id for i in db.session.scalars(select(BoardItem))}:
        parts.append(client.get(f"/staff/priorities/boards/{board_id}").get_data(as_text=True))
    token = csrf_token(client, "/staff/surveys")
    parts.append(client.post(f"/staff/surveys/{demo.SLUG}/responses.csv",
                             data={"csrf_token": token}).get_data(as_text=True))
    book = load_workbook(io.BytesIO(client.post(f"/staff/surveys/{demo.SLUG}/insight.xlsx",
                                                data={"csrf_token": token}).data))
    parts += [str(cell) for sheet in book for row in sheet.iter_rows(values_only=True)
              for cell in row]
    return "\n".join(parts).lower()


def _tables() -> str:
    """Every row of every table, as text."""
    return "\n".join(str(row) for table in db.metadata.sorted_tables
                     for row in db.session.execute(table.select())).lower()


@pytest.mark.parametrize("how", ["erase", "purge"])
def test_an_erased_canary_appears_nowhere(client: FlaskClient, planted: tuple[Response, User],
                                          how: str) -> None:
    response, user = planted
    admin = make_user("admin@example.org", "admin")
    sign_in(client, "admin@example.org")
    secret = api_tokens.create_token("t", [demo.SLUG], admin).secret
    carrier = db.session.scalar(select(Theme.id).where(Theme.description.contains(CANARY)))
    seen = _everything(client, secret)
    # The canary really reached a description, a quote and the board (and so the public page).
    assert CANARY in seen
    assert db.session.scalar(select(BoardItem.id).where(BoardItem.description.contains(CANARY)))
    assert CANARY in str([e.detail for e in db.session.scalars(select(BoardEvent))]).lower()
    public = client.get(f"/you-said-we-did/{demo.SLUG}").get_data(as_text=True)
    assert CANARY in public
    assert db.session.scalar(select(ThemeQuote.id).join(
        AnalysisText, AnalysisText.id == ThemeQuote.text_id).where(
        AnalysisText.text.contains(CANARY)))

    if how == "erase":
        privacy.erase_response(response.reference, user)
    else:
        version = db.session.get(SurveyVersion, response.survey_version_id)
        assert version is not None
        version.retention_days = 365
        response.submitted_at = utcnow() - timedelta(days=400)
        db.session.commit()
        assert privacy.purge_expired_responses().removed.responses == 1
    db.session.expire_all()

    assert CANARY not in _tables()
    assert CANARY not in _everything(client, secret)
    # The theme whose description came from it waits for an analyst's review again.
    theme = db.session.get(Theme, carrier)
    assert theme is not None and theme.description == ""
    assert not theme.approved and theme.size > 0


def test_descriptions_not_from_the_erased_text_stay(planted: tuple[Response, User]) -> None:
    response, user = planted
    erased = " ".join(_words(v) for v in response.answers.values() if isinstance(v, str))
    erased += " " + erased.replace(f"{CANARY} ", "")  # and as run 1 read it, before the plant
    kept: dict[int, Any] = {t.id: (t.label, t.description, t.approved)
                            for t in db.session.scalars(select(Theme))
                            if _words(t.description) not in erased
                            and CANARY not in t.description}
    assert len(kept) >= 8
    privacy.erase_response(response.reference, user)
    db.session.expire_all()
    now = {t.id: (t.label, t.description, t.approved) for t in db.session.scalars(select(Theme))}
    changed = [i for i, before in kept.items() if now[i] != before]
    assert not changed, [(kept[i], now[i]) for i in changed]
