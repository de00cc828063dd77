"""Hostile input (S10, S12, S15): an XSS corpus through every public field ends inert in staff
pages, the CSV export and public pages; SQL injection strings in every query parameter of every
GET route give no 500 and leak nothing. Routes come from app.url_map."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

import surveys
from engage.extensions import db, limiter
from engage.models import FreeTextAnswer, MayorQuestion
from tests.conftest import IsolatedClient, _truncate_postgres, make_app
from tests.pages import csrf_token, sign_in
from tests.stress.hostile import (
    CORPUS,
    MARK,
    SQL_ERRORS,
    SQLI,
    XSS,
    assert_inert,
    assert_no_formula_cells,
    query_names,
)
from tests.stress.world import World, build_world, required_roles, routes

COMMON_PARAMS = ["q", "search", "sort", "order", "direction", "filter", "status", "topic",
                 "ward", "age", "page", "per_page", "session", "reference", "channel", "survey",
                 "from", "to", "lang", "return", "next", "overdue", "theme", "group", "weight"]
PRIVATE = "privatecanary"  # an unpublished question's text: never on a public page


@pytest.fixture
def hostile_app(database_url: str, backend: str) -> Iterator[Flask]:
    """The app with rate limits off, so the whole corpus can go through the public forms."""
    application = make_app(database_url, RATELIMIT_ENABLED=False)
    application.test_client_class = IsolatedClient
    if backend == "postgresql":
        _truncate_postgres(application)
    limiter.reset()
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


def _answer_survey(app: Flask, client: FlaskClient, world: World, offset: int) -> str:
    """Answer the demo survey with every field hostile first (refused, shown back), then with
    hostile text in every free-text field; submit; return the confirmation page."""
    from engage.services.collect.published_surveys import published_survey

    slug = world.args["slug"]
    definition = published_survey(slug).definition
    answers = surveys.prune(definition, _valid_answers(definition))
    token = csrf_token(client, f"/s/{slug}/")
    assert client.post(f"/s/{slug}/start", data={"csrf_token": token}).status_code == 303
    corpus = itertools.cycle(CORPUS[offset:] + CORPUS[:offset])
    for page_id in surveys.path(definition, answers):
        url = f"/s/{slug}/q/{page_id}"
        valid = surveys.to_form_data(definition, page_id, answers)
        junk = {k: [next(corpus)] for k in valid}
        shown = client.post(url, data={"csrf_token": token, **junk})
        assert shown.status_code in (200, 303), (page_id, shown.status_code)
        assert_inert(shown.get_data(as_text=True), f"{url} (refused)", app.secret_key or "")
        hostile = dict(valid)
        for question in definition.page(page_id).questions:
            if question.type in surveys.types.TEXT_TYPES:
                hostile[surveys.field_name(question.id)] = [next(corpus)]
        saved = client.post(url, data={"csrf_token": token, **hostile})
        if saved.status_code != 303:  # a length rule refused it: the valid answer, then
            saved = client.post(url, data={"csrf_token": token, **valid})
        assert saved.status_code == 303, (page_id, saved.status_code)
    check = client.get(f"/s/{slug}/check")
    assert_inert(check.get_data(as_text=True), "check answers", app.secret_key or "")
    done = client.post(f"/s/{slug}/submit", data={"csrf_token": token}, follow_redirects=True)
    assert done.status_code == 200
    return done.get_data(as_text=True)


def _valid_answers(definition: Any) -> dict[str, Any]:
    from engage.demo.answers import generate_answers

    return dict(generate_answers(definition, random.Random(9)))


def _ask(app: Flask, client: FlaskClient, payload: str, name: str) -> None:
    from engage.services.collect.mayor.public import active_topics

    token = csrf_token(client, "/ask-the-mayor")
    topic = str(active_topics()[0].id)
    refused = client.post("/ask-the-mayor", data={
        "csrf_token": token, "question": payload, "topic": payload, "ward": payload,
        "postcode": payload, "consent": payload, "name": name, "email": payload,
        "phone": payload})
    assert refused.status_code == 200
    assert_inert(refused.get_data(as_text=True), "ask the mayor (refused)", app.secret_key or "")
    sent = client.post("/ask-the-mayor", data={
        "csrf_token": token, "question": f"{payload} Why is the lift broken?", "topic": topic,
        "ward": "bow-east", "consent": "yes", "name": name, "email": "resident@example.org"})
    assert sent.status_code in (302, 303), sent.get_data(as_text=True)[:400]


def _publish_all(answer: str) -> None:
    """A moderator takes every hostile question to a published answer (text left as sent)."""
    from datetime import date, timedelta

    from engage.models import User
    from engage.services.collect.mayor import answers, moderation

    moderator = db.session.scalar(select(User).where(User.role == "moderator"))
    # Whoever drafts an answer cannot approve it (issue 15): the officer drafts.
    officer = db.session.scalar(select(User).where(User.role == "engagement_officer"))
    for question in db.session.scalars(select(MayorQuestion).where(
            MayorQuestion.text.contains(MARK))).all():
        moderation.approve(question, moderator)
        moderation.assign(question, moderator, date.today() + timedelta(days=5),
                          officer=officer)
        answers.draft_answer(question, officer, answer)
        answers.approve_answer(question, moderator)
        answers.publish(question, moderator)


def test_xss_corpus_is_inert_everywhere(hostile_app: Flask) -> None:
    app = hostile_app
    secret = app.secret_key or ""
    world = build_world(app)
    residents = [app.test_client() for _ in range(3)]
    for i, resident in enumerate(residents):
        done = _answer_survey(app, resident, world, offset=i * 7)
        assert_inert(done, "confirmation", secret)
    texts = db.session.scalars(select(FreeTextAnswer.text)).all()
    assert sum(MARK in t for t in texts) >= 3, "the hostile text was not stored"
    asker = app.test_client()
    for i, payload in enumerate(XSS):
        _ask(app, asker, payload, name=CORPUS[(i + 3) % len(CORPUS)][:100])
    _publish_all(f"Answer {XSS[0]} {XSS[2]} {XSS[6]}")

    # Public pages, including search over the hostile text and the status page.
    public = app.test_client()
    reference = db.session.scalar(select(MayorQuestion.reference).where(
        MayorQuestion.text.contains(MARK)))
    for path in ["/ask-the-mayor/answers", f"/ask-the-mayor/answers?q={MARK}",
                 f"/ask-the-mayor/status?reference={reference}", "/"]:
        response = public.get(path)
        assert response.status_code == 200, path
        assert_inert(response.get_data(as_text=True), path, secret)
    assert MARK in public.get("/ask-the-mayor/answers").get_data(as_text=True)

    world.args["frame_id"] = str(_hostile_codeframe(world))

    # Every staff page (admin sees everything), pointed at a hostile question.
    admin = app.test_client()
    sign_in(admin, world.emails["admin"])
    world.args["question_id"] = str(db.session.scalar(select(MayorQuestion.id).where(
        MayorQuestion.text.contains(MARK))))
    seen_mark = 0
    for rule in routes(app, "GET"):
        response = admin.get(world.url(rule))
        assert response.status_code < 500, rule.rule
        body = _text(response)
        if response.mimetype == "text/html":
            assert_inert(body, rule.rule, secret)
            seen_mark += MARK in body
    assert seen_mark >= 2, "no staff page showed the hostile text: the test proves nothing"

    # The CSV exports: attachments, not sniffable as HTML, no formula cells.
    token = csrf_token(admin, "/staff/surveys")
    for rule in routes(app, "POST"):
        if not rule.rule.endswith(".csv") or required_roles(app, rule) is None:
            continue
        response = admin.post(world.url(rule), data={"csrf_token": token})
        assert response.status_code == 200, rule.rule
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response.headers["Cache-Control"]
        assert response.mimetype == "text/csv"
        rows = assert_no_formula_cells(response.get_data(as_text=True), rule.rule)
        if rule.endpoint.endswith("responses"):
            assert any(MARK in cell for row in rows for cell in row)


def _text(response: Any) -> str:
    """A page's text; "" for a binary download (the report as a PDF), which has no markup to
    run and no error text to show."""
    textual = response.mimetype.startswith("text/") or response.mimetype == "application/json"
    return str(response.get_data(as_text=True)) if textual else ""


def _hostile_codeframe(world: World) -> int:
    """A codeframe over the hostile texts with a hostile, formula-like code given to one text,
    so the coding pages and the codes CSV meet them."""
    from engage.models import CodeframeText, User
    from engage.services.code.coding import codes, frames, texts
    from engage.services.code.themes import sources

    admin = db.session.scalar(select(User).where(User.email == world.emails["admin"]))
    assert admin is not None
    frame = frames.create_codeframe(admin, f"Frame {XSS[0]}"[:200],
                                    [key for key, _label in sources.choices()])
    code = codes.add_code(frame, admin, f"=1+1 {XSS[1]}"[:120], XSS[2])
    first = db.session.scalar(select(CodeframeText.text_id).where(
        CodeframeText.codeframe_id == frame.id).order_by(CodeframeText.position).limit(1))
    assert first is not None
    texts.code_text(frame, first, admin, [code.id])
    return int(frame.id)


def _private_question() -> None:
    from engage.services.collect.mayor.public import active_topics
    from engage.services.collect.mayor.submission import QuestionInput, submit_question

    submit_question(QuestionInput(
        text=f"{PRIVATE} my neighbour at 4 Roman Road", topic_id=active_topics()[0].id,
        ward="bow-east", consent_publish=False, contact_email=f"{PRIVATE}@example.org"))


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_sql_injection_in_every_query_parameter(app: Flask, who: str) -> None:
    world = build_world(app)
    _private_question()
    client = app.test_client()
    if who != "anonymous":
        sign_in(client, world.emails[who])
    for rule in routes(app, "GET"):
        if rule.endpoint in ("public.healthz",):
            continue
        url = world.url(rule)
        first = client.get(url)
        names = set(COMMON_PARAMS)
        if first.mimetype == "text/html":
            names |= query_names(first.get_data(as_text=True))
        for i, payload in enumerate(SQLI):
            hostile = dict.fromkeys(names, payload)
            # Some views read nothing else once a number fails to parse: a valid page too.
            for query in [hostile] + ([{**hostile, "page": "1"}] if i < 4 else []):
                response = client.get(url, query_string=query)
                label = f"{who} GET {rule.rule} {payload!r}"
                assert response.status_code < 500, label
                body = _text(response)
                assert not SQL_ERRORS.search(body), label
                if who == "anonymous" or required_roles(app, rule) is None:
                    assert PRIVATE not in body, f"leak: {label}"
    # Every table is still there, with its rows.
    from engage.models import Response, User

    assert db.session.scalar(select(User.id).limit(1)) is not None
    db.session.scalar(select(Response.id).limit(1))


def test_sql_injection_in_public_search_finds_nothing_extra(app: Flask) -> None:
    """A classic tautology in the public search returns no more than a search for nothing."""
    build_world(app)
    _private_question()
    client = app.test_client()
    plain = client.get("/ask-the-mayor/answers", query_string={"q": "zzzz-no-match"})
    for payload in SQLI[:6]:
        injected = client.get("/ask-the-mayor/answers", query_string={"q": payload})
        assert injected.status_code == 200
        assert PRIVATE not in injected.get_data(as_text=True)
        assert injected.get_data(as_text=True).count("govuk-summary-card") <= \
            plain.get_data(as_text=True).count("govuk-summary-card")


@pytest.mark.parametrize("payload", XSS[:12])
def test_the_inert_check_catches_live_markup(payload: str) -> None:
    """The checker itself: the same payload pasted raw into a page is caught."""
    page = f"<html><body><p>{payload}</p><a href='{payload}'>link</a></body></html>"
    with pytest.raises(AssertionError):
        assert_inert(page, "raw page")
