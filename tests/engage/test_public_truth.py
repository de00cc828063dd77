"""What the public sees is true (issue 15, S24): only approved themes of the run staff
published, a new analysis run changes no public surface, quotes only when marked publishable,
counts of distinct people; the quote action's route (roles, CSRF, audit, reversible)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import refresh
from sqlalchemy import select

from engage.demo import surveys as demo
from engage.extensions import db
from engage.models import AnalysisText, AuditEvent, RunText, Survey, Theme, ThemeQuote, User
from engage.services.code.themes import edits, publication, views
from engage.services.platform import api_tokens
from engage.services.report import insight_sources, you_said
from tests.engage.results_helpers import share_results
from tests.engage.themes_helpers import analyst, demo_texts, finished_run
from tests.pages import check_page, csrf_token, make_user, sign_in

PUBLIC = f"/you-said-we-did/{demo.SLUG}"


def _survey_id() -> int:
    return int(db.session.scalar(select(Survey.id).where(Survey.slug == demo.SLUG)))


def _consultation(user: User) -> None:
    """An update, so the survey's public page exists."""
    you_said.add_update(demo.SLUG, "update", "Thank you", "We are reading it all.", "", "",
                        make_user("officer@example.org", "engagement_officer"))


def _public(client: FlaskClient, lang: str = "en") -> str:
    refresh()
    soup = check_page(client.get(f"{PUBLIC}?lang={lang}"), lang=lang)
    return str(soup.select_one("main"))


def _api(client: FlaskClient, secret: str) -> Any:
    return client.get(f"/api/v1/surveys/{demo.SLUG}/themes",
                      headers={"Authorization": f"Bearer {secret}"}).get_json()


def _report_themes(client: FlaskClient) -> str:
    soup = check_page(client.get(f"/staff/surveys/{demo.SLUG}/report"))
    heading = soup.select_one("#themes")
    parts = []
    for node in heading.find_next_siblings():
        if node.name == "h2":
            break
        parts.append(str(node))
    return "".join(parts)


@pytest.fixture
def reviewed(app: Flask) -> tuple[User, Any]:
    """Run 1 with its three largest themes approved, one quote publishable, a public page."""
    demo_texts(90)
    user = analyst()
    run = finished_run(user, n_themes=6)
    rows = views.theme_list(run, user)
    for row in rows[:3]:
        edits.set_approved(row.theme, user, True)
    quote = db.session.scalars(select(ThemeQuote).where(
        ThemeQuote.theme_id == rows[0].theme.id).order_by(ThemeQuote.position)).first()
    publication.set_publishable(quote, user, True)
    _consultation(user)
    return user, run


def test_a_new_analysis_run_changes_no_public_surface(client: FlaskClient,
                                                      reviewed: tuple[User, Any]) -> None:
    user, run = reviewed
    sign_in(client, "analyst@example.org")
    secret = api_tokens.create_token("t", [demo.SLUG], user).secret
    public = FlaskClient(client.application, use_cookies=True)
    before = (_public(public), _public(public, "bn"), _api(client, secret),
              _report_themes(client), insight_sources.theme_summaries(_survey_id()))
    approved = {t.label for t in db.session.scalars(select(Theme).where(
        Theme.run_id == run.id, Theme.approved.is_(True)))}
    unapproved = [t.label for t in db.session.scalars(select(Theme).where(
        Theme.run_id == run.id, Theme.approved.is_(False))) if t.label not in approved]
    assert approved and unapproved
    assert all(label in before[0] for label in approved)
    assert not any(label in before[0] or label in str(before[2]) for label in unapproved)

    # A run that builds on run 1 (its approved themes carried) and a fresh one.
    later = finished_run(user, n_themes=8, previous=run)
    fresh = finished_run(user, n_themes=5)
    db.session.expire_all()
    after = (_public(public), _public(public, "bn"), _api(client, secret),
             _report_themes(client), insight_sources.theme_summaries(_survey_id()))
    assert after == before

    # An analyst approving a theme of the newest run is what publishes it.
    newest = views.theme_list(fresh, user)[0].theme
    assert publication.published_run(_survey_id()).id == run.id  # type: ignore[union-attr]
    edits.set_approved(newest, user, True)
    assert publication.published_run(_survey_id()).id == fresh.id  # type: ignore[union-attr]
    assert newest.label in _public(public)
    # ... and undoing that approval puts the page back.
    edits.undo(edits.undoable(fresh), user)  # type: ignore[arg-type]
    assert _public(public) == before[0]
    carried = db.session.scalars(select(Theme).where(Theme.run_id == later.id,
                                                     Theme.origin == "carried")).all()
    assert carried and all(t.approved for t in carried)  # approved, yet not published


def test_quotes_reach_public_surfaces_only_when_publishable(client: FlaskClient,
                                                            reviewed: tuple[User, Any]) -> None:
    user, run = reviewed
    sign_in(client, "analyst@example.org")
    secret = api_tokens.create_token("t", [demo.SLUG], user).secret
    publishable = set(db.session.scalars(
        select(AnalysisText.redacted).join(ThemeQuote, ThemeQuote.text_id == AnalysisText.id)
        .where(ThemeQuote.publishable.is_(True))))
    others = set(db.session.scalars(
        select(AnalysisText.redacted).join(ThemeQuote, ThemeQuote.text_id == AnalysisText.id)
        .join(Theme, Theme.id == ThemeQuote.theme_id)
        .where(ThemeQuote.publishable.is_(False), Theme.approved.is_(True)))) - publishable
    assert len(publishable) == 1 and others
    quotes = {q for t in _api(client, secret)["themes"] for q in t["quotes"]}
    assert quotes == publishable
    report = _report_themes(client)
    assert report.count("<blockquote") == 1
    summaries = insight_sources.theme_summaries(_survey_id())
    assert {q for s in summaries for q in s.quotes} == publishable
    # Staff pages show every quote of the theme.
    theme = views.theme_list(run, user)[0].theme
    page = check_page(client.get(f"/staff/themes/{theme.id}"))
    assert len(page.select("#quotes ~ div blockquote")) == len(publication_quotes(theme))


def publication_quotes(theme: Theme) -> list[ThemeQuote]:
    return list(db.session.scalars(select(ThemeQuote).where(ThemeQuote.theme_id == theme.id)))


def test_marking_a_quote_publishable_is_audited_and_reversible(client: FlaskClient,
                                                               reviewed: tuple[User, Any]) -> None:
    user, run = reviewed
    theme = views.theme_list(run, user)[1].theme
    quote = publication_quotes(theme)[0]
    url = f"/staff/themes/quotes/{quote.id}/publishable"
    sign_in(client, "analyst@example.org")
    assert client.post(url, data={}).status_code == 400  # no CSRF token
    token = csrf_token(client, f"/staff/themes/{theme.id}")
    response = client.post(url, data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/staff/themes/{theme.id}#quotes")
    db.session.expire_all()
    assert quote.publishable and quote.publishable_by_id == user.id
    page = check_page(client.get(f"/staff/themes/{theme.id}")).get_text(" ", strip=True)
    assert "Quote marked as publishable" in page and "Withdraw from publication" in page
    assert quote.text_id in {t for t, in db.session.execute(select(ThemeQuote.text_id).where(
        ThemeQuote.publishable.is_(True)))}
    assert client.post(url, data={"csrf_token": token}).status_code == 303
    db.session.expire_all()
    assert not quote.publishable and quote.publishable_at is None
    actions = [e.action for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "theme_quote", AuditEvent.object_id == str(quote.id)))]
    assert actions == ["themes.quote_publish", "themes.quote_withdraw"]
    assert client.post("/staff/themes/quotes/999999/publishable",
                       data={"csrf_token": token}).status_code == 404


@pytest.mark.parametrize("role", ["engagement_officer", "group_member", "partner_viewer"])
def test_only_analysts_mark_quotes(client: FlaskClient, reviewed: tuple[User, Any],
                                   role: str) -> None:
    user, run = reviewed
    theme = views.theme_list(run, user)[1].theme
    quote = publication_quotes(theme)[0]
    other = make_user("other@example.org", role)
    share_results(roles=[role], partners=[other] if role == "partner_viewer" else [])
    sign_in(client, "other@example.org")
    page = check_page(client.get(f"/staff/themes/{theme.id}"))
    assert not page.select("form[action$='/publishable']")
    token = csrf_token(client, "/staff/")
    assert client.post(f"/staff/themes/quotes/{quote.id}/publishable",
                       data={"csrf_token": token}).status_code == 403
    db.session.expire_all()
    assert not quote.publishable


def test_counts_are_distinct_people_and_comments_say_so(client: FlaskClient,
                                                        reviewed: tuple[User, Any]) -> None:
    user, run = reviewed
    theme = views.theme_list(run, user)[0].theme
    # One person wrote three of the theme's comments (e.g. answers to three questions).
    texts = list(db.session.scalars(select(AnalysisText).join(
        RunText, RunText.text_id == AnalysisText.id).where(RunText.theme_id == theme.id)
        .order_by(AnalysisText.id)))
    for text in texts[1:3]:
        text.respondent = texts[0].respondent
    db.session.commit()
    people = len({t.respondent for t in texts})
    found = {s.name: s.size for s in insight_sources.theme_summaries(_survey_id())}
    assert found[theme.label] == people < len(texts)
    sign_in(client, "analyst@example.org")
    page = check_page(client.get(f"/staff/themes/{theme.id}"))
    keys = [k.get_text(strip=True) for k in page.select(".govuk-summary-list__key")]
    assert keys[:2] == ["Comments", "People"]
    public = _public(FlaskClient(client.application, use_cookies=True))
    rounded = people - people % you_said.ROUND_TO
    if people >= you_said.ROUND_TO:
        assert f"About {rounded:,} people mentioned this." in public
